import { EcsTaskDefinition } from '../ecsTypes';
import { DatadogSite } from '../features/datadogDefaults';
import { TaskDefinitionChange } from '../rendering/diff';
import {
  AgentFeatureToggles,
  ResolvedRenderOptions,
} from '../rendering/options';
import {
  ManagedDaemonDeployment,
  ManagedDaemonPreview,
  ManagedDaemonRolloutOptions,
  ResolvedManagedDaemonRolloutOptions,
  RolloutTarget,
} from './managedDaemons';
import { ClusterRef, CoverageState } from './types';

/**
 * What a rollout deploys, as the browser (or an action) asks for it. The API key is never part of
 * it: the backend takes it from `datadogEcs.rollout.apiKeys` for the cluster's account.
 *
 * @public
 */
export interface RolloutRequest {
  /** Overrides the variant chosen from the cluster's instances (`variantFromInstances`). */
  variant?: ResolvedRenderOptions['variant'];
  /** Overrides the ECS Anywhere choice made from the instances. */
  external?: boolean;
  /** Feature toggles; those left out are off. */
  features?: Partial<AgentFeatureToggles>;
  /** `DD_SITE`; defaults to `datadogEcs.site`. */
  site?: DatadogSite;
  /** `DD_TAGS` entries, each `key:value`. */
  tags?: string[];
  /** The Agent image tag; defaults to `datadogEcs.rollout.imageTag`. */
  imageTag?: string;
  /**
   * A DAEMON service (`daemon-service`) or a managed daemon (`managed-daemon`, for the Managed
   * Instances capacity providers); chosen from the cluster's capacity when absent. A cluster with
   * both rolls out each half on its own.
   */
  target?: RolloutTarget;
  /** For the managed-daemon target: criticality, drain percent and bake time (defaults documented). */
  managedDaemon?: ManagedDaemonRolloutOptions;
  /**
   * The catalog entity the rollout is started from (a service page), e.g. `component:default/payments`.
   * With it the entity permission is checked (owners may roll out) and the entity's annotations must
   * point at the cluster; without it the portal-wide cluster permission is checked.
   */
  entityRef?: string;
}

/**
 * The body of `POST …/rollouts`.
 *
 * @public
 */
export interface StartRolloutRequest extends RolloutRequest {
  /**
   * Idempotency key: the same token for the same cluster returns the rollout it started (200)
   * instead of starting another one.
   */
  clientToken?: string;
}

/**
 * An ECS write call a rollout makes.
 *
 * @public
 */
export type RolloutOperation =
  | 'RegisterTaskDefinition'
  | 'CreateService'
  | 'UpdateService'
  | 'RegisterDaemonTaskDefinition'
  | 'CreateDaemon'
  | 'UpdateDaemon';

/**
 * One planned ECS write call, in words.
 *
 * @public
 */
export interface RolloutCall {
  operation: RolloutOperation;
  summary: string;
}

/**
 * The Agent daemon a cluster runs now, as a preview shows it.
 *
 * @public
 */
export interface RolloutCurrentDaemon {
  serviceName: string;
  /** `family:revision`. */
  revision: string;
  taskDefinitionArn: string;
  features: AgentFeatureToggles;
  /** For a managed daemon, its ARN (`serviceName` is then the daemon's name). */
  daemonArn?: string;
}

/**
 * `POST …/rollouts/preview`: what a rollout would do, without doing it.
 *
 * @public
 */
export interface RolloutPreview {
  cluster: ClusterRef;
  variant: ResolvedRenderOptions['variant'];
  external: boolean;
  /** Where the variant came from: the request or the cluster's instances. */
  variantSource: 'request' | 'instances';
  /** Things to know before rolling out (mixed fleet, plaintext API key, …). */
  warnings: string[];
  /** The rendered definition, API key masked. */
  taskDefinition: EcsTaskDefinition;
  /** Changes from the current daemon definition (from the snapshot), API key masked. */
  diff: TaskDefinitionChange[];
  /** False when the family's latest revision already is the rendered definition. */
  registerNeeded: boolean;
  /** `family:revision` of the family's latest ACTIVE revision, if any. */
  latestRevision?: string;
  /** The ECS write calls the rollout would make, in order. */
  calls: RolloutCall[];
  instancesAffected: Array<{
    instanceId: string;
    containerInstanceArn: string;
    state: CoverageState;
  }>;
  current?: RolloutCurrentDaemon;
  serviceName: string;
  /** What the rollout deploys (`daemon-service` when absent, from older backends). */
  target?: RolloutTarget;
  /**
   * For the managed-daemon target: the daemon (created or updated), its options, and how ECS
   * replaces the instances (N instances in batches of drainPercent, the bake time).
   */
  managedDaemon?: ManagedDaemonPreview;
  /** The image the Agent would run. */
  image: string;
  /** Whether rollouts are switched on (`datadogEcs.rollout.enabled`). */
  rolloutEnabled: boolean;
  /**
   * Why a rollout would be refused now, as far as the snapshot shows: `service-draining` (a service
   * of that name is DRAINING; ECS cannot create it again until it is INACTIVE). Starting checks ECS
   * again.
   */
  blocked?: { reason: RolloutBlockReason; message: string };
  /**
   * A preview makes no AWS call: it is computed from the inventory snapshot, this old. Starting the
   * rollout reads ECS again before writing.
   */
  basedOn: {
    /** When the cluster's snapshot was taken. */
    snapshotTakenAt: string;
    ageSeconds: number;
    /** When the family's latest revision was read, if it was. */
    latestRevisionReadAt?: string;
  };
}

/**
 * Why a rollout cannot start now (a preview's `blocked.reason`, a 409's `error.reason`).
 *
 * @public
 */
export type RolloutBlockReason = 'service-draining';

/**
 * `pending`: recorded, its deployment not started yet; `in-progress`: the deployment runs; then
 * `completed`, `failed` or `cancelled` (`POST /rollouts/:id/cancel`).
 *
 * @public
 */
export type RolloutStatus =
  | 'pending'
  | 'in-progress'
  | 'completed'
  | 'failed'
  | 'cancelled';

/**
 * A rollout of a new definition, or a rollback to the revision a rollout replaced.
 *
 * @public
 */
export type RolloutKind = 'rollout' | 'rollback';

/**
 * Why a rollout failed.
 *
 * @public
 */
export type RolloutFailureKind =
  | 'circuit-breaker'
  | 'image-pull'
  | 'timeout'
  | 'aws-error'
  | 'superseded'
  | 'unknown';

/**
 * Per instance, how far the new revision got.
 *
 * - `waiting`: no task of the new revision yet (the old one may still run);
 * - `pending`: a new-revision task is starting (or running, its health check not yet passed);
 * - `running`: running, without a health check to pass;
 * - `healthy`: running and healthy;
 * - `failed`: the latest new-revision task stopped (see `reason`);
 * - `skipped`: the instance is draining or its ECS agent is disconnected: ECS places nothing there.
 *
 * @public
 */
export type RolloutInstanceState =
  | 'waiting'
  | 'pending'
  | 'running'
  | 'healthy'
  | 'failed'
  | 'skipped';

/**
 * One container instance in a rollout.
 *
 * @public
 */
export interface RolloutInstanceProgress {
  containerInstanceArn: string;
  instanceId: string;
  state: RolloutInstanceState;
  /** The new revision's task on this instance. */
  taskArn?: string;
  /** The task's lastStatus / healthStatus. */
  lastStatus?: string;
  healthStatus?: string;
  /** Whether no task of another revision of the service still runs here. */
  oldRevisionStopped: boolean;
  /** Why the new task stopped, verbatim from ECS (e.g. CannotPullContainerError: …). */
  reason?: string;
}

/**
 * A service event seen while following the rollout.
 *
 * @public
 */
export interface RolloutEvent {
  id: string;
  createdAt: string;
  message: string;
}

/**
 * The ECS deployment a rollout follows: the service's deployment (`DescribeServices`) and the
 * service deployment ECS keeps for it (`DescribeServiceDeployments`: its lifecycle, the circuit
 * breaker, a rollback).
 *
 * @public
 */
export interface RolloutDeployment {
  id?: string;
  /** ECS's rolloutState of the deployment: IN_PROGRESS, COMPLETED or FAILED. */
  rolloutState?: string;
  rolloutStateReason?: string;
  /** PRIMARY or ACTIVE. */
  status?: string;
  /** The service deployment's ARN (the service's `currentServiceDeployment` after the write). */
  serviceDeploymentArn?: string;
  /**
   * The service deployment's status: PENDING, IN_PROGRESS, SUCCESSFUL, STOP_REQUESTED, STOPPED,
   * ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED.
   */
  serviceDeploymentStatus?: string;
  serviceDeploymentStatusReason?: string;
  /** For a managed daemon, the daemon deployment it follows (`DescribeDaemonDeployments`). */
  daemonDeployment?: ManagedDaemonDeployment;
  /** The deployment circuit breaker: MONITORING, TRIGGERED, MONITORING_COMPLETE or DISABLED. */
  circuitBreaker?: {
    status?: string;
    failureCount?: number;
    threshold?: number;
  };
  /** A rollback ECS started (circuit breaker, or a stop with rollback). */
  rollback?: { reason?: string; startedAt?: string };
}

/**
 * The options a rollout rendered (never the API key).
 *
 * @public
 */
export interface RolloutOptions {
  variant: ResolvedRenderOptions['variant'];
  external: boolean;
  features: AgentFeatureToggles;
  site: string;
  tags?: string[];
  imageTag: string;
  /** `daemon-service` when absent (older rollouts). */
  target?: RolloutTarget;
  /** The managed daemon's deployment options (the managed-daemon target). */
  managedDaemon?: ResolvedManagedDaemonRolloutOptions;
}

/**
 * A rollout as history lists it.
 *
 * @public
 */
export interface RolloutSummary {
  id: string;
  kind: RolloutKind;
  /** For a rollback: the rollout it undoes. */
  rollbackOf?: string;
  /** The rollback that undid this rollout, if any. */
  rolledBackBy?: string;
  cluster: ClusterRef;
  status: RolloutStatus;
  /** The user (or service) entity ref that started it. */
  createdBy: string;
  /** Where it was started: a catalog entity's page, or the portal's cluster page (or an action). */
  source: 'entity' | 'portal';
  entityRef?: string;
  createdAt: string;
  finishedAt?: string;
  durationSeconds?: number;
  serviceName: string;
  /** `daemon-service` when absent (older rollouts). */
  target?: RolloutTarget;
  /** For a managed daemon, its ARN (`serviceName` is the daemon's name). */
  daemonArn?: string;
  /** True when the rollout created the daemon service or the managed daemon (nothing to roll back to). */
  createdService: boolean;
  /** `family:revision` before and after. */
  oldRevision?: string;
  oldTaskDefinitionArn?: string;
  newRevision?: string;
  newTaskDefinitionArn?: string;
  /** Whether a new revision was registered (false when the latest already matched). */
  registered: boolean;
  options?: RolloutOptions;
  features?: AgentFeatureToggles;
  deployment?: RolloutDeployment;
  failureKind?: RolloutFailureKind;
  failureReason?: string;
  /**
   * A remark on the outcome (instances skipped because they are draining or disconnected, a
   * cancellation), or, while it runs, on what it waits for (a DRAINING service, an AWS error retried).
   */
  note?: string;
  /** Who cancelled it (status `cancelled`). */
  cancelledBy?: string;
  /**
   * When it fails as timed out unless finished: `deploymentTimeoutMinutes` from the start, whatever
   * ECS answers meanwhile.
   */
  deadlineAt?: string;
  /** Instances with the new revision healthy (or running) / all instances followed. */
  instanceCounts: {
    total: number;
    done: number;
    failed: number;
    skipped: number;
  };
  /** Whether `POST …/rollouts/:id/rollback` is possible now. */
  canRollback: boolean;
}

/**
 * One rollout with its progress: `GET /rollouts/:id`, and the answer of `POST …/rollouts`.
 *
 * @public
 */
export interface Rollout extends RolloutSummary {
  instances: RolloutInstanceProgress[];
  /** Service events seen since the rollout started, newest first. */
  events: RolloutEvent[];
  updatedAt: string;
}

/**
 * The body of `POST /rollouts/:id/cancel`.
 *
 * @public
 */
export interface CancelRolloutRequest {
  /**
   * Also stop the ECS deployment and roll the service back to its previous revision
   * (`StopServiceDeployment`, stop type ROLLBACK). Without it the deployment goes on in ECS; the
   * portal only stops following it and frees the cluster.
   */
  rollback?: boolean;
}

/**
 * `GET …/rollouts`: a cluster's rollouts, newest first.
 *
 * @public
 */
export interface RolloutListResponse {
  rollouts: RolloutSummary[];
  /** The id of the cluster's rollout in progress, if any. */
  activeRolloutId?: string;
  /**
   * Whether rollouts are switched on (`datadogEcs.rollout.enabled`), so a UI can disable its
   * rollout button up front. Absent from older backends: treat as unknown.
   */
  rolloutEnabled?: boolean;
}
