import { Json } from '../model/types';

/* Task definitions modelled on the Datadog Agent ECS guides. */

export function datadogAgentLinux(opts: {
  accountId: string;
  region: string;
  family?: string;
  image?: string;
}): Json {
  const { accountId, region } = opts;
  return {
    family: opts.family ?? 'datadog-agent-task',
    executionRoleArn: `arn:aws:iam::${accountId}:role/ecsTaskExecutionRole`,
    networkMode: 'bridge',
    requiresCompatibilities: ['EC2'],
    containerDefinitions: [
      {
        name: 'datadog-agent',
        image: opts.image ?? 'public.ecr.aws/datadog/agent:7.60.0',
        cpu: 100,
        memory: 512,
        essential: true,
        portMappings: [
          { containerPort: 8126, hostPort: 8126, protocol: 'tcp' },
          { containerPort: 8125, hostPort: 8125, protocol: 'udp' },
        ],
        mountPoints: [
          {
            containerPath: '/var/run/docker.sock',
            sourceVolume: 'docker_sock',
            readOnly: true,
          },
          {
            containerPath: '/host/sys/fs/cgroup',
            sourceVolume: 'cgroup',
            readOnly: true,
          },
          { containerPath: '/host/proc', sourceVolume: 'proc', readOnly: true },
          {
            containerPath: '/opt/datadog-agent/run',
            sourceVolume: 'pointdir',
            readOnly: false,
          },
          {
            containerPath: '/var/lib/docker/containers',
            sourceVolume: 'containers_root',
            readOnly: true,
          },
        ],
        environment: [
          { name: 'DD_SITE', value: 'datadoghq.com' },
          { name: 'DD_APM_ENABLED', value: 'true' },
          { name: 'DD_APM_NON_LOCAL_TRAFFIC', value: 'true' },
          { name: 'DD_DOGSTATSD_NON_LOCAL_TRAFFIC', value: 'true' },
          { name: 'DD_LOGS_ENABLED', value: 'true' },
          { name: 'DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL', value: 'true' },
          { name: 'DD_PROCESS_AGENT_ENABLED', value: 'true' },
        ],
        secrets: [
          {
            name: 'DD_API_KEY',
            valueFrom: `arn:aws:secretsmanager:${region}:${accountId}:secret:datadog/api-key-Ab12Cd`,
          },
        ],
        healthCheck: {
          command: ['CMD-SHELL', 'agent health'],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 15,
        },
      },
    ],
    volumes: [
      { name: 'docker_sock', host: { sourcePath: '/var/run/docker.sock' } },
      { name: 'proc', host: { sourcePath: '/proc/' } },
      { name: 'cgroup', host: { sourcePath: '/sys/fs/cgroup/' } },
      { name: 'pointdir', host: { sourcePath: '/opt/datadog-agent/run' } },
      {
        name: 'containers_root',
        host: { sourcePath: '/var/lib/docker/containers/' },
      },
    ],
    tags: [
      { key: 'team', value: 'observability' },
      { key: 'managed-by', value: 'ecs-agent-coverage' },
    ],
  };
}

/** An Agent 6 definition for Amazon Linux 1 hosts (cgroup v1 at /cgroup/). */
export function datadogAgentLegacy(opts: {
  accountId: string;
  region: string;
}): Json {
  const td = datadogAgentLinux({ ...opts, image: 'datadog/agent:6.15.0' });
  const c = td.containerDefinitions[0];
  c.environment = [
    { name: 'DD_SITE', value: 'datadoghq.com' },
    { name: 'DD_APM_ENABLED', value: 'true' },
    { name: 'DD_APM_NON_LOCAL_TRAFFIC', value: 'true' },
    { name: 'DD_DOGSTATSD_NON_LOCAL_TRAFFIC', value: 'true' },
    { name: 'DD_ECS_COLLECT_RESOURCE_TAGS_EC2', value: 'true' },
  ];
  // The health check stays the Linux one's ('agent health' exists in Agent 6 too).
  td.volumes = td.volumes.map((v: Json) =>
    v.name === 'cgroup'
      ? { name: 'cgroup', host: { sourcePath: '/cgroup/' } }
      : v,
  );
  c.mountPoints = c.mountPoints.filter(
    (m: Json) => m.sourceVolume !== 'containers_root',
  );
  td.volumes = td.volumes.filter((v: Json) => v.name !== 'containers_root');
  return td;
}

/** Windows Server 2022 definition (named pipe to the Docker engine). */
export function datadogAgentWindows(opts: {
  accountId: string;
  region: string;
}): Json {
  const { accountId, region } = opts;
  return {
    family: 'datadog-agent-task-windows',
    executionRoleArn: `arn:aws:iam::${accountId}:role/ecsTaskExecutionRole`,
    requiresCompatibilities: ['EC2'],
    runtimePlatform: {
      operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE',
      cpuArchitecture: 'X86_64',
    },
    containerDefinitions: [
      {
        name: 'datadog-agent',
        image: 'public.ecr.aws/datadog/agent:7.60.0-servercore-ltsc2022',
        cpu: 512,
        memory: 1024,
        essential: true,
        portMappings: [
          { containerPort: 8126, hostPort: 8126, protocol: 'tcp' },
          { containerPort: 8125, hostPort: 8125, protocol: 'udp' },
        ],
        mountPoints: [
          {
            containerPath: '\\\\.\\pipe\\docker_engine',
            sourceVolume: 'docker_sock',
            readOnly: true,
          },
        ],
        environment: [
          { name: 'DD_SITE', value: 'datadoghq.com' },
          { name: 'DD_APM_ENABLED', value: 'true' },
          { name: 'DD_APM_NON_LOCAL_TRAFFIC', value: 'true' },
          { name: 'DD_DOGSTATSD_NON_LOCAL_TRAFFIC', value: 'true' },
        ],
        secrets: [
          {
            name: 'DD_API_KEY',
            valueFrom: `arn:aws:secretsmanager:${region}:${accountId}:secret:datadog/api-key-Ef34Gh`,
          },
        ],
        healthCheck: {
          command: ['CMD', 'agent', 'health'],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 30,
        },
      },
    ],
    volumes: [
      {
        name: 'docker_sock',
        host: { sourcePath: '\\\\.\\pipe\\docker_engine' },
      },
    ],
  };
}

/** ECS Anywhere (EXTERNAL) definition. */
export function datadogAgentExternal(opts: {
  accountId: string;
  region: string;
}): Json {
  const td = datadogAgentLinux({
    ...opts,
    family: 'datadog-agent-task-external',
  });
  td.requiresCompatibilities = ['EXTERNAL'];
  return td;
}

/** A misconfigured agent: 8125/udp without DD_DOGSTATSD_NON_LOCAL_TRAFFIC, plaintext key, awsvpc, cpu 10. */
export function datadogAgentMisconfigured(opts: {
  accountId: string;
  region: string;
}): Json {
  const td = datadogAgentLinux({ ...opts, family: 'datadog-agent-staging' });
  td.networkMode = 'awsvpc';
  const c = td.containerDefinitions[0];
  c.cpu = 10;
  c.portMappings = [
    { containerPort: 8126, protocol: 'tcp' },
    { containerPort: 8125, protocol: 'udp' },
  ];
  c.environment = [
    { name: 'DD_SITE', value: 'datadoghq.com' },
    { name: 'DD_API_KEY', value: '0123456789abcdef0123456789abcdef' },
    { name: 'DD_APM_ENABLED', value: 'true' },
    { name: 'DD_APM_NON_LOCAL_TRAFFIC', value: 'true' },
  ];
  delete c.secrets;
  return td;
}

/** A small web/app task definition. */
export function appTaskDefinition(opts: {
  family: string;
  image: string;
  cpu?: number;
  memory?: number;
  port?: number;
  environment?: Array<{ name: string; value: string }>;
  logConfiguration?: Json;
  networkMode?: string;
  fargate?: boolean;
  runtimePlatform?: Json;
  requiresCompatibilities?: string[];
}): Json {
  const container: Json = {
    name: opts.family,
    image: opts.image,
    cpu: opts.cpu ?? 256,
    memory: opts.memory ?? 512,
    essential: true,
    portMappings: opts.port
      ? [
          {
            containerPort: opts.port,
            hostPort: opts.fargate ? opts.port : 0,
            protocol: 'tcp',
          },
        ]
      : [],
    environment: opts.environment ?? [],
  };
  if (opts.logConfiguration) container.logConfiguration = opts.logConfiguration;
  const td: Json = {
    family: opts.family,
    networkMode: opts.fargate ? 'awsvpc' : opts.networkMode ?? 'bridge',
    containerDefinitions: [container],
    requiresCompatibilities:
      opts.requiresCompatibilities ?? (opts.fargate ? ['FARGATE'] : ['EC2']),
  };
  if (opts.fargate) {
    td.cpu = String(opts.cpu ?? 256);
    td.memory = String(opts.memory ?? 512);
  }
  if (opts.runtimePlatform) td.runtimePlatform = opts.runtimePlatform;
  return td;
}
