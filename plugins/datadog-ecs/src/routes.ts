import { createRouteRef } from '@backstage/core-plugin-api';

/** The portal page, `/datadog-ecs` by default. */
export const rootRouteRef = createRouteRef({ id: 'datadog-ecs' });

/** The entity tab on service pages. */
export const entityContentRouteRef = createRouteRef({ id: 'datadog-ecs:entity-content' });
