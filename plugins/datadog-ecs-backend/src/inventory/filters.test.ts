import { FeatureChip } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { storedCluster, summaryOf } from './__fixtures__/stored';
import {
  clusterQuerySchema,
  filterClusters,
  fleetTotals,
  MAX_OWNER_REFS,
} from './filters';

const chip = (
  id: FeatureChip['id'],
  state: FeatureChip['state'],
): FeatureChip => ({
  id,
  title: id,
  state,
  findingCount: 0,
});

const clusters = [
  storedCluster({
    clusterName: 'prod-web',
    locationName: 'production',
    instances: 4,
    covered: 4,
    features: [chip('dogstatsd', 'on'), chip('apm', 'on')],
  }),
  storedCluster({
    clusterName: 'prod-batch',
    locationName: 'production',
    instances: 5,
    covered: 2,
  }),
  storedCluster({
    accountId: '222222222222',
    region: 'eu-west-1',
    clusterName: 'staging-misconfigured',
    locationName: 'staging',
    instances: 3,
    covered: 3,
    features: [chip('dogstatsd', 'misconfigured'), chip('apm', 'on')],
  }),
  storedCluster({
    accountId: '222222222222',
    region: 'us-east-1',
    clusterName: 'staging-fargate',
    state: 'not-applicable',
  }),
].map(summaryOf);

// Owners as the inventory resolves them (full refs); the Fargate cluster has none.
const OWNERS: Record<string, string> = {
  'prod-web': 'group:default/platform',
  'prod-batch': 'group:default/Payments',
  'staging-misconfigured': 'user:default/jane',
};
for (const c of clusters) {
  if (OWNERS[c.clusterName]) c.owner = OWNERS[c.clusterName];
}

const names = (query: Record<string, unknown>) =>
  filterClusters(clusters, clusterQuerySchema.parse(query)).map(
    c => c.clusterName,
  );

describe('clusterQuerySchema', () => {
  it('accepts the documented parameters and turns one state into a list', () => {
    expect(clusterQuerySchema.parse({ state: 'missing' })).toEqual({
      state: ['missing'],
    });
    expect(clusterQuerySchema.parse({ state: ['missing', 'stopped'] })).toEqual(
      {
        state: ['missing', 'stopped'],
      },
    );
    expect(
      clusterQuerySchema.parse({
        account: '111111111111',
        region: 'eu-west-1',
        feature: 'apm:off',
        q: 'web',
      }),
    ).toEqual({
      account: '111111111111',
      region: 'eu-west-1',
      feature: 'apm:off',
      q: 'web',
    });
  });

  it.each([
    [{ account: '1234' }, 'account'],
    [{ region: 'Europe' }, 'region'],
    [{ state: 'broken' }, 'state'],
    [{ state: ['missing', 'nope'] }, 'state'],
    [{ feature: 'apm' }, 'feature'],
    [{ feature: 'apm:maybe' }, 'feature'],
    [{ feature: 'dgostatsd:off' }, 'feature'],
    [{ q: 'x'.repeat(201) }, 'q'],
  ])('rejects %j at %s', (query, path) => {
    const result = clusterQuerySchema.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path[0]).toBe(path);
  });

  it('reads owner refs repeated and comma-separated, trimmed, as lower-case keys', () => {
    expect(
      clusterQuerySchema.parse({
        owner: [
          'group:default/Payments, user:default/jane',
          'group:ops/platform',
        ],
      }),
    ).toEqual({
      owner: [
        'group:default/payments',
        'user:default/jane',
        'group:ops/platform',
      ],
    });
    expect(clusterQuerySchema.parse({ owner: 'group:default/a' })).toEqual({
      owner: ['group:default/a'],
    });
  });

  it.each([
    ['payments', 'a bare name'],
    ['group:payments', 'no namespace'],
    ['default/payments', 'no kind'],
    ['group:default/pay/ments', 'an extra slash'],
    ['group:Default/payments', 'an upper-case namespace'],
    ['group:default/-payments', 'a name the catalog refuses'],
    [`group:default/${'x'.repeat(64)}`, 'a name over 63 characters'],
  ])('rejects the owner %j (%s)', ref => {
    const result = clusterQuerySchema.safeParse({
      owner: ['group:default/ok', ref],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(['owner', 1]);
    expect(result.error?.issues[0].message).toBe(
      'must be full entity refs like group:default/payments',
    );
  });

  it('bounds the owner refs: at least one, at most MAX_OWNER_REFS', () => {
    const refs = (n: number) =>
      Array.from({ length: n }, (_, i) => `group:default/team-${i}`);
    expect(
      clusterQuerySchema.parse({ owner: refs(MAX_OWNER_REFS) }).owner,
    ).toHaveLength(MAX_OWNER_REFS);
    const tooMany = clusterQuerySchema.safeParse({
      owner: refs(MAX_OWNER_REFS + 1).join(','),
    });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues[0].path).toEqual(['owner']);
    expect(tooMany.error?.issues[0].message).toBe(
      `must name at most ${MAX_OWNER_REFS} entity refs`,
    );
    const none = clusterQuerySchema.safeParse({ owner: ' , ' });
    expect(none.success).toBe(false);
    expect(none.error?.issues[0].message).toBe(
      'must name at least one entity ref',
    );
  });

  it('rejects unknown parameters', () => {
    const result = clusterQuerySchema.safeParse({ acount: '111111111111' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].code).toBe('unrecognized_keys');
  });
});

describe('filterClusters', () => {
  it('returns everything without filters', () => {
    expect(names({})).toEqual([
      'prod-web',
      'prod-batch',
      'staging-misconfigured',
      'staging-fargate',
    ]);
  });

  it('filters by account and region', () => {
    expect(names({ account: '222222222222' })).toEqual([
      'staging-misconfigured',
      'staging-fargate',
    ]);
    expect(names({ account: '222222222222', region: 'us-east-1' })).toEqual([
      'staging-fargate',
    ]);
    expect(names({ region: 'us-east-1' })).toEqual([
      'prod-web',
      'prod-batch',
      'staging-fargate',
    ]);
  });

  it('filters by any of several states', () => {
    expect(names({ state: 'missing' })).toEqual(['prod-batch']);
    expect(names({ state: ['missing', 'not-applicable'] })).toEqual([
      'prod-batch',
      'staging-fargate',
    ]);
    expect(names({ state: 'stopped' })).toEqual([]);
  });

  it('filters by a feature state; a cluster without the chip has the feature off', () => {
    expect(names({ feature: 'dogstatsd:misconfigured' })).toEqual([
      'staging-misconfigured',
    ]);
    expect(names({ feature: 'dogstatsd:on' })).toEqual(['prod-web']);
    expect(names({ feature: 'dogstatsd:off' })).toEqual([
      'prod-batch',
      'staging-fargate',
    ]);
  });

  it('searches names, accounts, regions and location names, case-insensitively', () => {
    expect(names({ q: 'PROD-' })).toEqual(['prod-web', 'prod-batch']);
    expect(names({ q: ' staging ' })).toEqual([
      'staging-misconfigured',
      'staging-fargate',
    ]);
    expect(names({ q: 'eu-west' })).toEqual(['staging-misconfigured']);
    expect(names({ q: '2222' })).toEqual([
      'staging-misconfigured',
      'staging-fargate',
    ]);
    expect(names({ q: 'production', state: 'covered' })).toEqual(['prod-web']);
  });
});

describe('filterClusters by owner', () => {
  it('keeps the clusters owned by one of the refs, case-insensitively', () => {
    expect(names({ owner: 'group:default/payments' })).toEqual(['prod-batch']);
    expect(
      names({ owner: ['group:default/PLATFORM', 'user:default/jane'] }),
    ).toEqual(['prod-web', 'staging-misconfigured']);
  });

  it('never keeps a cluster without an owner, nor one owned by a namesake elsewhere', () => {
    expect(names({ owner: 'group:default/nobody' })).toEqual([]);
    expect(names({ owner: 'group:ops/platform' })).toEqual([]);
    expect(names({ owner: 'user:default/platform' })).toEqual([]);
    expect(names({})).toContain('staging-fargate');
  });

  it('combines with the other filters', () => {
    expect(
      names({
        owner: 'group:default/platform,group:default/payments',
        state: 'missing',
      }),
    ).toEqual(['prod-batch']);
    expect(
      names({ owner: 'user:default/jane', account: '111111111111' }),
    ).toEqual([]);
  });
});

describe('fleetTotals', () => {
  it('sums instances and covered and floors the percentage', () => {
    expect(fleetTotals(clusters)).toEqual({
      clusters: 4,
      instances: 12,
      covered: 9,
      coveragePercent: 75,
    });
    expect(fleetTotals(clusters.slice(1, 2))).toEqual({
      clusters: 1,
      instances: 5,
      covered: 2,
      coveragePercent: 40,
    });
    const twoThirds = [
      storedCluster({ clusterName: 'x', instances: 3, covered: 2 }),
    ].map(summaryOf);
    expect(fleetTotals(twoThirds).coveragePercent).toBe(66);
  });

  it('has no percentage without instances', () => {
    expect(fleetTotals([])).toEqual({
      clusters: 0,
      instances: 0,
      covered: 0,
      coveragePercent: null,
    });
    expect(fleetTotals(clusters.slice(3)).coveragePercent).toBeNull();
  });
});
