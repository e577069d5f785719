import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  databases,
  initDatabase,
  migrate,
  secondConnection,
} from '../__testUtils__/databases';
import {
  ActiveRolloutExistsError,
  ClientTokenUsedError,
  LeaseToken,
  RolloutStore,
} from './RolloutStore';

jest.setTimeout(60_000);

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

const ID = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;

/**
 * Two stores on one database, as two backend replicas have them: on PostgreSQL each with its own
 * connection pool (so transactions really run at the same time), on SQLite sharing its connection.
 */
async function setup(databaseId: TestDatabaseId) {
  const knex = await initDatabase(databaseId);
  await migrate(knex);
  const clock = { now: new Date('2026-01-01T00:00:00Z') };
  const now = () => clock.now;
  const a = new RolloutStore(knex, now);
  const b = new RolloutStore(secondConnection(knex, databaseId), now);
  const advance = (ms: number) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  return { knex, a, b, advance };
}

const lease = (owner: string) => ({ owner, ttlMs: 30_000 });

describe('RolloutStore', () => {
  it.each(databases.eachSupportedId())(
    '%p: keeps the target (daemon-service unless said) and the managed daemon ARN',
    async databaseId => {
      const { a } = await setup(databaseId);
      const daemonArn =
        'arn:aws:ecs:eu-west-1:111111111111:daemon/prod/datadog-agent';
      const token = await a.insert(
        record(ID(1), { target: 'managed-daemon' }),
        lease('replica-a'),
      );
      expect(await a.get(ID(1))).toMatchObject({ target: 'managed-daemon' });
      expect((await a.get(ID(1)))!.daemonArn).toBeUndefined();
      expect(await a.update(ID(1), { daemonArn }, token)).toBe(true);
      expect(await a.get(ID(1))).toMatchObject({
        target: 'managed-daemon',
        daemonArn,
      });
      await a.insert(
        record(ID(2), { cluster: { ...cluster, clusterName: 'other' } }),
        lease('replica-a'),
      );
      expect((await a.get(ID(2)))!.target).toBe('daemon-service');
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: allows one active rollout per cluster, whichever replica inserts at the same time',
    async databaseId => {
      const { a, b } = await setup(databaseId);
      const results = await Promise.allSettled([
        a.insert(record(ID(1)), lease('replica-a')),
        b.insert(
          record(ID(2), { createdBy: 'user:default/bob' }),
          lease('replica-b'),
        ),
      ]);
      expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find(
        r => r.status === 'rejected',
      ) as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(ActiveRolloutExistsError);
      expect(rejected.reason.active.rolloutId).toMatch(/^00000000/);
      const fulfilled = results.find(
        r => r.status === 'fulfilled',
      ) as PromiseFulfilledResult<LeaseToken>;
      // The first claim of the winner's lease.
      expect(fulfilled.value.epoch).toBe(1);

      // Another cluster is independent.
      await a.insert(
        record(ID(3), { cluster: { ...cluster, clusterName: 'other' } }),
        lease('replica-a'),
      );
      // Finishing (under the lease) frees the cluster.
      const winner = (await a.getActive(cluster))!.rolloutId;
      const owner = winner === ID(1) ? 'replica-a' : 'replica-b';
      expect(
        await a.finish(
          winner,
          { status: 'completed' },
          { ...lease(owner), epoch: 1 },
        ),
      ).toBe(true);
      expect(await a.getActive(cluster)).toBeUndefined();
      await a.insert(record(ID(4)), lease('replica-a'));
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: refuses a client token used on the cluster already',
    async databaseId => {
      const { a } = await setup(databaseId);
      const token = await a.insert(
        record(ID(1), { clientToken: 't' }),
        lease('a'),
      );
      await a.finish(ID(1), { status: 'failed' }, token);
      await expect(
        a.insert(record(ID(2), { clientToken: 't' }), lease('a')),
      ).rejects.toBeInstanceOf(ClientTokenUsedError);
      expect((await a.findByClientToken(cluster, 't'))!.id).toBe(ID(1));
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: leases — a held lease is claimed by nobody, its holder included; an expired one is, as a new epoch that fences the old',
    async databaseId => {
      const { a, b, advance } = await setup(databaseId);
      const id = ID(1);
      const first = await a.insert(record(id), lease('a'));
      // Before: claimLease succeeded again for the current owner, so one replica could start a
      // second executor on a rollout it was already executing.
      expect(await a.claimLease(id, 'a', 30_000)).toBeUndefined();
      expect(await b.claimLease(id, 'b', 30_000)).toBeUndefined();
      expect(
        await b.update(
          id,
          { status: 'in-progress' },
          { ...lease('b'), epoch: 1 },
        ),
      ).toBe(false);
      expect(await a.update(id, { status: 'in-progress' }, first)).toBe(true);

      advance(31_000); // a is stuck: its lease expires
      const second = (await b.claimLease(id, 'b', 30_000))!;
      expect(second).toEqual({ owner: 'b', epoch: 2, ttlMs: 30_000 });
      // a's writes, renewals and finish are refused now, and leave the record and the lock as b has them.
      expect(await a.update(id, { step: 'deployed' }, first)).toBe(false);
      expect(await a.renewLease(id, first)).toBe(false);
      expect(await a.finish(id, { status: 'failed' }, first)).toBe(false);
      expect(await a.get(id)).toMatchObject({
        status: 'in-progress',
        step: 'none',
        leaseOwner: 'b',
        leaseEpoch: 2,
      });
      expect(await a.getActive(cluster)).toMatchObject({ rolloutId: id });
      expect((await a.listUnfinished()).map(r => r.id)).toEqual([id]);

      // Renewing keeps it.
      advance(20_000);
      expect(await b.renewLease(id, second)).toBe(true);
      advance(20_000);
      expect(await a.claimLease(id, 'a', 30_000)).toBeUndefined();

      await b.releaseLease(id, second);
      const third = (await a.claimLease(id, 'c', 30_000))!;
      expect(third.epoch).toBe(3);
      expect(await a.finish(id, { status: 'completed' }, third)).toBe(true);
      expect(await a.claimLease(id, 'd', 30_000)).toBeUndefined();
      expect(await a.listUnfinished()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: a finish under a lost lease deletes no lock (before: the cluster was unlocked while another replica deployed)',
    async databaseId => {
      const { a, b, advance } = await setup(databaseId);
      const first = await a.insert(record(ID(1)), lease('a'));
      advance(31_000);
      await b.claimLease(ID(1), 'b', 30_000);
      expect(
        await a.finish(ID(1), { status: 'failed', failureReason: 'x' }, first),
      ).toBe(false);
      expect(await a.getActive(cluster)).toMatchObject({ rolloutId: ID(1) });
      // A second rollout on the cluster is still refused.
      await expect(a.insert(record(ID(2)), lease('a'))).rejects.toBeInstanceOf(
        ActiveRolloutExistsError,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: two replicas claiming an expired lease at the same time: exactly one gets it',
    async databaseId => {
      const { a, b, advance } = await setup(databaseId);
      for (let i = 1; i <= 5; i++) {
        const id = ID(i);
        await a.insert(
          record(id, { cluster: { ...cluster, clusterName: `c${i}` } }),
          lease('gone'),
        );
      }
      advance(31_000);
      for (let i = 1; i <= 5; i++) {
        const claims = await Promise.all([
          a.claimLease(ID(i), 'a', 30_000),
          b.claimLease(ID(i), 'b', 30_000),
          a.claimLease(ID(i), 'a2', 30_000),
          b.claimLease(ID(i), 'b2', 30_000),
        ]);
        const won = claims.filter(Boolean);
        expect(won).toHaveLength(1);
        expect(won[0]!.epoch).toBe(2);
        expect((await a.get(ID(i)))!.leaseOwner).toBe(won[0]!.owner);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: cancel ends the claim and frees the cluster; the holder can no longer write',
    async databaseId => {
      const { a, b } = await setup(databaseId);
      const token = await a.insert(record(ID(1)), lease('a'));
      const cancelled = await b.cancel(ID(1), {
        cancelledBy: 'user:default/bob',
        note: 'stop',
      });
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        cancelledBy: 'user:default/bob',
        note: 'stop',
        leaseEpoch: 2,
      });
      expect(cancelled!.leaseOwner).toBeUndefined();
      expect(cancelled!.finishedAt).toBeDefined();
      expect(await a.getActive(cluster)).toBeUndefined();
      expect(await a.update(ID(1), { step: 'registered' }, token)).toBe(false);
      expect(await a.finish(ID(1), { status: 'completed' }, token)).toBe(false);
      expect((await a.get(ID(1)))!.status).toBe('cancelled');
      // Cancelled once: a second cancel finds nothing to cancel.
      expect(await b.cancel(ID(1), { cancelledBy: 'x' })).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: rollback rules — the latest change skips rollouts that did not change the cluster; a rollback marks its original only with ECS’s acceptance, and unmarks it when it does not complete',
    async databaseId => {
      const { a, advance } = await setup(databaseId);
      const t1 = await a.insert(record(ID(1)), lease('a'));
      await a.update(ID(1), { step: 'deployed', changedCluster: true }, t1);
      await a.finish(ID(1), { status: 'completed' }, t1);
      advance(1000);
      // A later rollout that failed before ECS accepted anything.
      const t2 = await a.insert(
        record(ID(2), { createdAt: new Date(Date.now() + 1000).toISOString() }),
        lease('a'),
      );
      await a.finish(ID(2), { status: 'failed' }, t2);
      expect((await a.latestChange(cluster))!.id).toBe(ID(1));

      const t3 = await a.insert(
        record(ID(3), {
          kind: 'rollback',
          rollbackOf: ID(1),
          createdAt: new Date(Date.now() + 2000).toISOString(),
        }),
        lease('a'),
      );
      expect((await a.get(ID(1)))!.rolledBackBy).toBeUndefined();
      // ECS accepted its UpdateService: one transaction marks both.
      expect(
        await a.update(ID(3), { step: 'deployed', changedCluster: true }, t3, {
          markRolledBack: ID(1),
        }),
      ).toBe(true);
      expect((await a.get(ID(1)))!.rolledBackBy).toBe(ID(3));
      await a.finish(ID(3), { status: 'failed', changedCluster: false }, t3);
      expect((await a.get(ID(1)))!.rolledBackBy).toBeUndefined();
      expect((await a.latestChange(cluster))!.id).toBe(ID(1));
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: stores the pending write, the deadline, and clears a field with null',
    async databaseId => {
      const { a } = await setup(databaseId);
      const token = await a.insert(
        record(ID(1), { deadlineAt: '2026-01-01T00:30:00.000Z' }),
        lease('a'),
      );
      await a.update(
        ID(1),
        {
          pendingWrite: {
            operation: 'UpdateService',
            primaryBefore: 'ecs-svc/1',
            at: 'now',
          },
          note: 'waiting',
        },
        token,
      );
      expect(await a.get(ID(1))).toMatchObject({
        deadlineAt: '2026-01-01T00:30:00.000Z',
        pendingWrite: {
          operation: 'UpdateService',
          primaryBefore: 'ecs-svc/1',
        },
        note: 'waiting',
        changedCluster: false,
      });
      await a.update(ID(1), { pendingWrite: null, note: null }, token);
      const cleared = (await a.get(ID(1)))!;
      expect(cleared.pendingWrite).toBeUndefined();
      expect(cleared.note).toBeUndefined();
    },
  );
});
