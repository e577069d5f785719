import { arns, IdGenerator } from './ids';
import { Attribute, Cluster, ContainerInstance, Tag } from './types';

/** How a host looks to ECS: operating system, agent, Docker, capabilities. */
export type InstanceProfile =
  | 'al2023'
  | 'al2'
  | 'al1'
  | 'windows2022'
  | 'external';

export interface InstanceSpec {
  /** How many identical instances to create (default 1). */
  count?: number;
  profile?: InstanceProfile;
  instanceType?: string;
  /** Registered CPU units (default from instanceType). */
  cpu?: number;
  /** Registered memory in MiB (default from instanceType). */
  memory?: number;
  availabilityZone?: string;
  status?: 'ACTIVE' | 'DRAINING';
  agentConnected?: boolean;
  agentVersion?: string;
  dockerVersion?: string;
  amiId?: string;
  capacityProviderName?: string;
  /** Extra or overriding attributes (null removes one). */
  attributes?: Record<string, string | null>;
  tags?: Tag[];
}

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

const LINUX_PORTS = ['22', '2375', '2376', '51678', '51679'];
const WINDOWS_PORTS = [
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

function dockerApis(max: string): string[] {
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

interface ProfileDefaults {
  osType: 'linux' | 'windows';
  osFamily: string;
  agentVersion: string;
  dockerVersion: string;
  amiId?: string;
  maxDockerApi: string;
  caps: string[];
  instanceType: string;
  external: boolean;
}

const PROFILES: Record<InstanceProfile, ProfileDefaults> = {
  al2023: {
    osType: 'linux',
    osFamily: 'LINUX',
    agentVersion: '1.88.0',
    dockerVersion: 'DockerVersion: 25.0.8',
    amiId: 'ami-0c7a4976cb6e06ff5', // al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64
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
    amiId: 'ami-05cfa0ca0d4e1e6b2', // amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs
    maxDockerApi: '1.41',
    caps: [...LINUX_CAPS, ...MODERN_ONLY],
    instanceType: 'm5.large',
    external: false,
  },
  al1: {
    osType: 'linux',
    osFamily: 'LINUX',
    agentVersion: '1.51.0',
    dockerVersion: 'DockerVersion: 19.03.13-ce',
    amiId: 'ami-0bb4a9d1f5ec0b4c2', // amzn-ami-2018.03.20210219-amazon-ecs-optimized
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
    amiId: 'ami-0f1e1d2c3b4a59687', // Windows_Server-2022-English-Core-ECS_Optimized-2024.11.13
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
};

export function osFamilyOf(instance: ContainerInstance): string {
  return instance.attrMap.get('ecs.os-family') || 'LINUX';
}

export function attributeValue(instance: ContainerInstance, name: string) {
  return instance.attrMap.get(name);
}

/** Read-only lookup: own values first, then the values shared by a profile. */
class LayeredMap extends Map<string, string> {
  constructor(
    own: Map<string, string>,
    private readonly shared: Map<string, string>,
  ) {
    super(own);
  }
  get(key: string) {
    return super.get(key) ?? this.shared.get(key);
  }
  has(key: string) {
    return super.has(key) || this.shared.has(key);
  }
}

const sharedCache = new Map<
  InstanceProfile,
  { list: Attribute[]; map: Map<string, string> }
>();

/** Capability attributes of a profile, shared (immutable) by its instances. */
function sharedCapabilities(name: InstanceProfile) {
  let entry = sharedCache.get(name);
  if (!entry) {
    const profile = PROFILES[name];
    const names = [
      ...new Set([...dockerApis(profile.maxDockerApi), ...profile.caps]),
    ];
    const list = names.map(n => Object.freeze({ name: n }) as Attribute);
    entry = { list, map: new Map(names.map(n => [n, ''])) };
    sharedCache.set(name, entry);
  }
  return entry;
}

/** Creates `count` container instances in a cluster (not yet with tasks). */
export function createInstances(
  cluster: Cluster,
  spec: InstanceSpec,
  ids: IdGenerator,
  now: number,
  indexOffset = 0,
): ContainerInstance[] {
  const profileName = spec.profile ?? 'al2023';
  const profile = PROFILES[profileName];
  if (!profile) {
    throw new Error(`Unknown instance profile '${profileName}'`);
  }
  const instanceType = spec.instanceType ?? profile.instanceType;
  const size = INSTANCE_TYPES[instanceType] ?? INSTANCE_TYPES['m5.large'];
  const count = spec.count ?? 1;
  const azs = ['a', 'b', 'c'].map(s => `${cluster.region}${s}`);
  const created: ContainerInstance[] = [];
  for (let i = 0; i < count; i++) {
    const id = ids.hex(32, 'container-instance');
    const ec2Id = profile.external
      ? `mi-0${ids.hex(16, 'mi')}`
      : `i-0${ids.hex(16, 'ec2')}`;
    const az = profile.external
      ? undefined
      : spec.availabilityZone ?? azs[(indexOffset + i) % azs.length];
    const own = new Map<string, string | undefined>();
    own.set('ecs.os-type', profile.osType);
    own.set('ecs.os-family', profile.osFamily);
    own.set('ecs.cpu-architecture', 'x86_64');
    if (!profile.external) {
      own.set('ecs.instance-type', instanceType);
      own.set('ecs.availability-zone', az!);
      own.set('ecs.ami-id', spec.amiId ?? profile.amiId!);
      own.set('ecs.vpc-id', `vpc-0${ids.hex(16, 'vpc')}`);
      own.set('ecs.subnet-id', `subnet-0${ids.hex(16, 'subnet')}`);
    }
    const shared = sharedCapabilities(profileName);
    let attributes: Attribute[];
    let attrMap: Map<string, string>;
    if (spec.attributes && Object.keys(spec.attributes).length) {
      const all = new Map<string, string | undefined>(
        shared.list.map(a => [a.name, a.value]),
      );
      for (const [k, v] of own) all.set(k, v);
      for (const [k, v] of Object.entries(spec.attributes)) {
        if (v === null) all.delete(k);
        else all.set(k, v === '' ? undefined : v);
      }
      attributes = [...all.entries()].map(([name, value]) =>
        value === undefined ? { name } : { name, value },
      );
      attrMap = new Map(attributes.map(a => [a.name, a.value ?? '']));
    } else {
      attributes = [
        ...shared.list,
        ...[...own.entries()].map(([name, value]) => ({ name, value })),
      ];
      attrMap = new LayeredMap(
        new Map([...own.entries()].map(([k, v]) => [k, v ?? ''])),
        shared.map,
      );
    }
    const instance: ContainerInstance = {
      arn: arns.containerInstance(
        cluster.region,
        cluster.accountId,
        cluster.name,
        id,
      ),
      id,
      clusterName: cluster.name,
      ec2InstanceId: ec2Id,
      external: profile.external,
      status: spec.status ?? 'ACTIVE',
      agentConnected: spec.agentConnected ?? true,
      attributes,
      attrMap,
      versionInfo: {
        agentVersion: spec.agentVersion ?? profile.agentVersion,
        agentHash: ids.hex(8, 'agent-hash'),
        dockerVersion: spec.dockerVersion ?? profile.dockerVersion,
      },
      cpu: spec.cpu ?? size.cpu,
      memory: spec.memory ?? size.memory,
      reservedTcpPorts:
        profile.osType === 'windows' ? WINDOWS_PORTS : LINUX_PORTS,
      reservedUdpPorts: [],
      registeredAt: now,
      capacityProviderName: spec.capacityProviderName,
      availabilityZone: az,
      tags: spec.tags ?? [],
      version: 1,
      tasks: new Set(),
    };
    cluster.instances.set(id, instance);
    created.push(instance);
  }
  return created;
}
