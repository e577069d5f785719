/*
 * ECS Managed Instances and ECS Managed Daemons in the inventory, through the real SDK and router
 * against the emulator's `demo+managed` fleet: each instance's capacity, coverage from the daemon's
 * tasks with the reasons (no daemon, a non-critical daemon's instance without it, an instance being
 * replaced by a deployment), the daemon's summary, and features and findings read from the daemon
 * task definition. Mixed clusters show both halves.
 */
import {
  CreateDaemonCommand,
  ECSClient,
  RegisterDaemonTaskDefinitionCommand,
  UpdateDaemonCommand,
} from '@aws-sdk/client-ecs';
import { demoFleet, startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  Emulator,
  Server,
  refreshSnapshot,
  startBackend,
} from './__testUtils__/integration';

jest.setTimeout(90_000);

const API = '/api/datadog-ecs';
const STAGING = '222222222222';
const PROD = '111111111111';
const BROKEN = 'registry.example.com/datadog/agent:7.78.0';

/** demo+managed, where images of registry.example.com cannot be pulled on the managed clusters. */
function fleet() {
  const spec = demoFleet({ managed: true });
  for (const c of spec.clusters) {
    if (c.name.endsWith('-managed'))
      c.unpullableImages = ['registry.example.com/*'];
  }
  return spec;
}

function ecsClient(emu: Emulator, accountId: string, region = 'us-east-1') {
  return new ECSClient(emu.clientConfig({ accountId, region }));
}

async function registerAgent(client: ECSClient, image: string) {
  const r = await client.send(
    new RegisterDaemonTaskDefinitionCommand({
      family: 'datadog-agent-daemon',
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'datadog-agent',
          image,
          essential: true,
          environment: [
            { name: 'ECS_MANAGED_INSTANCES', value: 'true' },
            {
              name: 'DD_CRI_SOCKET_PATH',
              value: '/run/containerd/containerd.sock',
            },
          ],
        },
      ],
    }),
  );
  return r.daemonTaskDefinitionArn!;
}

/** A refresh now: the test backend refuses one within a second of the last (429). */
async function refreshAgain(server: Server['server']) {
  for (let i = 0; i < 20; i++) {
    const r = await request(server).post(`${API}/refresh`);
    if (r.status === 202) break;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  await refreshSnapshot(server);
}

describe('ECS Managed Instances and Managed Daemons in the inventory (demo+managed, real SDK)', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;
  const get = async (cluster: string) => {
    const res = await request(backend!.server).get(
      `${API}/clusters/${cluster}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    emu = await startEcsEmulator({ fleet: fleet(), clock: { mode: 'manual' } });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-managed-'));
    backend = await startBackend(emu, { dbDir });
    await refreshSnapshot(backend.server);
  });
  afterAll(async () => {
    await backend?.stop();
    await emu?.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  it('shows a Managed Instances cluster covered by its critical managed daemon, with the daemon task definition’s features and findings', async () => {
    const body = await get(`${PROD}/us-east-1/prod-managed`);
    expect(body.error).toBeUndefined();
    expect(body.counts).toMatchObject({ instances: 4, covered: 4, desired: 4 });
    expect(body.coveragePercent).toBe(100);
    expect(body.instances.map((i: any) => i.capacity)).toEqual(
      Array(4).fill({
        kind: 'managed-instances',
        capacityProviderName: 'prod-managed-mi',
      }),
    );
    expect(body.instances[0].agentTask.taskDefinitionArn).toMatch(
      /:daemon-task-definition\/datadog-agent-daemon:1$/,
    );
    expect(body.agentScheduling).toMatchObject({
      mode: 'managed-daemon',
      daemonServices: [],
      managedDaemons: ['datadog-agent'],
      standaloneTasks: 0,
    });
    expect(body.managedDaemons).toHaveLength(1);
    expect(body.managedDaemons[0]).toMatchObject({
      daemonName: 'datadog-agent',
      status: 'ACTIVE',
      critical: true,
      revision: 'datadog-agent-daemon:1',
      runningCount: 4,
      withoutDaemonCount: 0,
      capacityProviders: [
        expect.objectContaining({
          name: 'prod-managed-mi',
          runningCount: 4,
          withoutDaemonCount: 0,
        }),
      ],
      currentDeployment: expect.objectContaining({ status: 'SUCCESSFUL' }),
    });
    expect(body.managedInstancesCapacityProviders).toEqual([
      expect.objectContaining({ name: 'prod-managed-mi', instances: 4 }),
    ]);
    expect(body.currentRevision).toBe('datadog-agent-daemon:1');
    expect(body.featureRevision).toBe('datadog-agent-daemon:1');
    expect(body.taskDefinitions.map((t: any) => t.taskDefinitionArn)).toEqual([
      expect.stringMatching(/:daemon-task-definition\/datadog-agent-daemon:1$/),
    ]);
    const ids = body.findings.map((f: any) => f.id);
    // Agent 7.65.0 is older than the 7.77.0 Datadog documents for Managed Instances.
    expect(ids).toContain('managedInstances.agent-too-old');
    expect(ids).not.toContain('cluster.managed-daemons-not-inventoried');
    expect(ids).not.toContain('cluster.agent-standalone-tasks');
  });

  it('says no managed daemon runs on a Managed Instances cluster without the Agent', async () => {
    const body = await get(`${STAGING}/us-east-1/staging-managed`);
    expect(body.counts).toMatchObject({ instances: 3, covered: 0, missing: 3 });
    expect(body.agentScheduling.mode).toBe('none');
    expect(body.managedDaemons).toBeUndefined();
    expect(body.managedInstancesCapacityProviders).toEqual([
      expect.objectContaining({ name: 'staging-managed-mi', instances: 3 }),
    ]);
    for (const i of body.instances) {
      expect(i.capacity.kind).toBe('managed-instances');
      expect(i.reason.code).toBe('no-managed-daemon');
      expect(i.reason.message).toContain('staging-managed-mi');
    }
  });

  it('shows both halves of a mixed cluster, per instance', async () => {
    const body = await get(`${PROD}/eu-west-1/prod-mixed`);
    expect(body.error).toBeUndefined();
    expect(body.counts).toMatchObject({ instances: 5, covered: 5 });
    const kinds = body.instances.map((i: any) => i.capacity.kind).sort();
    expect(kinds).toEqual([
      'ec2-asg',
      'ec2-asg',
      'managed-instances',
      'managed-instances',
      'managed-instances',
    ]);
    for (const i of body.instances) {
      expect(i.agentTask.taskDefinitionArn).toMatch(
        i.capacity.kind === 'managed-instances'
          ? /:daemon-task-definition\/datadog-agent-daemon:1$/
          : /:task-definition\/datadog-agent-task:2$/,
      );
      expect(i.agentTask.upToDate).toBe(true);
    }
    expect(body.agentScheduling).toMatchObject({
      mode: 'mixed',
      daemonServices: ['datadog-agent'],
      managedDaemons: ['datadog-agent'],
    });
    expect(body.managedDaemons[0]).toMatchObject({
      critical: false,
      currentDeployment: expect.objectContaining({
        drainPercent: 50,
        bakeTimeInMinutes: 2,
      }),
    });
    expect(body.taskDefinitions).toHaveLength(2);
    expect(body.findings.map((f: any) => f.id)).not.toContain(
      'cluster.managed-daemons-not-inventoried',
    );
  });

  it('reports a non-critical daemon’s instances running without it, with the stopped task’s reason', async () => {
    const staging = ecsClient(emu, STAGING);
    const td = await registerAgent(staging, BROKEN);
    await staging.send(
      new CreateDaemonCommand({
        daemonName: 'datadog-agent',
        clusterArn: `arn:aws:ecs:us-east-1:${STAGING}:cluster/staging-managed`,
        daemonTaskDefinitionArn: td,
        capacityProviderArns: [
          `arn:aws:ecs:us-east-1:${STAGING}:capacity-provider/staging-managed-mi`,
        ],
        critical: false,
      }),
    );
    for (let i = 0; i < 40; i++) emu.control.advance(15_000);
    await refreshAgain(backend!.server);
    const body = await get(`${STAGING}/us-east-1/staging-managed`);
    expect(body.managedDaemons[0]).toMatchObject({
      critical: false,
      runningCount: 0,
      withoutDaemonCount: 3,
    });
    expect(body.counts).toMatchObject({ instances: 3, covered: 0 });
    for (const i of body.instances) {
      expect(i.state).toBe('missing');
      expect(i.status).toBe('ACTIVE');
      expect(i.reason.code).toBe('without-daemon');
      expect(i.reason.message).toContain('not critical');
      expect(i.reason.evidence).toMatch(/CannotPullContainerError/);
    }
  });

  it('says which instances a daemon deployment is replacing', async () => {
    const prod = ecsClient(emu, PROD);
    const td = await registerAgent(prod, 'public.ecr.aws/datadog/agent:7.78.0');
    await prod.send(
      new UpdateDaemonCommand({
        daemonArn: `arn:aws:ecs:us-east-1:${PROD}:daemon/prod-managed/datadog-agent`,
        daemonTaskDefinitionArn: td,
        capacityProviderArns: [
          `arn:aws:ecs:us-east-1:${PROD}:capacity-provider/prod-managed-mi`,
        ],
        deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0 },
      }),
    );
    // Step by step until an instance is draining, then look.
    let body: any;
    for (let i = 0; i < 10; i++) {
      emu.control.advance(5_000);
      await refreshAgain(backend!.server);
      body = await get(`${PROD}/us-east-1/prod-managed`);
      if (body.instances.some((x: any) => x.status === 'DRAINING')) break;
    }
    const draining = body.instances.filter((x: any) => x.status === 'DRAINING');
    expect(draining.length).toBe(1); // 25% of 4
    expect(body.managedDaemons[0].currentDeployment.status).toBe('IN_PROGRESS');
    // Each still runs its old Agent, or has stopped it and is being replaced.
    const verdicts = draining.map((x: any) =>
      x.state === 'covered'
        ? `covered, up to date: ${x.agentTask.upToDate}`
        : `${x.state}: ${x.reason.code}: ${/datadog-agent/.test(x.reason.message)}`,
    );
    for (const v of verdicts) {
      expect([
        'covered, up to date: false',
        'pending: instance-replaced: true',
      ]).toContain(v);
    }
  });

  it('fails no cluster of the fleet, and never asks DescribeTaskDefinition for a daemon task definition', async () => {
    const { clusters } = (await request(backend!.server).get(`${API}/clusters`))
      .body;
    expect(clusters.filter((c: any) => c.error)).toEqual([]);
    const counters = emu.control.counters();
    expect(counters.operations.DescribeTaskDefinition?.errors ?? 0).toBe(0);
    expect(
      counters.operations.DescribeDaemonTaskDefinition?.calls,
    ).toBeGreaterThan(0);
    // Only the three clusters with Managed Instances capacity are asked for their daemons.
    expect(counters.operations.ListDaemons?.calls).toBeGreaterThan(0);
  });
});
