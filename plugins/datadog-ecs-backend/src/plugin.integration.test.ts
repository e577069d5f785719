/*
 * The plugin end to end: the real AWS SDK against the ECS emulator's demo fleet (manual clock),
 * the real router over HTTP, SQLite, the mock scheduler and a mock catalog.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClusterDetails,
  ClustersResponse,
  ClusterSummary,
  EntityCoverageResponse,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  DEMO_CREDENTIALS,
  EcsEmulator,
  startEcsEmulator,
} from '@ecs-agent-coverage/ecs-emulator';
import {
  CreateServiceCommand,
  DescribeClustersCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { datadogEcsPlugin } from './plugin';

jest.setTimeout(60_000);

const PROD = '111111111111';
const STAGING = '222222222222';
const BAD = '333333333333';
const API = '/api/datadog-ecs';

function config(emu: EcsEmulator) {
  return {
    aws: {
      accounts: [
        ...DEMO_CREDENTIALS.map(c => ({ ...c })),
        // Not a key the emulator knows: UnrecognizedClientException.
        {
          accountId: BAD,
          accessKeyId: 'AKIAEMULATOR333333333',
          secretAccessKey: 'not-a-valid-secret',
        },
      ],
    },
    datadogEcs: {
      ecsEndpoint: emu.url,
      site: 'datadoghq.com',
      locations: [
        {
          accountId: PROD,
          name: 'production',
          regions: ['us-east-1', 'eu-west-1'],
        },
        {
          accountId: STAGING,
          name: 'staging',
          regions: ['us-east-1', 'eu-west-1'],
          defaultOwner: 'team-staging',
        },
        { accountId: BAD, name: 'acquired-co', regions: ['us-east-1'] },
      ],
      // No initialDelay: the mock scheduler runs the refresh once at startup and waits for it.
      refresh: {
        schedule: { frequency: { minutes: 60 }, timeout: { minutes: 5 } },
        minIntervalSeconds: 1,
      },
    },
  };
}

const entity = (name: string, annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team' },
});

const ENTITIES = [
  entity('payments-api', {
    'aws.amazon.com/amazon-ecs-service-arn': `arn:aws:ecs:eu-west-1:${PROD}:service/prod-eu-payments/payments-api`,
  }),
  entity('storefront', {
    'aws.amazon.com/amazon-ecs-service-arn': `arn:aws:ecs:us-east-1:${PROD}:service/prod-web/storefront`,
  }),
  entity('checkout-api', {
    'aws.amazon.com/amazon-ecs-service-arn': `arn:aws:ecs:us-east-1:${PROD}:service/prod-web/checkout-api`,
  }),
  entity('ghost', {
    'aws.amazon.com/amazon-ecs-service-arn': `arn:aws:ecs:us-east-1:${PROD}:service/prod-web/ghost`,
    'aws.amazon.com/amazon-ecs-cluster-arn': `arn:aws:ecs:us-east-1:999999999999:cluster/elsewhere`,
  }),
];

/*
 * Each backend gets an in-memory SQLite through the plugin's own driver (knex + better-sqlite3 13),
 * closed after the file. startTestBackend's default database goes through backend-test-utils'
 * nested better-sqlite3 12, whose statements, garbage-collected once this file's environment is
 * gone, abort the Jest worker running the next file ("Assertion failed: (env) != nullptr").
 */
const databases: Knex[] = [];
function database() {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  databases.push(knex);
  return mockServices.database.factory({ knex });
}
afterAll(async () => {
  await Promise.all(databases.map(knex => knex.destroy()));
});

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function waitForSnapshot(
  server: Parameters<typeof request>[0],
): Promise<ClustersResponse> {
  for (let i = 0; i < 200; i++) {
    const res = await request(server).get(`${API}/clusters`);
    if (
      res.status === 200 &&
      res.body.snapshotTakenAt &&
      !res.body.refresh.running
    )
      return res.body;
    await sleep(50);
  }
  throw new Error('no snapshot after 10 s');
}

/** POST /refresh, waiting out the rate limit first if needed; the mock scheduler runs it inline. */
async function refresh(server: Parameters<typeof request>[0]) {
  for (let i = 0; i < 5; i++) {
    const res = await request(server).post(`${API}/refresh`);
    if (res.status === 202) return res;
    expect(res.status).toBe(429);
    await sleep(Number(res.headers['retry-after']) * 1000 + 50);
  }
  throw new Error('refresh never allowed');
}

const instanceStory = (d: ClusterDetails) =>
  d.instances
    .map(i => `${i.state}${i.reason ? `:${i.reason.code}` : ''}`)
    .sort();

/** The demo fleet as the API must report it. */
const EXPECTED: Record<
  string,
  {
    accountId: string;
    region: string;
    state: ClusterSummary['state'];
    covered: number;
    instances: number;
    instanceStory: string[];
    findings?: string[];
  }
> = {
  'prod-web': {
    accountId: PROD,
    region: 'us-east-1',
    state: 'covered',
    covered: 4,
    instances: 4,
    instanceStory: ['covered', 'covered', 'covered', 'covered'],
  },
  'prod-batch': {
    accountId: PROD,
    region: 'us-east-1',
    state: 'missing',
    covered: 2,
    instances: 5,
    instanceStory: [
      'covered',
      'covered',
      'missing:insufficient-memory',
      'missing:insufficient-memory',
      'missing:insufficient-memory',
    ],
  },
  // The Agent started with StartTask on each instance (no service): inspected all the same.
  'staging-standalone': {
    accountId: STAGING,
    region: 'eu-west-1',
    state: 'covered',
    covered: 3,
    instances: 3,
    instanceStory: ['covered', 'covered', 'covered'],
    findings: ['cluster.agent-standalone-tasks'],
  },
  // Amazon Linux 2 with Docker 19.03: generation 2 from the AMI, not 1 from Docker's version.
  'prod-al2-docker19': {
    accountId: PROD,
    region: 'eu-west-1',
    state: 'covered',
    covered: 3,
    instances: 3,
    instanceStory: ['covered', 'covered', 'covered'],
  },
  // A private golden AMI the account cannot describe: the generation is unknown, and says so.
  'staging-custom-ami': {
    accountId: STAGING,
    region: 'us-east-1',
    state: 'covered',
    covered: 3,
    instances: 3,
    instanceStory: ['covered', 'covered', 'covered'],
    findings: ['cluster.amazon-linux-generation-unknown'],
  },
  sandbox: {
    accountId: PROD,
    region: 'us-east-1',
    state: 'missing',
    covered: 0,
    instances: 2,
    instanceStory: ['missing:no-agent-daemon', 'missing:no-agent-daemon'],
    findings: [],
  },
  'prod-eu-payments': {
    accountId: PROD,
    region: 'eu-west-1',
    state: 'missing',
    covered: 0,
    instances: 3,
    instanceStory: [
      'missing:no-agent-daemon',
      'missing:no-agent-daemon',
      'missing:no-agent-daemon',
    ],
    findings: [],
  },
  'prod-eu-legacy': {
    accountId: PROD,
    region: 'eu-west-1',
    state: 'missing',
    covered: 2,
    instances: 4,
    instanceStory: [
      'covered',
      'covered',
      'missing:draining',
      'unhealthy:agent-disconnected',
    ],
    findings: ['resourceTags.agent-too-old'],
  },
  'staging-replica': {
    accountId: STAGING,
    region: 'us-east-1',
    state: 'missing',
    covered: 2,
    instances: 3,
    instanceStory: ['covered', 'covered', 'missing:no-agent-daemon'],
    findings: ['cluster.agent-not-daemon'],
  },
  'staging-misconfigured': {
    accountId: STAGING,
    region: 'us-east-1',
    state: 'covered',
    covered: 3,
    instances: 3,
    instanceStory: ['covered', 'covered', 'covered'],
    findings: ['apiKey.plaintext', 'dogstatsd.port-without-non-local-traffic'],
  },
  'staging-windows': {
    accountId: STAGING,
    region: 'eu-west-1',
    state: 'covered',
    covered: 2,
    instances: 2,
    instanceStory: ['covered', 'covered'],
  },
  'edge-anywhere': {
    accountId: STAGING,
    region: 'eu-west-1',
    state: 'covered',
    covered: 3,
    instances: 3,
    instanceStory: ['covered', 'covered', 'covered'],
  },
  'staging-fargate': {
    accountId: STAGING,
    region: 'us-east-1',
    state: 'not-applicable',
    covered: 0,
    instances: 0,
    instanceStory: [],
    findings: [],
  },
};

describe('datadog-ecs against the ECS emulator (demo fleet)', () => {
  let emu: EcsEmulator;
  let server: Parameters<typeof request>[0];
  let firstRefresh: ReturnType<EcsEmulator['control']['counters']>;
  let snapshot: ClustersResponse;

  const ecsCalls = () => emu.control.counters().total.calls;
  const get = (path: string) => request(server).get(`${API}${path}`);
  const details = async (
    accountId: string,
    region: string,
    name: string,
  ): Promise<ClusterDetails> => {
    const res = await get(`/clusters/${accountId}/${region}/${name}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
    const backend = await startTestBackend({
      features: [
        datadogEcsPlugin,
        mockServices.rootConfig.factory({ data: config(emu) }),
        database(),
        catalogServiceMock.factory({ entities: ENTITIES }),
      ],
    });
    server = backend.server;
    snapshot = await waitForSnapshot(server);
    firstRefresh = emu.control.counters();
  });

  afterAll(async () => {
    await emu?.stop();
  });

  it('reports every demo cluster exactly', async () => {
    const byName = Object.fromEntries(
      snapshot.clusters.map(c => [c.clusterName, c]),
    );
    expect(Object.keys(byName).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [name, want] of Object.entries(EXPECTED)) {
      const summary = byName[name];
      expect({
        name,
        accountId: summary.accountId,
        region: summary.region,
        state: summary.state,
        covered: summary.counts.covered,
        instances: summary.counts.instances,
        error: summary.error,
      }).toEqual({
        name,
        accountId: want.accountId,
        region: want.region,
        state: want.state,
        covered: want.covered,
        instances: want.instances,
        error: undefined,
      });
      const d = await details(want.accountId, want.region, name);
      expect({ name, story: instanceStory(d) }).toEqual({
        name,
        story: want.instanceStory,
      });
      // `findings: []` means none at all; otherwise these among others.
      const findingIds = d.findings.map(f => f.id);
      const absent = (want.findings ?? []).filter(
        id => !findingIds.includes(id),
      );
      const unexpected = want.findings?.length === 0 ? findingIds : [];
      expect({ name, absent, unexpected }).toEqual({
        name,
        absent: [],
        unexpected: [],
      });
    }

    expect(byName['prod-web'].coveragePercent).toBe(100);
    expect(byName['prod-batch'].coveragePercent).toBe(40);
    expect(byName['staging-replica'].coveragePercent).toBe(66);
    expect(byName['staging-fargate']).toMatchObject({
      fargateOnly: true,
      coveragePercent: null,
    });
    expect(
      byName['edge-anywhere'].features.find(f => f.id === 'ecsAnywhere')?.state,
    ).toBe('on');
    expect(
      byName['staging-misconfigured'].features.find(f => f.id === 'dogstatsd')
        ?.state,
    ).toBe('misconfigured');
    expect(
      byName['staging-misconfigured'].findingCounts.critical,
    ).toBeGreaterThanOrEqual(2);
    expect(
      byName['prod-eu-legacy'].findingCounts.critical,
    ).toBeGreaterThanOrEqual(1);
    expect(byName['prod-web'].locationName).toBe('production');
    expect(byName['staging-windows'].locationName).toBe('staging');

    const legacy = await details(PROD, 'eu-west-1', 'prod-eu-legacy');
    const disconnected = legacy.instances.find(i => !i.agentConnected)!;
    expect(disconnected.agentTask?.lastStatus).toBe('RUNNING');
    expect(
      legacy.instances.find(i => i.status === 'DRAINING')?.reason?.code,
    ).toBe('draining');
    const replica = await details(STAGING, 'us-east-1', 'staging-replica');
    expect(replica.agentServices.map(s => s.schedulingStrategy)).toEqual([
      'REPLICA',
    ]);

    expect(byName['staging-standalone'].agentScheduling).toMatchObject({
      mode: 'standalone-tasks',
      daemonServices: [],
      standaloneTasks: 3,
    });
    expect(byName['staging-standalone'].features.find(f => f.id === 'apm'))
      .toBeDefined();
    expect(byName['prod-al2-docker19'].agentScheduling?.mode).toBe(
      'daemon-service',
    );
    const al2 = await details(PROD, 'eu-west-1', 'prod-al2-docker19');
    expect(al2.instances.map(i => i.amazonLinuxGeneration)).toEqual([2, 2, 2]);
    const custom = await details(STAGING, 'us-east-1', 'staging-custom-ami');
    expect(
      custom.instances.map(i => i.amazonLinuxGeneration ?? 'unknown'),
    ).toEqual(['unknown', 'unknown', 'unknown']);

    expect(snapshot.totals).toEqual({
      clusters: 13,
      instances: 38,
      covered: 27,
      coveragePercent: 71,
    });
  });

  it('reports the failing location with its error and no clusters, and serves the others', () => {
    const byKey = Object.fromEntries(
      snapshot.locations.map(l => [`${l.accountId}/${l.region}`, l]),
    );
    expect(Object.keys(byKey).sort()).toEqual([
      `${PROD}/eu-west-1`,
      `${PROD}/us-east-1`,
      `${STAGING}/eu-west-1`,
      `${STAGING}/us-east-1`,
      `${BAD}/us-east-1`,
    ]);
    expect(byKey[`${BAD}/us-east-1`]).toMatchObject({
      name: 'acquired-co',
      clusterCount: 0,
      error: { kind: 'credentials', name: 'UnrecognizedClientException' },
    });
    expect(snapshot.clusters.filter(c => c.accountId === BAD)).toEqual([]);
    for (const key of [
      `${PROD}/eu-west-1`,
      `${PROD}/us-east-1`,
      `${STAGING}/eu-west-1`,
      `${STAGING}/us-east-1`,
    ]) {
      expect(byKey[key].error).toBeUndefined();
    }
    expect(byKey[`${PROD}/us-east-1`].clusterCount).toBe(3);
    expect(byKey[`${STAGING}/us-east-1`].clusterCount).toBe(4);
  });

  it('made the fewest ECS calls in the first refresh', async () => {
    const state = emu.control.state() as {
      clusters: Array<{
        accountId: string;
        clusterName: string;
        instances: Array<{ tasks: string[] }>;
        services: Array<{ taskDefinition: string }>;
      }>;
    };
    const clusters = state.clusters;
    const withInstances = clusters.filter(c => c.instances.length > 0).length;
    const withServices = clusters.filter(c => c.services.length > 0).length;
    const serviceTaskDefinitions = new Set(
      clusters.flatMap(c => c.services.map(s => s.taskDefinition)),
    );
    const distinctTaskDefinitions = serviceTaskDefinitions.size;
    // The rollout family's latest revision per good location, for previews: read with the SDK.
    const latestOfFamily: string[] = [];
    for (const accountId of [PROD, STAGING]) {
      for (const region of ['us-east-1', 'eu-west-1']) {
        const ecs = new ECSClient(emu.clientConfig({ accountId, region }));
        const { taskDefinitionArns = [] } = await ecs.send(
          new ListTaskDefinitionsCommand({
            familyPrefix: 'datadog-agent-task',
            sort: 'DESC',
          }),
        );
        const latest = taskDefinitionArns.find(a =>
          /:task-definition\/datadog-agent-task:\d+$/.test(a),
        );
        if (latest) latestOfFamily.push(latest);
      }
    }
    const extraDefinitions = latestOfFamily.filter(
      a => !serviceTaskDefinitions.has(a),
    ).length;
    expect(latestOfFamily.length).toBeGreaterThan(0);
    expect([
      clusters.length,
      withInstances,
      withServices,
      distinctTaskDefinitions,
    ]).toEqual([13, 12, 12, 19]);

    const op = (name: string) => firstRefresh.operations[name]?.calls ?? 0;
    expect({
      ListClusters: op('ListClusters'),
      DescribeClusters: op('DescribeClusters'),
      ListContainerInstances: op('ListContainerInstances'),
      DescribeContainerInstances: op('DescribeContainerInstances'),
      ListServices: op('ListServices'),
      DescribeServices: op('DescribeServices'),
      ListTasks: op('ListTasks'),
      DescribeTasks: op('DescribeTasks'),
      DescribeTaskDefinition: op('DescribeTaskDefinition'),
      ListTaskDefinitions: op('ListTaskDefinitions'),
      DescribeImages: op('DescribeImages'),
    }).toEqual({
      // One per location (the failing one included), one DescribeClusters per good location.
      ListClusters: 5,
      DescribeClusters: 4,
      // Listings decide, counts only skip a cluster whose counts are all 0 (none of the 13 is):
      // listed on every cluster, staging-fargate included (its instance count of 0 does not
      // decide), described only on the 12 whose listing has instances.
      ListContainerInstances: clusters.length,
      DescribeContainerInstances: withInstances,
      // Listed on every cluster, sandbox included (no service); described on the 12 that list some,
      // with the rollout's service name in the same batch (a DRAINING one is not listed), and on
      // sandbox for that name alone: one call per cluster.
      ListServices: clusters.length,
      DescribeServices: clusters.length,
      // RUNNING tasks listed on all 13 clusters, plus the stopped-Agent lookup on the 3 clusters
      // where an instance lacks a running Agent (prod-batch, prod-eu-legacy, staging-replica);
      // described on the 12 that list some, and ECS lists no stopped Agent task on those 3, so no
      // DescribeTasks for them.
      ListTasks: clusters.length + 3,
      DescribeTasks: 12,
      // Each task definition once, even datadog-agent-task:1 shared by prod-web and prod-batch,
      // plus the rollout family's latest revision where no service runs it.
      DescribeTaskDefinition: distinctTaskDefinitions + extraDefinitions,
      // The rollout family's latest revision, one page per good location (previews need it).
      ListTaskDefinitions: 4,
      // EC2: the AMIs of all of a location's clusters in one call, per good location.
      DescribeImages: 4,
    });
    expect(Object.keys(firstRefresh.operations).sort()).toEqual([
      'DescribeClusters',
      'DescribeContainerInstances',
      'DescribeImages',
      'DescribeServices',
      'DescribeTaskDefinition',
      'DescribeTasks',
      'ListClusters',
      'ListContainerInstances',
      'ListServices',
      'ListTaskDefinitions',
      'ListTasks',
    ]);
    expect(firstRefresh.total.throttled).toBe(0);
    expect(firstRefresh.total.errors).toBe(1);
    // The rejected key belongs to no account: its one call is counted in the total only.
    expect(Object.keys(firstRefresh.accounts).sort()).toEqual([
      `${PROD}/eu-west-1`,
      `${PROD}/us-east-1`,
      `${STAGING}/eu-west-1`,
      `${STAGING}/us-east-1`,
    ]);
    const perAccount = Object.values(firstRefresh.accounts).reduce(
      (n, c) => n + c.calls,
      0,
    );
    expect(firstRefresh.total.calls - perAccount).toBe(1);
  });

  it('serves cluster details: instances, events, task definitions, history', async () => {
    const batch = await details(PROD, 'us-east-1', 'prod-batch');
    expect(batch.instances).toHaveLength(5);
    const starved = batch.instances.filter(
      i => i.reason?.code === 'insufficient-memory',
    );
    expect(starved.map(i => i.instanceType)).toEqual([
      't3.small',
      't3.small',
      't3.small',
    ]);
    expect(
      starved.every(i => i.reason?.evidence?.includes('insufficient memory')),
    ).toBe(true);
    expect(batch.events.length).toBe(3);
    expect(
      batch.events.every(e => e.message.includes('insufficient memory')),
    ).toBe(true);
    expect(
      batch.events.every(e => e.keywords.includes('insufficient memory')),
    ).toBe(true);
    expect(batch.taskDefinitions.map(t => `${t.family}:${t.revision}`)).toEqual(
      ['datadog-agent-task:1'],
    );
    expect(batch.currentRevision).toBe('datadog-agent-task:1');
    expect(batch.history.length).toBeGreaterThanOrEqual(1);
    expect(batch.history[batch.history.length - 1]).toMatchObject({
      instances: 5,
      covered: 2,
      coveragePercent: 40,
    });

    const web = await details(PROD, 'us-east-1', 'prod-web');
    expect(
      web.instances.every(
        i =>
          i.agentTask?.healthStatus === 'HEALTHY' &&
          i.amazonLinuxGeneration === 2023,
      ),
    ).toBe(true);
    expect(web.agentServices).toEqual([
      expect.objectContaining({
        serviceName: 'datadog-agent',
        schedulingStrategy: 'DAEMON',
        desiredCount: 4,
        runningCount: 4,
      }),
    ]);
    const windows = await details(STAGING, 'eu-west-1', 'staging-windows');
    expect(windows.instances.every(i => i.os === 'windows')).toBe(true);
    const edge = await details(STAGING, 'eu-west-1', 'edge-anywhere');
    expect(
      edge.instances.every(i => i.external && i.instanceId.startsWith('mi-')),
    ).toBe(true);
  });

  it('filters the cluster list', async () => {
    const names = async (query: string) => {
      const res = await get(`/clusters?${query}`);
      expect(res.status).toBe(200);
      return (res.body as ClustersResponse).clusters.map(c => c.clusterName);
    };
    expect(await names(`account=${STAGING}`)).toEqual([
      'edge-anywhere',
      'staging-standalone',
      'staging-windows',
      'staging-custom-ami',
      'staging-fargate',
      'staging-misconfigured',
      'staging-replica',
    ]);
    expect(await names(`account=${PROD}&region=eu-west-1`)).toEqual([
      'prod-al2-docker19',
      'prod-eu-legacy',
      'prod-eu-payments',
    ]);
    expect(await names('state=missing&state=stopped')).toEqual([
      'prod-eu-legacy',
      'prod-eu-payments',
      'prod-batch',
      'sandbox',
      'staging-replica',
    ]);
    expect(await names('state=not-applicable')).toEqual(['staging-fargate']);
    expect(await names('feature=dogstatsd:misconfigured')).toEqual([
      'staging-misconfigured',
    ]);
    expect(await names('feature=ecsAnywhere:on')).toEqual(['edge-anywhere']);
    expect(await names('q=PROD-EU')).toEqual([
      'prod-eu-legacy',
      'prod-eu-payments',
    ]);
    expect(await names('q=sandbox&state=missing')).toEqual(['sandbox']);

    const res = await get(`/clusters?account=${PROD}&region=us-east-1`);
    expect(res.body.totals).toEqual({
      clusters: 3,
      instances: 11,
      covered: 6,
      coveragePercent: 54,
    });
    // Locations are always listed whole.
    expect(res.body.locations).toHaveLength(5);
  });

  it('answers 400 naming the parameter, 404 for an unknown cluster, and calls ECS for none of them', async () => {
    const before = ecsCalls();
    const cases: Array<[string, RegExp]> = [
      ['/clusters?account=12345', /query parameter 'account'/],
      ['/clusters?region=Ireland', /query parameter 'region'/],
      ['/clusters?state=broken', /query parameter 'state/],
      ['/clusters?state=missing&state=gone', /query parameter 'state/],
      ['/clusters?feature=dogstatsd', /query parameter 'feature'/],
      [
        '/clusters?acount=111111111111',
        /unknown query parameter\(s\) 'acount'/,
      ],
      ['/clusters/12345/us-east-1/prod-web', /path parameter 'accountId'/],
      [`/clusters/${PROD}/US-EAST-1/prod-web`, /path parameter 'region'/],
      [
        `/clusters/${PROD}/us-east-1/prod%20web`,
        /path parameter 'clusterName'/,
      ],
    ];
    for (const [path, message] of cases) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
    }
    const missing = await get(`/clusters/${PROD}/us-east-1/no-such-cluster`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('no-such-cluster');
    const otherLocation = await get(`/clusters/${BAD}/us-east-1/prod-web`);
    expect(otherLocation.status).toBe(404);
    expect(ecsCalls()).toBe(before);
  });

  it('answers entity pages from the snapshot', async () => {
    const before = ecsCalls();
    const payments = await get('/entity/default/component/payments-api');
    expect(payments.status).toBe(200);
    const body = payments.body as EntityCoverageResponse;
    expect(body.entityRef).toBe('component:default/payments-api');
    expect(body.unmatched).toEqual([]);
    expect(body.snapshotTakenAt).toBeDefined();
    expect(body.clusters).toHaveLength(1);
    expect(body.clusters[0].cluster).toMatchObject({
      clusterName: 'prod-eu-payments',
      state: 'missing',
    });
    const [service] = body.clusters[0].services;
    expect(service).toMatchObject({
      serviceName: 'payments-api',
      found: true,
      tasks: 3,
      uncoveredTasks: 3,
    });
    expect(service.instances.length).toBeGreaterThan(0);
    expect(service.instances.every(i => i.state === 'missing')).toBe(true);

    const storefront = (await get('/entity/default/component/storefront'))
      .body as EntityCoverageResponse;
    expect(storefront.clusters[0].cluster.clusterName).toBe('prod-web');
    expect(storefront.clusters[0].services[0]).toMatchObject({
      serviceName: 'storefront',
      tasks: 3,
      uncoveredTasks: 0,
    });
    expect(
      storefront.clusters[0].services[0].findings.map(f => f.id),
    ).toContain('application.log-driver-bypasses-agent');
    const checkout = (await get('/entity/default/component/checkout-api'))
      .body as EntityCoverageResponse;
    expect(
      checkout.clusters[0].services[0].findings.map(f => f.id),
    ).not.toContain('application.agent-host-missing');

    const ghost = (await get('/entity/default/component/ghost'))
      .body as EntityCoverageResponse;
    expect(ghost.clusters).toEqual([]);
    expect(ghost.unmatched).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:999999999999:cluster/elsewhere',
        reason:
          'No such cluster in the inventory (is its account and region configured?)',
      },
      {
        arn: `arn:aws:ecs:us-east-1:${PROD}:service/prod-web/ghost`,
        reason: 'No such service on the cluster in the inventory',
      },
    ]);
    expect((await get('/entity/default/component/nobody')).status).toBe(404);
    expect(ecsCalls()).toBe(before);
  });

  it('confirms services from the snapshot for the catalog, and trusts no ARN it does not have', async () => {
    const before = ecsCalls();
    const arns = [
      `arn:aws:ecs:eu-west-1:${PROD}:service/prod-eu-payments/payments-api`,
      `arn:aws:ecs:us-east-1:${PROD}:service/prod-web/ghost`,
      `arn:aws:ecs:us-east-1:999999999999:service/prod-web/storefront`,
      'not-an-arn',
    ];
    const res = await request(server)
      .post(`${API}/services/lookup`)
      .send({ serviceArns: arns });
    expect(res.status).toBe(200);
    expect(res.body.services).toEqual([
      {
        serviceArn: arns[0],
        found: true,
        accountId: PROD,
        region: 'eu-west-1',
        clusterName: 'prod-eu-payments',
        clusterArn: `arn:aws:ecs:eu-west-1:${PROD}:cluster/prod-eu-payments`,
      },
      {
        serviceArn: arns[1],
        found: false,
        reason: 'No such service on the cluster in the inventory',
      },
      {
        serviceArn: arns[2],
        found: false,
        reason:
          'No such cluster in the inventory (is its account and region configured?)',
      },
      { serviceArn: arns[3], found: false, reason: 'Not an ECS service ARN' },
    ]);
    // The Agent's own service is not an application service: not something to link.
    const agent = await request(server)
      .post(`${API}/services/lookup`)
      .send({
        serviceArns: [`arn:aws:ecs:us-east-1:${PROD}:service/prod-web/datadog-agent`],
      });
    expect(agent.body.services[0].found).toBe(false);

    for (const body of [
      {},
      { serviceArns: [] },
      { serviceArns: Array.from({ length: 101 }, (_, i) => `arn-${i}`) },
      { serviceArns: [42] },
      { serviceArns: ['x'], extra: true },
    ]) {
      const bad = await request(server).post(`${API}/services/lookup`).send(body);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.error)).toMatch(/serviceArns|extra/);
    }
    expect(ecsCalls()).toBe(before);
  });

  it('says who owns each cluster: the owner tag, else the location default', async () => {
    const { clusters } = (await get('/clusters')).body as ClustersResponse;
    const owners = Object.fromEntries(
      clusters.map(c => [c.clusterName, [c.owner, c.ownerSource]]),
    );
    // Tagged in the demo fleet: owner tags win over any default.
    expect(owners['prod-web']).toEqual(['group:default/storefront', 'tag']);
    expect(owners['prod-eu-payments']).toEqual(['group:default/payments', 'tag']);
    expect(clusters.find(c => c.clusterName === 'prod-eu-payments')?.system).toBe(
      'system:default/payments',
    );
    // Staging has a location default; production has none, so its untagged clusters have no owner.
    const staging = clusters.filter(c => c.accountId === STAGING);
    expect(staging.length).toBeGreaterThan(0);
    expect(new Set(staging.map(c => owners[c.clusterName].join(' ')))).toEqual(
      new Set(['group:default/team-staging config']),
    );
    expect(owners['prod-batch']).toEqual([undefined, undefined]);
  });

  it('rate-limits POST /refresh, and a second refresh describes no task definition', async () => {
    emu.control.resetCounters();
    const first = await request(server).post(`${API}/refresh`);
    expect(first.status).toBe(202);
    expect(first.body.nextAllowedAt).toBeDefined();
    const second = await request(server).post(`${API}/refresh`);
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(second.body.error.name).toBe('TooManyRequestsError');
    expect(second.body.error.retryAfterSeconds).toBe(
      Number(second.headers['retry-after']),
    );
    expect(second.body.error.nextAllowedAt).toBe(first.body.nextAllowedAt);

    const counters = emu.control.counters();
    expect(counters.operations.DescribeTaskDefinition?.calls ?? 0).toBe(0);
    // AMIs are cached like task definitions (the unreadable one for an hour): EC2 is not asked.
    expect(firstRefresh.operations.DescribeImages?.calls).toBeGreaterThan(0);
    expect(counters.operations.DescribeImages?.calls ?? 0).toBe(0);
    // The same reads as the first pass otherwise.
    for (const name of Object.keys(firstRefresh.operations).filter(
      n => n !== 'DescribeTaskDefinition' && n !== 'DescribeImages',
    )) {
      expect({ name, calls: counters.operations[name]?.calls }).toEqual({
        name,
        calls: firstRefresh.operations[name].calls,
      });
    }
    const after = (await get('/clusters')).body as ClustersResponse;
    expect(after.refresh.running).toBe(false);
    expect(after.refresh.nextAllowedAt).toBeDefined();
    expect(after.clusters.map(c => [c.clusterName, c.state])).toEqual(
      snapshot.clusters.map(c => [c.clusterName, c.state]),
    );
    const history = (await details(PROD, 'us-east-1', 'prod-web')).history;
    expect(history.length).toBeGreaterThanOrEqual(2);
  });

  it('shows an instance drained in ECS as draining after the next refresh', async () => {
    const web = await details(PROD, 'us-east-1', 'prod-web');
    const target = web.instances[0];
    emu.control.drain({
      accountId: PROD,
      region: 'us-east-1',
      cluster: 'prod-web',
      containerInstance: target.containerInstanceArn,
    });
    emu.control.advance(120_000);
    await refresh(server);

    const after = await details(PROD, 'us-east-1', 'prod-web');
    const drained = after.instances.find(
      i => i.containerInstanceArn === target.containerInstanceArn,
    )!;
    expect(drained).toMatchObject({
      status: 'DRAINING',
      state: 'missing',
      reason: { code: 'draining' },
    });
    expect(after.state).toBe('missing');
    expect(after.counts).toMatchObject({
      instances: 4,
      covered: 3,
      missing: 1,
    });
    expect(
      after.instances
        .filter(i => i !== drained)
        .every(i => i.state === 'covered'),
    ).toBe(true);
  });
});

describe('datadog-ecs when the read permission is denied', () => {
  let emu: EcsEmulator;
  let server: Parameters<typeof request>[0];

  beforeAll(async () => {
    emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
    const backend = await startTestBackend({
      features: [
        datadogEcsPlugin,
        mockServices.rootConfig.factory({ data: config(emu) }),
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        database(),
        catalogServiceMock.factory({ entities: ENTITIES }),
      ],
    });
    server = backend.server;
  });

  afterAll(async () => {
    await emu?.stop();
  });

  it('answers 403 on every inventory route and calls ECS for none', async () => {
    emu.control.resetCounters();
    const responses = await Promise.all([
      request(server).get(`${API}/clusters`),
      request(server).get(`${API}/clusters/${PROD}/us-east-1/prod-web`),
      request(server).get(`${API}/entity/default/component/payments-api`),
      request(server).post(`${API}/refresh`),
      request(server)
        .post(`${API}/services/lookup`)
        .send({ serviceArns: [`arn:aws:ecs:us-east-1:${PROD}:service/prod-web/storefront`] }),
    ]);
    expect(responses.map(r => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(responses.every(r => r.body.error.name === 'NotAllowedError')).toBe(
      true,
    );
    expect(emu.control.counters().total.calls).toBe(0);
    // The health check stays open.
    expect((await request(server).get(`${API}/health`)).status).toBe(200);
  });
});

describe('datadog-ecs when DescribeClusters counts lag and a configured cluster does not exist', () => {
  let emu: EcsEmulator;
  let server: Parameters<typeof request>[0];
  const COUNTS_INTERVAL = 600_000;

  beforeAll(async () => {
    // Counts recomputed every 10 simulated minutes: they stay behind the service created below.
    emu = await startEcsEmulator({
      fleet: 'demo',
      clock: { mode: 'manual' },
      timings: { clusterCountsIntervalMs: COUNTS_INTERVAL },
    });
    const base = config(emu);
    const backend = await startTestBackend({
      features: [
        datadogEcsPlugin,
        mockServices.rootConfig.factory({
          data: {
            ...base,
            datadogEcs: {
              ...base.datadogEcs,
              locations: [
                {
                  accountId: PROD,
                  name: 'production',
                  regions: ['us-east-1'],
                  clusters: ['sandbox', 'no-such-cluster'],
                },
              ],
            },
          },
        }),
        database(),
        catalogServiceMock.factory({ entities: ENTITIES }),
      ],
    });
    server = backend.server;
    await waitForSnapshot(server);
  });

  afterAll(async () => {
    await emu?.stop();
  });

  it('names the configured cluster that ECS reports MISSING in the inventory errors', async () => {
    const res = await request(server).get(`${API}/clusters`);
    expect(res.status).toBe(200);
    const body = res.body as ClustersResponse;
    const missing = body.clusters.find(
      c => c.clusterName === 'no-such-cluster',
    )!;
    expect(missing.error).toMatchObject({
      kind: 'not-found',
      name: 'MISSING',
      message: expect.stringContaining(
        '"no-such-cluster" (configured in datadogEcs.locations[].clusters)',
      ),
      failures: [
        {
          arn: `arn:aws:ecs:us-east-1:${PROD}:cluster/no-such-cluster`,
          reason: 'MISSING',
        },
      ],
    });
    // The configured cluster that exists is served as usual.
    const sandbox = body.clusters.find(c => c.clusterName === 'sandbox')!;
    expect(sandbox.error).toBeUndefined();
    expect(sandbox.counts.instances).toBe(2);
  });

  it('finds an Agent DAEMON service created before the cluster counts caught up', async () => {
    const ecs = new ECSClient(
      emu.clientConfig({ accountId: PROD, region: 'us-east-1' }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'sandbox',
        serviceName: 'datadog-agent',
        taskDefinition: 'datadog-agent-task',
        schedulingStrategy: 'DAEMON',
      }),
    );
    emu.control.advance(10_000);
    // ECS's summary still says the cluster has no active service.
    const [counts] = (
      await ecs.send(new DescribeClustersCommand({ clusters: ['sandbox'] }))
    ).clusters!;
    expect(counts.activeServicesCount).toBe(0);
    expect(counts.registeredContainerInstancesCount).toBe(2);

    await refresh(server);
    await waitForSnapshot(server);
    const sandbox = (
      await request(server).get(`${API}/clusters/${PROD}/us-east-1/sandbox`)
    ).body as ClusterDetails;
    expect(sandbox.agentServices).toEqual([
      expect.objectContaining({
        serviceName: 'datadog-agent',
        schedulingStrategy: 'DAEMON',
      }),
    ]);
  });
});
