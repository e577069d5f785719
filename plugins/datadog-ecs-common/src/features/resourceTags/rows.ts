/* ECS resource tags. */
import {
  build,
  clean,
  env,
  FeatureRows,
  image,
  Row,
} from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'resource tags on Agent 7.60',
    taskDefinition: build(
      clean,
      env({ DD_ECS_COLLECT_RESOURCE_TAGS_EC2: 'true' }),
    ),
    findings: [],
    states: { resourceTags: 'on' },
  },
  {
    name: 'resource tags on Agent 6.17 (minimum)',
    taskDefinition: build(
      clean,
      image('datadog/agent:6.17.0'),
      env({ DD_ECS_COLLECT_RESOURCE_TAGS_EC2: 'true' }),
    ),
    findings: [],
    states: { resourceTags: 'on' },
  },
  {
    name: 'resource tags on Agent 7.16',
    taskDefinition: build(
      clean,
      image('datadog/agent:7.16.1-jmx'),
      env({ DD_ECS_COLLECT_RESOURCE_TAGS_EC2: 'true' }),
    ),
    findings: ['resourceTags.agent-too-old'],
    states: { resourceTags: 'misconfigured' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'resourceTags',
  findingIds: ['resourceTags.agent-too-old'],
  rows,
};
