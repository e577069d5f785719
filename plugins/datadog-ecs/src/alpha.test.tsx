import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { http, HttpResponse } from 'msw';
import {
  clustersResponse,
  coveredCluster,
  coveredEntity,
  partialCluster,
} from './__fixtures__';
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

  describe('on entity pages', () => {
    const clusterResource: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'prod-batch-us-east-1-111111111111',
        namespace: 'default',
        annotations: {
          'aws.amazon.com/amazon-ecs-cluster-arn':
            'arn:aws:ecs:us-east-1:111111111111:cluster/prod-batch',
          'datadog-ecs/account-id': '111111111111',
          'datadog-ecs/region': 'us-east-1',
          'datadog-ecs/cluster-name': 'prod-batch',
        },
      },
      spec: { type: 'ecs-cluster', owner: 'group:default/payments' },
    };
    const service: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'web',
        namespace: 'default',
        annotations: {
          'aws.amazon.com/amazon-ecs-service-arn':
            'arn:aws:ecs:us-east-1:111111111111:service/prod-web/web',
        },
      },
      spec: { type: 'service', owner: 'group:default/storefront' },
    };

    it('gives ecs-cluster resources the cluster view as a tab and a card, with the rollout button', async () => {
      const entityRequests: string[] = [];
      server.use(
        http.get(`${BASE}/entity/:ns/:kind/:name`, ({ params }) => {
          entityRequests.push(String(params.name));
          return HttpResponse.json(coveredEntity);
        }),
      );
      renderTestApp({
        features: [plugin],
        extensions: [createTestEntityPage({ entity: clusterResource })],
        config: { backend: { baseUrl: 'http://localhost:7007' } },
      });
      // The tab: the cluster page of the annotated cluster.
      expect(
        await screen.findByRole('heading', { name: 'prod-batch' }),
      ).toBeInTheDocument();
      expect(
        await screen.findByText('No rollouts to this cluster yet.'),
      ).toBeInTheDocument();
      // The card.
      expect(
        await screen.findByText('Datadog Agent on ECS'),
      ).toBeInTheDocument();
      // One rollout button in the tab's header, one in the card.
      expect(
        await screen.findAllByRole('button', { name: 'Roll out the Agent' }),
      ).toHaveLength(2);
      // Not the services' tab and card, although the resource carries a cluster ARN.
      expect(entityRequests).toEqual([]);
    });

    it('keeps the services’ tab and card on services', async () => {
      server.use(
        http.get(`${BASE}/entity/:ns/:kind/:name`, () =>
          HttpResponse.json(coveredEntity),
        ),
        http.get(`${BASE}/clusters/111111111111/us-east-1/prod-web`, () =>
          HttpResponse.json(coveredCluster),
        ),
      );
      renderTestApp({
        features: [plugin],
        extensions: [createTestEntityPage({ entity: service })],
        config: { backend: { baseUrl: 'http://localhost:7007' } },
      });
      expect(
        (
          await screen.findAllByText(
            'All 3 tasks run on instances covered by the Agent.',
          )
        ).length,
      ).toBeGreaterThan(0);
      expect(
        screen.queryByRole('heading', { name: 'prod-batch' }),
      ).not.toBeInTheDocument();
    });

    it('declares the cluster tab at the services’ tab’s path and title, filtered to ecs-cluster resources', () => {
      const tester = createExtensionTester(
        plugin.getExtension('entity-content:datadog-ecs/cluster'),
      );
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
        'Datadog Agent',
      );
      const filter = tester.get(
        EntityContentBlueprint.dataRefs.filterFunction,
      )!;
      expect(filter(clusterResource)).toBe(true);
      expect(filter(service)).toBe(false);
      const serviceFilter = createExtensionTester(
        plugin.getExtension('entity-content:datadog-ecs'),
      ).get(EntityContentBlueprint.dataRefs.filterFunction)!;
      expect(serviceFilter(clusterResource)).toBe(false);
      expect(serviceFilter(service)).toBe(true);
      const cardFilter = createExtensionTester(
        plugin.getExtension('entity-card:datadog-ecs/cluster'),
      ).get(EntityContentBlueprint.dataRefs.filterFunction)!;
      expect(cardFilter(clusterResource)).toBe(true);
      expect(cardFilter(service)).toBe(false);
    });
  });
});
