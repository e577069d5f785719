/*
 * Values from Datadog's "Amazon ECS" guide and published task definitions, shared by the detectors
 * and the renderer so both read the same spec.
 */

/**
 * The Datadog sites an Agent can report to (`DD_SITE`).
 *
 * @public
 */
export const DATADOG_SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ap2.datadoghq.com',
  'ddog-gov.com',
] as const;

/**
 * One of {@link DATADOG_SITES}.
 *
 * @public
 */
export type DatadogSite = (typeof DATADOG_SITES)[number];

/**
 * The site the Agent uses when `DD_SITE` is not set (the guide: US1, `datadoghq.com`).
 *
 * @public
 */
export const DEFAULT_DATADOG_SITE: DatadogSite = 'datadoghq.com';

/**
 * Datadog for Government, the only site the FIPS proxy is documented for.
 *
 * @public
 */
export const GOVERNMENT_DATADOG_SITE: DatadogSite = 'ddog-gov.com';

/**
 * The container name the guide and every published file use for the Agent.
 *
 * @public
 */
export const AGENT_CONTAINER_NAME = 'datadog-agent';

/**
 * The task-definition family of the published files.
 *
 * @public
 */
export const DEFAULT_AGENT_FAMILY = 'datadog-agent-task';

/**
 * The Agent image repository the current guide uses.
 *
 * @public
 */
export const DEFAULT_AGENT_REPOSITORY = 'public.ecr.aws/datadog/agent';

/**
 * The FIPS proxy sidecar's container name, image repository and the version the guide shows.
 *
 * @public
 */
export const FIPS_PROXY = {
  containerName: 'fips-proxy',
  repository: 'datadog/fips-proxy',
  defaultTag: '1.1.3',
  portRangeStart: 9803,
  portRangeEnd: 9818,
} as const;

/**
 * Linux capabilities system-probe needs for network performance monitoring (the current guide's list).
 *
 * @public
 */
export const NPM_CAPABILITIES = [
  'SYS_ADMIN',
  'SYS_RESOURCE',
  'SYS_PTRACE',
  'NET_ADMIN',
  'NET_BROADCAST',
  'NET_RAW',
  'IPC_LOCK',
  'CHOWN',
] as const;

/**
 * Container paths the guide mounts into the Agent container.
 *
 * @public
 */
export const AGENT_PATHS = {
  dockerSocketLinux: '/var/run/docker.sock',
  dockerPipeWindows: '\\\\.\\pipe\\docker_engine',
  cgroup: '/host/sys/fs/cgroup',
  proc: '/host/proc',
  /** Where the logs Agent keeps its tailing positions (volume `pointdir`). */
  pointdirLinux: '/opt/datadog-agent/run',
  pointdirWindows: 'c:\\programdata\\datadog\\run',
  /** Docker's container log files (volume `containers_root`). */
  containersRoot: '/var/lib/docker/containers',
  passwd: '/etc/passwd',
  kernelDebug: '/sys/kernel/debug',
  /** Unix domain sockets for APM and DogStatsD (volume `dd-sockets`). */
  socketDir: '/var/run/datadog',
} as const;

/**
 * Host paths of the `cgroup` volume: Amazon Linux 1 mounts the cgroup hierarchy at `/cgroup/`.
 *
 * @public
 */
export const CGROUP_HOST_PATHS = {
  amazonLinux1: '/cgroup/',
  modern: '/sys/fs/cgroup/',
} as const;

/**
 * The health check the guide adds to the Agent container.
 *
 * @public
 */
export const AGENT_HEALTH_CHECK = {
  retries: 3,
  command: ['CMD-SHELL', 'agent health'],
  timeout: 5,
  interval: 30,
  startPeriod: 15,
};

/**
 * The API-key placeholder of the current published files.
 *
 * @public
 */
export const API_KEY_PLACEHOLDER = '<YOUR_DATADOG_API_KEY>';

/**
 * The Agent as an ECS Managed Daemon on ECS Managed Instances, as Datadog's published
 * datadog-agent-ecs-managed-instances-daemon.json (and …-daemon-apm.json) and its Managed Instances
 * guide set it up: Managed Instances run containerd, not Docker, so the Agent reads containers through
 * the containerd socket (`DD_CRI_SOCKET_PATH`) and is told where it runs (`ECS_MANAGED_INSTANCES`);
 * the sizes are the daemon task's (task-level cpu 256, memory 512); the host mounts are read-only.
 *
 * @public
 */
export const MANAGED_INSTANCES = {
  /** The containerd socket, at the same path on the host and in the Agent container. */
  containerdSocket: '/var/run/containerd/containerd.sock',
  /** The volume of the containerd socket in the published files. */
  containerdSocketVolume: 'containerd_sock',
  /** Tells the Agent it runs on Managed Instances (value `true`). */
  managedInstancesEnv: 'ECS_MANAGED_INSTANCES',
  /** Where the Agent finds the container runtime's socket (its path inside the Agent container). */
  criSocketPathEnv: 'DD_CRI_SOCKET_PATH',
  /** Task-level CPU units of the published daemon files, the documented minimum. */
  taskCpu: 256,
  /** Task-level memory (MiB) of the published daemon files, the documented minimum. */
  taskMemory: 512,
  /**
   * The family the renderer gives the daemon task definition (the published files write the
   * placeholder `<TASK_NAME>`). Daemon task definitions are their own resources
   * (`…:daemon-task-definition/…`), apart from the DAEMON service's family.
   */
  defaultFamily: 'datadog-agent-daemon',
} as const;
