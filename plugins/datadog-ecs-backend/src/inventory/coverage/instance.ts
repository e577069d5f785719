import {
  AgentTaskSummary,
  EcsTaskDefinition,
  findAgentContainer,
  InstanceCapacity,
  InstanceCoverage,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  Service,
  Task,
  TaskDefinition,
  AmiImages,
} from '../../aws/EcsGateway';
import { AgentDetection } from '../collect';
import {
  amazonLinuxGenerationOf,
  attribute,
  instanceIdOf,
  isExternalInstance,
  osOf,
  InventoriedInstance,
} from '../instances';
import {
  currentTaskDefinitionArn,
  iso,
  isUpToDate,
  nameOf,
  revisionOf,
} from './ecs';
import { agentTaskHealth, taskHealthStatus } from './health';
import { PlacementFailure } from './placement';
import { coverageRuleFor, CoverageRuleContext } from './rules';
import { AgentManagedDaemon } from './managedDaemons';

const STARTING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

/** What {@link instanceCoverage} is given: one instance and the cluster around it. */
export interface InstanceCoverageArgs {
  instance: InventoriedInstance;
  /** Agent tasks, those on other instances ignored (the cluster's view gives only the instance's). */
  agentTasks: Task[];
  /** Stopped Agent tasks, those of other instances ignored (as `agentTasks`). */
  stoppedAgentTasks: Task[];
  taskDefinitions: Record<string, TaskDefinition>;
  /** The Agent DAEMON service: undefined on Managed Instances, which it does not serve. */
  daemon?: { service: Service; taskDefinition?: TaskDefinition };
  /** The capacity the instance belongs to. */
  capacity?: InstanceCapacity;
  /** On Managed Instances: the Agent managed daemon serving its capacity provider. */
  managedDaemon?: AgentManagedDaemon;
  /** The cluster's Agent DAEMON service's name (the reasons on Managed Instances name it). */
  daemonServiceName?: string;
  nonDaemonAgentServices: Service[];
  placementFailures: PlacementFailure[];
  detection: AgentDetection;
  /** When the observation was taken (ISO): "now" for the health check's grace period. */
  observedAt: string;
  /** The cluster's AMIs as EC2 described them (the Amazon Linux generation), when read. */
  images?: AmiImages;
}

function agentTaskSummary(
  task: Task,
  currentArn: string | undefined,
  agentContainerName: string | undefined,
  taskDefinition: TaskDefinition | undefined,
): AgentTaskSummary {
  const container =
    task.containers?.find(c => c.name === agentContainerName) ??
    task.containers?.[0];
  return {
    taskArn: task.taskArn!,
    lastStatus: task.lastStatus ?? 'UNKNOWN',
    desiredStatus: task.desiredStatus ?? 'UNKNOWN',
    healthStatus: taskHealthStatus(task, taskDefinition),
    taskDefinitionArn: task.taskDefinitionArn!,
    revision: revisionOf(task.taskDefinitionArn!),
    serviceName: task.group?.startsWith('service:')
      ? task.group.slice('service:'.length)
      : undefined,
    startedAt: iso(task.startedAt),
    stoppedAt: iso(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    exitCode: container?.exitCode,
    upToDate: isUpToDate(task, currentArn),
  };
}

/** The Agent container's health check in the definition (the first container's without one). */
function agentHealthCheck(
  taskDefinition: TaskDefinition | undefined,
  detection: AgentDetection,
) {
  if (!taskDefinition) return undefined;
  const agent = findAgentContainer(
    taskDefinition as EcsTaskDefinition,
    detection.imageRepositories,
  );
  return (agent ?? taskDefinition.containerDefinitions?.[0])?.healthCheck;
}

/** What the coverage rules read about one instance: its Agent tasks and what the cluster says. */
export function coverageRuleContext(
  args: InstanceCoverageArgs,
): CoverageRuleContext {
  const { instance, daemon, detection, taskDefinitions, managedDaemon } = args;
  const arn = instance.containerInstanceArn!;
  const currentArn = managedDaemon
    ? managedDaemon.currentArn
    : daemon && currentTaskDefinitionArn(daemon.service);
  const here = args.agentTasks.filter(t => t.containerInstanceArn === arn);
  const definitionOf = (task: Task) =>
    taskDefinitions[task.taskDefinitionArn ?? ''];
  const running = here.filter(t => t.lastStatus === 'RUNNING');
  // Prefer the task on the current revision, then a healthy one.
  running.sort(
    (a, b) =>
      Number(b.taskDefinitionArn === currentArn) -
        Number(a.taskDefinitionArn === currentArn) ||
      Number(taskHealthStatus(b, definitionOf(b)) === 'HEALTHY') -
        Number(taskHealthStatus(a, definitionOf(a)) === 'HEALTHY'),
  );
  const stopped = args.stoppedAgentTasks
    .filter(t => t.containerInstanceArn === arn)
    .sort(
      (a, b) =>
        new Date(b.stoppedAt ?? 0).getTime() -
        new Date(a.stoppedAt ?? 0).getTime(),
    )[0];
  const shortId = nameOf(arn ?? '');
  return {
    instance,
    status: instance.status ?? 'UNKNOWN',
    agentConnected: instance.agentConnected !== false,
    running: running[0],
    starting: here.find(t => STARTING.has(t.lastStatus ?? '')),
    stopped,
    daemon,
    capacity: args.capacity,
    managedDaemon,
    daemonServiceName: args.daemonServiceName,
    nonDaemonAgentServices: args.nonDaemonAgentServices,
    placementFailure: args.placementFailures.find(
      f => f.containerInstanceId === shortId,
    ),
    currentArn,
    summarize: task => {
      const def = definitionOf(task);
      const agentName = def
        ? findAgentContainer(
            def as EcsTaskDefinition,
            detection.imageRepositories,
          )?.name
        : undefined;
      return agentTaskSummary(task, currentArn, agentName, def);
    },
    hasHealthCheck: task =>
      Boolean(agentHealthCheck(definitionOf(task), detection)),
    healthOf: task => {
      const taskDefinition = definitionOf(task);
      return agentTaskHealth(
        task,
        {
          taskDefinition,
          healthCheck: agentHealthCheck(taskDefinition, detection),
        },
        args.observedAt,
      );
    },
  };
}

/** The instance's AMI and Amazon Linux generation, as the API shows them. */
function amazonLinuxOf(instance: InventoriedInstance, images?: AmiImages) {
  const { generation, source, amiId, amiName } = amazonLinuxGenerationOf(
    instance,
    images,
  );
  return {
    amazonLinuxGeneration: generation,
    ...(source ? { amazonLinuxGenerationSource: source } : {}),
    ...(amiId ? { amiId } : {}),
    ...(amiName ? { amiName } : {}),
  };
}

/**
 * Coverage of one container instance: the Agent task on it and, when it is not covered, the
 * reason ECS gives (placement failure, disconnected ECS agent, draining, OS mismatch, stopped
 * task). The decision is the first of `COVERAGE_RULES` (rules.ts) that applies.
 */
export function instanceCoverage(
  args: InstanceCoverageArgs,
  /** Its {@link coverageRuleContext}, when the caller has it already. */
  ctx: CoverageRuleContext = coverageRuleContext(args),
): InstanceCoverage {
  const { instance } = args;
  const base = {
    containerInstanceArn: instance.containerInstanceArn!,
    instanceId: instanceIdOf(instance),
    instanceType: attribute(instance, 'ecs.instance-type'),
    availabilityZone: attribute(instance, 'ecs.availability-zone'),
    os: osOf(instance),
    osFamily: attribute(instance, 'ecs.os-family'),
    ...amazonLinuxOf(instance, args.images),
    external: isExternalInstance(instance),
    status: instance.status ?? 'UNKNOWN',
    agentConnected: instance.agentConnected !== false,
    ...(args.capacity ? { capacity: args.capacity } : {}),
  };
  return { ...base, ...coverageRuleFor(ctx).verdict(ctx) };
}
