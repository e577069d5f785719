import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  ClusterSummary,
  clusterEntityName,
  ECS_CLUSTER_ACCOUNT_ANNOTATION,
  ECS_CLUSTER_ARN_ANNOTATION,
  ECS_CLUSTER_NAME_ANNOTATION,
  ECS_CLUSTER_REGION_ANNOTATION,
  ECS_CLUSTER_RESOURCE_TYPE,
  ecsClusterConsoleUrl,
  parseEcsArn,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * The owner of a cluster resource when neither the inventory (its owner tag, the location's
 * `defaultOwner`, `datadogEcs.catalog.defaultOwner`) nor this module's config names one: a group
 * that should not exist, so that nobody owns the cluster by accident.
 *
 * @public
 */
export const UNKNOWN_CLUSTER_OWNER = 'group:default/unknown';

/**
 * The location of the entities of one account-region, as the `backstage.io/managed-by-location`
 * annotation gives it: `datadog-ecs:<account>/<region>`.
 *
 * @public
 */
export function clusterLocationRef(ref: {
  accountId: string;
  region: string;
}): string {
  return `datadog-ecs:${ref.accountId}/${ref.region}`;
}

/**
 * The catalog `Resource` of one inventoried cluster (pure). The owner is the summary's (resolved
 * by the datadog-ecs backend from AWS tags and config), else `defaultOwner`, else
 * {@link UNKNOWN_CLUSTER_OWNER}.
 *
 * @public
 */
export function clusterToEntity(
  cluster: ClusterSummary,
  options: { defaultOwner?: string } = {},
): Entity {
  const location = clusterLocationRef(cluster);
  const where = cluster.locationName
    ? `${cluster.locationName} (${cluster.accountId})`
    : cluster.accountId;
  const consoleUrl = ecsClusterConsoleUrl({
    region: cluster.region,
    partition: parseEcsArn(cluster.clusterArn)?.partition,
    clusterName: cluster.clusterName,
  });
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: clusterEntityName(cluster),
      namespace: 'default',
      title: cluster.clusterName,
      description: `Amazon ECS cluster ${cluster.clusterName} in AWS account ${where}, region ${cluster.region}.`,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ECS_CLUSTER_ARN_ANNOTATION]: cluster.clusterArn,
        [ECS_CLUSTER_ACCOUNT_ANNOTATION]: cluster.accountId,
        [ECS_CLUSTER_REGION_ANNOTATION]: cluster.region,
        [ECS_CLUSTER_NAME_ANNOTATION]: cluster.clusterName,
      },
      links: consoleUrl
        ? [{ url: consoleUrl, title: 'AWS console', icon: 'cloud' }]
        : [],
      tags: ['ecs', cluster.region],
    },
    spec: {
      type: ECS_CLUSTER_RESOURCE_TYPE,
      owner: cluster.owner ?? options.defaultOwner ?? UNKNOWN_CLUSTER_OWNER,
      ...(cluster.system ? { system: cluster.system } : {}),
    },
  };
}

/**
 * Whether the inventory still has the cluster in AWS: ECS reported it gone (`ClusterNotFoundException`,
 * a configured name `MISSING`, status `INACTIVE`) means no entity. Any other error keeps it (the
 * inventory serves the cluster's last good view with the error attached).
 *
 * @public
 */
export function clusterExists(cluster: ClusterSummary): boolean {
  return cluster.status !== 'INACTIVE' && cluster.error?.kind !== 'not-found';
}
