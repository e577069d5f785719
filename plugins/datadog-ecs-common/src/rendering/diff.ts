import { EcsContainerDefinition, EcsTaskDefinition } from '../ecsTypes';
import { isApiKeyPlaceholder } from '../features/apiKey';
import { isSecretName, REDACTED } from '../redaction';
import { compareStrings, normalizeTaskDefinition, portKey } from './normalize';

/**
 * One difference between two task definitions.
 *
 * @public
 */
export interface TaskDefinitionChange {
  /** e.g. `containerDefinitions[datadog-agent].environment.DD_APM_ENABLED`, `volumes[pointdir]`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const MASK = REDACTED;

/**
 * A copy of the task definition where the values of secret-looking variables (`DD_API_KEY`,
 * `DD_APP_KEY`, names ending in `_API_KEY`, `_TOKEN`, `_PASSWORD`, … — see `isSecretName`) read
 * `********`, so previews never show a key. Documentation placeholders such as `<YOUR_DATADOG_API_KEY>` stay visible.
 *
 * @public
 */
export function maskSecrets(
  taskDefinition: EcsTaskDefinition,
): EcsTaskDefinition {
  return {
    ...taskDefinition,
    containerDefinitions: taskDefinition.containerDefinitions?.map(c => ({
      ...c,
      environment: c.environment?.map(e =>
        e.name &&
        isSecretName(e.name) &&
        e.value &&
        !isApiKeyPlaceholder(e.value)
          ? { ...e, value: MASK }
          : e,
      ),
    })),
  };
}

type Keyed = Record<string, unknown>;

function keyed<T>(
  items: T[] | undefined,
  key: (item: T) => string,
  value: (item: T) => unknown = i => i,
): Keyed | undefined {
  if (!items) return undefined;
  const result: Keyed = {};
  for (const item of items) result[key(item)] = value(item);
  return result;
}

/** Turns the arrays ECS treats as sets into objects keyed by their identity, so the diff names them. */
function containerShape(c: EcsContainerDefinition): Keyed {
  const { environment, secrets, mountPoints, portMappings, ...rest } = c;
  return {
    ...rest,
    environment: keyed(
      environment,
      e => e.name ?? '',
      e => e.value,
    ),
    secrets: keyed(
      secrets,
      s => s.name ?? '',
      s => s.valueFrom,
    ),
    mountPoints: keyed(
      mountPoints,
      m => m.containerPath ?? '',
      m => m,
    ),
    portMappings: keyed(portMappings, portKey),
  };
}

function taskShape(td: EcsTaskDefinition): Keyed {
  const normalized = normalizeTaskDefinition(td);
  const { containerDefinitions, volumes, ...rest } = normalized;
  return {
    ...rest,
    containerDefinitions: keyed(
      containerDefinitions,
      c => c.name ?? '',
      containerShape,
    ),
    volumes: keyed(volumes, v => v.name ?? ''),
  };
}

/** Collections whose entries are named by identity: `key[id]`. */
const BRACKETED = [
  'containerDefinitions',
  'mountPoints',
  'portMappings',
  'volumes',
];
/** Collections whose entries are named like fields: `environment.NAME`. */
const NAMED = ['environment', 'secrets'];

type Mode = 'field' | 'bracketed' | 'named';

function isPlainObject(v: unknown): v is Keyed {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function walk(
  path: string,
  mode: Mode,
  beforeValue: unknown,
  afterValue: unknown,
  out: TaskDefinitionChange[],
) {
  if (equal(beforeValue, afterValue)) return;
  // A collection appearing or disappearing is reported entry by entry.
  const before = mode === 'field' ? beforeValue : beforeValue ?? {};
  const after = mode === 'field' ? afterValue : afterValue ?? {};
  if (before === undefined) {
    out.push({ path, kind: 'added', after });
  } else if (after === undefined) {
    out.push({ path, kind: 'removed', before });
  } else if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    for (const key of keys) {
      let childPath: string;
      let childMode: Mode = 'field';
      if (mode === 'bracketed') {
        childPath = `${path}[${key}]`;
      } else {
        childPath = path ? `${path}.${key}` : key;
        if (mode === 'field' && BRACKETED.includes(key))
          childMode = 'bracketed';
        if (mode === 'field' && NAMED.includes(key)) childMode = 'named';
      }
      walk(childPath, childMode, before[key], after[key], out);
    }
  } else {
    out.push({ path, kind: 'changed', before, after });
  }
}

const CONTAINER_PATH = /^containerDefinitions\[([^\]]*)\]$/;

function isSecretPath(path: string): boolean {
  const m = /\.environment\.([A-Za-z0-9_]+)$/.exec(path);
  return !!m && isSecretName(m[1]);
}

/**
 * What changes from `before` (the running definition, or `undefined` for a first rollout) to `after`,
 * after {@link normalizeTaskDefinition}, sorted by path. Paths name containers, variables, secrets, mounts (by
 * containerPath), volumes and ports (`containerPort/protocol`) rather than array positions; a whole
 * container added or removed is reported once, as its (normalized) definition. Plaintext API keys are
 * masked in `before`/`after`, but a changed key is still reported as a change.
 *
 * @public
 */
export function diffTaskDefinitions(
  before: EcsTaskDefinition | undefined,
  after: EcsTaskDefinition,
): TaskDefinitionChange[] {
  const changes: TaskDefinitionChange[] = [];
  walk('', 'field', before ? taskShape(before) : {}, taskShape(after), changes);

  const containerNamed = (td: EcsTaskDefinition | undefined, name: string) =>
    maskSecrets(normalizeTaskDefinition(td ?? {})).containerDefinitions?.find(
      c => (c.name ?? '') === name,
    );
  const maskValue = (v: unknown) =>
    typeof v === 'string' && !isApiKeyPlaceholder(v) ? MASK : v;

  changes.sort((x, y) => compareStrings(x.path, y.path));
  return changes.map(change => {
    let { before: b, after: a } = change;
    const container = CONTAINER_PATH.exec(change.path);
    if (container) {
      b = b === undefined ? undefined : containerNamed(before, container[1]);
      a = a === undefined ? undefined : containerNamed(after, container[1]);
    } else if (isSecretPath(change.path)) {
      b = maskValue(b);
      a = maskValue(a);
    }
    const result: TaskDefinitionChange = {
      path: change.path,
      kind: change.kind,
    };
    if (b !== undefined) result.before = b;
    if (a !== undefined) result.after = a;
    return result;
  });
}
