import { ContainerInstance } from '../aws/EcsGateway';
import { ContainerInstanceInfo } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * A custom container-instance attribute operators may set (ECS PutAttributes) to state the
 * Amazon Linux generation explicitly: `1`, `2` or `2023`.
 */
export const AMAZON_LINUX_GENERATION_ATTRIBUTE = 'datadog.amazon-linux-generation';

export function attribute(instance: ContainerInstance, name: string): string | undefined {
  return instance.attributes?.find(a => a.name === name)?.value;
}

export function isExternalInstance(instance: ContainerInstance): boolean {
  return (
    instance.ec2InstanceId?.startsWith('mi-') === true ||
    instance.attributes?.some(a => a.name === 'ecs.capability.external') === true
  );
}

export function osOf(instance: ContainerInstance): 'linux' | 'windows' | 'unknown' {
  const osType = attribute(instance, 'ecs.os-type');
  if (osType === 'linux' || osType === 'windows') return osType;
  const family = attribute(instance, 'ecs.os-family');
  if (family?.startsWith('WINDOWS')) return 'windows';
  if (family === 'LINUX') return 'linux';
  return 'unknown';
}

/**
 * The Amazon Linux generation of an instance. ECS reports no attribute for it, so: the custom
 * attribute when set, else Docker's major version on ECS-optimized AMIs (Amazon Linux 1 stopped at
 * Docker 19, Amazon Linux 2 ships 20, Amazon Linux 2023 ships 24 and later). ECS Anywhere and
 * Windows hosts have none.
 */
export function amazonLinuxGenerationOf(instance: ContainerInstance): 1 | 2 | 2023 | undefined {
  if (osOf(instance) !== 'linux' || isExternalInstance(instance)) return undefined;
  const explicit = attribute(instance, AMAZON_LINUX_GENERATION_ATTRIBUTE);
  if (explicit === '1' || explicit === '2' || explicit === '2023') {
    return Number(explicit) as 1 | 2 | 2023;
  }
  const docker = /(\d+)\.\d+/.exec(instance.versionInfo?.dockerVersion ?? '');
  if (!docker) return undefined;
  const major = Number(docker[1]);
  if (major <= 19) return 1;
  if (major >= 24) return 2023;
  return 2;
}

export function instanceIdOf(instance: ContainerInstance): string {
  const arn = instance.containerInstanceArn ?? '';
  return instance.ec2InstanceId ?? arn.slice(arn.lastIndexOf('/') + 1);
}

export function instanceInfo(instance: ContainerInstance): ContainerInstanceInfo | undefined {
  const os = osOf(instance);
  if (os === 'unknown') return undefined;
  return {
    os,
    amazonLinuxGeneration: amazonLinuxGenerationOf(instance),
    external: isExternalInstance(instance),
  };
}
