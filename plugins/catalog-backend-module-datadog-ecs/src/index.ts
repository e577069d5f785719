/**
 * The datadog-ecs module for the catalog backend: ECS clusters as `Resource` entities, and the
 * services that run on them linked to them.
 *
 * @packageDocumentation
 */

export { catalogModuleDatadogEcs as default } from './module';
export {
  DatadogEcsClusterEntityProvider,
  DEFAULT_CLUSTER_PROVIDER_SCHEDULE,
  type DatadogEcsClusterEntityProviderOptions,
} from './DatadogEcsClusterEntityProvider';
export {
  DatadogEcsServiceRelationProcessor,
  SERVICE_LOOKUP_TTL_MS,
  type DatadogEcsServiceRelationProcessorOptions,
} from './DatadogEcsServiceRelationProcessor';
export {
  clusterToEntity,
  clusterExists,
  clusterLocationRef,
  UNKNOWN_CLUSTER_OWNER,
} from './clusterEntity';
export {
  DatadogEcsServiceClient,
  createServiceClient,
  serviceTokenFetch,
} from './client';
