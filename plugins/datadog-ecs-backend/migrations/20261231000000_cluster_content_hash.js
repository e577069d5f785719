// @ts-check

/**
 * A refresh where nothing changed rewrites no cluster row:
 *
 * - `datadog_ecs_clusters.content_hash`: SHA-256 of the row's stored JSON (redacted; the refresh
 *   time left out). A location's write compares it and updates, inserts or deletes only the rows
 *   whose content changed. Rows of earlier versions have none, so the first write replaces them.
 * - `datadog_ecs_locations.cluster_refreshed_at`: JSON `{ clusterName: refreshedAt }` of the
 *   location's last write with clusters — what records the refresh itself. A cluster's
 *   `refreshedAt`, as read, is the later of its row's `refreshed_at` (when its content was last
 *   written, also by the refresh of a single cluster) and this entry.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('datadog_ecs_clusters', table => {
    table.string('content_hash', 64);
  });
  await knex.schema.alterTable('datadog_ecs_locations', table => {
    table.text('cluster_refreshed_at');
  });
};

/**
 * Earlier versions read `refreshedAt` from the stored JSON: it is written back into each row's
 * summary and details (the later of the two times above), one row at a time.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  const locations = await knex('datadog_ecs_locations').select(
    'account_id',
    'region',
    'cluster_refreshed_at',
  );
  for (const location of locations) {
    /** @type {Record<string, string>} */
    const times = location.cluster_refreshed_at
      ? JSON.parse(location.cluster_refreshed_at)
      : {};
    const key = { account_id: location.account_id, region: location.region };
    const names = await knex('datadog_ecs_clusters')
      .where(key)
      .select('cluster_name');
    for (const { cluster_name } of names) {
      const row = await knex('datadog_ecs_clusters')
        .where({ ...key, cluster_name })
        .first('summary', 'details', 'refreshed_at');
      if (!row) continue;
      const listed = times[cluster_name];
      const refreshedAt =
        listed && listed > row.refreshed_at ? listed : row.refreshed_at;
      const withTime = (/** @type {string} */ json) =>
        JSON.stringify({ ...JSON.parse(json), refreshedAt });
      await knex('datadog_ecs_clusters')
        .where({ ...key, cluster_name })
        .update({
          summary: withTime(row.summary),
          details: withTime(row.details),
          refreshed_at: refreshedAt,
        });
    }
  }
  await knex.schema.alterTable('datadog_ecs_locations', table => {
    table.dropColumn('cluster_refreshed_at');
  });
  await knex.schema.alterTable('datadog_ecs_clusters', table => {
    table.dropColumn('content_hash');
  });
};
