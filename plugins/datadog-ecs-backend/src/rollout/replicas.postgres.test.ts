import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import { databases } from '../__testUtils__/databases';
import {
  Emulator,
  LEGACY,
  PAYMENTS,
  sleep,
  writeCalls,
} from '../__testUtils__/integration';
import type { KillPoint, ReplicaOptions } from './__testUtils__/replica';
import { call, killAllReplicas, Replica } from './__testUtils__/replicas';

/*
 * Two backend replicas — two processes — on one PostgreSQL database, against one ECS emulator:
 * simultaneous starts, the replica running a rollout killed with SIGKILL at each point of its ECS
 * writes (the other finishes it, each write made once), and the scheduled refresh once per period
 * across both. Prints the crash matrix (and writes it to $DDECS_CRASH_MATRIX_FILE when set).
 *
 * Needs a PostgreSQL server: BACKSTAGE_TEST_DATABASE_POSTGRES<NN>_CONNECTION_STRING, as
 * scripts/test-postgres.sh (part of scripts/test.sh) sets it. Without one the tests are skipped.
 */

jest.setTimeout(120_000);

const POSTGRES = databases
  .eachSupportedId()
  .filter(([id]) => id.startsWith('POSTGRES_'));

/** Leases short enough that a takeover takes seconds (the resume task runs as often). */
const LEASE_SECONDS = 2;
const ROLLOUT = (id: string) => `/rollouts/${id}`;

type Row = {
  point: string;
  path: string;
  state: string;
  survivor: string;
  outcome: string;
  takeoverSeconds: string;
  register: number;
  create: number;
  update: number;
};
const matrix: Row[] = [];

function printMatrix() {
  if (!matrix.length) return;
  const lines = [
    `Crash matrix: two replicas (processes) on one PostgreSQL; replica-a, running the rollout, killed with SIGKILL; leases of ${LEASE_SECONDS} s. ECS write calls counted by the emulator.`,
    '',
    '| kill point | path | at the kill | replica-b | outcome | takeover | RegisterTaskDefinition | CreateService | UpdateService |',
    '|---|---|---|---|---|---|---|---|---|',
    ...matrix.map(
      r =>
        `| ${r.point} | ${r.path} | ${r.state} | ${r.survivor} | ${r.outcome} | ${r.takeoverSeconds} s | ${r.register} | ${r.create} | ${r.update} |`,
    ),
  ];
  const text = `${lines.join('\n')}\n`;
  process.stdout.write(`\n${text}\n`);
  const file = process.env.DDECS_CRASH_MATRIX_FILE;
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

const describeOrSkip = POSTGRES.length
  ? describe.each(POSTGRES)
  : describe.skip.each([['POSTGRES']]);

describeOrSkip(
  '%s: two backend replicas (processes) on one PostgreSQL',
  databaseId => {
    const connectionString =
      process.env[
        `BACKSTAGE_TEST_DATABASE_${databaseId.replace(
          '_',
          '',
        )}_CONNECTION_STRING`
      ] ?? '';
    let emu: Emulator;
    let emulatorPort = 0;
    let prefix: string;
    let admin: Knex;

    beforeAll(() => {
      admin = knexFactory({ client: 'pg', connection: connectionString });
    });
    afterAll(async () => {
      printMatrix();
      await admin?.destroy();
    });

    beforeEach(async () => {
      // A fresh demo fleet on the same port for every test, and a database of its own.
      emu = await startEcsEmulator({
        fleet: 'demo',
        clock: { mode: 'manual' },
        port: emulatorPort,
      });
      emulatorPort = Number(new URL(emu.url).port);
      prefix = `ddecs_${Date.now().toString(36)}_`;
    });

    afterEach(async () => {
      await killAllReplicas();
      await emu.stop();
      await admin.raw(
        `DROP DATABASE IF EXISTS "${prefix}datadog-ecs" WITH (FORCE)`,
      );
    });

    const replica = (replicaId: string, over: Partial<ReplicaOptions> = {}) =>
      Replica.start({
        replicaId,
        emulatorUrl: emu.url,
        database: { client: 'pg', connection: connectionString, prefix },
        rollout: { leaseSeconds: LEASE_SECONDS, pollIntervalSeconds: 0.05 },
        ...over,
      });

    /** The plugin's database, as the replicas share it. */
    const pluginDatabase = () => {
      const url = new URL(connectionString);
      url.pathname = `/${prefix}datadog-ecs`;
      return knexFactory({ client: 'pg', connection: url.toString() });
    };

    async function snapshot(r: Replica) {
      const refresh = await call(r, 'POST', '/refresh');
      expect([202, 429]).toContain(refresh.status);
      for (let i = 0; i < 200; i++) {
        const clusters = await call(r, 'GET', '/clusters');
        if (clusters.body.snapshotTakenAt && !clusters.body.refresh.running)
          return;
        await sleep(50);
      }
      throw new Error('no snapshot');
    }

    /** Advances the emulator's clock while reading the rollout from `r` until it ends. */
    async function followToEnd(r: Replica, id: string, budgetMs = 60_000) {
      const until = Date.now() + budgetMs;
      let last: any;
      while (Date.now() < until) {
        emu.control.advance(1000);
        await sleep(50);
        const res = await call(r, 'GET', ROLLOUT(id));
        last = res.body;
        if (['completed', 'failed', 'cancelled'].includes(last?.status))
          return last;
      }
      throw new Error(`rollout ${id} did not end: ${JSON.stringify(last)}`);
    }

    it('simultaneous starts on one cluster, one per replica: exactly one is accepted', async () => {
      const [a, b] = await Promise.all([
        replica('replica-a'),
        replica('replica-b'),
      ]);
      await snapshot(a);
      for (const cluster of [PAYMENTS, LEGACY]) {
        const route = cluster.replace('/api/datadog-ecs', '');
        const answers = await Promise.all([
          call(a, 'POST', `${route}/rollouts`, { features: { apm: true } }),
          call(b, 'POST', `${route}/rollouts`, { features: { apm: true } }),
        ]);
        expect(answers.map(x => x.status).sort()).toEqual([202, 409]);
        const accepted = answers.find(x => x.status === 202)!;
        const refused = answers.find(x => x.status === 409)!;
        expect(refused.body.error).toMatchObject({
          reason: 'active-rollout',
          activeRolloutId: accepted.body.id,
        });
        expect((await followToEnd(b, accepted.body.id)).status).toBe(
          'completed',
        );
      }
      expect(writeCalls(emu)).toEqual({
        RegisterTaskDefinition: 2,
        CreateService: 1,
        UpdateService: 1,
      });
    });

    /** What ECS and the record hold when replica-a dies there, and what replica-b then does. */
    const STATES: Record<
      KillPoint | 'deploying',
      { state: string; survivor: (write: string) => string }
    > = {
      'before-register': {
        state: 'recorded; RegisterTaskDefinition not sent',
        survivor: () => 'registers, then deploys',
      },
      'after-register': {
        state: 'revision registered in ECS, not recorded',
        survivor: () =>
          'finds the revision (the latest is the rendered one): registers nothing',
      },
      'before-deploy': {
        state: 'registration recorded; the deploy call not sent',
        survivor: write => `finds the service unchanged: calls ${write}`,
      },
      'after-deploy': {
        state: 'ECS accepted the deploy call, not recorded',
        survivor: write =>
          `finds the deployment it started: no second ${write}`,
      },
      deploying: {
        state: 'deployment recorded, being followed',
        survivor: () => 'follows the deployment',
      },
    };

    const points: Array<{
      point: KillPoint | 'deploying';
      cluster: string;
      path: 'create' | 'update';
    }> = [
      { point: 'before-register', cluster: PAYMENTS, path: 'create' },
      { point: 'after-register', cluster: PAYMENTS, path: 'create' },
      { point: 'before-deploy', cluster: PAYMENTS, path: 'create' },
      { point: 'after-deploy', cluster: PAYMENTS, path: 'create' },
      { point: 'deploying', cluster: PAYMENTS, path: 'create' },
      { point: 'before-register', cluster: LEGACY, path: 'update' },
      { point: 'after-register', cluster: LEGACY, path: 'update' },
      { point: 'before-deploy', cluster: LEGACY, path: 'update' },
      { point: 'after-deploy', cluster: LEGACY, path: 'update' },
      { point: 'deploying', cluster: LEGACY, path: 'update' },
    ];

    it.each(points)(
      'the replica running a rollout is killed (SIGKILL) at $point ($path): the other finishes it, each ECS write once',
      async ({ point, cluster, path: kind }) => {
        const a = await replica(
          'replica-a',
          point === 'deploying' ? {} : { pause: point },
        );
        const b = await replica('replica-b');
        await snapshot(b);
        emu.control.resetCounters();
        const route = cluster.replace('/api/datadog-ecs', '');

        const start = call(a, 'POST', `${route}/rollouts`, {
          features: { apm: true, healthCheck: true },
        }).catch(() => undefined); // a killed replica answers nothing
        const id: string =
          point === 'deploying'
            ? // The start answered once its deployment started; replica-a follows it.
              (await start)?.body?.id
            : // replica-a stopped at the kill point: the cluster's active rollout is the one.
              await a
                .waitFor(new RegExp(`^PAUSED ${point}$`))
                .then(
                  async () =>
                    (
                      await call(b, 'GET', `${route}/rollouts`)
                    ).body.activeRolloutId,
                );
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        emu.control.advance(2_000);
        const before = (await call(b, 'GET', ROLLOUT(id))).body;
        // Where it is when replica-a dies: recorded, or its deployment under way.
        expect(before.status).toBe(
          point === 'deploying' ? 'in-progress' : 'pending',
        );
        const killedAt = Date.now();
        await a.kill();
        expect(a.killedBySigkill).toBe(true);

        const done = await followToEnd(b, id);
        expect(done.status).toBe('completed');
        await b.waitFor(new RegExp(`Resuming rollout ${id}`), 1_000);
        const calls = writeCalls(emu);
        expect(calls).toEqual({
          RegisterTaskDefinition: 1,
          CreateService: kind === 'create' ? 1 : 0,
          UpdateService: kind === 'update' ? 1 : 0,
        });
        // The record says what happened: replica-a's claim (epoch 1), then replica-b's.
        const db = pluginDatabase();
        try {
          const row = await db('datadog_ecs_rollouts').where({ id }).first();
          expect(Number(row.lease_epoch)).toBeGreaterThanOrEqual(3); // a's, b's, the finish
          expect(row.status).toBe('completed');
          expect(
            await db('datadog_ecs_active_rollouts').where({ rollout_id: id }),
          ).toEqual([]);
        } finally {
          await db.destroy();
        }
        // Registered once, by whichever replica, and known as registered by this rollout.
        expect(done.registered).toBe(true);
        // Only a deploy call ECS had answered is adopted rather than made.
        expect(
          b.lines.some(l =>
            new RegExp(`Rollout ${id}: ECS ran its \\w+ already`).test(l),
          ),
        ).toBe(point === 'after-deploy');
        const resumedAt = b.timeOf(new RegExp(`Resuming rollout ${id}`))!;
        matrix.push({
          point,
          path: `${kind} (${cluster.split('/').pop()})`,
          state: STATES[point].state,
          survivor: STATES[point].survivor(
            kind === 'create' ? 'CreateService' : 'UpdateService',
          ),
          outcome: done.status,
          takeoverSeconds: ((resumedAt - killedAt) / 1000).toFixed(1),
          register: calls.RegisterTaskDefinition,
          create: calls.CreateService,
          update: calls.UpdateService,
        });
      },
    );

    it('the scheduled refresh runs once per period across both replicas', async () => {
      const periodSeconds = 2;
      const datadogEcs = {
        refresh: {
          minIntervalSeconds: 1,
          schedule: {
            frequency: { seconds: periodSeconds },
            timeout: { seconds: 60 },
          },
        },
      };
      const [a, b] = await Promise.all([
        replica('replica-a', { datadogEcs }),
        replica('replica-b', { datadogEcs }),
      ]);
      await sleep(1_000);
      emu.control.resetCounters();
      const windowSeconds = 12;
      await sleep(windowSeconds * 1000);
      const ops = emu.control.counters().operations as Record<
        string,
        { calls: number }
      >;
      // Each refresh lists the clusters of the 3 configured locations once.
      const runs = (ops.ListClusters?.calls ?? 0) / 3;
      expect(Number.isInteger(runs)).toBe(true);
      // Once per period (± the window's edges), not once per replica and period.
      expect(runs).toBeGreaterThanOrEqual(windowSeconds / periodSeconds - 2);
      expect(runs).toBeLessThanOrEqual(windowSeconds / periodSeconds + 1);
      const byReplica = [a, b].map(
        r => r.lines.filter(l => l.includes('Inventory refreshed')).length,
      );
      process.stdout.write(
        `\nScheduled refresh every ${periodSeconds} s over ${windowSeconds} s: ${runs} runs across both replicas (ListClusters ${
          ops.ListClusters?.calls ?? 0
        }); log lines per replica: ${byReplica.join(' / ')}\n`,
      );
    });
  },
);
