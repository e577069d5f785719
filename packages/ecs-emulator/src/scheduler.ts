import { arns } from './model/ids';
import {
  FIT_MESSAGES,
  FitResult,
  fit,
  globToRegExp,
  isCompatible,
  usage,
} from './model/placement';
import {
  Cluster,
  ContainerInstance,
  Deployment,
  Json,
  Service,
  ServiceDeploymentRecord,
  Task,
  TaskDefinition,
} from './model/types';
import { World } from './model/world';

/** Simulated durations of the task lifecycle. */
export interface Timings {
  /** PROVISIONING → PENDING. */
  provisioningMs: number;
  /** PENDING (image pull) → RUNNING, or → STOPPED when the pull fails. */
  pendingMs: number;
  /** RUNNING → HEALTHY for containers with a healthCheck. */
  healthyAfterMs: number;
  /** Stop requested → STOPPED (for a running task). */
  stoppingMs: number;
  /** How long STOPPED tasks stay visible. */
  stoppedRetentionMs: number;
}

export const DEFAULT_TIMINGS: Timings = {
  provisioningMs: 2_000,
  pendingMs: 4_000,
  healthyAfterMs: 6_000,
  stoppingMs: 3_000,
  stoppedRetentionMs: 3_600_000,
};

const MAX_EVENTS = 100;
const TICK_MS = 1_000;
const MAX_STEPS_PER_ADVANCE = 900;

export const DRAIN_REASON =
  'Task stopped because the container instance is being drained.';

export function scalingReason(deploymentId: string) {
  return `Scaling activity initiated by (deployment ${deploymentId})`;
}

export function launchTypeOf(svc: Service): 'EC2' | 'EXTERNAL' | 'FARGATE' {
  if (svc.launchType) {
    return svc.launchType;
  }
  const cp = svc.capacityProviderStrategy ?? [];
  if (
    cp.some(
      i =>
        i.capacityProvider === 'FARGATE' ||
        i.capacityProvider === 'FARGATE_SPOT',
    )
  ) {
    return 'FARGATE';
  }
  return 'EC2';
}

export function circuitBreakerThreshold(desiredCount: number) {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

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

/**
 * Advances simulated time: task lifecycle, service reconciliation (REPLICA and
 * DAEMON), rolling deployments, the deployment circuit breaker, events.
 */
export class Scheduler {
  now: number;
  private lastPrune = 0;

  constructor(
    private readonly world: World,
    readonly timings: Timings,
    start: number,
  ) {
    this.now = start;
  }

  /** Steps the simulation forward to `target` (epoch ms). */
  advanceTo(target: number) {
    if (target <= this.now) {
      return;
    }
    const step = Math.max(
      TICK_MS,
      Math.ceil((target - this.now) / MAX_STEPS_PER_ADVANCE),
    );
    while (this.now < target) {
      this.now = Math.min(target, this.now + step);
      this.tick(this.now);
    }
  }

  tick(now: number) {
    for (const cluster of this.world.allClusters()) {
      this.tickCluster(cluster, now);
    }
    if (now - this.lastPrune >= 60_000) {
      this.lastPrune = now;
      this.prune(now);
    }
  }

  tickCluster(cluster: Cluster, now: number) {
    for (const task of [...cluster.live]) {
      this.advanceTask(cluster, task, now);
    }
    for (const svc of cluster.services.values()) {
      this.reconcile(cluster, svc, now, false);
    }
  }

  private prune(now: number) {
    for (const cluster of this.world.allClusters()) {
      for (const [id, task] of cluster.tasks) {
        if (
          task.lastStatus === 'STOPPED' &&
          (task.stoppedAt ?? now) + this.timings.stoppedRetentionMs < now
        ) {
          cluster.tasks.delete(id);
        }
      }
    }
  }

  // ---------------------------------------------------------------- events

  addEvent(svc: Service, message: string, at: number) {
    svc.events.unshift({
      id: this.world.ids.uuid('event'),
      createdAt: at,
      message,
    });
    if (svc.events.length > MAX_EVENTS) {
      svc.events.length = MAX_EVENTS;
    }
  }

  private taskListEvents(
    svc: Service,
    verb: string,
    tasks: Task[],
    at: number,
  ) {
    for (let i = 0; i < tasks.length; i += 10) {
      const chunk = tasks.slice(i, i + 10);
      this.addEvent(
        svc,
        `(service ${svc.name}) has ${verb} ${chunk.length} ${
          verb === 'stopped' ? 'running tasks' : 'tasks'
        }: ${chunk.map(t => `(task ${t.id})`).join(' ')}.`,
        at,
      );
    }
  }

  // ---------------------------------------------------------------- tasks

  startTask(
    cluster: Cluster,
    td: TaskDefinition,
    launchType: 'EC2' | 'EXTERNAL' | 'FARGATE',
    now: number,
    opts: {
      svc?: Service;
      deployment?: Deployment;
      instance?: ContainerInstance;
      startedBy?: string;
      group?: string;
      instant?: boolean;
      availabilityZone?: string;
    },
  ): Task {
    const ids = this.world.ids;
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
      nextTransitionAt: now + this.timings.provisioningMs,
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
        healthStatus: c.healthCheck ? 'UNKNOWN' : undefined,
        networkBindings: [],
      })),
      availabilityZone:
        opts.instance?.availabilityZone ?? opts.availabilityZone,
      tags: opts.svc?.propagateTags === 'SERVICE' ? [...opts.svc.tags] : [],
      version: 1,
    };
    cluster.tasks.set(id, task);
    cluster.live.add(task);
    opts.instance?.tasks.add(task);
    opts.svc?.tasks.add(task);
    if (instant) {
      task.lastStatus = 'PENDING';
      task.pullStartedAt = now - 115_000;
      this.toRunning(task, now - 100_000, opts.deployment);
      if (td.hasHealthCheck) {
        this.toHealthy(task);
      }
    }
    return task;
  }

  private toRunning(task: Task, at: number, deployment?: Deployment) {
    task.lastStatus = 'RUNNING';
    task.pullStoppedAt = at;
    task.startedAt = at;
    task.connectivityAt = at;
    task.everRunning = true;
    for (const c of task.containers) {
      c.lastStatus = 'RUNNING';
      c.runtimeId = `${task.id}-${c.name}`.slice(0, 64);
      c.networkBindings = this.bindingsFor(task, c.name);
    }
    task.nextTransitionAt = task.taskDefinition.hasHealthCheck
      ? at + this.timings.healthyAfterMs
      : Infinity;
    if (deployment) {
      deployment.anyTaskRunning = true;
    }
  }

  private toHealthy(task: Task) {
    task.healthStatus = 'HEALTHY';
    for (const c of task.containers) {
      if (c.healthStatus) {
        c.healthStatus = 'HEALTHY';
      }
    }
    task.nextTransitionAt = Infinity;
  }

  private bindingsFor(task: Task, containerName: string): Json[] {
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

  stopTask(
    task: Task,
    reason: string,
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

  private findDeployment(cluster: Cluster, task: Task) {
    if (!task.serviceName || !task.deploymentId) {
      return undefined;
    }
    const svc = cluster.services.get(task.serviceName);
    return svc?.deploymentHistory.find(d => d.id === task.deploymentId);
  }

  advanceTask(cluster: Cluster, task: Task, now: number) {
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
          task.nextTransitionAt = at + this.timings.stoppingMs / 2;
        } else if (task.lastStatus === 'DEACTIVATING') {
          task.lastStatus = 'STOPPING';
          task.nextTransitionAt = at + this.timings.stoppingMs / 2;
        } else {
          this.toStopped(cluster, task, at, task.everRunning ? 0 : undefined);
        }
        continue;
      }
      switch (task.lastStatus) {
        case 'PROVISIONING':
          task.lastStatus = 'PENDING';
          task.pullStartedAt = at;
          task.nextTransitionAt = at + this.timings.pendingMs;
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
            this.toStopped(cluster, task, at, undefined);
          } else {
            this.toRunning(task, at, this.findDeployment(cluster, task));
          }
          break;
        case 'RUNNING':
          if (
            task.taskDefinition.hasHealthCheck &&
            task.healthStatus !== 'HEALTHY'
          ) {
            this.toHealthy(task);
          } else {
            task.nextTransitionAt = Infinity;
          }
          break;
        default:
          task.nextTransitionAt = Infinity;
      }
    }
  }

  private toStopped(
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
        this.checkCircuitBreaker(svc, d, at);
      }
    }
  }

  // ------------------------------------------------------------ deployments

  newDeployment(
    cluster: Cluster,
    svc: Service,
    td: TaskDefinition,
    now: number,
  ): Deployment {
    const ids = this.world.ids;
    const { region, accountId } = cluster;
    const id = `ecs-svc/${ids.digits(19, 'deployment')}`;
    const revisionArn = arns.serviceRevision(
      region,
      accountId,
      cluster.name,
      svc.name,
      ids.digits(19, 'revision'),
    );
    const cb = svc.deploymentConfiguration.deploymentCircuitBreaker ?? {};
    const previous = svc.deployments.filter(d => d.status !== 'INACTIVE');
    const sd: ServiceDeploymentRecord = {
      arn: arns.serviceDeployment(
        region,
        accountId,
        cluster.name,
        svc.name,
        ids.alnum(21, 'sd'),
      ),
      serviceArn: svc.arn,
      clusterArn: cluster.arn,
      createdAt: now,
      startedAt: now,
      updatedAt: now,
      status: 'IN_PROGRESS',
      sourceRevisions: previous.map(d => ({
        arn: d.serviceRevisionArn,
        deployment: d,
      })),
      target: undefined as unknown as Deployment,
      deploymentConfiguration: structuredClone(svc.deploymentConfiguration),
      circuitBreakerStatus: cb.enable ? 'MONITORING' : 'DISABLED',
    };
    svc.allServiceDeployments.push(sd);
    const deployment: Deployment = {
      id,
      status: 'PRIMARY',
      taskDefinition: td,
      desiredCount: svc.desiredCount,
      pendingCount: 0,
      runningCount: 0,
      failedTasks: 0,
      createdAt: now,
      updatedAt: now,
      launchType: svc.launchType,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ${id} in progress.`,
      serviceRevisionArn: revisionArn,
      serviceDeployment: sd,
      stalled: false,
      anyTaskRunning: false,
    };
    sd.target = deployment;
    for (const d of previous) {
      if (d.status === 'PRIMARY') {
        d.status = 'ACTIVE';
        d.updatedAt = now;
        const psd = d.rollbackFor ?? d.serviceDeployment;
        d.rollbackFor = undefined;
        if (
          psd.status === 'IN_PROGRESS' ||
          psd.status === 'ROLLBACK_IN_PROGRESS' ||
          psd.status === 'PENDING'
        ) {
          psd.status = 'STOPPED';
          psd.statusReason =
            'The service deployment was stopped because a new deployment started.';
          psd.stoppedAt = now;
          psd.updatedAt = now;
          if (psd.circuitBreakerStatus === 'MONITORING') {
            psd.circuitBreakerStatus = 'MONITORING_COMPLETE';
          }
        }
      }
    }
    svc.deployments.unshift(deployment);
    svc.deploymentHistory.push(deployment);
    svc.taskDefinition = td;
    svc.steady = false;
    return deployment;
  }

  private checkCircuitBreaker(svc: Service, d: Deployment, now: number) {
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
    this.addEvent(
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

  // ---------------------------------------------------------- reconciling

  /** Instances a DAEMON service should run on (ACTIVE and compatible). */
  daemonTargets(cluster: Cluster, svc: Service): ContainerInstance[] {
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

  reconcile(cluster: Cluster, svc: Service, now: number, instant: boolean) {
    if (svc.status !== 'ACTIVE' || svc.deployments.length === 0) {
      return;
    }
    const started: Task[] = [];
    const stopped: Task[] = [];
    if (svc.schedulingStrategy === 'DAEMON') {
      this.reconcileDaemon(cluster, svc, now, instant, started, stopped);
    } else {
      this.reconcileReplica(cluster, svc, now, instant, started, stopped);
    }
    const eventAt = instant ? now - 120_000 : now;
    if (stopped.length) {
      this.taskListEvents(svc, 'stopped', stopped, eventAt);
    }
    if (started.length) {
      this.taskListEvents(svc, 'started', started, eventAt);
    }
    this.updateDeployments(cluster, svc, now);
  }

  private placementFailure(
    svc: Service,
    now: number,
    instance: ContainerInstance | undefined,
    result: FitResult | 'none',
  ) {
    const prefix = `(service ${svc.name}) was unable to place a task because no container instance met all of its requirements.`;
    const suffix =
      'For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
    if (!instance || result === 'none' || result === 'ok') {
      return `${prefix} Reason: No Container Instances were found in your cluster. ${suffix}`;
    }
    void now;
    return `${prefix} The closest matching (container-instance ${instance.id}) ${FIT_MESSAGES[result]} ${suffix}`;
  }

  private reconcileDaemon(
    cluster: Cluster,
    svc: Service,
    now: number,
    instant: boolean,
    started: Task[],
    stopped: Task[],
  ) {
    const primary = svc.deployments[0];
    const td = primary.taskDefinition;
    const launchType = launchTypeOf(svc);
    const targets = this.daemonTargets(cluster, svc);
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
        const others = [...inst.tasks].some(
          t => t.serviceName !== svc.name && !this.isDaemonTask(cluster, t),
        );
        if (others) continue; // daemon tasks are stopped last
      }
      for (const t of tasks) {
        if (t.desiredStatus === 'RUNNING') {
          this.stopTask(
            t,
            inst.status === 'DRAINING'
              ? DRAIN_REASON
              : scalingReason(primary.id),
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
            this.stopTask(t, scalingReason(primary.id), now);
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
          this.startTask(cluster, td, launchType, now, {
            svc,
            deployment: primary,
            instance: inst,
            instant,
          }),
        );
      } else if (svc.placementFailures.get(inst.arn) !== result) {
        svc.placementFailures.set(inst.arn, result);
        this.addEvent(
          svc,
          this.placementFailure(svc, now, inst, result),
          instant ? now - 120_000 : now,
        );
      }
    }
  }

  private isDaemonTask(cluster: Cluster, t: Task) {
    const s = t.serviceName ? cluster.services.get(t.serviceName) : undefined;
    return s?.schedulingStrategy === 'DAEMON';
  }

  private reconcileReplica(
    cluster: Cluster,
    svc: Service,
    now: number,
    instant: boolean,
    started: Task[],
    stopped: Task[],
  ) {
    const primary = svc.deployments[0];
    const td = primary.taskDefinition;
    const launchType = launchTypeOf(svc);
    const desired = svc.desiredCount;
    const maxPct = svc.deploymentConfiguration.maximumPercent ?? 200;
    const minPct = svc.deploymentConfiguration.minimumHealthyPercent ?? 100;
    const maxTotal = Math.max(desired, Math.floor((desired * maxPct) / 100));
    const minHealthy = Math.ceil((desired * minPct) / 100);

    const stop = (t: Task, reason: string) => {
      this.stopTask(t, reason, now);
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
        const placed = this.placeReplica(
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
            this.addEvent(
              svc,
              this.placementFailure(svc, now, placed.instance, placed.result),
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

  private placeReplica(
    cluster: Cluster,
    svc: Service,
    td: TaskDefinition,
    launchType: 'EC2' | 'EXTERNAL' | 'FARGATE',
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
        task: this.startTask(cluster, td, launchType, now, {
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
    const chosen = this.choose(svc, candidates);
    return {
      result: 'ok',
      instance: chosen,
      task: this.startTask(cluster, td, launchType, now, {
        svc,
        deployment,
        instance: chosen,
        instant,
      }),
    };
  }

  private choose(
    svc: Service,
    candidates: ContainerInstance[],
  ): ContainerInstance {
    const strategies: Json[] = svc.placementStrategy.length
      ? svc.placementStrategy
      : [
          { type: 'spread', field: 'attribute:ecs.availability-zone' },
          { type: 'spread', field: 'instanceId' },
        ];
    const countOf = (inst: ContainerInstance) =>
      [...inst.tasks].filter(t => t.serviceName === svc.name).length;
    const groupKey = (inst: ContainerInstance, field: string) => {
      if (field === 'instanceId' || field === 'host') return inst.id;
      return inst.attrMap.get(field.replace(/^attribute:/, '')) ?? '';
    };
    const groupCounts = new Map<string, number>();
    for (const s of strategies) {
      if (
        s.type === 'spread' &&
        s.field !== 'instanceId' &&
        s.field !== 'host'
      ) {
        for (const t of svc.tasks) {
          if (!t.containerInstance) continue;
          const k = `${s.field}=${groupKey(t.containerInstance, s.field)}`;
          groupCounts.set(k, (groupCounts.get(k) ?? 0) + 1);
        }
      }
    }
    const score = (inst: ContainerInstance): number[] =>
      strategies.map(s => {
        if (s.type === 'binpack') {
          const u = usage(inst);
          return s.field === 'cpu' ? inst.cpu - u.cpu : inst.memory - u.memory;
        }
        if (s.type === 'spread') {
          if (s.field === 'instanceId' || s.field === 'host')
            return countOf(inst);
          return groupCounts.get(`${s.field}=${groupKey(inst, s.field)}`) ?? 0;
        }
        return 0;
      });
    let best = candidates[0];
    let bestScore = score(best);
    for (const inst of candidates.slice(1)) {
      const sc = score(inst);
      for (let i = 0; i < sc.length; i++) {
        if (sc[i] < bestScore[i]) {
          best = inst;
          bestScore = sc;
          break;
        }
        if (sc[i] > bestScore[i]) break;
      }
    }
    return best;
  }

  /** Refreshes deployment counters, completion, steady state. */
  updateDeployments(cluster: Cluster, svc: Service, now: number) {
    const primary = svc.deployments[0];
    for (const d of [...svc.deployments]) {
      let running = 0;
      let pending = 0;
      let any = 0;
      for (const t of svc.tasks) {
        if (t.deploymentId !== d.id) continue;
        any++;
        if (t.desiredStatus !== 'RUNNING') continue;
        if (t.lastStatus === 'RUNNING') running++;
        else if (t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING')
          pending++;
      }
      if (d.runningCount !== running || d.pendingCount !== pending) {
        d.updatedAt = now;
      }
      d.runningCount = running;
      d.pendingCount = pending;
      if (d === primary) {
        d.desiredCount = svc.desiredCount;
      } else {
        d.desiredCount = running + pending;
        if (any === 0) {
          d.status = 'INACTIVE';
          d.updatedAt = now;
          svc.deployments.splice(svc.deployments.indexOf(d), 1);
        }
      }
    }

    const settled = this.isSettled(cluster, svc);
    if (
      primary.rolloutState === 'IN_PROGRESS' &&
      svc.deployments.length === 1 &&
      settled
    ) {
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
      primary.updatedAt = now;
      const sd = primary.rollbackFor ?? primary.serviceDeployment;
      sd.status = primary.rollbackFor ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
      primary.rollbackFor = undefined;
      sd.finishedAt = now;
      sd.updatedAt = now;
      if (sd.circuitBreakerStatus === 'MONITORING')
        sd.circuitBreakerStatus = 'MONITORING_COMPLETE';
      this.addEvent(
        svc,
        `(service ${svc.name}) has reached a steady state.`,
        now,
      );
      this.addEvent(
        svc,
        `(service ${svc.name}) (deployment ${primary.id}) deployment completed.`,
        now,
      );
      svc.steady = true;
      return;
    }
    const steady =
      settled &&
      svc.deployments.length === 1 &&
      primary.rolloutState === 'COMPLETED';
    if (steady && !svc.steady) {
      this.addEvent(
        svc,
        `(service ${svc.name}) has reached a steady state.`,
        now,
      );
    }
    svc.steady = steady;
  }

  private isSettled(cluster: Cluster, svc: Service): boolean {
    const primary = svc.deployments[0];
    const ok = (t: Task) =>
      t.desiredStatus === 'RUNNING' &&
      t.lastStatus === 'RUNNING' &&
      (!t.taskDefinition.hasHealthCheck || t.healthStatus === 'HEALTHY');
    for (const t of svc.tasks) {
      if (t.deploymentId !== primary.id) return false;
      if (t.desiredStatus === 'RUNNING' && !ok(t)) return false;
      if (t.desiredStatus === 'STOPPED') return false;
    }
    if (svc.schedulingStrategy === 'DAEMON') {
      const covered = new Set<ContainerInstance>();
      for (const t of svc.tasks) {
        if (t.containerInstance && ok(t)) covered.add(t.containerInstance);
      }
      return this.daemonTargets(cluster, svc).every(
        inst =>
          covered.has(inst) ||
          !inst.agentConnected ||
          svc.placementFailures.has(inst.arn),
      );
    }
    return primary.runningCount === svc.desiredCount;
  }
}
