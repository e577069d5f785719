/*
 * The databases store tests run on: SQLite always; PostgreSQL 17/16/15 when
 * BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING points at a server (scripts/test-postgres.sh
 * starts one; the README's test command runs it). Docker is never used: without it, TestDatabases
 * would try to start containers whenever CI is set.
 *
 * SQLite through the plugin's own driver (knex + better-sqlite3 13, as in production) rather than
 * TestDatabases' SQLite engine: that one loads backend-test-utils' nested better-sqlite3 12, whose
 * statements, garbage-collected after a test file's environment is gone, abort the Jest worker that
 * runs the next file. PostgreSQL comes from TestDatabases, one fresh database per `init`.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';

export const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_17', 'POSTGRES_16', 'POSTGRES_15'],
  disableDocker: true,
});

const opened: Knex[] = [];
afterAll(async () => {
  await Promise.all(opened.splice(0).map(k => k.destroy()));
});

/** A fresh, empty database of that kind. */
export async function initDatabase(databaseId: TestDatabaseId): Promise<Knex> {
  if (databaseId !== 'SQLITE_3') return databases.init(databaseId);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  opened.push(knex);
  return knex;
}

/**
 * Another connection pool to the same database, as a second backend replica has: on PostgreSQL its
 * own connections, so that transactions really run concurrently; SQLite in memory has one
 * connection, shared (everything is serialised there).
 */
export function secondConnection(knex: Knex, databaseId: TestDatabaseId): Knex {
  if (databaseId === 'SQLITE_3') return knex;
  const other = knexFactory({
    client: 'pg',
    connection: (knex.client as any).config.connection,
    pool: { min: 0, max: 4 },
  });
  opened.push(other);
  return other;
}

/** The plugin's migrations, applied. */
export async function migrate(knex: Knex): Promise<void> {
  await knex.migrate.latest({
    directory: resolvePackagePath(
      '@ecs-agent-coverage/backstage-plugin-datadog-ecs-backend',
      'migrations',
    ),
  });
}
