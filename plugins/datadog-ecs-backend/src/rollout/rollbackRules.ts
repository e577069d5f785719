import { RolloutConflictError } from '../errors';
import { RolloutRecord } from './RolloutStore';

/**
 * Why a rollout cannot be rolled back, or undefined when it can: only a rollout that changed the
 * cluster (ECS accepted its deployment and did not roll it back), and only the latest such one.
 * Refused for a rollback, while it runs, for a rollout that did not change the cluster, for one that
 * created the service or the managed daemon (ECS has no previous revision; deleting it is out of
 * scope), for one
 * already rolled back, for one that never deployed a revision, and for one a later change (`latest`,
 * the cluster's latest finished rollout or rollback that changed it) superseded. Pure.
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
  if (!r.changedCluster) {
    return `The rollout ${r.id} did not change the cluster (${
      r.step === 'deployed'
        ? 'ECS rolled its deployment back'
        : 'it ended before ECS accepted its deployment'
    }): there is nothing to roll back`;
  }
  if (r.createdService || !r.oldTaskDefinitionArn) {
    return r.target === 'managed-daemon'
      ? `The rollout ${r.id} created the managed daemon ${r.serviceName}: there is no previous daemon task definition to return to (deleting the daemon is out of scope; DeleteDaemon in ECS by hand if needed)`
      : `The rollout ${r.id} created the service ${r.serviceName}: there is no previous revision to return to (deleting the service is out of scope; scale it away in ECS by hand if needed)`;
  }
  if (r.rolledBackBy)
    return `The rollout ${r.id} was rolled back already (${r.rolledBackBy})`;
  if (!r.newTaskDefinitionArn)
    return `The rollout ${r.id} never deployed a revision`;
  if (latest && latest.id !== r.id) {
    return `A later ${latest.kind} (${latest.id}) changed the cluster since; ${
      latest.kind === 'rollout'
        ? 'roll that one back first'
        : 'start a rollout instead'
    }`;
  }
  return undefined;
}

/** 409 with the refusal, unless the rollout can be rolled back. */
export function checkRollbackable(
  r: RolloutRecord,
  latest: RolloutRecord | undefined,
): void {
  const refusal = rollbackRefusal(r, latest);
  if (refusal) throw new RolloutConflictError('not-rollbackable', refusal);
}
