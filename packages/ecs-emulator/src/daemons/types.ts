/* State of capacity providers and ECS Managed Daemons. Timestamps are epoch ms (simulated clock). */

import type { InstanceSpec } from '../model/instances';
import type {
  Cluster,
  ContainerInstance,
  Json,
  Tag,
  Task,
  TaskDefinition,
} from '../model/types';

export type CapacityProviderType = 'MANAGED_INSTANCES' | 'EC2_AUTOSCALING';

export interface CapacityProvider {
  arn: string;
  name: string;
  type: CapacityProviderType;
  /** Managed Instances providers are cluster-scoped (CapacityProvider.cluster). */
  clusterName?: string;
  status: 'ACTIVE';
  updateStatus: 'CREATE_COMPLETE';
  /** The request's `managedInstancesProvider` or `autoScalingGroupProvider`, as ECS returns it. */
  provider: Json;
  tags: Tag[];
  /** How ECS launches an instance of this provider (replacements, `instances/join`). */
  instanceSpec: InstanceSpec;
}

/** A RegisterDaemonTaskDefinition revision. */
export interface DaemonTaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'DELETE_IN_PROGRESS' | 'DELETED';
  registeredAt: number;
  registeredBy: string;
  deleteRequestedAt?: number;
  /** The definition as DescribeDaemonTaskDefinition returns it (without the timestamps). */
  body: Json;
  tags: Tag[];
  /** The scheduler's view of it (resources, health check, containers) to run its tasks. */
  scheduled: TaskDefinition;
}

/** A snapshot of a daemon's configuration, taken when a deployment starts. */
export interface DaemonRevision {
  arn: string;
  daemon: Daemon;
  taskDefinition: DaemonTaskDefinition;
  createdAt: number;
  critical: boolean;
  propagateTags: 'DAEMON' | 'NONE';
  enableECSManagedTags: boolean;
  enableExecuteCommand: boolean;
}

export type DaemonDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOP_REQUESTED'
  | 'STOPPED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

/** An old instance drained by a deployment step, and the replacement ECS launched for it. */
export interface Replacement {
  old: ContainerInstance;
  /** The newest instance launched for it (a critical daemon that fails replaces it again). */
  current?: ContainerInstance;
  /** The old instance may stop its daemon task (its replacement settled, or the step ended). */
  released?: boolean;
}

export interface DaemonDeployment {
  arn: string;
  daemon: Daemon;
  kind: 'create' | 'update' | 'delete';
  status: DaemonDeploymentStatus;
  statusReason?: string;
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  finishedAt?: number;
  /** undefined for the deployment of DeleteDaemon (instances are replaced without the daemon). */
  target?: DaemonRevision;
  sources: DaemonRevision[];
  capacityProviderArns: string[];
  /** deploymentConfiguration with ECS's defaults filled in. */
  deploymentConfiguration: Json;
  /** What instances are being moved to: the target, or the rollback's target. */
  goal?: DaemonRevision;
  failureCount: number;
  /** Failures since the rollback started (a second trip fails the rollback). */
  rollbackFailures: number;
  threshold: number;
  circuitBreakerStatus:
    | 'MONITORING'
    | 'MONITORING_COMPLETE'
    | 'TRIGGERED'
    | 'DISABLED';
  rollback?: {
    reason: string;
    startedAt: number;
    target: DaemonRevision;
    capacityProviderArns: string[];
  };
  /** The revision a tripped circuit breaker rolls back to (the last one a deployment completed). */
  rollbackTo?: DaemonRevision;
  /** The instances of the step in progress. */
  step: Replacement[];
  /** No new step before this time (bakeTimeInMinutes after a step). */
  bakeUntil?: number;
  /** Counts frozen when the deployment ended. */
  finalCounts?: Json;
}

/** The daemon task (or its absence) on one instance. */
export interface DaemonPlacement {
  instance: ContainerInstance;
  revision: DaemonRevision;
  task?: Task;
  /** A non-critical daemon whose task failed: the instance runs without it. */
  withoutDaemon?: boolean;
  /** The task's failure was handled (circuit breaker, repair). */
  settled?: boolean;
}

export interface Daemon {
  arn: string;
  name: string;
  cluster: Cluster;
  status: 'ACTIVE' | 'DELETE_IN_PROGRESS';
  /** The delete deployment finished: gone from ListDaemons and DescribeDaemon. */
  deleted?: boolean;
  createdAt: number;
  updatedAt: number;
  capacityProviderArns: string[];
  deploymentConfiguration: Json;
  tags: Tag[];
  clientToken?: string;
  /** Canonical JSON of the CreateDaemon request (idempotency check). */
  requestKey: string;
  /** The revision instances run when no deployment moves them. */
  current?: DaemonRevision;
  /** The last revision a deployment completed on (what a rollback returns to). */
  stable?: DaemonRevision;
  revisions: DaemonRevision[];
  /** Oldest first. */
  deployments: DaemonDeployment[];
  placements: Map<ContainerInstance, DaemonPlacement>;
}

/** An instance ECS is launching for a Managed Instances capacity provider. */
export interface PendingLaunch {
  at: number;
  capacityProvider: CapacityProvider;
  spec: InstanceSpec;
  replacement?: Replacement;
}
