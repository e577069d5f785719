import {
  CLUSTER,
  FakeEcs,
  fakeGateway,
  FakeRolloutStore,
  FAMILY,
  heldLease,
  LEASE,
  logger,
  OPTIONS,
  record,
  rolloutConfig,
  tdArn,
} from './__testUtils__/fakes';
import { RolloutExecutor, StepResult } from './execution';
import { LeaseLostError } from './lease';
import { renderForRollout } from './plan';
import { RolloutRunner } from './runner';
import { RolloutFollower } from './following';

const config = rolloutConfig();
const rendered = (options = OPTIONS) =>
  renderForRollout(options, config.apiKeys.get(CLUSTER.accountId), FAMILY);

function setup(...records: ReturnType<typeof record>[]) {
  const store = new FakeRolloutStore(...records);
  const ecs = new FakeEcs();
  const gateway = fakeGateway(ecs);
  const executor = new RolloutExecutor({
    store,
    rollout: config,
    logger: logger(),
  });
  /** Runs the write steps of r1 until it is deployed, waits or stops, as the runner does. */
  const execute = async (id = 'r1'): Promise<StepResult | undefined> => {
    const lease = heldLease(store, id);
    for (;;) {
      const r = (await store.get(id))!;
      if (
        r.step === 'deployed' ||
        (r.status !== 'pending' && r.status !== 'in-progress')
      )
        return undefined;
      const step = await executor.advance(ecs, r, lease);
      if (step.status === 'waiting') return step;
    }
  };
  return { store, ecs, gateway, executor: { execute }, steps: executor };
}

/** The runner over the executor (and a follower), for what the runner decides: failures, leases. */
function runnerFor(store: FakeRolloutStore, ecs: FakeEcs, rollout = config) {
  const log = logger();
  const runner = new RolloutRunner({
    store,
    gateway: fakeGateway(ecs),
    rollout,
    executor: new RolloutExecutor({ store, rollout, logger: log }),
    follower: new RolloutFollower({
      store,
      rollout,
      refresher: { refreshCluster: async () => {} },
      logger: log,
    }),
    logger: log,
    lease: LEASE,
  });
  return {
    runner,
    /** Runs r1 until its deployment started or it ended, like a start does. */
    execute: (id = 'r1') => runner.begin(id, { ...LEASE, epoch: 1 }),
    log,
  };
}

/** A DAEMON service that runs `taskDefinition`. */
const runningService = (taskDefinition: string) => ({
  serviceName: 'datadog-agent',
  serviceArn: 'arn:aws:ecs:eu-west-1:111111111111:service/prod/datadog-agent',
  status: 'ACTIVE',
  schedulingStrategy: 'DAEMON' as const,
  taskDefinition,
  deployments: [{ id: 'ecs-svc/old', status: 'PRIMARY', taskDefinition }],
});

describe('RolloutExecutor', () => {
  it('registers the first revision and creates the DAEMON service (its clientToken the rollout id)', async () => {
    const { store, ecs, executor } = setup(record());
    await executor.execute('r1');

    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'CreateService']);
    const register = ecs.calls.find(
      c => c.operation === 'RegisterTaskDefinition',
    )!.input;
    expect(register.tags).toEqual([
      { key: 'managed-by', value: 'backstage-datadog-ecs' },
      { key: 'datadog-ecs-rollout', value: 'r1' },
    ]);
    const create = ecs.calls.find(c => c.operation === 'CreateService')!.input;
    expect(create).toMatchObject({
      cluster: 'prod',
      serviceName: 'datadog-agent',
      taskDefinition: tdArn(1),
      schedulingStrategy: 'DAEMON',
      launchType: 'EC2',
      clientToken: 'r1',
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 100,
        minimumHealthyPercent: 0,
      },
    });
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      status: 'in-progress',
      registered: true,
      createdService: true,
      newTaskDefinitionArn: tdArn(1),
      deployment: {
        status: 'PRIMARY',
        rolloutState: 'IN_PROGRESS',
        createdAt: '2026-01-15T10:00:00.000Z',
      },
    });
  });

  it('creates an EXTERNAL service for ECS Anywhere', async () => {
    const { ecs, executor } = setup(
      record({ options: { ...OPTIONS, external: true } }),
    );
    await executor.execute('r1');
    expect(
      ecs.calls.find(c => c.operation === 'CreateService')!.input.launchType,
    ).toBe('EXTERNAL');
  });

  it('registers nothing when the latest revision is the same definition: updates with forceNewDeployment', async () => {
    const { store, ecs, executor } = setup(record());
    ecs.addTaskDefinition(rendered() as any);
    ecs.services.set('datadog-agent', runningService(tdArn(1)));
    await executor.execute('r1');

    expect(ecs.writes()).toEqual(['UpdateService']);
    expect(ecs.calls.find(c => c.operation === 'UpdateService')!.input).toEqual(
      {
        cluster: 'prod',
        service: 'datadog-agent',
        taskDefinition: tdArn(1),
        forceNewDeployment: true,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      },
    );
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      registered: false,
      createdService: false,
      oldTaskDefinitionArn: tdArn(1),
      newTaskDefinitionArn: tdArn(1),
    });
  });

  it('registers when the latest revision differs, and updates without forcing', async () => {
    const { store, ecs, executor } = setup(record());
    ecs.addTaskDefinition(rendered({ ...OPTIONS, imageTag: '7.59.0' }) as any);
    ecs.services.set('datadog-agent', runningService(tdArn(1)));
    await executor.execute('r1');

    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(
      ecs.calls.find(c => c.operation === 'UpdateService')!.input,
    ).toMatchObject({
      taskDefinition: tdArn(2),
      forceNewDeployment: false,
    });
    expect(store.records.get('r1')).toMatchObject({
      registered: true,
      oldTaskDefinitionArn: tdArn(1),
      newTaskDefinitionArn: tdArn(2),
    });
  });

  it('resumes from `registered` without reading the family or registering again', async () => {
    const { store, ecs, executor } = setup(
      record({
        step: 'registered',
        registered: true,
        newTaskDefinitionArn: tdArn(1),
      }),
    );
    ecs.addTaskDefinition(rendered() as any);
    await executor.execute('r1');

    expect(ecs.operations()).toEqual(['DescribeServices', 'CreateService']);
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      status: 'in-progress',
    });
  });

  it('a rollback updates to its revision without forcing and keeps its createdService', async () => {
    const { store, ecs, executor } = setup(
      record({
        kind: 'rollback',
        step: 'registered',
        newTaskDefinitionArn: tdArn(1),
        oldTaskDefinitionArn: tdArn(2),
      }),
    );
    ecs.services.set('datadog-agent', runningService(tdArn(2)));
    await executor.execute('r1');

    expect(
      ecs.calls.find(c => c.operation === 'UpdateService')!.input,
    ).toMatchObject({
      taskDefinition: tdArn(1),
      forceNewDeployment: false,
    });
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      createdService: false,
      oldTaskDefinitionArn: tdArn(2),
    });
  });

  it('makes no call once deployed', async () => {
    const { ecs, executor } = setup(
      record({ step: 'deployed', status: 'in-progress' }),
    );
    await executor.execute('r1');
    expect(ecs.calls).toEqual([]);
  });

  it('an AWS error fails the rollout (aws-error) and stops before the next call', async () => {
    const store = new FakeRolloutStore(record());
    const ecs = new FakeEcs();
    ecs.registerTaskDefinition = async () => {
      throw Object.assign(new Error('User is not authorized'), {
        name: 'AccessDeniedException',
        $metadata: {},
      });
    };
    await runnerFor(store, ecs).execute('r1');

    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({
      status: 'failed',
      failureKind: 'aws-error',
      failureReason: 'AccessDeniedException: User is not authorized',
    });
  });

  it('a rendering error (no API key for the account) fails it as unknown, before any ECS call', async () => {
    const store = new FakeRolloutStore(record());
    const ecs = new FakeEcs();
    await runnerFor(store, ecs, rolloutConfig({ apiKeys: new Map() })).execute(
      'r1',
    );

    expect(ecs.calls).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({
      status: 'failed',
      failureKind: 'unknown',
    });
    expect(store.records.get('r1')!.failureReason).toContain(
      'No Datadog API key',
    );
  });

  it('stops when another replica holds the lease: no ECS write, and neither the record nor its lock touched', async () => {
    const store = new FakeRolloutStore(
      record({ leaseOwner: 'replica-b', leaseEpoch: 2 }),
    );
    const ecs = new FakeEcs();
    const { runner, log } = runnerFor(store, ecs);
    await runner.begin('r1', { ...LEASE, epoch: 1 });
    await runner.idle();

    // Before: the registration, then "Lost the lease" recorded as the rollout's failure (and the
    // cluster unlocked) although replica-b runs it.
    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({
      status: 'pending',
      leaseOwner: 'replica-b',
      leaseEpoch: 2,
    });
    expect(store.records.get('r1')!.failureReason).toBeUndefined();
    expect(await store.getActive(CLUSTER)).toMatchObject({ rolloutId: 'r1' });
    expect(log.info).toHaveBeenCalledWith(
      'Rollout r1: stopping, another replica holds it now',
    );
  });

  it('a write step refused under the lease throws LeaseLostError before its ECS call', async () => {
    const { store, ecs, steps } = setup(record());
    const lease = heldLease(store);
    Object.assign(store.records.get('r1')!, {
      leaseOwner: 'replica-b',
      leaseEpoch: 2,
    });
    await expect(
      steps.advance(ecs, (await store.get('r1'))!, lease),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(lease.lost).toBe(true);
    expect(ecs.writes()).toEqual([]);
  });
});

describe('RolloutExecutor, replaying a step after a crash', () => {
  it('adopts the revision a registration that was not recorded made: no second RegisterTaskDefinition', async () => {
    const { store, ecs, executor } = setup(
      record({
        pendingWrite: { operation: 'RegisterTaskDefinition', at: 'then' },
      }),
    );
    // The interrupted call went through: the family's latest revision is the rendered one.
    ecs.addTaskDefinition(rendered() as any);
    await executor.execute('r1');

    expect(ecs.writes()).toEqual(['CreateService']);
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      registered: true,
      newTaskDefinitionArn: tdArn(1),
    });
    expect(store.records.get('r1')!.pendingWrite).toBeUndefined();
  });

  it('registers when the interrupted registration did not happen (the latest is what it was)', async () => {
    const { store, ecs, executor } = setup(
      record({
        pendingWrite: {
          operation: 'RegisterTaskDefinition',
          latestBefore: tdArn(1),
          at: 'then',
        },
      }),
    );
    ecs.addTaskDefinition(rendered({ ...OPTIONS, imageTag: '7.59.0' }) as any);
    await executor.execute('r1');
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'CreateService']);
    expect(store.records.get('r1')).toMatchObject({
      registered: true,
      newTaskDefinitionArn: tdArn(2),
    });
  });

  it('adopts the service an unrecorded CreateService created: no second CreateService', async () => {
    const { store, ecs, executor } = setup(
      record({
        step: 'registered',
        registered: true,
        createdService: true,
        newTaskDefinitionArn: tdArn(1),
        pendingWrite: { operation: 'CreateService', at: 'then' },
      }),
    );
    await ecs.createService({
      serviceName: 'datadog-agent',
      taskDefinition: tdArn(1),
    });
    ecs.calls.length = 0;
    await executor.execute('r1');

    expect(ecs.operations()).toEqual(['DescribeServices']);
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      status: 'in-progress',
      createdService: true,
      changedCluster: true,
      deployment: { status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
    });
    expect(store.records.get('r1')!.deployment!.serviceDeploymentArn).toMatch(
      /service-deployment/,
    );
  });

  it('adopts the deployment an unrecorded UpdateService started: no second UpdateService', async () => {
    const { store, ecs, executor } = setup(
      record({
        step: 'registered',
        registered: true,
        newTaskDefinitionArn: tdArn(2),
        oldTaskDefinitionArn: tdArn(1),
        pendingWrite: {
          operation: 'UpdateService',
          primaryBefore: 'ecs-svc/old',
          at: 'then',
        },
      }),
    );
    ecs.services.set('datadog-agent', runningService(tdArn(1)));
    await ecs.updateService({
      service: 'datadog-agent',
      taskDefinition: tdArn(2),
    });
    ecs.calls.length = 0;
    await executor.execute('r1');

    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      deployment: { status: 'PRIMARY' },
      // What it replaced, as recorded before the crash, not what the service runs now.
      oldTaskDefinitionArn: tdArn(1),
    });
  });

  it('calls UpdateService when the interrupted one did not change the service', async () => {
    const { ecs, executor } = setup(
      record({
        step: 'registered',
        registered: true,
        newTaskDefinitionArn: tdArn(2),
        pendingWrite: {
          operation: 'UpdateService',
          primaryBefore: 'ecs-svc/old',
          at: 'then',
        },
      }),
    );
    ecs.services.set('datadog-agent', runningService(tdArn(1)));
    await executor.execute('r1');
    expect(ecs.writes()).toEqual(['UpdateService']);
  });

  it('refuses to deploy over another deployment that started meanwhile without its revision', async () => {
    const { ecs, executor } = setup(
      record({
        step: 'registered',
        registered: true,
        newTaskDefinitionArn: tdArn(2),
        pendingWrite: {
          operation: 'UpdateService',
          primaryBefore: 'ecs-svc/old',
          at: 'then',
        },
      }),
    );
    ecs.services.set('datadog-agent', {
      ...runningService(tdArn(3)),
      deployments: [
        { id: 'ecs-svc/someone', status: 'PRIMARY', taskDefinition: tdArn(3) },
      ],
    });
    await expect(executor.execute('r1')).rejects.toThrow(
      /another deployment of datadog-agent started/,
    );
    expect(ecs.writes()).toEqual([]);
  });
});

describe('RolloutExecutor and ECS states', () => {
  it('waits, writing nothing, while a service of that name is DRAINING', async () => {
    const { store, ecs, executor } = setup(record());
    ecs.services.set('datadog-agent', {
      ...runningService(tdArn(1)),
      status: 'DRAINING',
    });
    const step = await executor.execute('r1');
    expect(step).toMatchObject({ status: 'waiting' });
    expect((step as any).note).toContain('DRAINING');
    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')!.step).toBe('none');

    // INACTIVE now: the rollout creates it.
    ecs.services.set('datadog-agent', {
      ...runningService(tdArn(1)),
      status: 'INACTIVE',
    });
    expect(await executor.execute('r1')).toBeUndefined();
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'CreateService']);
  });

  it('a rollback marks the rollout it undoes once ECS accepted its UpdateService', async () => {
    const original = record({
      id: 'r0',
      status: 'completed',
      changedCluster: true,
      leaseOwner: undefined,
    });
    const { store, ecs, executor } = setup(
      original,
      record({
        kind: 'rollback',
        rollbackOf: 'r0',
        step: 'registered',
        newTaskDefinitionArn: tdArn(1),
        oldTaskDefinitionArn: tdArn(2),
      }),
    );
    ecs.services.set('datadog-agent', runningService(tdArn(2)));
    ecs.updateService = async () => {
      // Before ECS accepted it, the rollout is not rolled back.
      expect(store.records.get('r0')!.rolledBackBy).toBeUndefined();
      throw Object.assign(new Error('slow down'), {
        name: 'ThrottlingException',
        $metadata: {},
      });
    };
    await expect(executor.execute('r1')).rejects.toThrow('slow down');
    expect(store.records.get('r0')!.rolledBackBy).toBeUndefined();

    delete (ecs as any).updateService;
    await executor.execute('r1');
    expect(store.records.get('r0')!.rolledBackBy).toBe('r1');
  });
});
