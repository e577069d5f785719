import { Deployment, Json, Service } from '../model/types';
import { SchedulerContext } from './common';
import { addEvent } from './events';

/**
 * The circuit breaker's failure threshold, as `thresholdConfiguration` defines it
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ThresholdConfiguration.html):
 * `BOUNDED_PERCENT` (the default, with `value` 50) — `value` percent of the desired count, at least
 * 3 and at most 200; `UNBOUNDED_PERCENT` — the same without the bounds; `COUNT` — `value` itself.
 * Without a configuration: 0.5 × the desired count, between 3 and 200.
 */
export function circuitBreakerThreshold(
  desiredCount: number,
  thresholdConfiguration?: Json,
) {
  const type = thresholdConfiguration?.type ?? 'BOUNDED_PERCENT';
  const value = thresholdConfiguration?.value ?? 50;
  if (type === 'COUNT') return value;
  const percent = Math.ceil((value * desiredCount) / 100);
  return type === 'UNBOUNDED_PERCENT'
    ? percent
    : Math.min(200, Math.max(3, percent));
}

/**
 * Called when a task of `d` failed to start: trips the deployment circuit
 * breaker once enough have failed before any reached RUNNING, then rolls back
 * to the last COMPLETED deployment or stalls the failed one.
 */
export function checkCircuitBreaker(
  ctx: SchedulerContext,
  svc: Service,
  d: Deployment,
  now: number,
) {
  const cb = svc.deploymentConfiguration.deploymentCircuitBreaker;
  if (
    !cb?.enable ||
    d.status !== 'PRIMARY' ||
    d.rolloutState !== 'IN_PROGRESS'
  ) {
    return;
  }
  if (d.anyTaskRunning) {
    return; // stage 1 passed: a task reached RUNNING
  }
  const threshold = circuitBreakerThreshold(
    svc.desiredCount,
    d.serviceDeployment.deploymentConfiguration?.deploymentCircuitBreaker
      ?.thresholdConfiguration,
  );
  if (d.failedTasks < threshold) {
    return;
  }
  const reason = 'ECS deployment circuit breaker: tasks failed to start.';
  d.rolloutState = 'FAILED';
  d.rolloutStateReason = reason;
  d.updatedAt = now;
  const sd = d.serviceDeployment;
  sd.circuitBreakerStatus = 'TRIGGERED';
  sd.updatedAt = now;
  addEvent(
    ctx,
    svc,
    `(service ${svc.name}) (deployment ${d.id}) deployment failed: tasks failed to start.`,
    now,
  );
  if (cb.rollback && rollBack(svc, d, reason, 'circuit breaker', now)) return;
  d.stalled = true;
  sd.status = cb.rollback ? 'ROLLBACK_FAILED' : 'STOPPED';
  sd.statusReason = reason;
  sd.stoppedAt = now;
  sd.finishedAt = now;
}

/**
 * Rolls the service back from `d` to its last COMPLETED deployment, which returns to IN_PROGRESS
 * (its tasks are kept); `d`'s service deployment is ROLLBACK_IN_PROGRESS until that deployment
 * settles (then ROLLBACK_SUCCESSFUL, deployments.ts). False when there is none to return to (`d`
 * created the service).
 */
export function rollBack(
  svc: Service,
  d: Deployment,
  reason: string,
  by: 'circuit breaker' | 'stop request',
  now: number,
): boolean {
  const sd = d.serviceDeployment;
  const target = [...svc.deploymentHistory]
    .reverse()
    .find(x => x !== d && x.rolloutState === 'COMPLETED');
  if (!target) return false;
  sd.status = 'ROLLBACK_IN_PROGRESS';
  sd.updatedAt = now;
  sd.rollback = {
    reason,
    startedAt: now,
    serviceRevisionArn: target.serviceRevisionArn,
  };
  d.status = 'ACTIVE';
  d.updatedAt = now;
  target.status = 'PRIMARY';
  target.rolloutState = 'IN_PROGRESS';
  target.rolloutStateReason =
    by === 'circuit breaker'
      ? `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`
      : `ECS deployment stopped: rolling back to deploymentId ${target.id}.`;
  target.rollbackFor = sd;
  target.stalled = false;
  target.updatedAt = now;
  const i = svc.deployments.indexOf(target);
  if (i >= 0) svc.deployments.splice(i, 1);
  svc.deployments.unshift(target);
  svc.taskDefinition = target.taskDefinition;
  svc.steady = false;
  return true;
}
