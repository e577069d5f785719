/*
 * Rollouts to ECS Managed Daemons (target managed-daemon) through the real SDK, router and database
 * against the emulator's demo+managed fleet: 0 → 100% with CreateDaemon on staging-managed, an
 * UpdateDaemon on prod-managed that replaces the instances in batches of drainPercent, a failed
 * deployment ECS rolls back, the portal's rollback of a completed one (UpdateDaemon back), a
 * CreateDaemon whose answer was lost replayed without a second call, and a mixed cluster rolled out
 * half by half.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  DescribeContainerInstancesCommand,
  DescribeDaemonCommand,
  DescribeDaemonDeploymentsCommand,
  DescribeDaemonRevisionsCommand,
  ECSClient,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs';
import { Rollout } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { demoFleet, startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { AwsEcsGateway } from '../aws/AwsEcsGateway';
import { ecsGatewayServiceRef } from '../aws/ecsGatewayService';
import {
  auditorMock,
  capturingLogger,
  daemonWriteCalls,
  Emulator,
  followToEnd,
  PLAINTEXT_KEY,
  refreshSnapshot,
  ROLE_ARN,
  Server,
  startBackend,
  writeCalls,
} from '../__testUtils__/integration';

jest.setTimeout(120_000);

const API = '/api/datadog-ecs';
const STAGING_MANAGED = `${API}/clusters/222222222222/us-east-1/staging-managed`;
const PROD_MANAGED = `${API}/clusters/111111111111/us-east-1/prod-managed`;
const PROD_MIXED = `${API}/clusters/111111111111/eu-west-1/prod-mixed`;
const PROD_DAEMON =
  'arn:aws:ecs:us-east-1:111111111111:daemon/prod-managed/datadog-agent';

/** The write calls the emulator answered: the daemons' and the services'. */
const daemonWrites = (emu: Emulator) => ({
  ...daemonWriteCalls(emu),
  ...writeCalls(emu),
});

const ecs = (emu: Emulator, accountId: string, region: string) =>
  new ECSClient(emu.clientConfig({ accountId, region }));

/** The cluster's container instances DRAINING now, as ECS lists them. */
async function drainingNow(client: ECSClient, cluster: string) {
  const r = await client.send(
    new ListContainerInstancesCommand({ cluster, status: 'DRAINING' }),
  );
  return r.containerInstanceArns?.length ?? 0;
}

/** Follows a managed-daemon rollout to its end, 5 simulated seconds a step. */
const followDaemon = (
  emu: Emulator,
  server: Server['server'],
  id: string,
  each?: (r: Rollout) => Promise<void>,
) => followToEnd(emu, server, id, { stepMs: 5000, each });

/** The daemon task definition the daemon's latest revision deploys, as ECS says. */
async function daemonTaskDefinitionNow(client: ECSClient, daemonArn: string) {
  const { daemon } = await client.send(
    new DescribeDaemonCommand({ daemonArn }),
  );
  const { daemonDeployments } = await client.send(
    new DescribeDaemonDeploymentsCommand({
      daemonDeploymentArns: [daemon!.deploymentArn!],
    }),
  );
  const deployment = daemonDeployments![0];
  const revisionArn =
    deployment.status === 'ROLLBACK_SUCCESSFUL'
      ? deployment.rollback!.rollbackTargetDaemonRevisionArn!
      : deployment.targetDaemonRevision!.arn!;
  const { daemonRevisions } = await client.send(
    new DescribeDaemonRevisionsCommand({ daemonRevisionArns: [revisionArn] }),
  );
  return {
    deployment,
    taskDefinitionArn: daemonRevisions![0].daemonTaskDefinitionArn!,
  };
}

/** The gateway, whose CreateDaemon reaches ECS but whose answer is lost `lose` times (as in a crash). */
function losingCreateDaemon(lose: { count: number }) {
  return createServiceFactory({
    service: ecsGatewayServiceRef,
    deps: { config: coreServices.rootConfig },
    async factory({ config }) {
      const gateway = new AwsEcsGateway({
        credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
        endpoint: config.getString('datadogEcs.ecsEndpoint'),
      });
      return {
        async forLocation(accountId: string, region: string) {
          const api = await gateway.forLocation(accountId, region);
          const createDaemon = api.createDaemon!.bind(api);
          return Object.assign(Object.create(api), {
            async createDaemon(input: any) {
              const out = await createDaemon(input);
              if (lose.count > 0) {
                lose.count -= 1;
                throw Object.assign(new Error('socket hang up'), {
                  code: 'ECONNRESET',
                });
              }
              return out;
            },
          });
        },
      };
    },
  });
}

describe('rollouts to ECS Managed Daemons (demo+managed, real SDK)', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;

  async function start(
    options: Partial<Parameters<typeof startBackend>[1]> = {},
    fleet = demoFleet({ managed: true }),
  ) {
    emu = await startEcsEmulator({ fleet, clock: { mode: 'manual' } });
    dbDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'datadog-ecs-managed-rollout-'),
    );
    backend = await startBackend(emu, { dbDir, ...options });
    await refreshSnapshot(backend.server);
    return backend.server;
  }

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await emu?.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  it('rolls out to staging-managed: no Agent → 3/3 covered, with RegisterDaemonTaskDefinition and CreateDaemon', async () => {
    const auditor = auditorMock();
    const server = await start({ auditor });
    const before = await request(server).get(STAGING_MANAGED);
    expect(before.body.counts).toMatchObject({ instances: 3, covered: 0 });

    // No target: the cluster has only Managed Instances capacity, so a managed daemon.
    const preview = await request(server)
      .post(`${STAGING_MANAGED}/rollouts/preview`)
      .send({ features: { apmSocket: true } });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      target: 'managed-daemon',
      serviceName: 'datadog-agent',
      registerNeeded: true,
      image: 'public.ecr.aws/datadog/agent:7.77.0',
      managedDaemon: {
        daemonName: 'datadog-agent',
        action: 'create',
        capacityProviders: ['staging-managed-mi'],
        options: { critical: true, drainPercent: 25, bakeTimeInMinutes: 0 },
        replacement: { instances: 3, batchSize: 1, batches: 3 },
      },
    });
    expect(preview.body.calls.map((c: any) => c.operation)).toEqual([
      'RegisterDaemonTaskDefinition',
      'CreateDaemon',
    ]);
    expect(preview.body.instancesAffected).toHaveLength(3);
    expect(preview.body.taskDefinition).toMatchObject({
      family: 'datadog-agent-daemon',
      cpu: '256',
      memory: '512',
    });
    // The plaintext key of 222222222222 never leaves the backend.
    expect(JSON.stringify(preview.body)).not.toContain(PLAINTEXT_KEY);
    expect(daemonWrites(emu)).toMatchObject({
      RegisterDaemonTaskDefinition: 0,
      CreateDaemon: 0,
    });

    const started = await request(server)
      .post(`${STAGING_MANAGED}/rollouts`)
      .send({ features: { apmSocket: true } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      kind: 'rollout',
      target: 'managed-daemon',
      status: 'in-progress',
      createdService: true,
      registered: true,
      serviceName: 'datadog-agent',
      newRevision: 'datadog-agent-daemon:1',
      daemonArn:
        'arn:aws:ecs:us-east-1:222222222222:daemon/staging-managed/datadog-agent',
      options: {
        target: 'managed-daemon',
        managedDaemon: { drainPercent: 25 },
      },
    });

    const done = await followDaemon(emu, server, started.body.id);
    expect(done.status).toBe('completed');
    expect(done.deployment?.daemonDeployment).toMatchObject({
      status: 'SUCCESSFUL',
    });
    expect(done.instances).toHaveLength(3);
    expect(
      done.instances.every(i => i.state === 'running' || i.state === 'healthy'),
    ).toBe(true);
    expect(done.canRollback).toBe(false);

    const after = await request(server).get(STAGING_MANAGED);
    expect(after.body.coveragePercent).toBe(100);
    expect(after.body.managedDaemons[0]).toMatchObject({
      daemonName: 'datadog-agent',
      revision: 'datadog-agent-daemon:1',
    });
    expect(daemonWrites(emu)).toEqual({
      RegisterDaemonTaskDefinition: 1,
      CreateDaemon: 1,
      UpdateDaemon: 0,
      RegisterTaskDefinition: 0,
      CreateService: 0,
      UpdateService: 0,
    });
    expect(auditor.events.map(e => [e.eventId, e.outcome])).toEqual([
      ['rollout-preview', 'success'],
      ['rollout', 'success'],
    ]);
  });

  it('updates prod-managed with UpdateDaemon, replacing the instances in batches of drainPercent, then rolls it back', async () => {
    const server = await start();
    const client = ecs(emu, '111111111111', 'us-east-1');
    const body = { imageTag: '7.78.0', managedDaemon: { drainPercent: 50 } };
    const preview = await request(server)
      .post(`${PROD_MANAGED}/rollouts/preview`)
      .send(body);
    expect(preview.status).toBe(200);
    expect(preview.body.calls.map((c: any) => c.operation)).toEqual([
      'RegisterDaemonTaskDefinition',
      'UpdateDaemon',
    ]);
    expect(preview.body.current).toMatchObject({
      revision: 'datadog-agent-daemon:1',
      daemonArn: PROD_DAEMON,
    });
    expect(preview.body.diff.length).toBeGreaterThan(0);
    expect(preview.body.managedDaemon).toMatchObject({
      action: 'update',
      daemonArn: PROD_DAEMON,
      replacement: { instances: 4, batchSize: 2, batches: 2, drainPercent: 50 },
    });
    expect(preview.body.managedDaemon.replacement.summary).toContain(
      '4 instances replaced in 2 batches of up to 2',
    );

    const started = await request(server)
      .post(`${PROD_MANAGED}/rollouts`)
      .send(body);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      target: 'managed-daemon',
      createdService: false,
      daemonArn: PROD_DAEMON,
      oldRevision: 'datadog-agent-daemon:1',
      newRevision: 'datadog-agent-daemon:2',
    });

    let maxDraining = 0;
    let maxShown = 0;
    const done = await followDaemon(emu, server, started.body.id, async r => {
      maxDraining = Math.max(
        maxDraining,
        await drainingNow(client, 'prod-managed'),
      );
      maxShown = Math.max(
        maxShown,
        r.deployment?.daemonDeployment?.instances?.draining ?? 0,
      );
    });
    expect(done.status).toBe('completed');
    // Two at a time (50% of 4), never more: the batches ECS was asked for.
    expect(maxDraining).toBe(2);
    expect(maxShown).toBeGreaterThan(0);
    expect(maxShown).toBeLessThanOrEqual(2);
    expect(done.deployment?.daemonDeployment).toMatchObject({
      status: 'SUCCESSFUL',
      drainPercent: 50,
    });
    expect(done.canRollback).toBe(true);
    const now = await daemonTaskDefinitionNow(client, PROD_DAEMON);
    expect(now.taskDefinitionArn).toMatch(
      /:daemon-task-definition\/datadog-agent-daemon:2$/,
    );
    expect(now.deployment.deploymentConfiguration).toMatchObject({
      drainPercent: 50,
    });
    // The execution role of the API key's secret is the daemon task definition's.
    const instances = await client.send(
      new DescribeContainerInstancesCommand({
        cluster: 'prod-managed',
        containerInstances: done.instances.map(i => i.containerInstanceArn),
      }),
    );
    expect(
      instances.containerInstances!.every(i => i.status === 'ACTIVE'),
    ).toBe(true);
    expect(preview.body.taskDefinition.executionRoleArn).toBe(ROLE_ARN);

    // The portal's rollback: UpdateDaemon back to datadog-agent-daemon:1.
    const rollback = await request(server)
      .post(`${PROD_MANAGED}/rollouts/${started.body.id}/rollback`)
      .send({});
    expect(rollback.status).toBe(202);
    expect(rollback.body).toMatchObject({
      kind: 'rollback',
      target: 'managed-daemon',
      rollbackOf: started.body.id,
      daemonArn: PROD_DAEMON,
      newRevision: 'datadog-agent-daemon:1',
      oldRevision: 'datadog-agent-daemon:2',
    });
    const back = await followDaemon(emu, server, rollback.body.id);
    expect(back.status).toBe('completed');
    expect(
      (await daemonTaskDefinitionNow(client, PROD_DAEMON)).taskDefinitionArn,
    ).toMatch(/:daemon-task-definition\/datadog-agent-daemon:1$/);
    expect(daemonWrites(emu)).toMatchObject({
      RegisterDaemonTaskDefinition: 1,
      CreateDaemon: 0,
      UpdateDaemon: 2,
    });
    const original = await request(server).get(
      `${API}/rollouts/${started.body.id}`,
    );
    expect(original.body).toMatchObject({
      rolledBackBy: rollback.body.id,
      canRollback: false,
    });
  });

  it('fails a deployment whose image cannot be pulled: ECS rolls it back, and the rollout says so', async () => {
    const fleet = demoFleet({ managed: true });
    for (const c of fleet.clusters) {
      if (c.name === 'prod-managed')
        c.unpullableImages = ['public.ecr.aws/datadog/agent:7.78.0'];
    }
    const server = await start({}, fleet);
    const client = ecs(emu, '111111111111', 'us-east-1');
    const started = await request(server)
      .post(`${PROD_MANAGED}/rollouts`)
      .send({ imageTag: '7.78.0', managedDaemon: { drainPercent: 50 } });
    expect(started.status).toBe(202);

    const done = await followDaemon(emu, server, started.body.id);
    expect(done).toMatchObject({
      status: 'failed',
      kind: 'rollout',
      canRollback: false,
      deployment: {
        daemonDeployment: {
          status: 'ROLLBACK_SUCCESSFUL',
          circuitBreaker: { status: 'TRIGGERED' },
          rollback: { rollbackTargetDaemonRevisionArn: expect.any(String) },
        },
      },
    });
    expect(['image-pull', 'circuit-breaker']).toContain(done.failureKind);
    expect(done.failureReason).toContain(
      'ECS rolled the daemon deployment back',
    );
    // The cluster runs what it ran before.
    expect(
      (await daemonTaskDefinitionNow(client, PROD_DAEMON)).taskDefinitionArn,
    ).toMatch(/:daemon-task-definition\/datadog-agent-daemon:1$/);
    const rollback = await request(server)
      .post(`${PROD_MANAGED}/rollouts/${started.body.id}/rollback`)
      .send({});
    expect(rollback.status).toBe(409);
    expect(rollback.body.error.reason).toBe('not-rollbackable');
  });

  it('replays a CreateDaemon whose answer was lost without calling it again', async () => {
    const lose = { count: 1 };
    const logger = capturingLogger();
    const server = await start({
      features: [losingCreateDaemon(lose)],
      logger,
    });
    const started = await request(server)
      .post(`${STAGING_MANAGED}/rollouts`)
      .send({ managedDaemon: { critical: false } });
    expect(started.status).toBe(202);
    const done = await followDaemon(emu, server, started.body.id);

    expect(lose.count).toBe(0);
    expect(done).toMatchObject({ status: 'completed', createdService: true });
    expect(daemonWrites(emu)).toMatchObject({
      RegisterDaemonTaskDefinition: 1,
      CreateDaemon: 1,
      UpdateDaemon: 0,
    });
    expect(
      logger.lines.some(l => l.includes('ECS ran its CreateDaemon already')),
    ).toBe(true);
    const { daemon } = await ecs(emu, '222222222222', 'us-east-1').send(
      new DescribeDaemonCommand({ daemonArn: done.daemonArn! }),
    );
    expect(daemon!.status).toBe('ACTIVE');
  });

  it('rolls a mixed cluster out half by half: the DAEMON service by default, the managed daemon on request', async () => {
    const server = await start();
    const service = await request(server)
      .post(`${PROD_MIXED}/rollouts/preview`)
      .send({});
    expect(service.status).toBe(200);
    expect(service.body.target).toBe('daemon-service');
    expect(service.body.instancesAffected).toHaveLength(2);
    expect(service.body.warnings.join(' ')).toContain(
      '3 instance(s) of the cluster are ECS Managed Instances',
    );

    const daemon = await request(server)
      .post(`${PROD_MIXED}/rollouts/preview`)
      .send({ target: 'managed-daemon', imageTag: '7.78.0' });
    expect(daemon.status).toBe(200);
    expect(daemon.body).toMatchObject({
      target: 'managed-daemon',
      managedDaemon: { action: 'update', capacityProviders: ['prod-mixed-mi'] },
    });
    expect(daemon.body.instancesAffected).toHaveLength(3);

    // Managed-daemon options are for the managed-daemon target only.
    const refused = await request(server)
      .post(`${PROD_MIXED}/rollouts`)
      .send({ managedDaemon: { drainPercent: 50 } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.rule).toBe('managed-daemon-options-target');
    expect(daemonWrites(emu)).toMatchObject({
      RegisterDaemonTaskDefinition: 0,
      RegisterTaskDefinition: 0,
    });
  });

  it('refuses the managed-daemon target on a cluster without Managed Instances (400 naming target), before any AWS call or record', async () => {
    const server = await start();
    const payments = `${API}/clusters/111111111111/eu-west-1/prod-eu-payments`;
    emu.control.resetCounters();
    for (const route of ['rollouts/preview', 'rollouts']) {
      const r = await request(server)
        .post(`${payments}/${route}`)
        .send({ target: 'managed-daemon' });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/^target: managed-daemon/);
    }
    const bad = await request(server)
      .post(`${STAGING_MANAGED}/rollouts`)
      .send({ managedDaemon: { drainPercent: 150 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('drainPercent');
    expect(emu.control.counters().total.calls).toBe(0);
    const history = await request(server).get(`${payments}/rollouts`);
    expect(history.body.rollouts).toEqual([]);
  });
});
