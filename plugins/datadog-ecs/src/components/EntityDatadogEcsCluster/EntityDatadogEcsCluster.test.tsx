import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef, EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { partialCluster } from '../../__fixtures__';
import {
  BASE_URL,
  CATALOG_ROUTES,
  renderWithPlugin,
  setupMswServer,
} from '../../__testUtils__';
import { clusterRefFromEntity } from './clusterRefFromEntity';
import { EntityDatadogEcsClusterCard } from './EntityDatadogEcsClusterCard';
import { EntityDatadogEcsClusterContent } from './EntityDatadogEcsClusterContent';

const server = setupMswServer();

const ANNOTATIONS = {
  'aws.amazon.com/amazon-ecs-cluster-arn':
    'arn:aws:ecs:us-east-1:111111111111:cluster/prod-batch',
  'datadog-ecs/account-id': '111111111111',
  'datadog-ecs/region': 'us-east-1',
  'datadog-ecs/cluster-name': 'prod-batch',
};

const clusterResource = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'prod-batch-us-east-1-111111111111',
    namespace: 'default',
    annotations,
  },
  spec: { type: 'ecs-cluster', owner: 'group:default/payments' },
});

/** Answers GET /clusters/:a/:r/:c with the cluster and records the paths asked. */
function serveCluster() {
  const asked: string[] = [];
  server.use(
    http.get(`${BASE_URL}/clusters/:account/:region/:cluster`, ({ params }) => {
      asked.push(`${params.account}/${params.region}/${params.cluster}`);
      return HttpResponse.json({
        ...partialCluster,
        owner: 'group:default/payments',
        ownerSource: 'tag',
      });
    }),
  );
  return asked;
}

describe('clusterRefFromEntity', () => {
  it('reads the account, region and cluster-name annotations', () => {
    expect(clusterRefFromEntity(clusterResource(ANNOTATIONS))).toEqual({
      ref: {
        accountId: '111111111111',
        region: 'us-east-1',
        clusterName: 'prod-batch',
      },
    });
  });

  it('falls back to one cluster ARN', () => {
    expect(
      clusterRefFromEntity(
        clusterResource({
          'aws.amazon.com/amazon-ecs-cluster-arn':
            'arn:aws-cn:ecs:cn-north-1:222222222222:cluster/batch',
        }),
      ),
    ).toEqual({
      ref: {
        accountId: '222222222222',
        region: 'cn-north-1',
        clusterName: 'batch',
      },
    });
  });

  it.each([
    ['no annotations', undefined],
    [
      'two cluster ARNs',
      {
        'aws.amazon.com/amazon-ecs-cluster-arn':
          'arn:aws:ecs:us-east-1:111111111111:cluster/a,arn:aws:ecs:us-east-1:111111111111:cluster/b',
      },
    ],
    [
      'a service ARN',
      {
        'aws.amazon.com/amazon-ecs-cluster-arn':
          'arn:aws:ecs:us-east-1:111111111111:service/a/b',
      },
    ],
    [
      'a blank cluster name',
      {
        ...ANNOTATIONS,
        'aws.amazon.com/amazon-ecs-cluster-arn': '',
        'datadog-ecs/cluster-name': ' ',
      },
    ],
  ])('names what is missing with %s', (_, annotations) => {
    const resolved = clusterRefFromEntity(clusterResource(annotations));
    expect(resolved).toEqual({
      missing: expect.arrayContaining(['datadog-ecs/cluster-name']),
    });
  });
});

describe('EntityDatadogEcsClusterContent', () => {
  it('shows the cluster the annotations name, not the one in the URL, with its rollout button and history', async () => {
    const asked = serveCluster();
    const getEntityByRef = jest.fn(async () => clusterResource(ANNOTATIONS));
    await renderWithPlugin(
      <EntityProvider entity={clusterResource(ANNOTATIONS)}>
        <EntityDatadogEcsClusterContent />
      </EntityProvider>,
      {
        path: '/datadog-ecs/clusters/:accountId/:region/:clusterName',
        route: '/datadog-ecs/clusters/999999999999/eu-west-1/someone-else',
        apis: [[catalogApiRef, catalogApiMock.mock({ getEntityByRef })]],
        mountedRoutes: CATALOG_ROUTES,
      },
    );
    expect(
      await screen.findByRole('heading', { name: 'prod-batch' }),
    ).toBeInTheDocument();
    expect(asked).toEqual(['111111111111/us-east-1/prod-batch']);
    expect(screen.getByText(/^Owner:/)).toHaveTextContent(
      'Owner: payments (from the cluster’s AWS tag)',
    );
    expect(screen.getByText('Coverage history')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Roll out the Agent' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No rollouts to this cluster yet.'),
    ).toBeInTheDocument();
    // Its own page does not link to itself.
    expect(getEntityByRef).not.toHaveBeenCalled();
    expect(
      screen.queryByRole('link', { name: 'Catalog resource' }),
    ).not.toBeInTheDocument();
  });

  it('shows an error panel, and asks nothing, for a resource without the annotations', async () => {
    const asked = serveCluster();
    await renderWithPlugin(
      <EntityProvider
        entity={clusterResource({ 'backstage.io/techdocs-ref': 'dir:.' })}
      >
        <EntityDatadogEcsClusterContent />
      </EntityProvider>,
    );
    const panel = screen.getByRole('alert');
    expect(panel).toHaveTextContent(
      'Error: This resource does not name an ECS cluster',
    );
    expect(panel).toHaveTextContent(
      'resource:default/prod-batch-us-east-1-111111111111 lacks the annotation(s) datadog-ecs/account-id, datadog-ecs/region, datadog-ecs/cluster-name',
    );
    expect(screen.queryByRole('heading', { name: 'prod-batch' })).toBeNull();
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(asked).toEqual([]);
  });

  it('shows the backend’s error for a cluster the inventory does not have', async () => {
    server.use(
      http.get(`${BASE_URL}/clusters/:account/:region/:cluster`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message:
                'No cluster prod-batch in 111111111111/us-east-1 in the inventory',
            },
          },
          { status: 404 },
        ),
      ),
    );
    await renderWithPlugin(
      <EntityProvider entity={clusterResource(ANNOTATIONS)}>
        <EntityDatadogEcsClusterContent />
      </EntityProvider>,
    );
    expect(
      (
        await screen.findAllByText(
          /No cluster prod-batch in 111111111111\/us-east-1/,
        )
      ).length,
    ).toBeGreaterThan(0);
  });
});

describe('EntityDatadogEcsClusterCard', () => {
  it('sums the cluster up with its owner, links and rollout button', async () => {
    const asked = serveCluster();
    await renderWithPlugin(
      <EntityProvider entity={clusterResource(ANNOTATIONS)}>
        <EntityDatadogEcsClusterCard />
      </EntityProvider>,
      { mountedRoutes: CATALOG_ROUTES },
    );
    expect(
      await screen.findByText('Agent missing on some instances'),
    ).toBeInTheDocument();
    expect(asked).toEqual(['111111111111/us-east-1/prod-batch']);
    expect(
      screen.getByText('Production (111111111111) · us-east-1'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('3 of 5 instances covered (60%)'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByText(/^Owner:/)).getByRole('link'),
    ).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(screen.getByRole('link', { name: 'Cluster page' })).toHaveAttribute(
      'href',
      '/datadog-ecs/clusters/111111111111/us-east-1/prod-batch',
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Roll out the Agent' }),
      ).toBeEnabled(),
    );
  });

  it('shows an error panel for a resource without the annotations', async () => {
    await renderWithPlugin(
      <EntityProvider entity={clusterResource()}>
        <EntityDatadogEcsClusterCard />
      </EntityProvider>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Error: This resource does not name an ECS cluster',
    );
  });
});
