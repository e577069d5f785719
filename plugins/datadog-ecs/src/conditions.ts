import { Entity } from '@backstage/catalog-model';
import {
  ECS_CLUSTER_RESOURCE_TYPE,
  hasDatadogEcsAnnotation,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * Whether an entity is the catalog resource of an ECS cluster: kind `Resource`, `spec.type`
 * `ecs-cluster` (as the datadog-ecs catalog module emits them). Such entities get the cluster's
 * "Datadog Agent" tab and card ({@link EntityDatadogEcsClusterContent}).
 *
 * @public
 */
export const isEcsClusterResource = (entity: Entity): boolean =>
  entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
  entity.spec?.type === ECS_CLUSTER_RESOURCE_TYPE;

/**
 * Whether the datadog-ecs card and tab for services apply to an entity: it is annotated with
 * `aws.amazon.com/amazon-ecs-service-arn` or `aws.amazon.com/amazon-ecs-cluster-arn`, and is not a
 * cluster's own resource (which {@link isEcsClusterResource} gives the cluster view instead).
 *
 * @public
 */
export const isDatadogEcsAvailable = (entity: Entity): boolean =>
  hasDatadogEcsAnnotation(entity) && !isEcsClusterResource(entity);
