import { ecsOptimizedAmiId } from '../ec2/catalog';
import { arns, IdGenerator } from './ids';
import {
  dockerApis,
  INSTANCE_TYPES,
  InstanceProfile,
  LINUX_PORTS,
  PROFILES,
  WINDOWS_PORTS,
} from './profiles';
import { Attribute, Cluster, ContainerInstance, Tag } from './types';

export type { InstanceProfile } from './profiles';
export { INSTANCE_TYPES } from './profiles';

/** @public */
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
  /**
   * The `ecs.ami-id` attribute (default: the profile's ECS-optimized AMI in
   * the cluster's region, which DescribeImages knows). Another id is only
   * described when the fleet lists it in `images`.
   */
  amiId?: string;
  capacityProviderName?: string;
  /** Extra or overriding attributes (null removes one). */
  attributes?: Record<string, string | null>;
  tags?: Tag[];
}

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
      own.set(
        'ecs.ami-id',
        spec.amiId ?? ecsOptimizedAmiId(profile.ami!, cluster.region),
      );
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
      managedInstances: profile.managedInstances || undefined,
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
