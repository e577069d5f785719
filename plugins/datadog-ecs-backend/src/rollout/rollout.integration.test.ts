import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  followToEnd,
  LEGACY,
  PAYMENTS,
  PLAINTEXT_KEY,
  ROLE_ARN,
  SANDBOX,
  STAGING,
  Emulator,
  Server,
  auditorMock,
  refreshSnapshot,
  sleep,
  startBackend,
  writeCalls,
} from '../__testUtils__/integration';

jest.setTimeout(60_000);

describe('rollouts against the ECS emulator', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;

  beforeEach(async () => {
    emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-rollout-'));
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await emu.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  it('rolls out to prod-eu-payments: no agent → 3/3 covered', async () => {
    const auditor = auditorMock();
    backend = await startBackend(emu, { dbDir, auditor });
    const { server } = backend;
    await refreshSnapshot(server);

    const before = await request(server).get(PAYMENTS);
    expect(before.body.counts).toMatchObject({ instances: 3, covered: 0 });

    const preview = await request(server)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({ features: { apm: true, logs: true, healthCheck: true } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      variant: 'linux',
      variantSource: 'instances',
      registerNeeded: true,
      serviceName: 'datadog-agent',
      rolloutEnabled: true,
    });
    expect(preview.body.calls.map((c: any) => c.operation)).toEqual([
      'RegisterTaskDefinition',
      'CreateService',
    ]);
    expect(preview.body.instancesAffected).toHaveLength(3);
    expect(preview.body.taskDefinition.executionRoleArn).toBe(ROLE_ARN);
    expect(preview.body.current).toBeUndefined();
    expect(writeCalls(emu)).toEqual({
      RegisterTaskDefinition: 0,
      CreateService: 0,
      UpdateService: 0,
    });

    const started = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .send({
        features: { apm: true, logs: true, healthCheck: true },
        entityRef: 'component:default/payments-api',
      });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      kind: 'rollout',
      status: 'in-progress',
      createdBy: 'user:default/mock',
      source: 'entity',
      entityRef: 'component:default/payments-api',
      createdService: true,
      registered: true,
      serviceName: 'datadog-agent',
    });
    expect(started.body.newRevision).toMatch(/^datadog-agent-task:\d+$/);

    const done = await followToEnd(emu, server, started.body.id);
    expect(done.status).toBe('completed');
    expect(done.instances).toHaveLength(3);
    expect(done.instances.every(i => i.state === 'healthy')).toBe(true);
    expect(done.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(done.canRollback).toBe(false);
    expect(done.events.length).toBeGreaterThan(0);

    const after = await request(server).get(PAYMENTS);
    expect(after.body.counts).toMatchObject({ instances: 3, covered: 3 });
    expect(after.body.coveragePercent).toBe(100);

    const history = await request(server).get(`${PAYMENTS}/rollouts`);
    expect(history.body.rollouts).toHaveLength(1);
    expect(history.body.rollouts[0]).toMatchObject({
      id: started.body.id,
      status: 'completed',
    });
    expect(history.body.activeRolloutId).toBeUndefined();
    expect(history.body.rolloutEnabled).toBe(true);

    expect(auditor.events.map(e => [e.eventId, e.outcome])).toEqual([
      ['rollout-preview', 'success'],
      ['rollout', 'success'],
    ]);
    expect(writeCalls(emu)).toEqual({
      RegisterTaskDefinition: 1,
      CreateService: 1,
      UpdateService: 0,
    });

    // The same options again: the latest revision is that definition, so nothing to register.
    const again = await request(server)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({ features: { apm: true, logs: true, healthCheck: true } });
    expect(again.body.registerNeeded).toBe(false);
    expect(again.body.current).toMatchObject({ revision: done.newRevision });
    expect(again.body.current.features).toMatchObject({
      apm: true,
      logs: true,
      healthCheck: true,
    });
    expect(again.body.diff).toEqual([]);
    expect(again.body.calls.map((c: any) => c.operation)).toEqual([
      'UpdateService',
    ]);
  });

  it('rolls prod-eu-legacy forward (new revision, instances replaced) and back', async () => {
    backend = await startBackend(emu, { dbDir });
    const { server } = backend;
    await refreshSnapshot(server);

    const preview = await request(server)
      .post(`${LEGACY}/rollouts/preview`)
      .send({ features: { resourceTags: true } });
    expect(preview.status).toBe(200);
    expect(preview.body.variant).toBe('amazon-linux-1');
    expect(preview.body.current).toMatchObject({
      revision: 'datadog-agent-task:1',
    });
    expect(preview.body.current.features.resourceTags).toBe(true);
    expect(preview.body.registerNeeded).toBe(true);
    expect(preview.body.calls.map((c: any) => c.operation)).toEqual([
      'RegisterTaskDefinition',
      'UpdateService',
    ]);
    expect(preview.body.diff.some((d: any) => d.path.includes('image'))).toBe(
      true,
    );

    const started = await request(server)
      .post(`${LEGACY}/rollouts`)
      .send({ features: { resourceTags: true } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      oldRevision: 'datadog-agent-task:1',
      createdService: false,
      registered: true,
    });
    expect(started.body.newRevision).not.toBe('datadog-agent-task:1');
    expect(started.body.newRevision).not.toBe('datadog-agent-task:2');

    const done = await followToEnd(emu, server, started.body.id);
    expect(done.status).toBe('completed');
    // Two instances replaced; the draining one and the disconnected one are skipped.
    const placed = done.instances.filter(i => i.state === 'running');
    expect(placed).toHaveLength(2);
    expect(placed.every(i => i.oldRevisionStopped)).toBe(true);
    expect(done.instances.filter(i => i.state === 'skipped')).toHaveLength(2);
    expect(done.note).toContain('draining or disconnected');
    expect(done.canRollback).toBe(true);

    const cluster = await request(server).get(LEGACY);
    expect(cluster.body.currentRevision).toBe(done.newRevision);

    // Rolling back: a new rollout of kind rollback to the previous revision.
    const rollback = await request(server)
      .post(`${LEGACY}/rollouts/${done.id}/rollback`)
      .send({});
    expect(rollback.status).toBe(202);
    expect(rollback.body).toMatchObject({
      kind: 'rollback',
      rollbackOf: done.id,
      newRevision: 'datadog-agent-task:1',
      oldRevision: done.newRevision,
    });
    const undone = await followToEnd(emu, server, rollback.body.id);
    expect(undone.status).toBe('completed');
    const original = await request(server).get(
      `/api/datadog-ecs/rollouts/${done.id}`,
    );
    expect(original.body).toMatchObject({
      rolledBackBy: rollback.body.id,
      canRollback: false,
    });
    const again = await request(server)
      .post(`${LEGACY}/rollouts/${done.id}/rollback`)
      .send({});
    expect(again.status).toBe(409);
  });

  it('fails on sandbox (image cannot be pulled), and refuses its rollback', async () => {
    backend = await startBackend(emu, { dbDir });
    const { server } = backend;
    await refreshSnapshot(server);

    const started = await request(server).post(`${SANDBOX}/rollouts`).send({});
    expect(started.status).toBe(202);
    const done = await followToEnd(emu, server, started.body.id);
    expect(done.status).toBe('failed');
    expect(done.failureKind).toBe('image-pull');
    expect(done.failureReason).toContain('CannotPullContainerError');
    // What ECS's service deployment says: the circuit breaker tripped, nothing to roll back to.
    expect(done.deployment).toMatchObject({
      serviceDeploymentStatus: 'ROLLBACK_FAILED',
      circuitBreaker: { status: 'TRIGGERED', threshold: 3 },
    });
    expect(done.deployment!.serviceDeploymentArn).toMatch(
      /service-deployment\/sandbox\/datadog-agent\//,
    );
    expect(
      done.instances.some(
        i =>
          i.state === 'failed' &&
          i.reason?.includes('CannotPullContainerError'),
      ),
    ).toBe(true);

    const rollback = await request(server)
      .post(`${SANDBOX}/rollouts/${done.id}/rollback`)
      .send({});
    expect(rollback.status).toBe(409);
    expect(rollback.body.error.message).toContain('no previous revision');

    // The cluster is free again.
    const list = await request(server).get(`${SANDBOX}/rollouts`);
    expect(list.body.activeRolloutId).toBeUndefined();
  });

  it('is idempotent per clientToken and allows one active rollout per cluster', async () => {
    backend = await startBackend(emu, { dbDir });
    const { server } = backend;
    await refreshSnapshot(server);
    emu.control.resetCounters();

    const body = { clientToken: 'ui-1234', features: { apm: true } };
    const first = await request(server).post(`${PAYMENTS}/rollouts`).send(body);
    expect(first.status).toBe(202);
    const retry = await request(server).post(`${PAYMENTS}/rollouts`).send(body);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);

    const second = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .send({ features: { apm: true } });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain(first.body.id);
    expect(second.body.error.message).toContain('user:default/mock');
    // The active rollout's id is a field of the error: clients read it, not the message.
    expect(second.body.error.activeRolloutId).toBe(first.body.id);

    expect(writeCalls(emu)).toEqual({
      RegisterTaskDefinition: 1,
      CreateService: 1,
      UpdateService: 0,
    });
    await followToEnd(emu, server, first.body.id);
    const retryAfter = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .send(body);
    expect(retryAfter.status).toBe(200);
    expect(retryAfter.body).toMatchObject({
      id: first.body.id,
      status: 'completed',
    });
    expect(writeCalls(emu)).toEqual({
      RegisterTaskDefinition: 1,
      CreateService: 1,
      UpdateService: 0,
    });
  });

  it('denies a user without the permission: 403, no ECS write, an audit event', async () => {
    const auditor = auditorMock();
    backend = await startBackend(emu, {
      dbDir,
      auditor,
      deny: ['datadog-ecs.rollout', 'datadog-ecs.cluster.rollout'],
    });
    const { server } = backend;
    await refreshSnapshot(server);
    emu.control.resetCounters();

    const fromPortal = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .set('Authorization', mockCredentials.user.header('user:default/mallory'))
      .send({});
    expect(fromPortal.status).toBe(403);
    const fromEntity = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .set('Authorization', mockCredentials.user.header('user:default/mallory'))
      .send({ entityRef: 'component:default/payments-api' });
    expect(fromEntity.status).toBe(403);

    expect(writeCalls(emu)).toEqual({
      RegisterTaskDefinition: 0,
      CreateService: 0,
      UpdateService: 0,
    });
    expect(emu.control.counters().total.calls).toBe(0);
    const rolloutEvents = auditor.events.filter(e => e.eventId === 'rollout');
    expect(rolloutEvents).toHaveLength(2);
    expect(
      rolloutEvents.every(
        e => e.outcome === 'fail' && e.error?.name === 'NotAllowedError',
      ),
    ).toBe(true);
    expect(rolloutEvents[0].meta).toMatchObject({
      actor: 'user:default/mallory',
    });

    // Preview only needs read.
    const preview = await request(server)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({});
    expect(preview.status).toBe(200);
    const list = await request(server).get(`${PAYMENTS}/rollouts`);
    expect(list.body.rollouts).toEqual([]);
  });

  it('validates requests and config before anything happens', async () => {
    backend = await startBackend(emu, { dbDir });
    const { server } = backend;
    await refreshSnapshot(server);
    emu.control.resetCounters();

    const unknown = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .send({ apiKey: 'x', features: { foo: true } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("'apiKey'");
    expect(unknown.body.error.message).toContain("'features.foo'");

    const rule = await request(server)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({ variant: 'windows', features: { npm: true } });
    expect(rule.status).toBe(400);
    expect(rule.body.error.message).toContain('npm-linux-only');
    expect(rule.body.error.rule).toBe('npm-linux-only');

    const wrongEntity = await request(server)
      .post(`${PAYMENTS}/rollouts`)
      .send({ entityRef: 'component:default/search' });
    expect(wrongEntity.status).toBe(400);
    expect(wrongEntity.body.error.message).toContain(
      'runs no service the inventory has on the cluster',
    );

    const badPath = await request(server)
      .post('/api/datadog-ecs/clusters/12/eu-west-1/x/rollouts')
      .send({});
    expect(badPath.status).toBe(400);
    expect(badPath.body.error.message).toContain("'accountId'");
    expect(writeCalls(emu)).toEqual({
      RegisterTaskDefinition: 0,
      CreateService: 0,
      UpdateService: 0,
    });

    // The plaintext development key is rendered, but never shown.
    const staging = await request(server)
      .post(`${STAGING}/rollouts/preview`)
      .send({});
    expect(staging.status).toBe(200);
    expect(JSON.stringify(staging.body)).not.toContain(PLAINTEXT_KEY);
    expect(staging.body.warnings.join(' ')).toContain('plaintext');
  });

  it('refuses rollouts when switched off, and to accounts without an API key', async () => {
    backend = await startBackend(emu, { dbDir, rollout: { enabled: false } });
    await refreshSnapshot(backend.server);
    const off = await request(backend.server)
      .post(`${PAYMENTS}/rollouts`)
      .send({});
    expect(off.status).toBe(403);
    expect(off.body.error.message).toContain('datadogEcs.rollout.enabled');
    const list = await request(backend.server).get(`${PAYMENTS}/rollouts`);
    expect(list.body.rolloutEnabled).toBe(false);
    await backend.stop();

    backend = await startBackend(emu, {
      dbDir,
      rollout: {
        apiKeys: [
          { accountId: '222222222222', plaintextApiKey: PLAINTEXT_KEY },
        ],
      },
    });
    await refreshSnapshot(backend.server);
    emu.control.resetCounters();
    const noKey = await request(backend.server)
      .post(`${PAYMENTS}/rollouts`)
      .send({});
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.message).toContain('datadogEcs.rollout.apiKeys');
    // A Fargate-only cluster has no instance for a daemon: refused before any AWS call.
    const fargate = await request(backend.server)
      .post('/api/datadog-ecs/clusters/222222222222/us-east-1/staging-fargate/rollouts')
      .send({});
    expect(fargate.status).toBe(400);
    expect(fargate.body.error.message).toContain('Fargate only');
    expect(writeCalls(emu)).toEqual({
      RegisterTaskDefinition: 0,
      CreateService: 0,
      UpdateService: 0,
    });
  });

  it('records a rollout whose ECS call is denied as failed, and frees the cluster', async () => {
    const auditor = auditorMock();
    backend = await startBackend(emu, { dbDir, readOnly111: true, auditor });
    await refreshSnapshot(backend.server);
    const started = await request(backend.server).post(`${PAYMENTS}/rollouts`).send({});
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'failed', failureKind: 'aws-error' });
    expect(started.body.failureReason).toContain('AccessDeniedException');
    const list = await request(backend.server).get(`${PAYMENTS}/rollouts`);
    expect(list.body.activeRolloutId).toBeUndefined();
    expect(auditor.events.find(e => e.eventId === 'rollout')).toMatchObject({ outcome: 'fail' });
  });

  it('survives a backend restart mid-rollout', async () => {
    backend = await startBackend(emu, { dbDir });
    await refreshSnapshot(backend.server);
    const started = await request(backend.server)
      .post(`${PAYMENTS}/rollouts`)
      .send({ features: { healthCheck: true } });
    expect(started.status).toBe(202);
    emu.control.advance(2000);
    await sleep(100);
    const mid = await request(backend.server).get(
      `/api/datadog-ecs/rollouts/${started.body.id}`,
    );
    expect(mid.body.status).toBe('in-progress');
    await backend.stop();

    // Time passes while no backend follows it.
    emu.control.advance(3000);
    backend = await startBackend(emu, { dbDir });
    const done = await followToEnd(emu, backend.server, started.body.id);
    expect(done.status).toBe('completed');
    const after = await request(backend.server).get(PAYMENTS);
    expect(after.body.counts).toMatchObject({ instances: 3, covered: 3 });
  });

  it('registers the actions', async () => {
    const actionsRegistry = actionsRegistryServiceMock();
    backend = await startBackend(emu, { dbDir, actionsRegistry });
    await refreshSnapshot(backend.server);
    const credentials = mockCredentials.user();
    const names = (await actionsRegistry.list()).actions.map(a => [
      a.name,
      a.attributes,
    ]);
    expect(names).toEqual([
      [
        'get-coverage',
        { readOnly: true, destructive: false, idempotent: true },
      ],
      [
        'preview-rollout',
        { readOnly: true, destructive: false, idempotent: true },
      ],
      ['rollout', { readOnly: false, destructive: true, idempotent: false }],
    ]);
    const coverage = await actionsRegistry.invoke({
      id: 'test:get-coverage',
      input: { accountId: '111111111111', region: 'eu-west-1' },
      credentials,
    });
    expect(
      (coverage.output as any).clusters.map((c: any) => c.clusterName).sort(),
    ).toEqual(['prod-al2-docker19', 'prod-eu-legacy', 'prod-eu-payments']);
    const preview = await actionsRegistry.invoke({
      id: 'test:preview-rollout',
      input: {
        accountId: '111111111111',
        region: 'eu-west-1',
        clusterName: 'prod-eu-payments',
      },
      credentials,
    });
    expect((preview.output as any).calls.map((c: any) => c.operation)).toEqual([
      'RegisterTaskDefinition',
      'CreateService',
    ]);
    const rollout = await actionsRegistry.invoke({
      id: 'test:rollout',
      input: {
        accountId: '111111111111',
        region: 'eu-west-1',
        clusterName: 'prod-eu-payments',
        clientToken: 'mcp-1',
      },
      credentials,
    });
    expect(rollout.output).toMatchObject({
      status: 'in-progress',
      created: true,
    });
    await followToEnd(emu, backend.server, (rollout.output as any).id);
  });
});
