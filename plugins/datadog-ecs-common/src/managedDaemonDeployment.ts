/*
 * A managed daemon's deployment, decided before any ECS call: the request's options with their
 * documented defaults (CreateDaemon / UpdateDaemon: critical true, drainPercent 25,
 * bakeTimeInMinutes 0), and how ECS will replace the instances — a daemon deployment drains a batch
 * of instances, provisions replacements that start the new daemon, and repeats until every instance
 * runs it, waiting the bake time after each successful step.
 */
import { z } from 'zod';
import {
  ManagedDaemonReplacementPlan,
  ManagedDaemonRolloutOptions,
  ResolvedManagedDaemonRolloutOptions,
  RolloutTarget,
} from './api/managedDaemons';
import { BAKE_TIME_LIMITS, DRAIN_PERCENT_LIMITS } from './limits';
import { RenderValidationError } from './rendering/options';

/**
 * The documented defaults of a managed daemon's deployment (the dialog starts from them): critical
 * (ECS's default), 25% of the instances drained at a time, no bake time (ECS's default 0).
 *
 * @public
 */
export const DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS: Readonly<ResolvedManagedDaemonRolloutOptions> =
  Object.freeze({ critical: true, drainPercent: 25, bakeTimeInMinutes: 0 });

/**
 * The schema of a request's managed-daemon options, with the defaults: `critical` true,
 * `drainPercent` 25 (0–100), `bakeTimeInMinutes` 0 (0–1440, whole minutes); the ranges are the
 * OpenAPI document's. Unknown fields are refused.
 *
 * @public
 */
export const managedDaemonRolloutOptionsSchema = z
  .object({
    critical: z
      .boolean()
      .default(DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS.critical),
    drainPercent: z
      .number()
      .min(DRAIN_PERCENT_LIMITS.min)
      .max(DRAIN_PERCENT_LIMITS.max)
      .default(DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS.drainPercent),
    bakeTimeInMinutes: z
      .number()
      .int()
      .min(BAKE_TIME_LIMITS.min)
      .max(BAKE_TIME_LIMITS.max)
      .default(DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS.bakeTimeInMinutes),
  })
  .strict();

/**
 * A request's managed-daemon options with the defaults applied. Throws `RenderValidationError`
 * (an `InputError`, 400) with rule `invalid-options` for values out of range, and with rule
 * `managed-daemon-options-target` when options are given for a DAEMON service.
 *
 * @public
 */
export function resolveManagedDaemonRolloutOptions(
  options: ManagedDaemonRolloutOptions | undefined,
  target: RolloutTarget = 'managed-daemon',
): ResolvedManagedDaemonRolloutOptions {
  if (options !== undefined && target !== 'managed-daemon') {
    throw new RenderValidationError(
      'managed-daemon-options-target',
      `Managed daemon options (criticality, drain percent, bake time) apply to the managed-daemon target only, not ${target}`,
    );
  }
  const parsed = managedDaemonRolloutOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map(i => `${['managedDaemon', ...i.path].join('.')}: ${i.message}`)
      .join('; ');
    throw new RenderValidationError(
      'invalid-options',
      `Invalid managed daemon options: ${issues}`,
    );
  }
  return parsed.data;
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n} ${n === 1 ? one : many}`;

/**
 * How a daemon deployment replaces `instances` instances: `drainPercent` of them at a time, rounded
 * up and at least one (ECS does not document its rounding; the plan assumes the safe reading), with
 * the bake time after each batch.
 *
 * @public
 */
export function planManagedDaemonReplacement(
  instances: number,
  options: Pick<
    ResolvedManagedDaemonRolloutOptions,
    'drainPercent' | 'bakeTimeInMinutes'
  >,
): ManagedDaemonReplacementPlan {
  const count = Math.max(0, Math.floor(instances));
  const { drainPercent, bakeTimeInMinutes } = options;
  const batchSize =
    count === 0
      ? 0
      : Math.min(count, Math.max(1, Math.ceil((count * drainPercent) / 100)));
  const batches = count === 0 ? 0 : Math.ceil(count / batchSize);
  const bake =
    bakeTimeInMinutes > 0
      ? `, ${plural(bakeTimeInMinutes, 'minute')} of bake time after each batch`
      : ', no bake time between batches';
  const summary =
    count === 0
      ? 'No instance to replace now: ECS starts the daemon on the instances the capacity providers launch.'
      : `${plural(count, 'instance')} replaced in ${plural(
          batches,
          'batch',
          'batches',
        )} of up to ${batchSize} (${drainPercent}% drained at a time)${bake}.`;
  return {
    instances: count,
    drainPercent,
    batchSize,
    batches,
    bakeTimeInMinutes,
    summary,
  };
}
