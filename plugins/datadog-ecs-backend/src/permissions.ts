import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import { datadogEcsReadPermission } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * Asks the permission framework one question and throws `NotAllowedError` (403) with `denied` unless
 * the answer is ALLOW: the one check behind every route and every rollout (as the Kubernetes
 * plugin's `requirePermission`). A resource permission comes with its `resourceRef`; a conditional
 * decision is resolved by the framework (for entities, by the catalog).
 */
export async function requirePermission(
  permissions: PermissionsService,
  request: AuthorizePermissionRequest,
  credentials: BackstageCredentials,
  denied: string,
): Promise<void> {
  const [decision] = await permissions.authorize([request], { credentials });
  if (decision.result !== AuthorizeResult.ALLOW) throw new NotAllowedError(denied);
}

/** `datadog-ecs.read`, which every inventory and rollout read needs. */
export const requireRead = (
  permissions: PermissionsService,
  credentials: BackstageCredentials,
) =>
  requirePermission(
    permissions,
    { permission: datadogEcsReadPermission },
    credentials,
    'You may not read the Datadog ECS inventory',
  );
