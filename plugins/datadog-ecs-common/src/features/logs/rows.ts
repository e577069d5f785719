/* Log collection. */
import { loadReference } from '../../rendering/__fixtures__/referenceTaskDefinitions';
import {
  build,
  clean,
  cleanManagedDaemon,
  cleanWindows,
  env,
  FeatureRows,
  mount,
  Mutation,
  PUBLISHED,
  Row,
} from '../__fixtures__/rows';

const logsMounts: Mutation[] = [
  mount('pointdir', '/opt/datadog-agent/run', '/opt/datadog-agent/run', false),
  mount(
    'containers_root',
    '/var/lib/docker/containers/',
    '/var/lib/docker/containers',
    true,
  ),
];
const logsEnv = env({
  DD_LOGS_ENABLED: 'true',
  DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL: 'true',
});

const rows: Row[] = [
  {
    name: 'published logs file (old edition: cpu 10, no containers_root, no DD_SITE)',
    taskDefinition: loadReference('datadog-agent-ecs-logs.json'),
    findings: [
      ...PUBLISHED,
      'core.cpu-10-units-or-fewer',
      'logs.missing-containers-root-mount',
    ],
    states: { core: 'on', logs: 'misconfigured', site: 'on' },
  },
  {
    name: 'Linux logs as the current guide documents them',
    taskDefinition: build(clean, logsEnv, ...logsMounts),
    findings: [],
    states: { logs: 'on' },
  },
  {
    name: 'Linux logs without pointdir',
    taskDefinition: build(clean, logsEnv, logsMounts[1]),
    findings: ['logs.missing-pointdir-mount'],
    states: { logs: 'misconfigured' },
  },
  {
    name: 'Linux logs without collect-all',
    taskDefinition: build(
      clean,
      env({ DD_LOGS_ENABLED: 'true' }),
      ...logsMounts,
    ),
    findings: ['logs.container-collect-all-off'],
    states: { logs: 'on' },
  },
  {
    name: 'Windows logs with the Windows pointdir',
    taskDefinition: build(
      cleanWindows,
      logsEnv,
      mount(
        'pointdir',
        'c:\\programdata\\datadog\\run',
        'c:\\programdata\\datadog\\run',
        false,
      ),
    ),
    findings: [],
    states: { logs: 'on' },
  },
  {
    name: 'Windows logs without pointdir',
    taskDefinition: build(cleanWindows, logsEnv),
    findings: ['logs.missing-pointdir-mount'],
    states: { logs: 'misconfigured' },
  },
  {
    // Not the Docker mounts' findings: their remedy does not apply on containerd.
    name: 'logs on a managed daemon (ECS Managed Instances)',
    taskDefinition: build(cleanManagedDaemon, logsEnv),
    managedDaemon: true,
    findings: ['logs.managed-instances-unsupported'],
    states: { logs: 'misconfigured', managedInstances: 'on' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'logs',
  findingIds: [
    'logs.missing-pointdir-mount',
    'logs.missing-containers-root-mount',
    'logs.container-collect-all-off',
    'logs.managed-instances-unsupported',
  ],
  rows,
};
