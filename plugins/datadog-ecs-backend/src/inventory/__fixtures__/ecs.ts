/*
 * Small ECS fixtures for the inventory's unit tests: container instances, task definitions,
 * services and tasks shaped like DescribeContainerInstances / DescribeTaskDefinition /
 * DescribeServices / DescribeTasks answers.
 */
import {
  Cluster,
  Compatibility,
  ContainerInstance,
  NetworkMode,
  Service,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { AmiImages } from '../../aws/EcsGateway';
import {
  AgentDetection,
  ClusterObservation,
  isAgentTaskDefinition,
} from '../collect';
import { CoverageContext } from '../coverage';

export const ACCOUNT = '111111111111';
export const REGION = 'us-east-1';
export const CLUSTER = 'test-cluster';
export const OBSERVED_AT = '2026-01-15T10:00:00.000Z';

export const DETECTION: AgentDetection = {
  imageRepositories: [],
  taskDefinitionFamilies: [],
};

export const CONTEXT: CoverageContext = {
  accountId: ACCOUNT,
  region: REGION,
  locationName: 'production',
  expectedSite: 'datadoghq.com',
  detection: DETECTION,
};

export const clusterArn = (name = CLUSTER) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${name}`;
export const instanceArn = (id: string, clusterName = CLUSTER) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/${clusterName}/${id}`;
export const taskDefinitionArn = (family: string, revision: number) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;
export const serviceArn = (name: string, clusterName = CLUSTER) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${clusterName}/${name}`;
export const taskArn = (id: string, clusterName = CLUSTER) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${clusterName}/${id}`;

export function cluster(overrides: Partial<Cluster> = {}): Cluster {
  return {
    clusterArn: clusterArn(overrides.clusterName),
    clusterName: CLUSTER,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 1,
    activeServicesCount: 1,
    runningTasksCount: 1,
    pendingTasksCount: 0,
    ...overrides,
  };
}

export type InstanceKind = 'al2023' | 'al2' | 'al1' | 'windows' | 'external';

/** The AMI (`ecs.ami-id`) of each kind, and its name as EC2 DescribeImages reports it. */
export const AMIS = {
  al2023: {
    id: 'ami-0c7a4976cb6e06ff5',
    name: 'al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
  },
  al2: {
    id: 'ami-05cfa0ca0d4e1e6b2',
    name: 'amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs',
  },
  al1: {
    id: 'ami-0bb4a9d1f5ec0b4c2',
    name: 'amzn-ami-2018.03.20210219-amazon-ecs-optimized',
  },
  windows: {
    id: 'ami-0f1e1d2c3b4a59687',
    name: 'Windows_Server-2022-English-Core-ECS_Optimized-2024.11.13',
  },
} as const;

/** DescribeImages' answer for the fixtures' AMIs (what `ClusterObservation.images` holds). */
export const FIXTURE_IMAGES: AmiImages = Object.fromEntries(
  Object.values(AMIS).map(({ id, name }) => [
    id,
    { imageId: id, name, ownerAlias: 'amazon' },
  ]),
);

const PROFILES: Record<
  InstanceKind,
  { attributes: Record<string, string>; docker: string }
> = {
  al2023: {
    attributes: {
      'ecs.os-type': 'linux',
      'ecs.os-family': 'LINUX',
      'ecs.ami-id': AMIS.al2023.id,
    },
    docker: '25.0.8',
  },
  al2: {
    attributes: {
      'ecs.os-type': 'linux',
      'ecs.os-family': 'LINUX',
      'ecs.ami-id': AMIS.al2.id,
    },
    docker: '20.10.25',
  },
  al1: {
    attributes: {
      'ecs.os-type': 'linux',
      'ecs.os-family': 'LINUX',
      'ecs.ami-id': AMIS.al1.id,
    },
    docker: '19.03.13-ce',
  },
  windows: {
    attributes: {
      'ecs.os-type': 'windows',
      'ecs.os-family': 'WINDOWS_SERVER_2022_CORE',
      'ecs.ami-id': AMIS.windows.id,
    },
    docker: '20.10.23',
  },
  external: {
    attributes: {
      'ecs.os-type': 'linux',
      'ecs.os-family': 'LINUX',
      'ecs.capability.external': '',
    },
    docker: '25.0.6',
  },
};

/** A container instance; `id` is its short container-instance id. */
export function instance(
  id: string,
  opts: {
    kind?: InstanceKind;
    status?: string;
    agentConnected?: boolean;
    attributes?: Record<string, string>;
    dockerVersion?: string;
    ec2InstanceId?: string;
    /** The capacity provider it belongs to (DescribeContainerInstances' `capacityProviderName`). */
    capacityProviderName?: string;
  } = {},
): ContainerInstance {
  const kind = opts.kind ?? 'al2023';
  const profile = PROFILES[kind];
  const attributes: Record<string, string> = {
    ...profile.attributes,
    ...(kind === 'external'
      ? {}
      : {
          'ecs.instance-type': 'm5.large',
          'ecs.availability-zone': `${REGION}a`,
        }),
    ...opts.attributes,
  };
  return {
    containerInstanceArn: instanceArn(id),
    ec2InstanceId:
      opts.ec2InstanceId ?? (kind === 'external' ? `mi-${id}` : `i-${id}`),
    status: opts.status ?? 'ACTIVE',
    agentConnected: opts.agentConnected ?? true,
    versionInfo: {
      agentVersion: '1.88.0',
      dockerVersion: opts.dockerVersion ?? profile.docker,
    },
    attributes: Object.entries(attributes).map(([name, value]) => ({
      name,
      value,
    })),
    ...(opts.capacityProviderName
      ? { capacityProviderName: opts.capacityProviderName }
      : {}),
  };
}

/** A Datadog Agent task definition modelled on the guide's. */
export function agentTaskDefinition(
  opts: {
    family?: string;
    revision?: number;
    image?: string;
    healthCheck?: boolean;
    windows?: boolean;
    requiresCompatibilities?: Compatibility[];
    environment?: Record<string, string>;
  } = {},
): TaskDefinition {
  const family = opts.family ?? 'datadog-agent-task';
  const revision = opts.revision ?? 1;
  const environment = opts.environment ?? {
    DD_SITE: 'datadoghq.com',
    DD_APM_ENABLED: 'true',
    DD_APM_NON_LOCAL_TRAFFIC: 'true',
    DD_DOGSTATSD_NON_LOCAL_TRAFFIC: 'true',
    DD_LOGS_ENABLED: 'true',
    DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL: 'true',
  };
  return {
    taskDefinitionArn: taskDefinitionArn(family, revision),
    family,
    revision,
    networkMode: opts.windows ? undefined : 'bridge',
    requiresCompatibilities: opts.requiresCompatibilities ?? ['EC2'],
    runtimePlatform: opts.windows
      ? {
          operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE',
          cpuArchitecture: 'X86_64',
        }
      : undefined,
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
        environment: Object.entries(environment).map(([name, value]) => ({
          name,
          value,
        })),
        secrets: [
          {
            name: 'DD_API_KEY',
            valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:datadog/api-key-Ab12Cd`,
          },
        ],
        healthCheck:
          opts.healthCheck === false
            ? undefined
            : {
                command: ['CMD-SHELL', 'agent health'],
                interval: 30,
                timeout: 5,
                retries: 3,
              },
        mountPoints: opts.windows
          ? []
          : [
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
              {
                containerPath: '/host/proc',
                sourceVolume: 'proc',
                readOnly: true,
              },
            ],
      },
    ],
    volumes: opts.windows
      ? [
          {
            name: 'docker_sock',
            host: { sourcePath: '\\\\.\\pipe\\docker_engine' },
          },
        ]
      : [
          { name: 'docker_sock', host: { sourcePath: '/var/run/docker.sock' } },
          { name: 'proc', host: { sourcePath: '/proc/' } },
          { name: 'cgroup', host: { sourcePath: '/sys/fs/cgroup/' } },
        ],
  };
}

/** An application's task definition. */
export function appTaskDefinition(
  family: string,
  opts: {
    revision?: number;
    environment?: Record<string, string>;
    logDriver?: string;
    networkMode?: NetworkMode;
  } = {},
): TaskDefinition {
  const revision = opts.revision ?? 1;
  return {
    taskDefinitionArn: taskDefinitionArn(family, revision),
    family,
    revision,
    networkMode: opts.networkMode ?? 'bridge',
    requiresCompatibilities: ['EC2'],
    containerDefinitions: [
      {
        name: family,
        image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${family}:1.0.0`,
        cpu: 256,
        memory: 512,
        essential: true,
        environment: Object.entries(opts.environment ?? {}).map(
          ([name, value]) => ({ name, value }),
        ),
        logConfiguration: opts.logDriver
          ? { logDriver: opts.logDriver as 'awslogs', options: {} }
          : undefined,
      },
    ],
  };
}

/** A service; its PRIMARY deployment runs `taskDefinition` (plus `olderDeployments`, ACTIVE). */
export function service(
  name: string,
  taskDefinition: string,
  opts: {
    strategy?: 'DAEMON' | 'REPLICA';
    desiredCount?: number;
    runningCount?: number;
    launchType?: 'EC2' | 'FARGATE' | 'EXTERNAL';
    olderDeployments?: string[];
    events?: Array<{ message: string; createdAt?: Date; id?: string }>;
    status?: string;
  } = {},
): Service {
  return {
    serviceArn: serviceArn(name),
    serviceName: name,
    clusterArn: clusterArn(),
    status: opts.status ?? 'ACTIVE',
    schedulingStrategy: opts.strategy ?? 'REPLICA',
    launchType: opts.launchType ?? 'EC2',
    desiredCount: opts.desiredCount ?? 1,
    runningCount: opts.runningCount ?? opts.desiredCount ?? 1,
    pendingCount: 0,
    taskDefinition,
    deployments: [
      {
        id: `ecs-svc/${name}-primary`,
        status: 'PRIMARY',
        taskDefinition,
        rolloutState: 'COMPLETED',
      },
      ...(opts.olderDeployments ?? []).map((arn, i) => ({
        id: `ecs-svc/${name}-old-${i}`,
        status: 'ACTIVE',
        taskDefinition: arn,
      })),
    ],
    events: (opts.events ?? []).map((e, i) => ({
      id: e.id ?? `${name}-event-${i}`,
      createdAt:
        e.createdAt ?? new Date(Date.parse(OBSERVED_AT) - (i + 1) * 60_000),
      message: e.message,
    })),
  };
}

/** A task; `on` is the short id of its container instance. */
export function task(
  id: string,
  taskDefinition: string,
  opts: {
    on?: string;
    lastStatus?: string;
    desiredStatus?: string;
    healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
    group?: string;
    stoppedReason?: string;
    stoppedAt?: Date;
    exitCode?: number;
    launchType?: 'EC2' | 'FARGATE' | 'EXTERNAL';
    containerName?: string;
  } = {},
): Task {
  return {
    taskArn: taskArn(id),
    clusterArn: clusterArn(),
    taskDefinitionArn: taskDefinition,
    containerInstanceArn: opts.on ? instanceArn(opts.on) : undefined,
    lastStatus: opts.lastStatus ?? 'RUNNING',
    desiredStatus:
      opts.desiredStatus ??
      (opts.lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING'),
    healthStatus: opts.healthStatus ?? 'HEALTHY',
    group: opts.group,
    launchType: opts.launchType ?? (opts.on ? 'EC2' : 'FARGATE'),
    startedAt: new Date(Date.parse(OBSERVED_AT) - 3_600_000),
    stoppedAt: opts.stoppedAt,
    stoppedReason: opts.stoppedReason,
    containers: [
      {
        name: opts.containerName ?? 'datadog-agent',
        exitCode: opts.exitCode,
        lastStatus: opts.lastStatus ?? 'RUNNING',
      },
    ],
  };
}

/** A cluster observation; the Agent definitions are detected like collect.ts does. */
export function observation(parts: {
  cluster?: Partial<Cluster>;
  instances?: ContainerInstance[];
  services?: Service[];
  tasks?: Task[];
  stoppedAgentTasks?: Task[];
  taskDefinitions?: TaskDefinition[];
  detection?: AgentDetection;
  /** What DescribeImages said ({@link FIXTURE_IMAGES} by default). */
  images?: ClusterObservation['images'];
  imagesError?: ClusterObservation['imagesError'];
  /** DescribeCapacityProviders' answer (Managed Instances: see `./managedDaemons`). */
  capacityProviders?: ClusterObservation['capacityProviders'];
  /** The cluster's daemons, with their revisions and deployments. */
  daemons?: ClusterObservation['daemons'];
  managedInstancesError?: ClusterObservation['managedInstancesError'];
  daemonTaskDefinitionArns?: string[];
}): ClusterObservation {
  const taskDefinitions = Object.fromEntries(
    (parts.taskDefinitions ?? []).map(td => [td.taskDefinitionArn!, td]),
  );
  return {
    cluster: cluster(parts.cluster),
    instances: parts.instances ?? [],
    services: parts.services ?? [],
    tasks: parts.tasks ?? [],
    stoppedAgentTasks: parts.stoppedAgentTasks ?? [],
    taskDefinitions,
    agentTaskDefinitionArns: Object.keys(taskDefinitions).filter(arn =>
      isAgentTaskDefinition(taskDefinitions[arn], parts.detection ?? DETECTION),
    ),
    images: 'images' in parts ? parts.images : FIXTURE_IMAGES,
    ...(parts.imagesError ? { imagesError: parts.imagesError } : {}),
    ...(parts.capacityProviders
      ? { capacityProviders: parts.capacityProviders }
      : {}),
    ...(parts.daemons ? { daemons: parts.daemons } : {}),
    ...(parts.managedInstancesError
      ? { managedInstancesError: parts.managedInstancesError }
      : {}),
    ...(parts.daemonTaskDefinitionArns
      ? { daemonTaskDefinitionArns: parts.daemonTaskDefinitionArns }
      : {}),
    observedAt: OBSERVED_AT,
  };
}

/** ECS's placement-failure event, verbatim. */
export function placementEvent(
  instanceId: string,
  detail: string,
  serviceName = 'datadog-agent',
) {
  return {
    message: `(service ${serviceName}) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ${instanceId}) ${detail}. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
  };
}
