import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { DatadogEcsClient } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import CloudIcon from '@material-ui/icons/CloudQueue';
import { isDatadogEcsAvailable, isEcsClusterResource } from './conditions';
import {
  clusterEntityContentRouteRef,
  clusterRouteRef,
  entityContentRouteRef,
  rootRouteRef,
} from './routes';
import { datadogEcsApiRef } from './api';

const api = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: datadogEcsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DatadogEcsClient({ discoveryApi, fetchApi }),
    }),
});

// Route refs are converted once, in place: the components use the legacy refs with
// `useRouteRef` from core-plugin-api, which resolves them in both frontend systems.
const root = convertLegacyRouteRef(rootRouteRef);
const cluster = convertLegacyRouteRef(clusterRouteRef);
const entityContentRoute = convertLegacyRouteRef(entityContentRouteRef);
const clusterEntityContentRoute = convertLegacyRouteRef(
  clusterEntityContentRouteRef,
);

/** The portal page; it renders the cluster pages (`clusters/:accountId/:region/:clusterName`) itself. */
const page = PageBlueprint.make({
  params: {
    path: '/datadog-ecs',
    title: 'Datadog on ECS',
    icon: <CloudIcon />,
    routeRef: root,
    loader: () =>
      import('./components/DatadogEcsPage').then(m => <m.DatadogEcsPage />),
  },
});

const entityContent = EntityContentBlueprint.make({
  params: {
    path: '/datadog-ecs',
    title: 'Datadog Agent',
    routeRef: entityContentRoute,
    filter: isDatadogEcsAvailable,
    loader: () =>
      import('./components/EntityDatadogEcs').then(m => (
        <m.EntityDatadogEcsContent />
      )),
  },
});

const entityCard = EntityCardBlueprint.make({
  params: {
    filter: isDatadogEcsAvailable,
    loader: () =>
      import('./components/EntityDatadogEcs').then(m => (
        <m.EntityDatadogEcsCard />
      )),
  },
});

/**
 * The pages of `ecs-cluster` resources (from the datadog-ecs catalog module): the cluster view as a
 * "Datadog Agent" tab, at the same path as the services' tab (their filters exclude each other).
 */
const clusterEntityContent = EntityContentBlueprint.make({
  name: 'cluster',
  params: {
    path: '/datadog-ecs',
    title: 'Datadog Agent',
    routeRef: clusterEntityContentRoute,
    filter: isEcsClusterResource,
    loader: () =>
      import('./components/EntityDatadogEcsCluster').then(m => (
        <m.EntityDatadogEcsClusterContent />
      )),
  },
});

const clusterEntityCard = EntityCardBlueprint.make({
  name: 'cluster',
  params: {
    filter: isEcsClusterResource,
    loader: () =>
      import('./components/EntityDatadogEcsCluster').then(m => (
        <m.EntityDatadogEcsClusterCard />
      )),
  },
});

/**
 * The datadog-ecs frontend plugin for apps on Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'datadog-ecs',
  extensions: [
    api,
    page,
    entityContent,
    entityCard,
    clusterEntityContent,
    clusterEntityCard,
  ],
  routes: {
    root,
    cluster,
    entityContent: entityContentRoute,
    clusterEntityContent: clusterEntityContentRoute,
  },
});

export { datadogEcsApiRef } from './api';
