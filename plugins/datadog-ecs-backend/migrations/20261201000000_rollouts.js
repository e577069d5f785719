// @ts-check

/**
 * Rollouts of the Agent daemon: one row per rollout or rollback (its request, revisions, progress
 * and outcome), the lease of the replica following it, and `datadog_ecs_active_rollouts`, whose
 * primary key (the cluster) lets only one rollout run per cluster across every backend replica.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('datadog_ecs_rollouts', table => {
    table.string('id', 36).primary();
    table.string('kind', 16).notNullable();
    table.string('rollback_of', 36);
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('cluster_name', 255).notNullable();
    table.string('status', 16).notNullable();
    table.string('client_token', 255);
    table.string('created_by', 255).notNullable();
    table.string('source', 16).notNullable();
    table.string('entity_ref', 255);
    table.string('created_at', 32).notNullable();
    table.string('updated_at', 32).notNullable();
    table.string('finished_at', 32);
    table.string('service_name', 255).notNullable();
    table.boolean('created_service').notNullable().defaultTo(false);
    table.string('old_task_definition_arn', 512);
    table.string('new_task_definition_arn', 512);
    table.boolean('registered').notNullable().defaultTo(false);
    /** How far the ECS write calls got: none, registered, deployed. */
    table.string('step', 16).notNullable().defaultTo('none');
    /** The render options without the API key (JSON). */
    table.text('options');
    table.text('deployment');
    table.text('instances');
    table.text('events');
    table.string('failure_kind', 32);
    table.text('failure_reason');
    /** How a rollout completed when it is worth saying (instances skipped). */
    table.text('note');
    table.string('rolled_back_by', 36);
    table.string('lease_owner', 64);
    table.string('lease_expires_at', 32);
    table.index(
      ['account_id', 'region', 'cluster_name', 'created_at'],
      'datadog_ecs_rollouts_cluster',
    );
    table.index(['status'], 'datadog_ecs_rollouts_status');
    // NULL tokens never conflict (SQLite and PostgreSQL alike).
    table.unique(['account_id', 'region', 'cluster_name', 'client_token'], {
      indexName: 'datadog_ecs_rollouts_client_token',
    });
  });

  await knex.schema.createTable('datadog_ecs_active_rollouts', table => {
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.string('cluster_name', 255).notNullable();
    table.string('rollout_id', 36).notNullable();
    table.string('created_by', 255).notNullable();
    table.string('created_at', 32).notNullable();
    table.primary(['account_id', 'region', 'cluster_name']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('datadog_ecs_active_rollouts');
  await knex.schema.dropTable('datadog_ecs_rollouts');
};
