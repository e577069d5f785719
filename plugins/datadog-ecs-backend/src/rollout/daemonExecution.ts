import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { EcsLocationApi } from '../aws/EcsGateway';
import { RolloutConfig } from '../config/config';
import {
  checkManagedInstancesCapacity,
  DaemonTarget,
  daemonOptionsOf,
  deletingWords,
  renderForManagedDaemon,
} from './daemonPlan';
import {
  DaemonApi,
  daemonApiOf,
  readDaemonPlan,
  readDaemonTarget,
  readManagedInstancesCapacity,
} from './daemonReads';
import { apiKeyFor } from './guards';
import { HeldLease } from './lease';
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

export interface ManagedDaemonStepsDeps {
  store: Pick<RolloutStore, 'update'>;
  rollout: Pick<RolloutConfig, 'apiKeys' | 'managedDaemon'>;
  logger: LoggerService;
  now?: () => Date;
}

const waitingWords = (daemonName: string) =>
  `Waiting: ${deletingWords(
    daemonName,
  )}; the rollout creates it then, or fails at its deadline.`;

/**
 * The ECS write steps of a managed-daemon rollout (target `managed-daemon`), with the rules of a
 * DAEMON service's (`execution.ts`): one step per call, resumable by the record's `step`, each write
 * preceded by a `pendingWrite` under the lease that a replay compares ECS with.
 *
 * - `none` → `registered`: RegisterDaemonTaskDefinition only when the family's latest ACTIVE daemon
 *   task definition differs from the rendered one (read first: ECS has no client token for it);
 * - `registered` → `deployed`: CreateDaemon (its `clientToken` is the rollout id) for the cluster's
 *   ACTIVE Managed Instances capacity providers, or UpdateDaemon (no token: a replay that finds the
 *   daemon's latest deployment changed to the rollout's daemon task definition adopts it). A
 *   rollback's step is UpdateDaemon back to the revision its rollout replaced.
 */
export class ManagedDaemonSteps {
  constructor(private readonly deps: ManagedDaemonStepsDeps) {}

  private now() {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  advance(
    api: EcsLocationApi,
    record: RolloutRecord,
    lease: HeldLease,
  ): Promise<StepResult> {
    const daemonApi = daemonApiOf(api);
    return record.step === 'none'
      ? this.register(daemonApi, record, lease)
      : this.deploy(daemonApi, record, lease);
  }

  /** `none` → `registered`: the daemon task definition to deploy, registered only when the latest differs. */
  private async register(
    api: DaemonApi,
    record: RolloutRecord,
    lease: HeldLease,
  ): Promise<StepResult> {
    const { family } = this.deps.rollout.managedDaemon;
    const key = apiKeyFor(this.deps.rollout, record.cluster);
    const rendered = renderForManagedDaemon(record.options!, key, family);
    const plan = await readDaemonPlan(api, record.cluster, {
      rendered,
      daemonName: record.serviceName,
      family,
      daemonArn: record.daemonArn,
    });
    checkManagedInstancesCapacity(
      record.cluster.clusterName,
      plan.providers.map(p => p.name),
    );
    if (plan.target.deleting)
      return { status: 'waiting', note: waitingWords(record.serviceName) };
    const { arn: newArn, registered } = await registerStep({
      record,
      plan,
      operation: 'RegisterDaemonTaskDefinition',
      recordPending: patch => this.write(record, lease, patch),
      register: () =>
        api.registerDaemonTaskDefinition({
          ...(rendered as any),
          tags: registrationTags(record.id),
        }),
      now: () => this.now(),
    });
    await this.write(record, lease, {
      step: 'registered',
      registered,
      newTaskDefinitionArn: newArn,
      createdService: plan.target.action === 'create',
      oldTaskDefinitionArn: plan.target.currentTaskDefinitionArn,
      daemonArn: plan.target.daemonArn,
      pendingWrite: null,
      note: null,
    });
    return { status: 'advanced' };
  }

  /** `registered` → `deployed`: CreateDaemon or UpdateDaemon, and the daemon deployment it started. */
  private async deploy(
    api: DaemonApi,
    record: RolloutRecord,
    lease: HeldLease,
  ): Promise<StepResult> {
    const { id } = record;
    const newArn = record.newTaskDefinitionArn!;
    const capacity = await readManagedInstancesCapacity(api, record.cluster);
    const providers = capacity.providers.map(p => p.arn);
    checkManagedInstancesCapacity(
      record.cluster.clusterName,
      capacity.providers.map(p => p.name),
    );
    const { target } = await readDaemonTarget(
      api,
      capacity.clusterArn,
      record.serviceName,
      record.daemonArn,
    );
    if (target.deleting)
      return { status: 'waiting', note: waitingWords(record.serviceName) };
    if (record.kind === 'rollback' && target.action === 'create') {
      throw new ConflictError(
        `The managed daemon ${record.serviceName} no longer exists: there is nothing to roll back`,
      );
    }

    const pending = record.pendingWrite;
    if (
      pending?.operation === 'CreateDaemon' ||
      pending?.operation === 'UpdateDaemon'
    ) {
      const adopted = adoptedDaemonDeployment(pending, target, newArn);
      if (adopted) {
        this.deps.logger.info(
          `Rollout ${id}: ECS ran its ${pending.operation} already (deployment ${adopted}): not calling it again`,
        );
        await this.deployed(
          record,
          lease,
          { created: pending.operation === 'CreateDaemon' },
          target.daemonArn,
          adopted,
        );
        return { status: 'advanced' };
      }
    }

    await this.write(record, lease, {
      pendingWrite: {
        operation: target.action === 'create' ? 'CreateDaemon' : 'UpdateDaemon',
        deploymentBefore: target.deploymentArn,
        at: this.now(),
      },
    });
    const options = daemonOptionsOf(record.options);
    const deploymentConfiguration = {
      drainPercent: options.drainPercent,
      bakeTimeInMinutes: options.bakeTimeInMinutes,
    };
    let daemonArn = target.daemonArn;
    let deploymentArn: string | undefined;
    if (target.action === 'create') {
      const created = await api.createDaemon({
        daemonName: record.serviceName,
        clusterArn: capacity.clusterArn,
        daemonTaskDefinitionArn: newArn,
        capacityProviderArns: providers,
        critical: options.critical,
        deploymentConfiguration,
        clientToken: id,
        tags: [{ ...MANAGED_BY_TAG }],
      });
      daemonArn = created.daemonArn;
      deploymentArn = created.deploymentArn;
    } else {
      const updated = await api.updateDaemon({
        daemonArn: target.daemonArn,
        daemonTaskDefinitionArn: newArn,
        capacityProviderArns: providers,
        critical: options.critical,
        deploymentConfiguration,
      });
      deploymentArn = updated.deploymentArn;
    }
    if (!deploymentArn && daemonArn) {
      deploymentArn = (await api.describeDaemon(daemonArn)).deploymentArn;
    }
    await this.deployed(
      record,
      lease,
      {
        created: target.action === 'create',
        current: target.currentTaskDefinitionArn,
      },
      daemonArn,
      deploymentArn,
    );
    return { status: 'advanced' };
  }

  /** Records the daemon deployment ECS accepted; a rollback is recorded on the rollout it undoes. */
  private async deployed(
    record: RolloutRecord,
    lease: HeldLease,
    write: { created: boolean; current?: string },
    daemonArn: string | undefined,
    deploymentArn: string | undefined,
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
        ...(daemonArn ? { daemonArn } : {}),
        deployment: {
          ...(deploymentArn
            ? { daemonDeployment: { arn: deploymentArn, status: 'PENDING' } }
            : {}),
          createdAt: this.now(),
        },
        pendingWrite: null,
        note: null,
      },
      rollout ? undefined : record.rollbackOf,
    );
  }

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
 * On a replay, the daemon deployment (its ARN) the interrupted CreateDaemon / UpdateDaemon started,
 * when ECS shows it: the daemon exists (for a create) or its latest deployment changed since
 * `pending` was written (for an update), and that deployment deploys the rollout's daemon task
 * definition. An update's change to another definition is someone else's:
 * {@link SupersededError}. Undefined when nothing changed (or a create finds another's daemon, which
 * the step then updates), so the call is made.
 */
export function adoptedDaemonDeployment(
  pending: Extract<
    PendingWrite,
    { operation: 'CreateDaemon' | 'UpdateDaemon' }
  >,
  target: DaemonTarget,
  newArn: string | undefined,
): string | undefined {
  if (target.action !== 'update' || !target.deploymentArn) return undefined;
  const ours = target.currentTaskDefinitionArn === newArn;
  if (pending.operation === 'CreateDaemon') {
    return ours ? target.deploymentArn : undefined;
  }
  if (target.deploymentArn === pending.deploymentBefore) return undefined;
  if (ours) return target.deploymentArn;
  throw new SupersededError(
    `While this rollout was interrupted, another deployment of the managed daemon ${target.daemonName} started (${target.deploymentArn}) without its daemon task definition ${newArn}: not deploying over it. Start a new rollout if it is still needed.`,
  );
}
