import { EcsTaskDefinition } from '../ecsTypes';
import {
  InstanceCapacity,
  ManagedDaemonSummary,
  ManagedInstancesCapacityProvider,
} from './managedDaemons';
import {
  AmazonLinuxGenerationSource,
  FeatureResult,
  FeatureState,
  Finding,
  FindingSeverity,
} from '../features/types';

/**
 * Whether the Datadog Agent daemon runs on one container instance.
 *
 * - `covered`: an Agent task is RUNNING (and HEALTHY where the definition has a health check);
 * - `pending`: an Agent task is on its way (PROVISIONING / PENDING / ACTIVATING, or RUNNING with
 *   health still UNKNOWN);
 * - `unhealthy`: an Agent task runs but its health check fails;
 * - `stopped`: the latest Agent task on the instance stopped (see the reason: stoppedReason, exit code);
 * - `missing`: no Agent task on the instance;
 * - `not-applicable`: a daemon cannot run here (Fargate: the Agent runs as a sidecar).
 *
 * @public
 */
export type CoverageState =
  | 'covered'
  | 'pending'
  | 'unhealthy'
  | 'stopped'
  | 'missing'
  | 'not-applicable';

/**
 * Coverage states from best to worst; a cluster's state is the worst of its instances'.
 *
 * @public
 */
export const COVERAGE_STATES_BEST_FIRST: readonly CoverageState[] = [
  'not-applicable',
  'covered',
  'pending',
  'unhealthy',
  'stopped',
  'missing',
];

/**
 * Why an instance is not covered, as far as ECS tells.
 *
 * @public
 */
export type CoverageReasonCode =
  | 'insufficient-memory'
  | 'insufficient-cpu'
  | 'port-in-use'
  | 'placement-failed'
  | 'agent-disconnected'
  | 'draining'
  | 'os-mismatch'
  | 'no-agent-daemon'
  | 'task-stopped'
  | 'task-starting'
  | 'health-check-failing'
  | 'outdated-revision'
  | 'health-unknown'
  | 'health-not-checked'
  | 'fargate'
  | 'no-managed-daemon'
  | 'without-daemon'
  | 'instance-replaced';

/**
 * A reason in words, with the ECS evidence it was read from.
 *
 * @public
 */
export interface CoverageReason {
  code: CoverageReasonCode;
  /** Plain English, for people. */
  message: string;
  /** The ECS text it was read from (a service event, a stoppedReason), verbatim. */
  evidence?: string;
}

/**
 * The Agent task found on a container instance.
 *
 * @public
 */
export interface AgentTaskSummary {
  taskArn: string;
  lastStatus: string;
  desiredStatus: string;
  healthStatus?: string;
  taskDefinitionArn: string;
  /** `family:revision`. */
  revision: string;
  serviceName?: string;
  startedAt?: string;
  stoppedAt?: string;
  stoppedReason?: string;
  /** The Agent container's exit code, for stopped tasks. */
  exitCode?: number;
  /** Runs the Agent service's current (PRIMARY) revision. */
  upToDate: boolean;
}

/**
 * One container instance and its Agent coverage.
 *
 * @public
 */
export interface InstanceCoverage {
  containerInstanceArn: string;
  /** The EC2 instance id, or the `mi-` id of an ECS Anywhere instance. */
  instanceId: string;
  instanceType?: string;
  availabilityZone?: string;
  os: 'linux' | 'windows' | 'unknown';
  /** `ecs.os-family`, e.g. LINUX or WINDOWS_SERVER_2022_CORE. */
  osFamily?: string;
  /** Amazon Linux 1, 2 or 2023, when known (see `amazonLinuxGenerationSource`). */
  amazonLinuxGeneration?: 1 | 2 | 2023;
  /**
   * Where the generation comes from: the AMI's name, the `datadog.amazon-linux-generation`
   * attribute, or `unknown` (custom AMI, AMI not readable). Absent where no generation applies
   * (Windows, ECS Anywhere) and in snapshots stored before it was recorded.
   */
  amazonLinuxGenerationSource?: AmazonLinuxGenerationSource;
  /** The instance's AMI (`ecs.ami-id`). */
  amiId?: string;
  /** The AMI's name, when EC2 DescribeImages could read it (Linux EC2 instances). */
  amiName?: string;
  external: boolean;
  /** ACTIVE or DRAINING. */
  status: string;
  agentConnected: boolean;
  /**
   * The capacity the instance belongs to (EC2 Auto Scaling, Managed Instances, ECS Anywhere), which
   * decides whether a DAEMON service or a managed daemon brings the Agent there. Absent in snapshots
   * stored before it was recorded.
   */
  capacity?: InstanceCapacity;
  state: CoverageState;
  reason?: CoverageReason;
  agentTask?: AgentTaskSummary;
}

/**
 * A service that runs the Datadog Agent on a cluster.
 *
 * @public
 */
export interface AgentServiceSummary {
  serviceArn: string;
  serviceName: string;
  schedulingStrategy: 'DAEMON' | 'REPLICA' | string;
  launchType?: string;
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** The PRIMARY deployment's task definition. */
  taskDefinitionArn: string;
  /** The PRIMARY deployment's rollout state, when ECS reports one. */
  rolloutState?: string;
}

/**
 * The Agent service's ECS events that the guide says are worth surfacing.
 *
 * @public
 */
export interface AgentEvent {
  id: string;
  createdAt: string;
  message: string;
  serviceName: string;
  /** The guide's keywords the message matched (drain, error, fail, insufficient memory, …). */
  keywords: string[];
}

/**
 * Counts behind a cluster's coverage.
 *
 * @public
 */
export interface CoverageCounts {
  /** Container instances that should run the Agent (ACTIVE and DRAINING EC2/EXTERNAL instances). */
  instances: number;
  /** Agent tasks the daemon service(s) want (ECS's desiredCount). */
  desired: number;
  running: number;
  healthy: number;
  /** Instances whose Agent task runs the current revision. */
  upToDate: number;
  covered: number;
  pending: number;
  unhealthy: number;
  stopped: number;
  missing: number;
}

/**
 * An error kept as data: a location whose credentials fail or a cluster whose calls fail still
 * shows, with its error, while everything else is served.
 *
 * @public
 */
export interface InventoryError {
  kind:
    | 'credentials'
    | 'access-denied'
    | 'throttled'
    | 'not-found'
    | 'network'
    | 'invalid-config'
    | 'unknown';
  /** The AWS error name, e.g. UnrecognizedClientException. */
  name?: string;
  message: string;
  at: string;
  /** The entries of a Describe call's `failures[]` behind this error. */
  failures?: EcsFailure[];
}

/**
 * One entry of an ECS Describe call's `failures[]`: what could not be described, and why.
 *
 * @public
 */
export interface EcsFailure {
  /** The ARN or name ECS could not describe. */
  arn?: string;
  /** ECS's reason, e.g. MISSING. */
  reason: string;
  detail?: string;
}

/**
 * The identity of a cluster in the API: account, region, name.
 *
 * @public
 */
export interface ClusterRef {
  accountId: string;
  region: string;
  clusterName: string;
}

/**
 * A feature as a cluster card shows it.
 *
 * @public
 */
export interface FeatureChip {
  id: FeatureResult['id'];
  title: string;
  state: FeatureState;
  /** The most severe finding's title, for a tooltip. */
  topFinding?: string;
  findingCount: number;
}

/**
 * How the Agent's tasks get onto a cluster's instances: a DAEMON service (the documented way on EC2), a
 * managed daemon (the documented way on ECS Managed Instances), another service (REPLICA, e.g. with
 * a distinctInstance constraint), standalone tasks (StartTask from user data, another scheduler),
 * several of these (a cluster with both EC2 and Managed Instances capacity runs a DAEMON service and
 * a managed daemon: `mixed`), or none at all.
 *
 * @public
 */
export type AgentSchedulingMode =
  | 'daemon-service'
  | 'managed-daemon'
  | 'other-service'
  | 'standalone-tasks'
  | 'mixed'
  | 'none';

/**
 * How the Agent is scheduled on a cluster, from its services and the tasks actually running.
 *
 * @public
 */
export interface AgentScheduling {
  mode: AgentSchedulingMode;
  /** Names of the DAEMON services that run the Agent. */
  daemonServices: string[];
  /** Names of the managed daemons that run the Agent (absent in older snapshots). */
  managedDaemons?: string[];
  /** Names of the other (REPLICA) services that run the Agent. */
  otherServices: string[];
  /** Agent tasks running or starting that no service started. */
  standaloneTasks: number;
  /** The distinct `startedBy` of those tasks (e.g. the user data's tag), at most 10. */
  startedBy: string[];
}

/**
 * `POST /services/lookup`: the ECS service ARNs to confirm against the inventory.
 *
 * @public
 */
export interface ServiceLookupRequest {
  serviceArns: string[];
}

/**
 * Whether the inventory has one service, and where.
 *
 * @public
 */
export interface ServiceLookupResult {
  serviceArn: string;
  found: boolean;
  accountId?: string;
  region?: string;
  clusterName?: string;
  clusterArn?: string;
  /** Why it was not found. */
  reason?: string;
}

/**
 * `POST /services/lookup`'s answer: one result per ARN, in the request's order.
 *
 * @public
 */
export interface ServiceLookupResponse {
  services: ServiceLookupResult[];
  snapshotTakenAt?: string;
}

/**
 * One cluster card: `GET /clusters`.
 *
 * @public
 */
export interface ClusterSummary extends ClusterRef {
  clusterArn: string;
  /** The location's display name from config. */
  locationName?: string;
  /**
   * The owner's entity ref (`group:default/payments`): from the cluster's owner tag, else the
   * configured default. Platform data, never a service's annotation.
   */
  owner?: string;
  /** Where the owner came from. */
  ownerSource?: 'tag' | 'config';
  /** The system's entity ref, from the cluster's system tag. */
  system?: string;
  status?: string;
  /** The worst of the instances' states (`not-applicable` for Fargate-only clusters). */
  state: CoverageState;
  counts: CoverageCounts;
  /** covered / instances × 100, rounded down to an integer; null when there are no instances. */
  coveragePercent: number | null;
  fargateOnly: boolean;
  /**
   * Linux EC2 instances whose Amazon Linux generation is unknown (custom AMI, AMI not readable): a
   * rollout assumes Amazon Linux 2 / 2023 for them unless told otherwise. Absent in snapshots
   * stored before it was recorded.
   */
  amazonLinuxGenerationUnknown?: number;
  agentServices: AgentServiceSummary[];
  /** `family:revision` of every Agent task running. */
  agentRevisions: string[];
  /** The Agent daemon's current (PRIMARY) revision, when there is one daemon. */
  currentRevision?: string;
  /** How the Agent is scheduled (absent in snapshots stored before it was recorded). */
  agentScheduling?: AgentScheduling;
  /**
   * The cluster's ECS Managed Daemons that run the Agent, on its Managed Instances capacity
   * providers. Absent in older snapshots and on clusters without Managed Instances.
   */
  managedDaemons?: ManagedDaemonSummary[];
  /**
   * The cluster's ECS Managed Instances capacity providers (DescribeCapacityProviders: type
   * MANAGED_INSTANCES), which only a managed daemon serves. Absent in older snapshots and on clusters
   * without them.
   */
  managedInstancesCapacityProviders?: ManagedInstancesCapacityProvider[];
  /**
   * `family:revision` whose features and findings the cluster shows: the Agent definition running
   * on the most instances, else the daemon's current one.
   */
  featureRevision?: string;
  outdatedInstances: number;
  features: FeatureChip[];
  findingCounts: Record<FindingSeverity, number>;
  refreshedAt: string;
  error?: InventoryError;
}

/**
 * One point of a cluster's coverage history.
 *
 * @public
 */
export interface CoveragePoint {
  at: string;
  instances: number;
  covered: number;
  coveragePercent: number | null;
}

/**
 * The full view of one cluster: `GET /clusters/:account/:region/:cluster`.
 *
 * @public
 */
export interface ClusterDetails extends ClusterSummary {
  instances: InstanceCoverage[];
  /** Every feature of the Agent daemon's current definition, with explanations and findings. */
  featureResults: FeatureResult[];
  /** All findings: the definition's and the cluster's (several daemons, REPLICA agent, …). */
  findings: Finding[];
  events: AgentEvent[];
  /** The Agent task definitions in use (current first). */
  taskDefinitions: EcsTaskDefinition[];
  history: CoveragePoint[];
}

/**
 * How one configured account-region fared in the latest refresh.
 *
 * @public
 */
export interface LocationStatus {
  accountId: string;
  region: string;
  name?: string;
  clusterCount: number;
  refreshedAt?: string;
  error?: InventoryError;
}

/**
 * The state of the inventory refresh.
 *
 * @public
 */
export interface RefreshStatus {
  running: boolean;
  startedAt?: string;
  finishedAt?: string;
  /** Locations done / total while running. */
  progress?: { done: number; total: number };
  /** The earliest time `POST /refresh` will start a new one. */
  nextAllowedAt?: string;
}

/**
 * `GET /clusters`.
 *
 * @public
 */
export interface ClustersResponse {
  clusters: ClusterSummary[];
  locations: LocationStatus[];
  /** When the snapshot served was taken (the latest finished refresh); absent before the first. */
  snapshotTakenAt?: string;
  refresh: RefreshStatus;
  /** Fleet totals over the clusters returned. */
  totals: { clusters: number; instances: number; covered: number; coveragePercent: number | null };
}

/**
 * A cluster as seen from one catalog entity.
 *
 * @public
 */
export interface EntityClusterCoverage {
  cluster: ClusterSummary;
  /** The entity's ECS services on this cluster (from its annotation). */
  services: EntityServiceCoverage[];
}

/**
 * An entity's ECS service and whether the instances its tasks run on are covered.
 *
 * @public
 */
export interface EntityServiceCoverage {
  serviceArn: string;
  serviceName: string;
  found: boolean;
  launchType?: string;
  /** Container instances running this service's tasks. */
  instances: Array<{ instanceId: string; containerInstanceArn: string; state: CoverageState }>;
  /** Tasks on an uncovered instance / all of its tasks on instances. */
  uncoveredTasks: number;
  tasks: number;
  /** Findings on the service's own task definition (log driver, DD_AGENT_HOST, network mode). */
  findings: Finding[];
  taskDefinitionArn?: string;
}

/**
 * `GET /entity/:namespace/:kind/:name`.
 *
 * @public
 */
export interface EntityCoverageResponse {
  entityRef: string;
  clusters: EntityClusterCoverage[];
  /** ARNs from the annotations that match no configured location or no cluster in the snapshot. */
  unmatched: Array<{ arn: string; reason: string }>;
  snapshotTakenAt?: string;
}
