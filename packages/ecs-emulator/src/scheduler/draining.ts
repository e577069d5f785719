import { Cluster, Service } from '../model/types';
import { scalingReason, SchedulerContext } from './common';
import { stopTask } from './tasks';

// Deleted services, as DeleteService describes them: "the service status moves from ACTIVE to
// DRAINING … After all tasks have transitioned to either STOPPING or STOPPED status, the service
// status moves from DRAINING to INACTIVE. Services in the DRAINING or INACTIVE status can still
// be viewed with the DescribeServices API operation. However, in the future, INACTIVE services
// may be cleaned up" (here: after `stoppedRetentionMs`, like STOPPED tasks).
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteService.html

/** DeleteService: DRAINING, desired count 0, every task of the service asked to stop. */
export function deleteService(svc: Service, now: number) {
  svc.status = 'DRAINING';
  svc.desiredCount = 0;
  svc.steady = false;
  svc.deletedAt = now;
  const primary = svc.deployments[0];
  for (const d of svc.deployments) d.desiredCount = 0;
  for (const t of svc.tasks) {
    stopTask(t, primary ? scalingReason(primary.id) : undefined, now);
  }
}

/** A DRAINING service's counts follow its stopping tasks; once none is left running it is INACTIVE. */
export function advanceDraining(svc: Service, now: number) {
  if (svc.status !== 'DRAINING') return;
  let busy = false;
  for (const d of svc.deployments) {
    let running = 0;
    let pending = 0;
    for (const t of svc.tasks) {
      if (t.deploymentId !== d.id) continue;
      if (t.lastStatus === 'RUNNING' || t.lastStatus === 'DEACTIVATING')
        running++;
      else if (t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING')
        pending++;
    }
    if (d.runningCount !== running || d.pendingCount !== pending) {
      d.updatedAt = now;
    }
    d.runningCount = running;
    d.pendingCount = pending;
    if (running + pending > 0) busy = true;
  }
  for (const t of svc.tasks) {
    if (t.lastStatus !== 'STOPPING' && t.lastStatus !== 'STOPPED') busy = true;
  }
  if (!busy) {
    svc.status = 'INACTIVE';
    svc.inactiveAt = now;
  }
}

/** Forgets INACTIVE services older than `stoppedRetentionMs` (DescribeServices then reports them MISSING). */
export function pruneInactive(
  ctx: SchedulerContext,
  cluster: Cluster,
  now: number,
) {
  for (const [name, svc] of cluster.services) {
    if (
      svc.status === 'INACTIVE' &&
      (svc.inactiveAt ?? now) + ctx.timings.stoppedRetentionMs < now
    ) {
      cluster.services.delete(name);
    }
  }
}
