import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/**
 * The portal page, `/datadog-ecs` by default.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'datadog-ecs' });

/**
 * One cluster's page, under the portal page.
 *
 * @public
 */
export const clusterRouteRef = createSubRouteRef({
  id: 'datadog-ecs:cluster',
  parent: rootRouteRef,
  path: '/clusters/:accountId/:region/:clusterName',
});

/** The entity tab on service pages. */
export const entityContentRouteRef = createRouteRef({
  id: 'datadog-ecs:entity-content',
});

/** The entity tab on the pages of `ecs-cluster` resources. */
export const clusterEntityContentRouteRef = createRouteRef({
  id: 'datadog-ecs:cluster-entity-content',
});
