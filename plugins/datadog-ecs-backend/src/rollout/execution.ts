import { LoggerService } from '@backstage/backend-plugin-api';
import { EcsGateway, EcsLocationApi, Service } from '../aws/EcsGateway';
import { classifyAwsError } from '../aws/errors';
import { RolloutConfig } from '../config/config';
import { RolloutLease } from './common';
import { describeService, readPlan } from './ecsReads';
import { apiKeyFor } from './guards';
import { renderForRollout, serviceTarget } from './plan';
import { RolloutPatch, RolloutRecord, RolloutStore } from './RolloutStore';

export interface RolloutExecutorDeps {
  store: Pick<RolloutStore, 'get' | 'update' | 'finish'>;
  gateway: EcsGateway;
  rollout: Pick<RolloutConfig, 'family' | 'apiKeys'>;
  logger: LoggerService;
  lease: RolloutLease;
}

/** The deployment circuit breaker, rolling back on failure (a fresh object per call). */
const circuitBreaker = () => ({
  deploymentCircuitBreaker: { enable: true, rollback: true },
});

/**
 * The ECS write calls of a rollout, resumable by the record's `step`: RegisterTaskDefinition only
 * when the family's latest revision differs (`none` → `registered`), then CreateService (its
 * clientToken is the rollout id, so a retry never creates twice) or UpdateService (`registered` →
 * `deployed`). A failure marks the rollout failed and frees the cluster.
 */
export class RolloutExecutor {
  constructor(private readonly deps: RolloutExecutorDeps) {}

  async execute(id: string): Promise<void> {
    const { store, logger } = this.deps;
    let record = await store.get(id);
    // Gone (deleted, or never recorded): nothing to execute.
    if (!record) return;
    try {
      const api = await this.deps.gateway.forLocation(
        record.cluster.accountId,
        record.cluster.region,
      );
      if (record.step === 'none') {
        await this.register(api, record);
        record = await store.get(id);
        if (!record) return;
      }
      if (record.step === 'registered') await this.deploy(api, record);
    } catch (error) {
      const e = error as Error;
      logger.warn(
        `Rollout ${id} failed before its deployment started: ${e.name}: ${e.message}`,
      );
      await store.finish(id, {
        status: 'failed',
        failureKind: classifyAwsError(e).fromAws ? 'aws-error' : 'unknown',
        failureReason: `${e.name}: ${e.message}`.slice(0, 2000),
      });
    }
  }

  /** `none` → `registered`: the revision to deploy, registered only when the latest differs. */
  private async register(api: EcsLocationApi, record: RolloutRecord) {
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
    let newArn = plan.latestArn;
    if (plan.registerNeeded) {
      const registered = await api.registerTaskDefinition({
        ...(rendered as any),
        tags: [
          { key: 'managed-by', value: 'backstage-datadog-ecs' },
          { key: 'datadog-ecs-rollout', value: id },
        ],
      });
      newArn = registered.taskDefinitionArn;
    }
    await this.updateOrThrow(id, {
      step: 'registered',
      registered: plan.registerNeeded,
      newTaskDefinitionArn: newArn,
      createdService: plan.target.action === 'create',
      oldTaskDefinitionArn: plan.target.currentTaskDefinitionArn,
    });
  }

  /** `registered` → `deployed`: CreateService or UpdateService, and the deployment it started. */
  private async deploy(api: EcsLocationApi, record: RolloutRecord) {
    const { id } = record;
    const cluster = record.cluster.clusterName;
    const service = await describeService(
      api,
      record.cluster,
      record.serviceName,
    );
    const target = serviceTarget(record.serviceName, service);
    let updated: Service;
    if (target.action === 'create') {
      updated = await api.createService({
        cluster,
        serviceName: record.serviceName,
        taskDefinition: record.newTaskDefinitionArn,
        schedulingStrategy: 'DAEMON',
        launchType: record.options?.external ? 'EXTERNAL' : 'EC2',
        clientToken: id,
        deploymentConfiguration: {
          ...circuitBreaker(),
          maximumPercent: 100,
          minimumHealthyPercent: 0,
        },
        tags: [{ key: 'managed-by', value: 'backstage-datadog-ecs' }],
      });
    } else {
      const repoint = record.kind === 'rollout' && !record.registered;
      updated = await api.updateService({
        cluster,
        service: record.serviceName,
        taskDefinition: record.newTaskDefinitionArn,
        forceNewDeployment: repoint,
        deploymentConfiguration: circuitBreaker(),
      });
    }
    const primary = updated.deployments?.find(d => d.status === 'PRIMARY');
    await this.updateOrThrow(id, {
      step: 'deployed',
      status: 'in-progress',
      createdService:
        record.kind === 'rollout'
          ? target.action === 'create'
          : record.createdService,
      ...(record.kind === 'rollout' && target.currentTaskDefinitionArn
        ? { oldTaskDefinitionArn: target.currentTaskDefinitionArn }
        : {}),
      deployment: primary
        ? {
            id: primary.id,
            rolloutState: primary.rolloutState,
            rolloutStateReason: primary.rolloutStateReason,
            status: primary.status,
            createdAt: primary.createdAt
              ? new Date(primary.createdAt).toISOString()
              : undefined,
          }
        : undefined,
    });
  }

  private async updateOrThrow(id: string, patch: RolloutPatch) {
    if (!(await this.deps.store.update(id, patch, this.deps.lease))) {
      throw new Error(`Lost the lease of rollout ${id} to another replica`);
    }
  }
}
