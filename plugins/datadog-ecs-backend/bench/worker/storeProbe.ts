/**
 * Measures what the SnapshotStore writes and keeps in SQLite: rows and bytes written per table
 * (counted by SQLite triggers, whatever the code that writes), the stored size per table (dbstat)
 * and the size of the rows' values (the floor the storage is compared with), and fills the
 * coverage history with the points the refresh writes (one per cluster per refresh).
 */
import { statSync } from 'node:fs';
import { Knex } from 'knex';

export const SNAPSHOT_TABLES = [
  'datadog_ecs_refresh',
  'datadog_ecs_locations',
  'datadog_ecs_clusters',
  'datadog_ecs_coverage_history',
];

export interface TableWrites {
  inserted: number;
  updated: number;
  deleted: number;
  /** Bytes of the values of the inserted and updated rows. */
  bytes: number;
}

async function columnsOf(knex: Knex, table: string): Promise<string[]> {
  const rows: Array<{ name: string }> = await knex.raw(
    `PRAGMA table_info(${table})`,
  );
  return rows.map(r => r.name);
}

/** `length()` of every value of the row, as SQLite stores it (text bytes, blob bytes). */
const rowBytes = (alias: string, columns: string[]) =>
  columns
    .map(c => `coalesce(length(CAST(${alias}."${c}" AS BLOB)), 0)`)
    .join(' + ');

/** Counts the writes to the snapshot tables until `stop()`, which returns them by table. */
export async function countWrites(
  knex: Knex,
): Promise<{ stop(): Promise<Record<string, TableWrites>> }> {
  await knex.raw(
    'CREATE TABLE IF NOT EXISTS bench_writes (tbl TEXT, op TEXT, n INTEGER, bytes INTEGER, PRIMARY KEY (tbl, op))',
  );
  await knex.raw('DELETE FROM bench_writes');
  for (const table of SNAPSHOT_TABLES) {
    const columns = await columnsOf(knex, table);
    for (const [op, alias] of [
      ['insert', 'NEW'],
      ['update', 'NEW'],
      ['delete', 'OLD'],
    ]) {
      await knex.raw('INSERT INTO bench_writes VALUES (?, ?, 0, 0)', [
        table,
        op,
      ]);
      await knex.raw(
        `CREATE TRIGGER bench_${table}_${op} AFTER ${op.toUpperCase()} ON ${table} BEGIN
           UPDATE bench_writes SET n = n + 1, bytes = bytes + (${
             op === 'delete' ? '0' : rowBytes(alias, columns)
           }) WHERE tbl = '${table}' AND op = '${op}';
         END`,
      );
    }
  }
  return {
    async stop() {
      const rows: Array<{ tbl: string; op: string; n: number; bytes: number }> =
        await knex('bench_writes').select();
      for (const table of SNAPSHOT_TABLES) {
        for (const op of ['insert', 'update', 'delete']) {
          await knex.raw(`DROP TRIGGER bench_${table}_${op}`);
        }
      }
      await knex.raw('DROP TABLE bench_writes');
      const out: Record<string, TableWrites> = {};
      for (const table of SNAPSHOT_TABLES) {
        const of = (op: string) =>
          rows.find(r => r.tbl === table && r.op === op);
        out[table] = {
          inserted: of('insert')?.n ?? 0,
          updated: of('update')?.n ?? 0,
          deleted: of('delete')?.n ?? 0,
          bytes: (of('insert')?.bytes ?? 0) + (of('update')?.bytes ?? 0),
        };
      }
      return out;
    },
  };
}

/**
 * Adds the coverage points `days` of refreshes every `periodMinutes` would have written before the
 * snapshot's (one per cluster per refresh, what `SnapshotStore.writeLocation` inserts), with each
 * cluster's current counts.
 */
export async function fillHistory(
  knex: Knex,
  options: { days: number; periodMinutes: number; now: Date },
): Promise<number> {
  const clusters: Array<{
    account_id: string;
    region: string;
    cluster_name: string;
    summary: string;
  }> = await knex('datadog_ecs_clusters').select(
    'account_id',
    'region',
    'cluster_name',
    'summary',
  );
  const points = Math.floor((options.days * 24 * 60) / options.periodMinutes);
  let written = 0;
  for (const c of clusters) {
    const counts = JSON.parse(c.summary).counts ?? {};
    const rows = Array.from({ length: points }, (_, k) => ({
      account_id: c.account_id,
      region: c.region,
      cluster_name: c.cluster_name,
      at: new Date(
        options.now.getTime() - (k + 1) * options.periodMinutes * 60_000,
      ).toISOString(),
      instances: counts.instances ?? 0,
      covered: counts.covered ?? 0,
    }));
    await knex.transaction(tx =>
      tx.batchInsert('datadog_ecs_coverage_history', rows, 500),
    );
    written += rows.length;
  }
  return written;
}

export interface TableSize {
  rows: number;
  /** Pages of the table and its indexes (dbstat), in bytes. */
  storedBytes: number;
  /** Bytes of the rows' values (`length()` of each): what is stored, without overhead. */
  valueBytes: number;
}

/** Compacts the file (VACUUM) and measures each snapshot table and the file. */
export async function measureStorage(
  knex: Knex,
  file: string,
): Promise<{ fileBytes: number; tables: Record<string, TableSize> }> {
  await knex.raw('VACUUM');
  const tables: Record<string, TableSize> = {};
  const pages: Array<{ tbl: string; bytes: number }> = await knex.raw(
    `SELECT coalesce(m.tbl_name, d.name) AS tbl, SUM(d.pgsize) AS bytes
       FROM dbstat d LEFT JOIN sqlite_master m ON m.name = d.name GROUP BY 1`,
  );
  for (const table of SNAPSHOT_TABLES) {
    const columns = await columnsOf(knex, table);
    const [row]: Array<{ rows: number; bytes: number }> = await knex.raw(
      `SELECT COUNT(*) AS rows, coalesce(SUM(${rowBytes(
        table,
        columns,
      )}), 0) AS bytes FROM ${table}`,
    );
    tables[table] = {
      rows: row.rows,
      storedBytes: pages.find(p => p.tbl === table)?.bytes ?? 0,
      valueBytes: row.bytes,
    };
  }
  return { fileBytes: statSync(file).size, tables };
}
