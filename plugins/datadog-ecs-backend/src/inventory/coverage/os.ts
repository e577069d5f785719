import { TaskDefinition } from '../../aws/EcsGateway';
import { attribute, isExternalInstance, osOf, InventoriedInstance } from '../instances';
import { revisionOf } from './ecs';

/** The OS a task definition targets, read from runtimePlatform or its volumes' host paths. */
export function targetOs(taskDefinition: TaskDefinition): 'linux' | 'windows' {
  if (
    taskDefinition.runtimePlatform?.operatingSystemFamily?.startsWith('WINDOWS')
  )
    return 'windows';
  const windowsPath = (taskDefinition.volumes ?? []).some(v => {
    const path = v.host?.sourcePath ?? '';
    return path.startsWith('\\\\.\\pipe') || /^[a-z]:\\/i.test(path);
  });
  return windowsPath ? 'windows' : 'linux';
}

/**
 * Why ECS never places the Agent task definition on the instance (OS family, EXTERNAL / EC2
 * compatibility), or undefined when it can.
 */
export function osMismatch(
  instance: InventoriedInstance,
  taskDefinition: TaskDefinition,
): string | undefined {
  const instanceOs = osOf(instance);
  const defOs = targetOs(taskDefinition);
  if (instanceOs !== 'unknown' && instanceOs !== defOs) {
    return `This is a ${
      instanceOs === 'windows' ? 'Windows' : 'Linux'
    } instance (${
      attribute(instance, 'ecs.os-family') ?? instanceOs
    }) but the Agent task definition ${revisionOf(
      taskDefinition.taskDefinitionArn ?? '',
    )} is for ${
      defOs === 'windows' ? 'Windows' : 'Linux'
    }, so ECS never places it here.`;
  }
  const compat = taskDefinition.requiresCompatibilities ?? [];
  if (
    isExternalInstance(instance) &&
    compat.length > 0 &&
    !compat.includes('EXTERNAL')
  ) {
    return 'This is an ECS Anywhere (EXTERNAL) instance but the Agent task definition does not list EXTERNAL in requiresCompatibilities.';
  }
  if (
    !isExternalInstance(instance) &&
    compat.length > 0 &&
    !compat.includes('EC2')
  ) {
    return 'The Agent task definition requires EXTERNAL (ECS Anywhere) compatibility, so ECS does not place it on EC2 instances.';
  }
  return undefined;
}
