/**
 * The datadog-ecs backend plugin: Datadog Agent coverage of Amazon ECS clusters.
 *
 * @packageDocumentation
 */

export { datadogEcsPlugin as default } from './plugin';
export { ecsGatewayServiceRef } from './aws/ecsGatewayService';
export type {
  AmiImage,
  AmiImages,
  EcsGateway,
  EcsLocationApi,
  ListTasksFilter,
} from './aws/EcsGateway';
