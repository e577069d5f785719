import { arns } from '../model/ids';
import {
  Cluster,
  ContainerInstance,
  Deployment,
  Service,
  ServiceDeploymentRecord,
  Task,
  TaskDefinition,
} from '../model/types';
import { SchedulerContext } from './common';
import { daemonTargets } from './daemon';
import { addEvent } from './events';

// Rolling deployments: a new PRIMARY deployment (and its service deployment
// record), its counters, completion and the service's steady state. What
// places and stops the tasks is in replica.ts and daemon.ts.

/** Starts a deployment of `td`: the previous PRIMARY becomes ACTIVE. */
export function newDeployment(
  ctx: SchedulerContext,
  cluster: Cluster,
  svc: Service,
  td: TaskDefinition,
  now: number,
): Deployment {
  const ids = ctx.world.ids;
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

/** Refreshes deployment counters, completion, steady state. */
export function updateDeployments(
  ctx: SchedulerContext,
  cluster: Cluster,
  svc: Service,
  now: number,
) {
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

  const settled = isSettled(cluster, svc);
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
    addEvent(
      ctx,
      svc,
      `(service ${svc.name}) has reached a steady state.`,
      now,
    );
    addEvent(
      ctx,
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
    addEvent(
      ctx,
      svc,
      `(service ${svc.name}) has reached a steady state.`,
      now,
    );
  }
  svc.steady = steady;
}

function isSettled(cluster: Cluster, svc: Service): boolean {
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
    return daemonTargets(cluster, svc).every(
      inst =>
        covered.has(inst) ||
        !inst.agentConnected ||
        svc.placementFailures.has(inst.arn),
    );
  }
  return primary.runningCount === svc.desiredCount;
}
