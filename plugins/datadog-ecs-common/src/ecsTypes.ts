/*
 * Minimal structural types for the parts of Amazon ECS objects the domain reads or renders.
 *
 * They mirror the output shapes of `@aws-sdk/client-ecs` (every field optional, `T | undefined`) so the
 * backend can pass SDK objects straight in, and they also accept Datadog's published task-definition
 * JSON files, where `readOnly` is sometimes `null`. Enum-like SDK fields are plain `string`s here: the
 * SDK's string-literal unions are assignable to them, and this package must not depend on the SDK
 * (it runs in the browser too).
 */

/**
 * A `name`/`value` pair, as in a container's `environment`.
 *
 * @public
 */
export interface EcsKeyValuePair {
  name?: string;
  value?: string;
}

/**
 * A secret injected into a container's environment from AWS Secrets Manager or SSM Parameter Store.
 *
 * @public
 */
export interface EcsSecret {
  name?: string;
  /** The secret's or parameter's ARN (or parameter name). */
  valueFrom?: string;
}

/**
 * A container port mapping.
 *
 * @public
 */
export interface EcsPortMapping {
  containerPort?: number;
  hostPort?: number;
  /** `tcp` (the ECS default) or `udp`. */
  protocol?: string;
  name?: string;
  appProtocol?: string;
  containerPortRange?: string;
}

/**
 * A container mount point that binds a task volume into the container.
 *
 * @public
 */
export interface EcsMountPoint {
  sourceVolume?: string;
  containerPath?: string;
  /** `null` appears in Datadog's published files; for ECS `null`, absent and `false` all mean read-write. */
  readOnly?: boolean | null;
}

/**
 * A task volume. The Datadog Agent only uses bind mounts (`host.sourcePath`).
 *
 * @public
 */
export interface EcsVolume {
  name?: string;
  host?: { sourcePath?: string };
  dockerVolumeConfiguration?: {
    scope?: string;
    autoprovision?: boolean;
    driver?: string;
    driverOpts?: Record<string, string>;
    labels?: Record<string, string>;
  };
  configuredAtLaunch?: boolean;
  /**
   * Daemon task definitions only: a volume holding the log files a log driver (`json-file`) writes
   * for the other tasks on the instance.
   */
  logDriverVolumeConfiguration?: { driver?: string };
}

/**
 * A container health check.
 *
 * @public
 */
export interface EcsHealthCheck {
  command?: string[];
  interval?: number;
  timeout?: number;
  retries?: number;
  startPeriod?: number;
}

/**
 * A container's log configuration (log driver).
 *
 * @public
 */
export interface EcsLogConfiguration {
  logDriver?: string;
  options?: Record<string, string>;
  secretOptions?: EcsSecret[];
}

/**
 * Linux-specific container parameters; the Agent uses `capabilities` for network performance monitoring.
 *
 * @public
 */
export interface EcsLinuxParameters {
  capabilities?: { add?: string[]; drop?: string[] };
  initProcessEnabled?: boolean;
  sharedMemorySize?: number;
}

/**
 * A container definition inside a task definition.
 *
 * @public
 */
export interface EcsContainerDefinition {
  name?: string;
  image?: string;
  /** CPU units (1024 = one vCPU). ECS reports `0` when unset. */
  cpu?: number;
  /** Hard memory limit in MiB. */
  memory?: number;
  memoryReservation?: number;
  essential?: boolean;
  portMappings?: EcsPortMapping[];
  environment?: EcsKeyValuePair[];
  secrets?: EcsSecret[];
  mountPoints?: EcsMountPoint[];
  linuxParameters?: EcsLinuxParameters;
  healthCheck?: EcsHealthCheck;
  logConfiguration?: EcsLogConfiguration;
  entryPoint?: string[];
  command?: string[];
  dockerLabels?: Record<string, string>;
  privileged?: boolean;
  user?: string;
}

/**
 * A task definition, as registered (`RegisterTaskDefinition` input) or described (`DescribeTaskDefinition`).
 * A daemon task definition of ECS Managed Daemons (`RegisterDaemonTaskDefinition`,
 * `DescribeDaemonTaskDefinition`) fits it too: it has a subset of the fields (see
 * {@link EcsDaemonTaskDefinition}) and its own ARN, `daemonTaskDefinitionArn`.
 *
 * @public
 */
export interface EcsTaskDefinition {
  family?: string;
  containerDefinitions?: EcsContainerDefinition[];
  volumes?: EcsVolume[];
  /** `bridge` (Linux default), `host`, `awsvpc`, `none` or Windows `default`. Not in daemon task definitions. */
  networkMode?: string;
  /** `EC2`, `EXTERNAL` (ECS Anywhere), `FARGATE`, `MANAGED_INSTANCES`. Not in daemon task definitions. */
  requiresCompatibilities?: string[];
  /** Task-level CPU units, a string in the ECS API. */
  cpu?: string;
  /** Task-level memory in MiB, a string in the ECS API. */
  memory?: string;
  executionRoleArn?: string;
  taskRoleArn?: string;
  pidMode?: string;
  ipcMode?: string;
  placementConstraints?: Array<{ type?: string; expression?: string }>;
  runtimePlatform?: {
    cpuArchitecture?: string;
    operatingSystemFamily?: string;
  };
  // Read-only fields that ECS adds on DescribeTaskDefinition (dropped by normalizeTaskDefinition).
  taskDefinitionArn?: string;
  revision?: number;
  status?: string;
  registeredAt?: Date | string;
  registeredBy?: string;
  deregisteredAt?: Date | string;
  requiresAttributes?: Array<{
    name?: string;
    value?: string;
    targetType?: string;
    targetId?: string;
  }>;
  compatibilities?: string[];
  /** A daemon task definition's ARN (`…:daemon-task-definition/family:revision`), read-only. */
  daemonTaskDefinitionArn?: string;
  /** When a daemon task definition's deletion was requested, read-only. */
  deleteRequestedAt?: Date | string;
}

/**
 * A container of a daemon task definition: a container definition without port mappings and Docker
 * labels, which `RegisterDaemonTaskDefinition` does not have (daemons share the instance's daemon
 * network namespace), and with its image.
 *
 * @public
 */
export type EcsDaemonContainerDefinition = Omit<
  EcsContainerDefinition,
  'portMappings' | 'dockerLabels'
> & { image: string };

/**
 * What `RegisterDaemonTaskDefinition` takes (the ECS Managed Daemons API): no network mode, no
 * compatibilities, no placement constraints, no runtime platform; task-level `cpu` and `memory` as
 * strings; `pidMode` / `ipcMode` are `none` or `shared`.
 *
 * @public
 */
export interface EcsDaemonTaskDefinition
  extends Pick<
    EcsTaskDefinition,
    'family' | 'volumes' | 'cpu' | 'memory' | 'executionRoleArn' | 'taskRoleArn'
  > {
  family: string;
  containerDefinitions: EcsDaemonContainerDefinition[];
  pidMode?: 'none' | 'shared';
  ipcMode?: 'none' | 'shared';
}
