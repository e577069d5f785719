import { Service, Task } from '../../aws/EcsGateway';

/*
 * Small readings of ECS resources that the coverage parts share.
 */

export const iso = (value: Date | string | undefined): string | undefined =>
  value === undefined ? undefined : new Date(value).toISOString();

/** `family:revision` of a task definition ARN. */
export function revisionOf(taskDefinitionArn: string): string {
  return taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1);
}

/** The last path segment of an ARN (a container instance's short id, …). */
export function nameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The primary deployment's task definition, or the service's own. */
export function currentTaskDefinitionArn(service: Service): string | undefined {
  return (
    service.deployments?.find(d => d.status === 'PRIMARY')?.taskDefinition ??
    service.taskDefinition
  );
}

/** Whether the service (or one of its deployments) runs one of the given task definitions. */
export function serviceUsesAny(service: Service, arns: Set<string>): boolean {
  if (service.taskDefinition && arns.has(service.taskDefinition)) return true;
  return (service.deployments ?? []).some(
    d => d.taskDefinition && arns.has(d.taskDefinition),
  );
}

/** Whether a task runs the current revision (any revision counts when there is none). */
export function isUpToDate(
  task: Task,
  currentArn: string | undefined,
): boolean {
  return currentArn === undefined || task.taskDefinitionArn === currentArn;
}

/** Whether a service or task runs on Fargate (launch type or capacity provider). */
export function isFargate(entity: {
  launchType?: string;
  capacityProviderStrategy?: Array<{ capacityProvider?: string }>;
}) {
  return (
    entity.launchType === 'FARGATE' ||
    (entity.capacityProviderStrategy ?? []).some(s =>
      s.capacityProvider?.startsWith('FARGATE'),
    )
  );
}
