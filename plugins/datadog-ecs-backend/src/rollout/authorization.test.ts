import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
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
      { summary: { ...CLUSTER }, services: [{ serviceArn: OLD_SERVICE_ARN }] },
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

  it('rolls out from an entity with the entity permission, else with the cluster permission', async () => {
    const entityRoute = setup();
    await entityRoute.authorizer.authorizeRollout(credentials, ENTITY);
    expect(entityRoute.asked).toEqual([
      { permission: 'datadog-ecs.rollout', resourceRef: ENTITY },
    ]);

    const clusterRoute = setup();
    await clusterRoute.authorizer.authorizeRollout(credentials, undefined);
    expect(clusterRoute.asked).toEqual([
      { permission: 'datadog-ecs.cluster.rollout' },
    ]);
  });

  it('names what it denies', async () => {
    const { authorizer } = setup({
      deny: ['datadog-ecs.rollout', 'datadog-ecs.cluster.rollout'],
    });
    await expect(
      authorizer.authorizeRollout(credentials, ENTITY),
    ).rejects.toThrow(
      new NotAllowedError(
        `You may not roll the Datadog Agent out from ${ENTITY}`,
      ),
    );
    await expect(
      authorizer.authorizeRollout(credentials, undefined),
    ).rejects.toThrow(
      new NotAllowedError('You may not roll the Datadog Agent out to clusters'),
    );
  });

  describe('rollbacks', () => {
    it.each<[string[], string | undefined, string[]]>([
      // deny, the rollout's entity, what it asks
      [[], ENTITY, ['datadog-ecs.cluster.rollout']],
      [
        ['datadog-ecs.cluster.rollout'],
        ENTITY,
        ['datadog-ecs.cluster.rollout', 'datadog-ecs.rollout'],
      ],
    ])(
      'deny %j, entity %s: asks %j and allows',
      async (deny, entityRef, asks) => {
        const { authorizer, asked } = setup({ deny });
        await expect(
          authorizer.authorizeRollback(credentials, entityRef),
        ).resolves.toBeUndefined();
        expect(asked.map(a => a.permission)).toEqual(asks);
      },
    );

    it.each<[string[], string | undefined, string[], string]>([
      [
        ['datadog-ecs.cluster.rollout'],
        undefined,
        ['datadog-ecs.cluster.rollout'],
        'out to clusters',
      ],
      [
        ['datadog-ecs.cluster.rollout', 'datadog-ecs.rollout'],
        ENTITY,
        ['datadog-ecs.cluster.rollout', 'datadog-ecs.rollout'],
        `out from ${ENTITY}`,
      ],
    ])(
      'deny %j, entity %s: asks %j and refuses %s',
      async (deny, entityRef, asks, refusal) => {
        const { authorizer, asked } = setup({ deny });
        const refused = authorizer.authorizeRollback(credentials, entityRef);
        await expect(refused).rejects.toThrow(NotAllowedError);
        await expect(refused).rejects.toThrow(refusal);
        expect(asked.map(a => a.permission)).toEqual(asks);
      },
    );
  });

  describe('the entity must point at the cluster', () => {
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

    it('by its cluster ARN annotation', async () => {
      const { result, snapshots } = check({
        [ECS_CLUSTER_ARN_ANNOTATION]:
          'arn:aws:ecs:eu-west-1:111111111111:cluster/prod',
      });
      await expect(result).resolves.toBeUndefined();
      expect(snapshots.listClustersWithServices).not.toHaveBeenCalled();
    });

    it('by a service ARN on the cluster, among others', async () => {
      const { result, catalog } = check({
        [ECS_SERVICE_ARN_ANNOTATION]: `arn:aws:ecs:eu-west-1:111111111111:service/other/x,${SERVICE_ARN}`,
      });
      await expect(result).resolves.toBeUndefined();
      expect(catalog.getEntityByRef).toHaveBeenCalledWith(ENTITY, {
        credentials,
      });
    });

    it('by an old-format service ARN the snapshot has on the cluster', async () => {
      const { result, snapshots } = check({
        [ECS_SERVICE_ARN_ANNOTATION]: OLD_SERVICE_ARN,
      });
      await expect(result).resolves.toBeUndefined();
      expect(snapshots.listClustersWithServices).toHaveBeenCalled();
    });

    it.each([
      [
        'another cluster',
        {
          [ECS_CLUSTER_ARN_ANNOTATION]:
            'arn:aws:ecs:eu-west-1:111111111111:cluster/staging',
        },
      ],
      [
        'another account',
        {
          [ECS_SERVICE_ARN_ANNOTATION]:
            'arn:aws:ecs:eu-west-1:222222222222:service/prod/x',
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
        message: `Invalid request: the entity ${ENTITY} does not point at the cluster 111111111111/eu-west-1/prod (annotations ${ECS_CLUSTER_ARN_ANNOTATION} / ${ECS_SERVICE_ARN_ANNOTATION})`,
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
