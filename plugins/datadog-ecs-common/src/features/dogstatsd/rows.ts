/* DogStatsD over 8125/udp. */
import {
  build,
  clean,
  cleanManagedDaemon,
  env,
  FeatureRows,
  port,
  Row,
} from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'DogStatsD as the guide documents it',
    taskDefinition: build(
      clean,
      port(8125, 'udp'),
      env({ DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true' }),
    ),
    findings: [],
    states: { dogstatsd: 'on' },
  },
  {
    name: 'DogStatsD port without non-local traffic',
    taskDefinition: build(clean, port(8125, 'udp')),
    findings: ['dogstatsd.port-without-non-local-traffic'],
    states: { dogstatsd: 'misconfigured' },
  },
  {
    name: 'DogStatsD non-local traffic without the port',
    taskDefinition: build(
      clean,
      env({ DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true' }),
    ),
    findings: ['dogstatsd.non-local-traffic-without-port'],
    states: { dogstatsd: 'misconfigured' },
  },
  {
    // A daemon task definition has no port mappings: the finding's remedy cannot apply there.
    name: 'DogStatsD non-local traffic on a managed daemon (no ports there)',
    taskDefinition: build(
      cleanManagedDaemon,
      env({ DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true' }),
    ),
    managedDaemon: true,
    findings: [],
    states: { dogstatsd: 'off', managedInstances: 'on' },
  },
  {
    name: 'DogStatsD disabled',
    taskDefinition: build(clean, env({ DD_USE_DOGSTATSD: 'false' })),
    findings: [],
    states: { dogstatsd: 'off' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'dogstatsd',
  findingIds: [
    'dogstatsd.port-without-non-local-traffic',
    'dogstatsd.non-local-traffic-without-port',
  ],
  rows,
};
