import {
  BAKE_TIME_LIMITS,
  ClusterDetails,
  DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS,
  DRAIN_PERCENT_LIMITS,
  InstanceCoverage,
  ManagedDaemonRolloutOptions,
  RolloutTarget,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  hasDaemonServiceCapacity,
  hasManagedInstances,
  isManagedInstance,
} from '../shared';

/*
 * What a rollout deploys on a cluster: a DAEMON service for its EC2 and ECS Anywhere instances, a
 * managed daemon for its ECS Managed Instances capacity providers, or, on a mixed cluster, both
 * halves one after the other (the cluster takes one rollout at a time).
 */

/** The dialog's target choice: one target, or both halves of a mixed cluster. */
export type TargetChoice = RolloutTarget | 'both';

/** The targets a cluster offers, and which one the dialog starts from. */
export interface TargetOptions {
  /** Whether the dialog asks (the cluster has Managed Instances); else no target is sent. */
  asks: boolean;
  /** The cluster has instances a DAEMON service serves (EC2, ECS Anywhere). */
  daemonService: boolean;
  /** The cluster has Managed Instances capacity. */
  managedDaemon: boolean;
  initial?: TargetChoice;
}

/**
 * A cluster without Managed Instances: no question (the DAEMON service, as ever). Only Managed
 * Instances: the managed daemon. Both: both halves, each with its own target.
 */
export function targetOptionsOf(details?: ClusterDetails): TargetOptions {
  const managedDaemon = !!details && hasManagedInstances(details);
  const daemonService = !details || hasDaemonServiceCapacity(details);
  if (!managedDaemon) return { asks: false, daemonService, managedDaemon };
  return {
    asks: true,
    daemonService,
    managedDaemon,
    initial: daemonService ? 'both' : 'managed-daemon',
  };
}

/** The rollouts a choice stands for, in the order they run (undefined: the server chooses). */
export function targetsOf(
  choice?: TargetChoice,
): Array<RolloutTarget | undefined> {
  if (choice === 'both') return ['daemon-service', 'managed-daemon'];
  return [choice];
}

/** The words of each target, for the choice, the preview and the progress. */
export const TARGET_LABELS: Record<RolloutTarget, string> = {
  'daemon-service': 'EC2 / ECS Anywhere instances — DAEMON service',
  'managed-daemon': 'Managed Instances — managed daemon',
};

/** Each target in a few words: "the DAEMON service", "the managed daemon". */
export const TARGET_NAMES: Record<RolloutTarget, string> = {
  'daemon-service': 'the DAEMON service',
  'managed-daemon': 'the managed daemon',
};

/** A managed daemon's options as typed. */
export interface ManagedDaemonFormState {
  critical: boolean;
  drainPercent: string;
  bakeTimeInMinutes: string;
}

/** The target part of the form. */
export interface TargetFormState {
  target?: TargetChoice;
  managedDaemon: ManagedDaemonFormState;
}

/**
 * The target the cluster calls for, and the documented defaults of a managed daemon's deployment
 * (critical, drain 25%, no bake time); an existing daemon's criticality is kept.
 */
export function initialTargetForm(details?: ClusterDetails): TargetFormState {
  const existing = details?.managedDaemons?.find(d => d.status === 'ACTIVE');
  const defaults = DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS;
  return {
    target: targetOptionsOf(details).initial,
    managedDaemon: {
      critical: existing?.critical ?? defaults.critical,
      drainPercent: String(defaults.drainPercent),
      bakeTimeInMinutes: String(defaults.bakeTimeInMinutes),
    },
  };
}

const numberOf = (text: string) =>
  text.trim() === '' ? Number.NaN : Number(text.trim());

/** The errors of a managed daemon's options, in words, checked against the API's limits. */
export function managedDaemonErrors(state: ManagedDaemonFormState): {
  drainPercent?: string;
  bakeTimeInMinutes?: string;
} {
  const drain = numberOf(state.drainPercent);
  const bake = numberOf(state.bakeTimeInMinutes);
  const errors: { drainPercent?: string; bakeTimeInMinutes?: string } = {};
  if (
    !Number.isFinite(drain) ||
    drain < DRAIN_PERCENT_LIMITS.min ||
    drain > DRAIN_PERCENT_LIMITS.max
  ) {
    errors.drainPercent = `A percentage from ${DRAIN_PERCENT_LIMITS.min} to ${DRAIN_PERCENT_LIMITS.max}`;
  }
  if (
    !Number.isInteger(bake) ||
    bake < BAKE_TIME_LIMITS.min ||
    bake > BAKE_TIME_LIMITS.max
  ) {
    errors.bakeTimeInMinutes = `Whole minutes from ${BAKE_TIME_LIMITS.min} to ${BAKE_TIME_LIMITS.max}`;
  }
  return errors;
}

/** The options a request sends (the form's, once valid). */
export function managedDaemonOptionsOf(
  state: ManagedDaemonFormState,
): ManagedDaemonRolloutOptions {
  return {
    critical: state.critical,
    drainPercent: numberOf(state.drainPercent),
    bakeTimeInMinutes: numberOf(state.bakeTimeInMinutes),
  };
}

/** The instances a target deploys to: the Managed Instances, or the others. */
export function instancesOfTarget(
  instances: InstanceCoverage[],
  target?: RolloutTarget,
): InstanceCoverage[] {
  return target === 'managed-daemon'
    ? instances.filter(isManagedInstance)
    : instances.filter(i => !isManagedInstance(i));
}
