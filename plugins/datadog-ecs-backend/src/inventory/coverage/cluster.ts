import {
  ClusterDetails,
  COVERAGE_STATES_BEST_FIRST,
  CoverageCounts,
  CoverageState,
  EcsTaskDefinition,
  InstanceCoverage,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Service, Task, TaskDefinition } from '../../aws/EcsGateway';
import { AgentDetection, ClusterObservation } from '../collect';
import {
  currentTaskDefinitionArn,
  isFargate,
  revisionOf,
  serviceUsesAny,
} from './ecs';
import { amazonLinuxGenerationFindings } from './amis';
import { agentEvents } from './events';
import {
  agentFeatureResults,
  chipsOf,
  clusterFindings,
  otherHalfFindings,
} from './features';
import {
  agentManagedDaemons,
  instanceCapacity,
  managedDaemonFor,
  managedDaemonSummary,
  managedInstancesCapacityProviders,
  managedInstancesProviderNames,
} from './managedDaemons';
import { isDaemonTaskDefinitionArn } from '../managedInstances';
import { coverageRuleContext, instanceCoverage } from './instance';
import { clusterOwnership, OwnershipContext } from './ownership';
import { placementFailures } from './placement';
import {
  agentSchedulingOf,
  featureDefinitionOf,
  isStandaloneTask,
} from './scheduling';
import {
  agentServiceSummary,
  applicationServices,
  StoredServiceView,
} from './services';

/** What the pure functions need besides the observation. */
export interface CoverageContext {
  accountId: string;
  region: string;
  locationName?: string;
  expectedSite: string;
  detection: AgentDetection;
  /** Where the cluster's owner comes from; no owner without it. */
  ownership?: OwnershipContext;
}

/** The result for one cluster: the API's view, and what entity pages need. */
export interface ClusterView {
  details: Omit<ClusterDetails, 'history'>;
  services: StoredServiceView[];
}

/** The worst of the states (best first in COVERAGE_STATES_BEST_FIRST). */
export function worstOf(states: CoverageState[]): CoverageState {
  let worst = 0;
  for (const state of states) {
    worst = Math.max(worst, COVERAGE_STATES_BEST_FIRST.indexOf(state));
  }
  return COVERAGE_STATES_BEST_FIRST[worst];
}

function coverageCounts(
  instanceViews: InstanceCoverage[],
  daemons: Service[],
  agentTasks: Task[],
  /** Managed Instances an Agent managed daemon serves (one task each). */
  managedDaemonDesired: number,
): CoverageCounts {
  const counts: CoverageCounts = {
    instances: instanceViews.length,
    desired:
      daemons.reduce((n, s) => n + (s.desiredCount ?? 0), 0) +
      managedDaemonDesired,
    running: agentTasks.filter(t => t.lastStatus === 'RUNNING').length,
    healthy: instanceViews.filter(i => i.state === 'covered').length,
    upToDate: instanceViews.filter(
      i => i.agentTask?.upToDate && i.agentTask.lastStatus === 'RUNNING',
    ).length,
    covered: 0,
    pending: 0,
    unhealthy: 0,
    stopped: 0,
    missing: 0,
  };
  for (const view of instanceViews) {
    if (view.state !== 'not-applicable') counts[view.state] += 1;
  }
  return counts;
}

/** Tasks by the container instance they are placed on (those not placed on one left out). */
function tasksByInstance(tasks: readonly Task[]): Map<string, Task[]> {
  const on = new Map<string, Task[]>();
  for (const task of tasks) {
    if (!task.containerInstanceArn) continue;
    const here = on.get(task.containerInstanceArn);
    if (here) here.push(task);
    else on.set(task.containerInstanceArn, [task]);
  }
  return on;
}

/**
 * The whole view of one cluster from one observation: per-instance coverage, counts and worst-of
 * state, the Agent's features and findings, the events worth surfacing, and the application
 * services for entity pages. Pure.
 */
export function buildClusterView(
  observation: ClusterObservation,
  context: CoverageContext,
): ClusterView {
  const { cluster, taskDefinitions } = observation;
  const { detection } = context;
  const agentArns = new Set(observation.agentTaskDefinitionArns);
  const agentServices = observation.services.filter(
    s => s.status !== 'INACTIVE' && serviceUsesAny(s, agentArns),
  );
  // A DRAINING service (deleted, its tasks stopping) is listed but schedules nothing any more.
  const scheduling = agentServices.filter(s => s.status !== 'DRAINING');
  const daemons = scheduling.filter(s => s.schedulingStrategy === 'DAEMON');
  const nonDaemonAgentServices = scheduling.filter(
    s => s.schedulingStrategy !== 'DAEMON',
  );
  const daemonService = daemons[0];
  const daemonDef = daemonService
    ? taskDefinitions[currentTaskDefinitionArn(daemonService) ?? '']
    : undefined;

  const agentTasks = observation.tasks.filter(t =>
    agentArns.has(t.taskDefinitionArn ?? ''),
  );
  const standaloneAgentTasks = agentTasks.filter(isStandaloneTask);
  const instances = observation.instances.filter(
    i => i.status === 'ACTIVE' || i.status === 'DRAINING',
  );
  const failures = placementFailures(daemons.flatMap(s => s.events ?? []));

  // Managed Instances: a DAEMON service does not place tasks there; a managed daemon does.
  const managedNames = managedInstancesProviderNames(observation);
  const capacities = instances.map(i =>
    instanceCapacity(i, observation, managedNames),
  );
  const managedDaemons = agentManagedDaemons(observation, agentArns);
  const managedDaemonOf = capacities.map(c =>
    managedDaemonFor(c, managedDaemons),
  );
  const onManagedInstances = (i: number) =>
    capacities[i].kind === 'managed-instances';

  // Each instance is given the Agent tasks on it, not the cluster's: filtering every task for
  // every instance was quadratic in the cluster's size.
  const agentTasksOn = tasksByInstance(agentTasks);
  const stoppedAgentTasksOn = tasksByInstance(observation.stoppedAgentTasks);
  const instanceArgs = instances.map((instance, i) => ({
    instance,
    agentTasks: agentTasksOn.get(instance.containerInstanceArn ?? '') ?? [],
    stoppedAgentTasks:
      stoppedAgentTasksOn.get(instance.containerInstanceArn ?? '') ?? [],
    taskDefinitions,
    daemon:
      daemonService && !onManagedInstances(i)
        ? { service: daemonService, taskDefinition: daemonDef }
        : undefined,
    capacity: capacities[i],
    managedDaemon: managedDaemonOf[i],
    daemonServiceName: daemonService?.serviceName,
    nonDaemonAgentServices,
    placementFailures: failures,
    detection,
    observedAt: observation.observedAt,
    images: observation.images,
  }));
  const contexts = instanceArgs.map(coverageRuleContext);
  const instanceViews = instanceArgs.map((args, i) =>
    instanceCoverage(args, contexts[i]),
  );
  const amazonLinux = amazonLinuxGenerationFindings(
    instanceViews,
    observation.imagesError,
  );
  // Instances whose RUNNING Agent task has a health check ECS still reports UNKNOWN past its grace.
  const healthUnknownInstances = contexts.flatMap((ctx, i) => {
    return ctx.running && ctx.healthOf(ctx.running) === 'unknown'
      ? [instanceViews[i].instanceId]
      : [];
  });

  const fargateOnly =
    instances.length === 0 &&
    (observation.services.some(isFargate) || observation.tasks.some(isFargate));
  const counts = coverageCounts(
    instanceViews,
    daemons,
    agentTasks,
    managedDaemonOf.filter(Boolean).length,
  );

  // The definition whose features the cluster shows: what actually runs on most instances.
  const managedDaemonArns = managedDaemons
    .map(d => d.currentArn)
    .filter((a): a is string => Boolean(a));
  const featureDef = featureDefinitionOf({
    agentTasks,
    daemons,
    nonDaemonAgentServices,
    managedDaemonArns,
    taskDefinitions,
  });
  // A definition's features are checked against the instances it runs on.
  const instancesFor = (def: TaskDefinition | undefined) => {
    const managed = isDaemonTaskDefinitionArn(def?.taskDefinitionArn ?? '');
    const part = instances.filter((_, i) => onManagedInstances(i) === managed);
    return part.length ? part : instances;
  };
  const featureResults = agentFeatureResults(
    featureDef,
    instancesFor(featureDef),
    context,
    observation.images,
  );
  // A mixed cluster: the other half's definition is checked too, its own findings added.
  const showsManagedDaemon = isDaemonTaskDefinitionArn(
    featureDef?.taskDefinitionArn ?? '',
  );
  const otherHalfDef = showsManagedDaemon
    ? daemonDef
    : managedDaemons[0]?.taskDefinition;
  const otherDef =
    managedDaemons.length && daemonDef ? otherHalfDef : undefined;
  const otherFindings =
    otherDef && otherDef !== featureDef
      ? otherHalfFindings(
          featureResults,
          agentFeatureResults(
            otherDef,
            instancesFor(otherDef),
            context,
            observation.images,
          ),
          revisionOf(otherDef.taskDefinitionArn ?? ''),
        )
      : [];
  const { findings, findingCounts } = clusterFindings({
    daemons,
    nonDaemonAgentServices,
    standaloneAgentTasks,
    healthUnknownInstances,
    amiFindings: amazonLinux.findings,
    daemonTaskDefinitionArns: observation.daemonTaskDefinitionArns,
    managedInstancesError: observation.managedInstancesError?.message,
    otherFindings,
    featureResults,
  });

  const currentArn = daemonService
    ? currentTaskDefinitionArn(daemonService)
    : managedDaemonArns[0];
  const agentRevisions = [
    ...new Set(
      agentTasks
        .filter(t => t.lastStatus === 'RUNNING')
        .map(t => revisionOf(t.taskDefinitionArn!)),
    ),
  ].sort();
  const usedAgentArns = [
    ...new Set([
      ...(currentArn ? [currentArn] : []),
      ...managedDaemonArns,
      ...agentServices
        .map(currentTaskDefinitionArn)
        .filter((a): a is string => Boolean(a)),
      ...agentTasks.map(t => t.taskDefinitionArn!),
    ]),
  ];

  let state: CoverageState;
  if (instanceViews.length === 0) state = 'not-applicable';
  else state = worstOf(instanceViews.map(i => i.state));

  const services = applicationServices(
    observation,
    agentServices,
    featureResults,
  );

  const coveragePercent =
    counts.instances === 0
      ? null
      : Math.floor((counts.covered * 100) / counts.instances);

  return {
    details: {
      accountId: context.accountId,
      region: context.region,
      clusterName: cluster.clusterName!,
      clusterArn: cluster.clusterArn!,
      locationName: context.locationName,
      ...clusterOwnership(cluster, context.ownership),
      status: cluster.status,
      state,
      counts,
      coveragePercent,
      fargateOnly,
      amazonLinuxGenerationUnknown: amazonLinux.unknown,
      agentServices: agentServices.map(agentServiceSummary),
      agentRevisions,
      currentRevision: currentArn ? revisionOf(currentArn) : undefined,
      agentScheduling: agentSchedulingOf({
        daemons,
        managedDaemons: managedDaemons.map(d => d.name),
        nonDaemonAgentServices,
        agentTasks,
      }),
      ...(managedDaemons.length
        ? { managedDaemons: managedDaemons.map(managedDaemonSummary) }
        : {}),
      ...(managedNames.size
        ? {
            managedInstancesCapacityProviders:
              managedInstancesCapacityProviders(observation, capacities),
          }
        : {}),
      featureRevision: featureDef?.taskDefinitionArn
        ? revisionOf(featureDef.taskDefinitionArn)
        : undefined,
      outdatedInstances: instanceViews.filter(
        i => i.agentTask && !i.agentTask.upToDate,
      ).length,
      features: chipsOf(featureResults),
      findingCounts,
      refreshedAt: observation.observedAt,
      instances: instanceViews,
      featureResults,
      findings,
      events: agentEvents(agentServices),
      taskDefinitions: usedAgentArns
        .map(arn => taskDefinitions[arn])
        .filter((d): d is TaskDefinition => Boolean(d)) as EcsTaskDefinition[],
    },
    services,
  };
}
