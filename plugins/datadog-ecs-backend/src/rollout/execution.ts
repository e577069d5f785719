import { LoggerService } from '@backstage/backend-plugin-api';
import { Deployment, EcsLocationApi, Service } from '../aws/EcsGateway';
import { RolloutConfig } from '../config/config';
import { describeService, readPlan } from './ecsReads';
import { ManagedDaemonSteps } from './daemonExecution';
import { apiKeyFor } from './guards';
import { HeldLease } from './lease';
import { drainingWords, renderForRollout, serviceTarget } from './plan';
import {
  NullablePatch,
  PendingWrite,
  RolloutRecord,
  RolloutStore,
} from './RolloutStore';
import {
  MANAGED_BY_TAG,
  registerStep,
  registrationTags,
  StepResult,
  SupersededError,
  writeUnderLease,
} from './steps';

export { SupersededError } from './steps';
export type { StepResult } from './steps';

export interface RolloutExecutorDeps {
  store: Pick<RolloutStore, 'update'>;
  rollout: Pick<RolloutConfig, 'family' | 'apiKeys' | 'managedDaemon'>;
  logger: LoggerService;
  now?: () => Date;
}

/** The deployment circuit breaker, rolling back on failure (a fresh object per call). */
const circuitBreaker = () => ({
  deploymentCircuitBreaker: { enable: true, rollback: true },
});

const primaryOf = (service: Service | undefined) =>
  service?.deployments?.find(d => d.status === 'PRIMARY');

const waitingWords = (serviceName: string) =>
  `Waiting: ${drainingWords(
    serviceName,
  )}; the rollout creates it then, or fails at its deadline.`;

/**
 * The ECS write steps of a rollout, one per call, resumable by the record's `step` and safe to
 * replay after a crash at any point:
 *
 * - `none` → `registered`: RegisterTaskDefinition only when the family's latest revision differs
 *   from the rendered one (ECS has no client token for it: reading the latest first is the check);
 * - `registered` → `deployed`: CreateService (its `clientToken` is the rollout id) or UpdateService
 *   (no token: the service's current deployment is checked first).
 *
 * Each write is preceded by a `pendingWrite` written under the lease — the fence: a replica that
 * lost the lease stops there — holding what ECS showed before the call, and followed by the step's
 * result, also under the lease. A replica replaying a step whose `pendingWrite` is set compares ECS
 * with it: a revision or deployment that appeared since is the call's own effect, adopted instead of
 * calling again.
 */
export class RolloutExecutor {
  private readonly daemon: ManagedDaemonSteps;

  constructor(private readonly deps: RolloutExecutorDeps) {
    this.daemon = new ManagedDaemonSteps(deps);
  }

  private now() {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  /**
   * The next write step of a rollout whose deployment has not started: a DAEMON service's here, a
   * managed daemon's in `daemonExecution.ts` (same steps, same pending writes and fence).
   */
  async advance(
    api: EcsLocationApi,
    record: RolloutRecord,
    lease: HeldLease,
  ): Promise<StepResult> {
    if (record.target === 'managed-daemon')
      return this.daemon.advance(api, record, lease);
    return record.step === 'none'
      ? this.register(api, record, lease)
      : this.deploy(api, record, lease);
  }

  /** `none` → `registered`: the revision to deploy, registered only when the latest differs. */
  private async register(
    api: EcsLocationApi,
    record: RolloutRecord,
    lease: HeldLease,
  ): Promise<StepResult> {
    const { id } = record;
    const key = apiKeyFor(this.deps.rollout, record.cluster);
    const rendered = renderForRollout(
      record.options!,
      key,
      this.deps.rollout.family,
    );
    const plan = await readPlan(api, record.cluster, {
      rendered,
      serviceName: record.serviceName,
      family: this.deps.rollout.family,
    });
    // No write while the service must be created but ECS cannot yet.
    if (plan.target.draining)
      return { status: 'waiting', note: waitingWords(record.serviceName) };
    const { arn: newArn, registered } = await registerStep({
      record,
      plan,
      operation: 'RegisterTaskDefinition',
      recordPending: patch => this.write(record, lease, patch),
      register: async () =>
        (
          await api.registerTaskDefinition({
            ...(rendered as any),
            tags: registrationTags(id),
          })
        ).taskDefinitionArn,
      now: () => this.now(),
    });
    await this.write(record, lease, {
      step: 'registered',
      registered,
      newTaskDefinitionArn: newArn,
      createdService: plan.target.action === 'create',
      oldTaskDefinitionArn: plan.target.currentTaskDefinitionArn,
      pendingWrite: null,
      note: null,
    });
    return { status: 'advanced' };
  }

  /** `registered` → `deployed`: CreateService or UpdateService, and the deployment it started. */
  private async deploy(
    api: EcsLocationApi,
    record: RolloutRecord,
    lease: HeldLease,
  ): Promise<StepResult> {
    const { id } = record;
    const cluster = record.cluster.clusterName;
    const newArn = record.newTaskDefinitionArn;
    const service = await describeService(
      api,
      record.cluster,
      record.serviceName,
    );
    const target = serviceTarget(record.serviceName, service);
    if (target.draining)
      return { status: 'waiting', note: waitingWords(record.serviceName) };

    const pending = record.pendingWrite;
    if (
      pending?.operation === 'CreateService' ||
      pending?.operation === 'UpdateService'
    ) {
      const adopted = adoptedDeployment(pending, service, newArn);
      if (adopted) {
        this.deps.logger.info(
          `Rollout ${id}: ECS ran its ${pending.operation} already (deployment ${adopted.id}): not calling it again`,
        );
        await this.deployed(
          record,
          lease,
          // The revision it replaced is the one recorded with `registered`: the service runs
          // the rollout's own now.
          { created: pending.operation === 'CreateService' },
          service!,
          adopted,
        );
        return { status: 'advanced' };
      }
    }

    const before = primaryOf(service);
    await this.write(record, lease, {
      pendingWrite: {
        operation:
          target.action === 'create' ? 'CreateService' : 'UpdateService',
        serviceDeploymentBefore: service?.currentServiceDeployment,
        primaryBefore: target.action === 'create' ? undefined : before?.id,
        at: this.now(),
      },
    });
    let updated: Service;
    if (target.action === 'create') {
      updated = await api.createService({
        cluster,
        serviceName: record.serviceName,
        taskDefinition: newArn,
        schedulingStrategy: 'DAEMON',
        launchType: record.options?.external ? 'EXTERNAL' : 'EC2',
        clientToken: id,
        deploymentConfiguration: {
          ...circuitBreaker(),
          maximumPercent: 100,
          minimumHealthyPercent: 0,
        },
        tags: [{ ...MANAGED_BY_TAG }],
      });
    } else {
      updated = await api.updateService({
        cluster,
        service: record.serviceName,
        taskDefinition: newArn,
        // The same revision again needs a new deployment forced; another revision starts one.
        forceNewDeployment: target.currentTaskDefinitionArn === newArn,
        deploymentConfiguration: circuitBreaker(),
      });
    }
    await this.deployed(
      record,
      lease,
      {
        created: target.action === 'create',
        current: target.currentTaskDefinitionArn,
      },
      updated,
      primaryOf(updated),
    );
    return { status: 'advanced' };
  }

  /** Records the deployment ECS accepted; a rollback is recorded on the rollout it undoes. */
  private async deployed(
    record: RolloutRecord,
    lease: HeldLease,
    /** Whether the write created the service; the revision it replaced. */
    write: { created: boolean; current?: string },
    service: Service,
    deployment: Deployment | undefined,
  ) {
    const rollout = record.kind === 'rollout';
    await this.write(
      record,
      lease,
      {
        step: 'deployed',
        status: 'in-progress',
        changedCluster: true,
        createdService: rollout ? write.created : record.createdService,
        ...(rollout && write.current
          ? { oldTaskDefinitionArn: write.current }
          : {}),
        deployment: {
          id: deployment?.id,
          rolloutState: deployment?.rolloutState,
          rolloutStateReason: deployment?.rolloutStateReason,
          status: deployment?.status,
          serviceDeploymentArn: service.currentServiceDeployment,
          createdAt: deployment?.createdAt
            ? new Date(deployment.createdAt).toISOString()
            : undefined,
        },
        pendingWrite: null,
        note: null,
      },
      rollout ? undefined : record.rollbackOf,
    );
  }

  /** A write under the lease (see {@link writeUnderLease}). */
  private write(
    record: RolloutRecord,
    lease: HeldLease,
    patch: NullablePatch,
    markRolledBack?: string,
  ): Promise<void> {
    return writeUnderLease(
      this.deps.store,
      record,
      lease,
      patch,
      markRolledBack,
    );
  }
}

/**
 * On a replay, the deployment the interrupted CreateService / UpdateService started, when ECS shows
 * one: the service exists (for a create) or its current deployment changed since `pending` was
 * written (for an update), and a deployment runs the rollout's revision. A change without such a
 * deployment is someone else's (or one ECS already undid): {@link SupersededError}. Undefined when
 * nothing changed, so the call is made.
 */
export function adoptedDeployment(
  pending: Extract<
    PendingWrite,
    { operation: 'CreateService' | 'UpdateService' }
  >,
  service: Service | undefined,
  newArn: string | undefined,
): Deployment | undefined {
  if (!service || service.status !== 'ACTIVE') return undefined;
  const ours = (service.deployments ?? []).find(
    d => d.taskDefinition === newArn && d.status !== 'INACTIVE',
  );
  if (pending.operation === 'CreateService') {
    // The service exists: created by the interrupted call when it runs the rollout's revision;
    // another one is someone else's, and the next step updates it instead.
    return ours;
  }
  const changed =
    (service.currentServiceDeployment !== undefined &&
      service.currentServiceDeployment !== pending.serviceDeploymentBefore) ||
    primaryOf(service)?.id !== pending.primaryBefore;
  if (!changed) return undefined;
  if (ours) return ours;
  throw new SupersededError(
    `While this rollout was interrupted, another deployment of ${
      service.serviceName
    } started (${
      service.currentServiceDeployment ?? primaryOf(service)?.id
    }) without its revision ${newArn}: not deploying over it. Start a new rollout if it is still needed.`,
  );
}
