import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import path from 'node:path';
import {
  databases,
  initDatabase,
  secondConnection,
} from './__testUtils__/databases';
import { storedCluster } from './inventory/__fixtures__/stored';
import { SnapshotStore } from './inventory/SnapshotStore';
import { SnapshotReads } from './snapshotReads';

/*
 * The stored snapshot's version after every migration: the database adds to a location's version
 * with each write of its clusters or location row, whoever writes, visible to another replica's
 * connections once (and only once) the write commits; and writes of one location from two replicas
 * at once still succeed. SQLite always; PostgreSQL when BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_
 * CONNECTION_STRING points at a server (scripts/test-postgres.sh starts one).
 */

jest.setTimeout(60_000);

const POSTGRES = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES_'));

const US = { accountId: '111111111111', region: 'us-east-1' };
const EU = { accountId: '111111111111', region: 'eu-west-1' };
const AT = '2026-01-15T10:00:00.000Z';
const LATER = '2026-01-15T10:05:00.000Z';

const cluster = (clusterName: string, covered: number, at = AT) =>
  storedCluster({ ...US, clusterName, instances: 2, covered, refreshedAt: at });

async function setup(databaseId: TestDatabaseId) {
  const knex = await initDatabase(databaseId);
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex }),
  });
  return { knex, store, reads: new SnapshotReads(knex, store) };
}

describe('SnapshotReads', () => {
  it.each(databases.eachSupportedId())(
    '%p: requests at once share one query of every location’s version; one asked after a write sees the write',
    async databaseId => {
      const { knex, store, reads } = await setup(databaseId);
      let queries = 0;
      knex.on('query', (q: { sql: string }) => {
        if (q.sql.includes('datadog_ecs_snapshot_versions')) queries += 1;
      });
      const at = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 ? reads.version() : reads.locationVersion(US),
        ),
      );
      // One query read every location's version for all of them, asked in one turn.
      expect(queries).toBe(1);
      expect(new Set(at.filter((_, i) => i % 2)).size).toBe(1);
      const before = await reads.version();
      const underWay = reads.version(); // may or may not see the write: it is no one's answer
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [cluster('a', 2)],
      });
      const after = await reads.version();
      expect(after).not.toBe(before);
      await underWay;
      // A location never written is at version 0.
      expect(
        await reads.locationVersion({
          accountId: '999999999999',
          region: 'xx-east-9',
        }),
      ).toBe('999999999999/xx-east-9:0');
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: the version changes with every write of a location, and only that location’s',
    async databaseId => {
      const { store, reads } = await setup(databaseId);
      const seen = [await reads.version()];
      const us = [await reads.locationVersion(US)];
      const eu = await reads.locationVersion(EU);
      const expectNew = async () => {
        const version = await reads.version();
        expect(seen).not.toContain(version);
        seen.push(version);
        const location = await reads.locationVersion(US);
        expect(us).not.toContain(location);
        us.push(location);
      };

      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [cluster('a', 2), cluster('b', 1)],
      });
      await expectNew();
      expect(await reads.version()).toBe(seen[seen.length - 1]);
      // Read again, nothing written: the same version.
      expect(await reads.locationVersion(US)).toBe(us[us.length - 1]);
      // A refresh of the location (even with the same clusters), a cluster after a rollout, the
      // location's agent family, the location forgotten.
      await store.writeLocation({
        ...US,
        refreshedAt: LATER,
        clusters: [cluster('a', 2, LATER), cluster('b', 1, LATER)],
      });
      await expectNew();
      await store.writeCluster(cluster('b', 2, LATER));
      await expectNew();
      await store.writeAgentFamily(US, {
        family: 'datadog-agent-task',
        readAt: LATER,
      });
      await expectNew();
      await store.writeLocation({
        ...US,
        refreshedAt: LATER,
        error: { code: 'AccessDenied', message: 'no' } as any,
      });
      await expectNew();
      await store.retainLocations([EU]);
      await expectNew();
      expect(await store.listClusters()).toEqual([]);
      // The other location's version did not move.
      expect(await reads.locationVersion(EU)).toBe(eu);

      // The refresh status (running, progress, requested): the whole version, no location's.
      const location = await reads.locationVersion(US);
      for (const write of [
        () => store.updateRefreshStatus({ running: true, startedAt: LATER }),
        () => store.updateRefreshStatus({ progress: { done: 1, total: 2 } }),
        () => store.claimRefreshRequest(new Date(LATER), 1000),
      ]) {
        await write();
        const version = await reads.version();
        expect(seen).not.toContain(version);
        seen.push(version);
      }
      expect(await reads.locationVersion(US)).toBe(location);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: another replica sees the new version once the write committed',
    async databaseId => {
      const { knex, store, reads } = await setup(databaseId);
      const otherReads = new SnapshotReads(
        secondConnection(knex, databaseId),
        store,
      );
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [cluster('a', 2)],
      });
      const before = await otherReads.version();
      expect(before).toBe(await reads.version());
      await knex('datadog_ecs_clusters')
        .where({ cluster_name: 'a' })
        .update({ state: 'missing' });
      const after = await otherReads.version();
      expect(after).not.toBe(before);
      expect(after).toBe(await reads.version());
    },
  );

  // SQLite in memory has one connection: nothing reads while a transaction holds it. Defined only
  // with a PostgreSQL server (the test command runs this file again on one), so that a run without
  // one reports no skipped test.
  if (POSTGRES.length) {
    describe.each(POSTGRES)('%p', databaseId => {
      it('another replica sees no new version while the write is not committed', async () => {
        const { knex, store } = await setup(databaseId as TestDatabaseId);
        const otherReads = new SnapshotReads(
          secondConnection(knex, databaseId as TestDatabaseId),
          store,
        );
        await store.writeLocation({
          ...US,
          refreshedAt: AT,
          clusters: [cluster('a', 2)],
        });
        const before = await otherReads.version();
        let commit!: () => void;
        const committed = new Promise<void>(resolve => {
          commit = resolve;
        });
        let written!: () => void;
        const wrote = new Promise<void>(resolve => {
          written = resolve;
        });
        const tx = knex.transaction(async (trx: Knex.Transaction) => {
          await trx('datadog_ecs_clusters')
            .where({ cluster_name: 'a' })
            .update({ state: 'missing' });
          written();
          await committed;
        });
        await wrote;
        expect(await otherReads.version()).toBe(before);
        commit();
        await tx;
        expect(await otherReads.version()).not.toBe(before);
      });
    });
  }

  it.each(databases.eachSupportedId())(
    '%p: two replicas writing the same location at once both succeed',
    async databaseId => {
      const { knex, store } = await setup(databaseId);
      const otherStore = new SnapshotStore(secondConnection(knex, databaseId));
      const reads = new SnapshotReads(knex, store);
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [cluster('a', 2), cluster('b', 2)],
      });
      const before = await reads.locationVersion(US);
      for (let i = 0; i < 5; i++) {
        const at = new Date(Date.parse(LATER) + i * 1000).toISOString();
        // One replica's refresh of the location while the other records a rollout's cluster.
        await Promise.all([
          store.writeLocation({
            ...US,
            refreshedAt: at,
            clusters: [cluster('a', i % 2, at), cluster('b', 2, at)],
          }),
          otherStore.writeCluster(cluster('b', i % 2, at)),
          otherStore.writeCluster(cluster('a', 1, at)),
        ]);
      }
      expect(await reads.locationVersion(US)).not.toBe(before);
      expect(
        (await store.listClusters()).map(c => c.clusterName).sort(),
      ).toEqual(['a', 'b']);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: reads the clusters with their services once per version',
    async databaseId => {
      const { store, reads } = await setup(databaseId);
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [cluster('a', 2)],
      });
      const spy = jest.spyOn(store, 'listClustersWithServices');
      const version = await reads.version();
      const first = await reads.clustersWithServices(version);
      expect(first).toEqual(await store.listClustersWithServices());
      spy.mockClear();
      expect(await reads.clustersWithServices(version)).toBe(first);
      expect(spy).not.toHaveBeenCalled();
      await store.writeCluster(cluster('a', 1, LATER));
      const next = await reads.clustersWithServices(await reads.version());
      expect(next).not.toBe(first);
      expect(next[0].summary.counts.covered).toBe(1);
      expect(spy).toHaveBeenCalledTimes(1);
    },
  );

  it('keeps no trigger behind when its migration is rolled back (SQLite)', async () => {
    const { knex, store } = await setup('SQLITE_3');
    const directory = path.resolve(__dirname, '../migrations');
    await knex.migrate.down({
      directory,
      name: '20261231000100_snapshot_versions.js',
    });
    const triggers = await knex('sqlite_master')
      .where({ type: 'trigger' })
      .select('name');
    expect(
      triggers.filter(t => String(t.name).endsWith('_version_insert')),
    ).toEqual([]);
    // Writes still work without it, and the migration applies again.
    await store.writeLocation({
      ...US,
      refreshedAt: AT,
      clusters: [cluster('a', 2)],
    });
    await knex.migrate.latest({ directory });
    await store.writeCluster(cluster('a', 1, LATER));
    expect(await new SnapshotReads(knex, store).locationVersion(US)).not.toBe(
      `${US.accountId}/${US.region}:0`,
    );
  });
});
