import { createInstances } from '../model/instances';
import { Cluster, ContainerInstance, RegionState, Task } from '../model/types';
import { DRAIN_REASON, SchedulerContext } from '../scheduler/common';
import { startTask, stopTask } from '../scheduler/tasks';
import { advanceDeployments, activeDeployment, recordFailure } from './rollout';
import { clusterDaemons, findCapacityProvider, regionDaemons } from './state';
import {
  CapacityProvider,
  Daemon,
  DaemonDeployment,
  DaemonPlacement,
  DaemonRevision,
  Replacement,
} from './types';

// Amazon ECS Managed Daemons over simulated time, for the Managed Instances of a cluster:
// - every ACTIVE instance of a daemon's capacity providers runs one task of the revision
//   instances are moving to ("When a container instance registers with the cluster, Amazon ECS
//   automatically starts daemon tasks");
// - a task of a critical daemon that fails or stops gets its instance drained and replaced; a
//   non-critical daemon's instance keeps running without it (withoutDaemonCount);
// - ECS launches the replacement instances (Timings.instanceLaunchMs), and a drained Managed
//   Instance is deregistered (terminated) once its tasks stopped;
// - deployments (rollout.ts) replace instances in steps.

export interface DaemonPass {
  ctx: SchedulerContext;
  cluster: Cluster;
  state: RegionState;
  now: number;
}

/** The revision an instance should run: the deployment's goal while one runs, else the daemon's. */
export function goalFor(
  daemon: Daemon,
  inst: ContainerInstance,
): DaemonRevision | undefined {
  if (!servesInstance(daemon, inst)) return undefined;
  const d = activeDeployment(daemon);
  if (d) return d.goal;
  return daemon.status === 'ACTIVE' ? daemon.current : undefined;
}

export function servesInstance(daemon: Daemon, inst: ContainerInstance) {
  return daemon.capacityProviderArns.some(
    arn => arn.slice(arn.lastIndexOf('/') + 1) === inst.capacityProviderName,
  );
}

const lastDeployment = (daemon: Daemon): DaemonDeployment | undefined =>
  daemon.deployments[daemon.deployments.length - 1];

/** Starts a daemon task on an instance (`instant`: already RUNNING, fleet seeding). */
export function placeDaemonTask(
  pass: DaemonPass,
  daemon: Daemon,
  inst: ContainerInstance,
  rev: DaemonRevision,
  instant = false,
): DaemonPlacement {
  const d = activeDeployment(daemon) ?? lastDeployment(daemon);
  const task = startTask(
    pass.ctx,
    pass.cluster,
    rev.taskDefinition.scheduled,
    'MANAGED_INSTANCES',
    pass.now,
    {
      instance: inst,
      group: `daemon:${daemon.name}`,
      startedBy: d ? d.arn.slice(d.arn.lastIndexOf('/') + 1) : undefined,
      tags: rev.propagateTags === 'DAEMON' ? [...daemon.tags] : [],
      instant,
    },
  );
  const placement: DaemonPlacement = { instance: inst, revision: rev, task };
  daemon.placements.set(inst, placement);
  return placement;
}

/** Launches an instance for a Managed Instances provider; it registers after `instanceLaunchMs`. */
export function launchInstance(
  pass: DaemonPass,
  cp: CapacityProvider,
  like: ContainerInstance | undefined,
  replacement?: Replacement,
) {
  clusterDaemons(pass.cluster).launches.push({
    at: pass.now + pass.ctx.timings.instanceLaunchMs,
    capacityProvider: cp,
    spec: {
      ...cp.instanceSpec,
      ...(like
        ? {
            instanceType: like.attrMap.get('ecs.instance-type'),
            availabilityZone: like.availabilityZone,
          }
        : {}),
    },
    replacement,
  });
}

/**
 * Drains an instance and launches its replacement: for a deployment step (`replacement` is the
 * step's slot) or to repair it (a critical daemon's task stopped). The drained instance stays
 * registered until its replacement runs what it should.
 */
export function replaceInstance(
  pass: DaemonPass,
  inst: ContainerInstance,
  replacement?: Replacement,
) {
  if (inst.status === 'ACTIVE') {
    inst.status = 'DRAINING';
    inst.version++;
  }
  let slot = replacement;
  if (!slot) {
    slot = { old: inst };
    clusterDaemons(pass.cluster).repairs.push(slot);
  }
  const cp = inst.capacityProviderName
    ? findCapacityProvider(pass.state, inst.capacityProviderName)
    : undefined;
  if (cp) launchInstance(pass, cp, inst, slot);
  else slot.released = true;
}

/** Whether every daemon that should run on an instance runs (or, non-critical, tried) its task. */
export function daemonsSettledOn(cluster: Cluster, inst: ContainerInstance) {
  for (const daemon of clusterDaemons(cluster).daemons.values()) {
    if (daemon.deleted || !goalFor(daemon, inst)) continue;
    const p = daemon.placements.get(inst);
    if (!p) return false;
    if (p.withoutDaemon) continue;
    const t = p.task;
    if (!t || t.lastStatus !== 'RUNNING') return false;
    if (t.taskDefinition.hasHealthCheck && t.healthStatus !== 'HEALTHY')
      return false;
  }
  return true;
}

/** A repaired instance is released once its replacement settled or failed in turn. */
function releaseRepairs(pass: DaemonPass) {
  const cs = clusterDaemons(pass.cluster);
  for (const r of cs.repairs) {
    const cur = r.current;
    if (
      !r.released &&
      cur &&
      (cur.status !== 'ACTIVE' || daemonsSettledOn(pass.cluster, cur))
    ) {
      r.released = true;
    }
  }
  cs.repairs = cs.repairs.filter(
    r => !r.released || r.old.status !== 'INACTIVE',
  );
}

const liveTasks = (inst: ContainerInstance): Task[] => [...inst.tasks];

/** Whether a drained instance waits for its replacement (deployment step or repair). */
function heldByStep(cluster: Cluster, inst: ContainerInstance): boolean {
  const cs = clusterDaemons(cluster);
  if (cs.repairs.some(r => r.old === inst && !r.released)) return true;
  for (const daemon of cs.daemons.values()) {
    for (const d of daemon.deployments) {
      if (d.step.some(r => r.old === inst && !r.released)) return true;
    }
  }
  return false;
}

/** Registers launched instances that are due; a replacement takes over its step's slot. */
function registerLaunches(pass: DaemonPass) {
  const cs = clusterDaemons(pass.cluster);
  const due = cs.launches.filter(l => l.at <= pass.now);
  if (!due.length) return;
  cs.launches = cs.launches.filter(l => l.at > pass.now);
  for (const l of due) {
    const [inst] = createInstances(
      pass.cluster,
      { ...l.spec, count: 1 },
      pass.ctx.world.ids,
      l.at,
      pass.cluster.instances.size,
    );
    if (l.replacement) l.replacement.current = inst;
  }
}

const deregisteredAt = new WeakMap<ContainerInstance, number>();

/** Drained Managed Instances stop their tasks (daemons last) and are then deregistered. */
function drainManagedInstances(pass: DaemonPass) {
  for (const inst of pass.cluster.instances.values()) {
    if (!inst.managedInstances || inst.status !== 'DRAINING') continue;
    if (heldByStep(pass.cluster, inst)) continue;
    const tasks = liveTasks(inst);
    if (tasks.length === 0) {
      inst.status = 'INACTIVE';
      inst.version++;
      deregisteredAt.set(inst, pass.now);
      continue;
    }
    for (const t of tasks) stopTask(t, DRAIN_REASON, pass.now);
  }
}

/** Forgets terminated Managed Instances after `stoppedRetentionMs` (as STOPPED tasks). */
function pruneTerminated(pass: DaemonPass) {
  for (const [id, inst] of pass.cluster.instances) {
    const at = deregisteredAt.get(inst);
    if (
      inst.managedInstances &&
      inst.status === 'INACTIVE' &&
      at !== undefined &&
      at + pass.ctx.timings.stoppedRetentionMs < pass.now
    ) {
      pass.cluster.instances.delete(id);
    }
  }
}

/** One daemon's placements: start missing tasks, handle tasks that failed or stopped. */
function reconcilePlacements(pass: DaemonPass, daemon: Daemon) {
  for (const inst of pass.cluster.instances.values()) {
    if (!inst.managedInstances) continue;
    const p = daemon.placements.get(inst);
    if (inst.status === 'INACTIVE') {
      if (p) daemon.placements.delete(inst);
      continue;
    }
    if (!p) {
      // Instances registered before the daemon existed are replaced by its first deployment
      // (rollout.ts); later ones start its task when they register.
      if (inst.registeredAt < daemon.createdAt) continue;
      const goal = inst.status === 'ACTIVE' ? goalFor(daemon, inst) : undefined;
      if (goal && inst.agentConnected)
        placeDaemonTask(pass, daemon, inst, goal);
      continue;
    }
    if (!p.task || p.task.lastStatus !== 'STOPPED' || p.settled) continue;
    p.settled = true;
    if (inst.status !== 'ACTIVE') continue; // stopped by a drain
    if (p.task.stopCode === 'TaskFailedToStart') recordFailure(pass, daemon);
    if (p.revision.critical) {
      // "If a daemon task stops, Amazon ECS automatically drains and replaces that container
      // instance."
      replaceInstance(pass, inst, stepOf(daemon, inst));
    } else {
      p.withoutDaemon = true;
    }
  }
}

/** The deployment step slot an instance currently fills (as the replacement of an old one). */
function stepOf(
  daemon: Daemon,
  inst: ContainerInstance,
): Replacement | undefined {
  for (const d of daemon.deployments) {
    const r = d.step.find(x => x.current === inst);
    if (r) return r;
  }
  return undefined;
}

/** A daemon task definition being deleted is DELETED once no daemon runs it. */
function finishTaskDefinitionDeletes(state: RegionState) {
  for (const revisions of regionDaemons(state).taskDefinitions.values()) {
    for (const td of revisions) {
      if (td.status !== 'DELETE_IN_PROGRESS') continue;
      let used = false;
      for (const cluster of state.clusters.values()) {
        for (const daemon of clusterDaemons(cluster).daemons.values()) {
          if (daemon.deleted) continue;
          if (daemon.current?.taskDefinition === td) used = true;
          for (const p of daemon.placements.values()) {
            if (p.revision.taskDefinition === td) used = true;
          }
        }
      }
      if (!used) td.status = 'DELETED';
    }
  }
}

const lastPrune = new WeakMap<Cluster, number>();

/** One scheduler tick of a cluster's Managed Instances and daemons. */
export function tickDaemons(
  ctx: SchedulerContext,
  cluster: Cluster,
  now: number,
) {
  const cs = clusterDaemons(cluster);
  if (
    !cs.capacityProviders.length &&
    !cs.daemons.size &&
    !cs.launches.length &&
    !cs.repairs.length
  ) {
    return;
  }
  const state = ctx.world.region(cluster.accountId, cluster.region);
  const pass: DaemonPass = { ctx, cluster, state, now };
  registerLaunches(pass);
  for (const daemon of cs.daemons.values()) {
    if (daemon.deleted) continue;
    reconcilePlacements(pass, daemon);
    advanceDeployments(pass, daemon);
  }
  releaseRepairs(pass);
  drainManagedInstances(pass);
  if (now - (lastPrune.get(cluster) ?? 0) >= 60_000) {
    lastPrune.set(cluster, now);
    pruneTerminated(pass);
    finishTaskDefinitionDeletes(state);
  }
}
