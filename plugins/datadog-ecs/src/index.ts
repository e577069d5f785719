/**
 * Datadog Agent coverage on Amazon ECS: the frontend plugin (legacy frontend system).
 * The new frontend system's plugin is the `/alpha` export.
 *
 * @packageDocumentation
 */

export {
  datadogEcsPlugin,
  DatadogEcsPage,
  EntityDatadogEcsCard,
  EntityDatadogEcsContent,
} from './plugin';
export { isDatadogEcsAvailable } from './conditions';
export { rootRouteRef as datadogEcsRouteRef } from './routes';
