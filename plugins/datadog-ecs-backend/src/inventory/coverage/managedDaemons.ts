import {
  InstanceCapacity,
  ManagedDaemonDeployment,
  ManagedDaemonSummary,
  ManagedInstancesCapacityProvider,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  DaemonDeployment,
  DaemonRevision,
  TaskDefinition,
} from '../../aws/EcsGateway';
import {
  isManagedInstancesProvider,
  lastPartOf,
  ManagedInstancesObservation,
  ObservedDaemon,
} from '../managedInstances';
import { isExternalInstance, InventoriedInstance } from '../instances';
import { iso, revisionOf } from './ecs';

/*
 * ECS Managed Instances and the Agent as an ECS Managed Daemon, read from one observation: which
 * capacity each instance belongs to, which daemons run the Agent and on which capacity providers,
 * and their API views. Pure.
 */

/** Deployment statuses in which ECS is still replacing instances. */
const ACTIVE_DEPLOYMENT = new Set([
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
]);

/** A daemon that runs the Agent, as the coverage rules read it. */
export interface AgentManagedDaemon {
  observed: ObservedDaemon;
  name: string;
  /** The revision instances are moving to (the deployment's target), else the newest current one. */
  currentRevision?: DaemonRevision;
  /** Its daemon task definition's ARN. */
  currentArn?: string;
  taskDefinition?: TaskDefinition;
  /** ECS's default (true) when the revision does not say. */
  critical: boolean;
  /** Names of the capacity providers it runs on. */
  capacityProviderNames: string[];
  /** Its current deployment still replaces instances. */
  deploying: boolean;
}

/** The names of the cluster's Managed Instances capacity providers. */
export function managedInstancesProviderNames(
  observation: ManagedInstancesObservation,
): Set<string> {
  return new Set(
    (observation.capacityProviders ?? [])
      .filter(isManagedInstancesProvider)
      .map(cp => cp.name!)
      .filter(Boolean),
  );
}

/**
 * The capacity an instance belongs to: ECS Anywhere, a Managed Instances capacity provider (by the
 * instance's `capacityProviderName`), EC2 (an Auto Scaling group provider or none), or unknown when
 * the instance names a provider that could not be described.
 */
export function instanceCapacity(
  instance: InventoriedInstance,
  observation: ManagedInstancesObservation,
  managedNames: Set<string> = managedInstancesProviderNames(observation),
): InstanceCapacity {
  const name = instance.capacityProviderName;
  const named = name ? { capacityProviderName: name } : {};
  if (isExternalInstance(instance)) return { kind: 'external', ...named };
  if (name && managedNames.has(name))
    return { kind: 'managed-instances', ...named };
  const described = (observation.capacityProviders ?? []).some(
    cp => cp.name === name,
  );
  if (name && !described && observation.managedInstancesError)
    return { kind: 'unknown', ...named };
  return { kind: 'ec2-asg', ...named };
}

const newestFirst = (a: DaemonRevision, b: DaemonRevision) =>
  new Date(b.createdAt ?? 0).getTime() - new Date(a.createdAt ?? 0).getTime();

/**
 * The daemons whose current revision runs the Agent (a daemon task definition in
 * `agentArns`), each with the revision instances move to and its capacity providers.
 */
export function agentManagedDaemons(
  observation: ManagedInstancesObservation & {
    taskDefinitions: Record<string, TaskDefinition>;
  },
  agentArns: Set<string>,
): AgentManagedDaemon[] {
  return (observation.daemons ?? []).flatMap(observed => {
    const { daemon, deployment, revisions } = observed;
    if (daemon.status === 'DELETE_IN_PROGRESS') return [];
    const target = deployment?.targetDaemonRevision?.arn;
    const current =
      revisions.find(r => r.daemonRevisionArn === target) ??
      [...revisions].sort(newestFirst)[0];
    const runsAgent = revisions.some(r =>
      agentArns.has(r.daemonTaskDefinitionArn ?? ''),
    );
    if (!runsAgent) return [];
    const currentArn = current?.daemonTaskDefinitionArn;
    return [
      {
        observed,
        name: lastPartOf(daemon.daemonArn ?? ''),
        currentRevision: current,
        currentArn,
        taskDefinition: currentArn
          ? observation.taskDefinitions[currentArn]
          : undefined,
        critical: current?.critical !== false,
        capacityProviderNames: [
          ...new Set(
            (daemon.currentRevisions ?? [])
              .flatMap(r => r.capacityProviders ?? [])
              .map(cp => lastPartOf(cp.arn ?? ''))
              .filter(Boolean),
          ),
        ],
        deploying: ACTIVE_DEPLOYMENT.has(deployment?.status ?? ''),
      },
    ];
  });
}

/** The Agent daemon serving an instance's capacity provider, if any. */
export function managedDaemonFor(
  capacity: InstanceCapacity,
  daemons: AgentManagedDaemon[],
): AgentManagedDaemon | undefined {
  if (capacity.kind !== 'managed-instances') return undefined;
  return daemons.find(d =>
    d.capacityProviderNames.includes(capacity.capacityProviderName ?? ''),
  );
}

/** A daemon deployment (DescribeDaemonDeployments) as the API shows it. */
export function daemonDeploymentView(
  d: DaemonDeployment,
): ManagedDaemonDeployment {
  const target = d.targetDaemonRevision;
  return {
    arn: d.daemonDeploymentArn ?? '',
    status: d.status ?? 'UNKNOWN',
    ...(d.statusReason ? { statusReason: d.statusReason } : {}),
    ...(target?.arn ? { targetDaemonRevisionArn: target.arn } : {}),
    ...(d.sourceDaemonRevisions?.length
      ? {
          sourceDaemonRevisionArns: d.sourceDaemonRevisions
            .map(r => r.arn!)
            .filter(Boolean),
        }
      : {}),
    ...(d.deploymentConfiguration?.drainPercent !== undefined
      ? { drainPercent: d.deploymentConfiguration.drainPercent }
      : {}),
    ...(d.deploymentConfiguration?.bakeTimeInMinutes !== undefined
      ? { bakeTimeInMinutes: d.deploymentConfiguration.bakeTimeInMinutes }
      : {}),
    ...(target
      ? {
          instances: {
            running: target.totalRunningInstanceCount ?? 0,
            withoutDaemon: target.totalWithoutDaemonInstanceCount ?? 0,
            // During an update the instances being drained run the source revisions.
            draining: [target, ...(d.sourceDaemonRevisions ?? [])].reduce(
              (n, r) => n + (r.totalDrainingInstanceCount ?? 0),
              0,
            ),
          },
        }
      : {}),
    ...(d.circuitBreaker
      ? {
          circuitBreaker: {
            status: d.circuitBreaker.status,
            failureCount: d.circuitBreaker.failureCount,
            threshold: d.circuitBreaker.threshold,
          },
        }
      : {}),
    ...(d.alarms
      ? {
          alarms: {
            status: d.alarms.status,
            alarmNames: d.alarms.alarmNames,
            triggeredAlarmNames: d.alarms.triggeredAlarmNames,
          },
        }
      : {}),
    ...(d.rollback
      ? {
          rollback: {
            reason: d.rollback.reason,
            startedAt: iso(d.rollback.startedAt),
            rollbackTargetDaemonRevisionArn:
              d.rollback.rollbackTargetDaemonRevisionArn,
          },
        }
      : {}),
    createdAt: iso(d.createdAt),
    startedAt: iso(d.startedAt),
    stoppedAt: iso(d.stoppedAt),
    finishedAt: iso(d.finishedAt),
  };
}

/** An Agent daemon as `ClusterSummary.managedDaemons` shows it. */
export function managedDaemonSummary(
  d: AgentManagedDaemon,
): ManagedDaemonSummary {
  const { daemon, deployment } = d.observed;
  const providers = new Map<
    string,
    { arn: string; name: string; runningCount: number; withoutDaemonCount: number }
  >();
  let runningCount = 0;
  let withoutDaemonCount = 0;
  for (const revision of daemon.currentRevisions ?? []) {
    runningCount += revision.totalRunningCount ?? 0;
    withoutDaemonCount += revision.totalWithoutDaemonCount ?? 0;
    for (const cp of revision.capacityProviders ?? []) {
      const arn = cp.arn ?? '';
      const entry = providers.get(arn) ?? {
        arn,
        name: lastPartOf(arn),
        runningCount: 0,
        withoutDaemonCount: 0,
      };
      entry.runningCount += cp.runningCount ?? 0;
      entry.withoutDaemonCount += cp.withoutDaemonCount ?? 0;
      providers.set(arn, entry);
    }
  }
  return {
    daemonArn: daemon.daemonArn ?? '',
    daemonName: d.name,
    status: daemon.status ?? 'UNKNOWN',
    critical: d.critical,
    ...(d.currentArn
      ? { revision: revisionOf(d.currentArn), taskDefinitionArn: d.currentArn }
      : {}),
    ...(d.currentRevision?.daemonRevisionArn
      ? { daemonRevisionArn: d.currentRevision.daemonRevisionArn }
      : {}),
    capacityProviders: [...providers.values()],
    runningCount,
    withoutDaemonCount,
    ...(deployment ? { currentDeployment: daemonDeploymentView(deployment) } : {}),
    createdAt: iso(daemon.createdAt),
    updatedAt: iso(daemon.updatedAt),
  };
}

/** The cluster's Managed Instances capacity providers, with their instances in the snapshot. */
export function managedInstancesCapacityProviders(
  observation: ManagedInstancesObservation,
  capacities: InstanceCapacity[],
): ManagedInstancesCapacityProvider[] {
  return (observation.capacityProviders ?? [])
    .filter(isManagedInstancesProvider)
    .map(cp => ({
      name: cp.name ?? lastPartOf(cp.capacityProviderArn ?? ''),
      ...(cp.capacityProviderArn ? { arn: cp.capacityProviderArn } : {}),
      ...(cp.status ? { status: cp.status } : {}),
      instances: capacities.filter(
        c =>
          c.kind === 'managed-instances' && c.capacityProviderName === cp.name,
      ).length,
    }));
}
