import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { ClusterDetails } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  coveredCluster,
  hybridCluster,
  managedInstancesCluster,
} from '../../__fixtures__';
import {
  BASE_URL,
  renderWithPlugin,
  setupMswServer,
} from '../../__testUtils__';
import { ClusterPage } from './ClusterPage';

const server = setupMswServer();

const CLUSTER_PATH = '/datadog-ecs/clusters/:accountId/:region/:clusterName';

async function renderCluster(cluster: ClusterDetails) {
  server.use(
    http.get(`${BASE_URL}/clusters/:account/:region/:cluster`, () =>
      HttpResponse.json(cluster),
    ),
  );
  await renderWithPlugin(<ClusterPage />, {
    path: CLUSTER_PATH,
    route: `/datadog-ecs/clusters/${cluster.accountId}/${cluster.region}/${cluster.clusterName}`,
  });
  await screen.findByRole('heading', { name: cluster.clusterName });
}

describe('ClusterPage with ECS Managed Instances', () => {
  it('says per capacity how the Agent is scheduled, and each instance’s capacity', async () => {
    await renderCluster(hybridCluster);
    const perCapacity = screen.getByRole('list', {
      name: 'Agent per capacity',
    });
    expect(
      within(perCapacity)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'EC2: DAEMON service datadog-agent',
      'Managed Instances prod-hybrid-mi: managed daemon datadog-agent (not critical)',
    ]);
    // The single "Agent scheduling" line gives way to the per-capacity one.
    expect(screen.queryByText('Agent scheduling')).not.toBeInTheDocument();

    const rows = hybridCluster.instances.map(
      i => screen.getByText(i.instanceId).closest('tr')!,
    );
    for (const row of rows.slice(0, 2)) {
      expect(within(row).getByText('EC2 Auto Scaling')).toBeInTheDocument();
      expect(within(row).getByText('prod-hybrid-asg')).toBeInTheDocument();
    }
    for (const row of rows.slice(2)) {
      expect(within(row).getByText('Managed Instances')).toBeInTheDocument();
      expect(within(row).getByText('prod-hybrid-mi')).toBeInTheDocument();
    }
    expect(
      within(rows[4]).getByText('Running without the daemon:'),
    ).toBeInTheDocument();
  });

  it('shows the managed daemon: status, revision, criticality, counts per capacity provider and the current deployment', async () => {
    await renderCluster(hybridCluster);
    expect(screen.getByText('Managed daemons')).toBeInTheDocument();
    const section = screen.getByRole('region', {
      name: 'Managed daemon datadog-agent',
    });
    expect(
      within(section).getByText(
        /Status ACTIVE · revision datadog-agent-daemon:3 · 2 running · 1 instance without the daemon/,
      ),
    ).toBeInTheDocument();
    expect(
      within(section).getByText(
        'Not critical: an instance whose Agent task fails keeps running without the Agent',
      ),
    ).toBeInTheDocument();
    const providers = within(section).getByRole('table', {
      name: 'Capacity providers of datadog-agent',
    });
    const rows = within(providers).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(
      within(rows[0])
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['prod-hybrid-mi', '3', '2', '1']);

    const deployment = within(section).getByRole('group', {
      name: 'Current deployment of datadog-agent',
    });
    expect(deployment).toHaveTextContent('Replacing instances (IN_PROGRESS)');
    expect(deployment).toHaveTextContent(
      '25% of the instances drained and replaced at a time',
    );
    expect(deployment).toHaveTextContent('5 minutes after each step');
    expect(deployment).toHaveTextContent(
      'running 2 · without the daemon 1 · draining 1',
    );
    expect(deployment).toHaveTextContent('MONITORING (0 of 3 failures)');
  });

  it('shows a rollback by ECS as such, with its reason', async () => {
    const [daemon] = hybridCluster.managedDaemons!;
    await renderCluster({
      ...hybridCluster,
      managedDaemons: [
        {
          ...daemon,
          currentDeployment: {
            ...daemon.currentDeployment!,
            status: 'ROLLBACK_SUCCESSFUL',
            circuitBreaker: {
              status: 'TRIGGERED',
              failureCount: 3,
              threshold: 3,
            },
            rollback: {
              reason:
                'Circuit breaker triggered: 3 daemon tasks failed to start',
              startedAt: '2025-06-02T11:55:00.000Z',
            },
          },
        },
      ],
    });
    const deployment = screen.getByRole('group', {
      name: 'Current deployment of datadog-agent',
    });
    expect(deployment).toHaveTextContent(
      'Rolled back by ECS to the previous revision (ROLLBACK_SUCCESSFUL)',
    );
    expect(deployment).toHaveTextContent('TRIGGERED (3 of 3 failures)');
    expect(deployment).toHaveTextContent(
      /Rollback by ECSCircuit breaker triggered: 3 daemon tasks failed to start/,
    );
  });

  it('says which Managed Instances capacity providers have no managed daemon', async () => {
    await renderCluster(managedInstancesCluster);
    const perCapacity = screen.getByRole('list', {
      name: 'Agent per capacity',
    });
    // No EC2 capacity: the Managed Instances line only.
    expect(within(perCapacity).getAllByRole('listitem')).toHaveLength(1);
    expect(perCapacity).toHaveTextContent(
      'Managed Instances prod-managed-mi: no managed daemon',
    );
    const uncovered = screen.getByRole('list', {
      name: 'Capacity providers without a managed daemon',
    });
    expect(uncovered).toHaveTextContent(
      'No managed daemon on prod-managed-mi (3 instances): the Agent does not run there.',
    );
    expect(screen.getAllByText('No Agent managed daemon:')).toHaveLength(3);
  });

  it('has no managed daemon section on a cluster without Managed Instances', async () => {
    await renderCluster(coveredCluster);
    expect(screen.queryByText('Managed daemons')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Agent per capacity' }),
    ).toBeNull();
  });
});
