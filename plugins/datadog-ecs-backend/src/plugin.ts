import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { datadogEcsPermissions } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { ecsGatewayServiceRef } from './aws/ecsGatewayService';
import { readDatadogEcsConfig } from './config/config';
import { InventoryRefresher } from './inventory/InventoryRefresher';
import { SnapshotStore } from './inventory/SnapshotStore';
import { createRouter, REFRESH_TASK_ID } from './router';

/**
 * The datadog-ecs backend plugin: Datadog Agent coverage of Amazon ECS clusters.
 *
 * @public
 */
export const datadogEcsPlugin = createBackendPlugin({
  pluginId: 'datadog-ecs',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        gateway: ecsGatewayServiceRef,
      },
      async init(deps) {
        const config = readDatadogEcsConfig(deps.rootConfig);
        deps.permissionsRegistry.addPermissions(datadogEcsPermissions);

        const store = await SnapshotStore.create({ database: deps.database });
        const refresher = new InventoryRefresher({
          config,
          gateway: deps.gateway,
          store,
          logger: deps.logger,
        });

        await deps.scheduler.scheduleTask({
          id: REFRESH_TASK_ID,
          ...config.refreshSchedule,
          fn: () => refresher.refreshAll(),
        });

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            auth: deps.auth,
            permissions: deps.permissions,
            logger: deps.logger,
            catalog: deps.catalog,
            scheduler: deps.scheduler,
            store,
            config,
          }),
        );
        deps.httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
