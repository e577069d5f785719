/* API key: secret, plaintext, missing (the placeholder rows are the published files). */
import {
  agentOf,
  build,
  clean,
  env,
  FeatureRows,
  patchTask,
  Row,
} from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'plaintext API key',
    taskDefinition: build(
      clean,
      td => {
        delete agentOf(td).secrets;
      },
      env({ DD_API_KEY: '0123456789abcdef0123456789abcdef' }),
    ),
    findings: ['apiKey.plaintext'],
    states: { apiKey: 'misconfigured' },
  },
  {
    name: 'API key secret without an execution role',
    taskDefinition: build(clean, patchTask({ executionRoleArn: undefined })),
    findings: ['apiKey.secret-without-execution-role'],
    states: { apiKey: 'misconfigured' },
  },
  {
    name: 'no API key',
    taskDefinition: build(clean, td => {
      delete agentOf(td).secrets;
    }),
    findings: ['apiKey.missing'],
    states: { apiKey: 'off' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'apiKey',
  findingIds: [
    'apiKey.plaintext',
    'apiKey.placeholder',
    'apiKey.secret-without-execution-role',
    'apiKey.missing',
  ],
  rows,
};
