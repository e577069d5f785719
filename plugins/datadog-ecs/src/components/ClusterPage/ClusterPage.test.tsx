import { render, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { Typography } from '@material-ui/core';
import {
  customAmiCluster,
  everyStateCluster,
  fargateCluster,
  partialCluster,
} from '../../__fixtures__';
import {
  BASE_URL,
  renderWithPlugin,
  setupMswServer,
} from '../../__testUtils__';
import { COVERAGE_STATE_LABELS } from '../shared';
import { ClusterPage } from './ClusterPage';
import { historySummary, pointWords } from './CoverageHistoryChart';
import { CoverageHistory } from './CoverageHistory';
import { useClusterPageContext } from './extensions';

const server = setupMswServer();

function serveCluster(body: object, status = 200) {
  server.use(
    http.get(`${BASE_URL}/clusters/:account/:region/:cluster`, () =>
      HttpResponse.json(body, { status }),
    ),
  );
}

const CLUSTER_PATH = '/datadog-ecs/clusters/:accountId/:region/:clusterName';

const route = (c: { accountId: string; region: string; clusterName: string }) =>
  `/datadog-ecs/clusters/${c.accountId}/${c.region}/${c.clusterName}`;

describe('ClusterPage', () => {
  it('labels every coverage state of the instances in words, with reasons and evidence', async () => {
    serveCluster(everyStateCluster);
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: route(everyStateCluster),
    });
    expect(
      await screen.findByRole('heading', { name: 'prod-mixed' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Account and region: Production (111111111111) · us-east-1',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Agent missing on some instances'),
    ).toBeInTheDocument();

    const table = screen.getByRole('table');
    for (const state of [
      'covered',
      'pending',
      'unhealthy',
      'stopped',
      'missing',
    ] as const) {
      expect(
        within(table).getAllByText(COVERAGE_STATE_LABELS[state]).length,
      ).toBeGreaterThan(0);
    }
    expect(
      screen.getByText(
        /The Agent task stopped: essential container exited with code 137/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Insufficient memory:')).toBeInTheDocument();
    expect(screen.getAllByText('ECS evidence').length).toBeGreaterThan(0);
    expect(
      screen.getByText(/has insufficient memory available/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Linux · EXTERNAL (ECS Anywhere)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('2 of 6 instances covered (33%)', { selector: 'p' }),
    ).toBeInTheDocument();
  });

  it('labels the not-applicable state', async () => {
    serveCluster({
      ...everyStateCluster,
      instances: [
        {
          ...everyStateCluster.instances[0],
          state: 'not-applicable',
          agentTask: undefined,
        },
      ],
    });
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: route(everyStateCluster),
    });
    expect(
      await screen.findByText(COVERAGE_STATE_LABELS['not-applicable']),
    ).toBeInTheDocument();
  });

  it('shows counts, outdated agents, features, findings with remedies, events, task definitions and history', async () => {
    serveCluster(partialCluster);
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: route(partialCluster),
    });
    expect(
      await screen.findByRole('heading', { name: 'prod-batch' }),
    ).toBeInTheDocument();

    expect(screen.getByText('Running').nextSibling).toHaveTextContent(
      '3 (60% of instances)',
    );
    expect(screen.getByText('Up to date').nextSibling).toHaveTextContent(
      '2 (40% of instances)',
    );
    expect(screen.getAllByText('outdated').length).toBe(1);

    // Features with their explanations.
    expect(
      screen.getAllByText(/: (on|off|misconfigured)$/).length,
    ).toBeGreaterThan(3);
    for (const f of partialCluster.featureResults) {
      expect(screen.getAllByText(f.summary).length).toBeGreaterThan(0);
    }
    // Findings with remedies, grouped by severity.
    for (const f of partialCluster.findings) {
      expect(screen.getAllByText(f.remedy).length).toBeGreaterThan(0);
    }

    // Events with keywords.
    expect(screen.getByText(/has reached a steady state/)).toBeInTheDocument();
    expect(screen.getByText('insufficient memory')).toBeInTheDocument();

    // The task definition as JSON, with a copy button.
    expect(
      screen.getByText('datadog-agent-task:7 (current)'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/"containerDefinitions"/).length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: /copy/i })).toBeInTheDocument();

    // History chart with a text summary.
    // The chart is a chunk of its own; its summary is there before it.
    expect(
      await screen.findByRole('img', {
        name: /Coverage history chart\. Coverage went from 100%/,
      }),
    ).toBeInTheDocument();
  });

  it('makes each task definition a labelled region the keyboard can focus and scroll', async () => {
    serveCluster(partialCluster);
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: route(partialCluster),
    });
    const region = await screen.findByRole('region', {
      name: 'Task definition datadog-agent-task:7',
    });
    expect(region.tagName).toBe('PRE');
    expect(region).toHaveAttribute('tabindex', '0');
    expect(region).toHaveStyle({ overflow: 'auto' });
    expect(within(region).getAllByText(/"containerDefinitions"/)).toHaveLength(
      1,
    );
  });

  it('says on how many instances the Amazon Linux generation is unknown, and shows their AMIs', async () => {
    serveCluster(customAmiCluster);
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: route(customAmiCluster),
    });
    expect(
      await screen.findByText('Amazon Linux generation'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Unknown on 2 instance\(s\): custom AMI, or the AMI could not be read/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('acme-golden-ecs-2024-11-01')).toBeInTheDocument();
    expect(
      screen.getAllByText('Linux · Amazon Linux generation unknown'),
    ).toHaveLength(2);
  });

  it('does not mention the generation when every instance’s is known', async () => {
    serveCluster(partialCluster);
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: route(partialCluster),
    });
    expect(await screen.findByText('Agent revision')).toBeInTheDocument();
    expect(
      screen.queryByText('Amazon Linux generation'),
    ).not.toBeInTheDocument();
  });

  it('explains Fargate-only clusters', async () => {
    serveCluster(fargateCluster);
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: route(fargateCluster),
    });
    expect(
      await screen.findByText(
        'Not applicable — the Agent runs as a sidecar on Fargate',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('No coverage history yet.')).toBeInTheDocument();
  });

  it('shows an unknown cluster as an error', async () => {
    serveCluster(
      {
        error: { name: 'NotFoundError', message: 'No cluster nope' },
        response: { statusCode: 404 },
      },
      404,
    );
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: '/datadog-ecs/clusters/111111111111/us-east-1/nope',
    });
    expect(
      await screen.findByText(/Request failed with 404/),
    ).toBeInTheDocument();
  });

  it('renders the extension slots with the cluster', async () => {
    serveCluster(partialCluster);
    const Section = () => {
      const { cluster } = useClusterPageContext();
      return <Typography>Rollout history of {cluster.clusterName}</Typography>;
    };
    await renderWithPlugin(
      <ClusterPage
        actions={({ cluster }) => (
          <button>Roll out to {cluster.clusterName}</button>
        )}
        sections={() => <Section />}
      />,
      { path: CLUSTER_PATH, route: route(partialCluster) },
    );
    expect(
      await screen.findByText('Rollout history of prod-batch'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Roll out to prod-batch' }),
    ).toBeInTheDocument();
  });
});

describe('ClusterPage console links', () => {
  const consoleLink = (name: string) =>
    screen.getByRole('link', {
      name: new RegExp(`^Open ${name} in the AWS console`),
    });

  it('links the cluster, its Agent service, instances, tasks and task definitions to the AWS console, in a new tab', async () => {
    serveCluster(everyStateCluster);
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: route(everyStateCluster),
    });
    await screen.findByRole('heading', { name: 'prod-mixed' });
    const ecs = 'https://us-east-1.console.aws.amazon.com/ecs/v2';

    const clusterLink = consoleLink('cluster prod-mixed');
    expect(clusterLink).toHaveAttribute(
      'href',
      `${ecs}/clusters/prod-mixed/services?region=us-east-1`,
    );
    expect(clusterLink).toHaveAttribute('target', '_blank');
    expect(clusterLink).toHaveAttribute('rel', 'noopener noreferrer');

    expect(consoleLink('service datadog-agent')).toHaveAttribute(
      'href',
      `${ecs}/clusters/prod-mixed/services/datadog-agent/health?region=us-east-1`,
    );

    const [first] = everyStateCluster.instances;
    const ciId = first.containerInstanceArn.split('/').pop();
    expect(
      consoleLink(`container instance ${first.instanceId}`),
    ).toHaveAttribute(
      'href',
      `${ecs}/clusters/prod-mixed/infrastructure/container-instances/${ciId}?region=us-east-1`,
    );
    const taskId = first.agentTask!.taskArn.split('/').pop();
    expect(
      consoleLink(`Agent task ${taskId} on ${first.instanceId}`),
    ).toHaveAttribute(
      'href',
      `${ecs}/clusters/prod-mixed/tasks/${taskId}/configuration?region=us-east-1`,
    );

    const td = everyStateCluster.taskDefinitions[0];
    expect(
      consoleLink(`task definition ${td.family}:${td.revision}`),
    ).toHaveAttribute(
      'href',
      `${ecs}/task-definitions/${td.family}/${td.revision}/containers?region=us-east-1`,
    );
  });

  it('links a GovCloud cluster to the GovCloud console', async () => {
    const gov = {
      ...everyStateCluster,
      region: 'us-gov-west-1',
      clusterArn:
        'arn:aws-us-gov:ecs:us-gov-west-1:111111111111:cluster/prod-mixed',
      instances: [],
      agentServices: [],
      taskDefinitions: [],
    };
    serveCluster(gov);
    await renderWithPlugin(<ClusterPage />, {
      path: CLUSTER_PATH,
      route: route(gov),
    });
    await screen.findByRole('heading', { name: 'prod-mixed' });
    expect(consoleLink('cluster prod-mixed')).toHaveAttribute(
      'href',
      'https://us-gov-west-1.console.amazonaws-us-gov.com/ecs/v2/clusters/prod-mixed/services?region=us-gov-west-1',
    );
  });
});

describe('pointWords', () => {
  it('words one sample for the tooltip', () => {
    expect(
      pointWords({
        at: '2026-01-01T00:00:00Z',
        instances: 5,
        covered: 3,
        coveragePercent: 60,
      }),
    ).toBe('60% (3 of 5 instances)');
    expect(
      pointWords({
        at: '2026-01-01T00:00:00Z',
        instances: 0,
        covered: 0,
        coveragePercent: null,
      }),
    ).toBe('no container instances');
  });
});

describe('historySummary', () => {
  it('summarises the points in words', () => {
    expect(historySummary([])).toBe('No coverage history yet.');
    expect(historySummary(partialCluster.history)).toMatch(
      /^Coverage went from 100% on .* to 60% \(3 of 5 instances\) on .*; lowest 60%, highest 100% over 4 samples\.$/,
    );
  });
});

describe('CoverageHistory', () => {
  it('shows the summary at once, and the chart once its chunk is there', async () => {
    render(<CoverageHistory history={partialCluster.history} />);
    const summary = historySummary(partialCluster.history);
    // Its caption from the first render, whether the chart's chunk is there yet (the first time
    // in this file) or not.
    expect(screen.getByText(summary)).toBeInTheDocument();
    expect(
      await screen.findByRole('img', {
        name: `Coverage history chart. ${summary}`,
      }),
    ).toBeInTheDocument();
  });

  it('is a sentence without a chart below two samples', () => {
    render(<CoverageHistory history={partialCluster.history.slice(0, 1)} />);
    expect(screen.getByText(/^Coverage was \d+%/)).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });
});
