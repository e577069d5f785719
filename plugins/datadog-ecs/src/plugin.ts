import {
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import {
  clusterEntityContentRouteRef,
  clusterRouteRef,
  entityContentRouteRef,
  rootRouteRef,
} from './routes';
import { datadogEcsApiFactory } from './api';

/**
 * The datadog-ecs frontend plugin for apps on Backstage's legacy frontend system.
 *
 * @public
 */
export const datadogEcsPlugin = createPlugin({
  id: 'datadog-ecs',
  apis: [datadogEcsApiFactory],
  routes: {
    root: rootRouteRef,
    cluster: clusterRouteRef,
    entityContent: entityContentRouteRef,
    clusterEntityContent: clusterEntityContentRouteRef,
  },
});

/**
 * The portal page: one card per ECS cluster with its Datadog Agent coverage.
 *
 * @public
 */
export const DatadogEcsPage = datadogEcsPlugin.provide(
  createRoutableExtension({
    name: 'DatadogEcsPage',
    component: () =>
      import('./components/DatadogEcsPage').then(m => m.DatadogEcsPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The entity tab for service pages.
 *
 * @public
 */
export const EntityDatadogEcsContent = datadogEcsPlugin.provide(
  createRoutableExtension({
    name: 'EntityDatadogEcsContent',
    component: () =>
      import('./components/EntityDatadogEcs').then(
        m => m.EntityDatadogEcsContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);

/**
 * The entity card for service pages.
 *
 * @public
 */
export const EntityDatadogEcsCard = datadogEcsPlugin.provide(
  createComponentExtension({
    name: 'EntityDatadogEcsCard',
    component: {
      lazy: () =>
        import('./components/EntityDatadogEcs').then(
          m => m.EntityDatadogEcsCard,
        ),
    },
  }),
);

/**
 * The "Datadog Agent" tab for the pages of `ecs-cluster` resources ({@link isEcsClusterResource}):
 * the cluster page of the cluster the resource's annotations name, with its rollout button.
 *
 * @public
 */
export const EntityDatadogEcsClusterContent = datadogEcsPlugin.provide(
  createRoutableExtension({
    name: 'EntityDatadogEcsClusterContent',
    component: () =>
      import('./components/EntityDatadogEcsCluster').then(
        m => m.EntityDatadogEcsClusterContent,
      ),
    mountPoint: clusterEntityContentRouteRef,
  }),
);

/**
 * The overview card for the pages of `ecs-cluster` resources ({@link isEcsClusterResource}).
 *
 * @public
 */
export const EntityDatadogEcsClusterCard = datadogEcsPlugin.provide(
  createComponentExtension({
    name: 'EntityDatadogEcsClusterCard',
    component: {
      lazy: () =>
        import('./components/EntityDatadogEcsCluster').then(
          m => m.EntityDatadogEcsClusterCard,
        ),
    },
  }),
);
