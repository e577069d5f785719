/*
 * A managed-daemon rollout through the parts it shares with a DAEMON service's: the start (ECS
 * re-read before the record), the portal's rollback, a cancel with rollback, the rollback rules and
 * the API view.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  DAEMON_ARN,
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
  LEASE,
  logger,
} from './__testUtils__/fakes';
import { RolloutCancels } from './cancel';
import { RolloutRollbacks } from './rollback';
import { rollbackRefusal } from './rollbackRules';
import { RolloutRecord } from './RolloutStore';
import { toSummary } from './rolloutViews';
import { RolloutStarter } from './starting';
import type { StartPlan } from './planning';

const credentials = mockCredentials.user();
const ACTOR = 'user:default/sam';
const view = jest.fn(async (r: RolloutRecord) => ({ ...r } as any));

/** A completed managed-daemon rollout from daemon task definition 1 to 2. */
const completed = (over: Partial<RolloutRecord> = {}) =>
  daemonRecord({
    id: 'orig',
    status: 'completed',
    step: 'deployed',
    changedCluster: true,
    daemonArn: DAEMON_ARN,
    oldTaskDefinitionArn: dtdArn(1),
    newTaskDefinitionArn: dtdArn(2),
    leaseOwner: undefined,
    ...over,
  });

describe('starting a managed-daemon rollout', () => {
  const plan: StartPlan = {
    target: 'managed-daemon',
    options: DAEMON_OPTIONS,
    serviceName: 'datadog-agent',
    createdService: true,
  };
  function setup(ecs: FakeDaemonEcs) {
    const store = new FakeRolloutStore();
    const runner = { begin: jest.fn(async (_id: string, _t: any) => {}) };
    const starter = new RolloutStarter({
      store,
      authorizer: {
        authorizeRollout: async () => {},
        checkEntityPointsAtCluster: async () => {},
      },
      planner: { planStart: async () => plan },
      rollout: { enabled: true, deploymentTimeoutMinutes: 30 },
      gateway: fakeGateway(ecs),
      runner,
      history: { view },
      logger: logger(),
      lease: LEASE,
    });
    return {
      store,
      runner,
      start: () => starter.start(CLUSTER, {}, credentials, ACTOR),
    };
  }

  it('records the daemon as ECS has it now: its ARN and the daemon task definition it deploys', async () => {
    const ecs = new FakeDaemonEcs();
    ecs.addDaemon(dtdArn(3));
    const { store, runner, start } = setup(ecs);
    const { rollout } = await start();
    expect(store.records.get(rollout.id)).toMatchObject({
      target: 'managed-daemon',
      daemonArn: DAEMON_ARN,
      createdService: false,
      oldTaskDefinitionArn: dtdArn(3),
      step: 'none',
      options: DAEMON_OPTIONS,
    });
    expect(runner.begin).toHaveBeenCalled();
    expect(ecs.writes()).toEqual([]);
  });

  it('refuses (409, no record) while a daemon of that name is being deleted', async () => {
    const ecs = new FakeDaemonEcs();
    ecs.addDaemon(dtdArn(3)).status = 'DELETE_IN_PROGRESS';
    const { store, runner, start } = setup(ecs);
    await expect(start()).rejects.toMatchObject({
      name: 'ConflictError',
      reason: 'service-draining',
      message: expect.stringContaining('DELETE_IN_PROGRESS'),
    });
    expect(store.records.size).toBe(0);
    expect(runner.begin).not.toHaveBeenCalled();
  });

  it('refuses (400 naming target, no record) when ECS shows no Managed Instances capacity provider', async () => {
    const ecs = new FakeDaemonEcs();
    ecs.capacityProviders = [];
    const { store, start } = setup(ecs);
    await expect(start()).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/^target: managed-daemon/),
    });
    expect(store.records.size).toBe(0);
  });

  it('starts when the reads fail: the execution reads again before it writes', async () => {
    const ecs = new FakeDaemonEcs();
    ecs.describeClusters = async () => {
      throw Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottlingException',
        $metadata: {},
      });
    };
    const { store, start } = setup(ecs);
    const { rollout } = await start();
    expect(store.records.get(rollout.id)).toMatchObject({
      target: 'managed-daemon',
      createdService: true,
    });
  });
});

describe('rolling a managed-daemon rollout back', () => {
  it('records a rollback to the daemon task definition it replaced, with its daemon and options', async () => {
    const store = new FakeRolloutStore(completed());
    const ecs = new FakeDaemonEcs();
    ecs.addDaemonTaskDefinition({
      family: 'datadog-agent-daemon',
      containerDefinitions: [
        {
          name: 'datadog-agent',
          image: 'public.ecr.aws/datadog/agent:7.77.0',
          environment: [{ name: 'DD_LOGS_ENABLED', value: 'true' }],
        },
      ],
    });
    ecs.addDaemon(dtdArn(2));
    const runner = { begin: jest.fn(async (_id: string, _t: any) => {}) };
    const rollbacks = new RolloutRollbacks({
      store,
      authorizer: { authorizeRollback: async () => {} },
      gateway: fakeGateway(ecs),
      config: {
        rollout: { enabled: true, deploymentTimeoutMinutes: 30 },
        agentImageRepositories: ['public.ecr.aws/datadog/agent'],
      },
      runner,
      history: { view },
      lease: LEASE,
    });
    const { id } = await rollbacks.rollback(
      CLUSTER,
      'orig',
      credentials,
      ACTOR,
    );
    const r = store.records.get(id)!;
    expect(r).toMatchObject({
      kind: 'rollback',
      rollbackOf: 'orig',
      target: 'managed-daemon',
      daemonArn: DAEMON_ARN,
      step: 'registered',
      newTaskDefinitionArn: dtdArn(1),
      oldTaskDefinitionArn: dtdArn(2),
      options: { managedDaemon: DAEMON_OPTIONS.managedDaemon },
    });
    // The features of the definition rolled back to, read with DescribeDaemonTaskDefinition.
    expect(r.options!.features.logs).toBe(true);
    expect(ecs.operations()).toContain('DescribeDaemonTaskDefinition');
    expect(ecs.operations()).not.toContain('DescribeTaskDefinition');
    expect(runner.begin).toHaveBeenCalledWith(id, expect.anything());
  });

  it('refuses a rollout that created the daemon, saying so', () => {
    expect(
      rollbackRefusal(completed({ createdService: true }), undefined),
    ).toContain('created the managed daemon datadog-agent');
    expect(rollbackRefusal(completed(), undefined)).toBeUndefined();
  });
});

describe('cancelling a managed-daemon rollout with rollback', () => {
  function setup(record: RolloutRecord, ecs = new FakeDaemonEcs()) {
    const store = new FakeRolloutStore(record);
    const cancels = new RolloutCancels({
      store,
      authorizer: { authorizeRollback: async () => {} },
      gateway: fakeGateway(ecs),
      rollout: { enabled: true },
      runner: { stop: () => {} },
      history: { view },
      logger: logger(),
    });
    return {
      store,
      ecs,
      cancel: () =>
        cancels.cancel('r1', { rollback: true }, credentials, ACTOR),
    };
  }
  const deploying = (over: Partial<RolloutRecord> = {}) =>
    daemonRecord({
      status: 'in-progress',
      step: 'deployed',
      changedCluster: true,
      daemonArn: DAEMON_ARN,
      oldTaskDefinitionArn: dtdArn(1),
      newTaskDefinitionArn: dtdArn(2),
      ...over,
    });

  it('updates the daemon back to the daemon task definition it replaced (there is no StopDaemonDeployment)', async () => {
    const ecs = new FakeDaemonEcs();
    ecs.addDaemon(dtdArn(2));
    const { store, cancel } = setup(deploying(), ecs);
    await cancel();
    expect(ecs.writes()).toEqual(['UpdateDaemon']);
    expect(ecs.calls.find(c => c.operation === 'UpdateDaemon')!.input).toEqual({
      daemonArn: DAEMON_ARN,
      daemonTaskDefinitionArn: dtdArn(1),
      capacityProviderArns: [MI_PROVIDER_ARN],
      critical: true,
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0 },
    });
    expect(store.records.get('r1')).toMatchObject({
      status: 'cancelled',
      changedCluster: false,
    });
    expect(store.records.get('r1')!.note).toContain('UpdateDaemon');
  });

  it('refuses (409) for a rollout that created the daemon, and when ECS refuses, changing nothing', async () => {
    const created = setup(deploying({ createdService: true }));
    await expect(created.cancel()).rejects.toMatchObject({
      reason: 'not-rollbackable',
      message: expect.stringContaining('created the managed daemon'),
    });
    expect(created.ecs.writes()).toEqual([]);

    // The daemon is gone: UpdateDaemon answers DaemonNotFoundException.
    const refused = setup(deploying());
    await expect(refused.cancel()).rejects.toMatchObject({
      reason: 'ecs-refused',
      message: expect.stringContaining('DaemonNotFoundException'),
    });
    expect(refused.store.records.get('r1')!.status).toBe('in-progress');
  });
});

describe('the API view of a managed-daemon rollout', () => {
  it('has its target and daemon ARN, and family:revision of daemon task definitions', () => {
    const summary = toSummary(completed(), true);
    expect(summary).toMatchObject({
      target: 'managed-daemon',
      daemonArn: DAEMON_ARN,
      oldRevision: 'datadog-agent-daemon:1',
      newRevision: 'datadog-agent-daemon:2',
      options: { managedDaemon: { drainPercent: 25 } },
    });
    expect(toSummary(daemonRecord({ target: undefined }), false).target).toBe(
      'daemon-service',
    );
  });
});
