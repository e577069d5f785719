import { attributeValue, osFamilyOf } from './instances';
import { ContainerInstance, Json, TaskDefinition } from './types';

/** `*` matches any run of characters; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

export type FitResult = 'ok' | 'attribute' | 'cpu' | 'memory' | 'ports';

export const FIT_MESSAGES: Record<Exclude<FitResult, 'ok'>, string> = {
  attribute: 'is missing an attribute required by your task.',
  cpu: 'has insufficient CPU units available.',
  memory: 'has insufficient memory available.',
  ports: 'is already using a port required by your task.',
};

export function usage(instance: ContainerInstance) {
  let cpu = 0;
  let memory = 0;
  const tcp = new Set<number>();
  const udp = new Set<number>();
  for (const t of instance.tasks) {
    cpu += t.taskDefinition.cpu;
    memory += t.taskDefinition.memory;
    for (const p of t.taskDefinition.tcpPorts) tcp.add(p);
    for (const p of t.taskDefinition.udpPorts) udp.add(p);
  }
  return { cpu, memory, tcp, udp };
}

/**
 * Evaluates a cluster query language expression as used by memberOf
 * constraints and ListContainerInstances filters. Supports
 * `attribute:<name> (==|!=) <value>`, `attribute:<name> exists`,
 * `attribute:<name> in [a, b]`, `ec2InstanceId == i-...`, joined by `and` / `or`.
 */
export function matchesExpression(
  instance: ContainerInstance,
  expression: string,
): boolean {
  const orParts = expression.split(/\s+or\s+|\s*\|\|\s*/i);
  return orParts.some(part =>
    part
      .split(/\s+and\s+|\s*&&\s*/i)
      .every(term => matchesTerm(instance, term.trim())),
  );
}

function matchesTerm(instance: ContainerInstance, term: string): boolean {
  const t = term.replace(/^\(|\)$/g, '').trim();
  if (t === '') {
    return true;
  }
  const m =
    /^(attribute:)?([A-Za-z0-9._-]+)\s*(==|!=|=~|!~|exists|in|not_in)\s*(.*)$/i.exec(
      t,
    );
  if (!m) {
    return true;
  }
  const [, isAttr, name, op, rawValue] = m;
  let actual: string | undefined;
  if (isAttr) {
    actual = attributeValue(instance, name);
  } else if (name === 'ec2InstanceId') {
    actual = instance.ec2InstanceId;
  } else if (name === 'agentConnected') {
    actual = String(instance.agentConnected);
  } else if (name === 'runningTasksCount') {
    actual = String(instance.tasks.size);
  } else {
    actual = attributeValue(instance, name);
  }
  const value = rawValue.trim().replace(/^['"]|['"]$/g, '');
  switch (op.toLowerCase()) {
    case 'exists':
      return actual !== undefined;
    case '==':
      return actual === value;
    case '!=':
      return actual !== value;
    case '=~':
    case '!~': {
      const re = globToRegExp(value);
      const r = actual !== undefined && re.test(actual);
      return op === '=~' ? r : !r;
    }
    case 'in':
    case 'not_in': {
      const list = value
        .replace(/^\[|\]$/g, '')
        .split(',')
        .map(v => v.trim());
      const r = actual !== undefined && list.includes(actual);
      return op.toLowerCase() === 'in' ? r : !r;
    }
    default:
      return true;
  }
}

/**
 * Whether the instance is a candidate at all for the task definition and
 * launch type (OS family, EC2 vs EXTERNAL, required attributes, memberOf
 * constraints). Resources are not considered here.
 */
const compatCache = new WeakMap<ContainerInstance, Map<string, boolean>>();

export function isCompatible(
  td: TaskDefinition,
  instance: ContainerInstance,
  launchType: string,
  constraints: Json[],
): boolean {
  if (launchType === 'EXTERNAL' ? !instance.external : instance.external) {
    return false;
  }
  // Managed Instances host their capacity provider's tasks only (daemons: daemons/), not EC2
  // launch-type services and tasks.
  if (
    Boolean(instance.managedInstances) !==
    (launchType === 'MANAGED_INSTANCES')
  ) {
    return false;
  }
  const key = constraints.length
    ? `${td.arn}|${JSON.stringify(constraints)}`
    : td.arn;
  let cache = compatCache.get(instance);
  if (!cache) {
    cache = new Map();
    compatCache.set(instance, cache);
  }
  let result = cache.get(key);
  if (result === undefined) {
    result = missingRequirement(td, instance, constraints) === undefined;
    cache.set(key, result);
  }
  return result;
}

function missingRequirement(
  td: TaskDefinition,
  instance: ContainerInstance,
  constraints: Json[],
): string | undefined {
  const family = osFamilyOf(instance);
  if (td.osFamily === 'LINUX' ? family !== 'LINUX' : family !== td.osFamily) {
    return 'ecs.os-family';
  }
  for (const name of td.requiresAttributes) {
    if (attributeValue(instance, name) === undefined) {
      return name;
    }
  }
  for (const c of [...constraints, ...(td.body.placementConstraints ?? [])]) {
    if (c?.type === 'memberOf' && typeof c.expression === 'string') {
      if (!matchesExpression(instance, c.expression)) {
        return c.expression;
      }
    }
  }
  return undefined;
}

/** Resource check, in the order ECS reports the closest match. */
export function fit(
  td: TaskDefinition,
  instance: ContainerInstance,
): FitResult {
  const used = usage(instance);
  if (instance.cpu - used.cpu < td.cpu) {
    return 'cpu';
  }
  if (instance.memory - used.memory < td.memory) {
    return 'memory';
  }
  const reserved = new Set(instance.reservedTcpPorts.map(Number));
  if (td.tcpPorts.some(p => used.tcp.has(p) || reserved.has(p))) {
    return 'ports';
  }
  if (td.udpPorts.some(p => used.udp.has(p))) {
    return 'ports';
  }
  return 'ok';
}
