/*
 * Nothing secret leaves the backend: not in responses, stored rows, audit events or log lines; and
 * previews cost no AWS call. The real SDK against the emulator's demo fleet, the real router,
 * SQLite files read back directly.
 */
import { REDACTED } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  auditorMock,
  capturingLogger,
  Emulator,
  followToEnd,
  PAYMENTS,
  PLAINTEXT_KEY,
  refreshSnapshot,
  Server,
  STAGING,
  startBackend,
} from './__testUtils__/integration';

jest.setTimeout(60_000);

/** The plain-text key staging-misconfigured's Agent runs with in the demo fleet. */
const FLEET_KEY = '0123456789abcdef0123456789abcdef';

/** Every text value of every table of the plugin's SQLite database. */
async function databaseText(dbDir: string): Promise<string> {
  const files = fs.readdirSync(dbDir).filter(f => f.endsWith('.sqlite'));
  expect(files.length).toBeGreaterThan(0);
  let text = '';
  for (const file of files) {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dbDir, file), readonly: true } as any,
      useNullAsDefault: true,
    });
    try {
      const tables: Array<{ name: string }> = await knex('sqlite_master')
        .where({ type: 'table' })
        .select('name');
      for (const { name } of tables) {
        text += JSON.stringify(await knex(name).select());
      }
    } finally {
      await knex.destroy();
    }
  }
  return text;
}

const totalCalls = (emu: Emulator) =>
  (emu.control.counters() as { total: { calls: number } }).total.calls;

describe('secrets and previews', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;

  beforeEach(async () => {
    emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-secrets-'));
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await emu.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  it('serves, stores, audits and logs no key: neither the fleet’s plain-text one nor the configured one', async () => {
    const auditor = auditorMock();
    const logger = capturingLogger();
    // The development-only plaintext key, for the account of prod-eu-payments.
    backend = await startBackend(emu, {
      dbDir,
      auditor,
      logger,
      rollout: { apiKeys: [{ accountId: '111111111111', plaintextApiKey: PLAINTEXT_KEY }] },
    });
    const { server } = backend;
    await refreshSnapshot(server);

    // The guest's read of a cluster whose Agent has DD_API_KEY in plain text.
    const cluster = await request(server).get(STAGING);
    expect(cluster.status).toBe(200);
    const text = JSON.stringify(cluster.body);
    expect(text).not.toContain(FLEET_KEY);
    const env = cluster.body.taskDefinitions
      .flatMap((td: any) => td.containerDefinitions)
      .flatMap((c: any) => c.environment ?? []);
    expect(env.find((e: any) => e.name === 'DD_API_KEY')?.value).toBe(REDACTED);
    // The finding still says what was found.
    expect(cluster.body.findings.map((f: any) => f.id)).toContain('apiKey.plaintext');

    // A rollout with the configured plaintext key, previewed and followed.
    const preview = await request(server)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({ features: { apm: true } });
    expect(preview.status).toBe(200);
    const started = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .send({ features: { apm: true } });
    expect(started.status).toBe(202);
    const done = await followToEnd(emu, server, started.body.id);
    if (done.status !== 'completed') throw new Error(JSON.stringify(done.failureReason));
    // What ECS holds is the real key (the Agent needs it) …
    const registered = await new ECSClient(
      emu.clientConfig({ accountId: '111111111111', region: 'eu-west-1' }),
    ).send(new DescribeTaskDefinitionCommand({ taskDefinition: done.newTaskDefinitionArn }));
    expect(JSON.stringify(registered.taskDefinition)).toContain(PLAINTEXT_KEY);

    // … but nothing the backend serves, stores, audits or logs does.
    const bodies = [
      cluster.body,
      preview.body,
      started.body,
      done,
      (await request(server).get(PAYMENTS)).body,
      (await request(server).get(`${PAYMENTS}/rollouts`)).body,
      (await request(server).get(`/api/datadog-ecs/rollouts/${done.id}`)).body,
      (await request(server).get('/api/datadog-ecs/clusters')).body,
    ];
    for (const body of bodies) {
      const s = JSON.stringify(body);
      expect(s).not.toContain(PLAINTEXT_KEY);
      expect(s).not.toContain(FLEET_KEY);
    }
    const after = await request(server).get(PAYMENTS);
    const agentEnv = after.body.taskDefinitions
      .flatMap((td: any) => td.containerDefinitions)
      .flatMap((c: any) => c.environment ?? []);
    expect(agentEnv.find((e: any) => e.name === 'DD_API_KEY')?.value).toBe(REDACTED);

    const stored = await databaseText(dbDir);
    expect(stored).toContain('staging-misconfigured');
    expect(stored).not.toContain(PLAINTEXT_KEY);
    expect(stored).not.toContain(FLEET_KEY);

    const audited = JSON.stringify(
      auditor.events.map(e => ({ ...e, error: e.error && `${e.error.message}` })),
    );
    expect(auditor.events.length).toBeGreaterThan(0);
    expect(audited).not.toContain(PLAINTEXT_KEY);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.join('\n')).not.toContain(PLAINTEXT_KEY);
    expect(logger.lines.join('\n')).not.toContain(FLEET_KEY);
  });

  it('previews from the snapshot with 0 ECS calls, and says how old it is', async () => {
    backend = await startBackend(emu, { dbDir });
    const { server } = backend;
    await refreshSnapshot(server);

    const before = totalCalls(emu);
    const preview = await request(server)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({ features: { apm: true, logs: true } });
    const again = await request(server)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({ features: { apm: true, dogstatsd: true }, site: 'datadoghq.eu' });
    expect(preview.status).toBe(200);
    expect(again.status).toBe(200);
    expect(totalCalls(emu)).toBe(before);
    expect(preview.body.basedOn).toEqual({
      snapshotTakenAt: expect.any(String),
      ageSeconds: expect.any(Number),
      latestRevisionReadAt: expect.any(String),
    });
    expect(preview.body.calls.map((c: any) => c.operation)).toEqual([
      'RegisterTaskDefinition',
      'CreateService',
    ]);

    // After a rollout the inventory knows the new revision and the service: the same request
    // previews as "nothing to register, update the service", still without an ECS call.
    const started = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .send({ features: { apm: true, logs: true } });
    expect(started.status).toBe(202);
    const done = await followToEnd(emu, server, started.body.id);
    expect(done.status).toBe('completed');

    const beforeSecond = totalCalls(emu);
    const second = await request(server)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({ features: { apm: true, logs: true } });
    expect(totalCalls(emu)).toBe(beforeSecond);
    expect(second.body).toMatchObject({
      registerNeeded: false,
      latestRevision: done.newRevision,
      current: { revision: done.newRevision },
    });
    expect(second.body.calls.map((c: any) => c.operation)).toEqual(['UpdateService']);
  });

  it('refuses bodies that are not JSON with 415, before any ECS call', async () => {
    backend = await startBackend(emu, { dbDir });
    const { server } = backend;
    await refreshSnapshot(server);
    const before = totalCalls(emu);
    for (const [route, body, type] of [
      [`${PAYMENTS}/rollouts/preview`, 'features=apm', 'application/x-www-form-urlencoded'],
      [`${PAYMENTS}/rollouts`, '{"features":{}}', 'text/plain'],
      ['/api/datadog-ecs/refresh', '<refresh/>', 'application/xml'],
    ] as const) {
      const res = await request(server).post(route).set('Content-Type', type).send(body);
      expect(res.status).toBe(415);
      expect(res.body.error.message).toContain('application/json');
      expect(res.body.error.message).toContain(type);
    }
    // An empty body needs no content type (refresh, rollback), and JSON variants are JSON.
    const refresh = await request(server).post('/api/datadog-ecs/refresh');
    expect([202, 429]).toContain(refresh.status);
    const preview = await request(server)
      .post(`${PAYMENTS}/rollouts/preview`)
      .set('Content-Type', 'application/json; charset=utf-8')
      .send('{}');
    expect(preview.status).toBe(200);
    expect(totalCalls(emu)).toBeGreaterThanOrEqual(before);
  });
});
