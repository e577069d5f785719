import { errors } from '../protocol/errors';
import { arns } from './ids';
import { Json, RegionState, Tag, TaskDefinition } from './types';

const FAMILY_RE = /^[a-zA-Z0-9_-]{1,255}$/;
const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'];
const COMPATIBILITIES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'];

function parseSize(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const s = String(value).trim();
  const vcpu = /^([\d.]+)\s*vcpu$/i.exec(s);
  if (vcpu) {
    return Math.round(Number(vcpu[1]) * 1024);
  }
  const gb = /^([\d.]+)\s*gb$/i.exec(s);
  if (gb) {
    return Math.round(Number(gb[1]) * 1024);
  }
  const n = Number(s);
  return Number.isFinite(n) ? n : NaN;
}

function validateTags(tags: unknown): Tag[] {
  if (tags === undefined) {
    return [];
  }
  if (!Array.isArray(tags)) {
    throw errors.invalidParameter('tags must be a list.');
  }
  if (tags.length > 50) {
    throw errors.invalidParameter(
      'Too many tags. A resource can have at most 50 tags.',
    );
  }
  return tags.map(t => {
    if (
      !t ||
      typeof t.key !== 'string' ||
      t.key.length === 0 ||
      t.key.length > 128
    ) {
      throw errors.invalidParameter(
        'Tag keys must be between 1 and 128 characters.',
      );
    }
    if (
      t.value !== undefined &&
      (typeof t.value !== 'string' || t.value.length > 256)
    ) {
      throw errors.invalidParameter(
        'Tag values must be at most 256 characters.',
      );
    }
    return { key: t.key, value: t.value ?? '' };
  });
}
export { validateTags };

/**
 * The checks RegisterTaskDefinition and RegisterDaemonTaskDefinition share, worded as ECS words
 * them: the family's name and a non-empty container list.
 */
export function validateFamilyAndContainers(input: Json): {
  family: string;
  containers: Json[];
} {
  const family = input.family;
  if (typeof family !== 'string' || !FAMILY_RE.test(family)) {
    throw errors.client(
      'Family name can be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
    );
  }
  const containers = input.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw errors.client('Container list cannot be empty.');
  }
  return { family, containers };
}

/**
 * RegisterTaskDefinition: validates like ECS, stores what was registered plus
 * the fields ECS adds (defaults, revision, requiresAttributes, compatibilities).
 */
export function registerTaskDefinition(
  state: RegionState,
  input: Json,
  now: number,
): TaskDefinition {
  const { family, containers } = validateFamilyAndContainers(input);
  const networkMode: string = input.networkMode ?? 'bridge';
  if (!NETWORK_MODES.includes(networkMode)) {
    throw errors.client(`Invalid networkMode '${networkMode}'.`);
  }
  const requires: string[] = input.requiresCompatibilities ?? [];
  if (
    !Array.isArray(requires) ||
    requires.some(c => !COMPATIBILITIES.includes(c))
  ) {
    throw errors.client('Invalid requiresCompatibilities value.');
  }
  const taskCpu = parseSize(input.cpu);
  const taskMemory = parseSize(input.memory);
  if (Number.isNaN(taskCpu) || Number.isNaN(taskMemory)) {
    throw errors.client('Invalid task-level cpu or memory value.');
  }
  if (requires.includes('FARGATE')) {
    if (networkMode !== 'awsvpc') {
      throw errors.client("Fargate only supports network mode 'awsvpc'.");
    }
    if (taskCpu === undefined) {
      throw errors.client(
        "Fargate requires that 'cpu' be defined at the task level.",
      );
    }
    if (taskMemory === undefined) {
      throw errors.client(
        "Fargate requires that 'memory' be defined at the task level.",
      );
    }
  }
  if (requires.includes('EXTERNAL') && networkMode === 'awsvpc') {
    throw errors.client(
      "Network mode 'awsvpc' is not supported for the EXTERNAL launch type.",
    );
  }
  const names = new Set<string>();
  let cpuSum = 0;
  let memSum = 0;
  const tcpPorts: number[] = [];
  const udpPorts: number[] = [];
  const requiresAttributes = new Set<string>();
  let hasHealthCheck = false;
  const outContainers = containers.map((c: Json) => {
    if (!c || typeof c.name !== 'string' || c.name === '') {
      throw errors.client('Container.name should not be null or empty.');
    }
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(c.name)) {
      throw errors.client(
        'Container name can be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
      );
    }
    if (names.has(c.name)) {
      throw errors.client(`Duplicate container name: ${c.name}`);
    }
    names.add(c.name);
    if (typeof c.image !== 'string' || c.image === '') {
      throw errors.client('Container.image should not be null or empty.');
    }
    if (
      taskMemory === undefined &&
      c.memory === undefined &&
      c.memoryReservation === undefined
    ) {
      throw errors.client(
        `Invalid setting for container '${c.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
      );
    }
    if (
      c.memory !== undefined &&
      c.memoryReservation !== undefined &&
      c.memoryReservation > c.memory
    ) {
      throw errors.client(
        `Invalid setting for container '${c.name}'. 'memoryReservation' must be less than or equal to 'memory'.`,
      );
    }
    const out: Json = {
      ...structuredClone(c),
      cpu: c.cpu ?? 0,
      portMappings: (c.portMappings ?? []).map((p: Json) => {
        const protocol = p.protocol ?? 'tcp';
        const hostPort =
          networkMode === 'host' || networkMode === 'awsvpc'
            ? p.hostPort ?? p.containerPort
            : p.hostPort;
        const mapping: Json = { ...p, protocol };
        if (hostPort !== undefined) {
          mapping.hostPort = hostPort;
        }
        if (networkMode !== 'awsvpc' && hostPort) {
          (protocol === 'udp' ? udpPorts : tcpPorts).push(hostPort);
        }
        return mapping;
      }),
      essential: c.essential ?? true,
      environment: c.environment ?? [],
      mountPoints: c.mountPoints ?? [],
      volumesFrom: c.volumesFrom ?? [],
    };
    cpuSum += c.cpu ?? 0;
    memSum += c.memoryReservation ?? c.memory ?? 0;
    if (c.healthCheck) {
      hasHealthCheck = true;
      requiresAttributes.add('ecs.capability.container-health-check');
      out.healthCheck = {
        interval: 30,
        timeout: 5,
        retries: 3,
        ...c.healthCheck,
      };
    }
    for (const s of c.secrets ?? []) {
      const from = String(s?.valueFrom ?? '');
      requiresAttributes.add(
        from.includes(':secretsmanager:')
          ? 'ecs.capability.secrets.asm.environment-variables'
          : 'ecs.capability.secrets.ssm.environment-variables',
      );
    }
    const driver = c.logConfiguration?.logDriver;
    if (driver) {
      requiresAttributes.add(
        `com.amazonaws.ecs.capability.logging-driver.${driver}`,
      );
      if (driver === 'awslogs' && input.executionRoleArn) {
        requiresAttributes.add('ecs.capability.execution-role-awslogs');
      }
    }
    if (c.memoryReservation !== undefined) {
      requiresAttributes.add(
        'com.amazonaws.ecs.capability.docker-remote-api.1.21',
      );
    }
    if (c.dockerLabels) {
      requiresAttributes.add(
        'com.amazonaws.ecs.capability.docker-remote-api.1.18',
      );
    }
    if (/\.dkr\.ecr\./.test(c.image)) {
      requiresAttributes.add('com.amazonaws.ecs.capability.ecr-auth');
      if (input.executionRoleArn) {
        requiresAttributes.add('ecs.capability.execution-role-ecr-pull');
      }
    }
    return out;
  });
  for (const list of [tcpPorts, udpPorts]) {
    if (new Set(list).size !== list.length) {
      throw errors.client('Host port is used by more than one container.');
    }
  }
  if (input.taskRoleArn) {
    requiresAttributes.add('com.amazonaws.ecs.capability.task-iam-role');
  }
  if (networkMode === 'awsvpc') {
    requiresAttributes.add('ecs.capability.task-eni');
  }
  if (taskCpu !== undefined || taskMemory !== undefined) {
    requiresAttributes.add('ecs.capability.task-cpu-mem-limit');
  }
  if (input.pidMode || input.ipcMode) {
    requiresAttributes.add('ecs.capability.pid-ipc-namespace-sharing');
  }

  const compatibilities = ['EC2'];
  if (networkMode !== 'awsvpc') {
    compatibilities.push('EXTERNAL');
  }
  if (
    networkMode === 'awsvpc' &&
    taskCpu !== undefined &&
    taskMemory !== undefined
  ) {
    compatibilities.push('FARGATE');
  }
  for (const c of requires) {
    if (!compatibilities.includes(c)) {
      compatibilities.push(c);
    }
  }

  const revisions = state.taskDefinitions.get(family) ?? [];
  const revision = revisions.length + 1;
  const arn = arns.taskDefinition(
    state.region,
    state.accountId,
    family,
    revision,
  );
  const body: Json = structuredClone(input);
  delete body.tags;
  Object.assign(body, {
    taskDefinitionArn: arn,
    containerDefinitions: outContainers,
    family,
    revision,
    volumes: input.volumes ?? [],
    status: 'ACTIVE',
    requiresAttributes: [...requiresAttributes].map(name => ({ name })),
    placementConstraints: input.placementConstraints ?? [],
    compatibilities,
    requiresCompatibilities: requires.length ? requires : undefined,
    networkMode: input.networkMode,
    registeredBy: `arn:aws:iam::${state.accountId}:root`,
  });
  for (const k of Object.keys(body)) {
    if (body[k] === undefined) {
      delete body[k];
    }
  }
  const osFamily: string =
    input.runtimePlatform?.operatingSystemFamily ?? 'LINUX';
  const td: TaskDefinition = {
    arn,
    family,
    revision,
    status: 'ACTIVE',
    registeredAt: now,
    body,
    tags: validateTags(input.tags),
    cpu: taskCpu ?? cpuSum,
    memory: taskMemory ?? memSum,
    tcpPorts,
    udpPorts,
    osFamily,
    compatibilities,
    requiresAttributes: [...requiresAttributes],
    hasHealthCheck,
  };
  revisions.push(td);
  state.taskDefinitions.set(family, revisions);
  return td;
}
