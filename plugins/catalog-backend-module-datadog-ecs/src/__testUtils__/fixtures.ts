import {
  ClusterSummary,
  ClustersResponse,
  LocationStatus,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** A cluster card as `GET /clusters` serves it. */
export function summary(
  clusterName: string,
  overrides: Partial<ClusterSummary> = {},
): ClusterSummary {
  const accountId = overrides.accountId ?? '111111111111';
  const region = overrides.region ?? 'eu-west-1';
  return {
    accountId,
    region,
    clusterName,
    clusterArn: `arn:aws:ecs:${region}:${accountId}:cluster/${clusterName}`,
    locationName: 'production',
    status: 'ACTIVE',
    state: 'covered',
    counts: {
      instances: 2,
      desired: 2,
      running: 2,
      healthy: 2,
      upToDate: 2,
      covered: 2,
      pending: 0,
      unhealthy: 0,
      stopped: 0,
      missing: 0,
    },
    coveragePercent: 100,
    fargateOnly: false,
    agentServices: [],
    agentRevisions: [],
    outdatedInstances: 0,
    features: [],
    findingCounts: { critical: 0, warning: 0, info: 0 },
    refreshedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The location statuses of the clusters' account-regions, all fine. */
export function locationsOf(clusters: ClusterSummary[]): LocationStatus[] {
  const byKey = new Map<string, LocationStatus>();
  for (const c of clusters) {
    const key = `${c.accountId}/${c.region}`;
    const existing = byKey.get(key);
    if (existing) existing.clusterCount += 1;
    else {
      byKey.set(key, {
        accountId: c.accountId,
        region: c.region,
        clusterCount: 1,
        refreshedAt: c.refreshedAt,
      });
    }
  }
  return [...byKey.values()];
}

/** A `GET /clusters` answer after a finished refresh. */
export function response(
  clusters: ClusterSummary[],
  overrides: Partial<ClustersResponse> = {},
): ClustersResponse {
  return {
    clusters,
    locations: locationsOf(clusters),
    snapshotTakenAt: '2025-01-01T00:00:00.000Z',
    refresh: { running: false },
    totals: {
      clusters: clusters.length,
      instances: 0,
      covered: 0,
      coveragePercent: null,
    },
    ...overrides,
  };
}
