import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRef,
  clusterEntityRef,
  datadogEcsClusterRolloutPermission,
  datadogEcsRolloutPermission,
  ECS_SERVICE_ARN_ANNOTATION,
  splitArnAnnotation,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { findService } from '../inventory/entityCoverage';
import { SnapshotStore } from '../inventory/SnapshotStore';
import { requirePermission, requireRead } from '../permissions';
import { refKey, sameCluster } from './common';

export interface RolloutAuthorizerDeps {
  permissions: PermissionsService;
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  /** Which services the inventory has where, and who owns each cluster. */
  snapshots: Pick<SnapshotStore, 'listClustersWithServices'>;
}

/**
 * Who may read rollouts, and who may roll out (or back) where. A rollout is always authorised as a
 * rollout to its cluster: `datadogEcsRolloutPermission` on the cluster's `ecs-cluster` resource
 * (`clusterEntityRef`), which a policy can grant to the cluster's owners (a conditional decision
 * the catalog resolves against that resource), and, from the portal, the portal-wide
 * `datadogEcsClusterRolloutPermission`. A service entity never grants anything: its annotations
 * are its owner's to write. It only says where a service-page rollout comes from, and must name a
 * service the inventory has on that cluster.
 */
export class RolloutAuthorizer {
  constructor(private readonly deps: RolloutAuthorizerDeps) {}

  async authorizeRead(credentials: BackstageCredentials): Promise<void> {
    await requireRead(this.deps.permissions, credentials);
  }

  /**
   * A rollout to `cluster`: the rollout permission on its resource (its owners, the rollout
   * groups), else — from the portal (no `entityRef`) — the portal-wide permission. Refused with
   * the cluster's owner named, whom to ask.
   */
  async authorizeRollout(
    credentials: BackstageCredentials,
    entityRef: string | undefined,
    cluster: ClusterRef,
  ): Promise<void> {
    const { permissions } = this.deps;
    const [onCluster] = await permissions.authorize(
      [
        {
          permission: datadogEcsRolloutPermission,
          resourceRef: clusterEntityRef(cluster),
        },
      ],
      { credentials },
    );
    if (onCluster.result === AuthorizeResult.ALLOW) return;
    if (!entityRef) {
      const [portal] = await permissions.authorize(
        [{ permission: datadogEcsClusterRolloutPermission }],
        { credentials },
      );
      if (portal.result === AuthorizeResult.ALLOW) return;
    }
    const owner = (await this.deps.snapshots.listClustersWithServices()).find(
      c => sameCluster(c.summary, cluster),
    )?.summary.owner;
    throw new NotAllowedError(
      `You may not roll the Datadog Agent out to ${refKey(cluster)}: ${
        owner
          ? `ask its owner, ${owner}, or the platform team`
          : 'it has no owner; ask the platform team'
      }`,
    );
  }

  /**
   * A rollback or a cancel: a rollout to the rollout's cluster (from the portal's point of view:
   * the cluster's owners, the rollout groups, the portal-wide permission). Without a cluster (an
   * unknown rollout id), the portal-wide permission only.
   */
  async authorizeRollback(
    credentials: BackstageCredentials,
    cluster: ClusterRef | undefined,
  ): Promise<void> {
    if (cluster) {
      await this.authorizeRollout(credentials, undefined, cluster);
      return;
    }
    await requirePermission(
      this.deps.permissions,
      { permission: datadogEcsClusterRolloutPermission },
      credentials,
      'You may not roll the Datadog Agent out to clusters',
    );
  }

  /**
   * A service-page rollout must come from an entity the caller can see, one of whose services
   * (`aws.amazon.com/amazon-ecs-service-arn`) the inventory has on the cluster. A cluster-ARN
   * annotation, or a service ARN the cluster does not run, proves nothing: anyone who owns an
   * entity writes its annotations.
   */
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
    const arns = splitArnAnnotation(
      entity.metadata.annotations?.[ECS_SERVICE_ARN_ANNOTATION],
    );
    const clusters = arns.length
      ? await this.deps.snapshots.listClustersWithServices()
      : [];
    const runsThere = arns.some(arn => {
      const found = findService(clusters, arn);
      return 'c' in found && sameCluster(found.c.summary, ref);
    });
    if (!runsThere) {
      throw new InputError(
        `Invalid request: body field 'entityRef': the entity ${entityRef} runs no service the inventory has on the cluster ${refKey(
          ref,
        )} (annotation ${ECS_SERVICE_ARN_ANNOTATION})`,
      );
    }
  }
}
