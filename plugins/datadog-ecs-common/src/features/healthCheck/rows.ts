/* The Agent health check. */
import {
  build,
  clean,
  FeatureRows,
  patchAgent,
  Row,
} from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'the guide health check',
    taskDefinition: build(
      clean,
      patchAgent({
        healthCheck: {
          command: ['CMD-SHELL', 'agent health'],
          retries: 3,
          timeout: 5,
          interval: 30,
          startPeriod: 15,
        },
      }),
    ),
    findings: [],
    states: { healthCheck: 'on' },
  },
  {
    name: 'a custom health check',
    taskDefinition: build(
      clean,
      patchAgent({ healthCheck: { command: ['CMD-SHELL', 'exit 0'] } }),
    ),
    findings: ['healthCheck.unexpected-command'],
    states: { healthCheck: 'on' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'healthCheck',
  findingIds: ['healthCheck.unexpected-command'],
  rows,
};
