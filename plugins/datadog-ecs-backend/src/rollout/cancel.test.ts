import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import {
  CLUSTER,
  FakeEcs,
  fakeGateway,
  FakeRolloutStore,
  logger,
  record,
  tdArn,
} from './__testUtils__/fakes';
import { RolloutCancels } from './cancel';
import { RolloutRecord } from './RolloutStore';

const credentials = mockCredentials.user();
const ACTOR = 'user:default/sam';
const SD =
  'arn:aws:ecs:eu-west-1:111111111111:service-deployment/prod/datadog-agent/abc';

/** An update under way: its deployment started. */
const deploying = (over: Partial<RolloutRecord> = {}) =>
  record({
    status: 'in-progress',
    step: 'deployed',
    changedCluster: true,
    entityRef: 'component:default/payments-api',
    oldTaskDefinitionArn: tdArn(1),
    newTaskDefinitionArn: tdArn(2),
    deployment: { id: 'ecs-svc/1', serviceDeploymentArn: SD },
    ...over,
  });

function setup(records: RolloutRecord[] = [deploying()], enabled = true) {
  const store = new FakeRolloutStore(...records);
  const ecs = new FakeEcs();
  const gateway = fakeGateway(ecs);
  const parts = {
    authorizer: {
      authorizeRollback: jest.fn(async (_c: unknown, _e?: unknown) => {}),
    },
    runner: { stop: jest.fn((_id: string, _why: string) => {}) },
    history: {
      view: jest.fn(async (r: RolloutRecord) => ({ ...r } as any)),
    },
  };
  const cancels = new RolloutCancels({
    ...parts,
    store,
    gateway,
    rollout: { enabled },
    logger: logger(),
  });
  const cancel = (rollback = false, id = 'r1') =>
    cancels.cancel(id, { rollback }, credentials, ACTOR);
  return { ...parts, store, ecs, gateway, cancel };
}

describe('RolloutCancels', () => {
  it('cancels: the record cancelled (its lease ended), the cluster free, the runner here stopped; no ECS call', async () => {
    const { cancel, store, ecs, runner, authorizer } = setup();
    const view = await cancel();
    // Authorised as a rollout to the rollout's cluster, whatever entity it came from.
    expect(authorizer.authorizeRollback).toHaveBeenCalledWith(
      credentials,
      expect.objectContaining({ clusterName: CLUSTER.clusterName }),
    );
    expect(view).toMatchObject({ status: 'cancelled', cancelledBy: ACTOR });
    expect(store.records.get('r1')).toMatchObject({
      status: 'cancelled',
      leaseOwner: undefined,
      leaseEpoch: 2,
      changedCluster: true,
    });
    expect(store.records.get('r1')!.note).toContain(
      'the ECS deployment goes on',
    );
    expect(await store.getActive(CLUSTER)).toBeUndefined();
    expect(runner.stop).toHaveBeenCalledWith('r1', `cancelled by ${ACTOR}`);
    expect(ecs.calls).toEqual([]);
  });

  it('with rollback: StopServiceDeployment (ROLLBACK) on the deployment the rollout started first', async () => {
    const { cancel, store, ecs } = setup();
    await cancel(true);
    expect(ecs.calls).toEqual([
      {
        operation: 'StopServiceDeployment',
        input: { arn: SD, stopType: 'ROLLBACK' },
      },
    ]);
    // ECS puts the previous revision back: the rollout changed nothing.
    expect(store.records.get('r1')).toMatchObject({
      status: 'cancelled',
      changedCluster: false,
    });
    expect(store.records.get('r1')!.note).toContain('StopServiceDeployment');
  });

  it('a refusal by ECS is a 409 (ecs-refused) that cancels nothing', async () => {
    const { cancel, store, ecs, runner } = setup();
    ecs.stopServiceDeployment = async () => {
      throw Object.assign(new Error('The service deployment is SUCCESSFUL'), {
        name: 'ConflictException',
        $metadata: {},
      });
    };
    const error = await cancel(true).catch(e => e);
    expect(error).toMatchObject({
      name: 'ConflictError',
      reason: 'ecs-refused',
    });
    expect(error.message).toContain(
      'ConflictException: The service deployment is SUCCESSFUL',
    );
    expect(store.records.get('r1')!.status).toBe('in-progress');
    expect(runner.stop).not.toHaveBeenCalled();
  });

  it('refuses a rollback-cancel of a rollout that created the service, and one whose deployment ECS did not name', async () => {
    const created = setup([deploying({ createdService: true })]);
    await expect(created.cancel(true)).rejects.toMatchObject({
      reason: 'not-rollbackable',
    });
    const unnamed = setup([deploying({ deployment: { id: 'ecs-svc/1' } })]);
    await expect(unnamed.cancel(true)).rejects.toMatchObject({
      reason: 'ecs-refused',
    });
    expect(created.ecs.calls).toEqual([]);
    expect(unnamed.ecs.calls).toEqual([]);
    expect(unnamed.store.records.get('r1')!.status).toBe('in-progress');
  });

  it('before its deployment started: cancelled, nothing to roll back, and says when a write may have reached ECS', async () => {
    const { cancel, store, ecs } = setup([
      record({
        status: 'pending',
        step: 'registered',
        pendingWrite: { operation: 'CreateService', at: 'then' },
      }),
    ]);
    await cancel(true);
    expect(ecs.calls).toEqual([]);
    expect(store.records.get('r1')!.note).toBe(
      `Cancelled by ${ACTOR} before its deployment started: there was nothing to roll back. Its CreateService call may have reached ECS: check datadog-agent and the family's latest revision.`,
    );
  });

  it('409 for a finished rollout; 404 after the cluster permission for an unknown one; denied before anything', async () => {
    const finished = setup([deploying({ status: 'completed' })]);
    await expect(finished.cancel()).rejects.toMatchObject({
      reason: 'rollout-finished',
    });

    const unknown = setup();
    await expect(unknown.cancel(false, 'nope')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    expect(unknown.authorizer.authorizeRollback).toHaveBeenCalledWith(
      credentials,
      undefined,
    );

    const denied = setup();
    denied.authorizer.authorizeRollback.mockRejectedValueOnce(
      new NotAllowedError('no'),
    );
    await expect(denied.cancel(true)).rejects.toThrow(NotAllowedError);
    expect(denied.store.records.get('r1')!.status).toBe('in-progress');
    expect(denied.ecs.calls).toEqual([]);
  });

  it('while rollouts are switched off: a cancel still works, a rollback-cancel (an ECS write) is refused', async () => {
    const off = setup([deploying()], false);
    await expect(off.cancel(true)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(off.ecs.calls).toEqual([]);
    await off.cancel(false);
    expect(off.store.records.get('r1')!.status).toBe('cancelled');
  });
});
