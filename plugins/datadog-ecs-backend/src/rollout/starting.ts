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
import { EcsGateway } from '../aws/EcsGateway';
import { RolloutConfig } from '../config/config';
import {
  ActiveRolloutError,
  RolloutConflictError,
  ServiceDrainingError,
} from '../errors';
import { StartResult } from './audit';
import { RolloutAuthorizer } from './authorization';
import { refKey, RolloutLease } from './common';
import { checkManagedInstancesCapacity, deletingWords } from './daemonPlan';
import {
  daemonApiOf,
  readDaemonTarget,
  readManagedInstancesCapacity,
} from './daemonReads';
import { describeService } from './ecsReads';
import { checkEnabled } from './guards';
import { RolloutHistory } from './history';
import { RolloutPlanner, StartPlan } from './planning';
import { RolloutRunner } from './runner';
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
  rollout: Pick<RolloutConfig, 'enabled' | 'deploymentTimeoutMinutes'>;
  gateway: EcsGateway;
  runner: Pick<RolloutRunner, 'begin'>;
  history: Pick<RolloutHistory, 'view'>;
  logger: LoggerService;
  lease: RolloutLease;
}

/**
 * Starts a rollout: permission, switch, idempotency, a service of that name DRAINING (409, no
 * record) — for a managed daemon: the cluster's Managed Instances capacity providers (400 naming
 * `target` without one), a daemon of that name being deleted (409), its current revision — the
 * cluster's lock and the record, then the ECS write calls (by the runner, which goes on in the
 * background once the deployment started). `created` is false when the client token returned an
 * existing rollout.
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
    await authorizer.authorizeRollout(credentials, request.entityRef, ref);
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
    let plan = await this.deps.planner.planStart(ref, request);
    // 5. ECS cannot create a service of that name while one is DRAINING (nor a daemon while one
    //    is being deleted): refused before anything is recorded or written (reads; the execution
    //    reads again before it writes).
    if (plan.target === 'managed-daemon')
      plan = await this.readDaemon(ref, plan);
    else await this.checkNotDraining(ref, plan.serviceName);

    // 6. The record and the cluster's lock, before the first ECS write.
    const id = randomUUID();
    const createdAt = new Date();
    let token;
    try {
      token = await store.insert(
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
          createdAt: createdAt.toISOString(),
          deadlineAt: new Date(
            createdAt.getTime() +
              this.deps.rollout.deploymentTimeoutMinutes * 60_000,
          ).toISOString(),
          serviceName: plan.serviceName,
          target: plan.target,
          daemonArn: plan.daemonArn,
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

    // 7. The ECS write calls; the runner follows on in the background.
    await this.deps.runner.begin(id, token);
    return {
      rollout: await history.view((await store.get(id))!),
      created: true,
    };
  }

  private async checkNotDraining(ref: ClusterRef, serviceName: string) {
    const service = await this.deps.gateway
      .forLocation(ref.accountId, ref.region)
      .then(api => describeService(api, ref, serviceName))
      // A failed read refuses nothing: the execution reads the service again before it writes.
      .catch(() => undefined);
    if (service?.status === 'DRAINING')
      throw new ServiceDrainingError(serviceName);
  }

  /**
   * The managed daemon's start, read from ECS: the cluster's Managed Instances capacity providers
   * (400 naming `target` without one), the daemon (409 while one of that name is being deleted) and
   * the daemon task definition it runs, which the record starts from. A failed read refuses
   * nothing: the execution reads again before it writes.
   */
  private async readDaemon(
    ref: ClusterRef,
    plan: StartPlan,
  ): Promise<StartPlan> {
    const api = daemonApiOf(
      await this.deps.gateway.forLocation(ref.accountId, ref.region),
    );
    const read = await readManagedInstancesCapacity(api, ref)
      .then(async capacity => ({
        capacity,
        ...(await readDaemonTarget(
          api,
          capacity.clusterArn,
          plan.serviceName,
          plan.daemonArn,
        )),
      }))
      .catch(() => undefined);
    if (!read) return plan;
    checkManagedInstancesCapacity(
      ref.clusterName,
      read.capacity.providers.map(p => p.name),
    );
    const { target } = read;
    if (target.deleting) {
      throw new RolloutConflictError(
        'service-draining',
        `${deletingWords(
          target.daemonName,
        )}. Try again once it is gone, or set datadogEcs.rollout.managedDaemon.daemonName to another name`,
      );
    }
    return {
      ...plan,
      createdService: target.action === 'create',
      oldTaskDefinitionArn: target.currentTaskDefinitionArn,
      daemonArn: target.daemonArn,
    };
  }
}
