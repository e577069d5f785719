import { useApiHolder } from '@backstage/core-plugin-api';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import {
  ClusterRef,
  clusterEntityRef,
  datadogEcsClusterRolloutPermission,
  datadogEcsRolloutPermission,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useAsync from 'react-use/esm/useAsync';

/**
 * Whether the user may roll out, as far as the frontend can tell.
 *
 * @public
 */
export interface RolloutPermission {
  loading: boolean;
  allowed: boolean;
}

/**
 * The rollout permission the backend checks for a cluster: `datadogEcsRolloutPermission` on the
 * cluster's `ecs-cluster` resource entity (`clusterEntityRef`), so a policy can allow the cluster's
 * owners (a conditional decision the catalog resolves against the cluster's resource), wherever the
 * rollout starts; on the portal's cluster page (no `entityRef`), the portal-wide
 * `datadogEcsClusterRolloutPermission` also allows. The service entity never decides: its
 * annotations are its owner's to write.
 *
 * It asks the permission API directly rather than through `usePermission` so that an app without a
 * permission API still renders (the backend decides; a refusal shows as its 403), and so that answers
 * are not shared through usePermission's global cache between different users in tests.
 */
export function useRolloutPermission(
  cluster: ClusterRef,
  entityRef?: string,
): RolloutPermission {
  const permissionApi = useApiHolder().get(permissionApiRef);
  const resourceRef = clusterEntityRef(cluster);
  const { value, loading, error } = useAsync(async () => {
    if (!permissionApi) return true;
    const allowed = async (
      request: Parameters<PermissionApi['authorize']>[0],
    ) =>
      ((await permissionApi.authorize(request)).result as string) === 'ALLOW';
    if (
      await allowed({ permission: datadogEcsRolloutPermission, resourceRef })
    ) {
      return true;
    }
    return (
      !entityRef &&
      (await allowed({ permission: datadogEcsClusterRolloutPermission }))
    );
  }, [permissionApi, resourceRef, entityRef]);
  if (loading) return { loading: true, allowed: false };
  return { loading: false, allowed: !error && value === true };
}

/** The reason shown on a disabled rollout button when the user lacks the permission. */
export function notAllowedWords(cluster: {
  clusterName: string;
  owner?: string;
}): string {
  return cluster.owner
    ? `You are not allowed to roll out the Datadog Agent to ${cluster.clusterName}: ask its owner, ${cluster.owner}, or the platform team`
    : `You are not allowed to roll out the Datadog Agent to ${cluster.clusterName}: it has no owner; ask the platform team`;
}
