import { ConflictError } from '@backstage/errors';
import { RolloutRecord } from './RolloutStore';

/**
 * Why a rollout cannot be rolled back, or undefined when it can. Refused for a rollback, while it
 * runs, for a rollout that created the service (ECS has no previous revision; deleting the service
 * is out of scope), for one already rolled back, for one that never deployed a revision, and for one
 * a later rollout (`latest`, the cluster's latest finished one) superseded. Pure.
 */
export function rollbackRefusal(
  r: RolloutRecord,
  latest: RolloutRecord | undefined,
): string | undefined {
  if (r.kind !== 'rollout')
    return 'A rollback cannot be rolled back; start a rollout instead';
  if (r.status === 'pending' || r.status === 'in-progress') {
    return `The rollout ${r.id} is still ${r.status}; roll back once it has finished`;
  }
  if (r.createdService || !r.oldTaskDefinitionArn) {
    return `The rollout ${r.id} created the service ${r.serviceName}: there is no previous revision to return to (deleting the service is out of scope; scale it away in ECS by hand if needed)`;
  }
  if (r.rolledBackBy)
    return `The rollout ${r.id} was rolled back already (${r.rolledBackBy})`;
  if (!r.newTaskDefinitionArn)
    return `The rollout ${r.id} never deployed a revision`;
  if (latest && latest.id !== r.id) {
    return `A later rollout (${latest.id}) changed the cluster since; roll that one back first`;
  }
  return undefined;
}

/** 409 with the refusal, unless the rollout can be rolled back. */
export function checkRollbackable(
  r: RolloutRecord,
  latest: RolloutRecord | undefined,
): void {
  const refusal = rollbackRefusal(r, latest);
  if (refusal) throw new ConflictError(refusal);
}
