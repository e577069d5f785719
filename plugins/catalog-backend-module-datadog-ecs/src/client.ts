import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  DatadogEcsClient,
  ServiceLookupRequest,
  ServiceLookupResponse,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** The datadog-ecs backend's plugin id. */
export const DATADOG_ECS_PLUGIN_ID = 'datadog-ecs';

/**
 * A `fetch` that calls as this plugin (the catalog): every request carries a service token for
 * the datadog-ecs backend, issued on behalf of the catalog's own service credentials.
 *
 * @public
 */
export function serviceTokenFetch(
  auth: AuthService,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): typeof fetch {
  return async (input, init) => {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: DATADOG_ECS_PLUGIN_ID,
    });
    const headers = new Headers(init?.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return fetchImpl(input, { ...init, headers });
  };
}

/**
 * The datadog-ecs REST client of -common, with the route only a backend calls:
 * `POST /services/lookup`.
 *
 * @public
 */
export class DatadogEcsServiceClient extends DatadogEcsClient {
  /** Whether the inventory has these ECS services, and on which cluster (1–100 ARNs). */
  lookupServices(body: ServiceLookupRequest): Promise<ServiceLookupResponse> {
    return this.request('/services/lookup', {
      method: 'POST',
      body: JSON.stringify(body),
    });
  }
}

/**
 * The datadog-ecs REST client as a service: discovery finds the backend, the
 * requests carry the catalog's service token.
 *
 * @public
 */
export function createServiceClient(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  fetchImpl?: typeof fetch;
}): DatadogEcsServiceClient {
  return new DatadogEcsServiceClient({
    discoveryApi: options.discovery,
    fetchApi: { fetch: serviceTokenFetch(options.auth, options.fetchImpl) },
  });
}
