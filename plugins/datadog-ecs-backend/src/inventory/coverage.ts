import {
  agentNotDaemonFinding,
  agentStandaloneTasksFinding,
  AgentEvent,
  AgentServiceSummary,
  AgentTaskSummary,
  ClusterDetails,
  collectFindings,
  COVERAGE_STATES_BEST_FIRST,
  CoverageCounts,
  CoverageReason,
  CoverageState,
  detectAgentFeatures,
  detectApplicationFindings,
  EcsTaskDefinition,
  EntityServiceCoverage,
  FeatureChip,
  FeatureResult,
  Finding,
  findAgentContainer,
  FindingSeverity,
  InstanceCoverage,
  multipleAgentDaemonsFinding,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { ContainerInstance, Service, Task, TaskDefinition } from '../aws/EcsGateway';
import { AgentDetection, ClusterObservation } from './collect';
import {
  amazonLinuxGenerationOf,
  attribute,
  instanceIdOf,
  instanceInfo,
  isExternalInstance,
  osOf,
} from './instances';

/** What the pure functions need besides the observation. */
export interface CoverageContext {
  accountId: string;
  region: string;
  locationName?: string;
  expectedSite: string;
  detection: AgentDetection;
}

/** An application service of the cluster, kept for entity pages. */
export type StoredServiceView = Omit<EntityServiceCoverage, 'instances' | 'uncoveredTasks' | 'tasks' | 'found'> & {
  /** Container instances its running tasks sit on (one entry per task). */
  taskInstanceArns: string[];
  fargateTasks: number;
};

/** The result for one cluster: the API's view, and what entity pages need. */
export interface ClusterView {
  details: Omit<ClusterDetails, 'history'>;
  services: StoredServiceView[];
}

/** The features shown as chips on cluster cards, in this order. */
const CHIP_FEATURES: FeatureResult['id'][] = [
  'apm',
  'dogstatsd',
  'logs',
  'process',
  'npm',
  'resourceTags',
  'healthCheck',
  'ecsAnywhere',
  'fipsProxy',
];

/** The guide's keywords for Agent service events worth surfacing. */
export const EVENT_KEYWORDS = [
  'drain',
  'error',
  'fail',
  'insufficient memory',
  'pending',
  'reboot',
  'terminate',
];

const STARTING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);
const SEVERITY_RANK: Record<FindingSeverity, number> = { critical: 0, warning: 1, info: 2 };

const iso = (value: Date | string | undefined): string | undefined =>
  value === undefined ? undefined : new Date(value).toISOString();

export function revisionOf(taskDefinitionArn: string): string {
  return taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1);
}

function nameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function worstOf(states: CoverageState[]): CoverageState {
  let worst = 0;
  for (const state of states) {
    worst = Math.max(worst, COVERAGE_STATES_BEST_FIRST.indexOf(state));
  }
  return COVERAGE_STATES_BEST_FIRST[worst];
}

/** The primary deployment's task definition, or the service's own. */
function currentTaskDefinitionArn(service: Service): string | undefined {
  return (
    service.deployments?.find(d => d.status === 'PRIMARY')?.taskDefinition ??
    service.taskDefinition
  );
}

function serviceUsesAny(service: Service, arns: Set<string>): boolean {
  if (service.taskDefinition && arns.has(service.taskDefinition)) return true;
  return (service.deployments ?? []).some(d => d.taskDefinition && arns.has(d.taskDefinition));
}

/** The OS a task definition targets, read from runtimePlatform or its volumes' host paths. */
function targetOs(taskDefinition: TaskDefinition): 'linux' | 'windows' {
  if (taskDefinition.runtimePlatform?.operatingSystemFamily?.startsWith('WINDOWS')) return 'windows';
  const windowsPath = (taskDefinition.volumes ?? []).some(v => {
    const path = v.host?.sourcePath ?? '';
    return path.startsWith('\\\\.\\pipe') || /^[a-z]:\\/i.test(path);
  });
  return windowsPath ? 'windows' : 'linux';
}

function osMismatch(instance: ContainerInstance, taskDefinition: TaskDefinition): string | undefined {
  const instanceOs = osOf(instance);
  const defOs = targetOs(taskDefinition);
  if (instanceOs !== 'unknown' && instanceOs !== defOs) {
    return `This is a ${instanceOs === 'windows' ? 'Windows' : 'Linux'} instance (${
      attribute(instance, 'ecs.os-family') ?? instanceOs
    }) but the Agent task definition ${revisionOf(taskDefinition.taskDefinitionArn ?? '')} is for ${
      defOs === 'windows' ? 'Windows' : 'Linux'
    }, so ECS never places it here.`;
  }
  const compat = taskDefinition.requiresCompatibilities ?? [];
  if (isExternalInstance(instance) && compat.length > 0 && !compat.includes('EXTERNAL')) {
    return 'This is an ECS Anywhere (EXTERNAL) instance but the Agent task definition does not list EXTERNAL in requiresCompatibilities.';
  }
  if (!isExternalInstance(instance) && compat.length > 0 && !compat.includes('EC2')) {
    return 'The Agent task definition requires EXTERNAL (ECS Anywhere) compatibility, so ECS does not place it on EC2 instances.';
  }
  return undefined;
}

interface PlacementFailure {
  containerInstanceId: string;
  code: CoverageReason['code'];
  message: string;
  evidence: string;
}

const PLACEMENT_FAILURE =
  /unable to place a task because no container instance met all of its requirements\.\s*The closest matching \(?container-instance ([0-9a-z-]+)\)? (?:has|is) ([^.]+)\./i;

/** Reads ECS's "unable to place a task" events into reasons, newest first. */
export function placementFailures(events: Array<{ message?: string }>): PlacementFailure[] {
  const failures: PlacementFailure[] = [];
  for (const event of events) {
    const match = PLACEMENT_FAILURE.exec(event.message ?? '');
    if (!match) continue;
    const detail = match[2].toLowerCase();
    let code: CoverageReason['code'] = 'placement-failed';
    let message = `ECS could not place the Agent: the instance ${detail}.`;
    if (detail.includes('insufficient memory')) {
      code = 'insufficient-memory';
      message = 'Not enough free memory on the instance for the Agent task: ECS could not place it.';
    } else if (detail.includes('insufficient cpu')) {
      code = 'insufficient-cpu';
      message = 'Not enough free CPU units on the instance for the Agent task: ECS could not place it.';
    } else if (detail.includes('port')) {
      code = 'port-in-use';
      message = 'A port the Agent maps (8125/udp or 8126/tcp) is already used on the instance: ECS could not place it.';
    }
    failures.push({ containerInstanceId: match[1], code, message, evidence: event.message! });
  }
  return failures;
}

function agentTaskSummary(
  task: Task,
  currentArn: string | undefined,
  agentContainerName: string | undefined,
): AgentTaskSummary {
  const container =
    task.containers?.find(c => c.name === agentContainerName) ?? task.containers?.[0];
  return {
    taskArn: task.taskArn!,
    lastStatus: task.lastStatus ?? 'UNKNOWN',
    desiredStatus: task.desiredStatus ?? 'UNKNOWN',
    healthStatus: task.healthStatus,
    taskDefinitionArn: task.taskDefinitionArn!,
    revision: revisionOf(task.taskDefinitionArn!),
    serviceName: task.group?.startsWith('service:') ? task.group.slice('service:'.length) : undefined,
    startedAt: iso(task.startedAt),
    stoppedAt: iso(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    exitCode: container?.exitCode,
    upToDate: currentArn === undefined || task.taskDefinitionArn === currentArn,
  };
}

function hasHealthCheck(taskDefinition: TaskDefinition | undefined, detection: AgentDetection) {
  if (!taskDefinition) return false;
  const agent = findAgentContainer(taskDefinition as EcsTaskDefinition, detection.imageRepositories);
  return Boolean((agent ?? taskDefinition.containerDefinitions?.[0])?.healthCheck);
}

/**
 * Coverage of one container instance: the Agent task on it and, when it is not covered, the
 * reason ECS gives (placement failure, disconnected ECS agent, draining, OS mismatch, stopped task).
 */
export function instanceCoverage(args: {
  instance: ContainerInstance;
  agentTasks: Task[];
  stoppedAgentTasks: Task[];
  taskDefinitions: Record<string, TaskDefinition>;
  daemon?: { service: Service; taskDefinition?: TaskDefinition };
  nonDaemonAgentServices: Service[];
  placementFailures: PlacementFailure[];
  detection: AgentDetection;
}): InstanceCoverage {
  const { instance, daemon, detection } = args;
  const arn = instance.containerInstanceArn!;
  const currentArn = daemon ? currentTaskDefinitionArn(daemon.service) : undefined;
  const base = {
    containerInstanceArn: arn,
    instanceId: instanceIdOf(instance),
    instanceType: attribute(instance, 'ecs.instance-type'),
    availabilityZone: attribute(instance, 'ecs.availability-zone'),
    os: osOf(instance),
    osFamily: attribute(instance, 'ecs.os-family'),
    amazonLinuxGeneration: amazonLinuxGenerationOf(instance),
    external: isExternalInstance(instance),
    status: instance.status ?? 'UNKNOWN',
    agentConnected: instance.agentConnected !== false,
  };
  const here = args.agentTasks.filter(t => t.containerInstanceArn === arn);
  const running = here.filter(t => t.lastStatus === 'RUNNING');
  // Prefer the task on the current revision, then a healthy one.
  running.sort(
    (a, b) =>
      Number(b.taskDefinitionArn === currentArn) - Number(a.taskDefinitionArn === currentArn) ||
      Number(b.healthStatus === 'HEALTHY') - Number(a.healthStatus === 'HEALTHY'),
  );
  const summarize = (task: Task) => {
    const def = args.taskDefinitions[task.taskDefinitionArn ?? ''];
    const agentName = def
      ? findAgentContainer(def as EcsTaskDefinition, detection.imageRepositories)?.name
      : undefined;
    return agentTaskSummary(task, currentArn, agentName);
  };

  if (running.length > 0) {
    const task = running[0];
    const agentTask = summarize(task);
    if (!base.agentConnected) {
      return {
        ...base,
        state: 'unhealthy',
        agentTask,
        reason: {
          code: 'agent-disconnected',
          message:
            'The ECS agent on this instance is disconnected (aws.ecs.agent_connected is critical): ECS cannot monitor or restart the Datadog Agent task here.',
        },
      };
    }
    if (hasHealthCheck(args.taskDefinitions[task.taskDefinitionArn ?? ''], detection)) {
      if (task.healthStatus === 'UNHEALTHY') {
        return {
          ...base,
          state: 'unhealthy',
          agentTask,
          reason: {
            code: 'health-check-failing',
            message: 'The Agent task runs but its health check (agent health) fails.',
          },
        };
      }
      if (task.healthStatus !== 'HEALTHY') {
        return {
          ...base,
          state: 'pending',
          agentTask,
          reason: {
            code: 'task-starting',
            message: 'The Agent task runs; its health check has not passed yet.',
          },
        };
      }
    }
    return {
      ...base,
      state: 'covered',
      agentTask,
      reason: agentTask.upToDate
        ? undefined
        : {
            code: 'outdated-revision',
            message: `Runs ${agentTask.revision}, not the service's current revision ${revisionOf(
              currentArn!,
            )}.`,
          },
    };
  }

  const starting = here.find(t => STARTING.has(t.lastStatus ?? ''));
  if (starting) {
    return {
      ...base,
      state: 'pending',
      agentTask: summarize(starting),
      reason: {
        code: 'task-starting',
        message: `The Agent task is ${starting.lastStatus?.toLowerCase()} on this instance.`,
      },
    };
  }

  if (base.status === 'DRAINING') {
    return {
      ...base,
      state: 'missing',
      reason: {
        code: 'draining',
        message: 'The instance is DRAINING: ECS stops its tasks, the Agent daemon task included, and places no new ones.',
      },
    };
  }
  if (!base.agentConnected) {
    return {
      ...base,
      state: 'missing',
      reason: {
        code: 'agent-disconnected',
        message:
          'The ECS agent on this instance is disconnected (aws.ecs.agent_connected is critical): ECS cannot place the Datadog Agent task here until it reconnects.',
      },
    };
  }

  const stopped = args.stoppedAgentTasks
    .filter(t => t.containerInstanceArn === arn)
    .sort((a, b) => new Date(b.stoppedAt ?? 0).getTime() - new Date(a.stoppedAt ?? 0).getTime())[0];
  if (stopped) {
    const agentTask = summarize(stopped);
    const exit = agentTask.exitCode !== undefined ? ` (exit code ${agentTask.exitCode})` : '';
    return {
      ...base,
      state: 'stopped',
      agentTask,
      reason: {
        code: 'task-stopped',
        message: `The Agent task stopped${exit}: ${stopped.stoppedReason ?? 'no reason given'}.`,
        evidence: stopped.stoppedReason,
      },
    };
  }

  if (!daemon) {
    const replica = args.nonDaemonAgentServices[0];
    return {
      ...base,
      state: 'missing',
      reason: {
        code: 'no-agent-daemon',
        message: replica
          ? `The Agent runs as the ${replica.schedulingStrategy} service ${replica.serviceName}, which does not place one task per instance; none runs here.`
          : 'No Datadog Agent daemon service runs on this cluster.',
      },
    };
  }

  if (daemon.taskDefinition) {
    const mismatch = osMismatch(instance, daemon.taskDefinition);
    if (mismatch) {
      return { ...base, state: 'missing', reason: { code: 'os-mismatch', message: mismatch } };
    }
  }

  const shortId = nameOf(arn);
  const failure = args.placementFailures.find(f => f.containerInstanceId === shortId);
  if (failure) {
    return {
      ...base,
      state: 'missing',
      reason: { code: failure.code, message: failure.message, evidence: failure.evidence },
    };
  }
  return {
    ...base,
    state: 'missing',
    reason: {
      code: 'placement-failed',
      message: 'No Agent task runs on this instance and ECS has not said why yet.',
    },
  };
}

function agentServiceSummary(service: Service): AgentServiceSummary {
  const primary = service.deployments?.find(d => d.status === 'PRIMARY');
  return {
    serviceArn: service.serviceArn!,
    serviceName: service.serviceName!,
    schedulingStrategy: service.schedulingStrategy ?? 'REPLICA',
    launchType: service.launchType,
    status: service.status ?? 'UNKNOWN',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    pendingCount: service.pendingCount ?? 0,
    taskDefinitionArn: currentTaskDefinitionArn(service) ?? '',
    rolloutState: primary?.rolloutState,
  };
}

function agentEvents(services: Service[]): AgentEvent[] {
  const events: AgentEvent[] = [];
  for (const service of services) {
    for (const event of service.events ?? []) {
      const message = event.message ?? '';
      const lower = message.toLowerCase();
      const keywords = EVENT_KEYWORDS.filter(k => lower.includes(k));
      if (keywords.length === 0) continue;
      events.push({
        id: event.id ?? `${service.serviceName}-${events.length}`,
        createdAt: iso(event.createdAt) ?? new Date(0).toISOString(),
        message,
        serviceName: service.serviceName!,
        keywords,
      });
    }
  }
  return events.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 50);
}

function chipsOf(results: FeatureResult[]): FeatureChip[] {
  return CHIP_FEATURES.flatMap(id => {
    const result = results.find(r => r.id === id);
    if (!result) return [];
    const top = [...result.findings].sort(
      (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
    )[0];
    return [
      {
        id,
        title: result.title,
        state: result.state,
        topFinding: top?.title,
        findingCount: result.findings.length,
      },
    ];
  });
}

function isFargate(entity: { launchType?: string; capacityProviderStrategy?: Array<{ capacityProvider?: string }> }) {
  return (
    entity.launchType === 'FARGATE' ||
    (entity.capacityProviderStrategy ?? []).some(s => s.capacityProvider?.startsWith('FARGATE'))
  );
}

/**
 * The whole view of one cluster from one observation: per-instance coverage, counts and worst-of
 * state, the Agent's features and findings, the events worth surfacing, and the application
 * services for entity pages. Pure.
 */
export function buildClusterView(observation: ClusterObservation, context: CoverageContext): ClusterView {
  const { cluster, taskDefinitions, detection } = {
    ...observation,
    detection: context.detection,
  };
  const agentArns = new Set(observation.agentTaskDefinitionArns);
  const agentServices = observation.services.filter(
    s => s.status !== 'INACTIVE' && serviceUsesAny(s, agentArns),
  );
  const daemons = agentServices.filter(s => s.schedulingStrategy === 'DAEMON');
  const nonDaemonAgentServices = agentServices.filter(s => s.schedulingStrategy !== 'DAEMON');
  const daemonService = daemons[0];
  const daemonDef = daemonService
    ? taskDefinitions[currentTaskDefinitionArn(daemonService) ?? '']
    : undefined;

  const agentTasks = observation.tasks.filter(t => agentArns.has(t.taskDefinitionArn ?? ''));
  const standaloneAgentTasks = agentTasks.filter(t => !t.group?.startsWith('service:'));
  const instances = observation.instances.filter(
    i => i.status === 'ACTIVE' || i.status === 'DRAINING',
  );
  const failures = placementFailures(daemons.flatMap(s => s.events ?? []));

  const instanceViews = instances.map(instance =>
    instanceCoverage({
      instance,
      agentTasks,
      stoppedAgentTasks: observation.stoppedAgentTasks,
      taskDefinitions,
      daemon: daemonService ? { service: daemonService, taskDefinition: daemonDef } : undefined,
      nonDaemonAgentServices,
      placementFailures: failures,
      detection,
    }),
  );

  const fargateOnly =
    instances.length === 0 &&
    (observation.services.some(isFargate) || observation.tasks.some(isFargate));

  const counts: CoverageCounts = {
    instances: instanceViews.length,
    desired: daemons.reduce((n, s) => n + (s.desiredCount ?? 0), 0),
    running: agentTasks.filter(t => t.lastStatus === 'RUNNING').length,
    healthy: instanceViews.filter(i => i.state === 'covered').length,
    upToDate: instanceViews.filter(i => i.agentTask?.upToDate && i.agentTask.lastStatus === 'RUNNING').length,
    covered: 0,
    pending: 0,
    unhealthy: 0,
    stopped: 0,
    missing: 0,
  };
  for (const view of instanceViews) {
    if (view.state !== 'not-applicable') counts[view.state] += 1;
  }

  // The definition whose features the cluster shows: the daemon's, else the replica Agent's.
  const featureDef =
    daemonDef ??
    (nonDaemonAgentServices[0]
      ? taskDefinitions[currentTaskDefinitionArn(nonDaemonAgentServices[0]) ?? '']
      : undefined) ??
    (standaloneAgentTasks[0] ? taskDefinitions[standaloneAgentTasks[0].taskDefinitionArn ?? ''] : undefined);
  const infos = instances.map(instanceInfo).filter((i): i is NonNullable<typeof i> => Boolean(i));
  const featureResults = featureDef
    ? detectAgentFeatures({
        taskDefinition: featureDef as EcsTaskDefinition,
        expectedSite: context.expectedSite,
        instances: infos,
        extraAgentRepositories: detection.imageRepositories,
      })
    : [];

  const clusterFindings: Finding[] = [];
  if (daemons.length > 1) {
    clusterFindings.push(multipleAgentDaemonsFinding(daemons.map(s => s.serviceName!)));
  }
  for (const service of nonDaemonAgentServices) {
    clusterFindings.push(agentNotDaemonFinding(service.serviceName!, service.schedulingStrategy ?? 'REPLICA'));
  }
  if (standaloneAgentTasks.length > 0) {
    clusterFindings.push(agentStandaloneTasksFinding(standaloneAgentTasks.length));
  }
  const findings = [...clusterFindings, ...collectFindings(featureResults)].sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
  );
  const findingCounts: Record<FindingSeverity, number> = { critical: 0, warning: 0, info: 0 };
  for (const finding of findings) findingCounts[finding.severity] += 1;

  const currentArn = daemonService ? currentTaskDefinitionArn(daemonService) : undefined;
  const agentRevisions = [
    ...new Set(agentTasks.filter(t => t.lastStatus === 'RUNNING').map(t => revisionOf(t.taskDefinitionArn!))),
  ].sort();
  const usedAgentArns = [
    ...new Set([
      ...(currentArn ? [currentArn] : []),
      ...agentServices.map(currentTaskDefinitionArn).filter((a): a is string => Boolean(a)),
      ...agentTasks.map(t => t.taskDefinitionArn!),
    ]),
  ];

  let state: CoverageState;
  if (instanceViews.length === 0) state = 'not-applicable';
  else state = worstOf(instanceViews.map(i => i.state));

  const enabled = (id: FeatureResult['id']) =>
    featureResults.some(r => r.id === id && (r.state === 'on' || r.state === 'misconfigured'));
  const agentFeaturesForApps = { apm: enabled('apm'), dogstatsd: enabled('dogstatsd'), logs: enabled('logs') };

  const services: StoredServiceView[] = observation.services
    .filter(s => !agentServices.includes(s) && s.status !== 'INACTIVE')
    .map(service => {
      const defArn = currentTaskDefinitionArn(service);
      const def = defArn ? taskDefinitions[defArn] : undefined;
      const group = `service:${service.serviceName}`;
      const tasks = observation.tasks.filter(t => t.group === group);
      return {
        serviceArn: service.serviceArn!,
        serviceName: service.serviceName!,
        launchType: service.launchType ?? (isFargate(service) ? 'FARGATE' : undefined),
        taskDefinitionArn: defArn,
        findings: def ? detectApplicationFindings(def as EcsTaskDefinition, agentFeaturesForApps) : [],
        taskInstanceArns: tasks
          .map(t => t.containerInstanceArn)
          .filter((a): a is string => Boolean(a)),
        fargateTasks: tasks.filter(isFargate).length,
      };
    });

  const coveragePercent =
    counts.instances === 0 ? null : Math.floor((counts.covered * 100) / counts.instances);

  return {
    details: {
      accountId: context.accountId,
      region: context.region,
      clusterName: cluster.clusterName!,
      clusterArn: cluster.clusterArn!,
      locationName: context.locationName,
      status: cluster.status,
      state,
      counts,
      coveragePercent,
      fargateOnly,
      agentServices: agentServices.map(agentServiceSummary),
      agentRevisions,
      currentRevision: currentArn ? revisionOf(currentArn) : undefined,
      outdatedInstances: instanceViews.filter(i => i.agentTask && !i.agentTask.upToDate).length,
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
