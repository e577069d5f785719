import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis } from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { http, HttpResponse } from 'msw';
import { Entity } from '@backstage/catalog-model';
import { clusterEntityName } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  coveredCluster,
  coveredEntity,
  uncoveredEntity,
} from '../../__fixtures__';
import {
  BASE_URL,
  renderWithPlugin,
  setupMswServer,
} from '../../__testUtils__';
import { EntityDatadogEcsCard } from './EntityDatadogEcsCard';

const server = setupMswServer();

const entity = (
  name: string,
  annotations?: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
});

const annotated = (name: string) =>
  entity(name, {
    'aws.amazon.com/amazon-ecs-service-arn': `arn:aws:ecs:us-east-1:111111111111:service/prod/${name}`,
  });

function serveEntity(body: object) {
  const asked: string[] = [];
  server.use(
    http.get(`${BASE_URL}/entity/:namespace/:kind/:name`, ({ params }) => {
      asked.push(`${params.namespace}/${params.kind}/${params.name}`);
      return HttpResponse.json(body);
    }),
  );
  return asked;
}

describe('EntityDatadogEcsCard', () => {
  it('shows a service whose tasks all run on covered instances', async () => {
    const asked = serveEntity(coveredEntity);
    await renderWithPlugin(
      <EntityProvider entity={annotated('web')}>
        <EntityDatadogEcsCard />
      </EntityProvider>,
    );
    expect(await screen.findByText('Fully covered')).toBeInTheDocument();
    expect(asked).toEqual(['default/component/web']);
    expect(
      screen.getByText('3 of 3 instances covered (100%)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('All 3 tasks run on instances covered by the Agent.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'prod-web' })).toHaveAttribute(
      'href',
      '/datadog-ecs/clusters/111111111111/us-east-1/prod-web',
    );
    expect(
      screen.getByRole('link', {
        name: /^Open cluster prod-web in the AWS console/,
      }),
    ).toHaveAttribute(
      'href',
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod-web/services?region=us-east-1',
    );
    expect(
      screen.getByRole('link', {
        name: /^Open service web in the AWS console/,
      }),
    ).toHaveAttribute(
      'href',
      'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod-web/services/web/health?region=us-east-1',
    );
  });

  it('shows tasks on uncovered instances, the service’s findings and unmatched ARNs', async () => {
    serveEntity(uncoveredEntity);
    await renderWithPlugin(
      <EntityProvider entity={annotated('batch')}>
        <EntityDatadogEcsCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText(
        '4 of 6 tasks run on instances without a working Agent.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Agent missing on some instances'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('3 of 5 instances covered (60%)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Warning: Logs bypass the Agent'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Warning: DD_AGENT_HOST is not set'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Use the default json-file log driver/),
    ).toBeInTheDocument();

    const unmatched = screen.getByText('Not found in the inventory')
      .parentElement!;
    expect(
      within(unmatched).getByText(
        'arn:aws:ecs:sa-east-1:444444444444:service/other/batch',
      ),
    ).toBeInTheDocument();
    expect(
      within(unmatched).getByText(
        /No configured location covers account 444444444444/,
      ),
    ).toBeInTheDocument();
  });

  it('explains a service that runs on Fargate or was not found', async () => {
    const [item] = coveredEntity.clusters;
    serveEntity({
      ...coveredEntity,
      clusters: [
        {
          ...item,
          services: [
            {
              ...item.services[0],
              serviceName: 'on-fargate',
              serviceArn: 'a',
              launchType: 'FARGATE',
            },
            {
              ...item.services[0],
              serviceName: 'gone',
              serviceArn: 'b',
              found: false,
            },
          ],
        },
      ],
    });
    await renderWithPlugin(
      <EntityProvider entity={annotated('web')}>
        <EntityDatadogEcsCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText(
        'Not applicable — the Agent runs as a sidecar on Fargate',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Not found on this cluster in the latest inventory.'),
    ).toBeInTheDocument();
  });

  it('explains the missing annotation', async () => {
    await renderWithPlugin(
      <EntityProvider entity={entity('marketing-site')}>
        <EntityDatadogEcsCard />
      </EntityProvider>,
    );
    expect(screen.getByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText(/aws\.amazon\.com\/amazon-ecs-service-arn/).length,
    ).toBeGreaterThan(0);
  });

  it('offers a rollout per cluster, checked against the cluster’s resource (not the entity), and passes the entity ref', async () => {
    serveEntity(coveredEntity);
    const bodies: any[] = [];
    server.use(
      http.get(`${BASE_URL}/clusters/:a/:r/:c`, () =>
        HttpResponse.json(coveredCluster),
      ),
      http.post(
        `${BASE_URL}/clusters/:a/:r/:c/rollouts/preview`,
        async ({ request }) => {
          bodies.push(await request.json());
          return HttpResponse.json({
            cluster: coveredCluster,
            variant: 'linux',
            external: false,
            variantSource: 'instances',
            warnings: [],
            taskDefinition: coveredCluster.taskDefinitions[0],
            diff: [],
            registerNeeded: false,
            calls: [],
            instancesAffected: [],
            serviceName: 'datadog-agent',
            image: 'public.ecr.aws/datadog/agent:7.64.1',
            rolloutEnabled: true,
          });
        },
      ),
    );
    const asked: any[] = [];
    const permission = mockApis.permission({
      authorize: request => {
        asked.push(request);
        return 'ALLOW' as any;
      },
    });
    await renderWithPlugin(
      <EntityProvider entity={annotated('web')}>
        <EntityDatadogEcsCard />
      </EntityProvider>,
      { apis: [[permissionApiRef, permission]] },
    );
    const button = await screen.findByRole('button', {
      name: 'Roll out the Agent to prod-web',
    });
    await waitFor(() => expect(button).toBeEnabled());
    expect(asked).toEqual([
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'datadog-ecs.rollout',
          resourceType: 'catalog-entity',
        }),
        // The cluster's ecs-cluster resource: its owners decide, not the service's annotations.
        resourceRef: `resource:default/${clusterEntityName(coveredCluster)}`,
      }),
    ]);
    await userEvent.click(button);
    await waitFor(() => expect(bodies.length).toBeGreaterThan(0));
    expect(bodies[0].entityRef).toBe('component:default/web');
  });

  it('disables the rollout for someone who is not an owner, saying why', async () => {
    serveEntity(coveredEntity);
    await renderWithPlugin(
      <EntityProvider entity={annotated('web')}>
        <EntityDatadogEcsCard />
      </EntityProvider>,
      {
        apis: [
          [permissionApiRef, mockApis.permission({ authorize: 'DENY' as any })],
        ],
      },
    );
    const button = await screen.findByRole('button', {
      name: 'Roll out the Agent to prod-web',
    });
    await waitFor(() => expect(button).toBeDisabled());
    expect(
      screen.getByText(
        'You are not allowed to roll out the Datadog Agent to prod-web: it has no owner; ask the platform team',
      ),
    ).toBeInTheDocument();
  });
});
