import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import CloudIcon from '@material-ui/icons/CloudQueue';
import { isDatadogEcsAvailable } from './conditions';
import { entityContentRouteRef, rootRouteRef } from './routes';

const page = PageBlueprint.make({
  params: {
    path: '/datadog-ecs',
    title: 'Datadog on ECS',
    icon: <CloudIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/DatadogEcsPage').then(m => <m.DatadogEcsPage />),
  },
});

const entityContent = EntityContentBlueprint.make({
  params: {
    path: '/datadog-ecs',
    title: 'Datadog Agent',
    routeRef: convertLegacyRouteRef(entityContentRouteRef),
    filter: isDatadogEcsAvailable,
    loader: () =>
      import('./components/EntityDatadogEcs').then(m => <m.EntityDatadogEcsContent />),
  },
});

const entityCard = EntityCardBlueprint.make({
  params: {
    filter: isDatadogEcsAvailable,
    loader: () =>
      import('./components/EntityDatadogEcs').then(m => <m.EntityDatadogEcsCard />),
  },
});

/**
 * The datadog-ecs frontend plugin for apps on Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'datadog-ecs',
  extensions: [page, entityContent, entityCard],
  routes: {
    root: convertLegacyRouteRef(rootRouteRef),
    entityContent: convertLegacyRouteRef(entityContentRouteRef),
  },
});
