import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import {
  databases,
  initDatabase,
  secondConnection,
} from './__testUtils__/databases';
import { migratePluginDatabase } from './migrate';

jest.setTimeout(60_000);

describe('migratePluginDatabase', () => {
  let knex: Knex;
  beforeEach(() => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  });
  afterEach(() => knex.destroy());

  /** The database service of a client whose migrations run `latest`. */
  const database = (latest: jest.Mock, skip = false) => {
    const client = {
      migrate: { latest },
      client: { config: { client: 'better-sqlite3' } },
    } as unknown as Knex;
    return {
      service: {
        getClient: async () => client,
        ...(skip ? { migrations: { skip } } : {}),
      },
      client,
    };
  };

  it('tries again when another replica migrates at the same moment', async () => {
    const latest = jest
      .fn()
      .mockRejectedValueOnce(
        new Error(
          'duplicate key value violates unique constraint "pg_type_typname_nsp_index"',
        ),
      )
      .mockImplementation(config => knex.migrate.latest(config));
    const { service, client } = database(latest);
    const logger = mockServices.logger.mock();
    expect(await migratePluginDatabase(service, logger, { delayMs: 1 })).toBe(
      client,
    );
    expect(latest).toHaveBeenCalledTimes(2);
    expect(await knex.schema.hasTable('datadog_ecs_rollouts')).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('attempt 1 of 6; another replica migrating it?'),
    );
  });

  it('gives up after its attempts, and skips when the database service says so', async () => {
    const failing = jest.fn().mockRejectedValue(new Error('no database'));
    await expect(
      migratePluginDatabase(
        database(failing).service,
        mockServices.logger.mock(),
        {
          attempts: 2,
          delayMs: 1,
        },
      ),
    ).rejects.toThrow('no database');
    expect(failing).toHaveBeenCalledTimes(2);
    const skipped = jest.fn();
    await migratePluginDatabase(
      database(skipped, true).service,
      mockServices.logger.mock(),
    );
    expect(skipped).not.toHaveBeenCalled();
  });

  it.each(databases.eachSupportedId())(
    '%p: replicas starting at once on a new database migrate one at a time (one lock row, every migration once)',
    async databaseId => {
      const fresh = await initDatabase(databaseId);
      const other = secondConnection(fresh, databaseId);
      const order: string[] = [];
      const replica = (client: Knex, name: string) =>
        migratePluginDatabase(
          { getClient: async () => client },
          mockServices.logger.mock(),
          {
            whileLocked: async () => {
              order.push(`${name} in`);
              await new Promise(r => setTimeout(r, 50));
              order.push(`${name} out`);
            },
          },
        );
      await Promise.all([
        replica(fresh, 'a'),
        replica(other, 'b'),
        replica(other, 'c'),
      ]);
      // Before: both could insert knex's lock row, and every later migration failed "already locked".
      expect(
        Number((await fresh('knex_migrations_lock').count({ n: '*' }))[0].n),
      ).toBe(1);
      const names = (await fresh('knex_migrations').select('name')).map(
        r => r.name,
      );
      expect(new Set(names).size).toBe(names.length);
      // On PostgreSQL one replica at a time: none enters while another is inside (SQLite in
      // memory has one connection, and no lock to take).
      const serial = [0, 2, 4].every(
        i => order[i].split(' ')[0] === order[i + 1].split(' ')[0],
      );
      expect(serial || databaseId === 'SQLITE_3').toBe(true);
    },
  );
});
