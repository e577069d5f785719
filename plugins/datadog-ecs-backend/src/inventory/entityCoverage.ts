import {
  ClusterSummary,
  CoverageState,
  EntityClusterCoverage,
  EntityCoverageResponse,
  parseEcsArn as splitEcsArn,
  ServiceLookupResult,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { StoredServiceView } from './coverage';
import { ClusterWithServices } from './SnapshotStore';

/** The parts of an ECS ARN the plugin uses. */
export interface ParsedEcsArn {
  region: string;
  accountId: string;
  resource: 'service' | 'cluster';
  clusterName?: string;
  serviceName?: string;
}

/**
 * Parses `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE` (or the old `service/SERVICE`) and
 * `arn:aws:ecs:REGION:ACCOUNT:cluster/NAME`; undefined for anything else.
 */
export function parseEcsArn(arn: string): ParsedEcsArn | undefined {
  // The ARN grammar is -common's (also used for console links); here only services and clusters.
  const arnParts = splitEcsArn(arn.trim());
  if (
    !arnParts ||
    (arnParts.resourceType !== 'service' && arnParts.resourceType !== 'cluster')
  ) {
    return undefined;
  }
  const {
    region,
    accountId,
    resourceType: resource,
    resource: rest,
  } = arnParts;
  if (resource === 'cluster') {
    return rest.includes('/')
      ? undefined
      : { region, accountId, resource, clusterName: rest };
  }
  const parts = rest.split('/');
  if (parts.length === 2) {
    return {
      region,
      accountId,
      resource: 'service',
      clusterName: parts[0],
      serviceName: parts[1],
    };
  }
  if (parts.length === 1)
    return { region, accountId, resource: 'service', serviceName: parts[0] };
  return undefined;
}

const NO_SUCH_CLUSTER =
  'No such cluster in the inventory (is its account and region configured?)';

/** The snapshot's clusters in the account and region of a parsed ARN. */
const clustersAt = (clusters: ClusterWithServices[], arn: ParsedEcsArn) =>
  clusters.filter(
    c =>
      c.summary.accountId === arn.accountId && c.summary.region === arn.region,
  );

/**
 * Where the snapshot has the service an ARN names: its cluster and its stored view, or why not
 * (not a service ARN, no such cluster, no such service there). An old-format ARN (without the
 * cluster) matches the service on any cluster of its account-region. Pure.
 */
export function findService(
  clusters: ClusterWithServices[],
  arn: string,
): { c: ClusterWithServices; service: StoredServiceView } | { reason: string } {
  const parsed = parseEcsArn(arn);
  if (!parsed || parsed.resource !== 'service')
    return { reason: 'Not an ECS service ARN' };
  const candidates = clustersAt(clusters, parsed).filter(
    c =>
      parsed.clusterName === undefined ||
      c.summary.clusterName === parsed.clusterName,
  );
  for (const c of candidates) {
    const service = c.services.find(s => s.serviceName === parsed.serviceName);
    if (service) return { c, service };
  }
  return {
    reason: candidates.length
      ? 'No such service on the cluster in the inventory'
      : NO_SUCH_CLUSTER,
  };
}

/**
 * `POST /services/lookup`: for each ARN, whether the snapshot has that service and on which
 * cluster. What the catalog module trusts to link a service to a cluster. Pure.
 */
export function lookupServices(
  clusters: ClusterWithServices[],
  serviceArns: string[],
): ServiceLookupResult[] {
  return serviceArns.map(serviceArn => {
    const found = findService(clusters, serviceArn);
    if ('reason' in found)
      return { serviceArn, found: false, reason: found.reason };
    const { accountId, region, clusterName, clusterArn } = found.c.summary;
    return {
      serviceArn,
      found: true,
      accountId,
      region,
      clusterName,
      clusterArn,
    };
  });
}

/**
 * What an entity's annotations mean against the snapshot: its clusters, and for each of its
 * services whether the instances running its tasks are covered. Pure.
 */
export function entityCoverage(args: {
  entityRef: string;
  serviceArns: string[];
  clusterArns: string[];
  clusters: ClusterWithServices[];
  instanceStates: (
    cluster: ClusterSummary,
  ) => Map<string, { instanceId: string; state: CoverageState }>;
  snapshotTakenAt?: string;
}): EntityCoverageResponse {
  const byCluster = new Map<string, EntityClusterCoverage>();
  const unmatched: EntityCoverageResponse['unmatched'] = [];
  const keyOf = (c: ClusterSummary) =>
    `${c.accountId}/${c.region}/${c.clusterName}`;
  const entry = (c: ClusterWithServices) => {
    const key = keyOf(c.summary);
    let existing = byCluster.get(key);
    if (!existing) {
      existing = { cluster: c.summary, services: [] };
      byCluster.set(key, existing);
    }
    return existing;
  };

  for (const arn of args.clusterArns) {
    const parsed = parseEcsArn(arn);
    if (!parsed || parsed.resource !== 'cluster') {
      unmatched.push({ arn, reason: 'Not an ECS cluster ARN' });
      continue;
    }
    const cluster = clustersAt(args.clusters, parsed).find(
      c => c.summary.clusterName === parsed.clusterName,
    );
    if (cluster) entry(cluster);
    else unmatched.push({ arn, reason: NO_SUCH_CLUSTER });
  }

  for (const arn of args.serviceArns) {
    const found = findService(args.clusters, arn);
    if ('reason' in found) {
      unmatched.push({ arn, reason: found.reason });
      continue;
    }
    const states = args.instanceStates(found.c.summary);
    const instances = [...new Set(found.service.taskInstanceArns)].map(
      instanceArn => ({
        containerInstanceArn: instanceArn,
        instanceId:
          states.get(instanceArn)?.instanceId ??
          instanceArn.slice(instanceArn.lastIndexOf('/') + 1),
        state: states.get(instanceArn)?.state ?? ('missing' as CoverageState),
      }),
    );
    const uncovered = new Set(
      instances
        .filter(i => i.state !== 'covered')
        .map(i => i.containerInstanceArn),
    );
    const { taskInstanceArns, fargateTasks, ...service } = found.service;
    entry(found.c).services.push({
      ...service,
      found: true,
      instances,
      tasks: taskInstanceArns.length,
      uncoveredTasks: taskInstanceArns.filter(a => uncovered.has(a)).length,
    });
    void fargateTasks;
  }

  return {
    entityRef: args.entityRef,
    clusters: [...byCluster.values()],
    unmatched,
    snapshotTakenAt: args.snapshotTakenAt,
  };
}
