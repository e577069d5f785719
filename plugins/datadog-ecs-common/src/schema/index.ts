import { spec } from './openapi.generated';

/**
 * The OpenAPI 3.1 document of the datadog-ecs REST API, generated from `openapi.yaml`: the backend
 * serves and validates its routes with it, the DTOs of this package are checked against it.
 *
 * @public
 */
export const datadogEcsApiSpec = spec;

/**
 * The type of {@link datadogEcsApiSpec}, for `@backstage/backend-openapi-utils`' typed router and
 * its `Request` / `Response` helper types.
 *
 * @public
 */
export type DatadogEcsApiSpec = typeof datadogEcsApiSpec;
