// @ts-check

/**
 * The inventory snapshot: one row per cluster (its card and its full view as JSON), one per
 * configured location, coverage history, and the refresh state shared by every backend replica.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('datadog_ecs_locations', table => {
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('name');
    table.integer('cluster_count').notNullable().defaultTo(0);
    table.text('error');
    table.string('refreshed_at', 32);
    table.primary(['account_id', 'region']);
  });

  await knex.schema.createTable('datadog_ecs_clusters', table => {
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('cluster_name', 255).notNullable();
    table.string('cluster_arn', 512).notNullable();
    table.string('state', 32).notNullable();
    table.text('summary').notNullable();
    table.text('details').notNullable();
    table.text('services').notNullable();
    table.string('refreshed_at', 32).notNullable();
    table.primary(['account_id', 'region', 'cluster_name']);
  });

  await knex.schema.createTable('datadog_ecs_coverage_history', table => {
    table.increments('id');
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('cluster_name', 255).notNullable();
    table.string('at', 32).notNullable();
    table.integer('instances').notNullable();
    table.integer('covered').notNullable();
    table.index(['account_id', 'region', 'cluster_name', 'at'], 'datadog_ecs_history_cluster_at');
    table.index(['at'], 'datadog_ecs_history_at');
  });

  await knex.schema.createTable('datadog_ecs_refresh', table => {
    table.integer('id').primary();
    table.boolean('running').notNullable().defaultTo(false);
    table.string('started_at', 32);
    table.string('finished_at', 32);
    table.string('requested_at', 32);
    table.integer('progress_done');
    table.integer('progress_total');
  });
  await knex('datadog_ecs_refresh').insert({ id: 1, running: false });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('datadog_ecs_refresh');
  await knex.schema.dropTable('datadog_ecs_coverage_history');
  await knex.schema.dropTable('datadog_ecs_clusters');
  await knex.schema.dropTable('datadog_ecs_locations');
};
