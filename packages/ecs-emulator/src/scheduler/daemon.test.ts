import {
  CreateServiceCommand,
  RegisterTaskDefinitionCommand,
  DescribeContainerInstancesCommand,
  DescribeServiceDeploymentsCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import {
  demoFleetPerTest,
  describeService,
  registerAgent,
  tasksOf,
} from '../__testUtils__/scheduler';
import { PROD } from '../__testUtils__/setup';

describe('scheduler: DAEMON services over simulated time', () => {
  const env = demoFleetPerTest();

  it('rolls a DAEMON out to 100% of prod-eu-payments', async () => {
    const { ctx, use1, euw1 } = env;
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

  it('reports UNKNOWN health for containers without a health check, as ECS does', async () => {
    const { ctx, use1, euw1 } = env;
    const checked = await registerAgent(use1, euw1);
    const unchecked = (
      await euw1.send(
        new RegisterTaskDefinitionCommand({
          family: 'datadog-agent-unchecked',
          networkMode: 'bridge',
          requiresCompatibilities: ['EC2'],
          containerDefinitions: checked.containerDefinitions!.map(c => ({
            ...c,
            healthCheck: undefined,
          })),
          volumes: checked.volumes,
        }),
      )
    ).taskDefinition!;
    await euw1.send(
      new CreateServiceCommand({
        cluster: 'prod-eu-payments',
        serviceName: 'datadog-agent',
        taskDefinition: unchecked.taskDefinitionArn,
        schedulingStrategy: 'DAEMON',
        launchType: 'EC2',
      }),
    );
    ctx.emu.control.advance(60_000);
    const tasks = await tasksOf(euw1, 'prod-eu-payments', 'datadog-agent');
    expect(tasks).toHaveLength(3);
    for (const t of tasks) {
      expect(t.lastStatus).toBe('RUNNING');
      expect(t.healthStatus).toBe('UNKNOWN');
      expect(t.containers!.map(c => c.healthStatus)).toEqual(['UNKNOWN']);
    }
    // Without a health check the rollout does not wait for health.
    expect(
      (await describeService(euw1, 'prod-eu-payments', 'datadog-agent'))
        .deployments![0].rolloutState,
    ).toBe('COMPLETED');

    // With one, the container passes it along with the task.
    const seeded = await tasksOf(use1, 'prod-web', 'datadog-agent');
    expect(seeded.length).toBeGreaterThan(0);
    for (const t of seeded) {
      expect(t.healthStatus).toBe('HEALTHY');
      expect(t.containers!.map(c => c.healthStatus)).toEqual(['HEALTHY']);
    }
  });

  it('replaces DAEMON tasks on UpdateService and completes the new deployment', async () => {
    const { ctx, use1 } = env;
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

  it('places the daemon on a joining instance, stops it on drain, freezes on disconnect', async () => {
    const { ctx, use1 } = env;
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
    const { ctx, use1 } = env;
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
