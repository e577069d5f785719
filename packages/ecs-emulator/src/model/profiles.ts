// How each instance profile looks to ECS: OS, agent and Docker versions, capabilities, AMI.

/**
 * How a host looks to ECS: operating system, agent, Docker, capabilities.
 *
 * @public
 */
export type InstanceProfile =
  | 'al2023'
  | 'al2'
  | 'al2-docker19'
  | 'al1'
  | 'windows2022'
  | 'external'
  | 'managed-instances';

/** Registered CPU / memory (MiB) as the ECS agent reports them. */
export const INSTANCE_TYPES: Record<string, { cpu: number; memory: number }> = {
  't3.nano': { cpu: 2048, memory: 460 },
  't3.micro': { cpu: 2048, memory: 944 },
  't3.small': { cpu: 2048, memory: 1900 },
  't3.medium': { cpu: 2048, memory: 3891 },
  't3.large': { cpu: 2048, memory: 7860 },
  'm5.large': { cpu: 2048, memory: 7680 },
  'm5.xlarge': { cpu: 4096, memory: 15578 },
  'm5.2xlarge': { cpu: 8192, memory: 31635 },
  'c5.xlarge': { cpu: 4096, memory: 7484 },
  'r5.large': { cpu: 2048, memory: 15578 },
  'm6i.large': { cpu: 2048, memory: 7680 },
  external: { cpu: 4096, memory: 15700 },
};

export const LINUX_PORTS = ['22', '2375', '2376', '51678', '51679'];
export const WINDOWS_PORTS = [
  '53',
  '135',
  '139',
  '445',
  '2375',
  '2376',
  '3389',
  '5985',
  '5986',
  '51678',
  '51679',
];

export function dockerApis(max: string): string[] {
  const all = [
    '1.17',
    '1.18',
    '1.19',
    '1.20',
    '1.21',
    '1.22',
    '1.23',
    '1.24',
    '1.25',
    '1.26',
    '1.27',
    '1.28',
    '1.29',
    '1.30',
    '1.31',
    '1.32',
    '1.33',
    '1.34',
    '1.35',
    '1.36',
    '1.37',
    '1.38',
    '1.39',
    '1.40',
    '1.41',
    '1.42',
    '1.43',
    '1.44',
  ];
  return all
    .slice(0, all.indexOf(max) + 1)
    .map(v => `com.amazonaws.ecs.capability.docker-remote-api.${v}`);
}

const LINUX_CAPS = [
  'com.amazonaws.ecs.capability.logging-driver.json-file',
  'com.amazonaws.ecs.capability.logging-driver.syslog',
  'com.amazonaws.ecs.capability.logging-driver.awslogs',
  'com.amazonaws.ecs.capability.logging-driver.none',
  'com.amazonaws.ecs.capability.logging-driver.journald',
  'com.amazonaws.ecs.capability.logging-driver.gelf',
  'com.amazonaws.ecs.capability.logging-driver.fluentd',
  'com.amazonaws.ecs.capability.logging-driver.awsfirelens',
  'com.amazonaws.ecs.capability.privileged-container',
  'com.amazonaws.ecs.capability.ecr-auth',
  'com.amazonaws.ecs.capability.task-iam-role',
  'com.amazonaws.ecs.capability.task-iam-role-network-host',
  'ecs.capability.execution-role-awslogs',
  'ecs.capability.execution-role-ecr-pull',
  'ecs.capability.container-health-check',
  'ecs.capability.secrets.asm.environment-variables',
  'ecs.capability.secrets.ssm.environment-variables',
  'ecs.capability.secrets.asm.bootstrap.log-driver',
  'ecs.capability.secrets.ssm.bootstrap.log-driver',
  'ecs.capability.task-eni',
  'ecs.capability.task-cpu-mem-limit',
  'ecs.capability.pid-ipc-namespace-sharing',
  'ecs.capability.container-ordering',
  'ecs.capability.docker-plugin.local',
  'ecs.capability.firelens.fluentbit',
  'ecs.capability.efsAuth',
  'ecs.capability.env-files.s3',
  'ecs.capability.full-sync',
  'ecs.capability.increased-task-cpu-limit',
];

const MODERN_ONLY = [
  'ecs.capability.execute-command',
  'ecs.capability.service-connect-v1',
  'ecs.capability.gpu-driver-version',
  'ecs.capability.storage-driver-overlay2',
];

const WINDOWS_CAPS = [
  'com.amazonaws.ecs.capability.logging-driver.json-file',
  'com.amazonaws.ecs.capability.logging-driver.awslogs',
  'com.amazonaws.ecs.capability.logging-driver.none',
  'com.amazonaws.ecs.capability.logging-driver.etwlogs',
  'com.amazonaws.ecs.capability.logging-driver.fluentd',
  'com.amazonaws.ecs.capability.logging-driver.awsfirelens',
  'com.amazonaws.ecs.capability.ecr-auth',
  'com.amazonaws.ecs.capability.task-iam-role',
  'ecs.capability.execution-role-awslogs',
  'ecs.capability.execution-role-ecr-pull',
  'ecs.capability.container-health-check',
  'ecs.capability.secrets.asm.environment-variables',
  'ecs.capability.secrets.ssm.environment-variables',
  'ecs.capability.task-eni',
  'ecs.capability.task-cpu-mem-limit',
  'ecs.capability.gmsa',
  'ecs.capability.full-sync',
];

export interface ProfileDefaults {
  osType: 'linux' | 'windows';
  osFamily: string;
  agentVersion: string;
  dockerVersion: string;
  /** Boots from this ECS-optimized AMI (ec2/catalog.ts; its id depends on the region). */
  ami?: string;
  maxDockerApi: string;
  caps: string[];
  instanceType: string;
  external: boolean;
  /** Amazon ECS Managed Instances (launched and replaced by ECS, for its capacity provider). */
  managedInstances?: boolean;
}

export const PROFILES: Record<InstanceProfile, ProfileDefaults> = {
  al2023: {
    osType: 'linux',
    osFamily: 'LINUX',
    agentVersion: '1.88.0',
    dockerVersion: 'DockerVersion: 25.0.8',
    ami: 'al2023', // al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64
    maxDockerApi: '1.44',
    caps: [...LINUX_CAPS, ...MODERN_ONLY],
    instanceType: 'm5.large',
    external: false,
  },
  al2: {
    osType: 'linux',
    osFamily: 'LINUX',
    agentVersion: '1.86.3',
    dockerVersion: 'DockerVersion: 20.10.25',
    ami: 'al2', // amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs
    maxDockerApi: '1.41',
    caps: [...LINUX_CAPS, ...MODERN_ONLY],
    instanceType: 'm5.large',
    external: false,
  },
  // An Amazon Linux 2 ECS-optimized AMI of 2021, before Docker 20.10 (AL2 AMIs shipped Docker
  // 18.06, 18.09 and 19.03): its Docker major version is the one Amazon Linux 1 AMIs had.
  'al2-docker19': {
    osType: 'linux',
    osFamily: 'LINUX',
    agentVersion: '1.51.0',
    dockerVersion: 'DockerVersion: 19.03.13-ce',
    ami: 'al2-docker19', // amzn2-ami-ecs-hvm-2.0.20210331-x86_64-ebs
    maxDockerApi: '1.40',
    caps: LINUX_CAPS.filter(c => c !== 'ecs.capability.full-sync'),
    instanceType: 'm5.large',
    external: false,
  },
  al1: {
    osType: 'linux',
    osFamily: 'LINUX',
    agentVersion: '1.51.0',
    dockerVersion: 'DockerVersion: 19.03.13-ce',
    ami: 'al1', // amzn-ami-2018.03.20210219-amazon-ecs-optimized
    maxDockerApi: '1.40',
    caps: LINUX_CAPS.filter(
      c =>
        c !== 'ecs.capability.increased-task-cpu-limit' &&
        c !== 'ecs.capability.full-sync',
    ),
    instanceType: 'm5.large',
    external: false,
  },
  windows2022: {
    osType: 'windows',
    osFamily: 'WINDOWS_SERVER_2022_CORE',
    agentVersion: '1.87.1',
    dockerVersion: 'DockerVersion: 20.10.23',
    ami: 'windows2022', // Windows_Server-2022-English-Core-ECS_Optimized-2024.11.13
    maxDockerApi: '1.24',
    caps: WINDOWS_CAPS,
    instanceType: 'm5.xlarge',
    external: false,
  },
  external: {
    osType: 'linux',
    osFamily: 'LINUX',
    agentVersion: '1.88.0',
    dockerVersion: 'DockerVersion: 25.0.6',
    maxDockerApi: '1.44',
    caps: [
      ...LINUX_CAPS.filter(
        c => c !== 'ecs.capability.task-eni' && c !== 'ecs.capability.efsAuth',
      ),
      'ecs.capability.external',
    ],
    instanceType: 'external',
    external: true,
  },
  // Amazon ECS Managed Instances: EC2 instances ECS launches, patches and replaces for a Managed
  // Instances capacity provider, from an AWS-managed Bottlerocket image (containerd). Only the
  // log drivers the API reference lists for Managed Instances (awslogs, splunk, awsfirelens,
  // json-file) are advertised.
  'managed-instances': {
    osType: 'linux',
    osFamily: 'LINUX',
    agentVersion: '1.97.1',
    dockerVersion: 'DockerVersion: 25.0.8',
    ami: 'bottlerocket', // bottlerocket-aws-ecs-2-x86_64-v1.28.0-9b4a5f2e
    maxDockerApi: '1.44',
    caps: [
      ...LINUX_CAPS.filter(
        c => !/logging-driver\.(syslog|journald|gelf|fluentd|none)$/.test(c),
      ),
      'com.amazonaws.ecs.capability.logging-driver.splunk',
      ...MODERN_ONLY,
    ],
    instanceType: 'm6i.large',
    external: false,
    managedInstances: true,
  },
};
