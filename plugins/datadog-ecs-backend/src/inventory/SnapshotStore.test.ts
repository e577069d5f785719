import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { REDACTED } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import knexFactory, { Knex } from 'knex';
import { appService, storedCluster } from './__fixtures__/stored';
import { SnapshotStore, StoredCluster } from './SnapshotStore';

/*
 * SQLite always; PostgreSQL 17/16/15 when BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING
 * points at a server (scripts/test-postgres.sh starts one). Docker is never used: without it,
 * TestDatabases would try to start containers whenever CI is set.
 */
const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_17', 'POSTGRES_16', 'POSTGRES_15'],
  disableDocker: true,
});

jest.setTimeout(60_000);

/*
 * SQLite through the plugin's own driver (knex + better-sqlite3 13, as in production) rather than
 * TestDatabases' SQLite engine: that one loads backend-test-utils' nested better-sqlite3 12, whose
 * statements, garbage-collected after this file's test environment is gone, abort the Jest worker
 * that runs the next test file ("Assertion failed: (env) != nullptr" in Statement::~Statement).
 * PostgreSQL comes from TestDatabases.
 */
const sqliteInstances: Knex[] = [];
afterAll(async () => {
  await Promise.all(sqliteInstances.map(k => k.destroy()));
});

async function initDatabase(databaseId: TestDatabaseId): Promise<Knex> {
  if (databaseId !== 'SQLITE_3') return databases.init(databaseId);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  sqliteInstances.push(knex);
  return knex;
}

const US = { accountId: '111111111111', region: 'us-east-1' };
const EU = { accountId: '111111111111', region: 'eu-west-1' };
const AT = '2026-01-15T10:00:00.000Z';
const LATER = '2026-01-15T10:05:00.000Z';

async function createStore(databaseId: TestDatabaseId) {
  const knex = await initDatabase(databaseId);
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex }),
  });
  return { knex, store };
}

const LATEST = '2026-01-15T10:10:00.000Z';

/**
 * The statements that write cluster rows while `fn` runs, whatever the database: `insert`,
 * `update` or `delete`, each with those of `clusters` (names) among its bindings.
 */
async function clusterWrites(
  knex: Knex,
  fn: () => Promise<unknown>,
  clusters: string[] = [],
): Promise<string[]> {
  const writes: string[] = [];
  const listener = (query: { sql: string; bindings?: unknown[] }) => {
    const match =
      /^\s*(insert into|update|delete from)\s+[`"]?datadog_ecs_clusters[`"]?/i.exec(
        query.sql,
      );
    if (!match) return;
    const named = clusters.filter(c => query.bindings?.includes(c));
    writes.push([match[1].split(' ')[0].toLowerCase(), ...named].join(' '));
  };
  knex.on('query', listener);
  try {
    await fn();
  } finally {
    knex.removeListener('query', listener);
  }
  return writes;
}

const names = async (store: SnapshotStore) =>
  (await store.listClusters()).map(
    c => `${c.accountId}/${c.region}/${c.clusterName}`,
  );

describe('SnapshotStore', () => {
  it.each(databases.eachSupportedId())(
    '%p: writes and reads a location’s clusters',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.writeLocation({
        ...US,
        name: 'production',
        refreshedAt: AT,
        clusters: [
          storedCluster({
            ...US,
            clusterName: 'prod-web',
            instances: 4,
            covered: 4,
            refreshedAt: AT,
          }),
          storedCluster({
            ...US,
            clusterName: 'prod-batch',
            instanceStates: [
              { id: 'a', state: 'covered' },
              { id: 'b', state: 'missing' },
            ],
            refreshedAt: AT,
          }),
        ],
      });

      expect(await names(store)).toEqual([
        '111111111111/us-east-1/prod-batch',
        '111111111111/us-east-1/prod-web',
      ]);
      const [batch] = await store.listClusters();
      expect(batch).toMatchObject({
        state: 'missing',
        counts: { instances: 2, covered: 1 },
        coveragePercent: 50,
      });
      // The summary has no per-instance details.
      expect(batch).not.toHaveProperty('instances');
      expect(batch).not.toHaveProperty('findings');

      const details = await store.getCluster({
        ...US,
        clusterName: 'prod-batch',
      });
      expect(details?.instances.map(i => [i.instanceId, i.state])).toEqual([
        ['i-a', 'covered'],
        ['i-b', 'missing'],
      ]);
      expect(
        await store.getCluster({ ...US, clusterName: 'nope' }),
      ).toBeUndefined();
      expect(
        await store.getCluster({ ...EU, clusterName: 'prod-web' }),
      ).toBeUndefined();

      expect(await store.listLocations()).toEqual([
        {
          ...US,
          name: 'production',
          clusterCount: 2,
          refreshedAt: AT,
          error: undefined,
        },
      ]);
      const withServices = await store.listClustersWithServices();
      expect(withServices.map(c => c.summary.clusterName).sort()).toEqual([
        'prod-batch',
        'prod-web',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: a second write replaces the location’s clusters; other locations are untouched',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [
          storedCluster({ ...US, clusterName: 'a', instances: 2, covered: 1 }),
          storedCluster({
            ...US,
            clusterName: 'gone',
            instances: 1,
            covered: 1,
          }),
        ],
      });
      await store.writeLocation({
        ...EU,
        refreshedAt: AT,
        clusters: [
          storedCluster({ ...EU, clusterName: 'eu', instances: 1, covered: 0 }),
        ],
      });
      await store.writeLocation({
        ...US,
        refreshedAt: LATER,
        clusters: [
          storedCluster({
            ...US,
            clusterName: 'a',
            instances: 2,
            covered: 2,
            refreshedAt: LATER,
          }),
          storedCluster({
            ...US,
            clusterName: 'new',
            instances: 3,
            covered: 3,
            refreshedAt: LATER,
          }),
        ],
      });
      expect(await names(store)).toEqual([
        '111111111111/eu-west-1/eu',
        '111111111111/us-east-1/a',
        '111111111111/us-east-1/new',
      ]);
      expect(
        (await store.getCluster({ ...US, clusterName: 'a' }))?.counts.covered,
      ).toBe(2);
      expect(
        await store.getCluster({ ...US, clusterName: 'gone' }),
      ).toBeUndefined();
      const locations = await store.listLocations();
      expect(
        locations.map(l => [l.region, l.clusterCount, l.refreshedAt]),
      ).toEqual([
        ['eu-west-1', 1, AT],
        ['us-east-1', 2, LATER],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: a write that fails half-way leaves the previous clusters in place',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [
          storedCluster({
            ...US,
            clusterName: 'keep',
            instances: 1,
            covered: 1,
          }),
        ],
      });
      // The same cluster twice violates the primary key on the second insert.
      const outcome = await store
        .writeLocation({
          ...US,
          refreshedAt: LATER,
          clusters: [
            storedCluster({
              ...US,
              clusterName: 'dup',
              instances: 1,
              covered: 0,
            }),
            storedCluster({
              ...US,
              clusterName: 'dup',
              instances: 1,
              covered: 0,
            }),
          ],
        })
        .then(
          () => 'resolved',
          (error: unknown) => String((error as Error)?.message ?? error),
        );
      expect(outcome).toMatch(/unique|duplicate/i);
      expect(await names(store)).toEqual(['111111111111/us-east-1/keep']);
      expect((await store.listLocations())[0]).toMatchObject({
        refreshedAt: AT,
        clusterCount: 1,
      });
      expect(await store.getHistory({ ...US, clusterName: 'dup' })).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: a failed location keeps its previous clusters and records its error',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.writeLocation({
        ...US,
        name: 'production',
        refreshedAt: AT,
        clusters: [
          storedCluster({ ...US, clusterName: 'a', instances: 1, covered: 1 }),
          storedCluster({ ...US, clusterName: 'b', instances: 1, covered: 0 }),
        ],
      });
      const error = {
        kind: 'credentials' as const,
        name: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
        at: LATER,
      };
      await store.writeLocation({
        ...US,
        name: 'production',
        refreshedAt: LATER,
        error,
      });
      expect(await names(store)).toEqual([
        '111111111111/us-east-1/a',
        '111111111111/us-east-1/b',
      ]);
      expect(await store.listLocations()).toEqual([
        {
          ...US,
          name: 'production',
          clusterCount: 2,
          refreshedAt: LATER,
          error,
        },
      ]);
      // No history point for a failed pass.
      expect(await store.getHistory({ ...US, clusterName: 'a' })).toHaveLength(
        1,
      );

      // A first-ever pass that fails: no clusters, the error.
      await store.writeLocation({ ...EU, refreshedAt: LATER, error });
      expect(
        (await store.listLocations()).find(l => l.region === 'eu-west-1'),
      ).toEqual({
        ...EU,
        name: undefined,
        clusterCount: 0,
        refreshedAt: LATER,
        error,
      });

      // The next good pass clears the error.
      await store.writeLocation({
        ...US,
        name: 'production',
        refreshedAt: LATER,
        clusters: [],
      });
      expect(
        (await store.listLocations()).find(l => l.region === 'us-east-1'),
      ).toMatchObject({
        clusterCount: 0,
        error: undefined,
      });
      expect(await names(store)).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: writeCluster replaces one cluster only',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [
          storedCluster({ ...US, clusterName: 'a', instances: 2, covered: 0 }),
          storedCluster({
            ...US,
            clusterName: 'b',
            instances: 2,
            covered: 1,
            services: [appService('api', ['arn:ci/1'])],
          }),
        ],
      });
      expect(
        (await store.getClusterServices({ ...US, clusterName: 'b' })).map(
          s => s.serviceName,
        ),
      ).toEqual(['api']);
      expect(
        await store.getClusterServices({ ...US, clusterName: 'nope' }),
      ).toEqual([]);
      await store.writeLocation({
        ...EU,
        refreshedAt: AT,
        clusters: [
          storedCluster({ ...EU, clusterName: 'a', instances: 5, covered: 5 }),
        ],
      });
      await store.writeCluster(
        storedCluster({
          ...US,
          clusterName: 'a',
          instances: 2,
          covered: 2,
          refreshedAt: LATER,
        }),
      );

      const summaries = await store.listClusters();
      expect(
        summaries.map(c => [
          c.region,
          c.clusterName,
          c.counts.covered,
          c.refreshedAt,
        ]),
      ).toEqual([
        ['eu-west-1', 'a', 5, AT],
        ['us-east-1', 'a', 2, LATER],
        ['us-east-1', 'b', 1, AT],
      ]);
      expect(
        (await store.getHistory({ ...US, clusterName: 'a' })).map(
          p => p.covered,
        ),
      ).toEqual([0, 2]);
      expect(await store.getHistory({ ...US, clusterName: 'b' })).toHaveLength(
        1,
      );
      expect(await store.getHistory({ ...EU, clusterName: 'a' })).toHaveLength(
        1,
      );

      // A cluster that failed keeps no history point.
      await store.writeCluster(
        storedCluster({
          ...US,
          clusterName: 'b',
          instances: 2,
          covered: 1,
          refreshedAt: LATER,
          error: { kind: 'access-denied', message: 'denied', at: LATER },
        }),
      );
      expect(
        (await store.getCluster({ ...US, clusterName: 'b' }))?.error?.kind,
      ).toBe('access-denied');
      expect(await store.getHistory({ ...US, clusterName: 'b' })).toHaveLength(
        1,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: appends history on every pass and prunes it by age',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const days = ['2025-12-01', '2026-01-01', '2026-01-10', '2026-01-15'];
      for (const [i, day] of days.entries()) {
        const refreshedAt = `${day}T10:00:00.000Z`;
        await store.writeLocation({
          ...US,
          refreshedAt,
          clusters: [
            storedCluster({
              ...US,
              clusterName: 'a',
              instances: 3,
              covered: i,
              refreshedAt,
            }),
          ],
        });
      }
      const ref = { ...US, clusterName: 'a' };
      expect(await store.getHistory(ref)).toEqual([
        {
          at: '2025-12-01T10:00:00.000Z',
          instances: 3,
          covered: 0,
          coveragePercent: 0,
        },
        {
          at: '2026-01-01T10:00:00.000Z',
          instances: 3,
          covered: 1,
          coveragePercent: 33,
        },
        {
          at: '2026-01-10T10:00:00.000Z',
          instances: 3,
          covered: 2,
          coveragePercent: 66,
        },
        {
          at: '2026-01-15T10:00:00.000Z',
          instances: 3,
          covered: 3,
          coveragePercent: 100,
        },
      ]);
      // The latest points, oldest first.
      expect((await store.getHistory(ref, 2)).map(p => p.covered)).toEqual([
        2, 3,
      ]);

      const pruned = await store.pruneHistory(new Date('2026-01-05T00:00:00Z'));
      expect(pruned).toBe(2);
      expect((await store.getHistory(ref)).map(p => p.at)).toEqual([
        '2026-01-10T10:00:00.000Z',
        '2026-01-15T10:00:00.000Z',
      ]);
      expect(await store.pruneHistory(new Date('2026-01-05T00:00:00Z'))).toBe(
        0,
      );
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: retainLocations forgets the locations no longer configured',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const other = { accountId: '222222222222', region: 'us-east-1' };
      for (const location of [US, EU, other]) {
        await store.writeLocation({
          ...location,
          refreshedAt: AT,
          clusters: [
            storedCluster({
              ...location,
              clusterName: 'c',
              instances: 1,
              covered: 1,
            }),
          ],
        });
      }
      await store.retainLocations([
        US,
        { accountId: '222222222222', region: 'eu-west-1' },
      ]);
      expect(await names(store)).toEqual(['111111111111/us-east-1/c']);
      expect(
        (await store.listLocations()).map(l => `${l.accountId}/${l.region}`),
      ).toEqual(['111111111111/us-east-1']);
      await store.retainLocations([]);
      expect(await store.listLocations()).toEqual([]);
      expect(await store.listClusters()).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: refresh status',
    async databaseId => {
      const { store } = await createStore(databaseId);
      expect(await store.getRefreshStatus()).toEqual({
        running: false,
        startedAt: undefined,
        finishedAt: undefined,
        requestedAt: undefined,
        progress: undefined,
      });
      await store.updateRefreshStatus({
        running: true,
        startedAt: AT,
        progress: { done: 0, total: 5 },
      });
      expect(await store.getRefreshStatus()).toEqual({
        running: true,
        startedAt: AT,
        finishedAt: undefined,
        requestedAt: undefined,
        progress: { done: 0, total: 5 },
      });
      await store.updateRefreshStatus({ progress: { done: 3, total: 5 } });
      expect((await store.getRefreshStatus()).progress).toEqual({
        done: 3,
        total: 5,
      });
      await store.updateRefreshStatus({ running: false, finishedAt: LATER });
      expect(await store.getRefreshStatus()).toEqual({
        running: false,
        startedAt: AT,
        finishedAt: LATER,
        requestedAt: undefined,
        progress: { done: 3, total: 5 },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: claimRefreshRequest lets exactly one of two concurrent claims win, then waits the interval',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      // A second store on the same database, like a second backend replica.
      const replica = await SnapshotStore.create({
        database: mockServices.database({ knex }),
        skipMigrations: true,
      });
      const now = new Date(AT);
      const claims = await Promise.all([
        store.claimRefreshRequest(now, 30_000),
        replica.claimRefreshRequest(now, 30_000),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await store.getRefreshStatus()).requestedAt).toBe(AT);

      expect(
        await store.claimRefreshRequest(
          new Date(now.getTime() + 29_999),
          30_000,
        ),
      ).toBe(false);
      expect((await store.getRefreshStatus()).requestedAt).toBe(AT);
      const later = new Date(now.getTime() + 30_000);
      expect(await replica.claimRefreshRequest(later, 30_000)).toBe(true);
      expect((await store.getRefreshStatus()).requestedAt).toBe(
        later.toISOString(),
      );

      // Many at once: still one winner.
      const next = new Date(later.getTime() + 60_000);
      const many = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? store : replica).claimRefreshRequest(next, 30_000),
        ),
      );
      expect(many.filter(Boolean)).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: a refresh where nothing changed writes no cluster row; readers see its refresh time',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const clusters = (refreshedAt: string) => [
        storedCluster({
          ...US,
          clusterName: 'web',
          instances: 2,
          covered: 2,
          refreshedAt,
          services: [appService('api', ['arn:ci/1'])],
        }),
        storedCluster({
          ...US,
          clusterName: 'batch',
          instances: 2,
          covered: 1,
          refreshedAt,
        }),
      ];
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: clusters(AT),
      });

      expect(
        await clusterWrites(knex, () =>
          store.writeLocation({
            ...US,
            refreshedAt: LATER,
            clusters: clusters(LATER),
          }),
        ),
      ).toEqual([]);
      expect(
        (await store.listClusters()).map(c => [c.clusterName, c.refreshedAt]),
      ).toEqual([
        ['batch', LATER],
        ['web', LATER],
      ]);
      expect(
        (await store.getCluster({ ...US, clusterName: 'web' }))?.refreshedAt,
      ).toBe(LATER);
      expect(
        (await store.listClustersWithServices()).map(c => [
          c.summary.clusterName,
          c.summary.refreshedAt,
          c.services.map(s => s.serviceName),
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['web', LATER, ['api']],
          ['batch', LATER, []],
        ]),
      );
      expect((await store.listLocations())[0].refreshedAt).toBe(LATER);
      // What records the refresh itself: a coverage point per cluster.
      expect(
        (await store.getHistory({ ...US, clusterName: 'web' })).map(p => p.at),
      ).toEqual([AT, LATER]);

      // The same with the rows the refresher prepares as each view is built.
      expect(
        await clusterWrites(knex, () =>
          store.writeLocation({
            ...US,
            refreshedAt: LATEST,
            clusters: clusters(LATEST).map(c => store.prepareCluster(c)),
          }),
        ),
      ).toEqual([]);
      expect((await store.listClusters()).map(c => c.refreshedAt)).toEqual([
        LATEST,
        LATEST,
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: a changed cluster is rewritten, a new one inserted, a removed one deleted, the others left alone',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const cluster = (
        clusterName: string,
        covered: number,
        refreshedAt: string,
      ) =>
        storedCluster({
          ...US,
          clusterName,
          instances: 3,
          covered,
          refreshedAt,
        });
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [
          cluster('same', 3, AT),
          cluster('changed', 3, AT),
          cluster('removed', 3, AT),
        ],
      });
      await store.writeLocation({
        ...EU,
        refreshedAt: AT,
        clusters: [
          storedCluster({ ...EU, clusterName: 'eu', instances: 1, covered: 1 }),
        ],
      });

      const writes = await clusterWrites(
        knex,
        () =>
          store.writeLocation({
            ...US,
            refreshedAt: LATER,
            clusters: [
              cluster('same', 3, LATER),
              cluster('changed', 1, LATER),
              cluster('added', 2, LATER),
            ],
          }),
        ['same', 'changed', 'added', 'removed'],
      );
      expect(writes).toEqual([
        'update changed',
        'insert added',
        'delete removed',
      ]);
      expect(
        (await store.listClusters()).map(c => [
          c.region,
          c.clusterName,
          c.counts.covered,
          c.refreshedAt,
        ]),
      ).toEqual([
        ['eu-west-1', 'eu', 1, AT],
        ['us-east-1', 'added', 2, LATER],
        ['us-east-1', 'changed', 1, LATER],
        ['us-east-1', 'same', 3, LATER],
      ]);
      expect(
        (await store.getCluster({ ...US, clusterName: 'changed' }))?.counts,
      ).toMatchObject({ covered: 1, missing: 2 });
      expect(
        await store.getCluster({ ...US, clusterName: 'removed' }),
      ).toBeUndefined();
      expect((await store.listLocations()).map(l => l.clusterCount)).toEqual([
        1, 3,
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: a failed cluster keeps the time of its last good view; a cluster refreshed alone, its own',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const ok = (clusterName: string, refreshedAt: string) =>
        storedCluster({
          ...US,
          clusterName,
          instances: 2,
          covered: 2,
          refreshedAt,
        });
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [ok('a', AT), ok('b', AT)],
      });

      // b's pass fails: its last view with the error (what the refresher writes), seen at AT.
      const error = {
        kind: 'access-denied' as const,
        message: 'denied',
        at: LATER,
      };
      const failed: StoredCluster = {
        ...ok('b', AT),
        details: { ...ok('b', AT).details, error },
      };
      await store.writeLocation({
        ...US,
        refreshedAt: LATER,
        clusters: [ok('a', LATER), failed],
      });
      expect(
        (await store.listClusters()).map(c => [
          c.clusterName,
          c.refreshedAt,
          c.error?.kind,
        ]),
      ).toEqual([
        ['a', LATER, undefined],
        ['b', AT, 'access-denied'],
      ]);
      expect(
        (await store.getHistory({ ...US, clusterName: 'b' })).map(p => p.at),
      ).toEqual([AT]);

      // b refreshed alone after a rollout, its content as before the failure: a new row…
      await store.writeCluster(ok('b', LATER));
      expect(
        (await store.getCluster({ ...US, clusterName: 'b' }))?.refreshedAt,
      ).toBe(LATER);
      // … and again, unchanged: only its time is written.
      expect(
        await clusterWrites(knex, () => store.writeCluster(ok('b', LATEST)), [
          'a',
          'b',
        ]),
      ).toEqual(['update b']);
      expect(
        (await store.listClusters()).map(c => [
          c.clusterName,
          c.refreshedAt,
          c.error,
        ]),
      ).toEqual([
        ['a', LATER, undefined],
        ['b', LATEST, undefined],
      ]);
      expect(
        (await store.getHistory({ ...US, clusterName: 'b' })).map(p => p.at),
      ).toEqual([AT, LATER, LATEST]);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: stores rows redacted, and a secret that changes behind the mask rewrites nothing',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const KEY = 'abcdef0123456789abcdef0123456789';
      const withKey = (key: string, refreshedAt: string): StoredCluster => {
        const c = storedCluster({
          ...US,
          clusterName: 'web',
          instances: 1,
          covered: 1,
          refreshedAt,
        });
        return {
          ...c,
          details: {
            ...c.details,
            taskDefinitions: [
              {
                family: 'datadog-agent-task',
                containerDefinitions: [
                  {
                    name: 'datadog-agent',
                    environment: [{ name: 'DD_API_KEY', value: key }],
                  },
                ],
              },
            ],
          },
        };
      };
      await store.writeLocation({
        ...US,
        refreshedAt: AT,
        clusters: [withKey(KEY, AT)],
      });
      const row = await knex('datadog_ecs_clusters').first(
        'summary',
        'details',
        'services',
      );
      expect(JSON.stringify(row)).not.toContain(KEY);
      expect(
        (await store.getCluster({ ...US, clusterName: 'web' }))
          ?.taskDefinitions[0].containerDefinitions?.[0].environment,
      ).toEqual([{ name: 'DD_API_KEY', value: REDACTED }]);

      const other = '0123456789abcdef0123456789abcdef';
      expect(
        await clusterWrites(knex, () =>
          store.writeLocation({
            ...US,
            refreshedAt: LATER,
            clusters: [withKey(other, LATER)],
          }),
        ),
      ).toEqual([]);
      expect(
        JSON.stringify(await knex('datadog_ecs_clusters').select()),
      ).not.toContain(other);
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: two replicas writing one location at once: one write after the other, never a mix',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const replica = await SnapshotStore.create({
        database: mockServices.database({ knex }),
        skipMigrations: true,
      });
      const cluster = (
        clusterName: string,
        covered: number,
        refreshedAt: string,
      ) =>
        storedCluster({
          ...US,
          clusterName,
          instances: 2,
          covered,
          refreshedAt,
        });
      const writeX = (at: string) =>
        store.writeLocation({
          ...US,
          refreshedAt: at,
          clusters: [cluster('a', 2, at), cluster('b', 2, at)],
        });
      const writeY = (at: string) =>
        replica.writeLocation({
          ...US,
          refreshedAt: at,
          clusters: [cluster('b', 1, at), cluster('c', 0, at)],
        });

      // The location's first write, twice at once (both insert its row), then over a snapshot.
      for (const [x, y] of [
        [AT, LATER],
        [LATEST, LATER],
      ]) {
        await Promise.all([writeX(x), writeY(y)]);
        const [location] = await store.listLocations();
        const last = location.refreshedAt === x ? 'x' : 'y';
        expect([x, y]).toContain(location.refreshedAt);
        expect(
          (await store.listClusters()).map(c => [
            c.clusterName,
            c.counts.covered,
            c.refreshedAt,
          ]),
        ).toEqual(
          last === 'x'
            ? [
                ['a', 2, x],
                ['b', 2, x],
              ]
            : [
                ['b', 1, y],
                ['c', 0, y],
              ],
        );
        expect(location.clusterCount).toBe(2);
      }
    },
  );

  it.each(databases.eachSupportedId())(
    '%p: migrations can run twice',
    async databaseId => {
      const { knex } = await createStore(databaseId);
      const again = await SnapshotStore.create({
        database: mockServices.database({ knex }),
      });
      expect(await again.listClusters()).toEqual([]);
      expect((await again.getRefreshStatus()).running).toBe(false);
    },
  );
});
