import { createPermission } from '@backstage/plugin-permission-common';

/** The catalog's resource type (`RESOURCE_TYPE_CATALOG_ENTITY` in `@backstage/plugin-catalog-common/alpha`). */
const RESOURCE_TYPE_CATALOG_ENTITY = 'catalog-entity';

/**
 * Read the ECS inventory: clusters, coverage, features, findings, rollout history and previews.
 *
 * @public
 */
export const datadogEcsReadPermission = createPermission({
  name: 'datadog-ecs.read',
  attributes: { action: 'read' },
});

/**
 * Roll the Datadog Agent daemon out to (or back on) a cluster. A resource permission on
 * `catalog-entity` whose resource is the cluster's `ecs-cluster` Resource entity
 * (`clusterEntityRef(cluster)`, emitted by the catalog module), so a policy can allow the cluster's
 * owners — owners come from the cluster's AWS tags and config, never from a service's annotations.
 * Asked for every rollout, from a service page or from the portal.
 *
 * @public
 */
export const datadogEcsRolloutPermission = createPermission({
  name: 'datadog-ecs.rollout',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Roll the Datadog Agent daemon out to any cluster from the portal's cluster page (portal-wide):
 * asked when the rollout permission on the cluster's resource is refused and the rollout comes
 * from the portal (and for rollback or cancel of an unknown rollout id).
 *
 * @public
 */
export const datadogEcsClusterRolloutPermission = createPermission({
  name: 'datadog-ecs.cluster.rollout',
  attributes: { action: 'update' },
});

/**
 * Every permission of the datadog-ecs plugins, for `permissionsRegistry.addPermissions`.
 *
 * @public
 */
export const datadogEcsPermissions = [
  datadogEcsReadPermission,
  datadogEcsRolloutPermission,
  datadogEcsClusterRolloutPermission,
];
