/*
 * The DTOs of ECS Managed Instances and the Agent as an ECS Managed Daemon: which capacity each
 * container instance belongs to, the managed daemons a cluster runs (DescribeDaemon,
 * DescribeDaemonRevisions, DescribeDaemonDeployments), a managed daemon's rollout options and the
 * preview of its deployment. Field names follow the ECS API's where they mirror it.
 */
import type { RenderTarget } from '../rendering/options';

/**
 * The capacity a container instance belongs to, which decides how the Agent gets there:
 *
 * - `ec2-asg`: EC2, through an Auto Scaling group capacity provider or registered by itself (a DAEMON
 *   service schedules the Agent);
 * - `managed-instances`: an ECS Managed Instances capacity provider (only a managed daemon does: a
 *   DAEMON service does not serve Managed Instances);
 * - `external`: ECS Anywhere (a DAEMON service);
 * - `unknown`: the inventory could not tell (the capacity provider was not described).
 *
 * @public
 */
export type CapacityKind =
  | 'ec2-asg'
  | 'managed-instances'
  | 'external'
  | 'unknown';

/**
 * The capacity a container instance belongs to (`InstanceCoverage.capacity`).
 *
 * @public
 */
export interface InstanceCapacity {
  kind: CapacityKind;
  /** The container instance's `capacityProviderName`, when it has one. */
  capacityProviderName?: string;
}

/**
 * One of a cluster's ECS Managed Instances capacity providers
 * (`ClusterSummary.managedInstancesCapacityProviders`).
 *
 * @public
 */
export interface ManagedInstancesCapacityProvider {
  name: string;
  arn?: string;
  /** ACTIVE, or INACTIVE / DEPROVISIONING while it is deleted. */
  status?: string;
  /** Its container instances in the snapshot (ACTIVE and DRAINING). */
  instances: number;
}

/**
 * A daemon's status (`DaemonDetail.status`).
 *
 * @public
 */
export type ManagedDaemonStatus =
  | 'ACTIVE'
  | 'DELETE_IN_PROGRESS'
  | (string & {});

/**
 * A daemon deployment's status (`DaemonDeployment.status`): `PENDING` → `IN_PROGRESS` →
 * `SUCCESSFUL`, or `STOP_REQUESTED` / `STOPPED`, or `ROLLBACK_IN_PROGRESS` → `ROLLBACK_SUCCESSFUL` /
 * `ROLLBACK_FAILED`.
 *
 * @public
 */
export type ManagedDaemonDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOP_REQUESTED'
  | 'STOPPED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED'
  | (string & {});

/**
 * The daemon deployment statuses after which ECS changes nothing more.
 *
 * @public
 */
export const MANAGED_DAEMON_DEPLOYMENT_FINAL_STATUSES: readonly ManagedDaemonDeploymentStatus[] =
  ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

/**
 * One capacity provider of a managed daemon's current revision (`DaemonCapacityProvider`, summed
 * over the current revisions).
 *
 * @public
 */
export interface ManagedDaemonCapacityProvider {
  arn: string;
  /** The capacity provider's name (what instances name in `capacityProviderName`). */
  name: string;
  /** Daemon tasks running on its instances. */
  runningCount: number;
  /** Its instances running without the daemon task (a daemon that is not critical). */
  withoutDaemonCount: number;
}

/**
 * A daemon deployment (`DescribeDaemonDeployments`): instances drained and replaced in batches of
 * `drainPercent`, with the bake time between steps, a circuit breaker, alarms, a rollback.
 *
 * @public
 */
export interface ManagedDaemonDeployment {
  /** The `daemonDeploymentArn`. */
  arn: string;
  status: ManagedDaemonDeploymentStatus;
  statusReason?: string;
  /** The daemon revision being deployed. */
  targetDaemonRevisionArn?: string;
  /** The daemon revisions being replaced. */
  sourceDaemonRevisionArns?: string[];
  /** The deployment configuration's `drainPercent`. */
  drainPercent?: number;
  /** The deployment configuration's `bakeTimeInMinutes`. */
  bakeTimeInMinutes?: number;
  /** The target revision's instances over its capacity providers. */
  instances?: { running: number; withoutDaemon: number; draining: number };
  /** MONITORING, TRIGGERED, MONITORING_COMPLETE or DISABLED. */
  circuitBreaker?: {
    status?: string;
    failureCount?: number;
    threshold?: number;
  };
  alarms?: {
    status?: string;
    alarmNames?: string[];
    triggeredAlarmNames?: string[];
  };
  rollback?: {
    reason?: string;
    startedAt?: string;
    rollbackTargetDaemonRevisionArn?: string;
  };
  createdAt?: string;
  startedAt?: string;
  stoppedAt?: string;
  finishedAt?: string;
}

/**
 * An ECS Managed Daemon running the Agent on a cluster's Managed Instances capacity providers
 * (`ClusterSummary.managedDaemons`).
 *
 * @public
 */
export interface ManagedDaemonSummary {
  daemonArn: string;
  /** The daemon's name (the last part of its ARN). */
  daemonName: string;
  status: ManagedDaemonStatus;
  /**
   * A critical daemon whose task fails, stops or is unhealthy gets its instance drained and
   * replaced; a daemon that is not critical leaves the instance running without it. ECS's default
   * (true) when the revision does not say.
   */
  critical: boolean;
  /** `family:revision` of the current revision's daemon task definition. */
  revision?: string;
  /** The current revision's `daemonTaskDefinitionArn`. */
  taskDefinitionArn?: string;
  daemonRevisionArn?: string;
  capacityProviders: ManagedDaemonCapacityProvider[];
  /** Daemon tasks running, over the current revisions (`totalRunningCount`). */
  runningCount: number;
  /** Instances running without the daemon task (`totalWithoutDaemonCount`). */
  withoutDaemonCount: number;
  currentDeployment?: ManagedDaemonDeployment;
  createdAt?: string;
  updatedAt?: string;
}

/**
 * What a rollout deploys: a DAEMON service (EC2 and ECS Anywhere instances) or a managed daemon
 * (Managed Instances capacity providers); the render target of the same name.
 *
 * @public
 */
export type RolloutTarget = RenderTarget;

/**
 * How a managed daemon is deployed (`CreateDaemon` / `UpdateDaemon`), as a request gives it; see
 * `resolveManagedDaemonRolloutOptions` for the defaults.
 *
 * @public
 */
export interface ManagedDaemonRolloutOptions {
  /** Drain and replace an instance whose daemon task fails (ECS's default true). */
  critical?: boolean;
  /** Percentage of the instances drained and replaced at a time (0–100, default 25). */
  drainPercent?: number;
  /** Minutes to wait after each successful step (0–1440, ECS's default 0). */
  bakeTimeInMinutes?: number;
}

/**
 * {@link ManagedDaemonRolloutOptions} with the defaults applied.
 *
 * @public
 */
export interface ResolvedManagedDaemonRolloutOptions {
  critical: boolean;
  drainPercent: number;
  bakeTimeInMinutes: number;
}

/**
 * How a daemon deployment replaces the instances of the capacity providers.
 *
 * @public
 */
export interface ManagedDaemonReplacementPlan {
  /** Instances that get replaced. */
  instances: number;
  drainPercent: number;
  /** Instances drained at a time. */
  batchSize: number;
  batches: number;
  bakeTimeInMinutes: number;
  /** In words, for the preview. */
  summary: string;
}

/**
 * What a managed-daemon rollout asks of ECS (`RolloutPreview.managedDaemon`).
 *
 * @public
 */
export interface ManagedDaemonPreview {
  daemonName: string;
  /** The daemon updated; absent when it is created. */
  daemonArn?: string;
  /** `CreateDaemon` or `UpdateDaemon`. */
  action: 'create' | 'update';
  /** The Managed Instances capacity providers the daemon is for (names). */
  capacityProviders: string[];
  options: ResolvedManagedDaemonRolloutOptions;
  replacement: ManagedDaemonReplacementPlan;
}
