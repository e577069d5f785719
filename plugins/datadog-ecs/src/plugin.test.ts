import { datadogEcsPlugin } from './plugin';
import { datadogEcsApiRef } from './api';
import {
  CLEARED_FILTERS,
  hasFilters,
  parseParams,
  toFilter,
  toSearch,
} from './components/ClusterList/params';

describe('datadogEcsPlugin', () => {
  it('registers the datadog-ecs API', () => {
    expect([...datadogEcsPlugin.getApis()].map(f => f.api)).toContain(
      datadogEcsApiRef,
    );
  });

  it('has a route for the cluster resources’ tab, apart from the services’ tab', () => {
    const routes = datadogEcsPlugin.routes;
    expect(routes.clusterEntityContent).toBeDefined();
    expect(routes.clusterEntityContent).not.toBe(routes.entityContent);
  });
});

describe('cluster list URL parameters', () => {
  it('round-trip through the query string and map to the API filter', () => {
    const search = new URLSearchParams(
      'account=111111111111&region=us-east-1&uncovered=true&feature=logs:misconfigured&q=web&group=flat&sort=name&page=2',
    );
    const params = parseParams(search);
    expect(toSearch(params).toString()).toBe(search.toString());
    expect(toFilter(params)).toEqual({
      accountId: '111111111111',
      region: 'us-east-1',
      state: ['pending', 'unhealthy', 'stopped', 'missing'],
      feature: { id: 'logs', state: 'misconfigured' },
      text: 'web',
    });
  });

  it('keep "my clusters" in the URL and send it as the user’s ownership refs', () => {
    const params = parseParams(
      new URLSearchParams('mine=true&region=eu-west-1'),
    );
    expect(params.mine).toBe(true);
    expect(toSearch(params).toString()).toBe('region=eu-west-1&mine=true');
    expect(
      toFilter(params, ['user:default/bob', 'group:default/payments']).owner,
    ).toEqual(['user:default/bob', 'group:default/payments']);
    expect(hasFilters(params)).toBe(true);
    const cleared = { ...params, ...CLEARED_FILTERS };
    expect(cleared.mine).toBe(false);
    expect(toFilter(cleared, ['user:default/bob']).owner).toBeUndefined();
    expect(parseParams(new URLSearchParams('mine=yes')).mine).toBe(false);
  });

  it('defaults to grouped, lowest coverage first, first page, and ignores nonsense', () => {
    const params = parseParams(
      new URLSearchParams('sort=nope&page=-3&feature=apm:weird'),
    );
    expect(params).toMatchObject({
      group: 'location',
      sort: 'coverage-asc',
      page: 1,
    });
    expect(params.feature).toBeUndefined();
    expect(toSearch(params).toString()).toBe('');
  });
});
