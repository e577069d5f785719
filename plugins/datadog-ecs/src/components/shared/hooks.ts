import {
  AnyRouteRefParams,
  RouteFunc,
  RouteRef,
  SubRouteRef,
  identityApiRef,
  useApi,
  useRouteRef,
} from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  ClusterFilter,
  ClusterRef,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { datadogEcsApiRef } from '../../api';
import { clusterRouteRef } from '../../routes';

/**
 * `GET /clusters` with filters; refetches when the filters change. No request while `filter` is
 * undefined (still being worked out): loading, without a value.
 */
export function useClusters(filter: ClusterFilter | undefined) {
  const api = useApi(datadogEcsApiRef);
  const key = JSON.stringify(filter);
  const result = useAsyncRetry(
    async () => (filter ? api.getClusters(filter) : undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
  return filter ? result : { ...result, loading: true };
}

/**
 * The signed-in user's ownership entity refs (their user entity and groups, as the identity API
 * gives them), loaded only while `enabled`.
 */
export function useOwnershipRefs(enabled: boolean) {
  const identityApi = useApi(identityApiRef);
  return useAsync(async () => {
    if (!enabled) return undefined;
    const identity = await identityApi.getBackstageIdentity();
    return [
      ...new Set([identity.userEntityRef, ...identity.ownershipEntityRefs]),
    ];
  }, [identityApi, enabled]);
}

/** `GET /clusters/:account/:region/:cluster`. */
export function useCluster(ref: ClusterRef) {
  const api = useApi(datadogEcsApiRef);
  const { accountId, region, clusterName } = ref;
  return useAsyncRetry(
    () => api.getCluster({ accountId, region, clusterName }),
    [api, accountId, region, clusterName],
  );
}

/** `GET /entity/:namespace/:kind/:name` for the entity of the current page. */
export function useEntityCoverage() {
  const api = useApi(datadogEcsApiRef);
  const { entity } = useEntity();
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useAsyncRetry(
    () =>
      api.getEntityCoverage({
        kind: kind.toLocaleLowerCase('en-US'),
        namespace: namespace.toLocaleLowerCase('en-US'),
        name,
      }),
    [api, kind, namespace, name],
  );
}

/**
 * `useRouteRef`, or undefined when the route is not mounted in this app (for example an app that
 * only shows the entity card, or one without the catalog).
 */
export function useMountedRouteRef<Params extends AnyRouteRefParams>(
  routeRef: RouteRef<Params> | SubRouteRef<Params>,
): RouteFunc<Params> | undefined {
  try {
    // useRouteRef runs all of its hooks before it throws for an unmounted route, so the hook order
    // is the same whether it throws or not. (Its overloads take either kind of ref, not a union.)
    // eslint-disable-next-line react-hooks/rules-of-hooks
    return useRouteRef(routeRef as RouteRef<Params>);
  } catch {
    return undefined;
  }
}

/**
 * A function from a cluster to its page's URL, or undefined when the portal page is not mounted
 * in this app (for example an app that only shows the entity card).
 */
export function useClusterLink(): ((ref: ClusterRef) => string) | undefined {
  const route = useMountedRouteRef(clusterRouteRef);
  if (!route) return undefined;
  return ref =>
    route({
      accountId: ref.accountId,
      region: ref.region,
      clusterName: ref.clusterName,
    });
}
