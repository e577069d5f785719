import {
  clusterEntityName,
  clusterEntityRef,
  normalizeEntityRef,
} from './catalog';

describe('cluster entity names', () => {
  it('names a cluster after its name, region and account, in the catalog alphabet', () => {
    expect(
      clusterEntityName({
        clusterName: 'prod-web',
        region: 'us-east-1',
        accountId: '111111111111',
      }),
    ).toBe('prod-web-us-east-1-111111111111');
    expect(
      clusterEntityRef({
        clusterName: 'Prod_Web',
        region: 'eu-west-1',
        accountId: '222222222222',
      }),
    ).toBe('resource:default/prod_web-eu-west-1-222222222222');
  });

  it('keeps long names at 63 characters and unique', () => {
    const a = clusterEntityName({
      clusterName: 'a'.repeat(200),
      region: 'us-east-1',
      accountId: '111111111111',
    });
    const b = clusterEntityName({
      clusterName: 'a'.repeat(200),
      region: 'us-east-2',
      accountId: '111111111111',
    });
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^[a-z0-9]([a-z0-9_.-]*[a-z0-9])?$/);
    expect(a).not.toBe(b);
  });
});

describe('normalizeEntityRef', () => {
  it.each([
    ['payments', 'group', 'group:default/payments'],
    ['group:ops/payments', 'group', 'group:ops/payments'],
    ['user:jane', 'group', 'user:default/jane'],
    ['checkout', 'system', 'system:default/checkout'],
    ['  team-a ', 'group', 'group:default/team-a'],
  ] as const)('%s → %s', (value, kind, want) => {
    expect(normalizeEntityRef(value, kind)).toBe(want);
  });

  it.each(['', '   ', 'a b', 'group:', '../etc', 'x'.repeat(100)])(
    'refuses %j',
    value => {
      expect(normalizeEntityRef(value, 'group')).toBeUndefined();
    },
  );
});
