import { arns } from '../model/ids';
import { globToRegExp } from '../model/placement';
import {
  Cluster,
  ContainerInstance,
  Deployment,
  Json,
  Service,
  Tag,
  Task,
  TaskDefinition,
} from '../model/types';
import { LaunchType, SchedulerContext } from './common';
import { checkCircuitBreaker } from './circuitBreaker';

// Task lifecycle: PROVISIONING → PENDING (image pull) → RUNNING → HEALTHY, and
// DEACTIVATING → STOPPING → STOPPED once a stop is requested. Health follows ECS's API reference
// (API_HealthCheck): a container without a health check reports UNKNOWN, and so does a task none
// of whose containers has one; with checks, the task is HEALTHY once they pass.

function imagePullFailure(cluster: Cluster, image: string): string | undefined {
  if (!cluster.unpullableImages.some(p => globToRegExp(p).test(image))) {
    return undefined;
  }
  const [repoPart, tag = 'latest'] = splitImage(image);
  let registry = 'registry-1.docker.io';
  let repo = repoPart;
  const first = repoPart.split('/')[0];
  if (repoPart.includes('/') && (first.includes('.') || first.includes(':'))) {
    registry = first;
    repo = repoPart.slice(first.length + 1);
  } else if (!repoPart.includes('/')) {
    repo = `library/${repoPart}`;
  }
  const cause =
    cluster.unpullableReason ?? 'dial tcp 99.83.145.10:443: i/o timeout';
  return `pull image manifest has been retried 7 time(s): failed to resolve ref ${image}: failed to do request: Head "https://${registry}/v2/${repo}/manifests/${tag}": ${cause}`;
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.indexOf('@');
  if (at >= 0) {
    return [image.slice(0, at), image.slice(at + 1)];
  }
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > slash) {
    return [image.slice(0, colon), image.slice(colon + 1)];
  }
  return [image, undefined];
}

export interface StartTaskOptions {
  svc?: Service;
  deployment?: Deployment;
  instance?: ContainerInstance;
  startedBy?: string;
  group?: string;
  /** Start already RUNNING (and HEALTHY), as if two minutes ago (fleet seeding). */
  instant?: boolean;
  availabilityZone?: string;
  /** Tags of the task (RunTask / StartTask `tags`, or propagated ones). */
  tags?: Tag[];
  /** RunTask / StartTask `overrides`, as given. */
  overrides?: Json;
}

export function startTask(
  ctx: SchedulerContext,
  cluster: Cluster,
  td: TaskDefinition,
  launchType: LaunchType,
  now: number,
  opts: StartTaskOptions,
): Task {
  const ids = ctx.world.ids;
  const id = ids.hex(32, 'task');
  const { region, accountId } = cluster;
  const pullFailure = (td.body.containerDefinitions as Json[])
    .map(c => imagePullFailure(cluster, c.image))
    .find(Boolean);
  const instant = Boolean(opts.instant) && !pullFailure;
  const task: Task = {
    arn: arns.task(region, accountId, cluster.name, id),
    id,
    clusterName: cluster.name,
    taskDefinition: td,
    containerInstance: opts.instance,
    launchType,
    group:
      opts.group ??
      (opts.svc ? `service:${opts.svc.name}` : `family:${td.family}`),
    startedBy: opts.startedBy ?? opts.deployment?.id,
    serviceName: opts.svc?.name,
    deploymentId: opts.deployment?.id,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    createdAt: instant ? now - 120_000 : now,
    pullFailure,
    everRunning: false,
    nextTransitionAt: now + ctx.timings.provisioningMs,
    containers: (td.body.containerDefinitions as Json[]).map(c => ({
      arn: arns.container(
        region,
        accountId,
        cluster.name,
        id,
        ids.uuid('container'),
      ),
      name: c.name,
      image: c.image,
      lastStatus: 'PENDING',
      essential: c.essential !== false,
      cpu: c.cpu ?? 0,
      memory: c.memory,
      memoryReservation: c.memoryReservation,
      // ECS reports UNKNOWN for a container without a health check (API_HealthCheck).
      healthStatus: 'UNKNOWN',
      networkBindings: [],
    })),
    availabilityZone: opts.instance?.availabilityZone ?? opts.availabilityZone,
    tags:
      opts.tags ??
      (opts.svc?.propagateTags === 'SERVICE' ? [...opts.svc.tags] : []),
    overrides: opts.overrides,
    version: 1,
  };
  cluster.tasks.set(id, task);
  cluster.live.add(task);
  opts.instance?.tasks.add(task);
  opts.svc?.tasks.add(task);
  if (instant) {
    task.lastStatus = 'PENDING';
    task.pullStartedAt = now - 115_000;
    toRunning(ctx, task, now - 100_000, opts.deployment);
    if (td.hasHealthCheck) {
      toHealthy(task);
    }
  }
  return task;
}

function toRunning(
  ctx: SchedulerContext,
  task: Task,
  at: number,
  deployment?: Deployment,
) {
  task.lastStatus = 'RUNNING';
  task.pullStoppedAt = at;
  task.startedAt = at;
  task.connectivityAt = at;
  task.everRunning = true;
  for (const c of task.containers) {
    c.lastStatus = 'RUNNING';
    c.runtimeId = `${task.id}-${c.name}`.slice(0, 64);
    c.networkBindings = bindingsFor(task, c.name);
  }
  task.nextTransitionAt = task.taskDefinition.hasHealthCheck
    ? at + ctx.timings.healthyAfterMs
    : Infinity;
  if (deployment) {
    deployment.anyTaskRunning = true;
  }
}

function toHealthy(task: Task) {
  task.healthStatus = 'HEALTHY';
  // Only containers with a health check pass it; the others stay UNKNOWN, as in ECS.
  const checked = new Set(
    (task.taskDefinition.body.containerDefinitions as Json[])
      .filter(d => d.healthCheck)
      .map(d => d.name),
  );
  for (const c of task.containers) {
    if (checked.has(c.name)) {
      c.healthStatus = 'HEALTHY';
    }
  }
  task.nextTransitionAt = Infinity;
}

function bindingsFor(task: Task, containerName: string): Json[] {
  const def = (task.taskDefinition.body.containerDefinitions as Json[]).find(
    c => c.name === containerName,
  );
  if (!def || task.taskDefinition.body.networkMode === 'awsvpc') {
    return [];
  }
  let dynamic = 32768 + (parseInt(task.id.slice(0, 4), 16) % 20000);
  return (def.portMappings ?? []).map((p: Json) => ({
    bindIP: '0.0.0.0',
    containerPort: p.containerPort,
    hostPort: p.hostPort || dynamic++,
    protocol: p.protocol ?? 'tcp',
  }));
}

/** Requests a stop; the task walks to STOPPED as time advances. */
export function stopTask(
  task: Task,
  reason: string | undefined,
  now: number,
  stopCode = 'ServiceSchedulerInitiated',
) {
  if (task.desiredStatus === 'STOPPED') {
    return;
  }
  task.desiredStatus = 'STOPPED';
  task.stoppedReason = reason;
  task.stopCode = stopCode;
  task.stoppingAt = now;
  task.nextTransitionAt = now;
  task.version++;
}

function findDeployment(cluster: Cluster, task: Task) {
  if (!task.serviceName || !task.deploymentId) {
    return undefined;
  }
  const svc = cluster.services.get(task.serviceName);
  return svc?.deploymentHistory.find(d => d.id === task.deploymentId);
}

/** Applies every transition of `task` that is due by `now`. */
export function advanceTask(
  ctx: SchedulerContext,
  cluster: Cluster,
  task: Task,
  now: number,
) {
  // An instance whose agent is disconnected reports nothing: its tasks freeze.
  if (task.containerInstance && !task.containerInstance.agentConnected) {
    return;
  }
  while (task.lastStatus !== 'STOPPED' && task.nextTransitionAt <= now) {
    const at = task.nextTransitionAt;
    task.version++;
    if (task.desiredStatus === 'STOPPED') {
      if (task.lastStatus === 'RUNNING') {
        task.lastStatus = 'DEACTIVATING';
        task.nextTransitionAt = at + ctx.timings.stoppingMs / 2;
      } else if (task.lastStatus === 'DEACTIVATING') {
        task.lastStatus = 'STOPPING';
        task.nextTransitionAt = at + ctx.timings.stoppingMs / 2;
      } else {
        toStopped(ctx, cluster, task, at, task.everRunning ? 0 : undefined);
      }
      continue;
    }
    switch (task.lastStatus) {
      case 'PROVISIONING':
        task.lastStatus = 'PENDING';
        task.pullStartedAt = at;
        task.nextTransitionAt = at + ctx.timings.pendingMs;
        break;
      case 'PENDING':
        if (task.pullFailure) {
          const reason = `CannotPullContainerError: ${task.pullFailure}`;
          task.desiredStatus = 'STOPPED';
          task.stopCode = 'TaskFailedToStart';
          task.stoppedReason = reason;
          task.stoppingAt = at;
          task.pullStoppedAt = at;
          for (const c of task.containers) {
            c.reason = reason;
          }
          toStopped(ctx, cluster, task, at, undefined);
        } else {
          toRunning(ctx, task, at, findDeployment(cluster, task));
        }
        break;
      case 'RUNNING':
        if (
          task.taskDefinition.hasHealthCheck &&
          task.healthStatus !== 'HEALTHY'
        ) {
          toHealthy(task);
        } else {
          task.nextTransitionAt = Infinity;
        }
        break;
      default:
        task.nextTransitionAt = Infinity;
    }
  }
}

function toStopped(
  ctx: SchedulerContext,
  cluster: Cluster,
  task: Task,
  at: number,
  exitCode: number | undefined,
) {
  task.lastStatus = 'STOPPED';
  task.stoppedAt = at;
  task.executionStoppedAt = at;
  task.nextTransitionAt = Infinity;
  task.healthStatus = task.everRunning ? task.healthStatus : 'UNKNOWN';
  for (const c of task.containers) {
    c.lastStatus = 'STOPPED';
    if (exitCode !== undefined) {
      c.exitCode = exitCode;
    }
    c.networkBindings = [];
  }
  cluster.live.delete(task);
  task.containerInstance?.tasks.delete(task);
  const svc = task.serviceName
    ? cluster.services.get(task.serviceName)
    : undefined;
  svc?.tasks.delete(task);
  if (svc && task.stopCode === 'TaskFailedToStart') {
    const d = svc.deploymentHistory.find(x => x.id === task.deploymentId);
    if (d) {
      d.failedTasks++;
      d.updatedAt = at;
      checkCircuitBreaker(ctx, svc, d, at);
    }
  }
}

/** Forgets STOPPED tasks older than `stoppedRetentionMs`. */
export function pruneStopped(ctx: SchedulerContext, now: number) {
  for (const cluster of ctx.world.allClusters()) {
    for (const [id, task] of cluster.tasks) {
      if (
        task.lastStatus === 'STOPPED' &&
        (task.stoppedAt ?? now) + ctx.timings.stoppedRetentionMs < now
      ) {
        cluster.tasks.delete(id);
      }
    }
  }
}
