import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { clustersResponse, partialCluster } from './__fixtures__';
import { setupMswServer } from './__testUtils__';
import plugin from './alpha';

const server = setupMswServer();
const BASE = 'http://localhost:7007/api/datadog-ecs';

describe('datadog-ecs in the new frontend system', () => {
  beforeEach(() => {
    server.use(
      http.get(`${BASE}/clusters`, () => HttpResponse.json(clustersResponse())),
      http.get(`${BASE}/clusters/111111111111/us-east-1/prod-batch`, () =>
        HttpResponse.json(partialCluster),
      ),
    );
  });

  it('serves the portal page with its API and links to cluster pages', async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/datadog-ecs'],
      config: { backend: { baseUrl: 'http://localhost:7007' } },
    });
    expect(
      await screen.findByRole('heading', {
        name: 'Datadog Agent on Amazon ECS',
      }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'prod-batch' }),
    ).toHaveAttribute(
      'href',
      '/datadog-ecs/clusters/111111111111/us-east-1/prod-batch',
    );
  });

  it('serves the cluster page below the portal page', async () => {
    renderTestApp({
      features: [plugin],
      initialRouteEntries: [
        '/datadog-ecs/clusters/111111111111/us-east-1/prod-batch',
      ],
      config: { backend: { baseUrl: 'http://localhost:7007' } },
    });
    expect(
      await screen.findByRole('heading', { name: 'prod-batch' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: '← All clusters' }),
    ).toHaveAttribute('href', '/datadog-ecs');
    // The rollout button and the rollout history are there by default.
    expect(
      await screen.findByRole('button', { name: 'Roll out the Agent' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No rollouts to this cluster yet.'),
    ).toBeInTheDocument();
  });
});
