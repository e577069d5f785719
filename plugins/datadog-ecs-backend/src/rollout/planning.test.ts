import {
  createRedactor,
  EcsTaskDefinition,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { DatadogEcsConfig } from '../config/config';
import { appService, storedCluster } from '../inventory/__fixtures__/stored';
import { AgentFamilySnapshot } from '../inventory/SnapshotStore';
import {
  CLUSTER,
  FAMILY,
  OPTIONS,
  rolloutConfig,
  tdArn,
} from './__testUtils__/fakes';
import { renderForRollout } from './plan';
import { RolloutPlanner } from './planning';

const redactor = createRedactor();

type Details = ReturnType<typeof storedCluster>['details'];

/** A planner over a stored snapshot; it has no gateway, so whatever it does calls no AWS API. */
function setup(
  options: {
    details?: Partial<Details>;
    family?: AgentFamilySnapshot;
    services?: ReturnType<typeof appService>[];
    rollout?: Parameters<typeof rolloutConfig>[0];
    locations?: DatadogEcsConfig['locations'];
  } = {},
) {
  const details = {
    ...storedCluster({
      accountId: CLUSTER.accountId,
      region: CLUSTER.region,
      clusterName: CLUSTER.clusterName,
      instanceStates: [{ id: '1', state: 'missing' }],
    }).details,
    ...options.details,
  };
  const snapshots = {
    getCluster: jest.fn(async () => details),
    getAgentFamily: jest.fn(async () => options.family),
    getClusterServices: jest.fn(async () => options.services ?? []),
  };
  const config = {
    site: 'datadoghq.com',
    rollout: rolloutConfig(options.rollout),
    locations: options.locations ?? [
      { accountId: CLUSTER.accountId, region: CLUSTER.region },
    ],
    agentImageRepositories: ['public.ecr.aws/datadog/agent'],
  };
  const planner = new RolloutPlanner({ config, snapshots, redactor });
  return { planner, snapshots, config };
}

const rendered = (config = rolloutConfig()) =>
  renderForRollout(OPTIONS, config.apiKeys.get(CLUSTER.accountId), FAMILY);

/** The Agent daemon the snapshot has, running revision 1. */
const daemon = {
  serviceArn: 'arn:aws:ecs:eu-west-1:111111111111:service/prod/datadog-agent',
  serviceName: 'datadog-agent',
  schedulingStrategy: 'DAEMON',
  status: 'ACTIVE',
  desiredCount: 1,
  runningCount: 1,
  pendingCount: 0,
  taskDefinitionArn: tdArn(1),
};

describe('RolloutPlanner.preview', () => {
  it('plans from the snapshot: a first revision and a new service when the inventory knows neither', async () => {
    const { planner } = setup();
    const preview = await planner.preview(CLUSTER, { features: { apm: true } });

    expect(preview).toMatchObject({
      cluster: CLUSTER,
      variant: 'linux',
      variantSource: 'instances',
      registerNeeded: true,
      serviceName: 'datadog-agent',
      rolloutEnabled: true,
      basedOn: { snapshotTakenAt: '2026-01-15T10:00:00.000Z' },
      instancesAffected: [{ instanceId: 'i-1', state: 'missing' }],
    });
    expect(preview.calls.map(c => c.operation)).toEqual([
      'RegisterTaskDefinition',
      'CreateService',
    ]);
    expect(preview.basedOn.latestRevisionReadAt).toBeUndefined();
    expect(preview.latestRevision).toBeUndefined();
    expect(preview.current).toBeUndefined();
    expect(preview.warnings).toContain(
      `The inventory has not read ${FAMILY} in 111111111111/eu-west-1 yet: the rollout reads its latest revision before writing and registers only if it differs`,
    );
  });

  it('registers nothing when the stored latest revision is the (redacted) rendering; updates the daemon', async () => {
    const taskDefinition = {
      ...rendered(),
      taskDefinitionArn: tdArn(1),
    } as EcsTaskDefinition;
    const { planner } = setup({
      details: { agentServices: [daemon], taskDefinitions: [taskDefinition] },
      family: {
        family: FAMILY,
        readAt: '2026-01-15T09:00:00.000Z',
        latestTaskDefinitionArn: tdArn(1),
        latestTaskDefinition: redactor.value(rendered()),
      },
    });
    const preview = await planner.preview(CLUSTER, { features: { apm: true } });

    expect(preview.registerNeeded).toBe(false);
    expect(preview.latestRevision).toBe(`${FAMILY}:1`);
    expect(preview.basedOn.latestRevisionReadAt).toBe(
      '2026-01-15T09:00:00.000Z',
    );
    expect(preview.calls.map(c => c.operation)).toEqual(['UpdateService']);
    expect(preview.calls[0].summary).toContain('(forceNewDeployment)');
    expect(preview.current).toMatchObject({
      serviceName: 'datadog-agent',
      revision: `${FAMILY}:1`,
      features: expect.objectContaining({ apm: true }),
    });
    expect(preview.warnings.filter(w => w.includes(FAMILY))).toEqual([]);
  });

  it('says when a service of that name is DRAINING: the rollout is refused until it is INACTIVE', async () => {
    const { planner } = setup({
      details: { agentServices: [{ ...daemon, status: 'DRAINING' }] },
    });
    const preview = await planner.preview(CLUSTER, {});
    expect(preview.blocked).toEqual({
      reason: 'service-draining',
      message: expect.stringContaining(
        'ECS cannot create a service of that name again until it is INACTIVE',
      ),
    });
    expect(preview.warnings).toContain(preview.blocked!.message);
    expect(preview.calls.map(c => c.operation)).toEqual([
      'RegisterTaskDefinition',
      'CreateService',
    ]);
    expect(preview.calls[1].summary).toContain(
      'once the DRAINING service of that name is INACTIVE',
    );
    // An ACTIVE one blocks nothing.
    const active = await setup({
      details: { agentServices: [daemon] },
    }).planner.preview(CLUSTER, {});
    expect(active.blocked).toBeUndefined();
  });

  it('says when the family could not be read, and plans a registration', async () => {
    const { planner } = setup({
      family: {
        family: FAMILY,
        readAt: 'then',
        error: { kind: 'access-denied', message: 'denied' } as any,
      },
    });
    const preview = await planner.preview(CLUSTER, {});
    expect(preview.registerNeeded).toBe(true);
    expect(preview.warnings.join('\n')).toContain(
      `The latest revision of ${FAMILY} could not be read at the last refresh (denied)`,
    );
  });

  it('updates an application service of that name, as the snapshot has it', async () => {
    const { planner, snapshots } = setup({
      services: [appService('datadog-agent', [])],
    });
    const preview = await planner.preview(CLUSTER, {});
    expect(snapshots.getClusterServices).toHaveBeenCalledWith(CLUSTER);
    expect(preview.calls.map(c => c.operation)).toEqual([
      'RegisterTaskDefinition',
      'UpdateService',
    ]);
  });

  it('warns of what would refuse a rollout: Fargate only, no API key, the switch; and of a plaintext key', async () => {
    const refused = await setup({
      details: { fargateOnly: true },
      rollout: { enabled: false, apiKeys: new Map() },
    }).planner.preview(CLUSTER, {});
    expect(refused.rolloutEnabled).toBe(false);
    expect(refused.warnings.join('\n')).toEqual(
      expect.stringContaining('runs on Fargate only'),
    );
    expect(refused.warnings.join('\n')).toEqual(
      expect.stringContaining(
        'No API key is configured for account 111111111111',
      ),
    );
    expect(refused.warnings).toContain(
      'Rollouts are switched off in this portal (datadogEcs.rollout.enabled)',
    );

    const plaintext = await setup({
      rollout: {
        apiKeys: new Map([
          [
            CLUSTER.accountId,
            {
              accountId: CLUSTER.accountId,
              source: 'plaintext',
              plaintextApiKey: 'k',
            },
          ],
        ]),
      },
    }).planner.preview(CLUSTER, {});
    expect(plaintext.warnings.join('\n')).toContain(
      'The API key is configured in plaintext',
    );
    expect(JSON.stringify(plaintext.taskDefinition)).not.toContain('"k"');
  });

  it('404 for a cluster the inventory does not have, or outside the configured locations', async () => {
    const unknown = setup();
    unknown.snapshots.getCluster.mockResolvedValueOnce(undefined as any);
    await expect(unknown.planner.preview(CLUSTER, {})).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      setup({ locations: [] }).planner.preview(CLUSTER, {}),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: '111111111111/eu-west-1 is not a configured location',
    });
  });
});

describe('RolloutPlanner.planStart', () => {
  it('records the options and the daemon it replaces', async () => {
    const { planner } = setup({ details: { agentServices: [daemon] } });
    expect(
      await planner.planStart(CLUSTER, { features: { apm: true } }),
    ).toEqual({
      target: 'daemon-service',
      options: { ...OPTIONS, target: 'daemon-service' },
      serviceName: 'datadog-agent',
      createdService: false,
      oldTaskDefinitionArn: tdArn(1),
    });
  });

  it('creates the service when the cluster has no daemon', async () => {
    expect(await setup().planner.planStart(CLUSTER, {})).toMatchObject({
      serviceName: 'datadog-agent',
      createdService: true,
      oldTaskDefinitionArn: undefined,
    });
  });

  it('refuses a cluster without API key before reading the snapshot, and a Fargate-only cluster (400)', async () => {
    const noKey = setup({ rollout: { apiKeys: new Map() } });
    await expect(noKey.planner.planStart(CLUSTER, {})).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'No Datadog API key is configured for account 111111111111',
      ),
    });
    expect(noKey.snapshots.getCluster).not.toHaveBeenCalled();
    await expect(
      setup({ details: { fargateOnly: true } }).planner.planStart(CLUSTER, {}),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('prod runs on Fargate only'),
    });
  });

  it('refuses what the renderer refuses, naming the rule', async () => {
    const windows = setup();
    await expect(
      windows.planner.planStart(CLUSTER, {
        variant: 'windows',
        features: { npm: true },
      } as any),
    ).rejects.toMatchObject({ rule: 'npm-linux-only' });
  });
});
