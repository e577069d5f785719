import {
  AccessDeniedException,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTasksCommand,
  StartTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { advance, PROD, setupEmulator, STAGING } from './__testUtils__/setup';

// StartTask / StopTask, as the ECS API reference describes them:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StartTask.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html

describe('StartTask and StopTask', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  let eu: ECSClient;
  let payments: string[];
  beforeAll(async () => {
    ctx = await setupEmulator();
    eu = ctx.client(PROD, 'eu-west-1');
    payments = (
      await eu.send(
        new ListContainerInstancesCommand({ cluster: 'prod-eu-payments' }),
      )
    ).containerInstanceArns!;
  });
  afterAll(() => ctx.stop());

  it('starts a standalone task per instance, with failures for the instances that cannot take it', async () => {
    const missing = 'ffffffffffffffffffffffffffffffff';
    const out = await eu.send(
      new StartTaskCommand({
        cluster: 'prod-eu-payments',
        taskDefinition: 'datadog-agent-task:2',
        containerInstances: [
          payments[0],
          payments[1].split('/').pop()!,
          missing,
        ],
        startedBy: 'ecs-user-data',
      }),
    );
    expect(out.tasks).toHaveLength(2);
    expect(out.failures).toEqual([
      {
        arn: `arn:aws:ecs:eu-west-1:111111111111:container-instance/prod-eu-payments/${missing}`,
        reason: 'MISSING',
      },
    ]);
    const [task] = out.tasks!;
    expect(task).toMatchObject({
      group: 'family:datadog-agent-task',
      startedBy: 'ecs-user-data',
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      launchType: 'EC2',
      containerInstanceArn: payments[0],
      taskDefinitionArn:
        'arn:aws:ecs:eu-west-1:111111111111:task-definition/datadog-agent-task:2',
    });
    expect(task.group).not.toMatch(/^service:/);

    // The same lifecycle and health as the scheduler's tasks.
    advance(ctx.emu, 7_000);
    let [described] = (
      await eu.send(
        new DescribeTasksCommand({
          cluster: 'prod-eu-payments',
          tasks: [task.taskArn!],
        }),
      )
    ).tasks!;
    expect(described.lastStatus).toBe('RUNNING');
    expect(described.healthStatus).toBe('UNKNOWN');
    advance(ctx.emu, 7_000);
    [described] = (
      await eu.send(
        new DescribeTasksCommand({
          cluster: 'prod-eu-payments',
          tasks: [task.taskArn!],
        }),
      )
    ).tasks!;
    expect(described.healthStatus).toBe('HEALTHY');
    expect(described.containers![0].healthStatus).toBe('HEALTHY');

    const byStarter = await eu.send(
      new ListTasksCommand({
        cluster: 'prod-eu-payments',
        startedBy: 'ecs-user-data',
      }),
    );
    expect(byStarter.taskArns!.sort()).toEqual(
      out.tasks!.map(t => t.taskArn!).sort(),
    );
    // No service appears.
    const services = await eu.send(
      new ListServicesCommand({ cluster: 'prod-eu-payments' }),
    );
    expect(services.serviceArns).toEqual([
      'arn:aws:ecs:eu-west-1:111111111111:service/prod-eu-payments/payments-api',
    ]);
  });

  it('reports RESOURCE:PORTS, AGENT and ATTRIBUTE failures like ECS', async () => {
    const again = await eu.send(
      new StartTaskCommand({
        cluster: 'prod-eu-payments',
        taskDefinition: 'datadog-agent-task:2',
        containerInstances: [payments[0]],
      }),
    );
    expect(again.tasks).toEqual([]);
    expect(again.failures).toEqual([
      { arn: payments[0], reason: 'RESOURCE:PORTS' },
    ]);

    // prod-eu-legacy: one instance has its agent disconnected.
    const legacy = (
      await eu.send(
        new ListContainerInstancesCommand({ cluster: 'prod-eu-legacy' }),
      )
    ).containerInstanceArns!;
    const out = await eu.send(
      new StartTaskCommand({
        cluster: 'prod-eu-legacy',
        taskDefinition: 'legacy-reports',
        containerInstances: legacy,
      }),
    );
    expect(out.failures!.map(f => f.reason)).toContain('AGENT');

    // A Linux task definition on Windows instances.
    const staging = ctx.client(STAGING, 'eu-west-1');
    const windows = (
      await staging.send(
        new ListContainerInstancesCommand({ cluster: 'staging-windows' }),
      )
    ).containerInstanceArns!;
    const linuxOnWindows = await staging.send(
      new StartTaskCommand({
        cluster: 'staging-windows',
        taskDefinition: 'datadog-agent-task-external',
        containerInstances: windows.slice(0, 1),
      }),
    );
    expect(linuxOnWindows.failures).toEqual([
      { arn: windows[0], reason: 'ATTRIBUTE' },
    ]);
  });

  it('takes group, tags and overrides', async () => {
    const out = await eu.send(
      new StartTaskCommand({
        cluster: 'prod-eu-payments',
        taskDefinition: 'payments-api:1',
        containerInstances: [payments[2]],
        group: 'batch:nightly',
        tags: [{ key: 'job', value: 'nightly' }],
        overrides: {
          containerOverrides: [
            {
              name: 'payments-api',
              environment: [{ name: 'MODE', value: 'batch' }],
            },
          ],
        },
      }),
    );
    expect(out.failures).toEqual([]);
    const [task] = (
      await eu.send(
        new DescribeTasksCommand({
          cluster: 'prod-eu-payments',
          tasks: [out.tasks![0].taskArn!],
          include: ['TAGS'],
        }),
      )
    ).tasks!;
    expect(task.group).toBe('batch:nightly');
    expect(task.startedBy).toBeUndefined();
    expect(task.tags).toEqual([{ key: 'job', value: 'nightly' }]);
    expect(task.overrides!.containerOverrides).toEqual([
      { name: 'payments-api', environment: [{ name: 'MODE', value: 'batch' }] },
    ]);
  });

  it('validates its input like ECS', async () => {
    const base = {
      cluster: 'prod-eu-payments',
      taskDefinition: 'payments-api:1',
    };
    const tooMany = await eu
      .send(
        new StartTaskCommand({
          ...base,
          containerInstances: Array.from({ length: 11 }, (_, i) =>
            String(i).padStart(32, '0'),
          ),
        }),
      )
      .catch(e => e);
    expect(tooMany).toBeInstanceOf(InvalidParameterException);
    expect(tooMany.message).toBe('instanceIds can have at most 10 items.');
    await expect(
      eu.send(new StartTaskCommand({ ...base, containerInstances: [] })),
    ).rejects.toThrow('containerInstances can not be null or empty.');
    await expect(
      eu.send(
        new StartTaskCommand({
          ...base,
          taskDefinition: 'nope:1',
          containerInstances: [payments[0]],
        }),
      ),
    ).rejects.toThrow('TaskDefinition not found.');
    await expect(
      eu.send(
        new StartTaskCommand({
          ...base,
          containerInstances: [payments[0]],
          startedBy: 'not allowed!',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      eu.send(
        new StartTaskCommand({
          ...base,
          containerInstances: [payments[0]],
          overrides: { containerOverrides: [{ name: 'sidecar' }] },
        }),
      ),
    ).rejects.toThrow(
      'Override for container named sidecar is not a container in the TaskDefinition.',
    );
  });

  it('needs iam:PassRole for the task definition roles and ecs:TagResource for tags', async () => {
    ctx.emu.control.setPolicy('AKIAEMULATOR111111111', {
      Statement: [
        {
          Effect: 'Allow',
          Action: ['ecs:StartTask', 'ecs:List*'],
          Resource: '*',
        },
      ],
    });
    try {
      const denied = await eu
        .send(
          new StartTaskCommand({
            cluster: 'prod-eu-payments',
            taskDefinition: 'datadog-agent-task:2',
            containerInstances: [payments[2]],
          }),
        )
        .catch(e => e);
      expect(denied).toBeInstanceOf(AccessDeniedException);
      expect(denied.message).toBe(
        'User: arn:aws:iam::111111111111:user/emulator is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111111111111:role/ecsTaskExecutionRole because no identity-based policy allows the iam:PassRole action',
      );
      const tagged = await eu
        .send(
          new StartTaskCommand({
            cluster: 'prod-eu-payments',
            taskDefinition: 'payments-api:1',
            containerInstances: [payments[2]],
            tags: [{ key: 'a', value: 'b' }],
          }),
        )
        .catch(e => e);
      expect(tagged.message).toMatch(/ecs:TagResource on resource: \*/);
    } finally {
      ctx.emu.control.setPolicy('AKIAEMULATOR111111111', undefined);
    }
  });

  it('stops a task with StopTask (UserInitiated); a service replaces its own', async () => {
    const tasks = (
      await eu.send(
        new ListTasksCommand({
          cluster: 'prod-eu-payments',
          startedBy: 'ecs-user-data',
        }),
      )
    ).taskArns!;
    const stopped = await eu.send(
      new StopTaskCommand({
        cluster: 'prod-eu-payments',
        task: tasks[0],
        reason: 'Agent moved to a DAEMON service',
      }),
    );
    expect(stopped.task).toMatchObject({
      desiredStatus: 'STOPPED',
      lastStatus: 'RUNNING',
      stopCode: 'UserInitiated',
      stoppedReason: 'Agent moved to a DAEMON service',
    });
    advance(ctx.emu, 5_000);
    const [after] = (
      await eu.send(
        new DescribeTasksCommand({
          cluster: 'prod-eu-payments',
          tasks: [tasks[0]],
        }),
      )
    ).tasks!;
    expect(after.lastStatus).toBe('STOPPED');

    // A service task: the scheduler starts another one.
    const svcTasks = async () =>
      (
        await eu.send(
          new ListTasksCommand({
            cluster: 'prod-eu-payments',
            serviceName: 'payments-api',
          }),
        )
      ).taskArns!;
    const before = await svcTasks();
    const byDefault = await eu.send(
      new StopTaskCommand({ cluster: 'prod-eu-payments', task: before[0] }),
    );
    expect(byDefault.task!.stoppedReason).toBe('Task stopped by user');
    advance(ctx.emu, 10_000);
    const now = await svcTasks();
    expect(now).toHaveLength(before.length);
    expect(now).not.toContain(before[0]);

    await expect(
      eu.send(
        new StopTaskCommand({
          cluster: 'prod-eu-payments',
          task: '0123456789abcdef0123456789abcdef',
        }),
      ),
    ).rejects.toThrow('The referenced task was not found.');
  });

  it("a drain stops the services' tasks and then the daemon, not the standalone tasks", async () => {
    const ecs = ctx.client(PROD, 'us-east-1');
    const [instance] = (
      await ecs.send(new ListContainerInstancesCommand({ cluster: 'prod-web' }))
    ).containerInstanceArns!;
    const started = await ecs.send(
      new StartTaskCommand({
        cluster: 'prod-web',
        taskDefinition: 'batch-worker:1',
        containerInstances: [instance],
      }),
    );
    expect(started.failures).toEqual([]);
    const standalone = started.tasks![0].taskArn!;
    advance(ctx.emu, 10_000);
    ctx.emu.control.drain({
      accountId: PROD,
      region: 'us-east-1',
      cluster: 'prod-web',
      containerInstance: instance,
    });
    advance(ctx.emu, 60_000);
    const onInstance = (
      await ecs.send(
        new ListTasksCommand({
          cluster: 'prod-web',
          containerInstance: instance,
        }),
      )
    ).taskArns!;
    expect(onInstance).toEqual([standalone]);
    const daemonStopped = await ecs.send(
      new ListTasksCommand({
        cluster: 'prod-web',
        serviceName: 'datadog-agent',
        desiredStatus: 'STOPPED',
      }),
    );
    const [agentTask] = (
      await ecs.send(
        new DescribeTasksCommand({
          cluster: 'prod-web',
          tasks: daemonStopped.taskArns!,
        }),
      )
    ).tasks!.filter(t => t.containerInstanceArn === instance);
    expect(agentTask.stoppedReason).toBe(
      'Task stopped because the container instance is being drained.',
    );
  });
});
