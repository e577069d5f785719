import { Entity } from '@backstage/catalog-model';
import { hasDatadogEcsAnnotation } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * Whether the datadog-ecs card and tab apply to an entity: it is annotated with
 * `aws.amazon.com/amazon-ecs-service-arn` or `aws.amazon.com/amazon-ecs-cluster-arn`.
 *
 * @public
 */
export const isDatadogEcsAvailable = (entity: Entity): boolean =>
  hasDatadogEcsAnnotation(entity);
