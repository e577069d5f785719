/**
 * Redaction of secrets: the one rule every payload, stored row, audit event and log line of the
 * backend goes through before it leaves the process, and that the frontend reuses.
 *
 * A value is secret when
 * - it is the value of an environment-like variable whose name looks secret (`DD_API_KEY`,
 *   `DD_APP_KEY`, or a name ending in `_API_KEY`, `_APP_KEY`, `_TOKEN`, `_PASSWORD`, `_SECRET`), in
 *   any of the shapes such variables take: `{ name, value }` pairs (ECS `environment`), object keys
 *   (`{ DD_API_KEY: "…" }`) and diff entries whose path ends in such a name; or
 * - it contains a value the redactor knows is secret (a configured key, or one it masked before),
 *   anywhere in any string (error messages, events, log lines).
 *
 * Documentation placeholders such as `<YOUR_DATADOG_API_KEY>` are not secrets and stay visible, so
 * that "the API key is still the placeholder" can be shown.
 */

import { boundedMemo } from './memo';

/**
 * What a redacted value reads.
 *
 * @public
 */
export const REDACTED = '********';

const SECRET_NAME = /^(?:DD_API_KEY|DD_APP_KEY|(?:.*_)?(?:API_KEY|APP_KEY|TOKEN|PASSWORD|SECRET))$/i;
const PLACEHOLDER = /^\s*<[^>]*>\s*$/;
/** Known secrets shorter than this are not searched for inside other strings (too many false hits). */
const MIN_KNOWN_SECRET_LENGTH = 6;
/** At most this many learned secrets are remembered (configured ones always are). */
const MAX_LEARNED = 1000;
/** Deeper structures are cut off rather than walked (hostile input). */
const MAX_DEPTH = 64;

/**
 * Whether a variable name looks secret: `DD_API_KEY`, `DD_APP_KEY`, or a name ending in `_API_KEY`,
 * `_APP_KEY`, `_TOKEN`, `_PASSWORD` or `_SECRET` (case-insensitive).
 *
 * @public
 */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** {@link isSecretName} of an object key, remembered: a view repeats the same few keys. */
const isSecretKey = boundedMemo(isSecretName);

/**
 * Whether a value is a documentation placeholder (`<YOUR_API_KEY>`) rather than a secret.
 *
 * @public
 */
export function isSecretPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/**
 * Replaces secrets in values and text.
 *
 * @public
 */
export interface Redactor {
  /**
   * `value` with every secret replaced by {@link REDACTED}: copied where anything was replaced,
   * and where it is not a plain object or array; a plain object or array with nothing secret in it
   * is returned as it is (so neither is to be changed afterwards).
   */
  value<T>(value: T): T;
  /** `text` with every known secret replaced by {@link REDACTED}. */
  text(text: string): string;
  /** Remembers a secret, so that it is masked wherever it appears from now on. */
  learn(secret: string): void;
  /**
   * How many secrets it knows (configured and learned): what it makes of a value changes only
   * when this does, so a value redacted at one generation can be reused while it lasts.
   */
  generation(): number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const lastPathSegment = (path: string) => {
  const m = /([A-Za-z0-9_]+)\]?$/.exec(path);
  return m ? m[1] : '';
};

/**
 * A redactor that also masks every value in `knownSecrets` (configured API keys) wherever it
 * appears. Pure apart from what it learns.
 *
 * @public
 */
export function createRedactor(knownSecrets: Iterable<string> = []): Redactor {
  const configured = new Set<string>();
  const learned = new Set<string>();
  let pattern: RegExp | undefined;
  let dirty = true;
  let generation = 0;

  const add = (set: Set<string>, secret: string) => {
    const s = secret.trim();
    if (s.length < MIN_KNOWN_SECRET_LENGTH || isSecretPlaceholder(s) || s === REDACTED) return;
    if (configured.has(s) || learned.has(s)) return;
    if (set === learned && learned.size >= MAX_LEARNED) return;
    set.add(s);
    dirty = true;
    generation += 1;
  };
  for (const s of knownSecrets) add(configured, s);

  /** The length of the shortest secret known: a shorter string cannot contain one. */
  let shortest = Infinity;
  const text = (input: string): string => {
    if (dirty) {
      const all = [...configured, ...learned].sort((a, b) => b.length - a.length);
      pattern = all.length ? new RegExp(all.map(escapeRegExp).join('|'), 'g') : undefined;
      shortest = all.length ? all[all.length - 1].length : Infinity;
      dirty = false;
    }
    return pattern && input.length >= shortest ? input.replace(pattern, REDACTED) : input;
  };

  const maskSecretString = (v: unknown): unknown => {
    if (typeof v !== 'string' || v === '' || isSecretPlaceholder(v)) return v;
    add(learned, v);
    return REDACTED;
  };

  // Where nothing is secret, a plain object or array is returned as it is, not copied: a view of
  // a large cluster is mostly such values, and copying them was most of the cost of redacting it.
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return text(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth > MAX_DEPTH) return REDACTED;
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item = v[i];
        const out = walk(item, depth + 1);
        if (copy) copy[i] = out;
        else if (out !== item) {
          copy = v.slice(0, i);
          copy[i] = out;
        }
      }
      return copy ?? v;
    }
    const prototype = Object.getPrototypeOf(v);
    // Anything but a plain object (a class instance, an Error, one from another realm) is copied
    // as its own enumerable properties, as JSON has it; a Date (by its tag: one from another
    // realm, a structured clone's or a VM's, is one too) stays as it is.
    const plain = prototype === Object.prototype || prototype === null;
    if (!plain && Object.prototype.toString.call(v) === '[object Date]') return v;
    const source = v as Record<string, unknown>;
    // `{ name: 'DD_API_KEY', value: '…' }` (ECS environment and key-value pairs)
    const secretPair = typeof source.name === 'string' && isSecretKey(source.name);
    // `{ path: '…environment.DD_API_KEY', before, after }` (task-definition diffs)
    const secretPath =
      typeof source.path === 'string' && isSecretName(lastPathSegment(source.path));
    const keys = Object.keys(source);
    const outs = new Array<unknown>(keys.length);
    let changed = !plain;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = source[key];
      let out: unknown;
      if (secretPair && key === 'value') out = maskSecretString(item);
      else if (secretPath && (key === 'before' || key === 'after')) out = maskSecretString(item);
      else if (typeof item === 'string' && isSecretKey(key)) out = maskSecretString(item);
      else out = walk(item, depth + 1);
      outs[i] = out;
      if (out !== item) changed = true;
    }
    if (!changed) return v;
    const copy: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      // A `__proto__` key stays data, never a prototype.
      if (keys[i] === '__proto__') {
        Object.defineProperty(copy, keys[i], {
          value: outs[i],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else copy[keys[i]] = outs[i];
    }
    return copy;
  };

  return {
    value: <T>(value: T): T => {
      // A secret masked by name may also appear in text met earlier in the walk: walk again then.
      const before = learned.size;
      const first = walk(value, 0);
      return (learned.size === before ? first : walk(first, 0)) as T;
    },
    text,
    learn: secret => add(learned, secret),
    generation: () => generation,
  };
}
