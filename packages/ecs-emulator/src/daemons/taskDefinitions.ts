import {
  validateFamilyAndContainers,
  validateTags,
} from '../model/taskDefinitions';
import { Json, RegionState, TaskDefinition } from '../model/types';
import { errors } from '../protocol/errors';
import { Operation, paginate } from '../operations/common';
import { ts } from '../operations/serialize';
import { daemonArns, findDaemonTaskDefinition, regionDaemons } from './state';
import { DaemonTaskDefinition } from './types';

// RegisterDaemonTaskDefinition, DescribeDaemonTaskDefinition, ListDaemonTaskDefinitions and
// DeleteDaemonTaskDefinition, with the request and response shapes of the API reference
// (DaemonTaskDefinition, DaemonContainerDefinition, DaemonVolume). A daemon task runs on Amazon
// ECS Managed Instances only, so its log drivers are the ones the API reference lists for Managed
// Instances (LogConfiguration: awslogs, splunk, awsfirelens, json-file).

const NAME_RE = /^[a-zA-Z0-9_-]{1,255}$/;
const LOG_DRIVERS = ['awslogs', 'splunk', 'awsfirelens', 'json-file'];
const NAMESPACE_MODES = ['none', 'shared'];

function size(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(String(value).trim());
  if (!Number.isInteger(n) || n <= 0) {
    throw errors.client(
      `Invalid '${field}' setting for the daemon task definition.`,
    );
  }
  return n;
}

function validateVolumes(volumes: unknown): Json[] {
  if (volumes === undefined || volumes === null) return [];
  if (!Array.isArray(volumes)) throw errors.client('volumes must be a list.');
  const names = new Set<string>();
  return volumes.map((v: Json) => {
    if (!v || typeof v.name !== 'string' || !NAME_RE.test(v.name)) {
      throw errors.client(
        'Volume name can be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
      );
    }
    if (names.has(v.name)) {
      throw errors.client(`Duplicate volume name: ${v.name}`);
    }
    names.add(v.name);
    // DaemonVolume: "You can't specify both for the same volume."
    if (v.host && v.logDriverVolumeConfiguration) {
      throw errors.client(
        `Volume '${v.name}' can't specify both host and logDriverVolumeConfiguration.`,
      );
    }
    const driver = v.logDriverVolumeConfiguration?.driver;
    if (v.logDriverVolumeConfiguration && driver !== 'json-file') {
      throw errors.client(
        `Invalid logDriverVolumeConfiguration driver '${driver}'. The only supported value is json-file.`,
      );
    }
    return structuredClone(v);
  });
}

/** The container as DescribeDaemonTaskDefinition returns it (defaults ECS adds filled in). */
function container(
  c: Json,
  taskMemory: number | undefined,
  names: Set<string>,
) {
  if (!c || typeof c.name !== 'string' || c.name === '') {
    throw errors.client('Container.name should not be null or empty.');
  }
  if (!NAME_RE.test(c.name)) {
    throw errors.client(
      'Container name can be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
    );
  }
  if (names.has(c.name))
    throw errors.client(`Duplicate container name: ${c.name}`);
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
  const driver = c.logConfiguration?.logDriver;
  if (c.logConfiguration && !LOG_DRIVERS.includes(driver)) {
    throw errors.client(
      `Log driver '${driver}' is not supported on Amazon ECS Managed Instances. Supported log drivers: ${LOG_DRIVERS.join(
        ', ',
      )}.`,
    );
  }
  const out: Json = {
    ...structuredClone(c),
    essential: c.essential ?? true,
    mountPoints: c.mountPoints ?? [],
    secrets: c.secrets ?? [],
  };
  if (c.healthCheck) {
    out.healthCheck = {
      interval: 30,
      timeout: 5,
      retries: 3,
      ...c.healthCheck,
    };
  }
  return out;
}

/** RegisterDaemonTaskDefinition: validates, stores the next revision of the family. */
export function registerDaemonTaskDefinition(
  state: RegionState,
  input: Json,
  now: number,
  principalArn: string,
): DaemonTaskDefinition {
  const { family, containers } = validateFamilyAndContainers(input);
  for (const field of ['pidMode', 'ipcMode']) {
    if (input[field] !== undefined && !NAMESPACE_MODES.includes(input[field])) {
      throw errors.client(
        `Invalid ${field} '${input[field]}'. Valid values: none, shared.`,
      );
    }
  }
  const cpu = size(input.cpu, 'cpu');
  const memory = size(input.memory, 'memory');
  const names = new Set<string>();
  const containerDefinitions = containers.map((c: Json) =>
    container(c, memory, names),
  );
  const volumes = validateVolumes(input.volumes);
  const tags = validateTags(input.tags);
  const d = regionDaemons(state);
  const revisions = d.taskDefinitions.get(family) ?? [];
  const revision = revisions.length + 1;
  const arn = daemonArns.taskDefinition(state, family, revision);
  const body: Json = {
    daemonTaskDefinitionArn: arn,
    family,
    revision,
    taskRoleArn: input.taskRoleArn,
    executionRoleArn: input.executionRoleArn,
    containerDefinitions,
    volumes,
    cpu: input.cpu !== undefined ? String(input.cpu) : undefined,
    memory: input.memory !== undefined ? String(input.memory) : undefined,
    registeredBy: principalArn,
    pidMode: input.pidMode,
    ipcMode: input.ipcMode,
  };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  const sum = (f: (c: Json) => number) =>
    containerDefinitions.reduce((n: number, c: Json) => n + f(c), 0);
  const scheduled: TaskDefinition = {
    arn,
    family,
    revision,
    status: 'ACTIVE',
    registeredAt: now,
    body: { containerDefinitions },
    tags,
    cpu: cpu ?? sum(c => c.cpu ?? 0),
    memory: memory ?? sum(c => c.memoryReservation ?? c.memory ?? 0),
    tcpPorts: [],
    udpPorts: [],
    osFamily: 'LINUX',
    compatibilities: ['MANAGED_INSTANCES'],
    requiresAttributes: [],
    hasHealthCheck: containerDefinitions.some((c: Json) => c.healthCheck),
  };
  const td: DaemonTaskDefinition = {
    arn,
    family,
    revision,
    status: 'ACTIVE',
    registeredAt: now,
    registeredBy: principalArn,
    body,
    tags,
    scheduled,
  };
  revisions.push(td);
  d.taskDefinitions.set(family, revisions);
  return td;
}

export function serializeDaemonTaskDefinition(td: DaemonTaskDefinition): Json {
  const out: Json = {
    ...structuredClone(td.body),
    status: td.status,
    registeredAt: ts(td.registeredAt),
  };
  if (td.deleteRequestedAt !== undefined) {
    out.deleteRequestedAt = ts(td.deleteRequestedAt);
  }
  return out;
}

function requireTaskDefinition(state: RegionState, ref: unknown) {
  if (typeof ref !== 'string' || ref === '') {
    throw errors.invalidParameter(
      'daemonTaskDefinition can not be null or empty.',
    );
  }
  const td = findDaemonTaskDefinition(state, ref);
  if (!td) throw errors.client('Unable to describe daemon task definition.');
  return td;
}

export const RegisterDaemonTaskDefinition: Operation = (ctx, input) => {
  const td = registerDaemonTaskDefinition(
    ctx.state,
    input,
    ctx.now,
    ctx.principalArn,
  );
  return { daemonTaskDefinitionArn: td.arn };
};

export const DescribeDaemonTaskDefinition: Operation = (ctx, input) => ({
  daemonTaskDefinition: serializeDaemonTaskDefinition(
    requireTaskDefinition(ctx.state, input.daemonTaskDefinition),
  ),
});

export const ListDaemonTaskDefinitions: Operation = (ctx, input) => {
  const status = input.status ?? 'ACTIVE';
  if (!['ACTIVE', 'DELETE_IN_PROGRESS', 'ALL'].includes(status)) {
    throw errors.invalidParameter(`Invalid status value '${status}'.`);
  }
  const sort = input.sort ?? 'ASC';
  if (!['ASC', 'DESC'].includes(sort)) {
    throw errors.invalidParameter(`Invalid sort value '${sort}'.`);
  }
  if (input.revision !== undefined && input.revision !== 'LAST_REGISTERED') {
    throw errors.invalidParameter(
      `Invalid revision value '${input.revision}'.`,
    );
  }
  const families = [...regionDaemons(ctx.state).taskDefinitions.entries()]
    .filter(([f]) => input.family === undefined || f === input.family)
    .filter(([f]) => !input.familyPrefix || f.startsWith(input.familyPrefix))
    .sort(([a], [b]) => a.localeCompare(b, 'en'));
  let list: DaemonTaskDefinition[] = [];
  for (const [, revisions] of families) {
    const matching = revisions.filter(td =>
      status === 'ALL' ? td.status !== 'DELETED' : td.status === status,
    );
    list.push(
      ...(input.revision === 'LAST_REGISTERED' ? matching.slice(-1) : matching),
    );
  }
  if (sort === 'DESC') list = list.reverse();
  const { page, nextToken } = paginate(list, input, {
    defaultMax: 100,
    max: 100,
  });
  return {
    daemonTaskDefinitions: page.map(td => {
      const out: Json = {
        arn: td.arn,
        registeredAt: ts(td.registeredAt),
        registeredBy: td.registeredBy,
        status: td.status,
      };
      if (td.deleteRequestedAt !== undefined) {
        out.deleteRequestedAt = ts(td.deleteRequestedAt);
      }
      return out;
    }),
    nextToken,
  };
};

/**
 * DeleteDaemonTaskDefinition: an ACTIVE revision goes DELETE_IN_PROGRESS; it is DELETED once no
 * daemon runs it ("Existing daemons that reference the deleted daemon task definition continue to
 * run"; see scheduler.ts).
 */
export const DeleteDaemonTaskDefinition: Operation = (ctx, input) => {
  const td = requireTaskDefinition(ctx.state, input.daemonTaskDefinition);
  if (td.status !== 'ACTIVE') {
    throw errors.client(
      `The daemon task definition ${td.arn} is ${td.status} and cannot be deleted.`,
    );
  }
  td.status = 'DELETE_IN_PROGRESS';
  td.deleteRequestedAt = ctx.now;
  return { daemonTaskDefinitionArn: td.arn };
};
