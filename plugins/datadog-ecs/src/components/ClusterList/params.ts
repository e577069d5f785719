import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  AgentFeatureId,
  ClusterFilter,
  CoverageState,
  FeatureState,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

export type SortOrder = 'coverage-asc' | 'coverage-desc' | 'name';
export type Grouping = 'location' | 'flat';

/** What the portal page shows, as kept in the URL query string (shareable). */
export interface ClusterListParams {
  account?: string;
  region?: string;
  /** Only clusters that are not fully covered. */
  uncovered: boolean;
  /** Only "my clusters": owned by the signed-in user or one of their groups. */
  mine: boolean;
  /** `apm:off`. */
  feature?: { id: AgentFeatureId; state: FeatureState };
  q?: string;
  group: Grouping;
  sort: SortOrder;
  page: number;
}

/** The worst-of states of a cluster that is not fully covered. */
export const NOT_FULLY_COVERED: CoverageState[] = [
  'pending',
  'unhealthy',
  'stopped',
  'missing',
];

const SORTS: SortOrder[] = ['coverage-asc', 'coverage-desc', 'name'];
const FEATURE_STATES: FeatureState[] = [
  'on',
  'off',
  'misconfigured',
  'not-applicable',
];

export function parseParams(search: URLSearchParams): ClusterListParams {
  const featureParam = search.get('feature');
  let feature: ClusterListParams['feature'];
  if (featureParam) {
    const [id, state = 'off'] = featureParam.split(':');
    if (id && FEATURE_STATES.includes(state as FeatureState)) {
      feature = { id: id as AgentFeatureId, state: state as FeatureState };
    }
  }
  const sort = search.get('sort') as SortOrder;
  const page = Number(search.get('page'));
  return {
    account: search.get('account') || undefined,
    region: search.get('region') || undefined,
    uncovered: search.get('uncovered') === 'true',
    mine: search.get('mine') === 'true',
    feature,
    q: search.get('q') || undefined,
    group: search.get('group') === 'flat' ? 'flat' : 'location',
    sort: SORTS.includes(sort) ? sort : 'coverage-asc',
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function toSearch(params: ClusterListParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.account) search.set('account', params.account);
  if (params.region) search.set('region', params.region);
  if (params.uncovered) search.set('uncovered', 'true');
  if (params.mine) search.set('mine', 'true');
  if (params.feature)
    search.set('feature', `${params.feature.id}:${params.feature.state}`);
  if (params.q) search.set('q', params.q);
  if (params.group !== 'location') search.set('group', params.group);
  if (params.sort !== 'coverage-asc') search.set('sort', params.sort);
  if (params.page > 1) search.set('page', String(params.page));
  return search;
}

/**
 * The API filter of the parameters; "my clusters" with the signed-in user's ownership refs
 * (`ownershipRefs`, which the caller must have loaded when `params.mine` is set).
 */
export function toFilter(
  params: ClusterListParams,
  ownershipRefs: string[] = [],
): ClusterFilter {
  return {
    accountId: params.account,
    region: params.region,
    state: params.uncovered ? NOT_FULLY_COVERED : undefined,
    feature: params.feature,
    text: params.q,
    owner: params.mine ? ownershipRefs : undefined,
  };
}

/** Whether any filter (not grouping/sorting/paging) is set. */
export function hasFilters(params: ClusterListParams): boolean {
  return Boolean(
    params.account ||
      params.region ||
      params.uncovered ||
      params.mine ||
      params.feature ||
      params.q,
  );
}

/** The change that clears every filter (and keeps grouping and sorting). */
export const CLEARED_FILTERS: Partial<ClusterListParams> = {
  account: undefined,
  region: undefined,
  uncovered: false,
  mine: false,
  feature: undefined,
  q: undefined,
};

/** The page's parameters, read from and written to the URL query string. */
export function useClusterListParams(): [
  ClusterListParams,
  (change: Partial<ClusterListParams>) => void,
] {
  const [search, setSearch] = useSearchParams();
  const params = useMemo(() => parseParams(search), [search]);
  const update = useCallback(
    (change: Partial<ClusterListParams>) => {
      setSearch(
        current => {
          const next = { ...parseParams(current), ...change };
          // Any filter change starts again from the first page.
          if (!('page' in change)) next.page = 1;
          return toSearch(next);
        },
        { replace: true },
      );
    },
    [setSearch],
  );
  return [params, update];
}
