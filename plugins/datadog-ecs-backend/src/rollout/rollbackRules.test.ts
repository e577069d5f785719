import { ConflictError } from '@backstage/errors';
import { record, tdArn } from './__testUtils__/fakes';
import { checkRollbackable, rollbackRefusal } from './rollbackRules';
import { RolloutRecord } from './RolloutStore';

/** A finished rollout that replaced revision 1 by revision 2. */
const finished = (over: Partial<RolloutRecord> = {}) =>
  record({
    status: 'completed',
    step: 'deployed',
    oldTaskDefinitionArn: tdArn(1),
    newTaskDefinitionArn: tdArn(2),
    changedCluster: true,
    ...over,
  });

describe('rollbackRefusal', () => {
  it.each<[string, Partial<RolloutRecord>, RolloutRecord | undefined]>([
    ['a completed rollout, the latest', {}, finished()],
    [
      'a failed rollout, the latest',
      { status: 'failed' },
      finished({ status: 'failed' }),
    ],
    ['the only rollout (no latest)', {}, undefined],
    [
      'a cancelled rollout whose deployment ECS carried on',
      { status: 'cancelled' },
      finished({ status: 'cancelled' }),
    ],
  ])('allows %s', (_, over, latest) => {
    const r = finished(over);
    expect(rollbackRefusal(r, latest)).toBeUndefined();
    expect(() => checkRollbackable(r, latest)).not.toThrow();
  });

  it.each<[string, Partial<RolloutRecord>, RolloutRecord | undefined, string]>([
    [
      'a rollback',
      { kind: 'rollback' },
      undefined,
      'A rollback cannot be rolled back; start a rollout instead',
    ],
    [
      'a pending rollout',
      { status: 'pending' },
      undefined,
      'The rollout r1 is still pending; roll back once it has finished',
    ],
    [
      'one in progress',
      { status: 'in-progress' },
      undefined,
      'The rollout r1 is still in-progress; roll back once it has finished',
    ],
    [
      'one that created the service',
      { createdService: true },
      undefined,
      'The rollout r1 created the service datadog-agent: there is no previous revision',
    ],
    [
      'one without a previous revision',
      { oldTaskDefinitionArn: undefined },
      undefined,
      'there is no previous revision to return to',
    ],
    [
      'one rolled back already',
      { rolledBackBy: 'r9' },
      undefined,
      'The rollout r1 was rolled back already (r9)',
    ],
    [
      'one that never deployed a revision',
      { newTaskDefinitionArn: undefined },
      undefined,
      'The rollout r1 never deployed a revision',
    ],
    [
      'one a later rollout superseded',
      {},
      finished({ id: 'r2' }),
      'A later rollout (r2) changed the cluster since; roll that one back first',
    ],
    [
      'one a later rollback superseded',
      {},
      finished({ id: 'r2', kind: 'rollback' }),
      'A later rollback (r2) changed the cluster since; start a rollout instead',
    ],
    [
      'one that failed before ECS accepted its deployment',
      { status: 'failed', step: 'none', changedCluster: false },
      undefined,
      'The rollout r1 did not change the cluster (it ended before ECS accepted its deployment): there is nothing to roll back',
    ],
    [
      'one ECS rolled back',
      { status: 'failed', changedCluster: false },
      undefined,
      'The rollout r1 did not change the cluster (ECS rolled its deployment back)',
    ],
  ])('refuses %s (409)', (_, over, latest, refusal) => {
    const r = finished(over);
    expect(rollbackRefusal(r, latest)).toContain(refusal);
    expect(() => checkRollbackable(r, latest)).toThrow(
      new ConflictError(rollbackRefusal(r, latest)),
    );
    expect(() => checkRollbackable(r, latest)).toThrow(
      expect.objectContaining({ reason: 'not-rollbackable' }),
    );
  });

  it('checks in order: a rollback in progress is refused as a rollback', () => {
    expect(
      rollbackRefusal(
        finished({ kind: 'rollback', status: 'in-progress' }),
        undefined,
      ),
    ).toBe('A rollback cannot be rolled back; start a rollout instead');
  });
});
