import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterRef,
  RolloutFailureKind,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { EcsLocationApi, ServiceDeployment, Task } from '../aws/EcsGateway';
import { RolloutConfig } from '../config/config';
import { refKey } from './common';
import { daemonInstanceProgress, decideDaemonOutcome } from './daemonProgress';
import { DaemonApi, daemonApiOf, readDaemonPoll } from './daemonReads';
import { describeService } from './ecsReads';
import { HeldLease, LeaseLostError } from './lease';
import {
  computeInstanceProgress,
  decideOutcome,
  eventsSince,
  RolloutOutcome,
} from './progress';
import { RolloutPatch, RolloutRecord, RolloutStore } from './RolloutStore';

export interface RolloutFollowerDeps {
  store: Pick<RolloutStore, 'update' | 'finish'>;
  rollout: Pick<RolloutConfig, 'deploymentTimeoutMinutes'>;
  refresher: { refreshCluster(ref: ClusterRef): Promise<void> };
  logger: LoggerService;
  now?: () => number;
}

type Finished = Exclude<RolloutOutcome, { status: 'in-progress' }>;
type Progress = Pick<RolloutPatch, 'instances' | 'events' | 'deployment'>;
/** What one poll saw, and what it concludes. */
type Observed = Required<Pick<RolloutPatch, 'instances' | 'events'>> & {
  outcome: RolloutOutcome;
};

/** When a rollout fails as timed out: its recorded deadline, else `deploymentTimeoutMinutes` from its start. */
export function deadlineOf(
  record: Pick<RolloutRecord, 'deadlineAt' | 'createdAt'>,
  timeoutMinutes: number,
): number {
  return record.deadlineAt
    ? new Date(record.deadlineAt).getTime()
    : new Date(record.createdAt).getTime() + timeoutMinutes * 60_000;
}

/**
 * Follows a deployed rollout, one poll at a time, under the lease of the replica running it (see
 * `runner.ts`): reads the service, its tasks, the instances and the service deployment ECS keeps for
 * the rollout's write (for a managed daemon: the daemon, its daemon deployment, its tasks and the
 * Managed Instances), stores the progress, decides the outcome and, once it is decided, refreshes
 * the cluster's snapshot and finishes the record.
 */
export class RolloutFollower {
  constructor(private readonly deps: RolloutFollowerDeps) {}

  private now() {
    return this.deps.now?.() ?? Date.now();
  }

  /** One poll: stores the progress; false once the rollout finished. Throws {@link LeaseLostError}. */
  async poll(
    api: EcsLocationApi,
    record: RolloutRecord,
    lease: HeldLease,
  ): Promise<boolean> {
    const { store } = this.deps;
    const deadline = deadlineOf(
      record,
      this.deps.rollout.deploymentTimeoutMinutes,
    );
    const createdAt = new Date(record.createdAt).getTime();
    const timing = {
      elapsedMs: this.now() - createdAt,
      timeoutMs: deadline - createdAt,
    };
    const { outcome, ...observed } =
      record.target === 'managed-daemon'
        ? await this.observeDaemon(daemonApiOf(api), record, timing)
        : await this.observeService(api, record, timing);
    const deployment = outcome.deployment
      ? {
          ...record.deployment,
          ...outcome.deployment,
          createdAt: record.deployment?.createdAt,
        }
      : record.deployment;
    const progress = { ...observed, deployment };
    if (outcome.status !== 'in-progress') {
      await this.finish(record, lease, outcome, progress);
      return false;
    }
    lease.check();
    if (
      !(await store.update(record.id, { ...progress, note: null }, lease.token))
    ) {
      lease.lose('another replica follows it now');
      throw new LeaseLostError(record.id, 'another replica follows it now');
    }
    return true;
  }

  /** A DAEMON service's poll: its deployments, service deployment, tasks and events. */
  private async observeService(
    api: EcsLocationApi,
    record: RolloutRecord,
    timing: { elapsedMs: number; timeoutMs: number },
  ): Promise<Observed> {
    const poll = await this.read(api, record);
    const instances = computeInstanceProgress({
      instances: poll.instances,
      tasks: poll.tasks,
      newTaskDefinitionArn: record.newTaskDefinitionArn!,
      hasHealthCheck: poll.hasHealthCheck,
    });
    const outcome = decideOutcome({
      service: poll.service,
      deploymentId: record.deployment?.id,
      newTaskDefinitionArn: record.newTaskDefinitionArn!,
      progress: instances,
      ...timing,
      serviceDeployment: poll.serviceDeployment,
    });
    const since = record.deployment?.createdAt
      ? new Date(record.deployment.createdAt)
      : undefined;
    return { outcome, instances, events: eventsSince(poll.service, since) };
  }

  /**
   * A managed daemon's poll: the daemon deployment of its CreateDaemon / UpdateDaemon decides; the
   * daemon's tasks on the Managed Instances give the per-instance view (daemons have no events).
   */
  private async observeDaemon(
    api: DaemonApi,
    record: RolloutRecord,
    timing: { elapsedMs: number; timeoutMs: number },
  ): Promise<Observed> {
    const poll = await readDaemonPoll(api, record);
    const draining = new Set(
      poll.instances
        .filter(i => i.status === 'DRAINING')
        .map(i => i.containerInstanceArn ?? ''),
    );
    const instances = daemonInstanceProgress(
      computeInstanceProgress({
        instances: poll.instances,
        tasks: poll.tasks,
        newTaskDefinitionArn: record.newTaskDefinitionArn!,
        hasHealthCheck: poll.hasHealthCheck,
      }),
      draining,
    );
    const outcome = decideDaemonOutcome({
      daemon: poll.daemon,
      daemonName: record.serviceName,
      deploymentArn: poll.deploymentArn,
      deployment: poll.deployment,
      progress: instances,
      ...timing,
    });
    return { outcome, instances, events: record.events };
  }

  /** Fails a rollout (an ECS error that will not go away, a deadline passed), under the lease. */
  async fail(
    record: RolloutRecord,
    lease: HeldLease,
    kind: RolloutFailureKind,
    reason: string,
  ): Promise<void> {
    await this.finish(record, lease, { status: 'failed', kind, reason }, {});
  }

  /**
   * The snapshot first (when the rollout reached ECS), so that a finished rollout shows with fresh
   * coverage; then the record, under the lease: nothing is written once the claim is gone.
   */
  async finish(
    record: RolloutRecord,
    lease: HeldLease,
    outcome: Finished,
    progress: Progress,
  ): Promise<void> {
    const { store, logger, refresher } = this.deps;
    const { id, cluster } = record;
    if (record.step === 'deployed') {
      await refresher
        .refreshCluster(cluster)
        .catch(error =>
          logger.warn(
            `Refreshing ${refKey(
              cluster,
            )} after rollout ${id} failed: ${error}`,
          ),
        );
    }
    // What the cluster runs now: a rollout ECS rolled back changed nothing; a rollback counts only
    // once it completed (else the rollout it undid can be rolled back again).
    const changedCluster =
      record.changedCluster &&
      (record.kind === 'rollback'
        ? outcome.status === 'completed'
        : !(outcome.status === 'failed' && outcome.revertedByEcs));
    const finished = await store.finish(
      id,
      {
        status: outcome.status,
        ...progress,
        changedCluster,
        ...(outcome.status === 'failed'
          ? {
              failureKind: outcome.kind,
              failureReason: outcome.reason.slice(0, 2000),
            }
          : {}),
        note:
          outcome.status === 'completed' && outcome.note ? outcome.note : null,
      },
      lease.token,
    );
    if (!finished) {
      lease.lose('another replica holds it now, or it ended');
      throw new LeaseLostError(id, 'its finish was refused');
    }
    lease.stop();
    logger.info(
      `Rollout ${id} to ${refKey(cluster)} ${outcome.status}${
        outcome.status === 'failed' ? `: ${outcome.reason}` : ''
      }`,
    );
  }

  private async read(api: EcsLocationApi, record: RolloutRecord) {
    const cluster = record.cluster.clusterName;
    const sdArn = record.deployment?.serviceDeploymentArn;
    const [service, running, stopped, instanceArns, serviceDeployments, td] =
      await Promise.all([
        describeService(api, record.cluster, record.serviceName),
        api.listTaskArns(cluster, { serviceName: record.serviceName }),
        api.listTaskArns(cluster, {
          serviceName: record.serviceName,
          desiredStatus: 'STOPPED',
        }),
        api.listContainerInstanceArns(cluster),
        sdArn
          ? api.describeServiceDeployments([sdArn])
          : Promise.resolve([] as ServiceDeployment[]),
        api
          .describeTaskDefinition(record.newTaskDefinitionArn!)
          .catch(() => undefined),
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
    const hasHealthCheck = (td?.containerDefinitions ?? []).some(
      c => (c.healthCheck?.command ?? []).length > 0,
    );
    return {
      service,
      tasks,
      instances,
      hasHealthCheck,
      serviceDeployment: serviceDeployments.find(
        d => d.serviceDeploymentArn === sdArn,
      ),
    };
  }
}
