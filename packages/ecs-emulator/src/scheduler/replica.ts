import { FitResult, fit, isCompatible } from '../model/placement';
import {
  Cluster,
  ContainerInstance,
  Deployment,
  Service,
  Task,
  TaskDefinition,
} from '../model/types';
import {
  DRAIN_REASON,
  LaunchType,
  ReconcilePass,
  SchedulerContext,
  launchTypeOf,
  scalingReason,
} from './common';
import { addEvent, placementFailure } from './events';
import { chooseInstance } from './placementStrategy';
import { startTask, stopTask } from './tasks';

// REPLICA placement: desiredCount tasks, rolled forward within maximumPercent
// while keeping minimumHealthyPercent, placed by the service's placement
// strategy (placementStrategy.ts).

export function reconcileReplica(ctx: SchedulerContext, pass: ReconcilePass) {
  const { cluster, svc, now, instant, started, stopped } = pass;
  const primary = svc.deployments[0];
  const td = primary.taskDefinition;
  const launchType = launchTypeOf(svc);
  const desired = svc.desiredCount;
  const maxPct = svc.deploymentConfiguration.maximumPercent ?? 200;
  const minPct = svc.deploymentConfiguration.minimumHealthyPercent ?? 100;
  const maxTotal = Math.max(desired, Math.floor((desired * maxPct) / 100));
  const minHealthy = Math.ceil((desired * minPct) / 100);

  const stop = (t: Task, reason: string) => {
    stopTask(t, reason, now);
    if (t.everRunning) stopped.push(t);
  };

  // Tasks on draining instances are replaced elsewhere.
  for (const t of svc.tasks) {
    if (
      t.desiredStatus === 'RUNNING' &&
      t.containerInstance?.status === 'DRAINING'
    ) {
      stop(t, DRAIN_REASON);
    }
  }
  const live = [...svc.tasks].filter(t => t.desiredStatus === 'RUNNING');
  const current = live.filter(t => t.deploymentId === primary.id);
  const old = live.filter(t => t.deploymentId !== primary.id);

  if (!primary.stalled) {
    // Scale in.
    if (current.length > desired) {
      const extra = current
        .slice()
        .sort(
          (a, b) =>
            Number(a.everRunning) - Number(b.everRunning) ||
            b.createdAt - a.createdAt,
        )
        .slice(0, current.length - desired);
      for (const t of extra) stop(t, scalingReason(primary.id));
    }
    // Scale out / roll forward within maximumPercent.
    let toStart = Math.min(desired - current.length, maxTotal - live.length);
    let failureRecorded = false;
    while (toStart > 0) {
      const placed = placeReplica(
        ctx,
        cluster,
        svc,
        td,
        launchType,
        now,
        instant,
        primary,
      );
      if (placed.task) {
        started.push(placed.task);
        svc.lastPlacementFailureKey = undefined;
        toStart--;
      } else {
        const key = `${placed.instance?.id ?? ''}/${placed.result}`;
        if (!failureRecorded && svc.lastPlacementFailureKey !== key) {
          svc.lastPlacementFailureKey = key;
          addEvent(
            ctx,
            svc,
            placementFailure(svc, now, placed.instance, placed.result),
            instant ? now - 120_000 : now,
          );
        }
        failureRecorded = true;
        break;
      }
    }
    // Stop old tasks while keeping minimumHealthyPercent.
    const isHealthy = (t: Task) =>
      t.lastStatus === 'RUNNING' &&
      (!t.taskDefinition.hasHealthCheck || t.healthStatus === 'HEALTHY');
    const liveNow = [...svc.tasks].filter(t => t.desiredStatus === 'RUNNING');
    let budget = liveNow.filter(isHealthy).length - minHealthy;
    const oldSorted = old
      .filter(t => t.desiredStatus === 'RUNNING')
      .sort((a, b) => Number(isHealthy(a)) - Number(isHealthy(b)));
    for (const t of oldSorted) {
      if (!isHealthy(t)) {
        stop(t, scalingReason(primary.id));
      } else if (budget > 0) {
        stop(t, scalingReason(primary.id));
        budget--;
      }
    }
  }
}

function placeReplica(
  ctx: SchedulerContext,
  cluster: Cluster,
  svc: Service,
  td: TaskDefinition,
  launchType: LaunchType,
  now: number,
  instant: boolean,
  deployment: Deployment,
): { task?: Task; instance?: ContainerInstance; result: FitResult | 'none' } {
  if (launchType === 'FARGATE') {
    const subnets: string[] =
      svc.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
    const azs = ['a', 'b', 'c'];
    const n = svc.tasks.size + svc.deploymentHistory.length;
    return {
      result: 'ok',
      task: startTask(ctx, cluster, td, launchType, now, {
        svc,
        deployment,
        instant,
        availabilityZone: `${cluster.region}${
          azs[(n + subnets.length) % azs.length]
        }`,
      }),
    };
  }
  const candidates: ContainerInstance[] = [];
  let closest: { instance: ContainerInstance; result: FitResult } | undefined;
  const rank: Record<FitResult, number> = {
    attribute: 0,
    cpu: 1,
    memory: 2,
    ports: 3,
    ok: 4,
  };
  for (const inst of cluster.instances.values()) {
    if (inst.status !== 'ACTIVE' || !inst.agentConnected) continue;
    if (launchType === 'EXTERNAL' ? !inst.external : inst.external) continue;
    let result: FitResult = isCompatible(
      td,
      inst,
      launchType,
      svc.placementConstraints,
    )
      ? fit(td, inst)
      : 'attribute';
    if (
      result === 'ok' &&
      svc.placementConstraints.some(c => c.type === 'distinctInstance') &&
      [...inst.tasks].some(t => t.serviceName === svc.name)
    ) {
      result = 'attribute';
    }
    if (result === 'ok') {
      candidates.push(inst);
    } else if (!closest || rank[result] > rank[closest.result]) {
      closest = { instance: inst, result };
    }
  }
  if (candidates.length === 0) {
    return {
      instance: closest?.instance,
      result: closest ? closest.result : 'none',
    };
  }
  const chosen = chooseInstance(svc, candidates);
  return {
    result: 'ok',
    instance: chosen,
    task: startTask(ctx, cluster, td, launchType, now, {
      svc,
      deployment,
      instance: chosen,
      instant,
    }),
  };
}
