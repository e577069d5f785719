import fs from 'node:fs';

// The generator is a plain Node script (scripts/generate-openapi.js): run it here, in memory.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports, import/no-extraneous-dependencies
const { render, SOURCE, TARGET } = require('../../scripts/generate-openapi');

describe('the OpenAPI document', () => {
  it('openapi.generated.ts is what scripts/generate-openapi.js makes of openapi.yaml', () => {
    const generated = fs.readFileSync(TARGET, 'utf8');
    const expected = render(fs.readFileSync(SOURCE, 'utf8'));
    expect({
      upToDate: generated === expected,
      fix: 'yarn generate:openapi (in plugins/datadog-ecs-common)',
    }).toEqual({
      upToDate: true,
      fix: 'yarn generate:openapi (in plugins/datadog-ecs-common)',
    });
  });
});
