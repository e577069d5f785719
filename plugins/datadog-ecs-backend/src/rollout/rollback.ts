import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterRef,
  EcsTaskDefinition,
  featuresFromTaskDefinition,
  Rollout,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { randomUUID } from 'node:crypto';
import { EcsGateway } from '../aws/EcsGateway';
import { DatadogEcsConfig, RolloutConfig } from '../config/config';
import { ActiveRolloutError } from '../errors';
import { RolloutAuthorizer } from './authorization';
import { refKey, RolloutLease, sameCluster } from './common';
import { describeService } from './ecsReads';
import { RolloutExecutor } from './execution';
import { RolloutFollower } from './following';
import { checkEnabled } from './guards';
import { RolloutHistory } from './history';
import { serviceTarget } from './plan';
import { checkRollbackable } from './rollbackRules';
import {
  ActiveRolloutExistsError,
  RolloutRecord,
  RolloutStore,
} from './RolloutStore';

export interface RolloutRollbacksDeps {
  store: Pick<RolloutStore, 'get' | 'latestFinished' | 'insert' | 'update'>;
  authorizer: Pick<RolloutAuthorizer, 'authorizeRollback'>;
  gateway: EcsGateway;
  config: {
    rollout: Pick<RolloutConfig, 'enabled'>;
    agentImageRepositories: DatadogEcsConfig['agentImageRepositories'];
  };
  executor: Pick<RolloutExecutor, 'execute'>;
  follower: Pick<RolloutFollower, 'followInBackground'>;
  history: Pick<RolloutHistory, 'view'>;
  lease: RolloutLease;
}

/**
 * Rolls a finished rollout back: UpdateService to the revision it replaced, tracked as a new
 * rollout of kind `rollback` (the rules in `rollbackRules.ts`; 409 when one refuses).
 */
export class RolloutRollbacks {
  constructor(private readonly deps: RolloutRollbacksDeps) {}

  async rollback(
    ref: ClusterRef,
    id: string,
    credentials: BackstageCredentials,
    actor: string,
  ): Promise<Rollout> {
    const { store, authorizer } = this.deps;
    const original = await store.get(id);
    if (!original || !sameCluster(original.cluster, ref)) {
      // Authorize before telling whether it exists.
      await authorizer.authorizeRollback(credentials, undefined);
      throw new NotFoundError(`No rollout ${id} on ${refKey(ref)}`);
    }
    await authorizer.authorizeRollback(credentials, original.entityRef);
    checkEnabled(this.deps.config.rollout);
    checkRollbackable(original, await store.latestFinished(ref));

    const rollbackId = randomUUID();
    try {
      await store.insert(
        {
          id: rollbackId,
          kind: 'rollback',
          rollbackOf: original.id,
          cluster: original.cluster,
          status: 'pending',
          createdBy: actor,
          source: original.entityRef ? 'entity' : 'portal',
          entityRef: original.entityRef,
          createdAt: new Date().toISOString(),
          serviceName: original.serviceName,
          createdService: false,
          oldTaskDefinitionArn: original.newTaskDefinitionArn,
          newTaskDefinitionArn: original.oldTaskDefinitionArn,
          registered: false,
          step: 'registered',
        },
        this.deps.lease,
      );
    } catch (error) {
      if (error instanceof ActiveRolloutExistsError)
        throw new ActiveRolloutError(error.active);
      throw error;
    }
    await store.update(original.id, { rolledBackBy: rollbackId });
    await this.decorate(ref, original, rollbackId);
    await this.deps.executor.execute(rollbackId);
    this.deps.follower.followInBackground(rollbackId);
    return this.deps.history.view((await store.get(rollbackId))!);
  }

  /**
   * For the history: the revision the service runs now, and the features of the revision rolled
   * back to. Only decoration: a failure leaves the rollback as it is.
   */
  private async decorate(
    ref: ClusterRef,
    original: RolloutRecord,
    rollbackId: string,
  ): Promise<void> {
    const { store } = this.deps;
    try {
      const api = await this.deps.gateway.forLocation(
        ref.accountId,
        ref.region,
      );
      const td = await api.describeTaskDefinition(
        original.oldTaskDefinitionArn!,
      );
      const service = await describeService(api, ref, original.serviceName);
      const current = serviceTarget(
        original.serviceName,
        service,
      ).currentTaskDefinitionArn;
      if (current)
        await store.update(rollbackId, { oldTaskDefinitionArn: current });
      const features = featuresFromTaskDefinition(
        td as EcsTaskDefinition,
        this.deps.config.agentImageRepositories,
      );
      if (original.options)
        await store.update(rollbackId, {
          options: { ...original.options, features },
        });
    } catch {
      // Only decoration: the rollback itself goes on.
    }
  }
}
