import { REDACTED } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import { storedCluster } from './inventory/__fixtures__/stored';
import { SnapshotStore } from './inventory/SnapshotStore';

const directory = path.resolve(__dirname, '../migrations');
const KEY = 'abcdef0123456789abcdef0123456789';

describe('migrations', () => {
  let knex: Knex;

  beforeEach(() => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  });
  afterEach(() => knex.destroy());

  it('redacts what earlier versions stored in plain text, and adds the agent family column', async () => {
    // The schema as the previous release left it: its two migrations.
    await knex.migrate.up({ directory, name: '20261120000000_init.js' });
    await knex.migrate.up({ directory, name: '20261201000000_rollouts.js' });

    const details = {
      clusterName: 'c',
      events: [{ message: `started with ${KEY}` }],
      taskDefinitions: [
        {
          containerDefinitions: [
            {
              environment: [
                { name: 'DD_API_KEY', value: KEY },
                { name: 'DD_SITE', value: 'datadoghq.com' },
              ],
            },
          ],
        },
      ],
    };
    await knex('datadog_ecs_clusters').insert({
      account_id: '111111111111',
      region: 'us-east-1',
      cluster_name: 'c',
      cluster_arn: 'arn:aws:ecs:us-east-1:111111111111:cluster/c',
      state: 'covered',
      summary: JSON.stringify({ clusterName: 'c' }),
      details: JSON.stringify(details),
      services: '[]',
      refreshed_at: '2026-11-30T00:00:00.000Z',
    });
    await knex('datadog_ecs_rollouts').insert({
      id: '00000000-0000-4000-8000-000000000001',
      kind: 'rollout',
      account_id: '111111111111',
      region: 'us-east-1',
      cluster_name: 'c',
      status: 'failed',
      created_by: 'user:default/alice',
      source: 'portal',
      created_at: '2026-11-30T00:00:00.000Z',
      updated_at: '2026-11-30T00:00:00.000Z',
      service_name: 'datadog-agent',
      events: JSON.stringify([{ message: 'x', env: { DD_API_KEY: KEY } }]),
      instances: '[]',
    });

    await knex.migrate.latest({ directory });

    const row = await knex('datadog_ecs_clusters').first();
    expect(row.details).not.toContain(KEY);
    const stored = JSON.parse(row.details);
    expect(stored.taskDefinitions[0].containerDefinitions[0].environment).toEqual([
      { name: 'DD_API_KEY', value: REDACTED },
      { name: 'DD_SITE', value: 'datadoghq.com' },
    ]);
    // The same key elsewhere in the row is masked too.
    expect(stored.events[0].message).toBe(`started with ${REDACTED}`);
    const rollout = await knex('datadog_ecs_rollouts').first();
    expect(rollout.events).not.toContain(KEY);
    expect(await knex.schema.hasColumn('datadog_ecs_locations', 'agent_family')).toBe(true);
  });

  it('adds the rollout fencing columns; a deployed rollout of an earlier version changed its cluster', async () => {
    await knex.migrate.up({ directory, name: '20261120000000_init.js' });
    await knex.migrate.up({ directory, name: '20261201000000_rollouts.js' });
    const row = (id: string, step: string) => ({
      id,
      kind: 'rollout',
      account_id: '111111111111',
      region: 'us-east-1',
      cluster_name: 'c',
      status: 'completed',
      created_by: 'user:default/alice',
      source: 'portal',
      created_at: '2026-11-30T00:00:00.000Z',
      updated_at: '2026-11-30T00:00:00.000Z',
      service_name: 'datadog-agent',
      step,
    });
    await knex('datadog_ecs_rollouts').insert([
      row('00000000-0000-4000-8000-000000000001', 'deployed'),
      row('00000000-0000-4000-8000-000000000002', 'none'),
    ]);
    await knex.migrate.latest({ directory });
    const rows = await knex('datadog_ecs_rollouts').orderBy('id');
    expect(rows.map(r => [Boolean(r.changed_cluster), Number(r.lease_epoch)])).toEqual([
      [true, 0],
      [false, 0],
    ]);
    for (const column of ['deadline_at', 'pending_write', 'cancelled_by']) {
      expect(await knex.schema.hasColumn('datadog_ecs_rollouts', column)).toBe(true);
    }
  });

  it('hashes cluster rows: those of earlier versions are rewritten once, and refreshedAt goes back into the JSON on the way down', async () => {
    const CONTENT_HASH = '20261231000000_cluster_content_hash.js';
    for (const name of fs.readdirSync(directory).filter(n => n.endsWith('.js') && n < CONTENT_HASH).sort()) {
      await knex.migrate.up({ directory, name });
    }
    const US = { accountId: '111111111111', region: 'us-east-1' };
    const [T0, T1, T2] = ['2026-11-30T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2026-12-01T00:05:00.000Z'];
    // A row as earlier versions stored it: its refresh time inside its JSON.
    const old = storedCluster({ ...US, clusterName: 'c', instances: 1, covered: 1, refreshedAt: T0 });
    await knex('datadog_ecs_locations').insert({ account_id: US.accountId, region: US.region, cluster_count: 1, refreshed_at: T0 });
    await knex('datadog_ecs_clusters').insert({
      account_id: US.accountId,
      region: US.region,
      cluster_name: 'c',
      cluster_arn: old.details.clusterArn,
      state: old.details.state,
      summary: JSON.stringify({ ...old.details, instances: undefined }),
      details: JSON.stringify(old.details),
      services: '[]',
      refreshed_at: T0,
    });
    await knex.migrate.latest({ directory });
    const store = new SnapshotStore(knex);
    expect((await store.getCluster({ ...US, clusterName: 'c' }))?.refreshedAt).toBe(T0);

    // The first write replaces the row (no hash yet), the next one leaves it alone.
    const write = (at: string) =>
      store.writeLocation({ ...US, refreshedAt: at, clusters: [storedCluster({ ...US, clusterName: 'c', instances: 1, covered: 1, refreshedAt: at })] });
    await write(T1);
    const hashed = await knex('datadog_ecs_clusters').first();
    expect(hashed.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(hashed.details)).not.toHaveProperty('refreshedAt');
    await write(T2);
    expect(await knex('datadog_ecs_clusters').first()).toEqual(hashed);
    expect((await store.listClusters())[0].refreshedAt).toBe(T2);

    await knex.migrate.down({ directory, name: CONTENT_HASH });
    const row = await knex('datadog_ecs_clusters').first();
    expect(row).not.toHaveProperty('content_hash');
    expect(row.refreshed_at).toBe(T2);
    expect(JSON.parse(row.summary).refreshedAt).toBe(T2);
    expect(JSON.parse(row.details)).toMatchObject({ clusterName: 'c', refreshedAt: T2 });
    expect(await knex.schema.hasColumn('datadog_ecs_locations', 'cluster_refreshed_at')).toBe(false);
  });
});
