import { errors } from '../protocol/errors';
import { Json, RegionState } from '../model/types';
import { Scheduler } from '../scheduler';
import { World } from '../model/world';

export interface OperationContext {
  world: World;
  scheduler: Scheduler;
  state: RegionState;
  accountId: string;
  region: string;
  now: number;
  /** ARN of the calling principal (used for createdBy / registeredBy). */
  principalArn: string;
}

export type Operation = (ctx: OperationContext, input: Json) => Json;

export function paginate<T>(
  items: T[],
  input: Json,
  opts: { defaultMax: number; max: number },
): { page: T[]; nextToken?: string } {
  let max = opts.defaultMax;
  if (input.maxResults !== undefined) {
    const n = input.maxResults;
    if (
      typeof n !== 'number' ||
      !Number.isInteger(n) ||
      n < 1 ||
      n > opts.max
    ) {
      throw errors.invalidParameter(
        `maxResults must be between 1 and ${opts.max}.`,
      );
    }
    max = n;
  }
  let offset = 0;
  if (
    input.nextToken !== undefined &&
    input.nextToken !== null &&
    input.nextToken !== ''
  ) {
    try {
      const decoded = JSON.parse(
        Buffer.from(String(input.nextToken), 'base64url').toString('utf8'),
      );
      offset = Number(decoded.o);
      if (!Number.isInteger(offset) || offset < 0) throw new Error('bad');
    } catch {
      throw errors.invalidParameter('Invalid nextToken.');
    }
  }
  const page = items.slice(offset, offset + max);
  const next = offset + max;
  return {
    page,
    nextToken:
      next < items.length
        ? Buffer.from(JSON.stringify({ o: next, v: 1 }), 'utf8').toString(
            'base64url',
          )
        : undefined,
  };
}

export function stringList(
  input: Json,
  field: string,
  opts: { required?: boolean; max?: number } = {},
): string[] {
  const v = input[field];
  if (v === undefined || v === null) {
    if (opts.required)
      throw errors.invalidParameter(`${field} can not be null or empty.`);
    return [];
  }
  if (!Array.isArray(v) || v.some(x => typeof x !== 'string')) {
    throw errors.invalidParameter(`${field} must be a list of strings.`);
  }
  if (opts.required && v.length === 0) {
    throw errors.invalidParameter(`${field} can not be null or empty.`);
  }
  if (opts.max !== undefined && v.length > opts.max) {
    throw errors.invalidParameter(
      `${field} can have at most ${opts.max} items.`,
    );
  }
  return v;
}

export function includeList(input: Json, allowed: string[]): string[] {
  const inc = stringList(input, 'include');
  for (const i of inc) {
    if (!allowed.includes(i)) {
      throw errors.invalidParameter(
        `Invalid include value '${i}'. Valid values: ${allowed.join(', ')}.`,
      );
    }
  }
  return inc;
}

/** The last path segment of an ARN or the value itself. */
export function idOf(ref: string): string {
  const i = ref.lastIndexOf('/');
  return i >= 0 ? ref.slice(i + 1) : ref;
}

/**
 * A `Describe*` failure for a reference that names nothing: `MISSING`, with the ARN as given or
 * the ARN the short name would have (`arnOf`).
 */
export function missing(ref: string, arnOf: (name: string) => string): Json {
  return { arn: ref.startsWith('arn:') ? ref : arnOf(ref), reason: 'MISSING' };
}

/**
 * One page of ListServiceDeployments / ListDaemonDeployments: newest first, filtered by `status`
 * (each one of `statuses`, else InvalidParameterException) and `createdAt.before` / `.after`
 * (epoch seconds); 20 per page by default, at most 100.
 */
export function listDeploymentsPage<T extends { status: string; createdAt: number }>(
  deployments: readonly T[],
  input: Json,
  statuses: readonly string[],
): { page: T[]; nextToken?: string } {
  const wanted = stringList(input, 'status');
  for (const s of wanted) {
    if (!statuses.includes(s)) {
      throw errors.invalidParameter(`Invalid status value '${s}'.`);
    }
  }
  const seconds = (value: unknown) =>
    value !== undefined ? Number(value) * 1000 : undefined;
  const before = seconds(input.createdAt?.before);
  const after = seconds(input.createdAt?.after);
  const list = [...deployments]
    .reverse()
    .filter(d => wanted.length === 0 || wanted.includes(d.status))
    .filter(d => before === undefined || d.createdAt < before)
    .filter(d => after === undefined || d.createdAt > after);
  return paginate(list, input, { defaultMax: 20, max: 100 });
}
