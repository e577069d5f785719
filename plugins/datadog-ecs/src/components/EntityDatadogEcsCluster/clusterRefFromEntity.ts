import { Entity } from '@backstage/catalog-model';
import {
  ClusterRef,
  ECS_CLUSTER_ACCOUNT_ANNOTATION,
  ECS_CLUSTER_ARN_ANNOTATION,
  ECS_CLUSTER_NAME_ANNOTATION,
  ECS_CLUSTER_REGION_ANNOTATION,
  parseEcsArn,
  splitArnAnnotation,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** The annotations that name a cluster resource's cluster, as the catalog module writes them. */
export const CLUSTER_REF_ANNOTATIONS = [
  ECS_CLUSTER_ACCOUNT_ANNOTATION,
  ECS_CLUSTER_REGION_ANNOTATION,
  ECS_CLUSTER_NAME_ANNOTATION,
];

/**
 * The cluster a resource entity stands for, from its annotations only: the account, region and
 * cluster-name annotations, else its one cluster ARN; or the annotations it lacks.
 */
export function clusterRefFromEntity(
  entity: Entity,
): { ref: ClusterRef } | { missing: string[] } {
  const annotations = entity.metadata.annotations ?? {};
  const [accountId, region, clusterName] = CLUSTER_REF_ANNOTATIONS.map(a =>
    annotations[a]?.trim(),
  );
  if (accountId && region && clusterName) {
    return { ref: { accountId, region, clusterName } };
  }
  const arns = splitArnAnnotation(annotations[ECS_CLUSTER_ARN_ANNOTATION]);
  const parts = arns.length === 1 ? parseEcsArn(arns[0]) : undefined;
  if (parts?.resourceType === 'cluster' && !parts.resource.includes('/')) {
    return {
      ref: {
        accountId: parts.accountId,
        region: parts.region,
        clusterName: parts.resource,
      },
    };
  }
  return {
    missing: CLUSTER_REF_ANNOTATIONS.filter(a => !annotations[a]?.trim()),
  };
}
