import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/datadog-ecs',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const datadogEcsPlugin = createFrontendPlugin({
  pluginId: 'datadog-ecs',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
