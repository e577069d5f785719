import { mockServices } from '@backstage/backend-test-utils';
import {
  Entity,
  KubernetesValidatorFunctions,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { ClustersResponse } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { response, summary } from './__testUtils__/fixtures';
import {
  DatadogEcsClusterEntityProvider,
  DEFAULT_CLUSTER_PROVIDER_SCHEDULE,
} from './DatadogEcsClusterEntityProvider';
import { UNKNOWN_CLUSTER_OWNER } from './clusterEntity';

const PAYMENTS = summary('prod-eu-payments', {
  owner: 'group:default/payments',
  ownerSource: 'tag',
  system: 'system:default/payments',
});
const LEGACY = summary('prod-eu-legacy', {
  owner: 'group:default/platform',
  ownerSource: 'config',
});
const STAGING = summary('staging-web', {
  accountId: '222222222222',
  region: 'us-east-1',
  locationName: 'staging',
  owner: 'group:default/platform',
  ownerSource: 'config',
});

function setup(options: { defaultOwner?: string } = {}) {
  const answers: Array<ClustersResponse | Error> = [];
  const client = {
    getClusters: jest.fn(async () => {
      const next = answers.shift();
      if (!next) throw new Error('no answer queued');
      if (next instanceof Error) throw next;
      return next;
    }),
  };
  const mutations: EntityProviderMutation[] = [];
  const connection: EntityProviderConnection = {
    applyMutation: jest.fn(async (m: EntityProviderMutation) => {
      mutations.push(m);
    }),
    refresh: jest.fn(),
  };
  const taskRunner = { run: jest.fn(async () => {}) };
  const logger = mockServices.logger.mock();
  const provider = new DatadogEcsClusterEntityProvider({
    client,
    logger,
    taskRunner,
    defaultOwner: options.defaultOwner,
  });
  return {
    provider,
    answers,
    client,
    connection,
    mutations,
    taskRunner,
    logger,
  };
}

const names = (entities: Array<{ entity: Entity }>) =>
  entities.map(e => e.entity.metadata.name).sort();
const removedRefs = (m: EntityProviderMutation) =>
  m.type === 'delta'
    ? m.removed.map(r =>
        'entityRef' in r ? r.entityRef : r.entity.metadata.name,
      )
    : [];

describe('DatadogEcsClusterEntityProvider', () => {
  it('schedules its refresh as datadog-ecs-clusters:refresh when connected', async () => {
    const { provider, connection, taskRunner } = setup();
    expect(provider.getProviderName()).toBe('datadog-ecs-clusters');
    await provider.connect(connection);
    expect(taskRunner.run).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'datadog-ecs-clusters:refresh',
        fn: expect.any(Function),
      }),
    );
  });

  it('refuses to refresh before the catalog connects it', async () => {
    const { provider } = setup();
    await expect(provider.refresh()).rejects.toThrow(/not connected/);
  });

  it('emits one Resource per cluster, as a full mutation first', async () => {
    const { provider, answers, connection, mutations } = setup();
    await provider.connect(connection);
    answers.push(response([PAYMENTS, LEGACY, STAGING]));
    await provider.refresh();

    expect(mutations).toHaveLength(1);
    const [full] = mutations;
    if (full.type !== 'full') throw new Error('expected a full mutation');
    expect(names(full.entities)).toEqual([
      'prod-eu-legacy-eu-west-1-111111111111',
      'prod-eu-payments-eu-west-1-111111111111',
      'staging-web-us-east-1-222222222222',
    ]);
    const payments = full.entities.find(
      e => e.entity.metadata.title === 'prod-eu-payments',
    )!;
    expect(payments.locationKey).toBe(
      'datadog-ecs-clusters:111111111111/eu-west-1',
    );
    expect(payments.entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'prod-eu-payments-eu-west-1-111111111111',
        namespace: 'default',
        title: 'prod-eu-payments',
        description:
          'Amazon ECS cluster prod-eu-payments in AWS account production (111111111111), region eu-west-1.',
        annotations: {
          'backstage.io/managed-by-location':
            'datadog-ecs:111111111111/eu-west-1',
          'backstage.io/managed-by-origin-location':
            'datadog-ecs:111111111111/eu-west-1',
          'aws.amazon.com/amazon-ecs-cluster-arn':
            'arn:aws:ecs:eu-west-1:111111111111:cluster/prod-eu-payments',
          'datadog-ecs/account-id': '111111111111',
          'datadog-ecs/region': 'eu-west-1',
          'datadog-ecs/cluster-name': 'prod-eu-payments',
        },
        links: [
          {
            url: 'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod-eu-payments/services?region=eu-west-1',
            title: 'AWS console',
            icon: 'cloud',
          },
        ],
        tags: ['ecs', 'eu-west-1'],
      },
      spec: {
        type: 'ecs-cluster',
        owner: 'group:default/payments',
        system: 'system:default/payments',
      },
    });
    // The catalog's own validation of a Resource accepts every one of them.
    for (const { entity } of full.entities) {
      await expect(resourceEntityV1alpha1Validator.check(entity)).resolves.toBe(
        true,
      );
    }
    // No system tag, no system.
    const legacy = full.entities.find(
      e => e.entity.metadata.title === 'prod-eu-legacy',
    )!;
    expect(legacy.entity.spec).toEqual({
      type: 'ecs-cluster',
      owner: 'group:default/platform',
    });
  });

  it('then follows the inventory with deltas: changed and new clusters added, gone ones removed', async () => {
    const { provider, answers, connection, mutations } = setup();
    await provider.connect(connection);
    answers.push(response([PAYMENTS, LEGACY]));
    await provider.refresh();

    // Nothing changed: no mutation at all.
    answers.push(response([PAYMENTS, LEGACY]));
    await provider.refresh();
    expect(mutations).toHaveLength(1);

    // The payments cluster's owner tag changed, a staging cluster appeared.
    answers.push(
      response([
        { ...PAYMENTS, owner: 'group:default/payments-core' },
        LEGACY,
        STAGING,
      ]),
    );
    await provider.refresh();
    expect(mutations).toHaveLength(2);
    const delta = mutations[1];
    if (delta.type !== 'delta') throw new Error('expected a delta mutation');
    expect(names(delta.added)).toEqual([
      'prod-eu-payments-eu-west-1-111111111111',
      'staging-web-us-east-1-222222222222',
    ]);
    expect(delta.added[0].entity.spec?.owner).toBe(
      'group:default/payments-core',
    );
    expect(delta.removed).toEqual([]);

    // The legacy cluster was deleted in AWS: the inventory no longer lists it.
    answers.push(
      response([
        { ...PAYMENTS, owner: 'group:default/payments-core' },
        STAGING,
      ]),
    );
    await provider.refresh();
    expect(mutations).toHaveLength(3);
    expect(mutations[2]).toMatchObject({ type: 'delta', added: [] });
    expect(removedRefs(mutations[2])).toEqual([
      'prod-eu-legacy-eu-west-1-111111111111',
    ]);
  });

  it('removes a cluster ECS reports gone (not found, MISSING, INACTIVE) even while the inventory still lists it', async () => {
    const { provider, answers, connection, mutations } = setup();
    await provider.connect(connection);
    answers.push(response([PAYMENTS, LEGACY, STAGING]));
    await provider.refresh();
    const notFound = {
      kind: 'not-found' as const,
      name: 'MISSING',
      message:
        'Cluster "prod-eu-legacy" could not be described: ECS reports it MISSING',
      at: '2025-01-01T00:05:00.000Z',
    };
    answers.push(
      response([
        PAYMENTS,
        { ...LEGACY, error: notFound },
        { ...STAGING, status: 'INACTIVE' },
      ]),
    );
    await provider.refresh();
    expect(removedRefs(mutations[1]).sort()).toEqual([
      'prod-eu-legacy-eu-west-1-111111111111',
      'staging-web-us-east-1-222222222222',
    ]);
  });

  it('keeps a cluster whose own refresh failed for another reason (the inventory serves its last view)', async () => {
    const { provider, answers, connection, mutations } = setup();
    await provider.connect(connection);
    answers.push(response([PAYMENTS]));
    await provider.refresh();
    answers.push(
      response([
        {
          ...PAYMENTS,
          error: {
            kind: 'throttled',
            message: 'Rate exceeded',
            at: '2025-01-01T00:05:00.000Z',
          },
        },
      ]),
    );
    await provider.refresh();
    expect(mutations).toHaveLength(1);
  });

  it('never removes the entities of a location whose refresh failed', async () => {
    const { provider, answers, connection, mutations } = setup();
    await provider.connect(connection);
    answers.push(response([PAYMENTS, LEGACY, STAGING]));
    await provider.refresh();

    // Account 111111111111 / eu-west-1 fails, and (unlike the inventory, which keeps the last
    // good view) its clusters are missing from the answer: nothing is removed.
    const failedLocation = {
      accountId: '111111111111',
      region: 'eu-west-1',
      clusterCount: 0,
      error: {
        kind: 'credentials' as const,
        name: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
        at: '2025-01-01T00:05:00.000Z',
      },
    };
    answers.push(
      response([STAGING], {
        locations: [
          failedLocation,
          { accountId: '222222222222', region: 'us-east-1', clusterCount: 1 },
        ],
      }),
    );
    await provider.refresh();
    expect(mutations).toHaveLength(1);

    // The location reads again and the legacy cluster is really gone: now it is removed.
    answers.push(response([PAYMENTS, STAGING]));
    await provider.refresh();
    expect(mutations).toHaveLength(2);
    expect(removedRefs(mutations[1])).toEqual([
      'prod-eu-legacy-eu-west-1-111111111111',
    ]);
    expect(mutations[1]).toMatchObject({ type: 'delta', added: [] });
  });

  it('keeps the stale clusters a failed location still lists, and emits no full mutation until every location reads', async () => {
    const { provider, answers, connection, mutations } = setup();
    await provider.connect(connection);
    const failing = {
      accountId: '222222222222',
      region: 'us-east-1',
      clusterCount: 1,
      error: {
        kind: 'network' as const,
        message: 'connect ETIMEDOUT',
        at: '2025-01-01T00:00:00.000Z',
      },
    };
    answers.push(
      response([PAYMENTS, STAGING], {
        locations: [
          { accountId: '111111111111', region: 'eu-west-1', clusterCount: 1 },
          failing,
        ],
      }),
    );
    await provider.refresh();
    // First run with a failed location: added, nothing replaced.
    expect(mutations).toHaveLength(1);
    expect(mutations[0].type).toBe('delta');
    if (mutations[0].type !== 'delta') return;
    expect(names(mutations[0].added)).toEqual([
      'prod-eu-payments-eu-west-1-111111111111',
      'staging-web-us-east-1-222222222222',
    ]);
    expect(mutations[0].removed).toEqual([]);

    // Every location reads: the full mutation replaces whatever an earlier process left.
    answers.push(response([PAYMENTS, STAGING]));
    await provider.refresh();
    expect(mutations).toHaveLength(2);
    expect(mutations[1].type).toBe('full');
  });

  it('before the inventory has a snapshot, adds what it lists and removes nothing', async () => {
    const { provider, answers, connection, mutations } = setup();
    await provider.connect(connection);
    answers.push(response([PAYMENTS, LEGACY], { snapshotTakenAt: undefined }));
    await provider.refresh();
    answers.push(response([PAYMENTS], { snapshotTakenAt: undefined }));
    await provider.refresh();
    expect(mutations.map(m => m.type)).toEqual(['delta']);
    expect(removedRefs(mutations[0])).toEqual([]);
  });

  it('a failed read of the inventory changes nothing and is logged', async () => {
    const { provider, answers, connection, mutations, logger } = setup();
    await provider.connect(connection);
    answers.push(response([PAYMENTS, LEGACY]));
    await provider.refresh();

    const failure = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'ServiceUnavailableError', message: 'down' },
          request: { method: 'GET', url: '/clusters' },
          response: { statusCode: 503 },
        }),
        {
          status: 503,
          statusText: 'Service Unavailable',
          headers: { 'content-type': 'application/json' },
        },
      ),
    );
    answers.push(failure);
    await provider.refresh();
    expect(mutations).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('503'));

    // And the next good read compares with what the catalog holds, not with the failure.
    answers.push(response([PAYMENTS]));
    await provider.refresh();
    expect(removedRefs(mutations[1])).toEqual([
      'prod-eu-legacy-eu-west-1-111111111111',
    ]);
  });

  it('owner: the summary’s, else the configured default (a bare name is a group), else a group nobody belongs to', async () => {
    const unowned = summary('unowned');
    const withDefault = setup({ defaultOwner: 'platform' });
    await withDefault.provider.connect(withDefault.connection);
    withDefault.answers.push(response([PAYMENTS, unowned]));
    await withDefault.provider.refresh();
    const [m] = withDefault.mutations;
    if (m.type !== 'full') throw new Error('expected a full mutation');
    const ownerOf = (title: string) =>
      m.entities.find(e => e.entity.metadata.title === title)?.entity.spec
        ?.owner;
    expect(ownerOf('prod-eu-payments')).toBe('group:default/payments');
    expect(ownerOf('unowned')).toBe('group:default/platform');

    const none = setup();
    await none.provider.connect(none.connection);
    none.answers.push(response([unowned]));
    await none.provider.refresh();
    const [n] = none.mutations;
    if (n.type !== 'full') throw new Error('expected a full mutation');
    expect(n.entities[0].entity.spec?.owner).toBe(UNKNOWN_CLUSTER_OWNER);
    expect(UNKNOWN_CLUSTER_OWNER).toBe('group:default/unknown');
  });

  it('names stay within the catalog’s 63 characters, valid and distinct, for ECS’s longest cluster names', async () => {
    const { provider, answers, connection, mutations } = setup();
    await provider.connect(connection);
    // ECS allows up to 255 letters, digits, hyphens and underscores.
    const a = summary(`${'a'.repeat(250)}_one`);
    const b = summary(`${'a'.repeat(250)}_two`);
    const underscore = summary('__edge_case__');
    answers.push(response([a, b, underscore]));
    await provider.refresh();
    const [m] = mutations;
    if (m.type !== 'full') throw new Error('expected a full mutation');
    const all = m.entities.map(e => e.entity.metadata.name);
    expect(new Set(all).size).toBe(3);
    for (const name of all) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(KubernetesValidatorFunctions.isValidObjectName(name)).toBe(true);
    }
    for (const { entity } of m.entities) {
      await expect(resourceEntityV1alpha1Validator.check(entity)).resolves.toBe(
        true,
      );
    }
    // The title keeps the cluster's real name.
    expect(m.entities.map(e => e.entity.metadata.title)).toContain(
      a.clusterName,
    );
  });

  it('links to the console of the cluster’s partition, and to none where there is no public console', async () => {
    const { provider, answers, connection, mutations } = setup();
    await provider.connect(connection);
    answers.push(
      response([
        summary('cn-cluster', {
          region: 'cn-north-1',
          clusterArn:
            'arn:aws-cn:ecs:cn-north-1:111111111111:cluster/cn-cluster',
        }),
        summary('iso-cluster', {
          region: 'us-iso-east-1',
          clusterArn:
            'arn:aws-iso:ecs:us-iso-east-1:111111111111:cluster/iso-cluster',
        }),
      ]),
    );
    await provider.refresh();
    const [m] = mutations;
    if (m.type !== 'full') throw new Error('expected a full mutation');
    const linksOf = (title: string) =>
      m.entities.find(e => e.entity.metadata.title === title)?.entity.metadata
        .links;
    expect(linksOf('cn-cluster')).toEqual([
      expect.objectContaining({
        url: 'https://cn-north-1.console.amazonaws.cn/ecs/v2/clusters/cn-cluster/services?region=cn-north-1',
      }),
    ]);
    expect(linksOf('iso-cluster')).toEqual([]);
  });

  describe('fromConfig', () => {
    const deps = () => {
      const scheduler = mockServices.scheduler.mock();
      return {
        scheduler,
        discovery: mockServices.discovery(),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
      };
    };

    it('runs on the default schedule', () => {
      const d = deps();
      DatadogEcsClusterEntityProvider.fromConfig(mockServices.rootConfig(), d);
      expect(d.scheduler.createScheduledTaskRunner).toHaveBeenCalledWith(
        DEFAULT_CLUSTER_PROVIDER_SCHEDULE,
      );
      expect(DEFAULT_CLUSTER_PROVIDER_SCHEDULE).toEqual({
        frequency: { minutes: 5 },
        timeout: { minutes: 3 },
        initialDelay: { seconds: 15 },
      });
    });

    it('runs on datadogEcs.catalog.schedule when configured', () => {
      const d = deps();
      DatadogEcsClusterEntityProvider.fromConfig(
        mockServices.rootConfig({
          data: {
            datadogEcs: {
              catalog: {
                schedule: {
                  frequency: { minutes: 1 },
                  timeout: { seconds: 50 },
                },
              },
            },
          },
        }),
        d,
      );
      expect(d.scheduler.createScheduledTaskRunner).toHaveBeenCalledWith({
        frequency: { minutes: 1 },
        timeout: { seconds: 50 },
      });
    });
  });
});
