// @ts-check

/**
 * Redacts what earlier versions stored in plain text: the values of secret-looking variables
 * (`DD_API_KEY`, names ending in `_API_KEY`, `_TOKEN`, `_PASSWORD`, `_SECRET`, …) in the stored
 * snapshots (cluster rows, location errors) and rollout records, with the same rule the plugin now
 * applies to everything it writes (`createRedactor` of the -common package). Configured keys are not
 * known here; every value the rule masks by name is also masked wherever else it appears in the same
 * row. Rows are read and written one at a time, so a large snapshot never sits in memory at once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const { createRedactor } = require('@ecs-agent-coverage/backstage-plugin-datadog-ecs-common');

  /**
   * @param {string} table
   * @param {string[]} keyColumns
   * @param {Record<string, 'json' | 'text'>} columns
   */
  async function redactTable(table, keyColumns, columns) {
    const keys = await knex(table).select(keyColumns);
    for (const key of keys) {
      const row = await knex(table).where(key).first(Object.keys(columns));
      if (!row) continue;
      const redactor = createRedactor();
      /** @type {Record<string, unknown>} */
      const values = {};
      for (const [column, kind] of Object.entries(columns)) {
        const value = row[column];
        if (value === null || value === undefined) continue;
        values[column] = kind === 'json' ? JSON.parse(value) : value;
      }
      // Twice over the whole row: a key masked in one column is masked in the others' text too.
      const redacted = redactor.value(redactor.value(values));
      /** @type {Record<string, unknown>} */
      const update = {};
      for (const [column, kind] of Object.entries(columns)) {
        if (!(column in redacted)) continue;
        const text = kind === 'json' ? JSON.stringify(redacted[column]) : redacted[column];
        if (text !== row[column]) update[column] = text;
      }
      if (Object.keys(update).length) await knex(table).where(key).update(update);
    }
  }

  await redactTable('datadog_ecs_clusters', ['account_id', 'region', 'cluster_name'], {
    summary: 'json',
    details: 'json',
    services: 'json',
  });
  await redactTable('datadog_ecs_locations', ['account_id', 'region'], { error: 'json' });
  await redactTable('datadog_ecs_rollouts', ['id'], {
    options: 'json',
    deployment: 'json',
    instances: 'json',
    events: 'json',
    failure_reason: 'text',
    note: 'text',
  });
};

/** Redaction cannot be undone. */
exports.down = async function down() {};
