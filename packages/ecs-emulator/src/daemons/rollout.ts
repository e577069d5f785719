import { IdGenerator } from '../model/ids';
import { ContainerInstance, Json } from '../model/types';
import type { DaemonPass } from './scheduler';
import { replaceInstance, servesInstance } from './scheduler';
import { deploymentCounts } from './serialize';
import { clusterDaemons, daemonArns } from './state';
import { Daemon, DaemonDeployment, DaemonRevision } from './types';

// Daemon deployments, as the Developer Guide's "Daemon deployments" describes them: "A daemon
// deployment follows a drain-provision-replace pattern. When you create a daemon on a capacity
// provider with existing instances, or update a daemon to a new task definition revision, Amazon
// ECS drains a batch of instances, provisions replacement instances with the updated daemon, and
// replaces application tasks automatically. This process repeats until all instances run the new
// daemon revision." A batch is `drainPercent` (default 25) of the instances, rounded up; after a
// batch settles ECS waits `bakeTimeInMinutes` (default 0). PENDING → IN_PROGRESS → SUCCESSFUL; a
// deployment replaced by a new one goes STOP_REQUESTED → STOPPED; the circuit breaker (always on)
// counts daemon tasks that fail to start and rolls back to the previous revision
// (ROLLBACK_IN_PROGRESS → ROLLBACK_SUCCESSFUL, or ROLLBACK_FAILED when the rollback trips it
// again); without a revision to return to (the daemon's first deployment) it is STOPPED.
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-daemons-deployments.html

const ACTIVE = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'];

export const DEPLOYMENT_DEFAULTS = { drainPercent: 25, bakeTimeInMinutes: 0 };

export const CIRCUIT_BREAKER_REASON =
  'ECS deployment circuit breaker: daemon tasks failed to start.';

/**
 * The circuit breaker's threshold. The API reference's DescribeDaemonDeployments example shows 10
 * for a three-instance daemon; larger fleets get half their instances, at most 200, as services.
 */
export function daemonCircuitBreakerThreshold(instances: number) {
  return Math.min(200, Math.max(10, Math.ceil(0.5 * instances)));
}

export function activeDeployment(daemon: Daemon): DaemonDeployment | undefined {
  const d = daemon.deployments[daemon.deployments.length - 1];
  return d && ACTIVE.includes(d.status) ? d : undefined;
}

/** deploymentConfiguration with ECS's defaults, over the daemon's previous one. */
export function filledConfiguration(
  given: Json | undefined,
  base?: Json,
): Json {
  return {
    ...DEPLOYMENT_DEFAULTS,
    alarms: { alarmNames: [], enable: false },
    ...(base ? structuredClone(base) : {}),
    ...(given ? structuredClone(given) : {}),
  };
}

/** The revisions instances run now (newest first), other than `except`. */
function sourcesOf(daemon: Daemon, except?: DaemonRevision) {
  const out: DaemonRevision[] = [];
  for (const p of daemon.placements.values()) {
    if (p.instance.status === 'INACTIVE' || p.revision === except) continue;
    if (!out.includes(p.revision)) out.push(p.revision);
  }
  return out.sort((a, b) => b.createdAt - a.createdAt);
}

/** A new deployment (PENDING); the one it replaces is STOP_REQUESTED. */
export function startDaemonDeployment(
  daemon: Daemon,
  kind: DaemonDeployment['kind'],
  target: DaemonRevision | undefined,
  now: number,
  ids: IdGenerator,
): DaemonDeployment {
  const previous = activeDeployment(daemon);
  if (previous) {
    previous.status = 'STOP_REQUESTED';
  }
  const instances = [...daemon.cluster.instances.values()].filter(
    i =>
      i.status === 'ACTIVE' && i.managedInstances && servesInstance(daemon, i),
  ).length;
  const d: DaemonDeployment = {
    arn: daemonArns.deployment(
      daemon.cluster,
      daemon.name,
      ids.alnum(16, 'daemon-deployment'),
    ),
    daemon,
    kind,
    status: 'PENDING',
    createdAt: now,
    target,
    goal: target,
    sources: sourcesOf(daemon, target),
    capacityProviderArns: [...daemon.capacityProviderArns],
    deploymentConfiguration: structuredClone(daemon.deploymentConfiguration),
    failureCount: 0,
    rollbackFailures: 0,
    threshold: daemonCircuitBreakerThreshold(instances),
    circuitBreakerStatus: 'MONITORING',
    rollbackTo: daemon.stable !== target ? daemon.stable : undefined,
    step: [],
  };
  daemon.deployments.push(d);
  return d;
}

/** Ends a deployment: counts frozen, its step's old instances free to stop their daemon task. */
function end(
  daemon: Daemon,
  d: DaemonDeployment,
  status: DaemonDeployment['status'],
  now: number,
  reason?: string,
) {
  d.status = status;
  if (reason) d.statusReason = reason;
  if (status === 'STOPPED' || status === 'ROLLBACK_FAILED') d.stoppedAt = now;
  if (status !== 'STOPPED') d.finishedAt = now;
  if (d.circuitBreakerStatus === 'MONITORING') {
    d.circuitBreakerStatus = 'MONITORING_COMPLETE';
  }
  for (const r of d.step) r.released = true;
  d.step = [];
  if (status !== 'STOPPED' || d.circuitBreakerStatus === 'TRIGGERED') {
    daemon.current = d.goal;
  }
  d.finalCounts = deploymentCounts(d);
}

/** A daemon task failed to start during a deployment: the circuit breaker counts it. */
export function recordFailure(pass: DaemonPass, daemon: Daemon) {
  const d = activeDeployment(daemon);
  if (!d || d.status === 'PENDING') return;
  d.failureCount++;
  if (d.status === 'ROLLBACK_IN_PROGRESS') {
    d.rollbackFailures++;
    if (d.rollbackFailures >= d.threshold) {
      end(
        daemon,
        d,
        'ROLLBACK_FAILED',
        pass.now,
        'ECS deployment circuit breaker: daemon tasks of the rollback revision failed to start.',
      );
    }
    return;
  }
  if (d.failureCount < d.threshold) return;
  d.circuitBreakerStatus = 'TRIGGERED';
  d.statusReason = CIRCUIT_BREAKER_REASON;
  const target = d.kind === 'delete' ? undefined : d.rollbackTo;
  if (!target) {
    end(daemon, d, 'STOPPED', pass.now);
    return;
  }
  d.status = 'ROLLBACK_IN_PROGRESS';
  d.rollback = {
    reason: CIRCUIT_BREAKER_REASON,
    startedAt: pass.now,
    target,
    capacityProviderArns: [...d.capacityProviderArns],
  };
  d.goal = target;
  d.bakeUntil = undefined;
}

/** Whether an instance runs (or, for a non-critical daemon, tried) what the deployment moves it to. */
function onGoal(daemon: Daemon, d: DaemonDeployment, inst: ContainerInstance) {
  const p = daemon.placements.get(inst);
  const goal = servesInstance(daemon, inst) ? d.goal : undefined;
  if (!goal) return !p || !p.task || p.task.lastStatus === 'STOPPED';
  return p?.revision === goal;
}

/** A replacement is settled once its goal task runs (healthy, with a health check), or a non-critical one failed. */
function settledOn(
  daemon: Daemon,
  d: DaemonDeployment,
  inst: ContainerInstance,
) {
  if (inst.status !== 'ACTIVE') return false;
  const goal = servesInstance(daemon, inst) ? d.goal : undefined;
  const p = daemon.placements.get(inst);
  if (!goal) return !p;
  if (!p || p.revision !== goal) return false;
  if (p.withoutDaemon) return true;
  const t = p.task;
  if (!t || t.lastStatus !== 'RUNNING') return false;
  return !t.taskDefinition.hasHealthCheck || t.healthStatus === 'HEALTHY';
}

/** Every registered Managed Instance the daemon has a say on. */
function daemonInstances(daemon: Daemon): ContainerInstance[] {
  return [...daemon.cluster.instances.values()].filter(
    i =>
      i.managedInstances &&
      i.status !== 'INACTIVE' &&
      (servesInstance(daemon, i) || daemon.placements.has(i)),
  );
}

function step(pass: DaemonPass, daemon: Daemon, d: DaemonDeployment) {
  if (d.step.length) {
    let done = true;
    for (const r of d.step) {
      const settled =
        r.current !== undefined && settledOn(daemon, d, r.current);
      if (settled) r.released = true;
      if (!settled || r.old.status !== 'INACTIVE') done = false;
    }
    if (!done) return;
    d.step = [];
    const bake = Number(d.deploymentConfiguration.bakeTimeInMinutes ?? 0);
    if (bake > 0) d.bakeUntil = pass.now + bake * 60_000;
  }
  if (d.bakeUntil !== undefined) {
    if (pass.now < d.bakeUntil) return;
    d.bakeUntil = undefined;
  }
  const instances = daemonInstances(daemon).filter(i => i.status === 'ACTIVE');
  const outdated = instances.filter(i => !onGoal(daemon, d, i));
  if (outdated.length === 0) {
    const launching = clusterDaemons(daemon.cluster).launches.some(l =>
      daemon.capacityProviderArns.includes(l.capacityProvider.arn),
    );
    const draining = daemonInstances(daemon).some(i => i.status === 'DRAINING');
    if (launching || draining) return;
    end(
      daemon,
      d,
      d.rollback ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL',
      pass.now,
      d.rollback ? undefined : 'Deployment completed successfully.',
    );
    if (d.goal) daemon.stable = d.goal;
    if (d.kind === 'delete') {
      daemon.deleted = true;
      daemon.placements.clear();
    }
    return;
  }
  const percent = Number(d.deploymentConfiguration.drainPercent ?? 25);
  const size = Math.max(1, Math.ceil((instances.length * percent) / 100));
  for (const old of outdated.slice(0, size)) {
    const r = { old };
    d.step.push(r);
    replaceInstance(pass, old, r);
  }
}

/** One tick of a daemon's deployments. */
export function advanceDeployments(pass: DaemonPass, daemon: Daemon) {
  for (const d of daemon.deployments) {
    if (d.status === 'STOP_REQUESTED') {
      end(
        daemon,
        d,
        'STOPPED',
        pass.now,
        'The deployment was replaced by a new deployment.',
      );
    }
  }
  const d = activeDeployment(daemon);
  if (!d) return;
  if (d.status === 'PENDING') {
    d.status = 'IN_PROGRESS';
    d.startedAt = pass.now;
  }
  step(pass, daemon, d);
}
