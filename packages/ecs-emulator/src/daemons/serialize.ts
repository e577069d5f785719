import { createHash } from 'node:crypto';
import { Json } from '../model/types';
import { ts } from '../operations/serialize';
import { Daemon, DaemonDeployment, DaemonRevision } from './types';

// Daemons, their revisions and deployments as the API reference shapes them (DaemonDetail,
// DaemonRevisionDetail, DaemonRevision, DaemonDeployment, DaemonDeploymentSummary). Counts of
// instances without the daemon are left out when zero, as in the API reference's examples.

const providerName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** Instances of a revision per capacity provider: running its task, without it, draining. */
export function revisionCounts(daemon: Daemon, rev: DaemonRevision) {
  const byProvider = new Map<
    string,
    { running: number; without: number; draining: number }
  >(
    daemon.capacityProviderArns.map(arn => [
      providerName(arn),
      { running: 0, without: 0, draining: 0 },
    ]),
  );
  for (const p of daemon.placements.values()) {
    if (p.revision !== rev || p.instance.status === 'INACTIVE') continue;
    const c = byProvider.get(p.instance.capacityProviderName ?? '');
    if (!c) continue;
    if (p.instance.status === 'DRAINING') c.draining++;
    if (
      p.task?.lastStatus === 'RUNNING' &&
      p.task.desiredStatus === 'RUNNING'
    ) {
      c.running++;
    } else if (p.withoutDaemon && p.instance.status === 'ACTIVE') {
      c.without++;
    }
  }
  return daemon.capacityProviderArns.map(arn => ({
    arn,
    ...byProvider.get(providerName(arn))!,
  }));
}

const withoutCount = (out: Json, key: string, n: number) => {
  if (n > 0) out[key] = n;
  return out;
};

/** DaemonRevisionDetail (DescribeDaemon `currentRevisions`). */
export function revisionDetail(daemon: Daemon, rev: DaemonRevision): Json {
  const counts = revisionCounts(daemon, rev);
  const out: Json = {
    arn: rev.arn,
    capacityProviders: counts.map(c =>
      withoutCount(
        { arn: c.arn, runningCount: c.running },
        'withoutDaemonCount',
        c.without,
      ),
    ),
    totalRunningCount: counts.reduce((n, c) => n + c.running, 0),
  };
  return withoutCount(
    out,
    'totalWithoutDaemonCount',
    counts.reduce((n, c) => n + c.without, 0),
  );
}

/** DaemonDeploymentRevisionDetail. */
export function deploymentRevisionDetail(
  daemon: Daemon,
  rev: DaemonRevision,
): Json {
  const counts = revisionCounts(daemon, rev);
  const total = (f: (c: (typeof counts)[number]) => number) =>
    counts.reduce((n, c) => n + f(c), 0);
  const out: Json = {
    arn: rev.arn,
    capacityProviders: counts.map(c =>
      withoutCount(
        {
          arn: c.arn,
          runningInstanceCount: c.running,
          drainingInstanceCount: c.draining,
        },
        'withoutDaemonInstanceCount',
        c.without,
      ),
    ),
    totalRunningInstanceCount: total(c => c.running),
    totalDrainingInstanceCount: total(c => c.draining),
  };
  return withoutCount(
    out,
    'totalWithoutDaemonInstanceCount',
    total(c => c.without),
  );
}

/** The revisions DescribeDaemon reports: the one instances are moving to first, then the others still on instances. */
export function currentRevisions(daemon: Daemon, goal?: DaemonRevision) {
  const out: DaemonRevision[] = goal ? [goal] : [];
  for (const p of daemon.placements.values()) {
    if (p.instance.status !== 'INACTIVE' && !out.includes(p.revision)) {
      out.push(p.revision);
    }
  }
  return out;
}

export function serializeDaemon(daemon: Daemon, goal?: DaemonRevision): Json {
  return {
    daemonArn: daemon.arn,
    clusterArn: daemon.cluster.arn,
    status: daemon.status,
    currentRevisions: currentRevisions(daemon, goal).map(r =>
      revisionDetail(daemon, r),
    ),
    deploymentArn: daemon.deployments[daemon.deployments.length - 1]?.arn,
    createdAt: ts(daemon.createdAt),
    updatedAt: ts(daemon.updatedAt),
  };
}

/** The target and source revisions' counts (live while the deployment runs, frozen after). */
export function deploymentCounts(d: DaemonDeployment): Json {
  if (d.finalCounts) return structuredClone(d.finalCounts);
  return {
    targetDaemonRevision: d.target
      ? deploymentRevisionDetail(d.daemon, d.target)
      : undefined,
    sourceDaemonRevisions: d.sources.map(r =>
      deploymentRevisionDetail(d.daemon, r),
    ),
  };
}

export function serializeDaemonDeployment(d: DaemonDeployment): Json {
  const alarms = d.deploymentConfiguration.alarms;
  const out: Json = {
    daemonDeploymentArn: d.arn,
    clusterArn: d.daemon.cluster.arn,
    status: d.status,
    statusReason: d.statusReason,
    ...deploymentCounts(d),
    circuitBreaker: {
      failureCount: d.failureCount,
      status: d.circuitBreakerStatus,
      threshold: d.threshold,
    },
    alarms: {
      status: alarms.enable ? alarmStatus(d) : 'DISABLED',
      alarmNames: [...(alarms.alarmNames ?? [])],
      triggeredAlarmNames: [],
    },
    deploymentConfiguration: structuredClone(d.deploymentConfiguration),
    createdAt: ts(d.createdAt),
    startedAt: ts(d.startedAt),
    stoppedAt: ts(d.stoppedAt),
    finishedAt: ts(d.finishedAt),
  };
  if (d.rollback) {
    out.rollback = {
      reason: d.rollback.reason,
      startedAt: ts(d.rollback.startedAt),
      rollbackTargetDaemonRevisionArn: d.rollback.target.arn,
      rollbackCapacityProviders: [...d.rollback.capacityProviderArns],
    };
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

const ACTIVE = ['PENDING', 'IN_PROGRESS', 'ROLLBACK_IN_PROGRESS'];

function alarmStatus(d: DaemonDeployment) {
  return ACTIVE.includes(d.status) ? 'MONITORING' : 'MONITORING_COMPLETE';
}

export function serializeDaemonDeploymentSummary(d: DaemonDeployment): Json {
  const out: Json = {
    daemonDeploymentArn: d.arn,
    daemonArn: d.daemon.arn,
    clusterArn: d.daemon.cluster.arn,
    status: d.status,
    statusReason: d.statusReason,
    targetDaemonRevisionArn: d.target?.arn,
    createdAt: ts(d.createdAt),
    startedAt: ts(d.startedAt),
    stoppedAt: ts(d.stoppedAt),
    finishedAt: ts(d.finishedAt),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** A deterministic image digest (the registry's would be the image manifest's). */
export function imageDigest(image: string) {
  return `sha256:${createHash('sha256').update(image).digest('hex')}`;
}

export function serializeDaemonRevision(rev: DaemonRevision): Json {
  return {
    daemonRevisionArn: rev.arn,
    clusterArn: rev.daemon.cluster.arn,
    daemonArn: rev.daemon.arn,
    daemonTaskDefinitionArn: rev.taskDefinition.arn,
    createdAt: ts(rev.createdAt),
    containerImages: (
      rev.taskDefinition.body.containerDefinitions as Json[]
    ).map(c => ({
      containerName: c.name,
      imageDigest: imageDigest(c.image),
      image: c.image,
    })),
    propagateTags: rev.propagateTags,
    enableECSManagedTags: rev.enableECSManagedTags,
    enableExecuteCommand: rev.enableExecuteCommand,
    critical: rev.critical,
  };
}
