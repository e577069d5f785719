import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import {
  ClusterDetails,
  ClusterRef,
  clusterEntityName,
  DatadogEcsApi,
  Rollout,
  RolloutListResponse,
  RolloutPreview,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  coveredCluster,
  customAmiCluster,
  fargateCluster,
  noAgentCluster,
  partialCluster,
} from '../../__fixtures__';
import { BASE_URL, setupMswServer, testClient } from '../../__testUtils__';
import { datadogEcsApiRef } from '../../api';
import { RolloutButton } from './RolloutButton';
import { RolloutHistory } from './RolloutHistory';

const server = setupMswServer();

const ref = {
  accountId: coveredCluster.accountId,
  region: coveredCluster.region,
  clusterName: coveredCluster.clusterName,
};

const preview = (overrides: Partial<RolloutPreview> = {}): RolloutPreview => ({
  cluster: ref,
  variant: 'linux',
  external: false,
  variantSource: 'instances',
  warnings: ['The fleet mixes 2 Linux and 1 Windows instances'],
  taskDefinition: coveredCluster.taskDefinitions[0],
  diff: [
    {
      path: 'containerDefinitions[datadog-agent].environment.DD_PROCESS_AGENT_ENABLED',
      kind: 'added',
      after: 'true',
    },
    {
      path: 'containerDefinitions[datadog-agent].image',
      kind: 'changed',
      before: 'public.ecr.aws/datadog/agent:7.64.1',
      after: 'public.ecr.aws/datadog/agent:7.66.0',
    },
    {
      path: 'containerDefinitions[datadog-agent].environment.DD_OLD',
      kind: 'removed',
      before: 'x',
    },
  ],
  registerNeeded: true,
  calls: [
    {
      operation: 'RegisterTaskDefinition',
      summary: 'Register datadog-agent-task:8',
    },
    {
      operation: 'UpdateService',
      summary: 'Update the service datadog-agent to datadog-agent-task:8',
    },
  ],
  instancesAffected: coveredCluster.instances.map(i => ({
    instanceId: i.instanceId,
    containerInstanceArn: i.containerInstanceArn,
    state: i.state,
  })),
  current: {
    serviceName: 'datadog-agent',
    revision: 'datadog-agent-task:7',
    taskDefinitionArn: coveredCluster.taskDefinitions[0].taskDefinitionArn!,
    features: {
      apm: true,
      dogstatsd: true,
      logs: true,
      process: false,
      npm: false,
      resourceTags: false,
      healthCheck: false,
      fipsProxy: false,
      apmSocket: false,
    },
  },
  serviceName: 'datadog-agent',
  image: 'public.ecr.aws/datadog/agent:7.66.0',
  rolloutEnabled: true,
  basedOn: { snapshotTakenAt: '2026-11-30T10:00:00.000Z', ageSeconds: 42 },
  ...overrides,
});

const instances = coveredCluster.instances;

function rollout(overrides: Partial<Rollout> = {}): Rollout {
  return {
    id: 'r-1',
    kind: 'rollout',
    cluster: ref,
    status: 'in-progress',
    createdBy: 'user:default/jane.doe',
    source: 'portal',
    createdAt: '2025-06-02T12:00:00.000Z',
    serviceName: 'datadog-agent',
    createdService: false,
    oldRevision: 'datadog-agent-task:7',
    newRevision: 'datadog-agent-task:8',
    registered: true,
    instanceCounts: { total: 3, done: 1, failed: 0, skipped: 0 },
    canRollback: false,
    deployment: { rolloutState: 'IN_PROGRESS', status: 'PRIMARY' },
    instances: [
      {
        instanceId: instances[0].instanceId,
        containerInstanceArn: instances[0].containerInstanceArn,
        state: 'healthy',
        oldRevisionStopped: true,
      },
      {
        instanceId: instances[1].instanceId,
        containerInstanceArn: instances[1].containerInstanceArn,
        state: 'pending',
        lastStatus: 'RUNNING',
        healthStatus: 'UNKNOWN',
        oldRevisionStopped: false,
      },
      {
        instanceId: instances[2].instanceId,
        containerInstanceArn: instances[2].containerInstanceArn,
        state: 'waiting',
        oldRevisionStopped: false,
      },
    ],
    events: [
      {
        id: 'e1',
        createdAt: '2025-06-02T12:00:10.000Z',
        message: '(service datadog-agent) has started 1 tasks',
      },
    ],
    updatedAt: '2025-06-02T12:00:10.000Z',
    ...overrides,
  };
}

const done = (overrides: Partial<Rollout> = {}) =>
  rollout({
    status: 'completed',
    finishedAt: '2025-06-02T12:02:05.000Z',
    durationSeconds: 125,
    instanceCounts: { total: 3, done: 3, failed: 0, skipped: 0 },
    deployment: { rolloutState: 'COMPLETED', status: 'PRIMARY' },
    instances: rollout().instances.map(i => ({
      ...i,
      state: 'healthy',
      oldRevisionStopped: true,
    })),
    ...overrides,
  });

type FakeApi = DatadogEcsApi & { [K in keyof DatadogEcsApi]: jest.Mock };

function fakeApi(
  overrides: Partial<Record<keyof DatadogEcsApi, jest.Mock>> = {},
): FakeApi {
  const api = {
    getClusters: jest.fn(),
    getCluster: jest.fn(async () => coveredCluster),
    getEntityCoverage: jest.fn(),
    refresh: jest.fn(),
    previewRollout: jest.fn(async () => preview()),
    startRollout: jest.fn(async () => rollout()),
    getRollout: jest.fn(async () => done()),
    listRollouts: jest.fn(
      async (): Promise<RolloutListResponse> => ({ rollouts: [] }),
    ),
    rollback: jest.fn(),
    ...overrides,
  };
  return api as unknown as FakeApi;
}

const denyAll: PermissionApi = mockApis.permission({
  authorize: 'DENY' as any,
});

function renderButton(
  api: DatadogEcsApi,
  options: {
    details?: ClusterDetails;
    permission?: PermissionApi;
    reload?: () => void;
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [datadogEcsApiRef, api],
        [permissionApiRef, options.permission ?? mockApis.permission()],
      ]}
    >
      <RolloutButton
        cluster={ref}
        details={'details' in options ? options.details : coveredCluster}
        reload={options.reload}
        pollIntervalMs={10}
        previewDebounceMs={5}
      />
    </TestApiProvider>,
  );
}

async function openDialog() {
  const button = await screen.findByRole('button', {
    name: 'Roll out the Agent',
  });
  await waitFor(() => expect(button).toBeEnabled());
  await userEvent.click(button);
  return screen.findByRole('dialog');
}

const confirmButton = () =>
  screen.findByRole('button', { name: /Confirm rollout to 3 instances/ });

describe('RolloutDialog', () => {
  it('pre-fills the features from the running definition and previews them', async () => {
    const api = fakeApi();
    await renderButton(api);
    const dialog = await openDialog();
    const box = (name: RegExp) =>
      within(dialog).getByRole('checkbox', { name });
    expect(box(/^APM \(traces\)/)).toBeChecked();
    expect(box(/^DogStatsD/)).toBeChecked();
    expect(box(/^Log collection/)).toBeChecked();
    expect(box(/^Container health check/)).not.toBeChecked();
    expect(box(/^Live processes/)).not.toBeChecked();
    expect(
      within(dialog).getByText(/Pre-filled from what runs now/),
    ).toBeInTheDocument();

    await waitFor(() => expect(api.previewRollout).toHaveBeenCalled());
    // The preview says it comes from the inventory, not from ECS.
    expect(await within(dialog).findByText(/From the inventory of/)).toBeInTheDocument();
    const [, body] = api.previewRollout.mock.calls.at(-1) as any[];
    expect(body.features).toMatchObject({
      apm: true,
      dogstatsd: true,
      logs: true,
      healthCheck: false,
    });
    expect(body.variant).toBeUndefined();
    expect(body.entityRef).toBeUndefined();

    // A change is previewed again (debounced).
    await userEvent.click(box(/^Live processes/));
    await waitFor(() =>
      expect(
        (api.previewRollout.mock.calls.at(-1) as any[])[1].features.process,
      ).toBe(true),
    );
  });

  it('asks the Amazon Linux generation of instances whose AMI does not tell it, defaulting to 2 / 2023, and sends the chosen variant', async () => {
    const api = fakeApi({
      previewRollout: jest.fn(async (_ref: ClusterRef, body: any) =>
        preview({
          variant: body.variant ?? 'linux',
          variantSource: body.variant ? 'request' : 'instances',
          warnings: [
            'The Amazon Linux generation of 2 instance(s) is unknown (custom AMI, or its AMI could not be read)',
          ],
        }),
      ),
    });
    await renderButton(api, { details: customAmiCluster });
    const dialog = await openDialog();
    const question = within(dialog).getByRole('radiogroup', {
      name: /Amazon Linux generation of 2 instances/,
    });
    const al2 = within(question).getByRole('radio', {
      name: 'Amazon Linux 2 / 2023 (default)',
    });
    const al1 = within(question).getByRole('radio', { name: 'Amazon Linux 1' });
    expect(al2).toBeChecked();
    expect(al1).not.toBeChecked();
    expect(
      within(dialog).getByText(/their AMI is a custom one or could not be read/),
    ).toBeInTheDocument();
    // The preview is of the default answer: the Linux variant, chosen for the unknown instances.
    await waitFor(() => expect(api.previewRollout).toHaveBeenCalled());
    expect((api.previewRollout.mock.calls.at(-1) as any[])[1]).toMatchObject({
      variant: 'linux',
      external: false,
    });
    expect(
      await within(dialog).findByText(/Amazon Linux generation of 2 instance\(s\) is unknown/),
    ).toBeInTheDocument();

    await userEvent.click(al1);
    expect(al1).toBeChecked();
    await waitFor(() =>
      expect((api.previewRollout.mock.calls.at(-1) as any[])[1].variant).toBe(
        'amazon-linux-1',
      ),
    );
    const confirm = await confirmButton();
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    await waitFor(() => expect(api.startRollout).toHaveBeenCalledTimes(1));
    const [, body] = api.startRollout.mock.calls[0] as any[];
    expect(body).toMatchObject({ variant: 'amazon-linux-1', external: false });
  });

  it('asks nothing when every instance’s generation is known', async () => {
    const api = fakeApi();
    await renderButton(api);
    const dialog = await openDialog();
    await waitFor(() => expect(api.previewRollout).toHaveBeenCalled());
    expect(within(dialog).queryByRole('radiogroup')).not.toBeInTheDocument();
    expect((api.previewRollout.mock.calls.at(-1) as any[])[1].variant).toBeUndefined();
  });

  it('uses the guide’s defaults on a cluster without an Agent', async () => {
    const api = fakeApi();
    await renderButton(api, { details: noAgentCluster });
    const dialog = await openDialog();
    const box = (name: RegExp) =>
      within(dialog).getByRole('checkbox', { name });
    expect(box(/^APM \(traces\)/)).toBeChecked();
    expect(box(/^DogStatsD/)).toBeChecked();
    expect(box(/^Log collection/)).toBeChecked();
    expect(box(/^Container health check/)).toBeChecked();
    expect(box(/^Network performance/)).not.toBeChecked();
  });

  it('loads the cluster when the page has none, and validates tags and the image tag', async () => {
    const api = fakeApi();
    await renderButton(api, { details: undefined });
    const dialog = await openDialog();
    await waitFor(() => expect(api.getCluster).toHaveBeenCalledWith(ref));
    const tags = await within(dialog).findByRole('textbox', { name: 'Tags' });
    await userEvent.type(tags, 'env:prod nokey');
    expect(
      await within(dialog).findByText('Not key:value: nokey'),
    ).toBeInTheDocument();
    const image = within(dialog).getByRole('textbox', {
      name: 'Agent image tag',
    });
    await userEvent.type(image, 'bad tag');
    expect(within(dialog).getByText(/Letters, digits/)).toBeInTheDocument();
    expect(await confirmButtonOrAny()).toBeDisabled();
    expect(
      within(dialog).getByText('Fix the highlighted fields first'),
    ).toBeInTheDocument();
  });

  it('shows the diff in words, the ECS calls in order, the instances, warnings and the JSON', async () => {
    await renderButton(fakeApi());
    const dialog = await openDialog();
    const diff = await within(dialog).findByRole('table', {
      name: 'Task definition changes',
    });
    const rows = within(diff).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent(
      'Addedcontainer' +
        'Definitions[datadog-agent].environment.DD_PROCESS_AGENT_ENABLED—→ true',
    );
    expect(rows[1]).toHaveTextContent(/^Changed.*7\.64\.1→ .*7\.66\.0$/);
    expect(rows[2]).toHaveTextContent(/^Removed.*DD_OLDx—$/);

    const calls = within(dialog).getByRole('list', { name: 'ECS calls' });
    const items = within(calls).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      'RegisterTaskDefinition: Register datadog-agent-task:8',
    );
    expect(items[1]).toHaveTextContent(/^UpdateService/);

    const affected = within(dialog).getByRole('table', {
      name: 'Instances affected',
    });
    for (const i of instances) {
      expect(within(affected).getByText(i.instanceId)).toBeInTheDocument();
    }
    expect(within(affected).getAllByText('Covered')).toHaveLength(3);
    expect(
      within(dialog).getByText(
        'The fleet mixes 2 Linux and 1 Windows instances',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/chosen from the instances\)/),
    ).toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: /Rendered task definition/ }),
    );
    expect(
      await within(dialog).findByText(/"family": "datadog-agent-task"/),
    ).toBeInTheDocument();
  });

  it('shows a rule the server refuses next to the form (400)', async () => {
    server.use(
      http.post(`${BASE_URL}/clusters/:a/:r/:c/rollouts/preview`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message:
                'Network performance monitoring is only available for Linux (rule npm-linux-only)',
              rule: 'npm-linux-only',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    const client = testClient();
    await renderButton(client);
    const dialog = await openDialog();
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'The server refused these options (rule npm-linux-only): Network performance monitoring is only available for Linux (rule npm-linux-only)',
    );
    expect(await confirmButtonOrAny()).toBeDisabled();
  });

  it('starts once with a clientToken, follows each instance and shows the resulting coverage', async () => {
    const reload = jest.fn();
    let polls = 0;
    const api = fakeApi({
      getRollout: jest.fn(async () => {
        polls++;
        return polls < 3 ? rollout() : done();
      }),
    });
    await renderButton(api, { reload });
    await openDialog();
    const confirm = await confirmButton();
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.dblClick(confirm);

    // The progress, per instance, in words.
    const table = await screen.findByRole('table', {
      name: 'Rollout progress per instance',
    });
    expect(within(table).getByText('Healthy')).toBeInTheDocument();
    expect(within(table).getByText('Starting')).toBeInTheDocument();
    expect(within(table).getByText('Waiting')).toBeInTheDocument();
    expect(screen.getByText('1 of 3 instances done')).toBeInTheDocument();
    expect(screen.getByText(/ECS deployment: IN_PROGRESS/)).toBeInTheDocument();
    expect(
      screen.getByText(/has started 1 tasks/, { exact: false }),
    ).toBeInTheDocument();

    expect(
      await screen.findByText(/Rollout completed in 2 min 5 s\./),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Coverage now 3 of 3 instances \(100%\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('3 of 3 instances done')).toBeInTheDocument();

    expect(api.startRollout).toHaveBeenCalledTimes(1);
    const [cluster, body] = api.startRollout.mock.calls[0] as any[];
    expect(cluster).toEqual(ref);
    expect(body.clientToken).toEqual(expect.any(String));
    expect(body.clientToken.length).toBeGreaterThan(8);
    expect(reload).toHaveBeenCalled();
    // Polling stopped at the end.
    const calls = api.getRollout.mock.calls.length;
    await new Promise(r => setTimeout(r, 50));
    expect(api.getRollout.mock.calls.length).toBe(calls);
  });

  it('still shows the resulting coverage when reloading the page gives new props', async () => {
    const api = fakeApi({ getRollout: jest.fn(async () => done()) });
    // The cluster page reloads after a rollout and renders the button with a new cluster object.
    const Page = () => {
      const [cluster, setCluster] = useState<ClusterRef>(ref);
      return (
        <RolloutButton
          cluster={cluster}
          details={coveredCluster}
          reload={() => setCluster({ ...ref })}
          pollIntervalMs={10}
          previewDebounceMs={5}
        />
      );
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [datadogEcsApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <Page />
      </TestApiProvider>,
    );
    await openDialog();
    const confirm = await confirmButton();
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    expect(
      await screen.findByText(/Coverage now 3 of 3 instances \(100%\)/),
    ).toBeInTheDocument();
  });

  it('shows a failure with its reason, and follows a rollback', async () => {
    const failed = rollout({
      status: 'failed',
      failureKind: 'image-pull',
      failureReason:
        'CannotPullContainerError: public.ecr.aws/datadog/agent:7.99.0 not found',
      canRollback: true,
      instanceCounts: { total: 3, done: 0, failed: 3, skipped: 0 },
      instances: rollout().instances.map(i => ({
        ...i,
        state: 'failed',
        reason: 'CannotPullContainerError: not found',
      })),
    });
    const back = rollout({
      id: 'r-2',
      kind: 'rollback',
      rollbackOf: 'r-1',
      oldRevision: 'datadog-agent-task:8',
      newRevision: 'datadog-agent-task:7',
    });
    const api = fakeApi({
      getRollout: jest.fn(async (id: string) =>
        id === 'r-1' ? failed : done({ ...back, status: 'completed' }),
      ),
      rollback: jest.fn(async () => back),
    });
    await renderButton(api);
    await openDialog();
    const confirm = await confirmButton();
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);

    expect(
      await screen.findByText(
        /Rollout failed: The Agent image could not be pulled/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/CannotPullContainerError: public\.ecr\.aws/),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('table', { name: 'Rollout progress per instance' }),
      ).getAllByText('Failed'),
    ).toHaveLength(3);

    await userEvent.click(
      screen.getByRole('button', { name: 'Roll back to datadog-agent-task:7' }),
    );
    expect(api.rollback).toHaveBeenCalledWith(ref, 'r-1');
    expect(await screen.findByText(/Rollback r-2/)).toBeInTheDocument();
    expect(await screen.findByText(/Rollback completed/)).toBeInTheDocument();
    expect(api.getRollout).toHaveBeenCalledWith('r-2');
  });

  it('is disabled, with the reason in words, for a user without the permission', async () => {
    const api = fakeApi();
    await renderButton(api, { permission: denyAll });
    const button = await screen.findByRole('button', {
      name: 'Roll out the Agent',
    });
    await waitFor(() => expect(button).toBeDisabled());
    expect(
      screen.getByText(
        'You are not allowed to roll out the Datadog Agent to prod-web: it has no owner; ask the platform team',
      ),
    ).toBeInTheDocument();
    expect(button).toHaveAttribute('aria-describedby');
  });

  it('names whom to ask (the cluster’s owner, linked) and asks the cluster’s resource first', async () => {
    const api = fakeApi();
    const asked: any[] = [];
    const permission = mockApis.permission({
      authorize: request => {
        asked.push(request);
        return 'DENY' as any;
      },
    });
    await renderButton(api, {
      permission,
      details: { ...coveredCluster, owner: 'group:default/storefront' },
    });
    const button = await screen.findByRole('button', {
      name: 'Roll out the Agent',
    });
    await waitFor(() => expect(button).toBeDisabled());
    expect(
      screen.getByText(
        'You are not allowed to roll out the Datadog Agent to prod-web: ask its owner, group:default/storefront, or the platform team',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/^Ask:/)).toHaveTextContent('storefront');
    // The cluster's resource (its owners), then, on the portal, the portal-wide permission.
    expect(asked.map(r => [r.permission.name, r.resourceRef])).toEqual([
      ['datadog-ecs.rollout', `resource:default/${clusterEntityName(ref)}`],
      ['datadog-ecs.cluster.rollout', undefined],
    ]);
  });

  it('is disabled up front, saying why, when the backend has rollouts switched off', async () => {
    const api = fakeApi({
      listRollouts: jest.fn(async () => ({ rollouts: [], rolloutEnabled: false })),
    });
    await renderButton(api);
    const button = await screen.findByRole('button', { name: 'Roll out the Agent' });
    await waitFor(() => expect(button).toBeDisabled());
    expect(
      screen.getByText('Rollouts are switched off (datadogEcs.rollout.enabled)'),
    ).toBeInTheDocument();
    expect(api.previewRollout).not.toHaveBeenCalled();
  });

  it('is not applicable on a Fargate-only cluster, saying why', async () => {
    const api = fakeApi();
    await renderButton(api, { details: fargateCluster as ClusterDetails });
    const button = await screen.findByRole('button', { name: 'Roll out the Agent' });
    await waitFor(() => expect(button).toBeDisabled());
    expect(screen.getByText(/runs on Fargate only/)).toBeInTheDocument();
  });

  it('cannot be confirmed while rollouts are switched off', async () => {
    const api = fakeApi({
      previewRollout: jest.fn(async () => preview({ rolloutEnabled: false })),
    });
    await renderButton(api);
    const dialog = await openDialog();
    expect(
      await within(dialog).findByText(
        'Rollouts are switched off (datadogEcs.rollout.enabled)',
      ),
    ).toBeInTheDocument();
    expect(await confirmButton()).toBeDisabled();
    expect(api.startRollout).not.toHaveBeenCalled();
  });

  it('names the active rollout on a 409 and offers to watch it', async () => {
    let listed = 0;
    server.use(
      http.post(`${BASE_URL}/clusters/:a/:r/:c/rollouts/preview`, () =>
        HttpResponse.json(preview()),
      ),
      http.get(`${BASE_URL}/clusters/:a/:r/:c/rollouts`, () => {
        listed++;
        return HttpResponse.json({ rollouts: [] });
      }),
      http.post(`${BASE_URL}/clusters/:a/:r/:c/rollouts`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message:
                'The cluster already has an active rollout: r-9, started by user:default/sam at 2025-06-02T11:59:00.000Z',
              activeRolloutId: 'r-9',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
      http.get(`${BASE_URL}/rollouts/r-9`, () =>
        HttpResponse.json(rollout({ id: 'r-9' })),
      ),
    );
    await renderButton(testClient());
    await openDialog();
    const confirm = await confirmButton();
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    expect(
      await screen.findByText(/Another rollout is active on this cluster/),
    ).toHaveTextContent(/r-9.*started by user:default\/sam/);
    expect(listed).toBeGreaterThan(0);
    expect(await confirmButton()).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Watch it' }));
    expect(await screen.findByText('Rollout r-9')).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Rollout progress per instance' }),
    ).toBeInTheDocument();
  });

  it('reads the rule from the error field, never from the message (400)', async () => {
    server.use(
      http.post(`${BASE_URL}/clusters/:a/:r/:c/rollouts/preview`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: 'Something about (rule looks-like-a-rule)',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    await renderButton(testClient());
    const dialog = await openDialog();
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'The server refused these options: Something about (rule looks-like-a-rule)',
    );
  });

  it('reads the active rollout from the error field, never from the message (409)', async () => {
    let refused = false;
    let listedAfter = 0;
    server.use(
      http.post(`${BASE_URL}/clusters/:a/:r/:c/rollouts/preview`, () =>
        HttpResponse.json(preview()),
      ),
      http.get(`${BASE_URL}/clusters/:a/:r/:c/rollouts`, () => {
        if (!refused) return HttpResponse.json({ rollouts: [] });
        // Asked again after the 409, which carried no activeRolloutId: r-5 is the active one.
        listedAfter++;
        return HttpResponse.json({
          activeRolloutId: 'r-5',
          rollouts: [rollout({ id: 'r-5' })],
        });
      }),
      http.post(`${BASE_URL}/clusters/:a/:r/:c/rollouts`, () => {
        refused = true;
        return HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'The cluster already has an active rollout: r-9, started by someone',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        );
      }),
    );
    await renderButton(testClient());
    await openDialog();
    const confirm = await confirmButton();
    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);
    const notice = await screen.findByText(
      /Another rollout is active on this cluster/,
    );
    expect(notice).toHaveTextContent(/r-5/);
    expect(notice).not.toHaveTextContent(/: r-9 \(/);
    expect(listedAfter).toBeGreaterThan(0);
  });

  it('says so up front when a rollout is already running', async () => {
    const api = fakeApi({
      listRollouts: jest.fn(async () => ({
        activeRolloutId: 'r-7',
        rollouts: [rollout({ id: 'r-7', createdBy: 'user:default/sam' })],
      })),
    });
    await renderButton(api);
    const dialog = await openDialog();
    expect(
      await within(dialog).findByText(/Another rollout is active/),
    ).toHaveTextContent(/r-7.*started by sam, in-progress/);
  });
});

async function confirmButtonOrAny() {
  return screen.findByRole('button', { name: /Confirm rollout to/ });
}

describe('RolloutHistory', () => {
  it('lists rollouts with who, where from, revisions, features, outcome and duration', async () => {
    const api = fakeApi({
      getRollout: jest.fn(async (id: string) => rollout({ id })),
      listRollouts: jest.fn(async () => ({
        activeRolloutId: 'r-3',
        rollouts: [
          rollout({
            id: 'r-3',
            createdBy: 'user:default/sam',
            source: 'entity',
            entityRef: 'component:default/payments',
            features: preview().current!.features,
          }),
          done({
            id: 'r-2',
            kind: 'rollback',
            rollbackOf: 'r-1',
            oldRevision: 'datadog-agent-task:8',
            newRevision: 'datadog-agent-task:7',
          }),
          rollout({
            id: 'r-1',
            status: 'failed',
            failureKind: 'circuit-breaker',
            failureReason: 'tasks failed to start',
            durationSeconds: 600,
            rolledBackBy: 'r-2',
          }),
        ],
      })),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[datadogEcsApiRef, api]]}>
        <RolloutHistory cluster={ref} pollIntervalMs={10} />
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: 'Rollout history' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('sam');
    expect(rows[0]).toHaveTextContent('component:default/payments');
    expect(rows[0]).toHaveTextContent(
      'datadog-agent-task:7 → datadog-agent-task:8',
    );
    expect(rows[0]).toHaveTextContent(
      'APM (traces), DogStatsD (custom metrics), Log collection',
    );
    expect(rows[0]).toHaveTextContent('In progress');
    expect(rows[1]).toHaveTextContent('Rollback');
    expect(rows[1]).toHaveTextContent('portal');
    expect(rows[1]).toHaveTextContent('Completed');
    expect(rows[1]).toHaveTextContent('2 min 5 s');
    expect(rows[2]).toHaveTextContent(
      'FailedThe deployment circuit breaker stopped the deployment: tasks failed to start',
    );
    expect(rows[2]).toHaveTextContent('Rolled back by r-2');
    expect(rows[2]).toHaveTextContent('10 min 0 s');

    await userEvent.click(
      within(rows[0]).getByRole('button', {
        name: 'Watch progress of rollout r-3',
      }),
    );
    expect(await screen.findByText('Rollout r-3')).toBeInTheDocument();
    expect(api.getRollout).toHaveBeenCalledWith('r-3');
  });

  it('says when there is no rollout yet', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[datadogEcsApiRef, fakeApi()]]}>
        <RolloutHistory cluster={ref} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('No rollouts to this cluster yet.'),
    ).toBeInTheDocument();
  });
});

describe('the cluster page', () => {
  it('has the rollout button and the history by default', async () => {
    server.use(
      http.get(`${BASE_URL}/clusters/:a/:r/:c`, () =>
        HttpResponse.json(partialCluster),
      ),
    );
    const { DatadogEcsPage } = await import('../DatadogEcsPage');
    const { renderWithPlugin } = await import('../../__testUtils__');
    await renderWithPlugin(<DatadogEcsPage />, {
      route: '/datadog-ecs/clusters/111111111111/us-east-1/prod-batch',
    });
    expect(
      await screen.findByRole('button', { name: 'Roll out the Agent' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No rollouts to this cluster yet.'),
    ).toBeInTheDocument();
  });
});
