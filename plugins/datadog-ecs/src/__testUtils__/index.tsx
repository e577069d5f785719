import { ReactElement } from 'react';
import { Route, Routes } from 'react-router-dom';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import {
  TestApiProvider,
  TestApiProviderProps,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { RouteRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { DatadogEcsClient } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { datadogEcsApiRef } from '../api';
import { rootRouteRef } from '../routes';

export const BASE_URL = 'http://localhost:7007/api/datadog-ecs';

/**
 * Handlers every test gets: an empty rollout history (the cluster page lists rollouts by default).
 * `server.use(...)` in a test takes precedence.
 */
export const defaultHandlers = [
  http.get(`${BASE_URL}/clusters/:account/:region/:cluster/rollouts`, () =>
    HttpResponse.json({ rollouts: [] }),
  ),
];

/** An msw server with the usual test hooks; add handlers with `server.use(...)` in each test. */
export function setupMswServer() {
  const server = setupServer(...defaultHandlers);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** The catalog's entity page, mounted as the catalog mounts it (for `EntityRefLink`s). */
export const CATALOG_ROUTES = {
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

export const testClient = () =>
  new DatadogEcsClient({
    discoveryApi: { getBaseUrl: async () => BASE_URL },
  });

/**
 * Renders an element inside the test app with the real HTTP client (answered by msw), mounted the way
 * the app mounts the portal page: at `/datadog-ecs/*`.
 */
export function renderWithPlugin(
  element: ReactElement,
  options: {
    route?: string;
    path?: string;
    /** Extra (or replacing) APIs, e.g. a permission API that denies. */
    apis?: TestApiProviderProps<any>['apis'];
    /** More mounted routes, e.g. the catalog's entity page for entity links. */
    mountedRoutes?: Record<string, RouteRef<any>>;
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [datadogEcsApiRef, testClient()],
        [permissionApiRef, mockApis.permission()],
        ...(options.apis ?? []),
      ]}
    >
      <Routes>
        <Route path={options.path ?? '/datadog-ecs/*'} element={element} />
        <Route path="/*" element={element} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/datadog-ecs'],
      mountedRoutes: {
        '/datadog-ecs': rootRouteRef,
        ...options.mountedRoutes,
      },
    },
  );
}
