/* Stored cluster views (what the refresh writes), for the store, filter and entity tests. */
import {
  ClusterSummary,
  CoverageState,
  FeatureChip,
  InstanceCoverage,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { StoredServiceView } from '../coverage';
import { StoredCluster } from '../SnapshotStore';

function defaultState(instances: number, covered: number): CoverageState {
  if (instances === 0) return 'not-applicable';
  return covered === instances ? 'covered' : 'missing';
}

export function storedCluster(opts: {
  accountId?: string;
  region?: string;
  clusterName: string;
  state?: CoverageState;
  instances?: number;
  covered?: number;
  refreshedAt?: string;
  locationName?: string;
  features?: FeatureChip[];
  instanceStates?: Array<{ id: string; state: CoverageState }>;
  services?: StoredServiceView[];
  error?: ClusterSummary['error'];
}): StoredCluster {
  const accountId = opts.accountId ?? '111111111111';
  const region = opts.region ?? 'us-east-1';
  const instanceStates = opts.instanceStates ?? [];
  const instances = opts.instances ?? instanceStates.length;
  const covered =
    opts.covered ?? instanceStates.filter(i => i.state === 'covered').length;
  const instanceViews: InstanceCoverage[] = instanceStates.map(i => ({
    containerInstanceArn: `arn:aws:ecs:${region}:${accountId}:container-instance/${opts.clusterName}/${i.id}`,
    instanceId: `i-${i.id}`,
    os: 'linux',
    external: false,
    status: 'ACTIVE',
    agentConnected: true,
    state: i.state,
  }));
  return {
    details: {
      accountId,
      region,
      clusterName: opts.clusterName,
      clusterArn: `arn:aws:ecs:${region}:${accountId}:cluster/${opts.clusterName}`,
      locationName: opts.locationName,
      status: 'ACTIVE',
      state: opts.state ?? defaultState(instances, covered),
      counts: {
        instances,
        desired: instances,
        running: covered,
        healthy: covered,
        upToDate: covered,
        covered,
        pending: 0,
        unhealthy: 0,
        stopped: 0,
        missing: instances - covered,
      },
      coveragePercent:
        instances === 0 ? null : Math.floor((covered * 100) / instances),
      fargateOnly: false,
      agentServices: [],
      agentRevisions: [],
      outdatedInstances: 0,
      features: opts.features ?? [],
      findingCounts: { critical: 0, warning: 0, info: 0 },
      refreshedAt: opts.refreshedAt ?? '2026-01-15T10:00:00.000Z',
      error: opts.error,
      instances: instanceViews,
      featureResults: [],
      findings: [],
      events: [],
      taskDefinitions: [],
    },
    services: opts.services ?? [],
  };
}

/** The card of a stored cluster, as `GET /clusters` serves it. */
export function summaryOf(cluster: StoredCluster): ClusterSummary {
  const {
    instances: _i,
    featureResults: _f,
    findings: _fi,
    events: _e,
    taskDefinitions: _t,
    ...summary
  } = cluster.details;
  return summary;
}

export function appService(
  serviceName: string,
  taskInstanceArns: string[],
  extra: Partial<StoredServiceView> = {},
): StoredServiceView {
  return {
    serviceArn: `arn:aws:ecs:us-east-1:111111111111:service/x/${serviceName}`,
    serviceName,
    launchType: 'EC2',
    findings: [],
    taskInstanceArns,
    fargateTasks: 0,
    ...extra,
  };
}
