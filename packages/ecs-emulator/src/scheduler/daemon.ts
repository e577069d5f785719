import { fit, isCompatible } from '../model/placement';
import { Cluster, ContainerInstance, Service, Task } from '../model/types';
import {
  DRAIN_REASON,
  ReconcilePass,
  SchedulerContext,
  launchTypeOf,
  scalingReason,
} from './common';
import { addEvent, placementFailure } from './events';
import { startTask, stopTask } from './tasks';

// DAEMON placement: one task on every ACTIVE compatible instance, replaced
// instance by instance within minimumHealthyPercent; on a draining instance the
// daemon task stops after the others.

/** Instances a DAEMON service should run on (ACTIVE and compatible). */
export function daemonTargets(
  cluster: Cluster,
  svc: Service,
): ContainerInstance[] {
  const td = svc.deployments[0]?.taskDefinition ?? svc.taskDefinition;
  const launchType = launchTypeOf(svc);
  const out: ContainerInstance[] = [];
  for (const inst of cluster.instances.values()) {
    if (
      inst.status === 'ACTIVE' &&
      isCompatible(td, inst, launchType, svc.placementConstraints)
    ) {
      out.push(inst);
    }
  }
  return out;
}

function isDaemonTask(cluster: Cluster, t: Task) {
  const s = t.serviceName ? cluster.services.get(t.serviceName) : undefined;
  return s?.schedulingStrategy === 'DAEMON';
}

export function reconcileDaemon(ctx: SchedulerContext, pass: ReconcilePass) {
  const { cluster, svc, now, instant, started, stopped } = pass;
  const primary = svc.deployments[0];
  const td = primary.taskDefinition;
  const launchType = launchTypeOf(svc);
  const targets = daemonTargets(cluster, svc);
  const targetSet = new Set(targets);
  svc.desiredCount = targets.length;

  const byInstance = new Map<ContainerInstance, Task[]>();
  for (const t of svc.tasks) {
    if (!t.containerInstance) continue;
    const list = byInstance.get(t.containerInstance) ?? [];
    list.push(t);
    byInstance.set(t.containerInstance, list);
  }

  // Instances no longer targeted (DRAINING, deregistered, constraints).
  for (const [inst, tasks] of byInstance) {
    if (targetSet.has(inst)) continue;
    svc.placementFailures.delete(inst.arn);
    if (inst.status === 'DRAINING') {
      // Daemon tasks are stopped last, after the other services' tasks; standalone tasks
      // (StartTask) are not stopped by a drain, so they do not hold the daemon back.
      const others = [...inst.tasks].some(
        t =>
          t.serviceName !== undefined &&
          t.serviceName !== svc.name &&
          !isDaemonTask(cluster, t),
      );
      if (others) continue;
    }
    for (const t of tasks) {
      if (t.desiredStatus === 'RUNNING') {
        stopTask(
          t,
          inst.status === 'DRAINING' ? DRAIN_REASON : scalingReason(primary.id),
          now,
        );
        if (t.everRunning) stopped.push(t);
      }
    }
  }
  for (const key of [...svc.placementFailures.keys()]) {
    if (![...targetSet].some(i => i.arn === key))
      svc.placementFailures.delete(key);
  }

  const minPct = svc.deploymentConfiguration.minimumHealthyPercent ?? 0;
  const minHealthy = Math.ceil((svc.desiredCount * minPct) / 100);
  let healthy = 0;
  for (const inst of targets) {
    if (
      (byInstance.get(inst) ?? []).some(
        t => t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING',
      )
    ) {
      healthy++;
    }
  }

  for (const inst of targets) {
    const tasks = byInstance.get(inst) ?? [];
    const live = tasks.filter(t => t.desiredStatus === 'RUNNING');
    const current = live.find(t => t.deploymentId === primary.id);
    const old = live.filter(t => t.deploymentId !== primary.id);
    if (current) {
      svc.placementFailures.delete(inst.arn);
      continue;
    }
    if (primary.stalled) continue;
    if (old.length) {
      if (!inst.agentConnected) continue;
      const isHealthy = old.some(t => t.lastStatus === 'RUNNING');
      if (!isHealthy || healthy - 1 >= minHealthy) {
        for (const t of old) {
          stopTask(t, scalingReason(primary.id), now);
          if (t.everRunning) stopped.push(t);
        }
        if (isHealthy) healthy--;
      }
      continue;
    }
    if (tasks.length) continue; // previous task still stopping
    if (!inst.agentConnected && !instant) continue;
    const result = fit(td, inst);
    if (result === 'ok') {
      svc.placementFailures.delete(inst.arn);
      started.push(
        startTask(ctx, cluster, td, launchType, now, {
          svc,
          deployment: primary,
          instance: inst,
          instant,
        }),
      );
    } else if (svc.placementFailures.get(inst.arn) !== result) {
      svc.placementFailures.set(inst.arn, result);
      addEvent(
        ctx,
        svc,
        placementFailure(svc, now, inst, result),
        instant ? now - 120_000 : now,
      );
    }
  }
}
