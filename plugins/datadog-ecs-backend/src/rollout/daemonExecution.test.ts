import {
  CLUSTER_ARN,
  DAEMON_ARN,
  DAEMON_FAMILY,
  DAEMON_OPTIONS,
  daemonRecord,
  dtdArn,
  FakeDaemonEcs,
  MI_PROVIDER_ARN,
} from './__testUtils__/daemonFakes';
import {
  CLUSTER,
  fakeGateway,
  FakeRolloutStore,
  heldLease,
  LEASE,
  logger,
  rolloutConfig,
} from './__testUtils__/fakes';
import { renderForManagedDaemon } from './daemonPlan';
import { RolloutExecutor } from './execution';
import { RolloutFollower } from './following';
import { LeaseLostError } from './lease';
import { RolloutRecord } from './RolloutStore';
import { RolloutRunner } from './runner';
import { StepResult } from './steps';

const config = rolloutConfig();
const rendered = (options = DAEMON_OPTIONS) =>
  renderForManagedDaemon(
    options,
    config.apiKeys.get(CLUSTER.accountId),
    DAEMON_FAMILY,
  );

function setup(...records: RolloutRecord[]) {
  const store = new FakeRolloutStore(...records);
  const ecs = new FakeDaemonEcs();
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
  return { store, ecs, execute, executor };
}

/** The runner, for what it decides on a step's error. */
function run(store: FakeRolloutStore, ecs: FakeDaemonEcs) {
  const log = logger();
  const runner = new RolloutRunner({
    store,
    gateway: fakeGateway(ecs),
    rollout: config,
    executor: new RolloutExecutor({ store, rollout: config, logger: log }),
    follower: new RolloutFollower({
      store,
      rollout: config,
      refresher: { refreshCluster: async () => {} },
      logger: log,
    }),
    logger: log,
    lease: LEASE,
  });
  return runner.begin('r1', { ...LEASE, epoch: 1 });
}

const input = (ecs: FakeDaemonEcs, operation: string) =>
  ecs.calls.find(c => c.operation === operation)!.input;

describe('managed-daemon rollouts: the write steps', () => {
  it('registers the daemon task definition and creates the daemon (clientToken = rollout id) for the Managed Instances capacity providers', async () => {
    const { store, ecs, execute } = setup(daemonRecord());
    await execute();

    expect(ecs.writes()).toEqual([
      'RegisterDaemonTaskDefinition',
      'CreateDaemon',
    ]);
    expect(input(ecs, 'RegisterDaemonTaskDefinition')).toMatchObject({
      family: DAEMON_FAMILY,
      cpu: '256',
      memory: '512',
      tags: [
        { key: 'managed-by', value: 'backstage-datadog-ecs' },
        { key: 'datadog-ecs-rollout', value: 'r1' },
      ],
    });
    expect(input(ecs, 'CreateDaemon')).toEqual({
      daemonName: 'datadog-agent',
      clusterArn: CLUSTER_ARN,
      daemonTaskDefinitionArn: dtdArn(1),
      capacityProviderArns: [MI_PROVIDER_ARN],
      critical: true,
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0 },
      clientToken: 'r1',
      tags: [{ key: 'managed-by', value: 'backstage-datadog-ecs' }],
    });
    const r = store.records.get('r1')!;
    expect(r).toMatchObject({
      step: 'deployed',
      status: 'in-progress',
      registered: true,
      createdService: true,
      changedCluster: true,
      daemonArn: DAEMON_ARN,
      newTaskDefinitionArn: dtdArn(1),
      deployment: {
        daemonDeployment: {
          arn: ecs.daemons.get(DAEMON_ARN)!.deploymentArn,
          status: 'PENDING',
        },
      },
    });
    expect(r.oldTaskDefinitionArn).toBeUndefined();
    expect(r.pendingWrite).toBeUndefined();
    // Nothing of a DAEMON service.
    expect(ecs.operations()).not.toContain('DescribeServices');
  });

  it('updates the daemon with the options recorded, from the daemon task definition it deploys now', async () => {
    const { store, ecs, execute } = setup(
      daemonRecord({
        options: {
          ...DAEMON_OPTIONS,
          managedDaemon: {
            critical: false,
            drainPercent: 50,
            bakeTimeInMinutes: 2,
          },
        },
      }),
    );
    ecs.addDaemonTaskDefinition(
      rendered({ ...DAEMON_OPTIONS, imageTag: '7.77.1' }),
    );
    ecs.addDaemon(dtdArn(1));
    await execute();

    expect(ecs.writes()).toEqual([
      'RegisterDaemonTaskDefinition',
      'UpdateDaemon',
    ]);
    expect(input(ecs, 'UpdateDaemon')).toEqual({
      daemonArn: DAEMON_ARN,
      daemonTaskDefinitionArn: dtdArn(2),
      capacityProviderArns: [MI_PROVIDER_ARN],
      critical: false,
      deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 2 },
    });
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      createdService: false,
      oldTaskDefinitionArn: dtdArn(1),
      newTaskDefinitionArn: dtdArn(2),
      daemonArn: DAEMON_ARN,
    });
  });

  it("reuses the family's latest ACTIVE daemon task definition when it is the rendered one", async () => {
    const { store, ecs, execute } = setup(daemonRecord());
    ecs.addDaemonTaskDefinition(rendered());
    ecs.addDaemon(dtdArn(1));
    await execute();

    expect(ecs.writes()).toEqual(['UpdateDaemon']);
    expect(input(ecs, 'UpdateDaemon').daemonTaskDefinitionArn).toBe(dtdArn(1));
    expect(store.records.get('r1')).toMatchObject({
      registered: false,
      newTaskDefinitionArn: dtdArn(1),
      oldTaskDefinitionArn: dtdArn(1),
    });
  });

  it('fails naming `target` when ECS shows no ACTIVE Managed Instances capacity provider, before any write', async () => {
    const store = new FakeRolloutStore(daemonRecord());
    const ecs = new FakeDaemonEcs();
    ecs.capacityProviders = [
      {
        name: 'asg',
        capacityProviderArn:
          'arn:aws:ecs:eu-west-1:111111111111:capacity-provider/asg',
        status: 'ACTIVE',
        type: 'EC2_AUTOSCALING',
      },
      {
        name: 'old-mi',
        capacityProviderArn:
          'arn:aws:ecs:eu-west-1:111111111111:capacity-provider/old-mi',
        status: 'INACTIVE',
        type: 'MANAGED_INSTANCES',
      },
    ];
    await run(store, ecs);

    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({ status: 'failed' });
    expect(store.records.get('r1')!.failureReason).toContain(
      'target: managed-daemon',
    );
  });

  it('waits while a daemon of that name is being deleted', async () => {
    const { store, ecs, execute } = setup(daemonRecord());
    ecs.addDaemon(dtdArn(1)).status = 'DELETE_IN_PROGRESS';
    const step = await execute();

    expect(step).toMatchObject({ status: 'waiting' });
    expect((step as any).note).toContain('DELETE_IN_PROGRESS');
    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')!.step).toBe('none');
  });

  it('a rollback updates the daemon back to the revision its rollout replaced and marks that rollout', async () => {
    const original = daemonRecord({
      id: 'r0',
      status: 'completed',
      step: 'deployed',
      changedCluster: true,
      daemonArn: DAEMON_ARN,
      oldTaskDefinitionArn: dtdArn(1),
      newTaskDefinitionArn: dtdArn(2),
      leaseOwner: undefined,
    });
    const { store, ecs, execute } = setup(
      original,
      daemonRecord({
        kind: 'rollback',
        rollbackOf: 'r0',
        step: 'registered',
        daemonArn: DAEMON_ARN,
        oldTaskDefinitionArn: dtdArn(2),
        newTaskDefinitionArn: dtdArn(1),
      }),
    );
    ecs.addDaemon(dtdArn(2));
    await execute();

    expect(ecs.writes()).toEqual(['UpdateDaemon']);
    expect(input(ecs, 'UpdateDaemon')).toMatchObject({
      daemonArn: DAEMON_ARN,
      daemonTaskDefinitionArn: dtdArn(1),
    });
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      createdService: false,
      oldTaskDefinitionArn: dtdArn(2),
    });
    expect(store.records.get('r0')!.rolledBackBy).toBe('r1');
  });

  it('a rollback of a daemon that is gone fails without a write', async () => {
    const store = new FakeRolloutStore(
      daemonRecord({
        kind: 'rollback',
        rollbackOf: 'r0',
        step: 'registered',
        daemonArn: DAEMON_ARN,
        newTaskDefinitionArn: dtdArn(1),
      }),
    );
    const ecs = new FakeDaemonEcs();
    await run(store, ecs);
    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({ status: 'failed' });
    expect(store.records.get('r1')!.failureReason).toContain(
      'no longer exists',
    );
  });

  it('a write refused under the lease throws LeaseLostError before its ECS call', async () => {
    const { store, ecs, executor } = setup(daemonRecord());
    const lease = heldLease(store);
    Object.assign(store.records.get('r1')!, {
      leaseOwner: 'replica-b',
      leaseEpoch: 2,
    });
    await expect(
      executor.advance(ecs, (await store.get('r1'))!, lease),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(ecs.writes()).toEqual([]);
  });
});

describe('managed-daemon rollouts: replaying a step after a crash', () => {
  it('adopts the daemon an interrupted CreateDaemon made: no second CreateDaemon', async () => {
    const { store, ecs, execute } = setup(
      daemonRecord({
        step: 'registered',
        registered: true,
        createdService: true,
        newTaskDefinitionArn: dtdArn(1),
        pendingWrite: { operation: 'CreateDaemon', at: 'then' },
      }),
    );
    ecs.addDaemonTaskDefinition(rendered());
    // The interrupted call went through before the crash.
    const created = await ecs.createDaemon({
      daemonName: 'datadog-agent',
      daemonTaskDefinitionArn: dtdArn(1),
      critical: true,
    });
    ecs.calls.length = 0;
    await execute();

    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      status: 'in-progress',
      createdService: true,
      daemonArn: DAEMON_ARN,
      deployment: { daemonDeployment: { arn: created.deploymentArn } },
    });
    expect(store.records.get('r1')!.pendingWrite).toBeUndefined();
  });

  it('calls CreateDaemon when the interrupted one did not reach ECS', async () => {
    const { ecs, execute } = setup(
      daemonRecord({
        step: 'registered',
        newTaskDefinitionArn: dtdArn(1),
        pendingWrite: { operation: 'CreateDaemon', at: 'then' },
      }),
    );
    await execute();
    expect(ecs.writes()).toEqual(['CreateDaemon']);
  });

  it('adopts the deployment an interrupted UpdateDaemon started: no second UpdateDaemon', async () => {
    const { store, ecs, execute } = setup();
    const before = ecs.addDaemon(dtdArn(1)).deploymentArn;
    store.records.set(
      'r1',
      daemonRecord({
        step: 'registered',
        daemonArn: DAEMON_ARN,
        oldTaskDefinitionArn: dtdArn(1),
        newTaskDefinitionArn: dtdArn(2),
        pendingWrite: {
          operation: 'UpdateDaemon',
          deploymentBefore: before,
          at: 'then',
        },
      }),
    );
    const updated = await ecs.updateDaemon({
      daemonArn: DAEMON_ARN,
      daemonTaskDefinitionArn: dtdArn(2),
    });
    ecs.calls.length = 0;
    await execute();

    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      oldTaskDefinitionArn: dtdArn(1),
      deployment: { daemonDeployment: { arn: updated.deploymentArn } },
    });
  });

  it('calls UpdateDaemon when the daemon shows the deployment it had before', async () => {
    const { store, ecs, execute } = setup();
    const before = ecs.addDaemon(dtdArn(1)).deploymentArn;
    store.records.set(
      'r1',
      daemonRecord({
        step: 'registered',
        daemonArn: DAEMON_ARN,
        newTaskDefinitionArn: dtdArn(2),
        pendingWrite: {
          operation: 'UpdateDaemon',
          deploymentBefore: before,
          at: 'then',
        },
      }),
    );
    await execute();
    expect(ecs.writes()).toEqual(['UpdateDaemon']);
  });

  it('refuses to deploy over another deployment that started meanwhile (superseded)', async () => {
    const store = new FakeRolloutStore();
    const ecs = new FakeDaemonEcs();
    const before = ecs.addDaemon(dtdArn(1)).deploymentArn;
    store.records.set(
      'r1',
      daemonRecord({
        step: 'registered',
        daemonArn: DAEMON_ARN,
        newTaskDefinitionArn: dtdArn(2),
        pendingWrite: {
          operation: 'UpdateDaemon',
          deploymentBefore: before,
          at: 'then',
        },
      }),
    );
    await ecs.updateDaemon({
      daemonArn: DAEMON_ARN,
      daemonTaskDefinitionArn: dtdArn(3),
    });
    ecs.calls.length = 0;
    await run(store, ecs);

    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({
      status: 'failed',
      failureKind: 'superseded',
    });
  });

  it('adopts the daemon task definition an interrupted registration made: no second RegisterDaemonTaskDefinition', async () => {
    const { store, ecs, execute } = setup(
      daemonRecord({
        pendingWrite: { operation: 'RegisterDaemonTaskDefinition', at: 'then' },
      }),
    );
    ecs.addDaemonTaskDefinition(rendered());
    await execute();

    expect(ecs.writes()).toEqual(['CreateDaemon']);
    expect(store.records.get('r1')).toMatchObject({
      registered: true,
      newTaskDefinitionArn: dtdArn(1),
    });
  });
});
