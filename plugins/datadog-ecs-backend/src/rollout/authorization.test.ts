import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  clusterEntityName,
  ECS_CLUSTER_ARN_ANNOTATION,
  ECS_SERVICE_ARN_ANNOTATION,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { CLUSTER } from './__testUtils__/fakes';
import { RolloutAuthorizer } from './authorization';

const credentials = mockCredentials.user();
const ENTITY = 'component:default/payments-api';
const SERVICE_ARN =
  'arn:aws:ecs:eu-west-1:111111111111:service/prod/payments-api';
const OLD_SERVICE_ARN =
  'arn:aws:ecs:eu-west-1:111111111111:service/payments-api';

/** Allows everything but the permissions named in `deny`, recording each question. */
function setup(
  options: {
    deny?: string[];
    annotations?: Record<string, string> | null;
  } = {},
) {
  const asked: Array<{ permission: string; resourceRef?: string }> = [];
  const permissions = {
    authorize: jest.fn(async (requests: any[]) =>
      requests.map(r => {
        asked.push({
          permission: r.permission.name,
          ...(r.resourceRef ? { resourceRef: r.resourceRef } : {}),
        });
        return {
          result: options.deny?.includes(r.permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        };
      }),
    ),
    authorizeConditional: jest.fn(),
  };
  const entity: Entity | undefined =
    options.annotations === null
      ? undefined
      : {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'payments-api',
            annotations: options.annotations ?? {},
          },
        };
  const catalog = { getEntityByRef: jest.fn(async () => entity) };
  const snapshots = {
    listClustersWithServices: jest.fn(async () => [
      {
        summary: { ...CLUSTER, owner: 'group:default/payments' },
        services: [{ serviceArn: SERVICE_ARN, serviceName: 'payments-api' }],
      },
    ]),
  };
  const authorizer = new RolloutAuthorizer({
    permissions,
    catalog,
    snapshots,
  } as any);
  return { authorizer, asked, catalog, snapshots };
}

describe('RolloutAuthorizer', () => {
  it('reads with datadog-ecs.read', async () => {
    const { authorizer, asked } = setup();
    await authorizer.authorizeRead(credentials);
    expect(asked).toEqual([{ permission: 'datadog-ecs.read' }]);
    await expect(
      setup({ deny: ['datadog-ecs.read'] }).authorizer.authorizeRead(
        credentials,
      ),
    ).rejects.toThrow(
      new NotAllowedError('You may not read the Datadog ECS inventory'),
    );
  });

  const RESOURCE = `resource:default/${clusterEntityName(CLUSTER)}`;

  it('rolls out with the permission on the cluster’s resource, wherever the rollout comes from', async () => {
    for (const entityRef of [ENTITY, undefined]) {
      const { authorizer, asked } = setup();
      await authorizer.authorizeRollout(credentials, entityRef, CLUSTER);
      // Never the entity: its annotations are its owner's to write.
      expect(asked).toEqual([
        { permission: 'datadog-ecs.rollout', resourceRef: RESOURCE },
      ]);
    }
  });

  it('from the portal, the portal-wide permission also allows; from an entity, it does not', async () => {
    const portal = setup({ deny: ['datadog-ecs.rollout'] });
    await portal.authorizer.authorizeRollout(credentials, undefined, CLUSTER);
    expect(portal.asked).toEqual([
      { permission: 'datadog-ecs.rollout', resourceRef: RESOURCE },
      { permission: 'datadog-ecs.cluster.rollout' },
    ]);
    const entity = setup({ deny: ['datadog-ecs.rollout'] });
    await expect(
      entity.authorizer.authorizeRollout(credentials, ENTITY, CLUSTER),
    ).rejects.toThrow(NotAllowedError);
    expect(entity.asked).toEqual([
      { permission: 'datadog-ecs.rollout', resourceRef: RESOURCE },
    ]);
  });

  it('names whom to ask when it denies: the cluster’s owner', async () => {
    const { authorizer } = setup({
      deny: ['datadog-ecs.rollout', 'datadog-ecs.cluster.rollout'],
    });
    await expect(
      authorizer.authorizeRollout(credentials, ENTITY, CLUSTER),
    ).rejects.toThrow(
      new NotAllowedError(
        'You may not roll the Datadog Agent out to 111111111111/eu-west-1/prod: ask its owner, group:default/payments, or the platform team',
      ),
    );
    await expect(
      authorizer.authorizeRollout(credentials, undefined, {
        ...CLUSTER,
        clusterName: 'elsewhere',
      }),
    ).rejects.toThrow('it has no owner; ask the platform team');
  });

  describe('rollbacks and cancels', () => {
    it('are rollouts to the rollout’s cluster', async () => {
      const { authorizer, asked } = setup({ deny: ['datadog-ecs.cluster.rollout'] });
      await expect(
        authorizer.authorizeRollback(credentials, CLUSTER),
      ).resolves.toBeUndefined();
      expect(asked).toEqual([
        { permission: 'datadog-ecs.rollout', resourceRef: RESOURCE },
      ]);
    });

    it('without a cluster (an unknown id), need the portal-wide permission', async () => {
      const allowed = setup();
      await allowed.authorizer.authorizeRollback(credentials, undefined);
      expect(allowed.asked).toEqual([{ permission: 'datadog-ecs.cluster.rollout' }]);
      const refused = setup({ deny: ['datadog-ecs.cluster.rollout'] });
      await expect(
        refused.authorizer.authorizeRollback(credentials, undefined),
      ).rejects.toThrow(
        new NotAllowedError('You may not roll the Datadog Agent out to clusters'),
      );
    });
  });

  describe('a service-page rollout must come from an entity whose service runs on the cluster', () => {
    const check = (annotations: Record<string, string> | null) => {
      const parts = setup({ annotations });
      return {
        ...parts,
        result: parts.authorizer.checkEntityPointsAtCluster(
          ENTITY,
          CLUSTER,
          credentials,
        ),
      };
    };

    it('a service ARN the inventory has on the cluster, among others', async () => {
      const { result, catalog } = check({
        [ECS_SERVICE_ARN_ANNOTATION]: `arn:aws:ecs:eu-west-1:111111111111:service/other/x,${SERVICE_ARN}`,
      });
      await expect(result).resolves.toBeUndefined();
      expect(catalog.getEntityByRef).toHaveBeenCalledWith(ENTITY, {
        credentials,
      });
    });

    it('an old-format service ARN the inventory has on the cluster', async () => {
      const { result, snapshots } = check({
        [ECS_SERVICE_ARN_ANNOTATION]: OLD_SERVICE_ARN,
      });
      await expect(result).resolves.toBeUndefined();
      expect(snapshots.listClustersWithServices).toHaveBeenCalled();
    });

    it.each([
      [
        'a cluster ARN annotation (forgeable: it proves nothing)',
        {
          [ECS_CLUSTER_ARN_ANNOTATION]:
            'arn:aws:ecs:eu-west-1:111111111111:cluster/prod',
        },
      ],
      [
        'a service the cluster does not run (forged)',
        {
          [ECS_SERVICE_ARN_ANNOTATION]:
            'arn:aws:ecs:eu-west-1:111111111111:service/prod/not-there',
        },
      ],
      [
        'another account',
        {
          [ECS_SERVICE_ARN_ANNOTATION]:
            'arn:aws:ecs:eu-west-1:222222222222:service/prod/payments-api',
        },
      ],
      [
        'an old-format ARN the snapshot does not have',
        {
          [ECS_SERVICE_ARN_ANNOTATION]:
            'arn:aws:ecs:eu-west-1:111111111111:service/other',
        },
      ],
      ['no annotation', {}],
    ])('refuses %s (400)', async (_, annotations) => {
      await expect(check(annotations).result).rejects.toMatchObject({
        name: 'InputError',
        message: `Invalid request: body field 'entityRef': the entity ${ENTITY} runs no service the inventory has on the cluster 111111111111/eu-west-1/prod (annotation ${ECS_SERVICE_ARN_ANNOTATION})`,
      });
    });

    it('refuses an entity the caller cannot see (400)', async () => {
      await expect(check(null).result).rejects.toMatchObject({
        name: 'InputError',
        message: `Invalid request: body field 'entityRef' names no entity you can see (${ENTITY})`,
      });
    });
  });
});
