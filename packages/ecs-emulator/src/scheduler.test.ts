import {
  CreateServiceCommand,
  DescribeContainerInstancesCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { PROD, setupEmulator } from './__testUtils__/setup';

type Ctx = Awaited<ReturnType<typeof setupEmulator>>;

async function describeService(
  client: ECSClient,
  cluster: string,
  service: string,
) {
  const out = await client.send(
    new DescribeServicesCommand({ cluster, services: [service] }),
  );
  return out.services![0];
}

async function tasksOf(
  client: ECSClient,
  cluster: string,
  serviceName: string,
  desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING',
) {
  const arns = (
    await client.send(
      new ListTasksCommand({ cluster, serviceName, desiredStatus }),
    )
  ).taskArns!;
  if (arns.length === 0) return [];
  return (await client.send(new DescribeTasksCommand({ cluster, tasks: arns })))
    .tasks!;
}

/** Registers the current agent revision in an account/region from prod-web's definition. */
async function registerAgent(
  source: ECSClient,
  target: ECSClient,
  image?: string,
) {
  const td = (
    await source.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: 'datadog-agent-task:1',
        include: ['TAGS'],
      }),
    )
  ).taskDefinition!;
  const containerDefinitions = td.containerDefinitions!.map(c =>
    image ? { ...c, image } : c,
  );
  const out = await target.send(
    new RegisterTaskDefinitionCommand({
      family: 'datadog-agent-task',
      containerDefinitions,
      volumes: td.volumes,
      networkMode: td.networkMode,
      executionRoleArn: td.executionRoleArn,
      requiresCompatibilities: td.requiresCompatibilities,
    }),
  );
  return out.taskDefinition!;
}

describe('scheduler behaviour over simulated time', () => {
  let ctx: Ctx;
  let use1: ECSClient;
  let euw1: ECSClient;

  beforeEach(async () => {
    ctx = await setupEmulator();
    use1 = ctx.client(PROD, 'us-east-1');
    euw1 = ctx.client(PROD, 'eu-west-1');
  });
  afterEach(() => ctx.stop());

  it('rolls a DAEMON out to 100% of prod-eu-payments', async () => {
    const td = await registerAgent(use1, euw1);
    expect(td.revision).toBe(3); // eu-west-1 already has revisions 1 (legacy) and 2
    const created = await euw1.send(
      new CreateServiceCommand({
        cluster: 'prod-eu-payments',
        serviceName: 'datadog-agent',
        taskDefinition: td.taskDefinitionArn,
        schedulingStrategy: 'DAEMON',
        launchType: 'EC2',
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      }),
    );
    expect(created.service!.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'IN_PROGRESS',
    });

    ctx.emu.control.advance(1_000);
    let tasks = await tasksOf(euw1, 'prod-eu-payments', 'datadog-agent');
    expect(tasks).toHaveLength(3);
    expect(new Set(tasks.map(t => t.lastStatus))).toEqual(
      new Set(['PROVISIONING']),
    );

    ctx.emu.control.advance(3_000);
    tasks = await tasksOf(euw1, 'prod-eu-payments', 'datadog-agent');
    expect(tasks.every(t => t.lastStatus === 'PENDING')).toBe(true);

    ctx.emu.control.advance(4_000);
    tasks = await tasksOf(euw1, 'prod-eu-payments', 'datadog-agent');
    expect(
      tasks.every(
        t => t.lastStatus === 'RUNNING' && t.healthStatus === 'UNKNOWN',
      ),
    ).toBe(true);
    expect(
      (await describeService(euw1, 'prod-eu-payments', 'datadog-agent'))
        .deployments![0].rolloutState,
    ).toBe('IN_PROGRESS');

    ctx.emu.control.advance(10_000);
    tasks = await tasksOf(euw1, 'prod-eu-payments', 'datadog-agent');
    expect(tasks.every(t => t.healthStatus === 'HEALTHY')).toBe(true);
    expect(new Set(tasks.map(t => t.containerInstanceArn)).size).toBe(3);

    const svc = await describeService(
      euw1,
      'prod-eu-payments',
      'datadog-agent',
    );
    expect(svc.desiredCount).toBe(3);
    expect(svc.runningCount).toBe(3);
    expect(svc.deployments![0]).toMatchObject({
      rolloutState: 'COMPLETED',
      runningCount: 3,
      failedTasks: 0,
    });
    const messages = svc.events!.map(e => e.message!);
    expect(messages[0]).toBe(
      `(service datadog-agent) (deployment ${
        svc.deployments![0].id
      }) deployment completed.`,
    );
    expect(messages[1]).toBe(
      '(service datadog-agent) has reached a steady state.',
    );
    expect(messages[2]).toMatch(
      /^\(service datadog-agent\) has started 3 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/,
    );

    const list = await euw1.send(
      new ListServiceDeploymentsCommand({
        cluster: 'prod-eu-payments',
        service: 'datadog-agent',
      }),
    );
    expect(list.serviceDeployments).toHaveLength(1);
    expect(list.serviceDeployments![0].status).toBe('SUCCESSFUL');
    const sd = await euw1.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [
          list.serviceDeployments![0].serviceDeploymentArn!,
          'arn:aws:ecs:eu-west-1:111111111111:service-deployment/prod-eu-payments/datadog-agent/nope',
        ],
      }),
    );
    expect(sd.serviceDeployments![0]).toMatchObject({
      status: 'SUCCESSFUL',
      targetServiceRevision: { requestedTaskCount: 3, runningTaskCount: 3 },
      deploymentCircuitBreaker: {
        status: 'MONITORING_COMPLETE',
        failureCount: 0,
        threshold: 3,
      },
    });
    expect(sd.failures).toHaveLength(1);
    expect(sd.failures![0].reason).toBe('MISSING');
  });

  it('replaces DAEMON tasks on UpdateService and completes the new deployment', async () => {
    const old = await describeService(use1, 'prod-web', 'datadog-agent');
    const td = await registerAgent(
      use1,
      use1,
      'public.ecr.aws/datadog/agent:7.61.0',
    );
    const updated = await use1.send(
      new UpdateServiceCommand({
        cluster: 'prod-web',
        service: 'datadog-agent',
        taskDefinition: td.taskDefinitionArn,
      }),
    );
    expect(
      updated.service!.deployments!.map(d => [d.status, d.rolloutState]),
    ).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    ctx.emu.control.advance(1_000);
    const stopping = await tasksOf(
      use1,
      'prod-web',
      'datadog-agent',
      'STOPPED',
    );
    expect(stopping).toHaveLength(4); // minimumHealthyPercent 0: all old tasks stop
    expect(stopping[0].stoppedReason).toBe(
      `Scaling activity initiated by (deployment ${
        updated.service!.deployments![0].id
      })`,
    );
    ctx.emu.control.advance(30_000);
    const svc = await describeService(use1, 'prod-web', 'datadog-agent');
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments![0]).toMatchObject({
      id: updated.service!.deployments![0].id,
      rolloutState: 'COMPLETED',
      runningCount: 4,
    });
    expect(svc.taskDefinition).toBe(td.taskDefinitionArn);
    const tasks = await tasksOf(use1, 'prod-web', 'datadog-agent');
    expect(tasks.map(t => t.taskDefinitionArn)).toEqual(
      Array(4).fill(td.taskDefinitionArn),
    );
    expect(
      svc.events!.some(e =>
        e.message!.startsWith(
          '(service datadog-agent) has stopped 4 running tasks:',
        ),
      ),
    ).toBe(true);
    const deployments = await use1.send(
      new ListServiceDeploymentsCommand({
        cluster: 'prod-web',
        service: 'datadog-agent',
      }),
    );
    expect(deployments.serviceDeployments!.map(d => d.status)).toEqual([
      'SUCCESSFUL',
      'SUCCESSFUL',
    ]);
    expect(old.deployments![0].id).not.toBe(svc.deployments![0].id);
  });

  it('rolls a REPLICA service within minimumHealthyPercent / maximumPercent', async () => {
    const current = (
      await use1.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: 'checkout-api' }),
      )
    ).taskDefinition!;
    const td = (
      await use1.send(
        new RegisterTaskDefinitionCommand({
          family: 'checkout-api',
          containerDefinitions: current.containerDefinitions!.map(c => ({
            ...c,
            image: 'checkout-api:1.15.0',
          })),
        }),
      )
    ).taskDefinition!;
    await use1.send(
      new UpdateServiceCommand({
        cluster: 'prod-web',
        service: 'checkout-api',
        taskDefinition: td.taskDefinitionArn,
      }),
    );
    ctx.emu.control.advance(1_000);
    let svc = await describeService(use1, 'prod-web', 'checkout-api');
    // max 200%: 4 new tasks start while the 4 old keep running (min 100%)
    expect(svc.deployments![0].pendingCount).toBe(4);
    expect(svc.deployments![1].runningCount).toBe(4);
    ctx.emu.control.advance(30_000);
    svc = await describeService(use1, 'prod-web', 'checkout-api');
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments![0]).toMatchObject({
      rolloutState: 'COMPLETED',
      runningCount: 4,
    });
  });

  it('fails a rollout in sandbox (unpullable image) through the circuit breaker', async () => {
    const td = await registerAgent(use1, use1);
    await use1.send(
      new CreateServiceCommand({
        cluster: 'sandbox',
        serviceName: 'datadog-agent',
        taskDefinition: td.taskDefinitionArn,
        schedulingStrategy: 'DAEMON',
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      }),
    );
    ctx.emu.control.advance(60_000);
    const svc = await describeService(use1, 'sandbox', 'datadog-agent');
    expect(svc.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'FAILED',
      rolloutStateReason:
        'ECS deployment circuit breaker: tasks failed to start.',
      runningCount: 0,
    });
    expect(svc.deployments![0].failedTasks).toBeGreaterThanOrEqual(3);
    expect(svc.events![0].message).toBe(
      `(service datadog-agent) (deployment ${
        svc.deployments![0].id
      }) deployment failed: tasks failed to start.`,
    );
    const stopped = await tasksOf(use1, 'sandbox', 'datadog-agent', 'STOPPED');
    expect(stopped.length).toBe(svc.deployments![0].failedTasks);
    const t = stopped[0];
    expect(t.lastStatus).toBe('STOPPED');
    expect(t.stopCode).toBe('TaskFailedToStart');
    expect(t.stoppedReason).toMatch(
      /^CannotPullContainerError: pull image manifest has been retried \d+ time\(s\): failed to resolve ref public\.ecr\.aws\/datadog\/agent:7\.60\.0: /,
    );
    expect(t.containers![0].reason).toBe(t.stoppedReason);
    expect(t.containers![0].lastStatus).toBe('STOPPED');
    // the stalled deployment launches nothing more
    const before = svc.deployments![0].failedTasks;
    ctx.emu.control.advance(60_000);
    expect(
      (await describeService(use1, 'sandbox', 'datadog-agent')).deployments![0]
        .failedTasks,
    ).toBe(before);
    const sds = await use1.send(
      new ListServiceDeploymentsCommand({
        cluster: 'sandbox',
        service: 'datadog-agent',
      }),
    );
    expect(sds.serviceDeployments![0]).toMatchObject({
      status: 'ROLLBACK_FAILED',
    });
  });

  it('rolls back to the last completed deployment when the circuit breaker trips', async () => {
    const good = (
      await use1.send(
        new RegisterTaskDefinitionCommand({
          family: 'sandbox-app',
          containerDefinitions: [
            { name: 'app', image: 'busybox:1.36', memory: 128 },
          ],
        }),
      )
    ).taskDefinition!;
    await use1.send(
      new CreateServiceCommand({
        cluster: 'sandbox',
        serviceName: 'app',
        taskDefinition: good.taskDefinitionArn,
        desiredCount: 2,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      }),
    );
    ctx.emu.control.advance(20_000);
    const first = await describeService(use1, 'sandbox', 'app');
    expect(first.deployments![0].rolloutState).toBe('COMPLETED');
    const bad = (
      await use1.send(
        new RegisterTaskDefinitionCommand({
          family: 'sandbox-app',
          containerDefinitions: [
            { name: 'app', image: 'datadog/agent:7', memory: 128 },
          ],
        }),
      )
    ).taskDefinition!;
    await use1.send(
      new UpdateServiceCommand({
        cluster: 'sandbox',
        service: 'app',
        taskDefinition: bad.taskDefinitionArn,
      }),
    );
    ctx.emu.control.advance(120_000);
    const svc = await describeService(use1, 'sandbox', 'app');
    expect(svc.taskDefinition).toBe(good.taskDefinitionArn);
    expect(svc.deployments).toHaveLength(1);
    expect(svc.deployments![0]).toMatchObject({
      rolloutState: 'COMPLETED',
      runningCount: 2,
    });
    expect(svc.deployments![0].id).toBe(first.deployments![0].id);
    expect(
      svc.events!.some(e =>
        /deployment failed: tasks failed to start\.$/.test(e.message!),
      ),
    ).toBe(true);
    // the rollback kept the original tasks
    expect(
      svc.events!.some(e => e.message!.includes('has stopped 2 running tasks')),
    ).toBe(false);
    const sds = await use1.send(
      new ListServiceDeploymentsCommand({ cluster: 'sandbox', service: 'app' }),
    );
    expect(sds.serviceDeployments!.map(d => d.status)).toEqual([
      'ROLLBACK_SUCCESSFUL',
      'SUCCESSFUL',
    ]);
    const detail = await use1.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [
          sds.serviceDeployments![0].serviceDeploymentArn!,
        ],
      }),
    );
    expect(detail.serviceDeployments![0].rollback?.reason).toBe(
      'ECS deployment circuit breaker: tasks failed to start.',
    );
    expect(detail.serviceDeployments![0].deploymentCircuitBreaker?.status).toBe(
      'TRIGGERED',
    );
  });

  it('places the daemon on a joining instance, stops it on drain, freezes on disconnect', async () => {
    const [arn] = ctx.emu.control.join({
      accountId: PROD,
      region: 'us-east-1',
      cluster: 'prod-web',
      instanceType: 'm5.large',
    });
    ctx.emu.control.advance(20_000);
    const onNew = await use1.send(
      new ListTasksCommand({ cluster: 'prod-web', containerInstance: arn }),
    );
    const daemonTasks = (
      await use1.send(
        new DescribeTasksCommand({
          cluster: 'prod-web',
          tasks: onNew.taskArns!,
        }),
      )
    ).tasks!;
    expect(
      daemonTasks.filter(
        t => t.group === 'service:datadog-agent' && t.lastStatus === 'RUNNING',
      ),
    ).toHaveLength(1);
    let svc = await describeService(use1, 'prod-web', 'datadog-agent');
    expect(svc.desiredCount).toBe(5);
    expect(svc.runningCount).toBe(5);
    expect(svc.events![0].message).toBe(
      '(service datadog-agent) has reached a steady state.',
    );

    // drain an original instance: app tasks move away, then the daemon task stops
    const instances = (
      await use1.send(
        new ListContainerInstancesCommand({ cluster: 'prod-web' }),
      )
    ).containerInstanceArns!;
    ctx.emu.control.drain({
      accountId: PROD,
      region: 'us-east-1',
      cluster: 'prod-web',
      containerInstance: instances[0],
    });
    ctx.emu.control.advance(30_000);
    const desc = await use1.send(
      new DescribeContainerInstancesCommand({
        cluster: 'prod-web',
        containerInstances: [instances[0]],
      }),
    );
    expect(desc.containerInstances![0].status).toBe('DRAINING');
    expect(desc.containerInstances![0].runningTasksCount).toBe(0);
    const stopped = (
      await use1.send(
        new ListTasksCommand({
          cluster: 'prod-web',
          containerInstance: instances[0],
          desiredStatus: 'STOPPED',
        }),
      )
    ).taskArns!;
    const stoppedTasks = (
      await use1.send(
        new DescribeTasksCommand({ cluster: 'prod-web', tasks: stopped }),
      )
    ).tasks!;
    expect(stoppedTasks.map(t => t.stoppedReason)).toEqual(
      Array(stoppedTasks.length).fill(
        'Task stopped because the container instance is being drained.',
      ),
    );
    const agentStop = stoppedTasks.find(
      t => t.group === 'service:datadog-agent',
    )!;
    const appStops = stoppedTasks.filter(
      t => t.group !== 'service:datadog-agent',
    );
    expect(appStops.length).toBeGreaterThan(0);
    expect(agentStop.stoppingAt!.getTime()).toBeGreaterThan(
      Math.max(...appStops.map(t => t.stoppingAt!.getTime())),
    );
    svc = await describeService(use1, 'prod-web', 'datadog-agent');
    expect(svc.desiredCount).toBe(4);
    expect(
      (await describeService(use1, 'prod-web', 'checkout-api')).runningCount,
    ).toBe(4);

    // disconnect: agentConnected false, tasks keep their last known state
    ctx.emu.control.disconnect({
      accountId: PROD,
      region: 'us-east-1',
      cluster: 'prod-web',
      containerInstance: instances[1],
    });
    const d2 = await use1.send(
      new DescribeContainerInstancesCommand({
        cluster: 'prod-web',
        containerInstances: [instances[1]],
      }),
    );
    expect(d2.containerInstances![0].agentConnected).toBe(false);
    expect(d2.containerInstances![0].runningTasksCount).toBeGreaterThan(0);
  });

  it('fills the insufficient-memory gap once capacity frees up', async () => {
    const batch = await describeService(use1, 'prod-batch', 'datadog-agent');
    expect(batch.runningCount).toBe(2);
    await use1.send(
      new UpdateServiceCommand({
        cluster: 'prod-batch',
        service: 'batch-worker',
        desiredCount: 0,
      }),
    );
    ctx.emu.control.advance(40_000);
    const svc = await describeService(use1, 'prod-batch', 'datadog-agent');
    expect(svc.runningCount).toBe(5);
    expect(svc.events![0].message).toBe(
      '(service datadog-agent) has reached a steady state.',
    );
  });
});
