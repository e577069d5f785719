import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { ActiveRolloutError } from '../errors';
import {
  CLUSTER,
  FakeEcs,
  fakeGateway,
  FakeRolloutStore,
  LEASE,
  OPTIONS,
  record,
  tdArn,
} from './__testUtils__/fakes';
import { RolloutRollbacks } from './rollback';
import { ActiveRolloutExistsError, RolloutRecord } from './RolloutStore';

const credentials = mockCredentials.user();
const ENTITY = 'component:default/payments-api';

/** A completed rollout from revision 1 to revision 2. */
const original = (over: Partial<RolloutRecord> = {}) =>
  record({
    id: 'orig',
    status: 'completed',
    step: 'deployed',
    entityRef: ENTITY,
    source: 'entity',
    oldTaskDefinitionArn: tdArn(1),
    newTaskDefinitionArn: tdArn(2),
    changedCluster: true,
    ...over,
  });

function setup(options: { records?: RolloutRecord[]; enabled?: boolean } = {}) {
  const store = new FakeRolloutStore(...(options.records ?? [original()]));
  const ecs = new FakeEcs();
  // Revision 1 ran APM and logs; the service runs revision 3 now (a hand-made change).
  ecs.addTaskDefinition({
    family: 'datadog-agent-task',
    containerDefinitions: [
      {
        name: 'datadog-agent',
        image: 'public.ecr.aws/datadog/agent:7.60.0',
        environment: [{ name: 'DD_APM_ENABLED', value: 'true' }],
      },
    ],
  });
  ecs.services.set('datadog-agent', {
    serviceName: 'datadog-agent',
    status: 'ACTIVE',
    schedulingStrategy: 'DAEMON',
    deployments: [{ status: 'PRIMARY', taskDefinition: tdArn(3) }],
  });
  const gateway = fakeGateway(ecs);
  const parts = {
    authorizer: {
      authorizeRollback: jest.fn(async (_c: unknown, _e?: unknown) => {}),
    },
    runner: { begin: jest.fn(async (_id: string, _token: any) => {}) },
    history: {
      view: jest.fn(async (r: RolloutRecord) => ({ id: r.id } as any)),
    },
  };
  const rollbacks = new RolloutRollbacks({
    ...parts,
    store,
    gateway,
    config: {
      rollout: {
        enabled: options.enabled ?? true,
        deploymentTimeoutMinutes: 30,
      },
      agentImageRepositories: ['public.ecr.aws/datadog/agent'],
    },
    lease: LEASE,
  });
  const rollback = (id = 'orig', ref = CLUSTER) =>
    rollbacks.rollback(ref, id, credentials, 'user:default/sam');
  return { ...parts, store, ecs, gateway, rollback };
}

describe('RolloutRollbacks', () => {
  it('records a rollback to the replaced revision and runs it; the original is marked only once ECS accepts it', async () => {
    const { rollback, store, authorizer, runner } = setup();
    const view = await rollback();

    const id = view.id;
    // Authorised as a rollout to the rollout's cluster, whatever entity it came from.
    expect(authorizer.authorizeRollback).toHaveBeenCalledWith(
      credentials,
      expect.objectContaining({ clusterName: CLUSTER.clusterName }),
    );
    expect(store.records.get(id)).toMatchObject({
      kind: 'rollback',
      rollbackOf: 'orig',
      status: 'pending',
      step: 'registered',
      registered: false,
      createdService: false,
      source: 'entity',
      entityRef: ENTITY,
      createdBy: 'user:default/sam',
      newTaskDefinitionArn: tdArn(1),
      // What the service runs now, not what the original deployed.
      oldTaskDefinitionArn: tdArn(3),
      options: {
        ...OPTIONS,
        features: expect.objectContaining({ apm: true, logs: false }),
      },
      leaseOwner: LEASE.owner,
    });
    // Before: marked before the rollback ran, so one failed attempt blocked every other. The
    // executor marks it when ECS accepted the UpdateService (execution.test.ts).
    expect(store.records.get('orig')!.rolledBackBy).toBeUndefined();
    expect(runner.begin).toHaveBeenCalledWith(id, { ...LEASE, epoch: 1 });
  });

  it('goes on when the decoration fails', async () => {
    const { rollback, store, ecs, runner } = setup();
    ecs.describeTaskDefinition = async () => {
      throw new Error('throttled');
    };
    const { id } = await rollback();
    expect(store.records.get(id)).toMatchObject({
      oldTaskDefinitionArn: tdArn(2),
    });
    expect(store.records.get(id)!.options).toBeUndefined();
    expect(runner.begin).toHaveBeenCalledWith(id, { ...LEASE, epoch: 1 });
  });

  it('authorizes (the cluster permission alone) before saying a rollout does not exist', async () => {
    for (const [id, ref] of [
      ['missing', CLUSTER],
      ['orig', { ...CLUSTER, clusterName: 'other' }],
    ] as const) {
      const { rollback, authorizer, store } = setup();
      await expect(rollback(id, ref)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      expect(authorizer.authorizeRollback).toHaveBeenCalledWith(
        credentials,
        undefined,
      );
      expect(store.records.size).toBe(1);
    }
  });

  it('a denial stops it before any ECS call', async () => {
    const { rollback, authorizer, gateway, store } = setup();
    authorizer.authorizeRollback.mockRejectedValueOnce(
      new NotAllowedError('no'),
    );
    await expect(rollback()).rejects.toThrow(NotAllowedError);
    expect(gateway.forLocation).not.toHaveBeenCalled();
    expect(store.records.size).toBe(1);
  });

  it('is refused while rollouts are switched off', async () => {
    const { rollback, gateway } = setup({ enabled: false });
    await expect(rollback()).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(gateway.forLocation).not.toHaveBeenCalled();
  });

  it('a rule refuses it with 409 (here: a later rollout changed the cluster)', async () => {
    const { rollback, gateway, store } = setup({
      records: [
        original(),
        original({
          id: 'later',
          createdAt: new Date(Date.now() + 1000).toISOString(),
        }),
      ],
    });
    await expect(rollback()).rejects.toMatchObject({
      name: 'ConflictError',
      reason: 'not-rollbackable',
      message:
        'A later rollout (later) changed the cluster since; roll that one back first',
    });
    expect(gateway.forLocation).not.toHaveBeenCalled();
    expect(store.records.size).toBe(2);
  });

  it('a cluster with an active rollout: 409 with its id, the original unmarked', async () => {
    const { rollback, store, runner } = setup();
    store.insert = async () => {
      throw new ActiveRolloutExistsError({
        rolloutId: 'busy',
        createdBy: 'x',
        createdAt: 'then',
      });
    };
    const error = await rollback().catch(e => e);
    expect(error).toBeInstanceOf(ActiveRolloutError);
    expect(error.activeRolloutId).toBe('busy');
    expect(store.records.get('orig')!.rolledBackBy).toBeUndefined();
    expect(runner.begin).not.toHaveBeenCalled();
  });

  it('a later rollout that never touched ECS does not block the rollback', async () => {
    const { rollback, runner } = setup({
      records: [
        original(),
        // Failed before ECS accepted anything (e.g. AccessDenied on RegisterTaskDefinition).
        original({
          id: 'failed-early',
          status: 'failed',
          step: 'none',
          changedCluster: false,
          createdAt: new Date(Date.now() + 1000).toISOString(),
        }),
      ],
    });
    // Before: counted as "a later rollout changed the cluster".
    await rollback();
    expect(runner.begin).toHaveBeenCalled();
  });

  it('a failed rollback leaves the original rollback-able', async () => {
    const { rollback, store, runner } = setup({
      records: [
        original({ rolledBackBy: undefined }),
        record({
          id: 'rb1',
          kind: 'rollback',
          rollbackOf: 'orig',
          status: 'in-progress',
          step: 'deployed',
          changedCluster: true,
          createdAt: new Date(Date.now() + 1000).toISOString(),
        }),
      ],
    });
    // ECS accepted rb1 (orig marked), then rb1 failed.
    store.records.get('orig')!.rolledBackBy = 'rb1';
    await store.finish(
      'rb1',
      { status: 'failed', changedCluster: false },
      { ...LEASE, epoch: 1 },
    );
    expect(store.records.get('orig')!.rolledBackBy).toBeUndefined();
    await rollback();
    expect(runner.begin).toHaveBeenCalled();
  });
});
