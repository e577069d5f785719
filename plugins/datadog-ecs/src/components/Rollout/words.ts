import { ResponseError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  agentFeatureRegistry,
  AgentFeatureRegistry,
  AgentFeatureToggles,
  ClusterRef,
  DD_TAG_PATTERN,
  defaultFeatureToggles,
  featureToggleMetadata,
  FeatureToggleMetadata,
  IMAGE_TAG_PATTERN,
  RolloutFailureKind,
  RolloutInstanceState,
  RolloutKind,
  RolloutStatus,
  TaskDefinitionChange,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { statusCodeOf } from '../shared';

/** The toggles of a feature registry, in display order, with words for people (label, help, constraints). */
export function featureToggles<T extends string>(
  registry: AgentFeatureRegistry<T>,
): ReadonlyArray<FeatureToggleMetadata<T>> {
  return featureToggleMetadata(registry);
}

/** The feature toggles a rollout can switch: those of the built-in feature registry. */
export const FEATURE_TOGGLES: ReadonlyArray<
  FeatureToggleMetadata<keyof AgentFeatureToggles>
> = featureToggles(agentFeatureRegistry);

/** The guide's defaults for a cluster without an Agent: APM, DogStatsD, logs and the health check. */
export const DEFAULT_FEATURES: AgentFeatureToggles =
  defaultFeatureToggles(agentFeatureRegistry);

/** The reason shown when rollouts are switched off in the portal's config. */
export const ROLLOUTS_OFF_WORDS =
  'Rollouts are switched off (datadogEcs.rollout.enabled)';

/** "APM, DogStatsD, logs" — the features that are on, in words. */
export function featuresWords(features?: Partial<AgentFeatureToggles>): string {
  if (!features) return '—';
  const on = FEATURE_TOGGLES.filter(t => features[t.id]).map(t => t.label);
  return on.length ? on.join(', ') : 'none';
}

export const VARIANT_LABELS = {
  linux: 'Linux (Amazon Linux 2 / 2023 and others)',
  'amazon-linux-1': 'Amazon Linux 1',
  windows: 'Windows',
} as const;

export const INSTANCE_STATE_LABELS: Record<RolloutInstanceState, string> = {
  waiting: 'Waiting',
  pending: 'Starting',
  running: 'Running',
  healthy: 'Healthy',
  failed: 'Failed',
  skipped: 'Skipped',
};

export const INSTANCE_STATE_DESCRIPTIONS: Record<RolloutInstanceState, string> =
  {
    waiting: 'No task of the new revision yet',
    pending: 'A task of the new revision is starting',
    running: 'The new revision runs (no health check to pass)',
    healthy: 'The new revision runs and is healthy',
    failed: 'The new revision’s task stopped',
    skipped: 'Draining or disconnected: ECS places nothing here',
  };

export const STATUS_LABELS: Record<RolloutStatus, string> = {
  pending: 'Pending',
  'in-progress': 'In progress',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const KIND_LABELS: Record<RolloutKind, string> = {
  rollout: 'Rollout',
  rollback: 'Rollback',
};

export const FAILURE_KIND_LABELS: Record<RolloutFailureKind, string> = {
  'circuit-breaker': 'The deployment circuit breaker stopped the deployment',
  'image-pull': 'The Agent image could not be pulled',
  timeout: 'The deployment did not finish in time',
  'aws-error': 'An AWS call failed',
  superseded: 'Another deployment replaced this one',
  unknown: 'The deployment failed',
};

export const CHANGE_KIND_LABELS: Record<TaskDefinitionChange['kind'], string> =
  {
    added: 'Added',
    removed: 'Removed',
    changed: 'Changed',
  };

export const isActive = (status: RolloutStatus) =>
  status === 'pending' || status === 'in-progress';

/** The server's own message of a failed call (`ResponseError` keeps it in `cause`). */
export function errorMessageOf(error: unknown): string {
  if (error instanceof ResponseError) {
    const body = error.body as unknown as
      | { error?: { message?: string } }
      | undefined;
    return (
      error.cause?.message || body?.error?.message || error.message || 'Failed'
    );
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export const isConflict = (error: unknown) => statusCodeOf(error) === 409;
export const isForbidden = (error: unknown) => statusCodeOf(error) === 403;

/** `user:default/jane.doe` → `jane.doe`. */
export function nameOfRef(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** "1 min 5 s". */
export function durationWords(seconds?: number): string {
  if (seconds === undefined || seconds === null) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Renders a before/after value of the diff compactly. */
export function valueWords(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** An error in words, or undefined when the tag is fine (empty means "the portal's default"). */
export function imageTagError(tag: string): string | undefined {
  if (!tag.trim()) return undefined;
  return IMAGE_TAG_PATTERN.test(tag.trim())
    ? undefined
    : 'Letters, digits, “_”, “.” and “-” only (e.g. 7.64.1), at most 128 characters';
}

/** Splits `env:prod, team:payments owner:x` into tags; the invalid ones separately. */
export function parseTags(text: string): { tags: string[]; invalid: string[] } {
  const parts = text
    .split(/[\s,]+/)
    .map(t => t.trim())
    .filter(Boolean);
  return {
    tags: parts.filter(t => DD_TAG_PATTERN.test(t)),
    invalid: parts.filter(t => !DD_TAG_PATTERN.test(t)),
  };
}

export const clusterKey = (ref: ClusterRef) =>
  `${ref.accountId}/${ref.region}/${ref.clusterName}`;

/** An id for `clientToken`: one per dialog opening. */
export function newClientToken(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `t-${Date.now().toString(36)}-${Math.random()
    .toString(36)
    .slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`;
}

type Listener = () => void;
const listeners = new Map<string, Set<Listener>>();

/** Tells whoever shows a cluster's rollouts (the history) that one started or finished. */
export function notifyRolloutsChanged(ref: ClusterRef) {
  for (const l of listeners.get(clusterKey(ref)) ?? []) l();
}

export function subscribeRolloutsChanged(ref: ClusterRef, listener: Listener) {
  const key = clusterKey(ref);
  if (!listeners.has(key)) listeners.set(key, new Set());
  listeners.get(key)!.add(listener);
  return () => {
    listeners.get(key)?.delete(listener);
  };
}
