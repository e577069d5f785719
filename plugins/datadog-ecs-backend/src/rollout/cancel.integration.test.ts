import {
  DeleteServiceCommand,
  DescribeServicesCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import { mockCredentials } from '@backstage/backend-test-utils';
import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  auditorMock,
  Emulator,
  followToEnd,
  LEGACY,
  PAYMENTS,
  refreshSnapshot,
  Server,
  sleep,
  startBackend,
  writeCalls,
} from '../__testUtils__/integration';

/*
 * Cancelling a rollout, and ECS's DRAINING services, against the ECS emulator through the real SDK
 * and the real router.
 */

jest.setTimeout(60_000);

const ROLLOUT = (id: string) => `/api/datadog-ecs/rollouts/${id}`;

const stops = (emu: Emulator) =>
  (emu.control.counters().operations as Record<string, { calls: number }>)
    .StopServiceDeployment?.calls ?? 0;

describe('cancelling rollouts, against the ECS emulator', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;
  let ecs: ECSClient;

  beforeEach(async () => {
    emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-cancel-'));
    ecs = new ECSClient(
      emu.clientConfig({ accountId: '111111111111', region: 'eu-west-1' }),
    );
  });

  afterEach(async () => {
    ecs.destroy();
    await backend?.stop();
    backend = undefined;
    await emu.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  const agentService = async (cluster: string) =>
    (
      await ecs.send(
        new DescribeServicesCommand({ cluster, services: ['datadog-agent'] }),
      )
    ).services![0];

  it('cancels without rollback: stops following, frees the cluster, leaves the ECS deployment alone; audited', async () => {
    const auditor = auditorMock();
    backend = await startBackend(emu, { dbDir, auditor });
    const { server } = backend;
    await refreshSnapshot(server);
    const started = await request(server)
      .post(`${LEGACY}/rollouts`)
      .send({ features: { resourceTags: true } });
    expect(started.body.status).toBe('in-progress');
    expect(started.body.deployment.serviceDeploymentArn).toMatch(
      /service-deployment\/prod-eu-legacy\/datadog-agent\//,
    );

    const cancel = await request(server)
      .post(`${ROLLOUT(started.body.id)}/cancel`)
      .send({});
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({
      id: started.body.id,
      status: 'cancelled',
      cancelledBy: 'user:default/mock',
      // ECS goes on deploying it: it changed the cluster, and is the latest change.
      canRollback: true,
    });
    expect(cancel.body.note).toContain('the ECS deployment goes on');
    expect(stops(emu)).toBe(0);
    const list = await request(server).get(`${LEGACY}/rollouts`);
    expect(list.body.activeRolloutId).toBeUndefined();

    // Finished: nothing to cancel any more.
    const again = await request(server)
      .post(`${ROLLOUT(started.body.id)}/cancel`)
      .send({ rollback: true });
    expect(again.status).toBe(409);
    expect(again.body.error.reason).toBe('rollout-finished');

    // Nothing follows it now: its record stays as it was cancelled.
    emu.control.advance(60_000);
    await sleep(100);
    const after = await request(server).get(ROLLOUT(started.body.id));
    expect(after.body).toMatchObject({ status: 'cancelled' });
    expect(
      auditor.events
        .filter(e => e.eventId === 'rollout-cancel')
        .map(e => [e.outcome, e.meta.rolloutId, e.meta.rollback]),
    ).toEqual([
      ['success', started.body.id, false],
      ['fail', started.body.id, true],
    ]);
  });

  it('cancels with rollback: StopServiceDeployment, and ECS puts the previous revision back', async () => {
    backend = await startBackend(emu, { dbDir });
    const { server } = backend;
    await refreshSnapshot(server);
    const before = await agentService('prod-eu-legacy');
    const started = await request(server)
      .post(`${LEGACY}/rollouts`)
      .send({ features: { resourceTags: true } });
    expect(started.body.status).toBe('in-progress');
    emu.control.advance(5_000);
    expect((await agentService('prod-eu-legacy')).taskDefinition).toBe(
      started.body.newTaskDefinitionArn,
    );

    const cancel = await request(server)
      .post(`${ROLLOUT(started.body.id)}/cancel`)
      .send({ rollback: true });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({
      status: 'cancelled',
      canRollback: false,
    });
    expect(cancel.body.note).toContain('StopServiceDeployment');
    expect(stops(emu)).toBe(1);
    expect(writeCalls(emu)).toEqual({
      RegisterTaskDefinition: 1,
      CreateService: 0,
      UpdateService: 1,
    });

    emu.control.advance(1_000);
    const service = await agentService('prod-eu-legacy');
    expect(service.taskDefinition).toBe(before.taskDefinition);

    // The cluster is free: another rollout may start.
    const next = await request(server)
      .post(`${LEGACY}/rollouts`)
      .send({ features: { resourceTags: true } });
    expect(next.status).toBe(202);
  });

  it('refuses a rollback-cancel of a rollout that created the service, and a cancel without the permission', async () => {
    backend = await startBackend(emu, {
      dbDir,
      deny: ['datadog-ecs.cluster.rollout', 'datadog-ecs.rollout'],
    });
    const denied = await request(backend.server)
      .post(`${ROLLOUT('7b0c2f9e-4a1d-4e3b-9c8a-5d6e7f8a9b0c')}/cancel`)
      .set('Authorization', mockCredentials.user.header('user:default/mallory'))
      .send({});
    expect(denied.status).toBe(403);
    await backend.stop();

    backend = await startBackend(emu, { dbDir });
    const { server } = backend;
    await refreshSnapshot(server);
    const started = await request(server).post(`${PAYMENTS}/rollouts`).send({});
    expect(started.body).toMatchObject({
      status: 'in-progress',
      createdService: true,
    });
    const cancel = await request(server)
      .post(`${ROLLOUT(started.body.id)}/cancel`)
      .send({ rollback: true });
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.reason).toBe('not-rollbackable');
    expect(stops(emu)).toBe(0);
    const done = await followToEnd(emu, server, started.body.id);
    expect(done.status).toBe('completed');
  });
});

describe('a service named like the Agent’s but DRAINING, against the ECS emulator', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;

  beforeEach(async () => {
    emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-draining-'));
  });
  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await emu.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  it('refuses a rollout (409 naming the reason, no record, no ECS write) until it is INACTIVE, then creates it again', async () => {
    backend = await startBackend(emu, { dbDir });
    const { server } = backend;
    await refreshSnapshot(server);
    const first = await request(server).post(`${PAYMENTS}/rollouts`).send({});
    expect((await followToEnd(emu, server, first.body.id)).status).toBe(
      'completed',
    );
    const ecs = new ECSClient(
      emu.clientConfig({ accountId: '111111111111', region: 'eu-west-1' }),
    );
    try {
      await ecs.send(
        new DeleteServiceCommand({
          cluster: 'prod-eu-payments',
          service: 'datadog-agent',
        }),
      );
    } finally {
      ecs.destroy();
    }
    // The next refresh sees it although ListServices no longer lists it (described by name in
    // the same DescribeServices batch): the preview, from the snapshot, says so.
    await sleep(1100); // refresh.minIntervalSeconds
    await refreshSnapshot(server);
    const preview = await request(server)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({});
    expect(preview.status).toBe(200);
    expect(preview.body.warnings.join(' ')).toContain('DRAINING');
    const cluster = await request(server).get(PAYMENTS);
    expect(cluster.body.agentServices).toEqual([
      expect.objectContaining({ serviceName: 'datadog-agent', status: 'DRAINING' }),
    ]);
    // Nothing schedules the Agent any more: no daemon counted.
    expect(cluster.body.agentScheduling.mode).not.toBe('daemon-service');
    emu.control.resetCounters();

    const refused = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .send({ features: { apm: true } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.reason).toBe('service-draining');
    expect(refused.body.error.message).toContain('DRAINING');
    expect(writeCalls(emu)).toEqual({
      RegisterTaskDefinition: 0,
      CreateService: 0,
      UpdateService: 0,
    });
    const list = await request(server).get(`${PAYMENTS}/rollouts`);
    expect(list.body.rollouts).toHaveLength(1);
    expect(list.body.activeRolloutId).toBeUndefined();

    // Its tasks stop: INACTIVE, and the name can be used again.
    emu.control.advance(120_000);
    const again = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .send({ features: { apm: true } });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ createdService: true });
    expect(writeCalls(emu).CreateService).toBe(1);
  });
});
