import { useApiHolder } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  datadogEcsClusterRolloutPermission,
  datadogEcsRolloutPermission,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useAsync from 'react-use/esm/useAsync';

/** Whether the user may roll out, as far as the frontend can tell. */
export interface RolloutPermission {
  loading: boolean;
  allowed: boolean;
}

/**
 * The rollout permission the backend checks for this place:
 *
 * - on a service page (`entityRef` given): `datadogEcsRolloutPermission` on the entity, the same
 *   request `useEntityPermission(datadogEcsRolloutPermission)` makes (`resourceRef` = the entity ref),
 *   so a policy can allow the entity's owners;
 * - on the portal's cluster page: the portal-wide `datadogEcsClusterRolloutPermission`, as
 *   `usePermission({ permission })` asks it.
 *
 * It asks the permission API directly rather than through `usePermission` so that an app without a
 * permission API still renders (the backend decides; a refusal shows as its 403), and so that answers
 * are not shared through usePermission's global cache between different users in tests.
 */
export function useRolloutPermission(entityRef?: string): RolloutPermission {
  const permissionApi = useApiHolder().get(permissionApiRef);
  const { value, loading, error } = useAsync(async () => {
    if (!permissionApi) return true;
    const { result } = await permissionApi.authorize(
      entityRef
        ? { permission: datadogEcsRolloutPermission, resourceRef: entityRef }
        : { permission: datadogEcsClusterRolloutPermission },
    );
    return (result as string) === 'ALLOW';
  }, [permissionApi, entityRef]);
  if (loading) return { loading: true, allowed: false };
  return { loading: false, allowed: !error && value === true };
}

/** The reason shown on a disabled rollout button when the user lacks the permission. */
export function notAllowedWords(entityRef?: string): string {
  return entityRef
    ? 'You are not allowed to roll out the Datadog Agent from this service: ask the platform team or an owner of this service'
    : 'You are not allowed to roll out the Datadog Agent from the portal: ask the platform team, or roll out from the page of a service your team owns';
}
