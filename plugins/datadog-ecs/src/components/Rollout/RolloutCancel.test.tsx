import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { Rollout } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { datadogEcsApiRef } from '../../api';
import { RolloutFollower } from './RolloutProgress';

const ref = {
  accountId: '111111111111',
  region: 'eu-west-1',
  clusterName: 'prod-eu-legacy',
};

const running = (overrides: Partial<Rollout> = {}): Rollout => ({
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
  instanceCounts: { total: 0, done: 0, failed: 0, skipped: 0 },
  canRollback: false,
  deployment: {
    rolloutState: 'IN_PROGRESS',
    status: 'PRIMARY',
    serviceDeploymentArn:
      'arn:aws:ecs:eu-west-1:111111111111:service-deployment/prod-eu-legacy/datadog-agent/abc',
  },
  instances: [],
  events: [],
  updatedAt: '2025-06-02T12:00:10.000Z',
  ...overrides,
});

function renderFollower(
  rollout: Rollout,
  options: { permission?: PermissionApi } = {},
) {
  const api = {
    getRollout: jest.fn(async () => rollout),
    getCluster: jest.fn(async () => {
      throw new Error('not needed');
    }),
    cancelRollout: jest.fn(async (_id: string, body: { rollback?: boolean }) =>
      running({
        status: 'cancelled',
        cancelledBy: 'user:default/alice',
        note: body.rollback
          ? 'Cancelled by user:default/alice: ECS stops the deployment and rolls datadog-agent back to its previous revision (StopServiceDeployment, ROLLBACK).'
          : 'Cancelled by user:default/alice: the portal stopped following it; the ECS deployment goes on.',
      }),
    ),
  };
  return {
    api,
    rendered: renderInTestApp(
      <TestApiProvider
        apis={[
          [datadogEcsApiRef, api as any],
          [permissionApiRef, options.permission ?? mockApis.permission()],
        ]}
      >
        <RolloutFollower cluster={ref} rollout={rollout} pollIntervalMs={10} />
      </TestApiProvider>,
    ),
  };
}

describe('cancelling a running rollout', () => {
  it('cancels it, with the ECS rollback when asked, and shows the outcome', async () => {
    const { api, rendered } = renderFollower(running());
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel rollout…' }),
    );
    const rollback = screen.getByRole('checkbox', {
      name: 'Also stop the ECS deployment and roll datadog-agent back to datadog-agent-task:7',
    });
    await userEvent.click(rollback);
    await userEvent.click(
      screen.getByRole('button', { name: 'Cancel rollout' }),
    );
    expect(api.cancelRollout).toHaveBeenCalledWith('r-1', { rollback: true });
    expect(
      await screen.findByText(/Rollout cancelled by user:default\/alice\./),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/StopServiceDeployment, ROLLBACK/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cancel rollout…' }),
    ).not.toBeInTheDocument();
  });

  it('offers no ECS rollback for a rollout that created the service', async () => {
    const { api, rendered } = renderFollower(running({ createdService: true }));
    await rendered;
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel rollout…' }),
    );
    expect(
      screen.getByRole('checkbox', {
        name: 'Roll back in ECS: not possible, this rollout created the service',
      }),
    ).toBeDisabled();
    await userEvent.click(
      screen.getByRole('button', { name: 'Cancel rollout' }),
    );
    expect(api.cancelRollout).toHaveBeenCalledWith('r-1', { rollback: false });
  });

  it('is disabled, saying why, without the permission', async () => {
    const { api, rendered } = renderFollower(running(), {
      permission: mockApis.permission({ authorize: 'DENY' as any }),
    });
    await rendered;
    const button = await screen.findByRole('button', {
      name: 'Cancel rollout…',
    });
    await waitFor(() => expect(button).toBeDisabled());
    expect(
      screen.getByTitle(
        'You are not allowed to cancel this rollout: it needs the permission a rollback needs',
      ),
    ).toBeInTheDocument();
    expect(api.cancelRollout).not.toHaveBeenCalled();
  });
});
