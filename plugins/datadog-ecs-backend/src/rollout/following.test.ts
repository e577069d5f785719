import { Service } from '../aws/EcsGateway';
import {
  CLUSTER,
  FakeEcs,
  fakeGateway,
  FakeRolloutStore,
  instanceArn,
  LEASE,
  logger,
  record,
  rolloutConfig,
  tdArn,
  TOKEN,
} from './__testUtils__/fakes';
import { RolloutFollower } from './following';
import { RolloutRecord } from './RolloutStore';
import { RolloutRunner } from './runner';

/** A rollout whose ECS calls ran: its deployment is under way. */
const deployed = (over: Partial<RolloutRecord> = {}) =>
  record({
    status: 'in-progress',
    step: 'deployed',
    registered: true,
    newTaskDefinitionArn: tdArn(1),
    deployment: {
      id: 'ecs-svc/1',
      status: 'PRIMARY',
      createdAt: '2026-01-15T09:59:00.000Z',
    },
    ...over,
  });

const service = (
  rolloutState: 'COMPLETED' | 'FAILED' | 'IN_PROGRESS',
  rolloutStateReason?: string,
): Service => ({
  serviceName: 'datadog-agent',
  status: 'ACTIVE',
  schedulingStrategy: 'DAEMON',
  taskDefinition: tdArn(1),
  deployments: [
    {
      id: 'ecs-svc/1',
      status: 'PRIMARY',
      taskDefinition: tdArn(1),
      rolloutState,
      rolloutStateReason,
    },
  ],
  events: [
    {
      id: 'e1',
      createdAt: new Date('2026-01-15T10:00:00.000Z'),
      message: 'has reached a steady state',
    },
    {
      id: 'e0',
      createdAt: new Date('2026-01-15T09:00:00.000Z'),
      message: 'before the deployment',
    },
  ],
});

function setup(
  options: { records?: RolloutRecord[]; pollIntervalSeconds?: number } = {},
) {
  const order: string[] = [];
  const store = new FakeRolloutStore(...(options.records ?? [deployed()]));
  const finish = store.finish.bind(store);
  store.finish = async (...args) => {
    order.push('finish');
    return finish(...args);
  };
  const ecs = new FakeEcs();
  ecs.addTaskDefinition({
    family: 'datadog-agent-task',
    containerDefinitions: [],
  });
  ecs.instances = [
    {
      containerInstanceArn: instanceArn(1),
      ec2InstanceId: 'i-1',
      status: 'ACTIVE',
      agentConnected: true,
    },
  ];
  ecs.tasks = [
    {
      taskArn: 'task/1',
      containerInstanceArn: instanceArn(1),
      taskDefinitionArn: tdArn(1),
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
    },
  ];
  ecs.services.set('datadog-agent', service('COMPLETED'));
  const refresher = {
    refreshCluster: jest.fn(async () => {
      order.push('refresh');
    }),
  };
  const executor = {
    advance: jest.fn(
      async (..._args: any[]) => ({ status: 'advanced' } as const),
    ),
  };
  const log = logger();
  const rollout = rolloutConfig({
    pollIntervalSeconds: options.pollIntervalSeconds ?? 5,
  });
  const follower = new RolloutFollower({
    store,
    rollout,
    refresher,
    logger: log,
  });
  // The follower as the runner drives it: one poll per tick, under the lease.
  const runner = new RolloutRunner({
    store,
    gateway: fakeGateway(ecs),
    rollout,
    executor,
    follower,
    logger: log,
    lease: LEASE,
  });
  const follow = async (id = 'r1') => {
    void runner.begin(id, TOKEN);
    await runner.idle();
    return store.records.get(id)!;
  };
  return {
    store,
    ecs,
    refresher,
    executor,
    follower: runner,
    follow,
    order,
    log,
  };
}

describe('RolloutFollower', () => {
  it('finishes the record once a poll sees the deployment completed, after refreshing the cluster', async () => {
    const { follow, refresher, order, executor } = setup();
    const done = await follow();

    expect(done).toMatchObject({
      status: 'completed',
      leaseOwner: undefined,
      deployment: {
        id: 'ecs-svc/1',
        rolloutState: 'COMPLETED',
        createdAt: '2026-01-15T09:59:00.000Z',
      },
      instances: [
        {
          instanceId: 'i-1',
          state: 'running',
          taskArn: 'task/1',
          oldRevisionStopped: true,
        },
      ],
    });
    // Only the events since the deployment started.
    expect(done.events.map(e => e.id)).toEqual(['e1']);
    expect(refresher.refreshCluster).toHaveBeenCalledWith(CLUSTER);
    expect(order).toEqual(['refresh', 'finish']);
    expect(executor.advance).not.toHaveBeenCalled();
  });

  it('finishes it failed with the kind and reason of a failed deployment', async () => {
    const { follow, ecs } = setup();
    ecs.services.set(
      'datadog-agent',
      service('FAILED', 'tasks failed to start'),
    );
    expect(await follow()).toMatchObject({
      status: 'failed',
      failureKind: 'circuit-breaker',
      failureReason: 'tasks failed to start',
    });
  });

  it('finishes even when the refresh fails', async () => {
    const { follow, refresher, log } = setup();
    refresher.refreshCluster.mockRejectedValueOnce(new Error('throttled'));
    expect((await follow()).status).toBe('completed');
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringContaining('after rollout r1 failed: Error: throttled'),
    );
  });

  it('runs the ECS calls of a pending rollout first, then follows it', async () => {
    const { follow, executor, store } = setup({ records: [record()] });
    executor.advance.mockImplementation(async (_api, r) => {
      Object.assign(store.records.get(r.id)!, deployed());
      return { status: 'advanced' } as const;
    });
    expect((await follow()).status).toBe('completed');
    expect(executor.advance).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ id: 'r1' }),
      expect.anything(),
    );
  });

  it('stops without polling when the ECS calls failed the rollout', async () => {
    const { follow, executor, store, ecs } = setup({ records: [record()] });
    executor.advance.mockImplementation(async (_api, r) => {
      Object.assign(store.records.get(r.id)!, { status: 'failed' });
      return { status: 'advanced' } as const;
    });
    await follow();
    expect(ecs.operations()).toEqual([]);
  });

  it('does not follow a finished rollout', async () => {
    const { follow, ecs, executor } = setup({
      records: [deployed({ status: 'completed' })],
    });
    await follow();
    expect(ecs.operations()).toEqual([]);
    expect(executor.advance).not.toHaveBeenCalled();
  });

  it('stores progress while in progress, and stops once another replica holds the lease', async () => {
    const { follow, ecs, store, log } = setup({ pollIntervalSeconds: 0.01 });
    ecs.services.set('datadog-agent', service('IN_PROGRESS'));
    let polls = 0;
    const describe = ecs.describeServices.bind(ecs);
    ecs.describeServices = async (...args) => {
      // The second poll finds the lease taken over (another replica's claim).
      if (++polls === 2)
        Object.assign(store.records.get('r1')!, {
          leaseOwner: 'replica-b',
          leaseEpoch: 2,
        });
      return describe(...args);
    };
    const after = await follow();

    expect(polls).toBe(2);
    expect(after).toMatchObject({
      status: 'in-progress',
      leaseOwner: 'replica-b',
    });
    expect(after.instances).toHaveLength(1);
    expect(log.info).toHaveBeenCalledWith(
      'Rollout r1: stopping, another replica follows it now',
    );
  });

  it('retries a poll that fails, under the lease', async () => {
    const { follow, ecs, store, log } = setup({ pollIntervalSeconds: 0.01 });
    const update = jest.spyOn(store, 'update');
    const describe = ecs.describeServices.bind(ecs);
    ecs.describeServices = jest
      .fn()
      .mockRejectedValueOnce(
        Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: {},
        }),
      )
      .mockImplementation(describe);
    expect((await follow()).status).toBe('completed');
    expect(update).toHaveBeenCalledWith(
      'r1',
      { note: 'Retrying after an error: ThrottlingException: Rate exceeded' },
      TOKEN,
    );
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Rollout r1: ThrottlingException: Rate exceeded (retrying every 0.01 s until its deadline)',
      ),
    );
  });

  it('resumes the unfinished rollouts whose lease it can take, and only those', async () => {
    const { follower, store, executor } = setup({
      records: [
        deployed({ id: 'free', leaseOwner: undefined }),
        deployed({ id: 'taken', leaseOwner: 'replica-b' }),
        deployed({ id: 'done', status: 'completed', leaseOwner: undefined }),
      ],
    });
    await follower.resumeUnfinished();
    await follower.idle();
    expect(store.records.get('free')!.status).toBe('completed');
    expect(store.records.get('taken')).toMatchObject({
      status: 'in-progress',
      leaseOwner: 'replica-b',
    });
    expect(executor.advance).not.toHaveBeenCalled();
  });

  it('on shutdown stops following, gives its leases up and resumes nothing more', async () => {
    const { follower, store, ecs } = setup();
    ecs.services.set('datadog-agent', service('IN_PROGRESS'));
    void follower.begin('r1', TOKEN);
    // Let the first poll store its progress (then it sleeps for 5 s).
    while (!store.records.get('r1')!.instances.length)
      await new Promise(r => setTimeout(r, 1));
    await follower.shutdown();

    expect(store.released).toEqual(['r1']);
    expect(store.records.get('r1')).toMatchObject({
      status: 'in-progress',
      leaseOwner: undefined,
    });
    const claim = jest.spyOn(store, 'claimLease');
    await follower.resumeUnfinished();
    void follower.begin('r1', TOKEN);
    await follower.idle();
    expect(claim).not.toHaveBeenCalled();
  });
});
