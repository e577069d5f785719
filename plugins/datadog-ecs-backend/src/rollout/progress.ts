import {
  RolloutDeployment,
  RolloutEvent,
  RolloutFailureKind,
  RolloutInstanceProgress,
  RolloutInstanceState,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  ContainerInstance,
  Service,
  ServiceDeployment,
  Task,
} from '../aws/EcsGateway';

const STARTING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

const time = (d: Date | string | undefined) => (d ? new Date(d).getTime() : 0);

function stopReason(task: Task): string | undefined {
  const container = task.containers?.find(c => c.reason);
  return task.stoppedReason ?? container?.reason;
}

/**
 * Per-instance progress of a rollout from the service's tasks (running and recently stopped):
 * the newest task of the new revision on each instance decides its state; the instance's old
 * revision counts as stopped once no task of another revision is left running there. Pure.
 */
export function computeInstanceProgress(input: {
  instances: ContainerInstance[];
  tasks: Task[];
  newTaskDefinitionArn: string;
  /** Whether the new definition has a health check (then `running` is not done until HEALTHY). */
  hasHealthCheck: boolean;
}): RolloutInstanceProgress[] {
  const { instances, tasks, newTaskDefinitionArn, hasHealthCheck } = input;
  return instances
    .filter(i => i.status === 'ACTIVE' || i.status === 'DRAINING')
    .map(instance => {
      const arn = instance.containerInstanceArn ?? '';
      const here = tasks.filter(t => t.containerInstanceArn === arn);
      const newest = here
        .filter(t => t.taskDefinitionArn === newTaskDefinitionArn)
        .sort((a, b) => time(b.createdAt) - time(a.createdAt))[0];
      const oldRunning = here.some(
        t =>
          t.taskDefinitionArn !== newTaskDefinitionArn &&
          t.lastStatus !== 'STOPPED',
      );
      let state: RolloutInstanceState;
      let reason: string | undefined;
      if (!newest) {
        state =
          instance.status === 'DRAINING' || instance.agentConnected === false
            ? 'skipped'
            : 'waiting';
        if (state === 'skipped') {
          reason =
            instance.status === 'DRAINING'
              ? 'The instance is draining: ECS places no new task there'
              : 'The ECS agent on the instance is disconnected: ECS places no new task there';
        }
      } else if (
        newest.lastStatus === 'STOPPED' ||
        newest.desiredStatus === 'STOPPED'
      ) {
        state = 'failed';
        reason = stopReason(newest);
      } else if (newest.lastStatus === 'RUNNING') {
        if (newest.healthStatus === 'HEALTHY') state = 'healthy';
        else if (newest.healthStatus === 'UNHEALTHY') {
          state = 'failed';
          reason = 'The Agent health check fails';
        } else state = hasHealthCheck ? 'pending' : 'running';
      } else if (STARTING.has(newest.lastStatus ?? '')) {
        state = 'pending';
      } else {
        state = 'pending';
      }
      const progress: RolloutInstanceProgress = {
        containerInstanceArn: arn,
        instanceId:
          instance.ec2InstanceId ?? arn.slice(arn.lastIndexOf('/') + 1),
        state,
        oldRevisionStopped: !oldRunning,
      };
      if (newest?.taskArn) progress.taskArn = newest.taskArn;
      if (newest?.lastStatus) progress.lastStatus = newest.lastStatus;
      if (newest?.healthStatus) progress.healthStatus = newest.healthStatus;
      if (reason) progress.reason = reason;
      return progress;
    });
}

/** What a poll concludes. */
export type RolloutOutcome =
  | { status: 'in-progress'; deployment?: RolloutDeployment }
  | { status: 'completed'; deployment?: RolloutDeployment; note?: string }
  | {
      status: 'failed';
      kind: RolloutFailureKind;
      reason: string;
      deployment?: RolloutDeployment;
      /** ECS put the previous revision back (a rollback): the cluster is as it was. */
      revertedByEcs?: boolean;
    };

/** The parts of a service deployment (`DescribeServiceDeployments`) a rollout shows. */
export function serviceDeploymentView(
  sd: ServiceDeployment | undefined,
): Partial<RolloutDeployment> {
  if (!sd) return {};
  const view: Partial<RolloutDeployment> = {
    serviceDeploymentArn: sd.serviceDeploymentArn,
    serviceDeploymentStatus: sd.status,
  };
  if (sd.statusReason) view.serviceDeploymentStatusReason = sd.statusReason;
  if (sd.deploymentCircuitBreaker) {
    const { status, failureCount, threshold } = sd.deploymentCircuitBreaker;
    view.circuitBreaker = { status, failureCount, threshold };
  }
  if (sd.rollback) {
    view.rollback = {
      reason: sd.rollback.reason,
      startedAt: sd.rollback.startedAt
        ? new Date(sd.rollback.startedAt).toISOString()
        : undefined,
    };
  }
  return view;
}

const ROLLING_BACK = new Set([
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
]);

/** Instances that count as done. */
export const isDone = (p: RolloutInstanceProgress) =>
  p.state === 'healthy' || p.state === 'running';

/**
 * Decides a rollout's outcome from the service deployment ECS keeps for it (when known), the
 * service's deployments (the one the rollout started, by id or by task definition), the
 * per-instance progress and the elapsed time. Pure.
 *
 * - the service deployment SUCCESSFUL → completed; rolling back (ROLLBACK_*) → failed, reverted by
 *   ECS unless the rollback failed; STOPPED / STOP_REQUESTED → failed (the circuit breaker when it
 *   triggered, else superseded); PENDING / IN_PROGRESS → the deployment decides:
 * - the deployment's rolloutState COMPLETED → completed;
 * - FAILED → failed: `image-pull` when a new task stopped with CannotPullContainerError (the reason
 *   quotes it), else `circuit-breaker`;
 * - no longer PRIMARY (the circuit breaker rolled back, or another deployment replaced it) → failed;
 * - past the timeout → failed (`timeout`);
 * - otherwise in progress.
 */
export function decideOutcome(input: {
  service: Service | undefined;
  deploymentId?: string;
  newTaskDefinitionArn: string;
  progress: RolloutInstanceProgress[];
  elapsedMs: number;
  timeoutMs: number;
  /** The service deployment of the rollout's write, when ECS described it. */
  serviceDeployment?: ServiceDeployment;
}): RolloutOutcome {
  const { service, progress } = input;
  const sdView = serviceDeploymentView(input.serviceDeployment);
  if (!service || service.status !== 'ACTIVE') {
    return {
      status: 'failed',
      kind: 'aws-error',
      reason: `The service is ${service?.status ?? 'gone'}`,
    };
  }
  const deployments = service.deployments ?? [];
  const ours =
    (input.deploymentId &&
      deployments.find(d => d.id === input.deploymentId)) ||
    deployments.find(
      d =>
        d.taskDefinition === input.newTaskDefinitionArn &&
        d.status === 'PRIMARY',
    );
  const deployment: RolloutDeployment | undefined =
    ours || input.serviceDeployment
      ? {
          ...(ours
            ? {
                id: ours.id,
                rolloutState: ours.rolloutState,
                rolloutStateReason: ours.rolloutStateReason,
                status: ours.status,
              }
            : {}),
          ...sdView,
        }
      : undefined;
  const pullFailure = progress.find(p =>
    p.reason?.includes('CannotPullContainerError'),
  )?.reason;
  const failureReason = (base: string) =>
    pullFailure ? `${base} ${pullFailure}` : base;
  const failureKind = (): RolloutFailureKind =>
    pullFailure ? 'image-pull' : 'circuit-breaker';

  const sd = input.serviceDeployment;
  const sdReason = sd?.rollback?.reason ?? sd?.statusReason;
  if (sd?.status === 'SUCCESSFUL') return { status: 'completed', deployment };
  if (sd?.status && ROLLING_BACK.has(sd.status)) {
    return {
      status: 'failed',
      kind: failureKind(),
      reason: failureReason(
        `ECS rolled the deployment back (${sd.status})${
          sdReason ? `: ${sdReason}` : '.'
        }`,
      ),
      deployment,
      revertedByEcs: true,
    };
  }
  if (sd?.status === 'ROLLBACK_FAILED') {
    return {
      status: 'failed',
      kind: failureKind(),
      reason: failureReason(
        `ECS could not roll the deployment back${
          sdReason ? `: ${sdReason}` : '.'
        }`,
      ),
      deployment,
    };
  }
  if (sd?.status === 'STOPPED' || sd?.status === 'STOP_REQUESTED') {
    const tripped = sd.deploymentCircuitBreaker?.status === 'TRIGGERED';
    return {
      status: 'failed',
      kind: tripped ? failureKind() : 'superseded',
      reason: failureReason(
        `ECS stopped the deployment (${sd.status})${
          sdReason ? `: ${sdReason}` : '.'
        }`,
      ),
      deployment,
    };
  }

  if (ours?.rolloutState === 'FAILED') {
    return {
      status: 'failed',
      kind: failureKind(),
      reason: failureReason(
        ours.rolloutStateReason ?? 'The deployment failed.',
      ),
      deployment,
    };
  }
  const primary = deployments.find(d => d.status === 'PRIMARY');
  if (!ours || ours.status !== 'PRIMARY') {
    const rolledBack =
      primary && primary.taskDefinition !== input.newTaskDefinitionArn;
    return {
      status: 'failed',
      kind: rolledBack ? failureKind() : 'superseded',
      reason: rolledBack
        ? failureReason(
            `The deployment was rolled back: ${
              primary!.taskDefinition
            } is the service's primary revision again.`,
          )
        : 'Another deployment of the service replaced this one.',
      deployment,
      ...(rolledBack ? { revertedByEcs: true } : {}),
    };
  }
  if (ours.rolloutState === 'COMPLETED') {
    return { status: 'completed', deployment };
  }
  const followed = progress.filter(p => p.state !== 'skipped');
  const skipped = progress.filter(p => p.state === 'skipped');
  if (
    ours.rolloutState === 'IN_PROGRESS' &&
    skipped.length > 0 &&
    followed.length > 0 &&
    followed.every(p => isDone(p) && p.oldRevisionStopped)
  ) {
    // ECS waits for the old tasks of draining or disconnected instances, which it cannot stop
    // (nor replace) until they come back: every instance it can reach is done.
    return {
      status: 'completed',
      deployment,
      note: `Completed on every reachable instance; ${
        skipped.length
      } instance(s) draining or disconnected (${skipped
        .map(p => p.instanceId)
        .join(
          ', ',
        )}) keep their old task until they come back, so ECS still reports the deployment in progress.`,
    };
  }
  if (!ours.rolloutState) {
    // No rollout state (the circuit breaker is off): done when every placeable instance runs it.
    if (
      followed.length > 0 &&
      followed.every(isDone) &&
      deployments.length === 1
    ) {
      return { status: 'completed', deployment };
    }
  }
  if (input.elapsedMs > input.timeoutMs) {
    const done = progress.filter(isDone).length;
    return {
      status: 'failed',
      kind: 'timeout',
      reason: failureReason(
        `The deployment did not finish within ${Math.round(
          input.timeoutMs / 60000,
        )} minute(s) (datadogEcs.rollout.deploymentTimeoutMinutes); ${done}/${
          progress.length
        } instance(s) done.`,
      ),
      deployment,
    };
  }
  return { status: 'in-progress', deployment };
}

/** The service's events since the deployment started, newest first (ECS keeps them newest first). */
export function eventsSince(
  service: Service | undefined,
  since: Date | undefined,
  limit = 50,
): RolloutEvent[] {
  const from = since ? since.getTime() : 0;
  return (service?.events ?? [])
    .filter(e => time(e.createdAt) >= from)
    .slice(0, limit)
    .map(e => ({
      id: e.id ?? '',
      createdAt: new Date(e.createdAt ?? 0).toISOString(),
      message: e.message ?? '',
    }));
}
