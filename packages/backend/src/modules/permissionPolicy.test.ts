import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult, createPermission } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { ConfigReader } from '@backstage/config';
import {
  datadogEcsClusterRolloutPermission,
  datadogEcsReadPermission,
  datadogEcsRolloutPermission,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { DatadogEcsPermissionPolicy, readPolicyOptions } from './permissionPolicy';

function userWith(userRef: string, ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: { type: 'user', userEntityRef: userRef, ownershipEntityRefs },
    credentials: mockCredentials.user(userRef),
    info: { userEntityRef: userRef, ownershipEntityRefs },
    token: 'token',
  } as PolicyQueryUser;
}

const alice = userWith('user:default/alice', ['user:default/alice', 'group:default/platform']);
const bob = userWith('user:default/bob', ['user:default/bob', 'group:default/payments']);

describe('DatadogEcsPermissionPolicy', () => {
  const policy = new DatadogEcsPermissionPolicy(
    readPolicyOptions(new ConfigReader({})),
  );

  it('lets every signed-in user read the inventory', async () => {
    for (const user of [alice, bob]) {
      await expect(
        policy.handle({ permission: datadogEcsReadPermission }, user),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });

  it('allows portal-wide rollouts to rollout-group members only', async () => {
    await expect(
      policy.handle({ permission: datadogEcsClusterRolloutPermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: datadogEcsClusterRolloutPermission }, bob),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: datadogEcsClusterRolloutPermission }, undefined),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows entity rollouts to rollout-group members outright', async () => {
    await expect(
      policy.handle({ permission: datadogEcsRolloutPermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it("makes entity rollouts conditional on owning the entity for everyone else", async () => {
    const decision = await policy.handle({ permission: datadogEcsRolloutPermission }, bob);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/bob', 'group:default/payments'] },
      },
    });
  });

  it('reads the rollout groups from config, case-insensitively', async () => {
    const configured = new DatadogEcsPermissionPolicy(
      readPolicyOptions(
        new ConfigReader({
          permission: { datadogEcs: { rolloutGroups: ['group:default/Payments'] } },
        }),
      ),
    );
    await expect(
      configured.handle({ permission: datadogEcsClusterRolloutPermission }, bob),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      configured.handle({ permission: datadogEcsClusterRolloutPermission }, alice),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it("keeps other plugins' permissions allowed", async () => {
    const catalogEntityDeletePermission = createPermission({
      name: 'catalog.entity.delete',
      attributes: { action: 'delete' },
      resourceType: 'catalog-entity',
    });
    await expect(
      policy.handle({ permission: catalogEntityDeletePermission }, bob),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });
});
