/* Process collection. */
import {
  build,
  clean,
  cleanWindows,
  env,
  FeatureRows,
  mount,
  Row,
} from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'process collection with /etc/passwd',
    taskDefinition: build(
      clean,
      env({ DD_PROCESS_AGENT_ENABLED: 'true' }),
      mount('passwd', '/etc/passwd', '/etc/passwd', true),
    ),
    findings: [],
    states: { process: 'on' },
  },
  {
    name: 'process collection without /etc/passwd',
    taskDefinition: build(clean, env({ DD_PROCESS_AGENT_ENABLED: 'true' })),
    findings: ['process.missing-passwd-mount'],
    states: { process: 'on' },
  },
  {
    name: 'Windows process collection (no passwd needed)',
    taskDefinition: build(
      cleanWindows,
      env({ DD_PROCESS_AGENT_ENABLED: 'true' }),
    ),
    findings: [],
    states: { process: 'on' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'process',
  findingIds: ['process.missing-passwd-mount'],
  rows,
};
