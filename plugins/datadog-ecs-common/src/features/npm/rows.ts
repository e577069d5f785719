/* Network performance monitoring (system-probe). */
import { loadReference } from '../../rendering/__fixtures__/referenceTaskDefinitions';
import {
  al,
  build,
  clean,
  cleanWindows,
  env,
  FeatureRows,
  mount,
  patchAgent,
  PUBLISHED,
  Row,
} from '../__fixtures__/rows';

const npmCapabilities = patchAgent({
  linuxParameters: {
    capabilities: {
      add: [
        'SYS_ADMIN',
        'SYS_RESOURCE',
        'SYS_PTRACE',
        'NET_ADMIN',
        'NET_BROADCAST',
        'NET_RAW',
        'IPC_LOCK',
        'CHOWN',
      ],
    },
  },
});

const rows: Row[] = [
  {
    name: 'published sysprobe file (legacy variable)',
    taskDefinition: loadReference('datadog-agent-sysprobe-ecs.json'),
    findings: [
      ...PUBLISHED,
      'core.cpu-10-units-or-fewer',
      'npm.legacy-variable',
    ],
    states: { npm: 'on' },
  },
  {
    name: 'published Amazon Linux 1 sysprobe file',
    taskDefinition: loadReference('datadog-agent-sysprobe-ecs1.json'),
    instances: al(1),
    findings: [
      ...PUBLISHED,
      'core.cpu-10-units-or-fewer',
      'npm.legacy-variable',
    ],
    states: { npm: 'on', core: 'on' },
  },
  {
    name: 'NPM as the current guide documents it',
    taskDefinition: build(
      clean,
      env({ DD_SYSTEM_PROBE_NETWORK_ENABLED: 'true' }),
      npmCapabilities,
      mount('debug', '/sys/kernel/debug', '/sys/kernel/debug'),
    ),
    findings: [],
    states: { npm: 'on' },
  },
  {
    name: 'NPM without capabilities or debugfs',
    taskDefinition: build(
      clean,
      env({ DD_SYSTEM_PROBE_NETWORK_ENABLED: 'true' }),
    ),
    findings: ['npm.missing-capabilities', 'npm.missing-debug-mount'],
    states: { npm: 'misconfigured' },
  },
  {
    name: 'NPM on Windows',
    taskDefinition: build(
      cleanWindows,
      env({ DD_SYSTEM_PROBE_NETWORK_ENABLED: 'true' }),
    ),
    findings: ['npm.windows-unsupported'],
    states: { npm: 'misconfigured' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'npm',
  findingIds: [
    'npm.missing-capabilities',
    'npm.missing-debug-mount',
    'npm.windows-unsupported',
    'npm.legacy-variable',
  ],
  rows,
};
