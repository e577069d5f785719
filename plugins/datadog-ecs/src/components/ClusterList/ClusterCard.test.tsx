import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { AgentScheduling } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  coveredCluster,
  hybridCluster,
  managedDaemonOf,
  managedInstancesCluster,
  summaryOf,
} from '../../__fixtures__';
import { CATALOG_ROUTES } from '../../__testUtils__';
import { ClusterCard, revisionWords, schedulingWords } from './ClusterCard';

describe('ClusterCard', () => {
  it('links the cluster to its page and to the AWS console of its partition', async () => {
    await renderInTestApp(
      <ClusterCard
        cluster={{
          ...coveredCluster,
          region: 'cn-northwest-1',
          clusterArn:
            'arn:aws-cn:ecs:cn-northwest-1:111111111111:cluster/prod-web',
        }}
        href="/datadog-ecs/clusters/111111111111/cn-northwest-1/prod-web"
      />,
    );
    expect(screen.getByRole('link', { name: 'prod-web' })).toHaveAttribute(
      'href',
      '/datadog-ecs/clusters/111111111111/cn-northwest-1/prod-web',
    );
    const link = screen.getByRole('link', {
      name: /^Open cluster prod-web in the AWS console/,
    });
    expect(link).toHaveAttribute(
      'href',
      'https://cn-northwest-1.console.amazonaws.cn/ecs/v2/clusters/prod-web/services?region=cn-northwest-1',
    );
    expect(link).toHaveAttribute('target', '_blank');
  });

  it('names the owner, linked to its catalog page', async () => {
    await renderInTestApp(
      <ClusterCard
        cluster={{
          ...coveredCluster,
          owner: 'group:default/team-staging',
          ownerSource: 'tag',
        }}
      />,
      { mountedRoutes: CATALOG_ROUTES },
    );
    const owner = screen.getByText(/^Owner:/);
    const link = within(owner).getByRole('link');
    expect(link).toHaveAttribute('href', '/catalog/default/group/team-staging');
    expect(link).toHaveTextContent('team-staging');
    expect(screen.queryByText('No owner')).not.toBeInTheDocument();
  });

  it('names the owner in words when the app has no catalog', async () => {
    await renderInTestApp(
      <ClusterCard
        cluster={{ ...coveredCluster, owner: 'group:default/team-staging' }}
      />,
    );
    expect(screen.getByText(/^Owner:/)).toHaveTextContent(
      /^Owner: group:default\/team-staging$/,
    );
    expect(screen.queryByRole('link', { name: /team-staging/ })).toBeNull();
  });

  it('says "No owner" for a cluster without one', async () => {
    await renderInTestApp(
      <ClusterCard cluster={{ ...coveredCluster, owner: undefined }} />,
      { mountedRoutes: CATALOG_ROUTES },
    );
    expect(screen.getByText('No owner')).toBeInTheDocument();
    expect(screen.queryByText(/^Owner:/)).not.toBeInTheDocument();
  });

  it('says how the Agent is scheduled when it is not a DAEMON service', async () => {
    const standalone = {
      ...coveredCluster,
      agentServices: [],
      agentScheduling: {
        mode: 'standalone-tasks' as const,
        daemonServices: [],
        otherServices: [],
        standaloneTasks: 3,
        startedBy: ['ecs-user-data'],
      },
    };
    await renderInTestApp(<ClusterCard cluster={standalone} />);
    expect(
      screen.getByText(
        'Scheduled as: 3 standalone tasks (started by ecs-user-data)',
      ),
    ).toBeInTheDocument();
  });

  it('words every scheduling mode', () => {
    const base: Omit<AgentScheduling, 'mode'> = {
      daemonServices: [],
      otherServices: [],
      standaloneTasks: 0,
      startedBy: [],
    };
    const words = (
      s: Partial<typeof base> & { mode: AgentScheduling['mode'] },
    ) =>
      schedulingWords({ ...coveredCluster, agentScheduling: { ...base, ...s } });
    expect(
      words({ mode: 'daemon-service', daemonServices: ['datadog-agent'] }),
    ).toBe('DAEMON service datadog-agent');
    expect(
      words({
        mode: 'mixed',
        otherServices: ['dd-replica'],
        standaloneTasks: 1,
      }),
    ).toBe('REPLICA service dd-replica + 1 standalone task');
    expect(words({ mode: 'none' })).toBe(
      'Not scheduled: no Agent service or task',
    );
    expect(
      schedulingWords({ ...coveredCluster, agentScheduling: undefined }),
    ).toBeUndefined();
  });

  it('words a managed daemon, alone or with a DAEMON service', () => {
    const base: Omit<AgentScheduling, 'mode'> = {
      daemonServices: [],
      otherServices: [],
      standaloneTasks: 0,
      startedBy: [],
    };
    expect(
      schedulingWords({
        ...coveredCluster,
        agentScheduling: {
          ...base,
          mode: 'managed-daemon',
          managedDaemons: ['datadog-agent'],
        },
      }),
    ).toBe('managed daemon datadog-agent');
    expect(schedulingWords(hybridCluster)).toBe(
      'DAEMON service datadog-agent + managed daemon datadog-agent',
    );
  });

  it('says how the Agent reaches the Managed Instances, and nothing unusual for a mixed cluster', async () => {
    await renderInTestApp(<ClusterCard cluster={summaryOf(hybridCluster)} />);
    expect(
      screen.getByText(
        'Managed Instances: managed daemon datadog-agent (not critical); 1 instance running without it',
      ),
    ).toBeInTheDocument();
    // A DAEMON service and a managed daemon are the documented ways: no "Scheduled as" line.
    expect(screen.queryByText(/^Scheduled as:/)).not.toBeInTheDocument();
  });

  it('says when the Managed Instances have no managed daemon', async () => {
    await renderInTestApp(
      <ClusterCard cluster={summaryOf(managedInstancesCluster)} />,
    );
    expect(
      screen.getByText('Managed Instances: no managed daemon'),
    ).toBeInTheDocument();
    expect(screen.getByText('Agent revision: No Agent daemon')).toBeInTheDocument();
  });

  it('names the capacity providers a managed daemon leaves out, and takes its revision', async () => {
    const cluster = {
      ...summaryOf(managedInstancesCluster),
      managedInstancesCapacityProviders: [
        { name: 'prod-managed-mi', instances: 3 },
        { name: 'prod-managed-mi-gpu', instances: 1 },
      ],
      managedDaemons: [
        managedDaemonOf(managedInstancesCluster, {
          capacityProviders: [
            {
              arn: 'arn:aws:ecs:us-east-1:111111111111:capacity-provider/prod-managed-mi',
              name: 'prod-managed-mi',
              runningCount: 3,
              withoutDaemonCount: 0,
            },
          ],
          runningCount: 3,
        }),
      ],
    };
    await renderInTestApp(<ClusterCard cluster={cluster} />);
    expect(
      screen.getByText(
        'Managed Instances: managed daemon datadog-agent; no managed daemon on prod-managed-mi-gpu',
      ),
    ).toBeInTheDocument();
    expect(revisionWords(cluster)).toBe('datadog-agent-daemon:3');
    // Not a Managed Instances cluster: no such line.
    await renderInTestApp(<ClusterCard cluster={coveredCluster} />);
    expect(screen.getAllByText(/^Managed Instances:/)).toHaveLength(1);
  });
});
