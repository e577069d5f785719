import { AmiImages, ContainerInstance } from '../aws/EcsGateway';
import { ContainerInstanceInfo } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { readAmiName } from './amis';

/**
 * A custom container-instance attribute operators may set (ECS PutAttributes) to state the
 * Amazon Linux generation explicitly: `1`, `2` or `2023`.
 */
export const AMAZON_LINUX_GENERATION_ATTRIBUTE =
  'datadog.amazon-linux-generation';

/**
 * The container-instance attributes the inventory reads, and so all it keeps of them: ECS reports
 * about 70 per instance (4 KB, most of a described instance), which a refresh would otherwise hold
 * for every instance of a location until its AMIs are described. {@link attribute} reads only these.
 */
export const INVENTORIED_ATTRIBUTES = [
  'ecs.os-type',
  'ecs.os-family',
  'ecs.ami-id',
  'ecs.instance-type',
  'ecs.availability-zone',
  'ecs.capability.external',
  AMAZON_LINUX_GENERATION_ATTRIBUTE,
] as const;

export type InventoriedAttribute = (typeof INVENTORIED_ATTRIBUTES)[number];

/**
 * What the inventory reads of a container instance (the coverage functions take this type, so a
 * field read elsewhere must be added here): all a refresh keeps of a described instance.
 */
export type InventoriedInstance = Pick<
  ContainerInstance,
  | 'containerInstanceArn'
  | 'ec2InstanceId'
  | 'status'
  | 'agentConnected'
  | 'capacityProviderName'
  | 'attributes'
>;

const inventoried = new Set<string>(INVENTORIED_ATTRIBUTES);
/**
 * Their names' lengths: most names a refresh meets are tested by length alone, before the set
 * would hash them (every name of a fresh answer is a new string: hashing them was half the time).
 */
const inventoriedLengths = new Set<number>(
  INVENTORIED_ATTRIBUTES.map(name => name.length),
);

/** The {@link InventoriedInstance} of a described instance: its other fields and attributes dropped. */
export function inventoriedInstance(
  instance: ContainerInstance,
): InventoriedInstance {
  const { containerInstanceArn, ec2InstanceId, status, agentConnected } =
    instance;
  return {
    containerInstanceArn,
    ec2InstanceId,
    status,
    agentConnected,
    ...(instance.capacityProviderName !== undefined
      ? { capacityProviderName: instance.capacityProviderName }
      : {}),
    ...(instance.attributes
      ? { attributes: inventoriedAttributes(instance.attributes) }
      : {}),
  };
}

/** The attributes the coverage reads, of the ~70 ECS reports (one pass: it runs per instance). */
function inventoriedAttributes(
  attributes: NonNullable<ContainerInstance['attributes']>,
): NonNullable<InventoriedInstance['attributes']> {
  const kept: NonNullable<InventoriedInstance['attributes']> = [];
  for (const { name, value } of attributes) {
    if (
      typeof name !== 'string' ||
      !inventoriedLengths.has(name.length) ||
      !inventoried.has(name)
    ) {
      continue;
    }
    kept.push(value !== undefined ? { name, value } : { name });
  }
  return kept;
}

export function attribute(
  instance: InventoriedInstance,
  name: InventoriedAttribute,
): string | undefined {
  return instance.attributes?.find(a => a.name === name)?.value;
}

export function isExternalInstance(instance: InventoriedInstance): boolean {
  return (
    instance.ec2InstanceId?.startsWith('mi-') === true ||
    instance.attributes?.some(a => a.name === 'ecs.capability.external') ===
      true
  );
}

export function osOf(
  instance: InventoriedInstance,
): 'linux' | 'windows' | 'unknown' {
  const osType = attribute(instance, 'ecs.os-type');
  if (osType === 'linux' || osType === 'windows') return osType;
  const family = attribute(instance, 'ecs.os-family');
  if (family?.startsWith('WINDOWS')) return 'windows';
  if (family === 'LINUX') return 'linux';
  return 'unknown';
}

/** The `ecs.ami-id` attribute ECS reports for every EC2 container instance. */
export function amiIdOf(instance: InventoriedInstance): string | undefined {
  return attribute(instance, 'ecs.ami-id') || undefined;
}

/** Whether an Amazon Linux generation applies: a Linux EC2 instance (not Windows, not ECS Anywhere). */
function isLinuxEc2(instance: InventoriedInstance): boolean {
  return osOf(instance) === 'linux' && !isExternalInstance(instance);
}

/**
 * The AMIs whose names tell the Amazon Linux generation: those of Linux EC2 instances, each once,
 * in order.
 */
export function amiIdsToRead(
  instances: readonly InventoriedInstance[],
): string[] {
  const ids = new Set<string>();
  for (const instance of instances) {
    const id = isLinuxEc2(instance) ? amiIdOf(instance) : undefined;
    if (id) ids.add(id);
  }
  return [...ids];
}

/** What is known of an instance's Amazon Linux generation, and from where. */
export interface AmazonLinuxGenerationReading {
  generation?: 1 | 2 | 2023;
  /**
   * `attribute`: the custom attribute states it; `ami`: the AMI's name (with no generation when the
   * AMI is not Amazon Linux, e.g. Bottlerocket); `unknown`: neither (custom AMI, AMI not readable).
   * Absent where no generation applies (Windows, ECS Anywhere, an unknown OS).
   */
  source?: 'ami' | 'attribute' | 'unknown';
  amiId?: string;
  /** The AMI's name, when EC2 DescribeImages could read it. */
  amiName?: string;
}

/**
 * The Amazon Linux generation of an instance. ECS reports none, so: the custom attribute when set,
 * else the name of its AMI (`ecs.ami-id`, read with EC2 DescribeImages: `images`), else unknown.
 * Never from the Docker version: Amazon Linux 2 ECS-optimized AMIs shipped Docker 18.06, 18.09 and
 * 19.03 for years. ECS Anywhere and Windows hosts have none.
 */
export function amazonLinuxGenerationOf(
  instance: InventoriedInstance,
  images?: AmiImages,
): AmazonLinuxGenerationReading {
  const amiId = amiIdOf(instance);
  const image = amiId ? images?.[amiId] : undefined;
  const ami = {
    ...(amiId ? { amiId } : {}),
    ...(image?.name ? { amiName: image.name } : {}),
  };
  if (!isLinuxEc2(instance)) return ami;
  const explicit = attribute(instance, AMAZON_LINUX_GENERATION_ATTRIBUTE);
  if (explicit === '1' || explicit === '2' || explicit === '2023') {
    return {
      generation: Number(explicit) as 1 | 2 | 2023,
      source: 'attribute',
      ...ami,
    };
  }
  const reading = readAmiName(image?.name);
  if (reading === 'not-amazon-linux') return { source: 'ami', ...ami };
  if (reading !== undefined)
    return { generation: reading, source: 'ami', ...ami };
  return { source: 'unknown', ...ami };
}

export function instanceIdOf(instance: InventoriedInstance): string {
  const arn = instance.containerInstanceArn ?? '';
  return instance.ec2InstanceId ?? arn.slice(arn.lastIndexOf('/') + 1);
}

export function instanceInfo(
  instance: InventoriedInstance,
  images?: AmiImages,
): ContainerInstanceInfo | undefined {
  const os = osOf(instance);
  if (os === 'unknown') return undefined;
  const { generation, source } = amazonLinuxGenerationOf(instance, images);
  return {
    os,
    amazonLinuxGeneration: generation,
    ...(source ? { amazonLinuxGenerationSource: source } : {}),
    external: isExternalInstance(instance),
  };
}
