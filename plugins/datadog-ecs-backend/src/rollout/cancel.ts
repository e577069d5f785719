import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  CancelRolloutRequest,
  Rollout,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { EcsGateway } from '../aws/EcsGateway';
import { classifyAwsError } from '../aws/errors';
import { RolloutConfig } from '../config/config';
import { RolloutConflictError } from '../errors';
import { RolloutAuthorizer } from './authorization';
import { refKey } from './common';
import { daemonOptionsOf } from './daemonPlan';
import { daemonApiOf, readManagedInstancesCapacity } from './daemonReads';
import { checkEnabled } from './guards';
import { RolloutHistory } from './history';
import { RolloutRecord, RolloutStore } from './RolloutStore';
import { RolloutRunner } from './runner';

export interface RolloutCancelsDeps {
  store: Pick<RolloutStore, 'get' | 'cancel'>;
  authorizer: Pick<RolloutAuthorizer, 'authorizeRollback'>;
  gateway: EcsGateway;
  rollout: Pick<RolloutConfig, 'enabled'>;
  runner: Pick<RolloutRunner, 'stop'>;
  history: Pick<RolloutHistory, 'view'>;
  logger: LoggerService;
}

const unfinished = (r: RolloutRecord) =>
  r.status === 'pending' || r.status === 'in-progress';

/**
 * Cancels a pending or in-progress rollout (`POST /rollouts/:id/cancel`): with the permission a
 * rollback needs; with `rollback`, ECS first stops the deployment the rollout started and rolls the
 * service back (StopServiceDeployment, ROLLBACK; for a managed daemon, UpdateDaemon back to the
 * daemon task definition it replaced) — a refusal by ECS is a 409 and changes nothing.
 * Then, in one transaction, the record is `cancelled`, its lease ends (whichever replica runs it
 * stops at its next write) and the cluster is free.
 */
export class RolloutCancels {
  constructor(private readonly deps: RolloutCancelsDeps) {}

  async cancel(
    id: string,
    request: CancelRolloutRequest,
    credentials: BackstageCredentials,
    actor: string,
  ): Promise<Rollout> {
    const { store, authorizer, logger } = this.deps;
    const record = await store.get(id);
    if (!record) {
      // Authorize before telling whether it exists.
      await authorizer.authorizeRollback(credentials, undefined);
      throw new NotFoundError(`No rollout ${id}`);
    }
    await authorizer.authorizeRollback(credentials, record.cluster);
    if (!unfinished(record)) {
      throw new RolloutConflictError(
        'rollout-finished',
        `The ${record.kind} ${id} is ${record.status} already: there is nothing to cancel`,
      );
    }
    let rolledBack = false;
    if (request.rollback && record.step === 'deployed') {
      checkEnabled(this.deps.rollout); // an ECS write
      const daemon = record.target === 'managed-daemon';
      if (record.createdService) {
        throw new RolloutConflictError(
          'not-rollbackable',
          `The ${record.kind} ${id} created the ${
            daemon ? 'managed daemon' : 'service'
          } ${
            record.serviceName
          }: there is no previous revision for ECS to roll back to. Cancel without rollback`,
        );
      }
      if (daemon) await this.updateDaemonBack(record);
      else await this.stopDeployment(record);
      rolledBack = true;
    }
    const cancelled = await store.cancel(id, {
      cancelledBy: actor,
      note: cancelWords(record, actor, !!request.rollback, rolledBack),
      changedCluster: record.changedCluster && !rolledBack,
    });
    if (!cancelled) {
      throw new RolloutConflictError(
        'rollout-finished',
        `The ${record.kind} ${id} finished while it was being cancelled`,
      );
    }
    this.deps.runner.stop(id, `cancelled by ${actor}`);
    logger.info(
      `Rollout ${id} to ${refKey(record.cluster)} cancelled by ${actor}${
        rolledBack ? ' (ECS rolls its deployment back)' : ''
      }`,
    );
    return this.deps.history.view(cancelled);
  }

  private async stopDeployment(record: RolloutRecord): Promise<void> {
    const arn = record.deployment?.serviceDeploymentArn;
    const api = await this.deps.gateway.forLocation(
      record.cluster.accountId,
      record.cluster.region,
    );
    if (!arn || !api.stopServiceDeployment) {
      throw new RolloutConflictError(
        'ecs-refused',
        `ECS named no service deployment for the ${record.kind} ${
          record.id
        }'s ${
          record.createdService ? 'CreateService' : 'UpdateService'
        }: it cannot be stopped from here. Cancel without rollback, and stop the deployment of ${
          record.serviceName
        } in ECS`,
      );
    }
    try {
      await api.stopServiceDeployment(arn, 'ROLLBACK');
    } catch (error) {
      if (!classifyAwsError(error).fromAws) throw error;
      const e = error as Error;
      throw new RolloutConflictError(
        'ecs-refused',
        `ECS refused to stop the deployment ${arn} (${e.name}: ${e.message}); the rollout was not cancelled`,
      );
    }
  }

  /**
   * A managed daemon has no StopDaemonDeployment: UpdateDaemon back to the daemon task definition
   * the rollout replaced starts the deployment that undoes it (ECS stops the rollout's).
   */
  private async updateDaemonBack(record: RolloutRecord): Promise<void> {
    const back = record.oldTaskDefinitionArn;
    if (!back || !record.daemonArn) {
      throw new RolloutConflictError(
        'ecs-refused',
        `The ${record.kind} ${record.id} recorded no previous daemon task definition of ${record.serviceName} to return to. Cancel without rollback, and update the daemon in ECS`,
      );
    }
    const api = daemonApiOf(
      await this.deps.gateway.forLocation(
        record.cluster.accountId,
        record.cluster.region,
      ),
    );
    try {
      const { providers } = await readManagedInstancesCapacity(
        api,
        record.cluster,
      );
      const options = daemonOptionsOf(record.options);
      await api.updateDaemon({
        daemonArn: record.daemonArn,
        daemonTaskDefinitionArn: back,
        capacityProviderArns: providers.map(p => p.arn),
        critical: options.critical,
        deploymentConfiguration: {
          drainPercent: options.drainPercent,
          bakeTimeInMinutes: options.bakeTimeInMinutes,
        },
      });
    } catch (error) {
      if (!classifyAwsError(error).fromAws) throw error;
      const e = error as Error;
      throw new RolloutConflictError(
        'ecs-refused',
        `ECS refused to update the managed daemon ${record.serviceName} back to ${back} (${e.name}: ${e.message}); the rollout was not cancelled`,
      );
    }
  }
}

function cancelWords(
  record: RolloutRecord,
  actor: string,
  rollbackAsked: boolean,
  rolledBack: boolean,
): string {
  if (rolledBack && record.target === 'managed-daemon') {
    return `Cancelled by ${actor}: ECS deploys the managed daemon ${record.serviceName}'s previous daemon task definition again (UpdateDaemon), which stops the rollout's deployment.`;
  }
  if (rolledBack) {
    return `Cancelled by ${actor}: ECS stops the deployment and rolls ${record.serviceName} back to its previous revision (StopServiceDeployment, ROLLBACK).`;
  }
  if (record.step === 'deployed') {
    return `Cancelled by ${actor}: the portal stopped following it; the ECS deployment goes on.`;
  }
  const inFlight = record.pendingWrite
    ? ` Its ${record.pendingWrite.operation} call may have reached ECS: check ${record.serviceName} and the family's latest revision.`
    : '';
  return `Cancelled by ${actor} before its deployment started${
    rollbackAsked ? ': there was nothing to roll back' : ''
  }.${inFlight}`;
}
