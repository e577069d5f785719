import { ConflictError } from '@backstage/errors';
import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ClusterRef,
  StartRolloutRequest,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { randomUUID } from 'node:crypto';
import { RolloutConfig } from '../config/config';
import { ActiveRolloutError } from '../errors';
import { StartResult } from './audit';
import { RolloutAuthorizer } from './authorization';
import { refKey, RolloutLease } from './common';
import { RolloutExecutor } from './execution';
import { RolloutFollower } from './following';
import { checkEnabled } from './guards';
import { RolloutHistory } from './history';
import { RolloutPlanner } from './planning';
import {
  ActiveRolloutExistsError,
  ClientTokenUsedError,
  RolloutStore,
} from './RolloutStore';

export interface RolloutStarterDeps {
  store: Pick<RolloutStore, 'findByClientToken' | 'insert' | 'get'>;
  authorizer: Pick<
    RolloutAuthorizer,
    'authorizeRollout' | 'checkEntityPointsAtCluster'
  >;
  planner: Pick<RolloutPlanner, 'planStart'>;
  rollout: Pick<RolloutConfig, 'enabled'>;
  executor: Pick<RolloutExecutor, 'execute'>;
  follower: Pick<RolloutFollower, 'followInBackground'>;
  history: Pick<RolloutHistory, 'view'>;
  logger: LoggerService;
  lease: RolloutLease;
}

/**
 * Starts a rollout: permission, switch, idempotency, the cluster's lock and the record, then the ECS
 * write calls; the follow-up runs in the background. `created` is false when the client token
 * returned an existing rollout.
 */
export class RolloutStarter {
  constructor(private readonly deps: RolloutStarterDeps) {}

  async start(
    ref: ClusterRef,
    request: StartRolloutRequest,
    credentials: BackstageCredentials,
    actor: string,
  ): Promise<StartResult> {
    const { store, authorizer, history } = this.deps;
    // 1. Permission, before anything else happens.
    await authorizer.authorizeRollout(credentials, request.entityRef);
    if (request.entityRef)
      await authorizer.checkEntityPointsAtCluster(
        request.entityRef,
        ref,
        credentials,
      );
    // 2. The switch.
    checkEnabled(this.deps.rollout);
    // 3. Idempotency.
    if (request.clientToken) {
      const existing = await store.findByClientToken(ref, request.clientToken);
      if (existing)
        return { rollout: await history.view(existing), created: false };
    }
    // 4. What to deploy (no AWS call yet).
    const plan = await this.deps.planner.planStart(ref, request);

    // 5. The record and the cluster's lock, before the first AWS call.
    const id = randomUUID();
    try {
      await store.insert(
        {
          id,
          kind: 'rollout',
          cluster: {
            accountId: ref.accountId,
            region: ref.region,
            clusterName: ref.clusterName,
          },
          status: 'pending',
          clientToken: request.clientToken,
          createdBy: actor,
          source: request.entityRef ? 'entity' : 'portal',
          entityRef: request.entityRef,
          createdAt: new Date().toISOString(),
          serviceName: plan.serviceName,
          createdService: plan.createdService,
          oldTaskDefinitionArn: plan.oldTaskDefinitionArn,
          registered: false,
          step: 'none',
          options: plan.options,
        },
        this.deps.lease,
      );
    } catch (error) {
      if (error instanceof ClientTokenUsedError) {
        const existing = await store.findByClientToken(
          ref,
          request.clientToken!,
        );
        if (existing)
          return { rollout: await history.view(existing), created: false };
        // Taken between the insert and the read (a concurrent retry on another replica): retry.
        throw new ConflictError(
          `The clientToken was used by a concurrent request on this cluster; retry with the same token to get its rollout`,
        );
      }
      if (error instanceof ActiveRolloutExistsError)
        throw new ActiveRolloutError(error.active);
      throw error;
    }
    this.deps.logger.info(
      `Rollout ${id} of the Datadog Agent to ${refKey(
        ref,
      )} started by ${actor} from ${request.entityRef ?? 'the portal'}`,
    );

    // 6. The ECS write calls; then follow in the background.
    await this.deps.executor.execute(id);
    this.deps.follower.followInBackground(id);
    return {
      rollout: await history.view((await store.get(id))!),
      created: true,
    };
  }
}
