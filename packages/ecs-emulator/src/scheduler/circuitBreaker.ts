import { Deployment, Service } from '../model/types';
import { SchedulerContext } from './common';
import { addEvent } from './events';

export function circuitBreakerThreshold(desiredCount: number) {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
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
  if (d.failedTasks < circuitBreakerThreshold(svc.desiredCount)) {
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
  const target = cb.rollback
    ? [...svc.deploymentHistory]
        .reverse()
        .find(x => x !== d && x.rolloutState === 'COMPLETED')
    : undefined;
  if (target) {
    // ECS returns the last COMPLETED deployment to IN_PROGRESS (its tasks are kept).
    sd.status = 'ROLLBACK_IN_PROGRESS';
    sd.rollback = {
      reason,
      startedAt: now,
      serviceRevisionArn: target.serviceRevisionArn,
    };
    d.status = 'ACTIVE';
    target.status = 'PRIMARY';
    target.rolloutState = 'IN_PROGRESS';
    target.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${target.id}.`;
    target.rollbackFor = sd;
    target.stalled = false;
    target.updatedAt = now;
    const i = svc.deployments.indexOf(target);
    if (i >= 0) svc.deployments.splice(i, 1);
    svc.deployments.unshift(target);
    svc.taskDefinition = target.taskDefinition;
    svc.steady = false;
  } else {
    d.stalled = true;
    sd.status = cb.rollback ? 'ROLLBACK_FAILED' : 'STOPPED';
    sd.statusReason = reason;
    sd.stoppedAt = now;
    sd.finishedAt = now;
  }
}
