import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  datadogEcsClusterRolloutPermission,
  datadogEcsReadPermission,
  datadogEcsRolloutPermission,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** Options of {@link DatadogEcsPermissionPolicy}, from `permission.datadogEcs`. */
export interface DatadogEcsPolicyOptions {
  /** Groups (entity refs) whose members may roll out anywhere, e.g. `group:default/platform`. */
  rolloutGroups: string[];
}

export function readPolicyOptions(config: Config): DatadogEcsPolicyOptions {
  const rolloutGroups =
    config.getOptionalStringArray('permission.datadogEcs.rolloutGroups') ?? [
      'group:default/platform',
    ];
  return { rolloutGroups: rolloutGroups.map(ref => ref.toLocaleLowerCase('en-US')) };
}

/**
 * The portal's permission policy.
 *
 * - Reading the ECS inventory: every signed-in user (and other backend plugins).
 * - Rolling out to a cluster (`datadogEcsRolloutPermission`, whose resource is the cluster's
 *   `ecs-cluster` resource entity): members of a rollout group, or the cluster's owners (a
 *   conditional decision the catalog resolves against the cluster's resource, whose owner comes
 *   from the cluster's AWS tag or config — never from a service's annotations).
 * - The portal-wide permission: members of a rollout group only.
 * - Everything else keeps Backstage's default of allowing signed-in users.
 */
export class DatadogEcsPermissionPolicy implements PermissionPolicy {
  constructor(private readonly options: DatadogEcsPolicyOptions) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, datadogEcsReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }

    const claims = user?.info.ownershipEntityRefs ?? [];
    const inRolloutGroup = claims.some(ref =>
      this.options.rolloutGroups.includes(ref.toLocaleLowerCase('en-US')),
    );

    if (isPermission(request.permission, datadogEcsClusterRolloutPermission)) {
      return { result: inRolloutGroup ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }

    if (isPermission(request.permission, datadogEcsRolloutPermission)) {
      if (inRolloutGroup) {
        return { result: AuthorizeResult.ALLOW };
      }
      if (!user) {
        return { result: AuthorizeResult.DENY };
      }
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }

    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link DatadogEcsPermissionPolicy} as the permission backend's policy. */
export const permissionModuleDatadogEcsPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'datadog-ecs-policy',
  register({ registerInit }) {
    registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(new DatadogEcsPermissionPolicy(readPolicyOptions(config)));
      },
    });
  },
});
