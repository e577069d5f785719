import { arns, parseEcsArn } from '../model/ids';
import { fit, isCompatible } from '../model/placement';
import { validateTags } from '../model/taskDefinitions';
import { Cluster, Json, Task } from '../model/types';
import { getCluster } from '../model/world';
import { errors } from '../protocol/errors';
import { idOf, Operation, OperationContext, stringList } from './common';
import { serializeTask } from './serialize';
import { checkNetwork, resolveTaskDefinition } from './serviceInput';

// StartTask and StopTask, as the ECS API reference describes them:
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StartTask.html
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html

/** startedBy / group: "Up to 128 letters (uppercase and lowercase), numbers, hyphens, forward slashes and underscores". */
const STARTED_BY_RE = /^[a-zA-Z0-9_/-]{1,128}$/;
const MAX_INSTANCES = 10;

/** Why a container instance could not take the task (the `failures[].reason` ECS reports). */
const FIT_REASONS = {
  cpu: 'RESOURCE:CPU',
  memory: 'RESOURCE:MEMORY',
  ports: 'RESOURCE:PORTS',
  attribute: 'ATTRIBUTE',
} as const;

function optionalString(input: Json, field: string, re: RegExp, what: string) {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !re.test(v)) throw errors.invalidParameter(what);
  return v;
}

function checkOverrides(
  input: Json,
  containerNames: string[],
): Json | undefined {
  const o = input.overrides;
  if (o === undefined || o === null) return undefined;
  if (typeof o !== 'object' || Array.isArray(o)) {
    throw errors.invalidParameter('overrides must be an object.');
  }
  if (JSON.stringify(o).length > 8192) {
    throw errors.invalidParameter(
      'Container Overrides length must be at most 8192',
    );
  }
  for (const c of (o.containerOverrides ?? []) as Json[]) {
    if (!containerNames.includes(c?.name)) {
      throw errors.invalidParameter(
        `Override for container named ${c?.name} is not a container in the TaskDefinition.`,
      );
    }
  }
  return structuredClone(o);
}

/**
 * StartTask: the task definition on each named container instance (up to
 * 10), without the service scheduler. Instances that cannot take it are
 * `failures` (MISSING, AGENT, ATTRIBUTE, RESOURCE:*); the others get a task
 * that goes through the usual lifecycle and health. `instant` starts them
 * already RUNNING (fleet seeding).
 */
export function startTasks(
  ctx: OperationContext,
  input: Json,
  instant = false,
): { cluster: Cluster; tasks: Task[]; failures: Json[] } {
  const cluster = getCluster(ctx.state, input.cluster);
  const refs = stringList(input, 'containerInstances', { required: true });
  if (refs.length > MAX_INSTANCES) {
    throw errors.invalidParameter(
      `instanceIds can have at most ${MAX_INSTANCES} items.`,
    );
  }
  const td = resolveTaskDefinition(ctx, input.taskDefinition);
  if (
    !td.compatibilities.includes('EC2') &&
    !td.compatibilities.includes('EXTERNAL')
  ) {
    throw errors.invalidParameter(
      'Task definition does not support launch_type EC2.',
    );
  }
  checkNetwork(td, input.networkConfiguration);
  const startedBy = optionalString(
    input,
    'startedBy',
    STARTED_BY_RE,
    'startedBy can be up to 128 letters (uppercase and lowercase), numbers, hyphens, forward slashes, and underscores.',
  );
  const group = optionalString(
    input,
    'group',
    /^[a-zA-Z0-9_:/.-]{1,255}$/,
    'group can be up to 255 letters (uppercase and lowercase), numbers, hyphens, underscores, colons, periods and forward slashes.',
  );
  const overrides = checkOverrides(
    input,
    (td.body.containerDefinitions as Json[]).map(c => c.name),
  );
  let tags = validateTags(input.tags);
  if (input.propagateTags === 'TASK_DEFINITION') tags = [...td.tags, ...tags];

  const tasks: Task[] = [];
  const failures: Json[] = [];
  for (const ref of refs) {
    const arn = ref.startsWith('arn:')
      ? ref
      : arns.containerInstance(ctx.region, ctx.accountId, cluster.name, ref);
    const inst = cluster.instances.get(idOf(ref));
    const arnMismatch =
      ref.startsWith('arn:') &&
      (parseEcsArn(ref)?.resourceType !== 'container-instance' ||
        ref !== inst?.arn);
    if (!inst || arnMismatch || inst.status === 'INACTIVE') {
      failures.push({ arn, reason: 'MISSING' });
      continue;
    }
    const launchType = inst.external ? 'EXTERNAL' : 'EC2';
    if (!inst.agentConnected) {
      failures.push({ arn: inst.arn, reason: 'AGENT' });
      continue;
    }
    if (
      !td.compatibilities.includes(launchType) ||
      !isCompatible(td, inst, launchType, [])
    ) {
      failures.push({ arn: inst.arn, reason: 'ATTRIBUTE' });
      continue;
    }
    const result = fit(td, inst);
    if (result !== 'ok') {
      failures.push({ arn: inst.arn, reason: FIT_REASONS[result] });
      continue;
    }
    tasks.push(
      ctx.scheduler.startTask(cluster, td, launchType, ctx.now, {
        instance: inst,
        startedBy,
        group: group ?? `family:${td.family}`,
        instant,
        tags,
        overrides,
      }),
    );
  }
  return { cluster, tasks, failures };
}

export const StartTask: Operation = (ctx, input) => {
  const { tasks, failures } = startTasks(ctx, input);
  return {
    tasks: tasks.map(t =>
      serializeTask(t, ['TAGS'], ctx.region, ctx.accountId),
    ),
    failures,
  };
};

/**
 * StopTask: the task walks DEACTIVATING → STOPPING → STOPPED with stopCode
 * UserInitiated; a service's scheduler replaces it.
 */
export const StopTask: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.cluster);
  const ref = input.task;
  if (typeof ref !== 'string' || ref === '') {
    throw errors.invalidParameter('task can not be blank.');
  }
  const task = cluster.tasks.get(idOf(ref));
  if (!task || (ref.startsWith('arn:') && ref !== task.arn)) {
    throw errors.invalidParameter('The referenced task was not found.');
  }
  const reason = input.reason;
  if (
    reason !== undefined &&
    (typeof reason !== 'string' || reason.length > 1024)
  ) {
    throw errors.invalidParameter('reason can be up to 1024 characters.');
  }
  ctx.scheduler.stopTask(
    task,
    reason || 'Task stopped by user',
    ctx.now,
    'UserInitiated',
  );
  return {
    task: serializeTask(task, [], ctx.region, ctx.accountId),
  };
};
