import { ReactElement } from 'react';
import { Route, Routes } from 'react-router-dom';
import { setupServer } from 'msw/node';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { DatadogEcsClient } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { datadogEcsApiRef } from '../api';
import { rootRouteRef } from '../routes';

export const BASE_URL = 'http://localhost:7007/api/datadog-ecs';

/** An msw server with the usual test hooks; add handlers with `server.use(...)` in each test. */
export function setupMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

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
  options: { route?: string; path?: string } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[datadogEcsApiRef, testClient()]]}>
      <Routes>
        <Route path={options.path ?? '/datadog-ecs/*'} element={element} />
        <Route path="/*" element={element} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/datadog-ecs'],
      mountedRoutes: { '/datadog-ecs': rootRouteRef },
    },
  );
}
