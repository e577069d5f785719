import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  ClusterDetails,
  DatadogEcsApi,
  Rollout,
  RolloutPreview,
  RolloutRequest,
  planManagedDaemonReplacement,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  coveredCluster,
  hybridCluster,
  managedInstancesCluster,
} from '../../__fixtures__';
import { datadogEcsApiRef } from '../../api';
import { RolloutButton } from './RolloutButton';
import { RolloutHistory } from './RolloutHistory';

const refOf = (c: ClusterDetails) => ({
  accountId: c.accountId,
  region: c.region,
  clusterName: c.clusterName,
});

const DAEMON_ARN =
  'arn:aws:ecs:us-east-1:111111111111:daemon/prod-hybrid/datadog-agent';

/** What the backend previews for a request: a DAEMON service's or a managed daemon's rollout. */
function previewFor(c: ClusterDetails, body: RolloutRequest): RolloutPreview {
  const managed = body.target === 'managed-daemon';
  const instances = c.instances.filter(
    i => (i.capacity?.kind === 'managed-instances') === managed,
  );
  const options = {
    critical: body.managedDaemon?.critical ?? true,
    drainPercent: body.managedDaemon?.drainPercent ?? 25,
    bakeTimeInMinutes: body.managedDaemon?.bakeTimeInMinutes ?? 0,
  };
  const update = (c.managedDaemons ?? []).length > 0;
  return {
    cluster: refOf(c),
    variant: 'linux',
    external: false,
    variantSource: 'instances',
    warnings: [],
    taskDefinition: coveredCluster.taskDefinitions[0],
    diff: [],
    registerNeeded: true,
    calls: managed
      ? [
          {
            operation: 'RegisterDaemonTaskDefinition',
            summary: 'Register datadog-agent-daemon:4',
          },
          update
            ? {
                operation: 'UpdateDaemon',
                summary:
                  'Update the managed daemon datadog-agent to datadog-agent-daemon:4',
              }
            : {
                operation: 'CreateDaemon',
                summary: 'Create the managed daemon datadog-agent',
              },
        ]
      : [
          {
            operation: 'RegisterTaskDefinition',
            summary: 'Register datadog-agent-task:8',
          },
        ],
    instancesAffected: instances.map(i => ({
      instanceId: i.instanceId,
      containerInstanceArn: i.containerInstanceArn,
      state: i.state,
    })),
    serviceName: 'datadog-agent',
    target: body.target,
    managedDaemon: managed
      ? {
          daemonName: 'datadog-agent',
          daemonArn: update ? DAEMON_ARN : undefined,
          action: update ? 'update' : 'create',
          capacityProviders: (c.managedInstancesCapacityProviders ?? []).map(
            p => p.name,
          ),
          options,
          replacement: planManagedDaemonReplacement(instances.length, options),
        }
      : undefined,
    image: 'public.ecr.aws/datadog/agent:7.77.1',
    rolloutEnabled: true,
    basedOn: { snapshotTakenAt: '2025-06-02T11:55:00.000Z', ageSeconds: 300 },
  };
}

function rolloutOf(
  c: ClusterDetails,
  overrides: Partial<Rollout> = {},
): Rollout {
  return {
    id: 'r-1',
    kind: 'rollout',
    cluster: refOf(c),
    status: 'in-progress',
    createdBy: 'user:default/jane.doe',
    source: 'portal',
    createdAt: '2025-06-02T12:00:00.000Z',
    serviceName: 'datadog-agent',
    createdService: false,
    registered: true,
    instanceCounts: { total: 2, done: 0, failed: 0, skipped: 0 },
    canRollback: false,
    instances: [],
    events: [],
    updatedAt: '2025-06-02T12:00:00.000Z',
    ...overrides,
  };
}

function fakeApi(
  c: ClusterDetails,
  overrides: Partial<Record<keyof DatadogEcsApi, jest.Mock>> = {},
) {
  const api = {
    getClusters: jest.fn(),
    getCluster: jest.fn(async () => c),
    getEntityCoverage: jest.fn(),
    refresh: jest.fn(),
    previewRollout: jest.fn(async (_ref: unknown, body: RolloutRequest) =>
      previewFor(c, body),
    ),
    startRollout: jest.fn(async (_ref: unknown, body: RolloutRequest) =>
      rolloutOf(c, {
        id: body.target === 'managed-daemon' ? 'r-md' : 'r-ds',
        target: body.target,
      }),
    ),
    getRollout: jest.fn(async (id: string) =>
      rolloutOf(c, {
        id,
        status: 'completed',
        target: id === 'r-md' ? 'managed-daemon' : 'daemon-service',
      }),
    ),
    listRollouts: jest.fn(async () => ({ rollouts: [] })),
    rollback: jest.fn(),
    ...overrides,
  };
  return api as typeof api & DatadogEcsApi;
}

async function openDialog(c: ClusterDetails, api: DatadogEcsApi) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [datadogEcsApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <RolloutButton
        cluster={refOf(c)}
        details={c}
        pollIntervalMs={10}
        previewDebounceMs={5}
      />
    </TestApiProvider>,
  );
  const button = await screen.findByRole('button', {
    name: 'Roll out the Agent',
  });
  await waitFor(() => expect(button).toBeEnabled());
  await userEvent.click(button);
  return screen.findByRole('dialog');
}

const bodies = (mock: jest.Mock) =>
  mock.mock.calls.map(
    call => call[1] as RolloutRequest & { clientToken?: string },
  );

const radio = (dialog: HTMLElement, name: RegExp | string) =>
  within(
    within(dialog).getByRole('radiogroup', { name: 'Deploy to' }),
  ).getByRole('radio', { name });

describe('RolloutDialog on ECS Managed Instances', () => {
  it('preselects the managed daemon on a Managed Instances cluster, with its documented defaults, and sends them', async () => {
    const api = fakeApi(managedInstancesCluster);
    const dialog = await openDialog(managedInstancesCluster, api);
    expect(radio(dialog, /^Managed Instances — managed daemon/)).toBeChecked();
    expect(
      radio(dialog, /^EC2 \/ ECS Anywhere instances — DAEMON service/),
    ).not.toBeChecked();
    expect(
      within(dialog).getByText('No EC2 or ECS Anywhere instance now'),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByRole('radio', { name: /^Both halves/ }),
    ).toBeNull();
    // ECS Anywhere is a DAEMON service's matter.
    expect(
      within(dialog).queryByRole('checkbox', { name: /ECS Anywhere/ }),
    ).not.toBeInTheDocument();

    const critical = within(dialog).getByRole('checkbox', {
      name: /^Critical/,
    });
    expect(critical).toBeChecked();
    expect(critical).toHaveAccessibleDescription(
      /critical daemon’s failed instance is drained and replaced; a daemon that is not critical leaves it running without the Agent/,
    );
    expect(
      within(dialog).getByRole('spinbutton', { name: 'Drain percent' }),
    ).toHaveValue(25);
    expect(
      within(dialog).getByRole('spinbutton', { name: 'Bake time (minutes)' }),
    ).toHaveValue(0);

    await waitFor(() => expect(api.previewRollout).toHaveBeenCalled());
    const previewed = bodies(api.previewRollout).at(-1)!;
    expect(previewed).toMatchObject({
      target: 'managed-daemon',
      managedDaemon: { critical: true, drainPercent: 25, bakeTimeInMinutes: 0 },
    });
    expect(previewed.variant).toBeUndefined();
    expect(previewed.external).toBeUndefined();

    const confirm = await within(dialog).findByRole('button', {
      name: 'Confirm rollout to 3 instances',
    });
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    await waitFor(() => expect(api.startRollout).toHaveBeenCalledTimes(1));
    expect(bodies(api.startRollout)[0]).toMatchObject({
      target: 'managed-daemon',
      managedDaemon: { critical: true, drainPercent: 25, bakeTimeInMinutes: 0 },
      clientToken: expect.any(String),
    });
  });

  it('asks nothing and sends no target on a cluster without Managed Instances', async () => {
    const api = fakeApi(coveredCluster);
    const dialog = await openDialog(coveredCluster, api);
    await waitFor(() => expect(api.previewRollout).toHaveBeenCalled());
    expect(
      within(dialog).queryByRole('radiogroup', { name: 'Deploy to' }),
    ).toBeNull();
    expect(
      within(dialog).queryByRole('spinbutton', { name: 'Drain percent' }),
    ).toBeNull();
    const body = bodies(api.previewRollout).at(-1)!;
    expect(body.target).toBeUndefined();
    expect(body.managedDaemon).toBeUndefined();
  });

  it('checks the drain percent and the bake time against the API’s limits before previewing', async () => {
    const api = fakeApi(managedInstancesCluster);
    const dialog = await openDialog(managedInstancesCluster, api);
    await waitFor(() => expect(api.previewRollout).toHaveBeenCalled());
    const drain = within(dialog).getByRole('spinbutton', {
      name: 'Drain percent',
    });
    const bake = within(dialog).getByRole('spinbutton', {
      name: 'Bake time (minutes)',
    });

    await userEvent.clear(drain);
    await userEvent.type(drain, '150');
    expect(
      within(dialog).getByText('A percentage from 0 to 100'),
    ).toBeInTheDocument();
    await userEvent.clear(bake);
    await userEvent.type(bake, '2.5');
    expect(
      within(dialog).getByText('Whole minutes from 0 to 1440'),
    ).toBeInTheDocument();
    expect(
      await within(dialog).findByText('Fix the highlighted fields first'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: /^Confirm rollout to/ }),
    ).toBeDisabled();
    // Nothing out of range is sent.
    await new Promise(r => setTimeout(r, 30));
    for (const body of bodies(api.previewRollout)) {
      expect(body.managedDaemon!.drainPercent).toBeLessThanOrEqual(100);
      expect(Number.isInteger(body.managedDaemon!.bakeTimeInMinutes)).toBe(
        true,
      );
    }

    await userEvent.clear(drain);
    await userEvent.type(drain, '50');
    await userEvent.clear(bake);
    await userEvent.type(bake, '1440');
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: /^Critical/ }),
    );
    expect(within(dialog).queryByText('A percentage from 0 to 100')).toBeNull();
    expect(
      within(dialog).queryByText('Whole minutes from 0 to 1440'),
    ).toBeNull();
    await waitFor(() =>
      expect(bodies(api.previewRollout).at(-1)!.managedDaemon).toEqual({
        critical: false,
        drainPercent: 50,
        bakeTimeInMinutes: 1440,
      }),
    );
  });

  it('previews a managed daemon: the daemon created on its capacity providers, the replacement in batches, the calls', async () => {
    const api = fakeApi(managedInstancesCluster);
    const dialog = await openDialog(managedInstancesCluster, api);
    const section = await within(dialog).findByRole('region', {
      name: 'Managed daemon',
    });
    expect(section).toHaveTextContent(
      'Create the managed daemon datadog-agent on the capacity provider prod-managed-mi.',
    );
    expect(section).toHaveTextContent(
      'Critical: an instance whose Agent task fails is drained and replaced.',
    );
    expect(section).toHaveTextContent(
      'Instance replacement: 3 instances replaced in 3 batches of up to 1 (25% drained at a time), no bake time between batches.',
    );
    expect(section).toHaveTextContent(
      '3 instances · batches of 1 (25%) · 3 batches · bake time 0 min',
    );
    expect(
      within(dialog).getByText(
        /· managed daemon datadog-agent · no managed daemon yet/,
      ),
    ).toBeInTheDocument();
    const calls = within(dialog).getByRole('list', { name: 'ECS calls' });
    expect(
      within(calls)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'RegisterDaemonTaskDefinition: Register datadog-agent-daemon:4',
      'CreateDaemon: Create the managed daemon datadog-agent',
    ]);
    expect(
      within(dialog).getByRole('heading', {
        name: 'Daemon task definition changes (new definition)',
      }),
    ).toBeInTheDocument();
  });
});

describe('RolloutDialog on a mixed cluster', () => {
  it('offers each half or both, both by default, and previews both', async () => {
    const api = fakeApi(hybridCluster);
    const dialog = await openDialog(hybridCluster, api);
    expect(radio(dialog, /^Both halves/)).toBeChecked();
    await waitFor(() =>
      expect(bodies(api.previewRollout).map(b => b.target)).toEqual(
        expect.arrayContaining(['daemon-service', 'managed-daemon']),
      ),
    );
    const service = bodies(api.previewRollout).find(
      b => b.target === 'daemon-service',
    )!;
    expect(service.managedDaemon).toBeUndefined();
    const daemon = bodies(api.previewRollout).find(
      b => b.target === 'managed-daemon',
    )!;
    // The existing daemon is not critical: kept so.
    expect(daemon.managedDaemon).toEqual({
      critical: false,
      drainPercent: 25,
      bakeTimeInMinutes: 0,
    });
    expect(
      within(dialog).getByText(
        /Pre-filled from datadog-agent, which is not critical now/,
      ),
    ).toBeInTheDocument();

    const first = await within(dialog).findByRole('region', {
      name: 'Preview of rollout 1',
    });
    expect(
      within(first).getByRole('heading', {
        name: '1. EC2 / ECS Anywhere instances — DAEMON service',
      }),
    ).toBeInTheDocument();
    const second = within(dialog).getByRole('region', {
      name: 'Preview of rollout 2',
    });
    expect(
      within(second).getByRole('heading', {
        name: '2. Managed Instances — managed daemon',
      }),
    ).toBeInTheDocument();
    expect(
      await within(second).findByText(
        /Update the managed daemon datadog-agent on the capacity provider prod-hybrid-mi/,
      ),
    ).toBeInTheDocument();
    expect(
      await within(dialog).findByRole('button', {
        name: 'Confirm 2 rollouts to 5 instances',
      }),
    ).toBeInTheDocument();

    // One half only: one preview, of that target.
    await userEvent.click(radio(dialog, /^Managed Instances — managed daemon/));
    expect(
      await within(dialog).findByRole('button', {
        name: 'Confirm rollout to 3 instances',
      }),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByRole('region', { name: 'Preview of rollout 2' }),
    ).toBeNull();
    expect(bodies(api.previewRollout).at(-1)!.target).toBe('managed-daemon');
  });

  it('rolls out both halves one after the other, each with its own clientToken, and shows both', async () => {
    let firstDone = false;
    const api = fakeApi(hybridCluster, {
      getRollout: jest.fn(async (id: string) =>
        rolloutOf(hybridCluster, {
          id,
          status: id === 'r-ds' && !firstDone ? 'in-progress' : 'completed',
          target: id === 'r-md' ? 'managed-daemon' : 'daemon-service',
        }),
      ),
    });
    const dialog = await openDialog(hybridCluster, api);
    const confirm = await within(dialog).findByRole('button', {
      name: 'Confirm 2 rollouts to 5 instances',
    });
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);

    const second = await screen.findByRole('region', {
      name: 'Rollout 2 of 2: the managed daemon',
    });
    // The first half runs: the second waits for it.
    expect(
      within(second).getByText(
        /Starts once the rollout of the DAEMON service has completed \(the cluster takes one rollout at a time\): keep this dialog open/,
      ),
    ).toBeInTheDocument();
    await new Promise(r => setTimeout(r, 30));
    expect(api.startRollout).toHaveBeenCalledTimes(1);
    firstDone = true;
    expect(
      screen.getByRole('region', {
        name: 'Rollout 1 of 2: the DAEMON service',
      }),
    ).toHaveTextContent('Rollout r-ds');
    await waitFor(() => expect(api.startRollout).toHaveBeenCalledTimes(2));
    const [service, daemon] = bodies(api.startRollout);
    expect(service).toMatchObject({ target: 'daemon-service' });
    expect(service.managedDaemon).toBeUndefined();
    expect(daemon).toMatchObject({
      target: 'managed-daemon',
      managedDaemon: {
        critical: false,
        drainPercent: 25,
        bakeTimeInMinutes: 0,
      },
    });
    expect(service.clientToken).toEqual(expect.any(String));
    expect(daemon.clientToken).toEqual(expect.any(String));
    expect(daemon.clientToken).not.toBe(service.clientToken);
    expect(await within(second).findByText('Rollout r-md')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getAllByText(/^Rollout completed/)).toHaveLength(2),
    );
  });

  it('says so and starts nothing more when the first half is refused', async () => {
    const refusal = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'Not allowed to roll out',
          },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      ),
    );
    const api = fakeApi(hybridCluster, {
      startRollout: jest.fn(async () => {
        throw refusal;
      }),
    });
    const dialog = await openDialog(hybridCluster, api);
    const confirm = await within(dialog).findByRole('button', {
      name: 'Confirm 2 rollouts to 5 instances',
    });
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The rollout of the DAEMON service could not start: Not allowed to roll out The rollout of the managed daemon was not started.',
    );
    await new Promise(r => setTimeout(r, 30));
    expect(api.startRollout).toHaveBeenCalledTimes(1);
  });

  it('does not start the second half when the first fails', async () => {
    const api = fakeApi(hybridCluster, {
      getRollout: jest.fn(async (id: string) =>
        rolloutOf(hybridCluster, {
          id,
          status: 'failed',
          failureKind: 'circuit-breaker',
          target: 'daemon-service',
        }),
      ),
    });
    const dialog = await openDialog(hybridCluster, api);
    const confirm = await within(dialog).findByRole('button', {
      name: 'Confirm 2 rollouts to 5 instances',
    });
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    expect(
      await screen.findByText(
        /Not started: the rollout of the DAEMON service did not complete \(failed\)/,
      ),
    ).toBeInTheDocument();
    expect(api.startRollout).toHaveBeenCalledTimes(1);
  });
});

describe('a managed-daemon rollout followed and listed', () => {
  const rolledBack = rolloutOf(hybridCluster, {
    id: 'r-md',
    target: 'managed-daemon',
    daemonArn: DAEMON_ARN,
    status: 'failed',
    failureKind: 'circuit-breaker',
    oldRevision: 'datadog-agent-daemon:3',
    newRevision: 'datadog-agent-daemon:4',
    deployment: {
      daemonDeployment: {
        arn: 'arn:aws:ecs:us-east-1:111111111111:daemon-deployment/prod-hybrid/datadog-agent/abc',
        status: 'ROLLBACK_SUCCESSFUL',
        drainPercent: 25,
        bakeTimeInMinutes: 0,
        instances: { running: 3, withoutDaemon: 0, draining: 1 },
        circuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
        rollback: { reason: 'Circuit breaker triggered' },
      },
    },
  });

  it('shows the daemon deployment, its counts and the rollback by ECS', async () => {
    const api = fakeApi(hybridCluster, {
      getRollout: jest.fn(async () => rolledBack),
      listRollouts: jest.fn(async () => ({ rollouts: [rolledBack] })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[datadogEcsApiRef, api]]}>
        <RolloutHistory cluster={refOf(hybridCluster)} pollIntervalMs={10} />
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: 'Rollout history' });
    const [row] = within(table).getAllByRole('row').slice(1);
    expect(row).toHaveTextContent('managed daemon datadog-agent');
    expect(row).toHaveTextContent(
      'datadog-agent-daemon:3 → datadog-agent-daemon:4',
    );
    expect(row).toHaveTextContent(
      'ECS daemon deployment: Rolled back by ECS to the previous revision (ROLLBACK_SUCCESSFUL)',
    );

    await userEvent.click(
      within(row).getByRole('button', { name: 'Details of rollout r-md' }),
    );
    expect(
      await screen.findByText(
        'ECS rolled the managed daemon back to its previous revision (ROLLBACK_SUCCESSFUL): Circuit breaker triggered',
      ),
    ).toBeInTheDocument();
    const facts = screen.getByRole('group', {
      name: 'Daemon deployment of datadog-agent',
    });
    expect(facts).toHaveTextContent(
      'running 3 · without the daemon 0 · draining 1',
    );
    expect(facts).toHaveTextContent('TRIGGERED (3 of 3 failures)');
    expect(
      screen.getByText(/· managed daemon datadog-agent/),
    ).toBeInTheDocument();
  });

  it('says when ECS could not roll the daemon back', async () => {
    const failed = {
      ...rolledBack,
      deployment: {
        daemonDeployment: {
          ...rolledBack.deployment!.daemonDeployment!,
          status: 'ROLLBACK_FAILED',
          rollback: undefined,
          statusReason: 'Replacement instances failed to launch',
        },
      },
    };
    const api = fakeApi(hybridCluster, {
      getRollout: jest.fn(async () => failed),
      listRollouts: jest.fn(async () => ({ rollouts: [failed] })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[datadogEcsApiRef, api]]}>
        <RolloutHistory cluster={refOf(hybridCluster)} pollIntervalMs={10} />
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: 'Rollout history' });
    await userEvent.click(
      within(table).getByRole('button', { name: 'Details of rollout r-md' }),
    );
    expect(
      await screen.findByText(
        'ECS could not roll the managed daemon back (ROLLBACK_FAILED): Replacement instances failed to launch',
      ),
    ).toBeInTheDocument();
  });
});
