import { InputError } from '@backstage/errors';
import {
  ClusterDetails,
  ClusterRef,
  diffTaskDefinitions,
  EcsTaskDefinition,
  featuresFromTaskDefinition,
  maskSecrets,
  Redactor,
  resolveManagedDaemonRolloutOptions,
  RolloutOptions,
  RolloutPreview,
  RolloutRequest,
  RolloutTarget,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Service } from '../aws/EcsGateway';
import { DatadogEcsConfig } from '../config/config';
import { SnapshotStore } from '../inventory/SnapshotStore';
import { chooseTarget, isManagedInstance } from './daemonPlan';
import { planDaemonStart, previewManagedDaemon } from './daemonPreview';
import { Plan } from './ecsReads';
import { apiKeyFor, checkLocation, snapshotOf } from './guards';
import {
  currentDaemon,
  drainingWords,
  imageOf,
  isRegisterNeeded,
  planCalls,
  renderForRollout,
  resolveRolloutOptions,
  revisionOf,
  serviceTarget,
} from './plan';

type Details = Omit<ClusterDetails, 'history'>;

export interface RolloutPlannerDeps {
  config: Pick<
    DatadogEcsConfig,
    'site' | 'rollout' | 'locations' | 'agentImageRepositories'
  >;
  snapshots: Pick<
    SnapshotStore,
    'getCluster' | 'getAgentFamily' | 'getClusterServices'
  >;
  /** What stored definitions were redacted with. */
  redactor: Redactor;
}

/** What a new rollout's record starts with, decided from the snapshot. */
export interface StartPlan {
  target: RolloutTarget;
  options: RolloutOptions;
  /** The DAEMON service's name, or the managed daemon's. */
  serviceName: string;
  createdService: boolean;
  oldTaskDefinitionArn?: string;
  /** The managed daemon's ARN, when the snapshot has it. */
  daemonArn?: string;
}

/** The half of a cluster a DAEMON service serves: its instances that are not ECS Managed Instances. */
const serviceHalf = (details: Details): Details => ({
  ...details,
  instances: details.instances.filter(i => !isManagedInstance(i)),
});

/**
 * What a rollout would do, from the inventory's snapshot alone (no AWS call): the preview, and the
 * options a start records. Starting re-reads ECS before it writes (see `execution.ts`). The target
 * is the request's, else the one the cluster's capacity calls for (`chooseTarget`); the
 * managed-daemon target's plan is `daemonPreview.ts`'s.
 */
export class RolloutPlanner {
  constructor(private readonly deps: RolloutPlannerDeps) {}

  private get rolloutConfig() {
    return this.deps.config.rollout;
  }

  /** A DAEMON service's options, with its target; managed-daemon options are refused (400). */
  private resolve(request: RolloutRequest, details: Details) {
    resolveManagedDaemonRolloutOptions(request.managedDaemon, 'daemon-service');
    const resolved = resolveRolloutOptions(request, details, {
      site: this.deps.config.site,
      imageTag: this.rolloutConfig.imageTag,
    });
    resolved.options.target = 'daemon-service';
    return resolved;
  }

  /**
   * What a start deploys (no AWS call yet): the key from config, the render (400 naming the rule),
   * the service (or managed daemon) to create or update.
   */
  async planStart(
    ref: ClusterRef,
    request: RolloutRequest,
  ): Promise<StartPlan> {
    const key = apiKeyFor(this.rolloutConfig, ref);
    const snapshot = await snapshotOf(this.deps.snapshots, ref);
    checkLocation(this.deps.config.locations, ref);
    if (chooseTarget(request, snapshot) === 'managed-daemon')
      return planDaemonStart(this.deps, ref, request, snapshot);
    const details = serviceHalf(snapshot);
    if (details.fargateOnly) {
      throw new InputError(
        `${ref.clusterName} runs on Fargate only: a DAEMON service has no container instance to run on. On Fargate the Agent runs as a sidecar container in each task definition.`,
      );
    }
    const resolved = this.resolve(request, details);
    renderForRollout(resolved.options, key, this.rolloutConfig.family);
    const daemon = currentDaemon(details, this.rolloutConfig.serviceName);
    return {
      target: 'daemon-service',
      options: resolved.options,
      serviceName:
        daemon?.service.serviceName ?? this.rolloutConfig.serviceName,
      createdService: !daemon,
      oldTaskDefinitionArn: daemon?.service.taskDefinitionArn,
    };
  }

  async preview(
    ref: ClusterRef,
    request: RolloutRequest,
  ): Promise<RolloutPreview> {
    const { config } = this.deps;
    const snapshot = await snapshotOf(this.deps.snapshots, ref);
    if (chooseTarget(request, snapshot) === 'managed-daemon') {
      checkLocation(config.locations, ref);
      return previewManagedDaemon(
        this.deps,
        ref,
        request,
        snapshot,
        this.keyAndSwitchWarnings(ref),
      );
    }
    const details = serviceHalf(snapshot);
    const managedInstances =
      snapshot.instances.length - details.instances.length;
    const resolved = this.resolve(request, details);
    const key = this.rolloutConfig.apiKeys.get(ref.accountId);
    const warnings = [...resolved.warnings];
    if (details.fargateOnly) {
      warnings.push(
        'This cluster runs on Fargate only: a DAEMON service has no container instance to run on, so a rollout is refused. On Fargate the Agent runs as a sidecar in each task definition.',
      );
    }
    if (managedInstances > 0) {
      warnings.push(
        `${managedInstances} instance(s) of the cluster are ECS Managed Instances: a DAEMON service does not run there; roll them out with the target managed-daemon`,
      );
    }
    warnings.push(...this.keyAndSwitchWarnings(ref));
    const rendered = renderForRollout(
      resolved.options,
      key,
      this.rolloutConfig.family,
    );
    const daemon = currentDaemon(details, this.rolloutConfig.serviceName);
    const serviceName =
      daemon?.service.serviceName ?? this.rolloutConfig.serviceName;
    // No AWS call: the plan comes from what the inventory recorded. Starting re-reads ECS.
    checkLocation(config.locations, ref);
    const snapshotPlan = await this.snapshotPlan(
      ref,
      details,
      rendered,
      serviceName,
    );
    const plan = snapshotPlan.plan;
    warnings.push(...snapshotPlan.warnings);
    const blocked = plan.target.draining
      ? {
          reason: 'service-draining' as const,
          message: `${drainingWords(
            serviceName,
          )}: a rollout now is refused (409); once it is INACTIVE the rollout creates it again.`,
        }
      : undefined;
    if (blocked) warnings.push(blocked.message);
    const preview: RolloutPreview = {
      cluster: {
        accountId: ref.accountId,
        region: ref.region,
        clusterName: ref.clusterName,
      },
      variant: resolved.options.variant,
      external: resolved.options.external,
      variantSource: resolved.variantSource,
      warnings,
      taskDefinition: maskSecrets(rendered),
      diff: diffTaskDefinitions(daemon?.taskDefinition, rendered),
      registerNeeded: plan.registerNeeded,
      calls: planCalls({
        clusterName: ref.clusterName,
        family: this.rolloutConfig.family,
        registerNeeded: plan.registerNeeded,
        latestRevision: revisionOf(plan.latestArn),
        target: plan.target,
        external: resolved.options.external,
      }),
      instancesAffected: details.instances
        .filter(i => i.state !== 'not-applicable')
        .map(i => ({
          instanceId: i.instanceId,
          containerInstanceArn: i.containerInstanceArn,
          state: i.state,
        })),
      serviceName,
      target: 'daemon-service',
      image: imageOf(resolved.options),
      rolloutEnabled: this.rolloutConfig.enabled,
      basedOn: snapshotPlan.basedOn,
    };
    if (plan.latestArn) preview.latestRevision = revisionOf(plan.latestArn);
    if (blocked) preview.blocked = blocked;
    if (daemon?.taskDefinition) {
      preview.current = {
        serviceName: daemon.service.serviceName,
        revision: revisionOf(daemon.service.taskDefinitionArn)!,
        taskDefinitionArn: daemon.service.taskDefinitionArn,
        features: featuresFromTaskDefinition(
          daemon.taskDefinition,
          config.agentImageRepositories,
        ),
      };
    }
    return preview;
  }

  /** The warnings of the account's API key and of the switch, whatever the target. */
  private keyAndSwitchWarnings(ref: ClusterRef): string[] {
    const key = this.rolloutConfig.apiKeys.get(ref.accountId);
    const warnings: string[] = [];
    if (!key) {
      warnings.push(
        `No API key is configured for account ${ref.accountId} (datadogEcs.rollout.apiKeys): the preview shows a placeholder and a rollout would be refused`,
      );
    } else if (key.source === 'plaintext') {
      warnings.push(
        'The API key is configured in plaintext (development only): anyone who may describe the task definition can read it',
      );
    }
    if (!this.rolloutConfig.enabled) {
      warnings.push(
        'Rollouts are switched off in this portal (datadogEcs.rollout.enabled)',
      );
    }
    return warnings;
  }

  /**
   * The plan a preview shows, from the snapshot alone: the family's latest revision as the inventory
   * last read it for the location, and the service as the cluster's snapshot has it.
   */
  private async snapshotPlan(
    ref: ClusterRef,
    details: Details,
    rendered: EcsTaskDefinition,
    serviceName: string,
  ): Promise<{
    plan: Plan;
    warnings: string[];
    basedOn: RolloutPreview['basedOn'];
  }> {
    const { family } = this.rolloutConfig;
    const warnings: string[] = [];
    const stored = await this.deps.snapshots.getAgentFamily(ref);
    const known =
      stored && stored.family === family && !stored.error ? stored : undefined;
    if (!known) {
      warnings.push(
        stored?.error
          ? `The latest revision of ${family} could not be read at the last refresh (${stored.error.message}): the rollout reads it before writing and registers only if it differs`
          : `The inventory has not read ${family} in ${ref.accountId}/${ref.region} yet: the rollout reads its latest revision before writing and registers only if it differs`,
      );
    }
    const latest = known?.latestTaskDefinition;
    const target = serviceTarget(
      serviceName,
      await this.snapshotService(ref, details, serviceName),
    );
    const takenAt = details.refreshedAt;
    return {
      plan: {
        rendered,
        latestArn: known?.latestTaskDefinitionArn,
        // The stored definition is redacted: compare it with the redacted rendering.
        registerNeeded: isRegisterNeeded(
          this.deps.redactor.value(rendered),
          latest,
        ),
        target,
      },
      warnings,
      basedOn: {
        snapshotTakenAt: takenAt,
        ageSeconds: Math.max(
          0,
          Math.round((Date.now() - new Date(takenAt).getTime()) / 1000),
        ),
        ...(known ? { latestRevisionReadAt: known.readAt } : {}),
      },
    };
  }

  /** The service of that name as the snapshot has it: an Agent service, else an application's. */
  private async snapshotService(
    ref: ClusterRef,
    details: Details,
    serviceName: string,
  ): Promise<Service | undefined> {
    const agentService = details.agentServices.find(
      s => s.serviceName === serviceName,
    );
    if (agentService) {
      return {
        serviceName,
        serviceArn: agentService.serviceArn,
        status: agentService.status,
        schedulingStrategy:
          agentService.schedulingStrategy as Service['schedulingStrategy'],
        taskDefinition: agentService.taskDefinitionArn,
      };
    }
    const otherService = (
      await this.deps.snapshots.getClusterServices(ref)
    ).find(s => s.serviceName === serviceName);
    if (!otherService) return undefined;
    return {
      serviceName,
      serviceArn: otherService.serviceArn,
      status: 'ACTIVE',
      taskDefinition: otherService.taskDefinitionArn,
    };
  }
}
