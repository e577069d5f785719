/* DD_TAGS. */
import { build, clean, env, FeatureRows, Row } from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'DD_TAGS key:value pairs',
    taskDefinition: build(clean, env({ DD_TAGS: 'env:prod team:payments' })),
    findings: [],
    states: { tags: 'on' },
  },
  {
    name: 'DD_TAGS with a bare value',
    taskDefinition: build(clean, env({ DD_TAGS: 'env:prod payments' })),
    findings: ['tags.not-key-value'],
    states: { tags: 'on' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'tags',
  findingIds: ['tags.not-key-value'],
  rows,
};
