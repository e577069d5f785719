import {
  ManagedDaemonDeployment,
  RolloutDeployment,
  RolloutFailureKind,
  RolloutInstanceProgress,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { DaemonDeployment, DaemonDetail } from '../aws/EcsGateway';
import { daemonDeploymentView as inventoryView } from '../inventory/coverage/managedDaemons';
import { isDone, RolloutOutcome } from './progress';

/*
 * A managed-daemon rollout's progress and outcome, decided from the daemon deployment ECS keeps
 * for its CreateDaemon / UpdateDaemon (DescribeDaemonDeployments) and the daemon's tasks per
 * Managed Instance. Pure.
 */

/**
 * A DaemonDeployment as a rollout shows it (`RolloutDeployment.daemonDeployment`): the inventory's
 * view, with every instance being drained counted — those of the revisions it replaces (an
 * update drains the instances that run them) as well as the target's.
 */
export function daemonDeploymentView(
  d: DaemonDeployment,
): ManagedDaemonDeployment {
  const view = inventoryView(d);
  if (view.instances) {
    view.instances.draining = [
      d.targetDaemonRevision,
      ...(d.sourceDaemonRevisions ?? []),
    ].reduce((n, r) => n + (r?.totalDrainingInstanceCount ?? 0), 0);
  }
  return view;
}

/**
 * The per-instance view of a daemon deployment: a Managed Instance that drains is being replaced
 * (the drain-provision-replace pattern), not left out as a DAEMON service's draining instance is.
 */
export function daemonInstanceProgress(
  progress: RolloutInstanceProgress[],
  draining: Set<string>,
): RolloutInstanceProgress[] {
  return progress.map(p =>
    draining.has(p.containerInstanceArn) && !p.taskArn
      ? {
          ...p,
          reason:
            'ECS drains this Managed Instance and launches a replacement that runs the new revision',
        }
      : p,
  );
}

/**
 * Decides a managed-daemon rollout's outcome from its daemon deployment (`deploymentArn`, as
 * DescribeDaemonDeployments describes it), the daemon, the per-instance progress and the elapsed
 * time. Pure.
 *
 * - SUCCESSFUL → completed;
 * - ROLLBACK_SUCCESSFUL → failed, rolled back by ECS (the circuit breaker or an alarm; the cluster
 *   runs the previous revision); ROLLBACK_FAILED → failed, the rollback failed too;
 * - STOPPED → failed: the circuit breaker's when it triggered (a first deployment has nothing to
 *   roll back to), else replaced by another deployment (`superseded`);
 * - PENDING, IN_PROGRESS, STOP_REQUESTED, ROLLBACK_IN_PROGRESS → in progress until the deadline;
 * - the daemon gone or being deleted, or its latest deployment another one that ECS no longer
 *   describes ours beside → failed.
 */
export function decideDaemonOutcome(input: {
  daemon: DaemonDetail | undefined;
  daemonName: string;
  deploymentArn?: string;
  deployment?: DaemonDeployment;
  progress: RolloutInstanceProgress[];
  elapsedMs: number;
  timeoutMs: number;
}): RolloutOutcome {
  const { daemon, deployment: d, progress } = input;
  const deployment: RolloutDeployment | undefined = d
    ? { daemonDeployment: daemonDeploymentView(d) }
    : undefined;
  if (!daemon || daemon.status !== 'ACTIVE') {
    return {
      status: 'failed',
      kind: 'aws-error',
      reason: `The managed daemon ${input.daemonName} is ${
        daemon?.status ?? 'gone'
      }`,
      deployment,
    };
  }
  const pullFailure = progress.find(p =>
    p.reason?.includes('CannotPullContainerError'),
  )?.reason;
  const failureReason = (base: string) =>
    pullFailure ? `${base} ${pullFailure}` : base;
  const failureKind = (): RolloutFailureKind =>
    pullFailure ? 'image-pull' : 'circuit-breaker';
  const why = d?.rollback?.reason ?? d?.statusReason;
  const because = why ? `: ${why}` : '.';

  switch (d?.status) {
    case 'SUCCESSFUL':
      return { status: 'completed', deployment };
    case 'ROLLBACK_SUCCESSFUL':
      return {
        status: 'failed',
        kind: failureKind(),
        reason: failureReason(
          `ECS rolled the daemon deployment back to the previous revision (ROLLBACK_SUCCESSFUL)${because}`,
        ),
        deployment,
        revertedByEcs: true,
      };
    case 'ROLLBACK_FAILED':
      return {
        status: 'failed',
        kind: failureKind(),
        reason: failureReason(
          `ECS could not roll the daemon deployment back (ROLLBACK_FAILED)${because}`,
        ),
        deployment,
      };
    case 'STOPPED': {
      const tripped = d.circuitBreaker?.status === 'TRIGGERED';
      return {
        status: 'failed',
        kind: tripped ? failureKind() : 'superseded',
        reason: failureReason(
          `ECS stopped the daemon deployment (STOPPED)${because}`,
        ),
        deployment,
      };
    }
    default:
      break;
  }
  if (
    !d &&
    input.deploymentArn &&
    daemon.deploymentArn !== input.deploymentArn
  ) {
    return {
      status: 'failed',
      kind: 'superseded',
      reason: `Another deployment of the managed daemon (${daemon.deploymentArn}) replaced this one.`,
    };
  }
  if (input.elapsedMs > input.timeoutMs) {
    const done = progress.filter(isDone).length;
    return {
      status: 'failed',
      kind: 'timeout',
      reason: failureReason(
        `The daemon deployment did not finish within ${Math.round(
          input.timeoutMs / 60000,
        )} minute(s) (datadogEcs.rollout.deploymentTimeoutMinutes); ${done}/${
          progress.length
        } instance(s) done${d?.status ? `, ECS says ${d.status}` : ''}.`,
      ),
      deployment,
    };
  }
  return { status: 'in-progress', deployment };
}
