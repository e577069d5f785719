// @ts-check

/**
 * The stored snapshot's version per location, kept by the database itself: every insert, update
 * or delete of a row of `datadog_ecs_clusters` or `datadog_ecs_locations`, whatever code and
 * whichever replica makes it, adds 1 to its location's row of `datadog_ecs_snapshot_versions`
 * in the same transaction; a write of the refresh status (`datadog_ecs_refresh`) to the row
 * `('-', 'refresh')`. A version never goes back (rows are never deleted), so what the API builds
 * from the snapshot can be cached under it (`src/snapshotReads.ts`) and is replaced on every
 * replica by the first request after a write commits.
 *
 * PostgreSQL: constraint triggers deferred to the commit, so that the version row is the last
 * lock a transaction takes (a transaction waiting for it holds no lock the holder needs: no
 * deadlock with writes of several rows). SQLite: one writer at a time, plain triggers.
 *
 * A SQLite migration that rebuilds one of these tables (knex does for `dropColumn` and `alter`)
 * drops its triggers: `src/snapshotReads.test.ts` checks they work after every migration.
 *
 * @param {import('knex').Knex} knex
 */

/** Each table and the version row its rows count towards (`ROW` is `NEW` or `OLD`). */
const TABLES = {
  datadog_ecs_clusters: ['ROW.account_id', 'ROW.region'],
  datadog_ecs_locations: ['ROW.account_id', 'ROW.region'],
  datadog_ecs_refresh: ["'-'", "'refresh'"],
};
const VERSIONS = 'datadog_ecs_snapshot_versions';

/** @param {import('knex').Knex} knex */
const isPostgres = knex => knex.client.dialect === 'postgresql';

/**
 * @param {string[]} key the version row's account_id and region, as SQL
 * @param {string} row `NEW` or `OLD`
 */
const bump = (key, row) =>
  `INSERT INTO ${VERSIONS} (account_id, region, version)
   VALUES (${key.map(k => k.replace('ROW.', `${row}.`)).join(', ')}, 1)
   ON CONFLICT (account_id, region) DO UPDATE SET version = ${VERSIONS}.version + 1;`;

/** @param {string} table */
const functionOf = table => `${table}_changed`;

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable(VERSIONS, table => {
    table.string('account_id', 12).notNullable();
    table.string('region', 32).notNullable();
    table.bigInteger('version').notNullable();
    table.primary(['account_id', 'region']);
  });
  for (const [table, key] of Object.entries(TABLES)) {
    if (isPostgres(knex)) {
      await knex.raw(`CREATE OR REPLACE FUNCTION ${functionOf(
        table,
      )}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN ${bump(key, 'OLD')} ELSE ${bump(
        key,
        'NEW',
      )} END IF;
          RETURN NULL;
        END $$`);
      await knex.raw(
        `CREATE CONSTRAINT TRIGGER ${table}_version AFTER INSERT OR UPDATE OR DELETE ON ${table}
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${functionOf(
           table,
         )}()`,
      );
      continue;
    }
    for (const [op, row] of [
      ['insert', 'NEW'],
      ['update', 'NEW'],
      ['delete', 'OLD'],
    ]) {
      await knex.raw(
        `CREATE TRIGGER ${table}_version_${op} AFTER ${op.toUpperCase()} ON ${table}
         BEGIN ${bump(key, row)} END`,
      );
    }
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of Object.keys(TABLES)) {
    if (isPostgres(knex)) {
      await knex.raw(`DROP TRIGGER IF EXISTS ${table}_version ON ${table}`);
      await knex.raw(`DROP FUNCTION IF EXISTS ${functionOf(table)}()`);
    } else {
      for (const op of ['insert', 'update', 'delete']) {
        await knex.raw(`DROP TRIGGER IF EXISTS ${table}_version_${op}`);
      }
    }
  }
  await knex.schema.dropTable(VERSIONS);
};
