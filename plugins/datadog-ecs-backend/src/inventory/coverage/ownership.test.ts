import { cluster } from '../__fixtures__/ecs';
import { clusterOwnership } from './ownership';

const CONTEXT = { ownerTag: 'owner', systemTag: 'system' };
const tagged = (tags: Record<string, string>) =>
  cluster({ tags: Object.entries(tags).map(([key, value]) => ({ key, value })) });

describe('clusterOwnership', () => {
  it('takes the owner and system from the cluster’s tags, as entity refs', () => {
    expect(
      clusterOwnership(tagged({ owner: 'payments', system: 'checkout' }), {
        ...CONTEXT,
        defaultOwner: 'group:default/platform',
      }),
    ).toEqual({
      owner: 'group:default/payments',
      ownerSource: 'tag',
      system: 'system:default/checkout',
    });
  });

  it('falls back to the configured owner when the tag is absent or malformed', () => {
    const context = { ...CONTEXT, defaultOwner: 'group:default/platform' };
    for (const c of [tagged({}), tagged({ owner: 'not a ref' }), tagged({ Owner: 'x' })]) {
      expect(clusterOwnership(c, context)).toEqual({
        owner: 'group:default/platform',
        ownerSource: 'config',
      });
    }
  });

  it('reads the configured tag keys only, and says nothing without config', () => {
    const c = tagged({ owner: 'a', team: 'b' });
    expect(clusterOwnership(c, { ...CONTEXT, ownerTag: 'team' }).owner).toBe(
      'group:default/b',
    );
    expect(clusterOwnership(tagged({}), CONTEXT)).toEqual({});
    expect(clusterOwnership(c, undefined)).toEqual({});
  });
});
