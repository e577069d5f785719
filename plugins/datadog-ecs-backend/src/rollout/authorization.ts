import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRef,
  datadogEcsClusterRolloutPermission,
  datadogEcsRolloutPermission,
  ECS_CLUSTER_ARN_ANNOTATION,
  ECS_SERVICE_ARN_ANNOTATION,
  splitArnAnnotation,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { parseEcsArn } from '../inventory/entityCoverage';
import { SnapshotStore } from '../inventory/SnapshotStore';
import { requirePermission, requireRead } from '../permissions';
import { refKey, sameCluster } from './common';

export interface RolloutAuthorizerDeps {
  permissions: PermissionsService;
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  /** For old-format service ARNs, which name no cluster. */
  snapshots: Pick<SnapshotStore, 'listClustersWithServices'>;
}

/** Who may read rollouts, and who may roll out (or back) where. */
export class RolloutAuthorizer {
  constructor(private readonly deps: RolloutAuthorizerDeps) {}

  async authorizeRead(credentials: BackstageCredentials): Promise<void> {
    await requireRead(this.deps.permissions, credentials);
  }

  /**
   * The rollout permission: on the entity (its owners, via the catalog's conditional decision) when
   * the rollout comes from an entity page, else portal-wide on clusters.
   */
  async authorizeRollout(
    credentials: BackstageCredentials,
    entityRef: string | undefined,
  ): Promise<void> {
    const { permissions } = this.deps;
    if (entityRef) {
      await requirePermission(
        permissions,
        { permission: datadogEcsRolloutPermission, resourceRef: entityRef },
        credentials,
        `You may not roll the Datadog Agent out from ${entityRef}`,
      );
      return;
    }
    await requirePermission(
      permissions,
      { permission: datadogEcsClusterRolloutPermission },
      credentials,
      'You may not roll the Datadog Agent out to clusters',
    );
  }

  /**
   * A rollback: the cluster permission, or the entity permission when the rollout came from an
   * entity (`entityRef`).
   */
  async authorizeRollback(
    credentials: BackstageCredentials,
    entityRef: string | undefined,
  ): Promise<void> {
    try {
      await this.authorizeRollout(credentials, undefined);
    } catch (error) {
      if (!entityRef) throw error;
      await this.authorizeRollout(credentials, entityRef);
    }
  }

  /** The entity must point at the cluster: its cluster ARN annotation, or a service of it on the cluster. */
  async checkEntityPointsAtCluster(
    entityRef: string,
    ref: ClusterRef,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new InputError(
        `Invalid request: body field 'entityRef' names no entity you can see (${entityRef})`,
      );
    }
    const annotations = entity.metadata.annotations ?? {};
    const arns = [
      ...splitArnAnnotation(annotations[ECS_CLUSTER_ARN_ANNOTATION]),
      ...splitArnAnnotation(annotations[ECS_SERVICE_ARN_ANNOTATION]),
    ];
    let matches = arns.some(arn => {
      const parsed = parseEcsArn(arn);
      return (
        parsed?.clusterName !== undefined &&
        sameCluster(
          {
            accountId: parsed.accountId,
            region: parsed.region,
            clusterName: parsed.clusterName,
          },
          ref,
        )
      );
    });
    if (!matches) matches = await this.hasOldFormatServiceOn(arns, ref);
    if (!matches) {
      throw new InputError(
        `Invalid request: the entity ${entityRef} does not point at the cluster ${refKey(
          ref,
        )} (annotations ${ECS_CLUSTER_ARN_ANNOTATION} / ${ECS_SERVICE_ARN_ANNOTATION})`,
      );
    }
  }

  /** Old-format service ARNs (no cluster in them): looked up in the snapshot. */
  private async hasOldFormatServiceOn(
    arns: string[],
    ref: ClusterRef,
  ): Promise<boolean> {
    const oldFormat = arns.filter(arn => {
      const p = parseEcsArn(arn);
      return (
        p?.resource === 'service' &&
        !p.clusterName &&
        p.accountId === ref.accountId &&
        p.region === ref.region
      );
    });
    if (!oldFormat.length) return false;
    const clusters = await this.deps.snapshots.listClustersWithServices();
    const cluster = clusters.find(c => sameCluster(c.summary, ref));
    return !!cluster?.services.some(s => oldFormat.includes(s.serviceArn));
  }
}
