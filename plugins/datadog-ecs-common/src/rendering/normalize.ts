import { EcsTaskDefinition } from '../ecsTypes';

/** Fields ECS adds on DescribeTaskDefinition that are not part of what one registers. */
const READ_ONLY_TASK_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'registeredAt',
  'registeredBy',
  'requiresAttributes',
  'compatibilities',
  'deregisteredAt',
  // DescribeDaemonTaskDefinition's
  'daemonTaskDefinitionArn',
  'deleteRequestedAt',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Drops null, undefined, empty arrays and empty objects, recursively; dates become ISO strings. */
function prune(value: unknown): Json | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  // By its tag, not `instanceof`: a Date from another realm (structured clone, a VM) is one too.
  if (Object.prototype.toString.call(value) === '[object Date]') {
    return (value as Date).toISOString();
  }
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v): v is Json => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const result: { [key: string]: Json } = {};
    for (const [key, child] of Object.entries(
      value as Record<string, unknown>,
    )) {
      const pruned = prune(child);
      if (pruned !== undefined) {
        result[key] = pruned;
      }
    }
    return Object.keys(result).length ? result : undefined;
  }
  if (
    typeof value === 'boolean' ||
    typeof value === 'number' ||
    typeof value === 'string'
  ) {
    return value;
  }
  return undefined;
}

/**
 * Code-unit order, independent of the locale (unlike localeCompare).
 *
 * @internal
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function sortBy<T>(
  items: T[] | undefined,
  key: (item: T) => string,
): T[] | undefined {
  return items
    ? [...items].sort((a, b) => compareStrings(key(a), key(b)))
    : items;
}

/**
 * A canonical form of a task definition for comparison: "is the running revision the one we would
 * render?" and diffs. It
 * - drops the read-only fields ECS adds on DescribeTaskDefinition (taskDefinitionArn, revision, status,
 *   registeredAt, registeredBy, requiresAttributes, compatibilities, deregisteredAt) and on
 *   DescribeDaemonTaskDefinition (daemonTaskDefinitionArn, deleteRequestedAt);
 * - drops null, undefined, empty arrays and empty objects;
 * - drops values equal to the ECS default: `readOnly: false` (mounts are read-write unless said
 *   otherwise; published files write `null`), container `cpu: 0` (what ECS reports when unset) and
 *   `networkMode: "bridge"` (the default on Linux, which DescribeTaskDefinition may echo);
 * - sorts arrays whose order ECS ignores: containers, environment and secrets by name, mount points
 *   by containerPath, volumes by name, port mappings by port/protocol, capabilities and
 *   requiresCompatibilities alphabetically.
 *
 * @public
 */
export function normalizeTaskDefinition(
  taskDefinition: EcsTaskDefinition,
): EcsTaskDefinition {
  const copy: Record<string, unknown> = { ...taskDefinition };
  for (const field of READ_ONLY_TASK_FIELDS) {
    delete copy[field];
  }
  if (copy.networkMode === 'bridge') {
    delete copy.networkMode;
  }
  const td = (prune(copy) ?? {}) as EcsTaskDefinition;
  const byName = (item: { name?: string }) => item.name ?? '';
  td.containerDefinitions = sortBy(
    td.containerDefinitions?.map(container => {
      const c = { ...container };
      if (c.cpu === 0) delete c.cpu;
      c.environment = sortBy(c.environment, byName);
      c.secrets = sortBy(c.secrets, byName);
      c.mountPoints = sortBy(
        c.mountPoints?.map(m => {
          const mount = { ...m };
          if (!mount.readOnly) delete mount.readOnly;
          return mount;
        }),
        m => m.containerPath ?? '',
      );
      c.portMappings = sortBy(c.portMappings, portKey);
      const capabilities = c.linuxParameters?.capabilities;
      if (capabilities) {
        c.linuxParameters = {
          ...c.linuxParameters,
          capabilities: {
            ...capabilities,
            add: capabilities.add && [...capabilities.add].sort(),
            drop: capabilities.drop && [...capabilities.drop].sort(),
          },
        };
      }
      return c;
    }),
    byName,
  );
  td.volumes = sortBy(td.volumes, byName);
  td.requiresCompatibilities =
    td.requiresCompatibilities && [...td.requiresCompatibilities].sort();
  // A second pass removes the keys the edits above left undefined.
  return (prune(td) ?? {}) as EcsTaskDefinition;
}

/**
 * The identity of a port mapping, `containerPort/protocol` (protocol defaults to tcp).
 *
 * @internal
 */
export function portKey(p: {
  containerPort?: number;
  protocol?: string;
}): string {
  return `${p.containerPort ?? '?'}/${(p.protocol ?? 'tcp').toLowerCase()}`;
}
