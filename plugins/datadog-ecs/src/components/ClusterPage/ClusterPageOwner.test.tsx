import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { partialCluster } from '../../__fixtures__';
import {
  BASE_URL,
  CATALOG_ROUTES,
  renderWithPlugin,
  setupMswServer,
} from '../../__testUtils__';
import { ClusterPage } from './ClusterPage';

const server = setupMswServer();

const CLUSTER_PATH = '/datadog-ecs/clusters/:accountId/:region/:clusterName';
const ROUTE = '/datadog-ecs/clusters/111111111111/us-east-1/prod-batch';
const RESOURCE = 'prod-batch-us-east-1-111111111111';

const resource: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: RESOURCE, namespace: 'default' },
  spec: { type: 'ecs-cluster', owner: 'group:default/payments' },
};

function serveCluster(body: object) {
  server.use(
    http.get(`${BASE_URL}/clusters/:account/:region/:cluster`, () =>
      HttpResponse.json(body),
    ),
  );
}

describe('ClusterPage owner and catalog resource', () => {
  it('names the owner and where it comes from, and links the cluster’s catalog resource', async () => {
    serveCluster({
      ...partialCluster,
      owner: 'group:default/payments',
      ownerSource: 'tag',
    });
    const catalogApi = catalogApiMock.mock({
      getEntityByRef: jest.fn(async () => resource),
    });
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: ROUTE,
      apis: [[catalogApiRef, catalogApi]],
      mountedRoutes: CATALOG_ROUTES,
    });
    const owner = await screen.findByText(/^Owner:/);
    expect(owner).toHaveTextContent(
      'Owner: payments (from the cluster’s AWS tag)',
    );
    expect(within(owner).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/group/payments',
    );
    expect(
      await screen.findByRole('link', { name: 'Catalog resource' }),
    ).toHaveAttribute('href', `/catalog/default/resource/${RESOURCE}`);
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith(
      `resource:default/${RESOURCE}`,
    );
  });

  it('says the owner is the configured default', async () => {
    serveCluster({
      ...partialCluster,
      owner: 'group:default/platform',
      ownerSource: 'config',
    });
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: ROUTE,
      mountedRoutes: CATALOG_ROUTES,
    });
    expect(await screen.findByText(/^Owner:/)).toHaveTextContent(
      'Owner: platform (the configured default)',
    );
  });

  it.each([
    ['the catalog does not have the resource', async () => undefined],
    [
      'the catalog lookup fails',
      async () => {
        throw new Error('catalog down');
      },
    ],
  ])('says "No owner" and shows no catalog link when %s', async (_, lookup) => {
    serveCluster({ ...partialCluster, owner: undefined });
    const getEntityByRef = jest.fn(lookup);
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: ROUTE,
      apis: [[catalogApiRef, catalogApiMock.mock({ getEntityByRef })]],
      mountedRoutes: CATALOG_ROUTES,
    });
    expect(await screen.findByText('No owner')).toBeInTheDocument();
    await waitFor(() => expect(getEntityByRef).toHaveBeenCalled());
    expect(
      screen.queryByRole('link', { name: 'Catalog resource' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText(/catalog down/)).not.toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'prod-batch' }),
    ).toBeInTheDocument();
  });

  it('does not ask the catalog when told not to link it (the resource’s own page)', async () => {
    serveCluster(partialCluster);
    const getEntityByRef = jest.fn(async () => resource);
    await renderWithPlugin(<ClusterPage catalogLink={false} />, {
      path: CLUSTER_PATH,
      route: ROUTE,
      apis: [[catalogApiRef, catalogApiMock.mock({ getEntityByRef })]],
      mountedRoutes: CATALOG_ROUTES,
    });
    expect(
      await screen.findByRole('heading', { name: 'prod-batch' }),
    ).toBeInTheDocument();
    expect(getEntityByRef).not.toHaveBeenCalled();
    expect(
      screen.queryByRole('link', { name: 'Catalog resource' }),
    ).not.toBeInTheDocument();
  });
});
