import { resolvePackagePath } from '@backstage/backend-plugin-api';
import knexFactory, { Knex } from 'knex';
import {
  ActiveRolloutExistsError,
  ClientTokenUsedError,
  RolloutStore,
} from './RolloutStore';

const cluster = {
  accountId: '111111111111',
  region: 'eu-west-1',
  clusterName: 'prod',
};

const record = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  kind: 'rollout' as const,
  cluster,
  status: 'pending' as const,
  createdBy: 'user:default/alice',
  source: 'portal' as const,
  createdAt: new Date().toISOString(),
  serviceName: 'datadog-agent',
  createdService: false,
  registered: false,
  step: 'none' as const,
  ...over,
});

describe('RolloutStore', () => {
  let knex: Knex;
  let now: Date;
  let store: RolloutStore;

  beforeEach(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@ecs-agent-coverage/backstage-plugin-datadog-ecs-backend',
        'migrations',
      ),
    });
    now = new Date('2026-01-01T00:00:00Z');
    store = new RolloutStore(knex, () => now);
  });

  afterEach(() => knex.destroy());

  it('allows one active rollout per cluster, whoever inserts concurrently', async () => {
    const lease = { owner: 'replica-a', ttlMs: 30_000 };
    const results = await Promise.allSettled([
      store.insert(record('00000000-0000-0000-0000-000000000001'), lease),
      store.insert(
        record('00000000-0000-0000-0000-000000000002', {
          createdBy: 'user:default/bob',
        }),
        lease,
      ),
    ]);
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find(
      r => r.status === 'rejected',
    ) as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ActiveRolloutExistsError);
    expect(rejected.reason.active.rolloutId).toMatch(/^00000000/);

    // Another cluster is independent.
    await store.insert(
      record('00000000-0000-0000-0000-000000000003', {
        cluster: { ...cluster, clusterName: 'other' },
      }),
      lease,
    );
    // Finishing frees the cluster.
    const winner = (await store.getActive(cluster))!.rolloutId;
    await store.finish(winner, { status: 'completed' });
    expect(await store.getActive(cluster)).toBeUndefined();
    await store.insert(record('00000000-0000-0000-0000-000000000004'), lease);
  });

  it('refuses a client token used on the cluster already', async () => {
    const lease = { owner: 'a', ttlMs: 1000 };
    await store.insert(
      record('00000000-0000-0000-0000-000000000001', { clientToken: 't' }),
      lease,
    );
    await store.finish('00000000-0000-0000-0000-000000000001', {
      status: 'failed',
    });
    await expect(
      store.insert(
        record('00000000-0000-0000-0000-000000000002', { clientToken: 't' }),
        lease,
      ),
    ).rejects.toBeInstanceOf(ClientTokenUsedError);
    expect((await store.findByClientToken(cluster, 't'))!.id).toBe(
      '00000000-0000-0000-0000-000000000001',
    );
  });

  it('leases: only the holder updates; an expired lease is taken over', async () => {
    const id = '00000000-0000-0000-0000-000000000001';
    await store.insert(record(id), { owner: 'a', ttlMs: 30_000 });
    expect(await store.claimLease(id, 'b', 30_000)).toBe(false);
    expect(
      await store.update(
        id,
        { status: 'in-progress' },
        { owner: 'b', ttlMs: 30_000 },
      ),
    ).toBe(false);
    expect(
      await store.update(
        id,
        { status: 'in-progress' },
        { owner: 'a', ttlMs: 30_000 },
      ),
    ).toBe(true);

    now = new Date(now.getTime() + 31_000); // a crashed: its lease expires
    expect(await store.claimLease(id, 'b', 30_000)).toBe(true);
    expect(
      await store.update(
        id,
        { step: 'deployed' },
        { owner: 'a', ttlMs: 30_000 },
      ),
    ).toBe(false);
    expect((await store.listUnfinished()).map(r => r.id)).toEqual([id]);

    await store.releaseLease(id, 'b');
    expect(await store.claimLease(id, 'c', 30_000)).toBe(true);
    expect(await store.finish(id, { status: 'completed' }, 'c')).toBe(true);
    expect(await store.claimLease(id, 'd', 30_000)).toBe(false);
    expect(await store.listUnfinished()).toEqual([]);
  });
});
