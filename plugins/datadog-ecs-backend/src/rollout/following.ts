import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterRef } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { EcsGateway, EcsLocationApi, Task } from '../aws/EcsGateway';
import { RolloutConfig } from '../config/config';
import { refKey, RolloutLease } from './common';
import { describeService } from './ecsReads';
import { RolloutExecutor } from './execution';
import {
  computeInstanceProgress,
  decideOutcome,
  eventsSince,
  RolloutOutcome,
} from './progress';
import { RolloutPatch, RolloutRecord, RolloutStore } from './RolloutStore';

export interface RolloutFollowerDeps {
  store: Pick<
    RolloutStore,
    | 'get'
    | 'update'
    | 'finish'
    | 'listUnfinished'
    | 'claimLease'
    | 'releaseLease'
  >;
  gateway: EcsGateway;
  rollout: Pick<
    RolloutConfig,
    'deploymentTimeoutMinutes' | 'pollIntervalSeconds'
  >;
  refresher: { refreshCluster(ref: ClusterRef): Promise<void> };
  logger: LoggerService;
  /** Runs the ECS write calls a rollout has not made yet. */
  executor: Pick<RolloutExecutor, 'execute'>;
  lease: RolloutLease;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

const unfinished = (record: RolloutRecord | undefined) =>
  !!record && (record.status === 'pending' || record.status === 'in-progress');

type Finished = Exclude<RolloutOutcome, { status: 'in-progress' }>;

/**
 * Follows rollouts to their end in the background, under this replica's lease: polls the deployment,
 * stores its progress on every poll, decides the outcome and, once it is decided, refreshes the
 * cluster's snapshot and finishes the record. Picks up unfinished rollouts whose lease is free.
 */
export class RolloutFollower {
  private readonly following = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly deps: RolloutFollowerDeps) {}

  followInBackground(id: string): void {
    if (this.following.has(id) || this.abort.signal.aborted) return;
    const run = this.follow(id)
      .catch(error => {
        this.deps.logger.error(`Following rollout ${id} failed: ${error}`);
      })
      .finally(() => this.following.delete(id));
    this.following.set(id, run);
  }

  /**
   * Picks up unfinished rollouts whose lease is free or expired (at start, and periodically): this
   * replica takes the lease and follows them to their end.
   */
  async resumeUnfinished(): Promise<void> {
    const { store, logger, lease } = this.deps;
    if (this.abort.signal.aborted) return;
    for (const record of await store.listUnfinished()) {
      if (this.following.has(record.id)) continue;
      if (await store.claimLease(record.id, lease.owner, lease.ttlMs)) {
        logger.info(
          `Resuming rollout ${record.id} to ${refKey(record.cluster)} (${
            record.status
          })`,
        );
        this.followInBackground(record.id);
      }
    }
  }

  /** Stops following and gives the leases up so that another replica (or this one, restarted) resumes at once. */
  async shutdown(): Promise<void> {
    this.abort.abort();
    const ids = [...this.following.keys()];
    await Promise.allSettled([...this.following.values()]);
    for (const id of ids) {
      await this.deps.store
        .releaseLease(id, this.deps.lease.owner)
        .catch(() => {});
    }
  }

  /** Resolves once every rollout this replica follows has finished (tests). */
  async idle(): Promise<void> {
    while (this.following.size)
      await Promise.allSettled([...this.following.values()]);
  }

  /** Polls the deployment until it completes, fails or times out, storing progress on every poll. */
  private async follow(id: string): Promise<void> {
    const { store, logger } = this.deps;
    const signal = this.abort.signal;
    let record = await this.deployed(id);
    if (!record) return;
    const pollMs = this.deps.rollout.pollIntervalSeconds * 1000;
    const api = await this.deps.gateway.forLocation(
      record.cluster.accountId,
      record.cluster.region,
    );
    const hasHealthCheck = await api
      .describeTaskDefinition(record.newTaskDefinitionArn!)
      .then(td =>
        (td.containerDefinitions ?? []).some(
          c => (c.healthCheck?.command ?? []).length > 0,
        ),
      )
      .catch(() => false);

    while (!signal.aborted) {
      try {
        if (!(await this.pollOnce(api, record, hasHealthCheck))) return;
      } catch (error) {
        logger.warn(`Polling rollout ${id} failed (will retry): ${error}`);
        if (!(await store.update(id, {}, this.deps.lease))) return;
      }
      await sleep(pollMs, signal);
      record = (await store.get(id)) ?? record;
    }
  }

  /** The unfinished rollout once its ECS write calls ran (running them first when they have not). */
  private async deployed(id: string): Promise<RolloutRecord | undefined> {
    const { store, executor } = this.deps;
    const record = await store.get(id);
    if (!unfinished(record)) return undefined;
    if (record!.status === 'pending' || record!.step !== 'deployed') {
      await executor.execute(id);
      const executed = await store.get(id);
      return unfinished(executed) ? executed : undefined;
    }
    return record;
  }

  /** One poll: stores the progress; false once the rollout is finished or another replica follows it. */
  private async pollOnce(
    api: EcsLocationApi,
    record: RolloutRecord,
    hasHealthCheck: boolean,
  ): Promise<boolean> {
    const { store, logger } = this.deps;
    const poll = await this.poll(api, record);
    const elapsedMs = Date.now() - new Date(record.createdAt).getTime();
    const instances = computeInstanceProgress({
      instances: poll.instances,
      tasks: poll.tasks,
      newTaskDefinitionArn: record.newTaskDefinitionArn!,
      hasHealthCheck,
    });
    const outcome = decideOutcome({
      service: poll.service,
      deploymentId: record.deployment?.id,
      newTaskDefinitionArn: record.newTaskDefinitionArn!,
      progress: instances,
      elapsedMs,
      timeoutMs: this.deps.rollout.deploymentTimeoutMinutes * 60_000,
    });
    const since = record.deployment?.createdAt
      ? new Date(record.deployment.createdAt)
      : undefined;
    const deployment = outcome.deployment
      ? { ...outcome.deployment, createdAt: record.deployment?.createdAt }
      : record.deployment;
    const progress = {
      instances,
      events: eventsSince(poll.service, since),
      deployment,
    };
    if (outcome.status !== 'in-progress') {
      await this.finish(record, outcome, progress);
      return false;
    }
    if (!(await store.update(record.id, progress, this.deps.lease))) {
      logger.info(`Rollout ${record.id}: another replica follows it now`);
      return false;
    }
    return true;
  }

  /** The snapshot first, so that a finished rollout shows with fresh coverage; then the record. */
  private async finish(
    record: RolloutRecord,
    outcome: Finished,
    progress: Pick<RolloutPatch, 'instances' | 'events' | 'deployment'>,
  ): Promise<void> {
    const { store, logger, refresher } = this.deps;
    const { id, cluster } = record;
    await refresher
      .refreshCluster(cluster)
      .catch(error =>
        logger.warn(
          `Refreshing ${refKey(cluster)} after rollout ${id} failed: ${error}`,
        ),
      );
    await store.finish(
      id,
      {
        status: outcome.status,
        ...progress,
        ...(outcome.status === 'failed'
          ? {
              failureKind: outcome.kind,
              failureReason: outcome.reason.slice(0, 2000),
            }
          : {}),
        ...(outcome.status === 'completed' && outcome.note
          ? { note: outcome.note }
          : {}),
      },
      this.deps.lease.owner,
    );
    logger.info(
      `Rollout ${id} to ${refKey(cluster)} ${outcome.status}${
        outcome.status === 'failed' ? `: ${outcome.reason}` : ''
      }`,
    );
  }

  private async poll(api: EcsLocationApi, record: RolloutRecord) {
    const cluster = record.cluster.clusterName;
    const [service, running, stopped, instanceArns] = await Promise.all([
      describeService(api, record.cluster, record.serviceName),
      api.listTaskArns(cluster, { serviceName: record.serviceName }),
      api.listTaskArns(cluster, {
        serviceName: record.serviceName,
        desiredStatus: 'STOPPED',
      }),
      api.listContainerInstanceArns(cluster),
    ]);
    const taskArns = [...new Set([...running, ...stopped])];
    const [tasks, instances] = await Promise.all([
      taskArns.length
        ? api.describeTasks(cluster, taskArns)
        : Promise.resolve([] as Task[]),
      instanceArns.length
        ? api.describeContainerInstances(cluster, instanceArns)
        : Promise.resolve([]),
    ]);
    return { service, tasks, instances };
  }
}
