import {
  createApiFactory,
  createApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  DatadogEcsApi,
  DatadogEcsClient,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * The datadog-ecs REST API client, as a Backstage utility API.
 *
 * @public
 */
export const datadogEcsApiRef = createApiRef<DatadogEcsApi>({
  id: 'plugin.datadog-ecs.api',
});

/**
 * The default factory of {@link datadogEcsApiRef}: {@link @ecs-agent-coverage/backstage-plugin-datadog-ecs-common#DatadogEcsClient} over the
 * app's discovery and (authenticated) fetch APIs.
 *
 * @public
 */
export const datadogEcsApiFactory = createApiFactory({
  api: datadogEcsApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new DatadogEcsClient({ discoveryApi, fetchApi }),
});
