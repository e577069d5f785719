/* APM over 8126/tcp. */
import {
  build,
  clean,
  cleanManagedDaemon,
  env,
  FeatureRows,
  image,
  port,
  Row,
} from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'APM as the guide documents it',
    taskDefinition: build(
      clean,
      port(8126, 'tcp'),
      env({ DD_APM_ENABLED: 'true', DD_APM_NON_LOCAL_TRAFFIC: 'true' }),
    ),
    findings: [],
    states: { apm: 'on' },
  },
  {
    name: 'APM port without DD_APM_NON_LOCAL_TRAFFIC on Agent 7.17',
    taskDefinition: build(
      clean,
      image('datadog/agent:7.17.0'),
      port(8126, 'tcp'),
      env({ DD_APM_ENABLED: 'true' }),
    ),
    findings: ['apm.port-without-non-local-traffic'],
    states: { apm: 'misconfigured' },
  },
  {
    name: 'APM port without DD_APM_NON_LOCAL_TRAFFIC on Agent 7.60 (accepted by default)',
    taskDefinition: build(
      clean,
      port(8126, 'tcp'),
      env({ DD_APM_ENABLED: 'true' }),
    ),
    findings: [],
    states: { apm: 'on' },
  },
  {
    name: 'APM non-local traffic without the port mapping',
    taskDefinition: build(
      clean,
      env({ DD_APM_ENABLED: 'true', DD_APM_NON_LOCAL_TRAFFIC: 'true' }),
    ),
    findings: ['apm.non-local-traffic-without-port'],
    states: { apm: 'misconfigured' },
  },
  {
    // A daemon task definition has no port mappings: the finding's remedy cannot apply there.
    name: 'APM non-local traffic on a managed daemon (no ports there)',
    taskDefinition: build(
      cleanManagedDaemon,
      env({ DD_APM_ENABLED: 'true', DD_APM_NON_LOCAL_TRAFFIC: 'true' }),
    ),
    managedDaemon: true,
    findings: [],
    states: { apm: 'on', managedInstances: 'on' },
  },
  {
    name: 'APM explicitly disabled',
    taskDefinition: build(clean, env({ DD_APM_ENABLED: 'false' })),
    findings: [],
    states: { apm: 'off' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'apm',
  findingIds: [
    'apm.port-without-non-local-traffic',
    'apm.non-local-traffic-without-port',
  ],
  rows,
};
