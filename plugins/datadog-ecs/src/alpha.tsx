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
import { isDatadogEcsAvailable } from './conditions';
import { clusterRouteRef, entityContentRouteRef, rootRouteRef } from './routes';
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
 * The datadog-ecs frontend plugin for apps on Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'datadog-ecs',
  extensions: [api, page, entityContent, entityCard],
  routes: {
    root,
    cluster,
    entityContent: entityContentRoute,
  },
});

export { datadogEcsApiRef } from './api';
