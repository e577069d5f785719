/* Agent image: old majors, digests (unpinned images are the published files). */
import { build, clean, FeatureRows, image, Row } from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'Agent 5 image tag',
    taskDefinition: build(clean, image('datadog/agent:5.32.0')),
    findings: ['image.unsupported-major'],
    states: { image: 'misconfigured' },
  },
  {
    name: 'image pinned by digest',
    taskDefinition: build(
      clean,
      image(`public.ecr.aws/datadog/agent@sha256:${'a'.repeat(64)}`),
    ),
    findings: [],
    states: { image: 'on' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'image',
  findingIds: ['image.unpinned-latest', 'image.unsupported-major'],
  rows,
};
