import { AgentScheduling } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Service, Task, TaskDefinition } from '../../aws/EcsGateway';
import { isDaemonTaskDefinitionArn } from '../managedInstances';
import { currentTaskDefinitionArn, revisionOf } from './ecs';

/** How many distinct `startedBy` values a cluster reports. */
export const MAX_STARTED_BY = 10;

/**
 * A task that no service or managed daemon started: ECS groups service tasks as `service:<name>`,
 * and a managed daemon's tasks run its daemon task definition.
 */
export function isStandaloneTask(task: Task): boolean {
  return (
    !task.group?.startsWith('service:') &&
    !isDaemonTaskDefinitionArn(task.taskDefinitionArn ?? '')
  );
}

/**
 * How the Agent gets onto the instances, from its services and its tasks that are running or on
 * their way (standalone ones are those no service started: StartTask from user data, another
 * scheduler). Pure.
 */
export function agentSchedulingOf(parts: {
  daemons: Service[];
  /** Names of the managed daemons that run the Agent. */
  managedDaemons?: string[];
  nonDaemonAgentServices: Service[];
  agentTasks: Task[];
}): AgentScheduling {
  const managedDaemons = parts.managedDaemons ?? [];
  const standalone = parts.agentTasks.filter(
    t => isStandaloneTask(t) && t.desiredStatus !== 'STOPPED',
  );
  const kinds = [
    parts.daemons.length > 0 && 'daemon-service',
    managedDaemons.length > 0 && 'managed-daemon',
    parts.nonDaemonAgentServices.length > 0 && 'other-service',
    standalone.length > 0 && 'standalone-tasks',
  ].filter((k): k is AgentScheduling['mode'] => Boolean(k));
  let mode: AgentScheduling['mode'] = 'none';
  if (kinds.length === 1) mode = kinds[0];
  else if (kinds.length > 1) mode = 'mixed';
  return {
    mode,
    daemonServices: parts.daemons.map(s => s.serviceName!),
    ...(managedDaemons.length ? { managedDaemons } : {}),
    otherServices: parts.nonDaemonAgentServices.map(s => s.serviceName!),
    standaloneTasks: standalone.length,
    // At most MAX_STARTED_BY: user data often passes the instance's own id, one per instance.
    startedBy: [
      ...new Set(
        standalone
          .map(t => t.startedBy)
          .filter((s): s is string => Boolean(s)),
      ),
    ]
      .sort()
      .slice(0, MAX_STARTED_BY),
  };
}

/**
 * The Agent definition whose features and findings the cluster shows: the one RUNNING on the most
 * instances (each ARN counted once per instance; ties go to the daemon's current definition, then
 * to the newest revision), else — nothing running yet — the daemon's current definition, then
 * another Agent service's, then a starting task's. The definitions come from the observation, described once per ARN.
 */
export function featureDefinitionOf(parts: {
  agentTasks: Task[];
  daemons: Service[];
  nonDaemonAgentServices: Service[];
  /** The Agent managed daemons' current daemon task definitions. */
  managedDaemonArns?: string[];
  taskDefinitions: Record<string, TaskDefinition>;
}): TaskDefinition | undefined {
  const { taskDefinitions } = parts;
  const instancesByArn = new Map<string, Set<string>>();
  for (const task of parts.agentTasks) {
    const arn = task.taskDefinitionArn;
    if (task.lastStatus !== 'RUNNING' || !arn || !taskDefinitions[arn]) continue;
    const on = instancesByArn.get(arn) ?? new Set<string>();
    on.add(task.containerInstanceArn ?? task.taskArn ?? '');
    instancesByArn.set(arn, on);
  }
  const daemonCurrent = parts.daemons[0]
    ? currentTaskDefinitionArn(parts.daemons[0])
    : undefined;
  const revisionNumber = (arn: string) =>
    Number(revisionOf(arn).split(':')[1] ?? 0);
  const running = [...instancesByArn.entries()].sort(
    ([a, onA], [b, onB]) =>
      onB.size - onA.size ||
      Number(b === daemonCurrent) - Number(a === daemonCurrent) ||
      revisionNumber(b) - revisionNumber(a),
  );
  if (running.length > 0) return taskDefinitions[running[0][0]];
  for (const service of [...parts.daemons, ...parts.nonDaemonAgentServices]) {
    const def = taskDefinitions[currentTaskDefinitionArn(service) ?? ''];
    if (def) return def;
  }
  for (const arn of parts.managedDaemonArns ?? []) {
    if (taskDefinitions[arn]) return taskDefinitions[arn];
  }
  return parts.agentTasks
    .map(t => taskDefinitions[t.taskDefinitionArn ?? ''])
    .find((d): d is TaskDefinition => Boolean(d));
}
