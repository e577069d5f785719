import {
  CapacityProvider,
  Cluster,
  ContainerInstance,
  CreateDaemonCommandInput,
  CreateDaemonCommandOutput,
  DaemonDeployment,
  DaemonDetail,
  DaemonRevision,
  DaemonTaskDefinition,
  RegisterDaemonTaskDefinitionCommandInput,
  UpdateDaemonCommandInput,
  UpdateDaemonCommandOutput,
  CreateServiceCommandInput,
  Deployment,
  Failure,
  Service,
  ServiceDeployment,
  Task,
  TaskDefinition,
  UpdateServiceCommandInput,
  RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';

export type {
  CapacityProvider,
  DaemonDeployment,
  DaemonDetail,
  DaemonRevision,
  DaemonTaskDefinition,
  Cluster,
  ContainerInstance,
  Deployment,
  Failure,
  Service,
  ServiceDeployment,
  Task,
  TaskDefinition,
};

/**
 * What EC2 DescribeImages says about one AMI: the fields the inventory reads.
 *
 * @public
 */
export interface AmiImage {
  imageId: string;
  /** e.g. `amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs`. */
  name?: string;
  ownerId?: string;
  /** `amazon` for Amazon's AMIs. */
  ownerAlias?: string;
  /** e.g. `Linux/UNIX`. */
  platformDetails?: string;
}

/**
 * AMIs by id: each one's image, or `null` when the account cannot read it (not shared with it,
 * deregistered, …).
 *
 * @public
 */
export type AmiImages = Record<string, AmiImage | null>;

/**
 * Filters for {@link EcsLocationApi.listTaskArns}.
 *
 * @public
 */
export interface ListTasksFilter {
  desiredStatus?: 'RUNNING' | 'STOPPED' | 'PENDING';
  family?: string;
  serviceName?: string;
  containerInstance?: string;
}

/**
 * Every AWS call the plugin makes, for one account-region: ECS, and EC2 DescribeImages. Implementations paginate every List*
 * call and split every Describe* call into ECS's batch limits (100; DescribeServices 10); the
 * inventory never sees a nextToken or a batch.
 *
 * Every Describe* call takes an optional `failures` array: the implementation appends ECS's
 * `failures[]` entries (an ARN or name with its reason, e.g. MISSING) of every batch to it. Callers
 * that report failures pass one; fakes that never fail may ignore the parameter.
 *
 * @public
 */
export interface EcsLocationApi {
  readonly accountId: string;
  readonly region: string;
  listClusterArns(): Promise<string[]>;
  describeClusters(
    clusterArns: string[],
    failures?: Failure[],
  ): Promise<Cluster[]>;
  /** ACTIVE, DRAINING and the other non-INACTIVE instances (ECS's default without a status filter). */
  listContainerInstanceArns(cluster: string): Promise<string[]>;
  describeContainerInstances(
    cluster: string,
    arns: string[],
    failures?: Failure[],
  ): Promise<ContainerInstance[]>;
  listServiceArns(cluster: string): Promise<string[]>;
  describeServices(
    cluster: string,
    arns: string[],
    failures?: Failure[],
  ): Promise<Service[]>;
  listTaskArns(cluster: string, filter?: ListTasksFilter): Promise<string[]>;
  describeTasks(
    cluster: string,
    arns: string[],
    failures?: Failure[],
  ): Promise<Task[]>;
  /** Task definitions are immutable: implementations cache them by ARN for good. */
  describeTaskDefinition(taskDefinitionArn: string): Promise<TaskDefinition>;
  registerTaskDefinition(
    input: RegisterTaskDefinitionCommandInput,
  ): Promise<TaskDefinition>;
  createService(input: CreateServiceCommandInput): Promise<Service>;
  updateService(input: UpdateServiceCommandInput): Promise<Service>;
  listServiceDeploymentArns(
    cluster: string,
    service: string,
  ): Promise<string[]>;
  describeServiceDeployments(arns: string[]): Promise<ServiceDeployment[]>;
  /**
   * Stops a service deployment (StopServiceDeployment); with stop type ROLLBACK ECS rolls the
   * service back to its previous service revision. Returns the stopped deployment's ARN. Optional
   * so that hand-written fakes of this interface keep compiling; a cancel with rollback needs it.
   */
  stopServiceDeployment?(
    serviceDeploymentArn: string,
    stopType: 'ROLLBACK' | 'ABORT',
  ): Promise<string | undefined>;
  /**
   * ACTIVE task-definition ARNs whose family starts with `familyPrefix` (ListTaskDefinitions, every
   * page). A prefix also matches longer families (`datadog-agent-task-windows`): filter by family.
   * Optional so that hand-written fakes of this interface keep compiling; the rollout needs it to
   * find a family's latest revision without the by-ARN cache of {@link EcsLocationApi.describeTaskDefinition}.
   */
  listTaskDefinitionArns?(familyPrefix: string): Promise<string[]>;
  /**
   * The ARN of exactly `family`'s latest ACTIVE revision (ListTaskDefinitions, newest first, only
   * as many pages as needed), or undefined when it has none. Optional, as above.
   */
  latestTaskDefinitionArn?(family: string): Promise<string | undefined>;
  /**
   * EC2 DescribeImages for the AMIs the instances run (`ecs.ami-id`): every id asked for is in the
   * answer, with its image or `null` when the account cannot read it. The AWS implementation asks
   * with the `image-id` filter in batches of 200, every page, and caches by AMI id: images for good
   * (an AMI never changes), "cannot read" for an hour. Optional, as above: without it the
   * instances' Amazon Linux generation is unknown (unless their attribute states it).
   */
  describeImages?(amiIds: string[]): Promise<AmiImages>;

  // ECS Managed Instances and ECS Managed Daemons. Optional, as above: without them a cluster's
  // Managed Instances capacity and its managed daemons are not inventoried, and a managed-daemon
  // rollout is refused.

  /** DescribeCapacityProviders of a cluster, by name or ARN (batches of 100, `failures[]` appended). */
  describeCapacityProviders?(
    cluster: string,
    capacityProviders: string[],
    failures?: Failure[],
  ): Promise<CapacityProvider[]>;
  /** ListDaemons of a cluster, every page: the daemons' ARNs. */
  listDaemonArns?(clusterArn: string): Promise<string[]>;
  /** DescribeDaemon (one daemon per call, as the API takes it). */
  describeDaemon?(daemonArn: string): Promise<DaemonDetail>;
  /** DescribeDaemonRevisions, in batches of 20 (`failures[]` appended). */
  describeDaemonRevisions?(
    daemonRevisionArns: string[],
    failures?: Failure[],
  ): Promise<DaemonRevision[]>;
  /** DescribeDaemonTaskDefinition: immutable, cached by ARN for good like task definitions. */
  describeDaemonTaskDefinition?(arn: string): Promise<DaemonTaskDefinition>;
  /**
   * The ARN of exactly `family`'s latest ACTIVE daemon task definition (ListDaemonTaskDefinitions,
   * newest first, as many pages as needed), or undefined when it has none.
   */
  latestDaemonTaskDefinitionArn?(family: string): Promise<string | undefined>;
  /** ListDaemonDeployments of a daemon, every page, newest first: the deployments' ARNs. */
  listDaemonDeploymentArns?(daemonArn: string): Promise<string[]>;
  /** DescribeDaemonDeployments, in batches of 20 (`failures[]` appended). */
  describeDaemonDeployments?(
    daemonDeploymentArns: string[],
    failures?: Failure[],
  ): Promise<DaemonDeployment[]>;
  /** RegisterDaemonTaskDefinition: the new revision's ARN. */
  registerDaemonTaskDefinition?(
    input: RegisterDaemonTaskDefinitionCommandInput,
  ): Promise<string>;
  createDaemon?(
    input: CreateDaemonCommandInput,
  ): Promise<CreateDaemonCommandOutput>;
  updateDaemon?(
    input: UpdateDaemonCommandInput,
  ): Promise<UpdateDaemonCommandOutput>;
}

/**
 * The only way the plugin reaches AWS: an {@link EcsLocationApi} per account-region, with the
 * account's credentials. Replace it (a service ref) to route calls elsewhere.
 *
 * @public
 */
export interface EcsGateway {
  forLocation(accountId: string, region: string): Promise<EcsLocationApi>;
}
