import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { renderInTestApp } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { partialCluster, uncoveredEntity } from '../../__fixtures__';
import {
  BASE_URL,
  renderWithPlugin,
  setupMswServer,
} from '../../__testUtils__';
import { EntityDatadogEcsContent } from './EntityDatadogEcsContent';

const server = setupMswServer();

describe('EntityDatadogEcsContent', () => {
  it('explains the missing annotation on an entity without one', async () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'marketing-site' },
    };
    await renderInTestApp(
      <EntityProvider entity={entity}>
        <EntityDatadogEcsContent />
      </EntityProvider>,
    );
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/aws\.amazon\.com\/amazon-ecs-service-arn/).length,
    ).toBeGreaterThan(0);
  });

  it('shows per cluster the instances running the service, the cluster’s findings and a link', async () => {
    server.use(
      http.get(`${BASE_URL}/entity/:namespace/:kind/:name`, () =>
        HttpResponse.json(uncoveredEntity),
      ),
      http.get(`${BASE_URL}/clusters/111111111111/us-east-1/prod-batch`, () =>
        HttpResponse.json(partialCluster),
      ),
    );
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'batch',
        annotations: {
          'aws.amazon.com/amazon-ecs-service-arn':
            'arn:aws:ecs:us-east-1:111111111111:service/prod-batch/batch',
        },
      },
    };
    await renderWithPlugin(
      <EntityProvider entity={entity}>
        <EntityDatadogEcsContent />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('Instances running this service’s tasks'),
    ).toBeInTheDocument();
    const table = screen.getByRole('table');
    // Only the 3 instances running the service's tasks (of the cluster's 5).
    const shown = partialCluster.instances.slice(2).map(i => i.instanceId);
    const hidden = partialCluster.instances.slice(0, 2).map(i => i.instanceId);
    for (const id of shown)
      expect(within(table).getByText(id)).toBeInTheDocument();
    for (const id of hidden)
      expect(within(table).queryByText(id)).not.toBeInTheDocument();

    expect(
      screen.getByText('Some annotated ARNs are not in the inventory', {
        exact: false,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open the cluster page/ }),
    ).toHaveAttribute(
      'href',
      '/datadog-ecs/clusters/111111111111/us-east-1/prod-batch',
    );
  });
});
