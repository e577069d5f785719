import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse, delay } from 'msw';
import { identityApiRef } from '@backstage/core-plugin-api';
import { mockApis } from '@backstage/test-utils';
import {
  clustersResponse,
  coveredCluster,
  emptyClustersResponse,
  fargateCluster,
  partialCluster,
  summaryOf,
} from '../../__fixtures__';
import {
  BASE_URL,
  renderWithPlugin,
  setupMswServer,
} from '../../__testUtils__';
import { DatadogEcsPage } from './DatadogEcsPage';

const server = setupMswServer();

/** Answers GET /clusters with `body` and records the query strings asked. */
function serveClusters(body: object | (() => object)) {
  const queries: URLSearchParams[] = [];
  server.use(
    http.get(`${BASE_URL}/clusters`, ({ request }) => {
      queries.push(new URL(request.url).searchParams);
      return HttpResponse.json(typeof body === 'function' ? body() : body);
    }),
  );
  return queries;
}

describe('DatadogEcsPage', () => {
  it('shows progress while loading, keeping the page heading', async () => {
    server.use(
      http.get(`${BASE_URL}/clusters`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    await renderWithPlugin(<DatadogEcsPage />);
    expect(
      screen.getByRole('heading', { name: 'Datadog Agent on Amazon ECS' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('explains the configuration when no location is configured', async () => {
    serveClusters(emptyClustersResponse);
    await renderWithPlugin(<DatadogEcsPage />);
    expect(
      await screen.findByText('No AWS accounts or regions configured'),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/datadogEcs\.locations/).length).toBeGreaterThan(
      0,
    );
  });

  it('renders every cluster, fleet totals and the failing location and cluster by name', async () => {
    serveClusters(clustersResponse());
    await renderWithPlugin(<DatadogEcsPage />);

    const web = await screen.findByRole('article', {
      name: 'Cluster prod-web',
    });
    expect(within(web).getByText('Fully covered')).toBeInTheDocument();
    expect(
      within(web).getByText('3 of 3 instances covered (100%)'),
    ).toBeInTheDocument();
    expect(within(web).getByRole('link', { name: 'prod-web' })).toHaveAttribute(
      'href',
      '/datadog-ecs/clusters/111111111111/us-east-1/prod-web',
    );

    const batch = screen.getByRole('article', { name: 'Cluster prod-batch' });
    expect(
      within(batch).getByText('Agent missing on some instances'),
    ).toBeInTheDocument();
    expect(
      within(batch).getByText('3 of 5 instances covered (60%)'),
    ).toBeInTheDocument();
    expect(
      within(batch).getByText(
        'Agent revision: datadog-agent-task:7 · 1 outdated',
      ),
    ).toBeInTheDocument();

    const fargate = screen.getByRole('article', {
      name: 'Cluster staging-fargate',
    });
    expect(
      within(fargate).getByText(
        'Not applicable — the Agent runs as a sidecar on Fargate',
      ),
    ).toBeInTheDocument();

    const staging = screen.getByRole('article', {
      name: 'Cluster staging-api',
    });
    expect(
      within(staging).getByText('Agent revision: No Agent daemon'),
    ).toBeInTheDocument();
    // No Agent at all reads so, not "missing on some instances".
    expect(within(staging).getByText('No Agent')).toBeInTheDocument();

    // Compact feature chips: a short label, the full title and state in the accessible name.
    const apm = within(web).getByLabelText(/^APM \(traces\): on/);
    expect(apm).toHaveTextContent(/^APM$/);
    expect(apm).toHaveAttribute('tabindex', '0');

    // The failing cluster is still a card, with its error.
    const failing = screen.getByRole('article', {
      name: 'Cluster legacy-west',
    });
    expect(
      within(failing).getByText(/Refresh failed \(access-denied\)/),
    ).toBeInTheDocument();

    // Both failures named in one warning.
    expect(
      screen.getByText(/2 parts of the inventory could not be refreshed/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Location Sandbox \(333333333333\) · ap-southeast-2/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Cluster legacy-west in Production/),
    ).toBeInTheDocument();

    const totals = screen.getByLabelText('Fleet totals');
    expect(within(totals).getByText('Clusters').nextSibling).toHaveTextContent(
      '5',
    );
    expect(
      within(totals).getByText('Container instances').nextSibling,
    ).toHaveTextContent('10');
    expect(
      within(totals).getByText('Covered by the Agent').nextSibling,
    ).toHaveTextContent('6');
    expect(within(totals).getByText('Coverage').nextSibling).toHaveTextContent(
      '60%',
    );
  });

  it('groups by account and region, or not, and sorts by coverage', async () => {
    serveClusters(clustersResponse());
    await renderWithPlugin(<DatadogEcsPage />);
    expect(
      await screen.findByRole('heading', {
        name: /Production \(111111111111\) · us-east-1/,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', {
        name: /Staging \(222222222222\) · eu-west-1/,
      }),
    ).toBeInTheDocument();
    // Lowest coverage first inside a group.
    const prod = screen.getByRole('region', {
      name: 'Production (111111111111) · us-east-1',
    });
    const names = within(prod)
      .getAllByRole('article', { name: /^Cluster / })
      .map(a => a.getAttribute('aria-label'));
    expect(names).toEqual(['Cluster prod-batch', 'Cluster prod-web']);
  });

  it('shows clusters flat when the URL says so', async () => {
    serveClusters(clustersResponse());
    await renderWithPlugin(<DatadogEcsPage />, {
      route: '/datadog-ecs?group=flat&sort=coverage-desc',
    });
    await screen.findByRole('article', { name: 'Cluster prod-web' });
    expect(
      screen.queryByRole('heading', {
        name: /Production \(111111111111\) · us-east-1/,
      }),
    ).not.toBeInTheDocument();
    const names = screen
      .getAllByRole('article', { name: /^Cluster / })
      .map(a => a.getAttribute('aria-label'));
    expect(names.slice(0, 3)).toEqual([
      'Cluster prod-web',
      'Cluster prod-batch',
      'Cluster staging-api',
    ]);
  });

  it('sends the filters of the URL to the API and explains when nothing matches', async () => {
    const queries = serveClusters(clustersResponse([]));
    await renderWithPlugin(<DatadogEcsPage />, {
      route:
        '/datadog-ecs?account=111111111111&uncovered=true&feature=apm:off&q=zzz',
    });
    expect(
      await screen.findByText('No clusters match these filters'),
    ).toBeInTheDocument();
    const q = queries[queries.length - 1];
    expect(q.get('account')).toBe('111111111111');
    expect(q.getAll('state')).toEqual([
      'pending',
      'unhealthy',
      'stopped',
      'missing',
    ]);
    expect(q.get('feature')).toBe('apm:off');
    expect(q.get('q')).toBe('zzz');
    expect(screen.getByLabelText('Search clusters')).toHaveValue('zzz');
  });

  it('filters from the controls', async () => {
    const queries = serveClusters(clustersResponse());
    await renderWithPlugin(<DatadogEcsPage />);
    await screen.findByRole('article', { name: 'Cluster prod-web' });

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Not fully covered' }),
    );
    await waitFor(() =>
      expect(queries[queries.length - 1].getAll('state')).toContain('missing'),
    );

    await userEvent.type(screen.getByLabelText('Search clusters'), 'batch');
    await waitFor(() =>
      expect(queries[queries.length - 1].get('q')).toBe('batch'),
    );
  });

  it('"My clusters" asks for the clusters owned by the user’s ownership refs', async () => {
    const queries = serveClusters(clustersResponse());
    const bob = mockApis.identity({
      userEntityRef: 'user:default/bob',
      ownershipEntityRefs: ['user:default/bob', 'group:default/payments'],
    });
    await renderWithPlugin(<DatadogEcsPage />, {
      apis: [[identityApiRef, bob]],
    });
    await screen.findByRole('article', { name: 'Cluster prod-web' });
    expect(queries.every(q => !q.has('owner'))).toBe(true);

    const mine = screen.getByRole('checkbox', { name: 'My clusters' });
    expect(mine).not.toBeChecked();
    await userEvent.click(mine);
    await waitFor(() =>
      expect(queries[queries.length - 1].getAll('owner')).toEqual([
        'user:default/bob',
        'group:default/payments',
      ]),
    );
    expect(mine).toBeChecked();

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() =>
      expect(queries[queries.length - 1].has('owner')).toBe(false),
    );
    expect(
      screen.getByRole('checkbox', { name: 'My clusters' }),
    ).not.toBeChecked();
  });

  it('"My clusters" from the URL never asks without the owner refs, and explains an empty result', async () => {
    const queries = serveClusters(clustersResponse([]));
    const carol = mockApis.identity({
      userEntityRef: 'user:default/carol',
      ownershipEntityRefs: ['group:default/storefront'],
    });
    await renderWithPlugin(<DatadogEcsPage />, {
      route: '/datadog-ecs?mine=true',
      apis: [[identityApiRef, carol]],
    });
    expect(
      await screen.findByText('No clusters match these filters'),
    ).toBeInTheDocument();
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      // The user's own ref is always among them, even when the identity leaves it out.
      expect(q.getAll('owner')).toEqual([
        'user:default/carol',
        'group:default/storefront',
      ]);
    }
    expect(screen.getByRole('checkbox', { name: 'My clusters' })).toBeChecked();
  });

  it('shows the owner on each card', async () => {
    serveClusters(
      clustersResponse([
        { ...summaryOf(coveredCluster), owner: 'group:default/platform' },
        summaryOf(partialCluster),
      ]),
    );
    await renderWithPlugin(<DatadogEcsPage />);
    const web = await screen.findByRole('article', {
      name: 'Cluster prod-web',
    });
    expect(within(web).getByText(/^Owner:/)).toHaveTextContent(
      'Owner: group:default/platform',
    );
    const batch = screen.getByRole('article', { name: 'Cluster prod-batch' });
    expect(within(batch).getByText('No owner')).toBeInTheDocument();
  });

  it('paginates large fleets', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      ...summaryOf(coveredCluster),
      clusterName: `cluster-${String(i).padStart(2, '0')}`,
      clusterArn: `arn:aws:ecs:us-east-1:111111111111:cluster/cluster-${i}`,
    }));
    serveClusters(clustersResponse(many));
    await renderWithPlugin(<DatadogEcsPage />, {
      route: '/datadog-ecs?sort=name',
    });
    expect(
      await screen.findByText('Showing 24 of 30 clusters'),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('article', { name: /^Cluster / })).toHaveLength(
      24,
    );
    await userEvent.click(screen.getByRole('button', { name: 'page 2' }));
    expect(
      await screen.findByText('Showing 6 of 30 clusters'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('article', { name: 'Cluster cluster-29' }),
    ).toBeInTheDocument();
  });

  it('opens a cluster’s page from its card (the cluster page’s code loads on demand)', async () => {
    serveClusters(clustersResponse());
    server.use(
      http.get(`${BASE_URL}/clusters/:a/:r/:c`, () =>
        HttpResponse.json(partialCluster),
      ),
    );
    await renderWithPlugin(<DatadogEcsPage />);
    const batch = await screen.findByRole('article', {
      name: 'Cluster prod-batch',
    });
    // The portal page shows no part of a cluster page.
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    await userEvent.click(
      within(batch).getByRole('link', { name: 'prod-batch' }),
    );
    expect(
      await screen.findByRole('heading', { name: 'prod-batch' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Account and region: Production (111111111111) · us-east-1',
      ),
    ).toBeInTheDocument();
    // Its instance table, with the cluster's instances.
    expect(
      screen.getByText(partialCluster.instances[0].instanceId),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('article', { name: 'Cluster prod-web' }),
    ).not.toBeInTheDocument();
  });

  describe('refresh', () => {
    it('starts a refresh and follows its progress until it is done', async () => {
      let calls = 0;
      // The refresh stays at 2 of 4 until the test has seen it (a slow machine may poll twice).
      let progressSeen = false;
      serveClusters(() => {
        calls++;
        if (calls === 1) return clustersResponse();
        if (!progressSeen) {
          return clustersResponse(undefined, {
            refresh: { running: true, progress: { done: 2, total: 4 } },
          });
        }
        return clustersResponse(undefined, {
          refresh: { running: false, finishedAt: '2025-06-02T12:01:00.000Z' },
        });
      });
      server.use(
        http.post(`${BASE_URL}/refresh`, () =>
          HttpResponse.json({ running: true, progress: { done: 0, total: 4 } }),
        ),
      );
      await renderWithPlugin(<DatadogEcsPage pollIntervalMs={50} />);
      await userEvent.click(
        await screen.findByRole('button', { name: /Refresh now/ }),
      );

      expect(
        await screen.findByText(
          'Refreshing the inventory: 0 of 4 locations done',
        ),
      ).toBeInTheDocument();
      expect(screen.getByRole('button', { name: /Refreshing/ })).toBeDisabled();
      expect(
        await screen.findByText(
          'Refreshing the inventory: 2 of 4 locations done',
        ),
      ).toBeInTheDocument();
      progressSeen = true;
      expect(await screen.findByText(/Refresh finished/)).toBeInTheDocument();
      expect(screen.getByRole('button', { name: /Refresh now/ })).toBeEnabled();
    });

    it('explains a rate limit with the time of the next allowed refresh', async () => {
      serveClusters(clustersResponse());
      server.use(
        http.post(`${BASE_URL}/refresh`, () =>
          HttpResponse.json(
            {
              error: {
                name: 'TooManyRequests',
                message: 'Refresh rate-limited',
              },
              response: { statusCode: 429 },
            },
            { status: 429, headers: { 'Retry-After': '120' } },
          ),
        ),
      );
      await renderWithPlugin(<DatadogEcsPage />);
      await userEvent.click(
        await screen.findByRole('button', { name: /Refresh now/ }),
      );
      expect(
        await screen.findByText(
          /A refresh ran recently\. The next refresh is allowed at/,
        ),
      ).toBeInTheDocument();
    });

    it('explains a denied refresh', async () => {
      serveClusters(clustersResponse());
      server.use(
        http.post(`${BASE_URL}/refresh`, () =>
          HttpResponse.json(
            {
              error: { name: 'NotAllowedError', message: 'Unauthorized' },
              response: { statusCode: 403 },
            },
            { status: 403 },
          ),
        ),
      );
      await renderWithPlugin(<DatadogEcsPage />);
      await userEvent.click(
        await screen.findByRole('button', { name: /Refresh now/ }),
      );
      expect(
        await screen.findByText(/You are not allowed to refresh the inventory/),
      ).toBeInTheDocument();
    });
  });

  it('shows an error panel when the clusters cannot be loaded', async () => {
    server.use(
      http.get(`${BASE_URL}/clusters`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotAllowedError', message: 'Denied by policy' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderWithPlugin(<DatadogEcsPage />);
    expect(
      await screen.findByText(/Request failed with 403 Forbidden/),
    ).toBeInTheDocument();
  });

  it('renders the cluster page under clusters/:accountId/:region/:clusterName', async () => {
    server.use(
      http.get(`${BASE_URL}/clusters/111111111111/us-east-1/prod-batch`, () =>
        HttpResponse.json(partialCluster),
      ),
    );
    await renderWithPlugin(<DatadogEcsPage />, {
      route: '/datadog-ecs/clusters/111111111111/us-east-1/prod-batch',
    });
    expect(
      await screen.findByRole('heading', { name: 'prod-batch' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: '← All clusters' }),
    ).toHaveAttribute('href', '/datadog-ecs');
    expect(fargateCluster.fargateOnly).toBe(true);
  });
});
