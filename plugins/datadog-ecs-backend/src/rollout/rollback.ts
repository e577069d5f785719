import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterRef,
  EcsTaskDefinition,
  featuresFromTaskDefinition,
  Rollout,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { randomUUID } from 'node:crypto';
import { EcsGateway, EcsLocationApi } from '../aws/EcsGateway';
import { DatadogEcsConfig, RolloutConfig } from '../config/config';
import { ActiveRolloutError } from '../errors';
import { RolloutAuthorizer } from './authorization';
import { refKey, RolloutLease, sameCluster } from './common';
import {
  daemonApiOf,
  readDaemonTarget,
  readManagedInstancesCapacity,
} from './daemonReads';
import { describeService } from './ecsReads';
import { checkEnabled } from './guards';
import { RolloutHistory } from './history';
import { serviceTarget } from './plan';
import { checkRollbackable } from './rollbackRules';
import {
  ActiveRolloutExistsError,
  LeaseToken,
  RolloutRecord,
  RolloutStore,
} from './RolloutStore';
import { RolloutRunner } from './runner';

export interface RolloutRollbacksDeps {
  store: Pick<RolloutStore, 'get' | 'latestChange' | 'insert' | 'update'>;
  authorizer: Pick<RolloutAuthorizer, 'authorizeRollback'>;
  gateway: EcsGateway;
  config: {
    rollout: Pick<RolloutConfig, 'enabled' | 'deploymentTimeoutMinutes'>;
    agentImageRepositories: DatadogEcsConfig['agentImageRepositories'];
  };
  runner: Pick<RolloutRunner, 'begin'>;
  history: Pick<RolloutHistory, 'view'>;
  lease: RolloutLease;
}

/**
 * Rolls a finished rollout back: UpdateService to the revision it replaced (for a managed daemon,
 * UpdateDaemon to the daemon task definition it replaced: ECS has no StopDaemonDeployment), tracked
 * as a new rollout of kind `rollback` (the rules in `rollbackRules.ts`; 409 when one refuses). The
 * original is marked `rolledBackBy` only once ECS accepted the rollback's write (`execution.ts`,
 * `daemonExecution.ts`), and again rollback-able when the rollback does not complete
 * (`RolloutStore.finish`).
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
    await authorizer.authorizeRollback(credentials, original.cluster);
    checkEnabled(this.deps.config.rollout);
    checkRollbackable(original, await store.latestChange(ref));

    const rollbackId = randomUUID();
    const createdAt = new Date();
    let token: LeaseToken;
    try {
      token = await store.insert(
        {
          id: rollbackId,
          kind: 'rollback',
          rollbackOf: original.id,
          cluster: original.cluster,
          status: 'pending',
          createdBy: actor,
          source: original.entityRef ? 'entity' : 'portal',
          entityRef: original.entityRef,
          createdAt: createdAt.toISOString(),
          deadlineAt: new Date(
            createdAt.getTime() +
              this.deps.config.rollout.deploymentTimeoutMinutes * 60_000,
          ).toISOString(),
          serviceName: original.serviceName,
          target: original.target,
          daemonArn: original.daemonArn,
          // A managed daemon is rolled back with the deployment options it was deployed with.
          ...(original.target === 'managed-daemon'
            ? { options: original.options }
            : {}),
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
    await this.decorate(ref, original, rollbackId, token);
    await this.deps.runner.begin(rollbackId, token);
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
    token: LeaseToken,
  ): Promise<void> {
    const { store } = this.deps;
    try {
      const api = await this.deps.gateway.forLocation(
        ref.accountId,
        ref.region,
      );
      const { td, current } =
        original.target === 'managed-daemon'
          ? await daemonNow(api, ref, original)
          : await serviceNow(api, ref, original);
      if (current)
        await store.update(
          rollbackId,
          { oldTaskDefinitionArn: current },
          token,
        );
      const features = featuresFromTaskDefinition(
        td as EcsTaskDefinition,
        this.deps.config.agentImageRepositories,
      );
      if (original.options)
        await store.update(
          rollbackId,
          { options: { ...original.options, features } },
          token,
        );
    } catch {
      // Only decoration: the rollback itself goes on.
    }
  }
}

/** The revision rolled back to, and the one the service runs now. */
async function serviceNow(
  api: EcsLocationApi,
  ref: ClusterRef,
  original: RolloutRecord,
) {
  const td = await api.describeTaskDefinition(original.oldTaskDefinitionArn!);
  const service = await describeService(api, ref, original.serviceName);
  const current = serviceTarget(
    original.serviceName,
    service,
  ).currentTaskDefinitionArn;
  return { td, current };
}

/** The daemon task definition rolled back to, and the one the managed daemon deploys now. */
async function daemonNow(
  locationApi: EcsLocationApi,
  ref: ClusterRef,
  original: RolloutRecord,
) {
  const api = daemonApiOf(locationApi);
  const td = await api.describeDaemonTaskDefinition(
    original.oldTaskDefinitionArn!,
  );
  const { clusterArn } = await readManagedInstancesCapacity(api, ref);
  const { target } = await readDaemonTarget(
    api,
    clusterArn,
    original.serviceName,
    original.daemonArn,
  );
  return { td, current: target.currentTaskDefinitionArn };
}
