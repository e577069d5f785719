// @ts-check

/**
 * Rollouts as a fenced state machine:
 *
 * - `lease_epoch`: the fencing token. Every claim of a rollout's lease increments it, and every write
 *   by an executor or follower is conditional on its owner *and* epoch, so a replica that lost the
 *   lease (expired while it was stuck in a call, cancelled) can no longer touch the record or the lock.
 * - `deadline_at`: when the rollout fails as timed out, set at start (deploymentTimeoutMinutes from
 *   the start), checked on every tick whatever ECS answers.
 * - `pending_write`: the ECS write call about to be made and what ECS showed before it (JSON), written
 *   (under the lease) just before the call: a replica replaying the step after a crash compares ECS
 *   with it and adopts the effect of a call that went through instead of repeating it.
 * - `changed_cluster`: whether ECS accepted the rollout's CreateService / UpdateService (and did not
 *   roll it back): only such rollouts can be rolled back, and only the latest of them.
 * - `cancelled_by`: who cancelled it (status `cancelled`).
 *
 * Rows of earlier versions: a deployed rollout counts as having changed the cluster.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('datadog_ecs_rollouts', table => {
    table.integer('lease_epoch').notNullable().defaultTo(0);
    table.string('deadline_at', 32);
    table.text('pending_write');
    table.boolean('changed_cluster').notNullable().defaultTo(false);
    table.string('cancelled_by', 255);
  });
  await knex('datadog_ecs_rollouts')
    .where({ step: 'deployed' })
    .update({ changed_cluster: true });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('datadog_ecs_rollouts', table => {
    table.dropColumn('cancelled_by');
    table.dropColumn('changed_cluster');
    table.dropColumn('pending_write');
    table.dropColumn('deadline_at');
    table.dropColumn('lease_epoch');
  });
};
