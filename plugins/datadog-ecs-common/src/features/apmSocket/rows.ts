/* APM and DogStatsD over Unix sockets (no detector of its own: the apm and dogstatsd detectors see the socket). */
import { loadReference } from '../../rendering/__fixtures__/referenceTaskDefinitions';
import { FeatureRows, PUBLISHED, Row } from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'published APM socket file',
    taskDefinition: loadReference('datadog-agent-ecs-apm-uds.json'),
    findings: PUBLISHED,
    states: { apm: 'on', dogstatsd: 'on' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'apmSocket',
  findingIds: [],
  rows,
};
