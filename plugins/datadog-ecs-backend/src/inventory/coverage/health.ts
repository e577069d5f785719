import { Task, TaskDefinition } from '../../aws/EcsGateway';

/*
 * An Agent task's health as ECS defines it.
 *
 * ECS API reference, HealthCheck
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html), and Task
 * `healthStatus` (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html):
 * - a container is UNKNOWN while its check is evaluated, when it has no health check, or when ECS
 *   does not have its status;
 * - a task is UNHEALTHY when one essential container is UNHEALTHY, else UNKNOWN when one is
 *   UNKNOWN, else HEALTHY (non-essential containers count only when no essential one has a check);
 * - `interval` defaults to 30 s, `retries` to 3, and `startPeriod` is off (0) by default.
 */

export type EcsHealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';

/** What the grace period reads of a container definition's `healthCheck` (seconds). */
export interface HealthCheck {
  interval?: number;
  retries?: number;
  startPeriod?: number;
}

/**
 * What the coverage rules know of a RUNNING Agent task's health:
 * - `healthy` / `unhealthy`: ECS says so;
 * - `not-checked`: the Agent container's definition has no health check (ECS reports UNKNOWN);
 * - `starting`: UNKNOWN, still within `startPeriod + interval × retries` of `startedAt`;
 * - `unknown`: UNKNOWN past that window, or with no `startedAt` to judge by.
 */
export type AgentTaskHealth =
  | 'healthy'
  | 'unhealthy'
  | 'not-checked'
  | 'starting'
  | 'unknown';

export const HEALTH_CHECK_DEFAULTS = {
  intervalSeconds: 30,
  retries: 3,
  startPeriodSeconds: 0,
} as const;

const asStatus = (value: string | undefined): EcsHealthStatus | undefined =>
  value === 'HEALTHY' || value === 'UNHEALTHY' || value === 'UNKNOWN'
    ? value
    : undefined;

/**
 * The task's health: its `healthStatus`, or, when ECS gives none, the health of its essential
 * containers by ECS's rule (UNHEALTHY over UNKNOWN over HEALTHY). Which containers are essential
 * is in the definition (DescribeTasks does not say); without it, every container counts.
 * Undefined when neither the task nor its containers say.
 */
export function taskHealthStatus(
  task: Task,
  taskDefinition?: TaskDefinition,
): EcsHealthStatus | undefined {
  const own = asStatus(task.healthStatus);
  if (own) return own;
  const nonEssential = new Set(
    (taskDefinition?.containerDefinitions ?? [])
      .filter(c => c.essential === false)
      .map(c => c.name),
  );
  const statuses = (task.containers ?? [])
    .filter(c => !nonEssential.has(c.name))
    .map(c => asStatus(c.healthStatus))
    .filter((s): s is EcsHealthStatus => s !== undefined);
  if (statuses.length === 0) return undefined;
  if (statuses.includes('UNHEALTHY')) return 'UNHEALTHY';
  if (statuses.includes('UNKNOWN')) return 'UNKNOWN';
  return 'HEALTHY';
}

/** Milliseconds after `startedAt` until an UNKNOWN health stops meaning "not passed yet". */
export function healthGraceMs(check: HealthCheck): number {
  const interval = check.interval ?? HEALTH_CHECK_DEFAULTS.intervalSeconds;
  const retries = check.retries ?? HEALTH_CHECK_DEFAULTS.retries;
  const startPeriod =
    check.startPeriod ?? HEALTH_CHECK_DEFAULTS.startPeriodSeconds;
  return (startPeriod + interval * retries) * 1000;
}

/**
 * The health of a RUNNING Agent task at `now` (the observation time, ISO), given its definition
 * and the Agent container's health check there (undefined: none, so health is not checked). Pure.
 */
export function agentTaskHealth(
  task: Task,
  agent: { taskDefinition?: TaskDefinition; healthCheck?: HealthCheck },
  now: string,
): AgentTaskHealth {
  if (!agent.healthCheck) return 'not-checked';
  const status = taskHealthStatus(task, agent.taskDefinition);
  if (status === 'HEALTHY') return 'healthy';
  if (status === 'UNHEALTHY') return 'unhealthy';
  if (task.startedAt === undefined) return 'unknown';
  const elapsed = Date.parse(now) - new Date(task.startedAt).getTime();
  return elapsed <= healthGraceMs(agent.healthCheck) ? 'starting' : 'unknown';
}
