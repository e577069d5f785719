import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { startEcsEmulator } from '..';
import { resolveFleet } from '.';
import { SCALE_BIG_CLUSTER, SCALE_LOCATIONS } from './scale';

const locationsOf = (ref: string) =>
  [
    ...new Set(
      resolveFleet(ref).clusters.map(c => `${c.accountId}/${c.region}`),
    ),
  ].sort();

const instancesOf = (ref: string) =>
  resolveFleet(ref)
    .clusters.flatMap(c => c.instances ?? [])
    .reduce((n, i) => n + (i.count ?? 0), 0);

describe('scale fleets', () => {
  it('spreads scale:<C>x<I> over the demo accounts × two regions, as before', () => {
    const fleet = resolveFleet('scale:8x3');
    expect(fleet.name).toBe('scale:8x3');
    expect(locationsOf('scale:8x3')).toEqual([
      '111111111111/eu-west-1',
      '111111111111/us-east-1',
      '222222222222/eu-west-1',
      '222222222222/us-east-1',
    ]);
    // Round-robin: the first four clusters go to the four locations in order.
    expect(
      fleet.clusters
        .slice(0, 4)
        .map(c => `${c.name} ${c.accountId}/${c.region}`),
    ).toEqual([
      'scale-0001 111111111111/us-east-1',
      'scale-0002 111111111111/eu-west-1',
      'scale-0003 222222222222/us-east-1',
      'scale-0004 222222222222/eu-west-1',
    ]);
    expect(instancesOf('scale:8x3')).toBe(24);
    // @4 is the default: the same fleet, under its historical name.
    expect(resolveFleet('scale:8x3@4')).toEqual(fleet);
  });

  it('takes the number of account-regions after @', () => {
    expect(locationsOf('scale:10x100@1')).toEqual(['111111111111/us-east-1']);
    expect(locationsOf('scale:10x2@2')).toEqual([
      '111111111111/eu-west-1',
      '111111111111/us-east-1',
    ]);
    expect(locationsOf('scale:10x2@3')).toHaveLength(3);
    expect(resolveFleet('scale:10x100@1').clusters).toHaveLength(10);
    expect(instancesOf('scale:10x100@1')).toBe(1000);
    expect(resolveFleet('scale:10x2@2').name).toBe('scale:10x2@2');
    // Task definitions are registered where the clusters are; every demo account stays known.
    const fleet = resolveFleet('scale:3x2@1');
    expect(
      new Set(fleet.taskDefinitions!.map(t => `${t.accountId}/${t.region}`)),
    ).toEqual(new Set(['111111111111/us-east-1']));
    expect(fleet.accounts.map(a => a.accountId)).toEqual([
      '111111111111',
      '222222222222',
    ]);
    expect(SCALE_LOCATIONS).toHaveLength(4);
  });

  it('adds one large cluster after +, in the first location, the rest unchanged', () => {
    const fleet = resolveFleet('scale:90x100@2+1000');
    expect(fleet.name).toBe('scale:90x100@2+1000');
    expect(fleet.clusters).toHaveLength(91);
    expect(instancesOf('scale:90x100@2+1000')).toBe(10_000);
    const big = fleet.clusters.find(c => c.name === SCALE_BIG_CLUSTER)!;
    expect(`${big.accountId}/${big.region}`).toBe('111111111111/us-east-1');
    expect(big.instances!.reduce((n, i) => n + (i.count ?? 0), 0)).toBe(1000);
    // Some of its instances are too small for the Agent, as in every scale cluster.
    expect(
      big.instances!.find(i => i.instanceType === 't3.nano')!.count,
    ).toBeGreaterThan(0);
    expect(big.services!.map(s => [s.serviceName, s.desiredCount])).toEqual([
      ['datadog-agent', undefined],
      ['api', 500],
      ['worker', 250],
    ]);
    expect(locationsOf('scale:90x100@2+1000')).toEqual(
      locationsOf('scale:90x100@2'),
    );
    expect(
      fleet.clusters.filter(c => c.name !== SCALE_BIG_CLUSTER).map(c => c.name),
    ).toEqual(resolveFleet('scale:90x100@2').clusters.map(c => c.name));
    expect(() => resolveFleet('scale:2x2+0')).toThrow(/Invalid scale fleet/);
    expect(() => resolveFleet('scale:2x2+')).toThrow();
  });

  it('refuses other account-region counts', () => {
    expect(() => resolveFleet('scale:10x2@0')).toThrow(/1 to 4/);
    expect(() => resolveFleet('scale:10x2@5')).toThrow(/1 to 4/);
    expect(() => resolveFleet('scale:10x2@')).toThrow();
  });

  it('serves a one-location fleet, and nothing in the other locations', async () => {
    const emu = await startEcsEmulator({ fleet: 'scale:5x2@1' });
    try {
      const count = async (accountId: string, region: string) => {
        const ecs = new ECSClient(emu.clientConfig({ accountId, region }));
        try {
          return (await ecs.send(new ListClustersCommand({}))).clusterArns!
            .length;
        } finally {
          ecs.destroy();
        }
      };
      expect(await count('111111111111', 'us-east-1')).toBe(5);
      expect(await count('111111111111', 'eu-west-1')).toBe(0);
      expect(await count('222222222222', 'us-east-1')).toBe(0);
    } finally {
      await emu.stop();
    }
  });
});
