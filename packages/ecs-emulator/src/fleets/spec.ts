import type { PolicyDocument } from '../iam/policy';
import { InstanceSpec } from '../model/instances';
import { Json, Tag } from '../model/types';

/**
 * An access key of an emulated account.
 *
 * @public
 */
export interface FleetAccessKey {
  accessKeyId: string;
  /** When given, SigV4 signatures are verified; otherwise any signature is accepted. */
  secretAccessKey?: string;
  /** IAM user/role name reported as principal (default `emulator`). */
  principal?: string;
  /** When given, only these actions are allowed (`ecs:` prefix optional, `*` wildcards). Ignored when `policy` is set. */
  allowedActions?: string[];
  /** Actions answered with AccessDeniedException. Ignored when `policy` is set. */
  deniedActions?: string[];
  /**
   * IAM identity-based policy of this key, evaluated like AWS does for ECS
   * (explicit Deny wins, else an Allow is needed; tag-on-create needs
   * ecs:TagResource, passed roles need iam:PassRole). Replace it at run time
   * with `control.setPolicy()` or `PUT /_emulator/iam/<accessKeyId>`.
   */
  policy?: PolicyDocument;
}

/** @public */
export interface FleetAccount {
  accountId: string;
  accessKeys: FleetAccessKey[];
}

/**
 * A RegisterTaskDefinition request registered in an account and region at start.
 *
 * @public
 */
export interface FleetTaskDefinition {
  accountId: string;
  region: string;
  /** The RegisterTaskDefinition input (family, containerDefinitions, …, tags). */
  taskDefinition: Json;
}

/**
 * A CreateService request (without `cluster`) placed at start with tasks already RUNNING.
 *
 * @public
 */
export interface FleetService extends Json {
  serviceName: string;
  /** family, family:revision or ARN. */
  taskDefinition: string;
}

/** @public */
export interface FleetCluster {
  accountId: string;
  region: string;
  name: string;
  tags?: Tag[];
  settings?: Array<{ name: string; value: string }>;
  /** Image patterns (`*` wildcard) that fail to pull in this cluster (CannotPullContainerError). */
  unpullableImages?: string[];
  /** The network error in the pull failure message. */
  unpullableReason?: string;
  instances?: InstanceSpec[];
  /**
   * Standalone tasks started with StartTask at start, before the services, one
   * per container instance, as an instance's user data starts them ("Starting
   * a task at container instance launch time"); already RUNNING. An
   * instance that cannot take the task (StartTask `failures`) has none.
   */
  startTasks?: FleetStartTask[];
  /** Created in order: put services that fill instances before the daemons that should not fit. */
  services?: FleetService[];
  /**
   * CreateCapacityProvider inputs without `cluster`: Managed Instances providers
   * (`managedInstancesProvider`) are the cluster's, Auto Scaling group ones are associated with
   * it. Their instances are the `instances` with that `capacityProviderName` (Managed Instances:
   * `profile: 'managed-instances'`).
   */
  capacityProviders?: FleetCapacityProvider[];
  /** CreateDaemon inputs without `clusterArn`, created after the services with tasks already RUNNING. */
  daemons?: FleetDaemon[];
}

/**
 * A CreateCapacityProvider request without `cluster`.
 *
 * @public
 */
export interface FleetCapacityProvider extends Json {
  name: string;
}

/**
 * A CreateDaemon request without `clusterArn` (task definition as family:revision or ARN, providers by name or ARN).
 *
 * @public
 */
export interface FleetDaemon extends Json {
  daemonName: string;
  daemonTaskDefinitionArn: string;
  capacityProviderArns: string[];
}

/**
 * A RegisterDaemonTaskDefinition request registered in an account and region at start.
 *
 * @public
 */
export interface FleetDaemonTaskDefinition {
  accountId: string;
  region: string;
  daemonTaskDefinition: Json;
}

/**
 * A StartTask request (without `cluster` and `containerInstances`) made on every instance of the cluster.
 *
 * @public
 */
export interface FleetStartTask extends Json {
  /** family, family:revision or ARN. */
  taskDefinition: string;
  /** Default: the container instance's id, as the user data script in the ECS guide passes it. */
  startedBy?: string;
}

/**
 * An AMI DescribeImages knows besides the public ECS-optimized ones, e.g. a
 * customer's golden image. Private unless `isPublic`; an account sees it when
 * it owns it or is in `sharedWith` (explicit launch permissions).
 *
 * @public
 */
export interface FleetImage {
  region: string;
  /** `ami-` and 8 or 17 hexadecimal digits. */
  imageId: string;
  name: string;
  ownerId: string;
  description?: string;
  isPublic?: boolean;
  sharedWith?: string[];
  platform?: 'windows';
  architecture?: 'x86_64' | 'arm64';
  /** ISO 8601 (default 2024-10-01T00:00:00.000Z). */
  creationDate?: string;
}

/** @public */
export interface FleetSpec {
  name: string;
  /** Seed of generated ids (default: name). */
  seed?: string;
  /** Simulated start time (ISO string or epoch ms); default 2025-01-15T12:00:00Z in manual mode, now otherwise. */
  startTime?: string | number;
  accounts: FleetAccount[];
  taskDefinitions?: FleetTaskDefinition[];
  /** Daemon task definitions (ECS Managed Daemons), registered in order. */
  daemonTaskDefinitions?: FleetDaemonTaskDefinition[];
  /** Images DescribeImages answers with besides the ECS-optimized AMIs. */
  images?: FleetImage[];
  clusters: FleetCluster[];
}
