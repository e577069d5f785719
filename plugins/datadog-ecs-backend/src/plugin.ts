import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { datadogEcsPermissions } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { createRouter } from './router';

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
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ httpAuth, httpRouter, permissions, permissionsRegistry }) {
        permissionsRegistry.addPermissions(datadogEcsPermissions);
        httpRouter.use(await createRouter({ httpAuth, permissions }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
