/*
 * What a refresh writes, end to end: the real plugin and SDK against the emulator's demo fleet (its
 * clock stopped, so the fleet does not move between refreshes), SQLite in a file. A refresh where
 * nothing changed rewrites no cluster row (only what records the refresh: the location rows and a
 * coverage point per cluster), yet the API shows its refresh time; a cluster that changed is the
 * only row rewritten. Writes are counted by triggers of this test on the plugin's table.
 */
import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  Emulator,
  Server,
  sleep,
  startBackend,
} from './__testUtils__/integration';

jest.setTimeout(60_000);

const API = '/api/datadog-ecs';
const PROD = '111111111111';

interface Card {
  accountId: string;
  region: string;
  clusterName: string;
  refreshedAt: string;
  error?: unknown;
  counts: { instances: number; covered: number };
}

describe('what a refresh writes (demo fleet, real SDK, SQLite)', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;
  let db: Knex;

  /** Asks for a refresh and waits for the snapshot after the one taken at `takenAt`. */
  async function refreshAfter(takenAt?: string) {
    for (let i = 0; i < 100; i++) {
      const r = await request(backend!.server).post(`${API}/refresh`);
      if (r.status === 202) break;
      expect(r.status).toBe(429);
      await sleep(100);
    }
    for (let i = 0; i < 400; i++) {
      const { body } = await request(backend!.server).get(`${API}/clusters`);
      if (
        body.snapshotTakenAt &&
        body.snapshotTakenAt !== takenAt &&
        !body.refresh.running
      ) {
        return body as { snapshotTakenAt: string; clusters: Card[] };
      }
      await sleep(25);
    }
    throw new Error('no new snapshot');
  }

  /** The cluster rows written (`op name`) and coverage points added since the last call. */
  async function writes() {
    const rows: Array<{ op: string; name: string }> = await db(
      'test_cluster_writes',
    ).select();
    const points = Number(
      (await db('test_history_writes').count({ n: '*' }))[0].n,
    );
    await db('test_cluster_writes').delete();
    await db('test_history_writes').delete();
    return { clusters: rows.map(r => `${r.op} ${r.name}`).sort(), points };
  }

  beforeAll(async () => {
    emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-writes-'));
    backend = await startBackend(emu, { dbDir });
    // Opens the plugin's database once its migrations ran (the first request).
    await request(backend.server).get(`${API}/clusters`);
    const [file] = fs.readdirSync(dbDir).filter(f => f.endsWith('.sqlite'));
    db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dbDir, file) },
      useNullAsDefault: true,
    });
    await db.raw(
      'CREATE TABLE test_cluster_writes (op TEXT NOT NULL, name TEXT NOT NULL)',
    );
    await db.raw('CREATE TABLE test_history_writes (name TEXT NOT NULL)');
    for (const [op, row] of [
      ['insert', 'NEW'],
      ['update', 'NEW'],
      ['delete', 'OLD'],
    ]) {
      await db.raw(
        `CREATE TRIGGER test_clusters_${op} AFTER ${op.toUpperCase()} ON datadog_ecs_clusters
         BEGIN INSERT INTO test_cluster_writes VALUES ('${op}', ${row}.cluster_name); END`,
      );
    }
    await db.raw(
      `CREATE TRIGGER test_history_insert AFTER INSERT ON datadog_ecs_coverage_history
       BEGIN INSERT INTO test_history_writes VALUES (NEW.cluster_name); END`,
    );
  });
  afterAll(async () => {
    await db?.destroy();
    await backend?.stop();
    await emu?.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  it('writes every cluster once, then only what records a refresh where nothing changed, then the cluster that changed', async () => {
    const first = await refreshAfter();
    const firstWrites = await writes();
    const good = first.clusters.filter(c => !c.error);
    expect(good.length).toBeGreaterThan(5);
    expect(firstWrites.clusters).toEqual(
      first.clusters.map(c => `insert ${c.clusterName}`).sort(),
    );
    expect(firstWrites.points).toBe(good.length);

    // Nothing changed: no cluster row written (clusters whose calls fail carry the error's time),
    // a coverage point per cluster, and every card shows the new refresh time.
    await sleep(1100);
    const again = await refreshAfter(first.snapshotTakenAt);
    const againWrites = await writes();
    const failing = first.clusters
      .filter(c => c.error)
      .map(c => `update ${c.clusterName}`)
      .sort();
    expect(againWrites.clusters).toEqual(failing);
    expect(againWrites.points).toBe(good.length);
    const before = new Map(first.clusters.map(c => [c.clusterName, c]));
    for (const card of again.clusters.filter(c => !c.error)) {
      const previous = before.get(card.clusterName)!;
      expect(card.counts).toEqual(previous.counts);
      expect(card.refreshedAt > previous.refreshedAt).toBe(true);
    }
    const detail = await request(backend!.server).get(
      `${API}/clusters/${PROD}/us-east-1/prod-web`,
    );
    expect(detail.body.refreshedAt).toBe(
      again.clusters.find(c => c.clusterName === 'prod-web')!.refreshedAt,
    );

    // One instance of prod-web drained: its row only.
    const { body: web } = detail;
    emu.control.drain({
      accountId: PROD,
      region: 'us-east-1',
      cluster: 'prod-web',
      containerInstance: web.instances[0].containerInstanceArn,
    });
    await sleep(1100);
    const third = await refreshAfter(again.snapshotTakenAt);
    expect((await writes()).clusters).toEqual(
      [...failing, 'update prod-web'].sort(),
    );
    const drained = await request(backend!.server).get(
      `${API}/clusters/${PROD}/us-east-1/prod-web`,
    );
    expect(
      drained.body.instances.find(
        (i: { containerInstanceArn: string }) =>
          i.containerInstanceArn === web.instances[0].containerInstanceArn,
      ).status,
    ).toBe('DRAINING');
    expect(third.clusters.length).toBe(first.clusters.length);
  });
});
