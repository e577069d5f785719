/* ECS Anywhere. */
import {
  al,
  build,
  clean,
  FeatureRows,
  patchTask,
  Row,
} from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'ECS Anywhere compatible',
    taskDefinition: build(
      clean,
      patchTask({ requiresCompatibilities: ['EXTERNAL'] }),
    ),
    instances: [{ os: 'linux', external: true }],
    findings: [],
    states: { ecsAnywhere: 'on' },
  },
  {
    name: 'ECS Anywhere instances, EC2-only definition',
    taskDefinition: clean,
    instances: [...al(2), { os: 'linux', external: true }],
    findings: ['ecsAnywhere.external-instances-without-compatibility'],
    states: { ecsAnywhere: 'misconfigured' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'ecsAnywhere',
  findingIds: ['ecsAnywhere.external-instances-without-compatibility'],
  rows,
};
