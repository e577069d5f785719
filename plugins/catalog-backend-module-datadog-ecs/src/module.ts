import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { createServiceClient } from './client';
import { DatadogEcsClusterEntityProvider } from './DatadogEcsClusterEntityProvider';
import { DatadogEcsServiceRelationProcessor } from './DatadogEcsServiceRelationProcessor';

/**
 * The catalog module of datadog-ecs: ECS clusters of the datadog-ecs inventory as `Resource`
 * entities (`spec.type: ecs-cluster`), and `dependsOn` relations from the entities whose ECS
 * services the inventory confirms to the clusters they run on.
 *
 * @public
 */
export const catalogModuleDatadogEcs = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'datadog-ecs',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
      },
      async init({
        catalog,
        discovery,
        auth,
        scheduler,
        logger,
        config,
        cache,
      }) {
        catalog.addEntityProvider(
          DatadogEcsClusterEntityProvider.fromConfig(config, {
            discovery,
            auth,
            scheduler,
            logger,
          }),
        );
        catalog.addProcessor(
          new DatadogEcsServiceRelationProcessor({
            client: createServiceClient({ discovery, auth }),
            cache,
            logger,
          }),
        );
      },
    });
  },
});
