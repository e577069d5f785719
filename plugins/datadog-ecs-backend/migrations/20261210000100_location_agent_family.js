// @ts-check

/**
 * What a rollout preview needs from ECS, recorded by the inventory per location so that a preview
 * makes no AWS call: the latest ACTIVE revision of the rollout's task-definition family (JSON:
 * family, ARN, the redacted definition, when it was read, or the error reading it).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('datadog_ecs_locations', table => {
    table.text('agent_family');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('datadog_ecs_locations', table => {
    table.dropColumn('agent_family');
  });
};
