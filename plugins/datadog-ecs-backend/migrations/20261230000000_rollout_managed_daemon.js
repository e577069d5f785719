// @ts-check

/**
 * Rollouts to ECS Managed Daemons (ECS Managed Instances):
 *
 * - `target`: what the rollout deploys, `daemon-service` (a DAEMON service, RegisterTaskDefinition +
 *   CreateService / UpdateService) or `managed-daemon` (RegisterDaemonTaskDefinition + CreateDaemon /
 *   UpdateDaemon). Rows of earlier versions are DAEMON service rollouts.
 * - `daemon_arn`: the managed daemon's ARN, once known (it exists, or CreateDaemon answered it).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('datadog_ecs_rollouts', table => {
    table.string('target', 32).notNullable().defaultTo('daemon-service');
    table.string('daemon_arn', 1024);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('datadog_ecs_rollouts', table => {
    table.dropColumn('daemon_arn');
    table.dropColumn('target');
  });
};
