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
 * Roll the Datadog Agent daemon out to a cluster from a catalog entity's page (a service page).
 * A resource permission on `catalog-entity`, so a policy can allow the entity's owners.
 *
 * @public
 */
export const datadogEcsRolloutPermission = createPermission({
  name: 'datadog-ecs.rollout',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Roll the Datadog Agent daemon out to any cluster from the portal's cluster page (portal-wide).
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
