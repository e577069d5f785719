import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@ecs-agent-coverage/backstage-plugin-datadog-ecs-backend',
  'migrations',
);

/** The PostgreSQL advisory lock the replicas of this plugin migrate under ("ddecs" in ASCII). */
const MIGRATION_LOCK = 0x6464656373;

const isPostgres = (knex: Knex) =>
  ['pg', 'postgres', 'postgresql'].includes(String(knex.client.config?.client));

/**
 * Applies the plugin's migrations (unless the database service says to skip them), one replica at
 * a time, then runs `whileLocked`. Several replicas starting at once on a new PostgreSQL database
 * must not migrate together: knex's first migration creates its lock table and inserts its one row
 * with no lock of its own, so two replicas can insert two rows — after which every migration fails
 * "Migration table is already locked", for good. So the replicas of this plugin migrate under a
 * PostgreSQL advisory lock (held by a transaction: released if the replica dies), and `whileLocked`
 * (the scheduler's first task, whose own tables are migrated on first use, the same way) runs under
 * it too. Tried again (a few times, backing off) when it fails anyway. Returns the plugin's client.
 */
export async function migratePluginDatabase(
  database: DatabaseService,
  logger: LoggerService,
  options: {
    attempts?: number;
    delayMs?: number;
    whileLocked?: () => Promise<void>;
  } = {},
): Promise<Knex> {
  const knex = await database.getClient();
  const work = async () => {
    if (!database.migrations?.skip) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    await options.whileLocked?.();
  };
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      if (isPostgres(knex)) {
        await knex.transaction(async trx => {
          await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
          await work();
        });
      } else {
        await work();
      }
      return knex;
    } catch (error) {
      if (attempt >= attempts) throw error;
      logger.warn(
        `Migrating the datadog-ecs database failed (attempt ${attempt} of ${attempts}; another replica migrating it?): ${error}`,
      );
      await new Promise(r => setTimeout(r, (options.delayMs ?? 500) * attempt));
    }
  }
}
