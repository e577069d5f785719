import {
  CreateDaemonCommand,
  DaemonNotActiveException,
  DaemonNotFoundException,
  DeleteDaemonCommand,
  DescribeDaemonRevisionsCommand,
  ECSClient,
  ListDaemonDeploymentsCommand,
  ListDaemonsCommand,
  StopTaskCommand,
  UpdateDaemonCommand,
} from '@aws-sdk/client-ecs';
import {
  daemonArnOf,
  daemonTasks,
  describeDaemon,
  describeDeployment,
  instancesOf,
  registerManagedAgent,
} from '../__testUtils__/daemons';
import { PROD, setupEmulator, STAGING } from '../__testUtils__/setup';
import { demoFleet } from '../fleets';

// Daemon deployments over simulated time (rollout.ts, scheduler.ts), through the SDK.

const BROKEN = 'registry.example.com/datadog/agent:7.78.0';
const CURRENT = 'public.ecr.aws/datadog/agent:7.78.0';
const miArn = (account: string, name: string) =>
  `arn:aws:ecs:us-east-1:${account}:capacity-provider/${name}`;

/** The demo fleet, where images of registry.example.com cannot be pulled in the Managed Instances clusters. */
function fleet() {
  const spec = demoFleet({ managed: true });
  for (const c of spec.clusters) {
    if (c.name.endsWith('-managed'))
      c.unpullableImages = ['registry.example.com/*'];
  }
  return spec;
}

type Ctx = Awaited<ReturnType<typeof setupEmulator>>;

/** Advances in `stepMs` steps until `done` holds (at most `maxMs`); returns what `done` returned. */
async function until<T>(
  ctx: Ctx,
  done: () => Promise<T | undefined | false>,
  { stepMs = 5_000, maxMs = 3_600_000 } = {},
): Promise<T> {
  for (let t = 0; t <= maxMs; t += stepMs) {
    const out = await done();
    if (out) return out;
    ctx.emu.control.advance(stepMs);
  }
  throw new Error('condition not reached');
}

describe('ECS Managed Daemons: deployments', () => {
  let ctx: Ctx;
  let prod: ECSClient;
  let staging: ECSClient;
  beforeEach(async () => {
    ctx = await setupEmulator({ fleet: fleet() });
    prod = ctx.client(PROD, 'us-east-1');
    staging = ctx.client(STAGING, 'us-east-1');
  });
  afterEach(() => ctx.stop());

  const createOnStaging = async (image: string, extra: object = {}) => {
    const td = await registerManagedAgent(staging, STAGING, 'us-east-1', image);
    return staging.send(
      new CreateDaemonCommand({
        daemonName: 'datadog-agent',
        clusterArn: `arn:aws:ecs:us-east-1:${STAGING}:cluster/staging-managed`,
        daemonTaskDefinitionArn: td,
        capacityProviderArns: [miArn(STAGING, 'staging-managed-mi')],
        ...extra,
      }),
    );
  };

  it('CreateDaemon replaces the existing instances one batch at a time until every instance runs the daemon', async () => {
    const before = (await instancesOf(staging, 'staging-managed')).map(
      i => i.containerInstanceArn,
    );
    const created = await createOnStaging(CURRENT);
    expect(created.status).toBe('ACTIVE');
    let d = await describeDeployment(staging, created.deploymentArn!);
    expect(d).toMatchObject({
      status: 'PENDING',
      circuitBreaker: { failureCount: 0, status: 'MONITORING', threshold: 10 },
      alarms: { status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] },
      deploymentConfiguration: {
        drainPercent: 25,
        bakeTimeInMinutes: 0,
        alarms: { alarmNames: [], enable: false },
      },
      sourceDaemonRevisions: [],
    });
    ctx.emu.control.advance(1_000);
    d = await describeDeployment(staging, created.deploymentArn!);
    expect(d.status).toBe('IN_PROGRESS');
    expect(d.startedAt).toBeDefined();
    // 25 % of 3 instances, rounded up: one at a time.
    let maxDraining = 0;
    await until(ctx, async () => {
      const instances = await instancesOf(staging, 'staging-managed');
      const draining = instances.filter(i => i.status === 'DRAINING').length;
      maxDraining = Math.max(maxDraining, draining);
      d = await describeDeployment(staging, created.deploymentArn!);
      return d.status === 'SUCCESSFUL';
    });
    expect(maxDraining).toBe(1);
    expect(d).toMatchObject({
      statusReason: 'Deployment completed successfully.',
      circuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0 },
      targetDaemonRevision: {
        capacityProviders: [
          {
            arn: miArn(STAGING, 'staging-managed-mi'),
            runningInstanceCount: 3,
            drainingInstanceCount: 0,
          },
        ],
        totalRunningInstanceCount: 3,
        totalDrainingInstanceCount: 0,
      },
    });
    const after = await instancesOf(staging, 'staging-managed');
    expect(after).toHaveLength(3);
    expect(after.every(i => !before.includes(i.containerInstanceArn))).toBe(
      true,
    );
    const tasks = await daemonTasks(staging, 'staging-managed');
    expect(tasks.map(t => t.containerInstanceArn).sort()).toEqual(
      after.map(i => i.containerInstanceArn).sort(),
    );
    const id = created.deploymentArn!.split('/').pop();
    for (const t of tasks) {
      expect(t).toMatchObject({
        lastStatus: 'RUNNING',
        healthStatus: 'HEALTHY',
        startedBy: id,
        capacityProviderName: 'staging-managed-mi',
      });
    }
    const daemon = await describeDaemon(staging, created.daemonArn!);
    expect(daemon.currentRevisions!.map(r => r.totalRunningCount)).toEqual([3]);
  });

  it('UpdateDaemon drains drainPercent of the instances per step and waits bakeTimeInMinutes between steps', async () => {
    const daemonArn = (await daemonArnOf(prod, 'prod-managed'))!;
    const oldRevision = (await describeDaemon(prod, daemonArn))
      .currentRevisions![0].arn!;
    const td = await registerManagedAgent(prod, PROD, 'us-east-1', CURRENT);
    const updated = await prod.send(
      new UpdateDaemonCommand({
        daemonArn,
        daemonTaskDefinitionArn: td,
        capacityProviderArns: [miArn(PROD, 'prod-managed-mi')],
        deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 5 },
      }),
    );
    expect(updated.updatedAt).toBeDefined();
    const samples: Array<{
      at: number;
      draining: number;
      target: number;
      sourceDraining: number;
    }> = [];
    let d = await describeDeployment(prod, updated.deploymentArn!);
    await until(
      ctx,
      async () => {
        d = await describeDeployment(prod, updated.deploymentArn!);
        const draining = (await instancesOf(prod, 'prod-managed')).filter(
          i => i.status === 'DRAINING',
        ).length;
        samples.push({
          at: ctx.emu.control.now(),
          draining,
          target: d.targetDaemonRevision!.totalRunningInstanceCount!,
          sourceDraining:
            d.sourceDaemonRevisions![0].totalDrainingInstanceCount!,
        });
        return d.status === 'SUCCESSFUL';
      },
      { stepMs: 5_000 },
    );
    // 50 % of 4: two instances at a time, never more.
    expect(Math.max(...samples.map(s => s.draining))).toBe(2);
    // The drained instances are the old revision's, reported as draining.
    expect(Math.max(...samples.map(s => s.sourceDraining))).toBe(2);
    const firstStepDone = samples.find(
      s => s.target === 2 && s.draining === 0,
    )!;
    const secondStep = samples.find(
      s => s.at > firstStepDone.at && s.draining > 0,
    )!;
    expect(secondStep.at - firstStepDone.at).toBeGreaterThanOrEqual(
      5 * 60_000 - 5_000,
    );
    expect(d.sourceDaemonRevisions).toEqual([
      expect.objectContaining({
        arn: oldRevision,
        totalRunningInstanceCount: 0,
      }),
    ]);
    expect(d.targetDaemonRevision!.totalRunningInstanceCount).toBe(4);
    const daemon = await describeDaemon(prod, daemonArn);
    expect(
      daemon.currentRevisions!.map(r => [r.arn, r.totalRunningCount]),
    ).toEqual([[d.targetDaemonRevision!.arn, 4]]);
    const tasks = await daemonTasks(prod, 'prod-managed');
    expect(new Set(tasks.map(t => t.taskDefinitionArn))).toEqual(new Set([td]));
  });

  it('rolls a failing update back to the previous revision once the circuit breaker trips', async () => {
    const daemonArn = (await daemonArnOf(prod, 'prod-managed'))!;
    const oldRevision = (await describeDaemon(prod, daemonArn))
      .currentRevisions![0].arn!;
    const td = await registerManagedAgent(prod, PROD, 'us-east-1', BROKEN);
    const updated = await prod.send(
      new UpdateDaemonCommand({
        daemonArn,
        daemonTaskDefinitionArn: td,
        capacityProviderArns: [miArn(PROD, 'prod-managed-mi')],
      }),
    );
    let d = await until(ctx, async () => {
      const x = await describeDeployment(prod, updated.deploymentArn!);
      return x.status !== 'PENDING' && x.status !== 'IN_PROGRESS' && x;
    });
    expect(d).toMatchObject({
      status: 'ROLLBACK_IN_PROGRESS',
      statusReason:
        'ECS deployment circuit breaker: daemon tasks failed to start.',
      circuitBreaker: { status: 'TRIGGERED', failureCount: 10, threshold: 10 },
      rollback: {
        reason: 'ECS deployment circuit breaker: daemon tasks failed to start.',
        rollbackTargetDaemonRevisionArn: oldRevision,
        rollbackCapacityProviders: [miArn(PROD, 'prod-managed-mi')],
      },
    });
    const failed = await daemonTasks(
      prod,
      'prod-managed',
      'datadog-agent',
      'STOPPED',
    );
    const pullFailures = failed.filter(t => t.stopCode === 'TaskFailedToStart');
    expect(pullFailures.length).toBeGreaterThanOrEqual(10);
    expect(pullFailures[0].stoppedReason).toMatch(
      /^CannotPullContainerError: .*registry\.example\.com\/datadog\/agent:7\.78\.0/,
    );
    d = await until(ctx, async () => {
      const x = await describeDeployment(prod, updated.deploymentArn!);
      return x.status !== 'ROLLBACK_IN_PROGRESS' && x;
    });
    expect(d.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(d.finishedAt).toBeDefined();
    const daemon = await describeDaemon(prod, daemonArn);
    expect(
      daemon.currentRevisions!.map(r => [r.arn, r.totalRunningCount]),
    ).toEqual([[oldRevision, 4]]);
    const list = await prod.send(
      new ListDaemonDeploymentsCommand({ daemonArn }),
    );
    expect(list.daemonDeployments!.map(x => x.status)).toEqual([
      'ROLLBACK_SUCCESSFUL',
      'SUCCESSFUL',
    ]);
  });

  it('fails the rollback when the previous revision cannot start either (ROLLBACK_FAILED)', async () => {
    const daemonArn = (await daemonArnOf(prod, 'prod-managed'))!;
    const td = await registerManagedAgent(prod, PROD, 'us-east-1', BROKEN);
    const updated = await prod.send(
      new UpdateDaemonCommand({
        daemonArn,
        daemonTaskDefinitionArn: td,
        capacityProviderArns: [miArn(PROD, 'prod-managed-mi')],
      }),
    );
    await until(
      ctx,
      async () =>
        (await describeDeployment(prod, updated.deploymentArn!)).status ===
        'ROLLBACK_IN_PROGRESS',
    );
    // The registry of the previous revision's image goes down too.
    ctx.emu.core.world
      .region(PROD, 'us-east-1')
      .clusters.get('prod-managed')!
      .unpullableImages.push('public.ecr.aws/datadog/*');
    const d = await until(ctx, async () => {
      const x = await describeDeployment(prod, updated.deploymentArn!);
      return x.status !== 'ROLLBACK_IN_PROGRESS' && x;
    });
    expect(d.status).toBe('ROLLBACK_FAILED');
    expect(d.circuitBreaker!.failureCount).toBeGreaterThanOrEqual(20);
    expect(d.stoppedAt).toBeDefined();
  });

  it('stops a deployment that a newer UpdateDaemon replaces (STOP_REQUESTED → STOPPED)', async () => {
    const daemonArn = (await daemonArnOf(prod, 'prod-managed'))!;
    const td = await registerManagedAgent(prod, PROD, 'us-east-1', CURRENT);
    const update = () =>
      prod.send(
        new UpdateDaemonCommand({
          daemonArn,
          daemonTaskDefinitionArn: td,
          capacityProviderArns: [miArn(PROD, 'prod-managed-mi')],
        }),
      );
    const first = await update();
    ctx.emu.control.advance(10_000);
    const second = await update();
    expect((await describeDeployment(prod, first.deploymentArn!)).status).toBe(
      'STOP_REQUESTED',
    );
    expect((await describeDeployment(prod, second.deploymentArn!)).status).toBe(
      'PENDING',
    );
    ctx.emu.control.advance(1_000);
    const stopped = await describeDeployment(prod, first.deploymentArn!);
    expect(stopped.status).toBe('STOPPED');
    expect(stopped.stoppedAt).toBeDefined();
    await until(
      ctx,
      async () =>
        (await describeDeployment(prod, second.deploymentArn!)).status ===
        'SUCCESSFUL',
    );
    const byStatus = await prod.send(
      new ListDaemonDeploymentsCommand({ daemonArn, status: ['STOPPED'] }),
    );
    expect(byStatus.daemonDeployments!.map(x => x.daemonDeploymentArn)).toEqual(
      [first.deploymentArn],
    );
  });

  it('keeps the instances of a non-critical daemon that cannot start, counted as withoutDaemonCount', async () => {
    const created = await createOnStaging(BROKEN, { critical: false });
    const d = await until(ctx, async () => {
      const x = await describeDeployment(staging, created.deploymentArn!);
      return x.status === 'SUCCESSFUL' && x;
    });
    expect(d.circuitBreaker!.failureCount).toBe(3);
    expect(d.targetDaemonRevision).toMatchObject({
      capacityProviders: [
        {
          runningInstanceCount: 0,
          withoutDaemonInstanceCount: 3,
          drainingInstanceCount: 0,
        },
      ],
      totalRunningInstanceCount: 0,
      totalWithoutDaemonInstanceCount: 3,
    });
    const daemon = await describeDaemon(staging, created.daemonArn!);
    expect(daemon.currentRevisions![0]).toMatchObject({
      capacityProviders: [{ runningCount: 0, withoutDaemonCount: 3 }],
      totalRunningCount: 0,
      totalWithoutDaemonCount: 3,
    });
    const instances = await instancesOf(staging, 'staging-managed');
    expect(instances.map(i => i.status)).toEqual([
      'ACTIVE',
      'ACTIVE',
      'ACTIVE',
    ]);
    // They stay: no replacement after the deployment.
    ctx.emu.control.advance(600_000);
    expect(
      (await instancesOf(staging, 'staging-managed')).map(
        i => i.containerInstanceArn,
      ),
    ).toEqual(instances.map(i => i.containerInstanceArn));
    const revision = (
      await staging.send(
        new DescribeDaemonRevisionsCommand({
          daemonRevisionArns: [daemon.currentRevisions![0].arn!],
        }),
      )
    ).daemonRevisions![0];
    expect(revision.critical).toBe(false);
  });

  it('stops the first deployment of a critical daemon that cannot start (nothing to roll back to)', async () => {
    const created = await createOnStaging(BROKEN);
    const d = await until(ctx, async () => {
      const x = await describeDeployment(staging, created.deploymentArn!);
      return x.status !== 'PENDING' && x.status !== 'IN_PROGRESS' && x;
    });
    expect(d).toMatchObject({
      status: 'STOPPED',
      statusReason:
        'ECS deployment circuit breaker: daemon tasks failed to start.',
      circuitBreaker: { status: 'TRIGGERED', failureCount: 10 },
    });
    expect(d.rollback).toBeUndefined();
  });

  it('drains and replaces the instance of a critical daemon task that stops', async () => {
    const [task] = await daemonTasks(prod, 'prod-managed');
    await prod.send(
      new StopTaskCommand({ cluster: 'prod-managed', task: task.taskArn }),
    );
    ctx.emu.control.advance(5_000);
    const instances = await instancesOf(prod, 'prod-managed');
    expect(
      instances.find(i => i.containerInstanceArn === task.containerInstanceArn)
        ?.status,
    ).toBe('DRAINING');
    await until(ctx, async () => {
      const tasks = await daemonTasks(prod, 'prod-managed');
      return (
        tasks.filter(t => t.lastStatus === 'RUNNING').length === 4 &&
        (await instancesOf(prod, 'prod-managed')).length === 4
      );
    });
    const now = await instancesOf(prod, 'prod-managed');
    expect(now.map(i => i.containerInstanceArn)).not.toContain(
      task.containerInstanceArn,
    );
    expect(now.every(i => i.status === 'ACTIVE')).toBe(true);
  });

  it('starts the daemon on an instance that joins, and DeleteDaemon replaces the instances without it', async () => {
    const daemonArn = (await daemonArnOf(prod, 'prod-managed'))!;
    const [joined] = ctx.emu.control.join({
      accountId: PROD,
      region: 'us-east-1',
      cluster: 'prod-managed',
      capacityProviderName: 'prod-managed-mi',
    });
    ctx.emu.control.advance(15_000);
    const onJoined = (await daemonTasks(prod, 'prod-managed')).filter(
      t => t.containerInstanceArn === joined,
    );
    expect(onJoined.map(t => t.lastStatus)).toEqual(['RUNNING']);

    const deleted = await prod.send(new DeleteDaemonCommand({ daemonArn }));
    expect(deleted.status).toBe('DELETE_IN_PROGRESS');
    await expect(
      prod.send(
        new UpdateDaemonCommand({
          daemonArn,
          daemonTaskDefinitionArn: 'datadog-agent-daemon:1',
          capacityProviderArns: [miArn(PROD, 'prod-managed-mi')],
        }),
      ),
    ).rejects.toBeInstanceOf(DaemonNotActiveException);
    await until(
      ctx,
      async () =>
        (await describeDeployment(prod, deleted.deploymentArn!)).status ===
        'SUCCESSFUL',
    );
    await expect(
      prod.send(new DeleteDaemonCommand({ daemonArn })),
    ).rejects.toBeInstanceOf(DaemonNotFoundException);
    const list = await prod.send(
      new ListDaemonsCommand({ clusterArn: 'prod-managed' }),
    );
    expect(list.daemonSummariesList).toEqual([]);
    expect(await daemonTasks(prod, 'prod-managed')).toEqual([]);
    const instances = await instancesOf(prod, 'prod-managed');
    expect(instances).toHaveLength(5);
    expect(
      instances.every(i => i.status === 'ACTIVE' && i.runningTasksCount === 0),
    ).toBe(true);
  });
});
