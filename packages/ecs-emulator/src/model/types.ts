/* Internal state model. Timestamps are epoch milliseconds (simulated clock). */

/**
 * A JSON object as the ECS API and the control API exchange it.
 *
 * @public
 */
export type Json = Record<string, any>;

/**
 * A resource tag as the ECS API writes it.
 *
 * @public
 */
export interface Tag {
  key: string;
  value: string;
}

export interface Attribute {
  name: string;
  value?: string;
}

export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  registeredAt: number;
  /** The task definition as ECS returns it (wire JSON without timestamps). */
  body: Json;
  tags: Tag[];
  /** Derived: CPU units and MiB reserved on a container instance. */
  cpu: number;
  memory: number;
  /** Derived: host ports used (tcp / udp) when placed on an instance. */
  tcpPorts: number[];
  udpPorts: number[];
  osFamily: string; // LINUX or WINDOWS_SERVER_*
  compatibilities: string[];
  requiresAttributes: string[];
  hasHealthCheck: boolean;
}

export interface ContainerInstance {
  arn: string;
  id: string;
  clusterName: string;
  ec2InstanceId?: string;
  external: boolean;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  agentConnected: boolean;
  attributes: Attribute[];
  /** name → value ('' for attributes without a value). */
  attrMap: Map<string, string>;
  versionInfo: {
    agentVersion: string;
    agentHash: string;
    dockerVersion: string;
  };
  cpu: number;
  memory: number;
  reservedTcpPorts: string[];
  reservedUdpPorts: string[];
  registeredAt: number;
  capacityProviderName?: string;
  /** An Amazon ECS Managed Instances instance (its capacity provider's; only daemons' tasks run there). */
  managedInstances?: boolean;
  availabilityZone?: string;
  tags: Tag[];
  version: number;
  /** Non-STOPPED tasks placed on this instance. */
  tasks: Set<Task>;
}

export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'STOPPED';

export interface Container {
  arn: string;
  name: string;
  image: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  healthStatus?: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
  essential: boolean;
  cpu: number;
  memory?: number;
  memoryReservation?: number;
  networkBindings: Json[];
  runtimeId?: string;
}

export interface Task {
  arn: string;
  id: string;
  clusterName: string;
  taskDefinition: TaskDefinition;
  containerInstance?: ContainerInstance;
  launchType: 'EC2' | 'EXTERNAL' | 'FARGATE' | 'MANAGED_INSTANCES';
  group: string;
  startedBy?: string;
  serviceName?: string;
  deploymentId?: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  connectivityAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  /** Set when the task is bound to fail while pulling its image. */
  pullFailure?: string;
  everRunning: boolean;
  /** Simulated time of the next lifecycle transition. */
  nextTransitionAt: number;
  containers: Container[];
  availabilityZone?: string;
  tags: Tag[];
  /** RunTask / StartTask `overrides` (containerOverrides, taskRoleArn, …). */
  overrides?: Json;
  version: number;
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface Deployment {
  id: string; // ecs-svc/NNN
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: TaskDefinition;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  launchType?: string;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  serviceRevisionArn: string;
  serviceDeployment: ServiceDeploymentRecord;
  /** Circuit breaker stopped the deployment from launching more tasks. */
  stalled: boolean;
  /** Set while this (previously COMPLETED) deployment is the target of a rollback. */
  rollbackFor?: ServiceDeploymentRecord;
  anyTaskRunning: boolean;
}

export interface ServiceDeploymentRecord {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  status:
    | 'PENDING'
    | 'SUCCESSFUL'
    | 'STOPPED'
    | 'STOP_REQUESTED'
    | 'IN_PROGRESS'
    | 'ROLLBACK_REQUESTED'
    | 'ROLLBACK_IN_PROGRESS'
    | 'ROLLBACK_SUCCESSFUL'
    | 'ROLLBACK_FAILED';
  statusReason?: string;
  sourceRevisions: Array<{ arn: string; deployment: Deployment }>;
  target: Deployment;
  deploymentConfiguration: Json;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  circuitBreakerStatus:
    | 'TRIGGERED'
    | 'MONITORING'
    | 'MONITORING_COMPLETE'
    | 'DISABLED';
}

export interface Service {
  arn: string;
  name: string;
  clusterName: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  schedulingStrategy: 'REPLICA' | 'DAEMON';
  launchType?: 'EC2' | 'EXTERNAL' | 'FARGATE' | 'MANAGED_INSTANCES';
  capacityProviderStrategy?: Json[];
  platformVersion?: string;
  desiredCount: number;
  taskDefinition: TaskDefinition;
  deploymentConfiguration: Json;
  networkConfiguration?: Json;
  placementConstraints: Json[];
  placementStrategy: Json[];
  loadBalancers: Json[];
  serviceRegistries: Json[];
  healthCheckGracePeriodSeconds?: number;
  propagateTags?: string;
  enableECSManagedTags: boolean;
  enableExecuteCommand: boolean;
  roleArn?: string;
  deployments: Deployment[];
  /** Every deployment ever started, oldest first. */
  deploymentHistory: Deployment[];
  /** Non-STOPPED tasks of this service. */
  tasks: Set<Task>;
  allServiceDeployments: ServiceDeploymentRecord[];
  events: ServiceEvent[];
  createdAt: number;
  createdBy: string;
  tags: Tag[];
  clientToken?: string;
  /** Canonical JSON of the CreateService request (idempotency check). */
  createRequestKey: string;
  steady: boolean;
  /** When DeleteService was called (the service is DRAINING, then INACTIVE). */
  deletedAt?: number;
  /** When the service became INACTIVE. */
  inactiveAt?: number;
  /** instance ARN -> reason key of the last recorded placement failure. */
  placementFailures: Map<string, string>;
  lastPlacementFailureKey?: string;
}

export interface Cluster {
  arn: string;
  name: string;
  accountId: string;
  region: string;
  status: 'ACTIVE';
  tags: Tag[];
  settings: Array<{ name: string; value: string }>;
  instances: Map<string, ContainerInstance>; // by id
  services: Map<string, Service>; // by name
  tasks: Map<string, Task>; // by id, including STOPPED ones
  /** Non-STOPPED tasks. */
  live: Set<Task>;
  /** Image patterns (glob with *) that cannot be pulled in this cluster. */
  unpullableImages: string[];
  unpullableReason?: string;
  /**
   * The counts DescribeClusters reports, as the scheduler last computed them (every
   * `Timings.clusterCountsIntervalMs` of simulated time, as ECS computes them asynchronously);
   * undefined when counts are live.
   */
  publishedCounts?: PublishedClusterCounts;
}

/** A cluster's counts as of `at` (epoch ms). */
export interface PublishedClusterCounts {
  at: number;
  registered: number;
  runningEC2: number;
  pendingEC2: number;
  runningFargate: number;
  pendingFargate: number;
  runningExternal: number;
  pendingExternal: number;
  activeEC2: number;
  activeFargate: number;
  activeExternal: number;
  drainingEC2: number;
  drainingFargate: number;
  drainingExternal: number;
}

export interface RegionState {
  accountId: string;
  region: string;
  clusters: Map<string, Cluster>;
  taskDefinitions: Map<string, TaskDefinition[]>; // by family, index = revision-1
}
