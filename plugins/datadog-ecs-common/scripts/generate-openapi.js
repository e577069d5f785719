#!/usr/bin/env node
/*
 * Writes src/schema/openapi.generated.ts from src/schema/openapi.yaml, the source of the REST API's
 * contract: `export const spec = {…} as const`, for @backstage/backend-openapi-utils' typed router
 * and for the types and limits read from it. `src/schema/openapi.test.ts` fails when the two drift.
 *
 *   yarn generate:openapi        (in plugins/datadog-ecs-common)
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const SOURCE = path.resolve(__dirname, '../src/schema/openapi.yaml');
const TARGET = path.resolve(__dirname, '../src/schema/openapi.generated.ts');

const HEADER = `/*
 * GENERATED from openapi.yaml by scripts/generate-openapi.js: do not edit by hand, edit the YAML and
 * run \`yarn generate:openapi\` in plugins/datadog-ecs-common.
 */

/**
 * The OpenAPI 3.1 document of the datadog-ecs REST API (see openapi.yaml).
 *
 * @public
 */
export const spec = `;

/** The generated module for the YAML text. */
function render(yamlText) {
  // Merge keys (`<<: *anchor`) let a schema extend another's properties.
  const document = YAML.parse(yamlText, { merge: true });
  return `${HEADER}${JSON.stringify(document, null, 2)} as const;\n`;
}

module.exports = { render, SOURCE, TARGET };

if (require.main === module) {
  fs.writeFileSync(TARGET, render(fs.readFileSync(SOURCE, 'utf8')));
  process.stdout.write(`wrote ${path.relative(process.cwd(), TARGET)}\n`);
}
