import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterDetails,
  ClusterRef,
  createRedactor,
  datadogEcsClusterRolloutPermission,
  datadogEcsRolloutPermission,
  diffTaskDefinitions,
  ECS_CLUSTER_ARN_ANNOTATION,
  ECS_SERVICE_ARN_ANNOTATION,
  EcsTaskDefinition,
  featuresFromTaskDefinition,
  maskSecrets,
  Redactor,
  Rollout,
  RolloutListResponse,
  RolloutPreview,
  RolloutRequest,
  splitArnAnnotation,
  StartRolloutRequest,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  EcsGateway,
  EcsLocationApi,
  Service,
  Task,
  TaskDefinition,
} from '../aws/EcsGateway';
import { classifyAwsError } from '../aws/errors';
import { DatadogEcsConfig } from '../config/config';
import { ActiveRolloutError } from '../errors';
import { parseEcsArn } from '../inventory/entityCoverage';
import { SnapshotStore } from '../inventory/SnapshotStore';
import { requirePermission, requireRead } from '../permissions';
import {
  currentDaemon,
  imageOf,
  isRegisterNeeded,
  latestRevisionArn,
  planCalls,
  renderForRollout,
  resolveRolloutOptions,
  revisionOf,
  serviceTarget,
  ServiceTarget,
} from './plan';
import {
  computeInstanceProgress,
  decideOutcome,
  eventsSince,
} from './progress';
import {
  ActiveRolloutExistsError,
  ClientTokenUsedError,
  RolloutRecord,
  RolloutStore,
  toRollout,
  toSummary,
} from './RolloutStore';

export interface RolloutServiceOptions {
  config: DatadogEcsConfig;
  gateway: EcsGateway;
  snapshots: SnapshotStore;
  store: RolloutStore;
  refresher: { refreshCluster(ref: ClusterRef): Promise<void> };
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
  logger: LoggerService;
  /** Identifies this replica in leases; random by default. */
  replicaId?: string;
  /** What stored definitions were redacted with (the name rules by default). */
  redactor?: Redactor;
}

/** Who made a request, for the record: a user entity ref, or `service:<subject>`. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef)
    return principal.userEntityRef;
  if (principal.type === 'service' && principal.subject)
    return `service:${principal.subject}`;
  return principal.type;
}

const refKey = (ref: ClusterRef) =>
  `${ref.accountId}/${ref.region}/${ref.clusterName}`;
const sameCluster = (a: ClusterRef, b: ClusterRef) => refKey(a) === refKey(b);

/** Runs one audited operation: `success` with the result's meta, or `fail` with the error. */
async function audited<T>(
  auditor: AuditorService,
  options: {
    eventId: 'rollout' | 'rollout-preview' | 'rollout-rollback';
    severityLevel: 'low' | 'medium' | 'high' | 'critical';
    request?: Request;
    meta: Record<string, any>;
  },
  fn: () => Promise<{ value: T; meta?: Record<string, any>; failure?: Error }>,
): Promise<T> {
  const event = await auditor.createEvent(options);
  try {
    const { value, meta, failure } = await fn();
    if (failure) await event.fail({ error: failure, ...(meta ? { meta } : {}) });
    else await event.success(meta ? { meta } : undefined);
    return value;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
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

/** What the ECS reads before a rollout say. */
interface Plan {
  rendered: EcsTaskDefinition;
  latestArn?: string;
  registerNeeded: boolean;
  target: ServiceTarget;
}

/**
 * Previews, starts, follows and rolls back Agent daemon rollouts. Every state a rollout goes through
 * is in the database, so any replica serves it and a replica that restarts (or another one, once the
 * lease expires) follows it to its end.
 */
export class RolloutService {
  private readonly owner: string;
  private readonly following = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private readonly redactor: Redactor;

  constructor(private readonly options: RolloutServiceOptions) {
    this.redactor = options.redactor ?? createRedactor();
    this.owner =
      options.replicaId ?? `${hostname()}-${randomUUID()}`.slice(0, 64);
  }

  private get rolloutConfig() {
    return this.options.config.rollout;
  }

  /** Lease duration: several polls, at least 30 s. */
  get leaseTtlMs(): number {
    return Math.max(30_000, this.rolloutConfig.pollIntervalSeconds * 4000);
  }

  private get lease() {
    return { owner: this.owner, ttlMs: this.leaseTtlMs };
  }

  // ---------------------------------------------------------------- permissions

  async authorizeRead(credentials: BackstageCredentials): Promise<void> {
    await requireRead(this.options.permissions, credentials);
  }

  /**
   * The rollout permission: on the entity (its owners, via the catalog's conditional decision) when
   * the rollout comes from an entity page, else portal-wide on clusters.
   */
  private async authorizeRollout(
    credentials: BackstageCredentials,
    entityRef: string | undefined,
  ): Promise<void> {
    const { permissions } = this.options;
    if (entityRef) {
      await requirePermission(
        permissions,
        { permission: datadogEcsRolloutPermission, resourceRef: entityRef },
        credentials,
        `You may not roll the Datadog Agent out from ${entityRef}`,
      );
      return;
    }
    await requirePermission(
      permissions,
      { permission: datadogEcsClusterRolloutPermission },
      credentials,
      'You may not roll the Datadog Agent out to clusters',
    );
  }

  /** The entity must point at the cluster: its cluster ARN annotation, or a service of it on the cluster. */
  private async checkEntityPointsAtCluster(
    entityRef: string,
    ref: ClusterRef,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new InputError(
        `Invalid request: body field 'entityRef' names no entity you can see (${entityRef})`,
      );
    }
    const annotations = entity.metadata.annotations ?? {};
    const arns = [
      ...splitArnAnnotation(annotations[ECS_CLUSTER_ARN_ANNOTATION]),
      ...splitArnAnnotation(annotations[ECS_SERVICE_ARN_ANNOTATION]),
    ];
    let matches = arns.some(arn => {
      const parsed = parseEcsArn(arn);
      return (
        parsed?.clusterName !== undefined &&
        sameCluster(
          {
            accountId: parsed.accountId,
            region: parsed.region,
            clusterName: parsed.clusterName,
          },
          ref,
        )
      );
    });
    if (!matches) {
      // Old-format service ARNs (no cluster in them): look them up in the snapshot.
      const oldFormat = arns.filter(arn => {
        const p = parseEcsArn(arn);
        return (
          p?.resource === 'service' &&
          !p.clusterName &&
          p.accountId === ref.accountId &&
          p.region === ref.region
        );
      });
      if (oldFormat.length) {
        const clusters =
          await this.options.snapshots.listClustersWithServices();
        const cluster = clusters.find(c => sameCluster(c.summary, ref));
        matches = !!cluster?.services.some(s =>
          oldFormat.includes(s.serviceArn),
        );
      }
    }
    if (!matches) {
      throw new InputError(
        `Invalid request: the entity ${entityRef} does not point at the cluster ${refKey(
          ref,
        )} (annotations ${ECS_CLUSTER_ARN_ANNOTATION} / ${ECS_SERVICE_ARN_ANNOTATION})`,
      );
    }
  }

  private checkEnabled(): void {
    if (!this.rolloutConfig.enabled) {
      throw new NotAllowedError(
        'Rollouts are switched off in this portal (datadogEcs.rollout.enabled is false)',
      );
    }
  }

  private apiKeyFor(ref: ClusterRef) {
    const key = this.rolloutConfig.apiKeys.get(ref.accountId);
    if (!key) {
      throw new InputError(
        `No Datadog API key is configured for account ${ref.accountId}: add it to datadogEcs.rollout.apiKeys (a Secrets Manager ARN and execution role)`,
      );
    }
    return key;
  }

  private async snapshotOf(
    ref: ClusterRef,
  ): Promise<Omit<ClusterDetails, 'history'>> {
    const details = await this.options.snapshots.getCluster(ref);
    if (!details) {
      throw new NotFoundError(
        `No cluster ${ref.clusterName} in ${ref.accountId}/${ref.region} in the inventory`,
      );
    }
    return details;
  }

  private checkLocation(ref: ClusterRef): void {
    if (
      !this.options.config.locations.some(
        l => l.accountId === ref.accountId && l.region === ref.region,
      )
    ) {
      throw new NotFoundError(
        `${ref.accountId}/${ref.region} is not a configured location`,
      );
    }
  }

  // ---------------------------------------------------------------- ECS reads

  private async describeService(
    api: EcsLocationApi,
    ref: ClusterRef,
    serviceName: string,
  ) {
    const [service] = await api.describeServices(ref.clusterName, [
      serviceName,
    ]);
    return service;
  }

  private async latestOfFamily(
    api: EcsLocationApi,
  ): Promise<TaskDefinition | undefined> {
    const { family } = this.rolloutConfig;
    if (api.latestTaskDefinitionArn) {
      const arn = await api.latestTaskDefinitionArn(family);
      return arn ? api.describeTaskDefinition(arn) : undefined;
    }
    if (api.listTaskDefinitionArns) {
      const arn = latestRevisionArn(
        await api.listTaskDefinitionArns(family),
        family,
      );
      return arn ? api.describeTaskDefinition(arn) : undefined;
    }
    // A gateway without ListTaskDefinitions: DescribeTaskDefinition by family gives the latest.
    try {
      return await api.describeTaskDefinition(family);
    } catch {
      return undefined;
    }
  }

  private async plan(
    api: EcsLocationApi,
    ref: ClusterRef,
    rendered: EcsTaskDefinition,
    serviceName: string,
  ): Promise<Plan> {
    const [latest, service] = await Promise.all([
      this.latestOfFamily(api),
      this.describeService(api, ref, serviceName),
    ]);
    return {
      rendered,
      latestArn: latest?.taskDefinitionArn,
      registerNeeded: isRegisterNeeded(
        rendered,
        latest as EcsTaskDefinition | undefined,
      ),
      target: serviceTarget(serviceName, service),
    };
  }

  /**
   * The plan a preview shows, from the snapshot alone: the family's latest revision as the inventory
   * last read it for the location, and the service as the cluster's snapshot has it.
   */
  private async snapshotPlan(
    ref: ClusterRef,
    details: Omit<ClusterDetails, 'history'>,
    rendered: EcsTaskDefinition,
    serviceName: string,
  ): Promise<{ plan: Plan; warnings: string[]; basedOn: RolloutPreview['basedOn'] }> {
    const { family } = this.rolloutConfig;
    const warnings: string[] = [];
    const stored = await this.options.snapshots.getAgentFamily(ref);
    const known = stored && stored.family === family && !stored.error ? stored : undefined;
    if (!known) {
      warnings.push(
        stored?.error
          ? `The latest revision of ${family} could not be read at the last refresh (${stored.error.message}): the rollout reads it before writing and registers only if it differs`
          : `The inventory has not read ${family} in ${ref.accountId}/${ref.region} yet: the rollout reads its latest revision before writing and registers only if it differs`,
      );
    }
    const latest = known?.latestTaskDefinition;
    const agentService = details.agentServices.find(s => s.serviceName === serviceName);
    const otherService = agentService
      ? undefined
      : (await this.options.snapshots.getClusterServices(ref)).find(
          s => s.serviceName === serviceName,
        );
    let snapshotService: Service | undefined;
    if (agentService) {
      snapshotService = {
        serviceName,
        serviceArn: agentService.serviceArn,
        status: agentService.status,
        schedulingStrategy: agentService.schedulingStrategy as Service['schedulingStrategy'],
        taskDefinition: agentService.taskDefinitionArn,
      };
    } else if (otherService) {
      snapshotService = {
        serviceName,
        serviceArn: otherService.serviceArn,
        status: 'ACTIVE',
        taskDefinition: otherService.taskDefinitionArn,
      };
    }
    const target = serviceTarget(serviceName, snapshotService);
    const takenAt = details.refreshedAt;
    return {
      plan: {
        rendered,
        latestArn: known?.latestTaskDefinitionArn,
        // The stored definition is redacted: compare it with the redacted rendering.
        registerNeeded: isRegisterNeeded(this.redactor.value(rendered), latest),
        target,
      },
      warnings,
      basedOn: {
        snapshotTakenAt: takenAt,
        ageSeconds: Math.max(0, Math.round((Date.now() - new Date(takenAt).getTime()) / 1000)),
        ...(known ? { latestRevisionReadAt: known.readAt } : {}),
      },
    };
  }

  // ---------------------------------------------------------------- preview

  async preview(
    ref: ClusterRef,
    request: RolloutRequest,
    credentials: BackstageCredentials,
    httpRequest?: Request,
  ): Promise<RolloutPreview> {
    return audited(
      this.options.auditor,
      {
        eventId: 'rollout-preview',
        severityLevel: 'low',
        request: httpRequest,
        meta: {
          cluster: refKey(ref),
          actor: actorOf(credentials),
          entityRef: request.entityRef ?? null,
        },
      },
      async () => {
        await this.authorizeRead(credentials);
        const value = await this.buildPreview(ref, request);
        return {
          value,
          meta: {
            registerNeeded: value.registerNeeded,
            calls: value.calls.map(c => c.operation),
          },
        };
      },
    );
  }

  private async buildPreview(
    ref: ClusterRef,
    request: RolloutRequest,
  ): Promise<RolloutPreview> {
    const { config } = this.options;
    const details = await this.snapshotOf(ref);
    const resolved = resolveRolloutOptions(request, details, {
      site: config.site,
      imageTag: this.rolloutConfig.imageTag,
    });
    const key = this.rolloutConfig.apiKeys.get(ref.accountId);
    const warnings = [...resolved.warnings];
    if (details.fargateOnly) {
      warnings.push(
        'This cluster runs on Fargate only: a DAEMON service has no container instance to run on, so a rollout is refused. On Fargate the Agent runs as a sidecar in each task definition.',
      );
    }
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
    const rendered = renderForRollout(
      resolved.options,
      key,
      this.rolloutConfig.family,
    );
    const daemon = currentDaemon(details, this.rolloutConfig.serviceName);
    const serviceName =
      daemon?.service.serviceName ?? this.rolloutConfig.serviceName;
    // No AWS call: the plan comes from what the inventory recorded. Starting re-reads ECS.
    this.checkLocation(ref);
    const snapshot = await this.snapshotPlan(ref, details, rendered, serviceName);
    const plan = snapshot.plan;
    warnings.push(...snapshot.warnings);
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
      image: imageOf(resolved.options),
      rolloutEnabled: this.rolloutConfig.enabled,
      basedOn: snapshot.basedOn,
    };
    if (plan.latestArn) preview.latestRevision = revisionOf(plan.latestArn);
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

  // ---------------------------------------------------------------- start

  /**
   * Starts a rollout: permission, switch, idempotency, the cluster's lock and the record, then the
   * ECS write calls; the follow-up runs in the background. `created` is false when the client token
   * returned an existing rollout.
   */
  async start(
    ref: ClusterRef,
    request: StartRolloutRequest,
    credentials: BackstageCredentials,
    httpRequest?: Request,
  ): Promise<{ rollout: Rollout; created: boolean }> {
    const actor = actorOf(credentials);
    return audited(
      this.options.auditor,
      {
        eventId: 'rollout',
        severityLevel: 'high',
        request: httpRequest,
        meta: {
          cluster: refKey(ref),
          actor,
          entityRef: request.entityRef ?? null,
          clientToken: request.clientToken ?? null,
        },
      },
      async () => {
        const value = await this.doStart(ref, request, credentials, actor);
        return {
          value,
          meta: {
            rolloutId: value.rollout.id,
            status: value.rollout.status,
            created: value.created,
            oldRevision: value.rollout.oldRevision ?? null,
            newRevision: value.rollout.newRevision ?? null,
          },
          // Recorded, but its ECS calls failed: the response is the failed rollout, the audit a failure.
          failure:
            value.created && value.rollout.status === 'failed'
              ? Object.assign(new Error(value.rollout.failureReason ?? 'The rollout failed'), {
                  name: 'RolloutFailedError',
                })
              : undefined,
        };
      },
    );
  }

  private async doStart(
    ref: ClusterRef,
    request: StartRolloutRequest,
    credentials: BackstageCredentials,
    actor: string,
  ): Promise<{ rollout: Rollout; created: boolean }> {
    const { store, config } = this.options;
    // 1. Permission, before anything else happens.
    await this.authorizeRollout(credentials, request.entityRef);
    if (request.entityRef)
      await this.checkEntityPointsAtCluster(
        request.entityRef,
        ref,
        credentials,
      );
    // 2. The switch.
    this.checkEnabled();
    // 3. Idempotency.
    if (request.clientToken) {
      const existing = await store.findByClientToken(ref, request.clientToken);
      if (existing)
        return { rollout: await this.view(existing), created: false };
    }
    // 4. What to deploy (no AWS call yet): the key from config, the render (400 naming the rule).
    const key = this.apiKeyFor(ref);
    const details = await this.snapshotOf(ref);
    this.checkLocation(ref);
    if (details.fargateOnly) {
      throw new InputError(
        `${ref.clusterName} runs on Fargate only: a DAEMON service has no container instance to run on. On Fargate the Agent runs as a sidecar container in each task definition.`,
      );
    }
    const resolved = resolveRolloutOptions(request, details, {
      site: config.site,
      imageTag: this.rolloutConfig.imageTag,
    });
    renderForRollout(resolved.options, key, this.rolloutConfig.family);
    const daemon = currentDaemon(details, this.rolloutConfig.serviceName);

    // 5. The record and the cluster's lock, before the first AWS call.
    const id = randomUUID();
    try {
      await store.insert(
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
          createdAt: new Date().toISOString(),
          serviceName:
            daemon?.service.serviceName ?? this.rolloutConfig.serviceName,
          createdService: !daemon,
          oldTaskDefinitionArn: daemon?.service.taskDefinitionArn,
          registered: false,
          step: 'none',
          options: resolved.options,
        },
        this.lease,
      );
    } catch (error) {
      if (error instanceof ClientTokenUsedError) {
        const existing = await store.findByClientToken(
          ref,
          request.clientToken!,
        );
        if (existing)
          return { rollout: await this.view(existing), created: false };
      }
      if (error instanceof ActiveRolloutExistsError)
        throw this.activeConflict(error);
      throw error;
    }
    this.options.logger.info(
      `Rollout ${id} of the Datadog Agent to ${refKey(
        ref,
      )} started by ${actor} from ${request.entityRef ?? 'the portal'}`,
    );

    // 6. The ECS write calls; then follow in the background.
    await this.execute(id);
    this.followInBackground(id);
    return { rollout: await this.view((await store.get(id))!), created: true };
  }

  /** The 409 of a cluster with an active rollout: its id in the error's `activeRolloutId`. */
  private activeConflict(error: ActiveRolloutExistsError): ActiveRolloutError {
    return new ActiveRolloutError(error.active);
  }

  /**
   * The ECS write calls of a rollout, resumable: RegisterTaskDefinition only when the family's latest
   * revision differs, then CreateService (its clientToken is the rollout id, so a retry never creates
   * twice) or UpdateService. A failure marks the rollout failed and frees the cluster.
   */
  private async execute(id: string): Promise<void> {
    const { store, logger } = this.options;
    let record = (await store.get(id))!;
    try {
      const api = await this.options.gateway.forLocation(
        record.cluster.accountId,
        record.cluster.region,
      );
      const cluster = record.cluster.clusterName;
      if (record.step === 'none') {
        const key = this.apiKeyFor(record.cluster);
        const rendered = renderForRollout(
          record.options!,
          key,
          this.rolloutConfig.family,
        );
        const plan = await this.plan(
          api,
          record.cluster,
          rendered,
          record.serviceName,
        );
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
        record = (await store.get(id))!;
      }
      if (record.step === 'registered') {
        const service = await this.describeService(
          api,
          record.cluster,
          record.serviceName,
        );
        const target = serviceTarget(record.serviceName, service);
        let updated: Service;
        const deploymentConfiguration = {
          deploymentCircuitBreaker: { enable: true, rollback: true },
        };
        if (target.action === 'create') {
          updated = await api.createService({
            cluster,
            serviceName: record.serviceName,
            taskDefinition: record.newTaskDefinitionArn,
            schedulingStrategy: 'DAEMON',
            launchType: record.options?.external ? 'EXTERNAL' : 'EC2',
            clientToken: id,
            deploymentConfiguration: {
              ...deploymentConfiguration,
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
            deploymentConfiguration,
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

  private async updateOrThrow(
    id: string,
    patch: Parameters<RolloutStore['update']>[1],
  ) {
    if (!(await this.options.store.update(id, patch, this.lease))) {
      throw new Error(`Lost the lease of rollout ${id} to another replica`);
    }
  }

  // ---------------------------------------------------------------- follow

  private followInBackground(id: string): void {
    if (this.following.has(id) || this.abort.signal.aborted) return;
    const run = this.follow(id)
      .catch(error => {
        this.options.logger.error(`Following rollout ${id} failed: ${error}`);
      })
      .finally(() => this.following.delete(id));
    this.following.set(id, run);
  }

  /** Polls the deployment until it completes, fails or times out, storing progress on every poll. */
  private async follow(id: string): Promise<void> {
    const { store, logger, refresher } = this.options;
    const signal = this.abort.signal;
    let record = await store.get(id);
    if (
      !record ||
      (record.status !== 'pending' && record.status !== 'in-progress')
    )
      return;
    if (record.status === 'pending' || record.step !== 'deployed') {
      await this.execute(id);
      record = await store.get(id);
      if (
        !record ||
        (record.status !== 'in-progress' && record.status !== 'pending')
      )
        return;
    }
    const timeoutMs = this.rolloutConfig.deploymentTimeoutMinutes * 60_000;
    const pollMs = this.rolloutConfig.pollIntervalSeconds * 1000;
    const api = await this.options.gateway.forLocation(
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
          timeoutMs,
        });
        const since = record.deployment?.createdAt
          ? new Date(record.deployment.createdAt)
          : undefined;
        const deployment = outcome.deployment
          ? { ...outcome.deployment, createdAt: record.deployment?.createdAt }
          : record.deployment;
        const events = eventsSince(poll.service, since);
        if (outcome.status === 'in-progress') {
          if (
            !(await store.update(
              id,
              { instances, events, deployment },
              this.lease,
            ))
          ) {
            logger.info(`Rollout ${id}: another replica follows it now`);
            return;
          }
        } else {
          // The snapshot first, so that a finished rollout shows with fresh coverage.
          const cluster = record.cluster;
          await refresher
            .refreshCluster(cluster)
            .catch(error =>
              logger.warn(
                `Refreshing ${refKey(
                  cluster,
                )} after rollout ${id} failed: ${error}`,
              ),
            );
          await store.finish(
            id,
            {
              status: outcome.status,
              instances,
              events,
              deployment,
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
            this.owner,
          );
          logger.info(
            `Rollout ${id} to ${refKey(record.cluster)} ${outcome.status}${
              outcome.status === 'failed' ? `: ${outcome.reason}` : ''
            }`,
          );
          return;
        }
      } catch (error) {
        logger.warn(`Polling rollout ${id} failed (will retry): ${error}`);
        if (!(await store.update(id, {}, this.lease))) return;
      }
      await sleep(pollMs, signal);
      record = (await store.get(id)) ?? record;
    }
  }

  private async poll(api: EcsLocationApi, record: RolloutRecord) {
    const cluster = record.cluster.clusterName;
    const [service, running, stopped, instanceArns] = await Promise.all([
      this.describeService(api, record.cluster, record.serviceName),
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

  // ---------------------------------------------------------------- rollback

  /**
   * Rolls a finished rollout back: UpdateService to the revision it replaced, tracked as a new
   * rollout of kind `rollback`. Refused (409) while rollouts run, for a rollout that created the
   * service (ECS has no previous revision; deleting the service is out of scope), for one already
   * rolled back, and for one a later rollout superseded.
   */
  async rollback(
    ref: ClusterRef,
    id: string,
    credentials: BackstageCredentials,
    httpRequest?: Request,
  ): Promise<Rollout> {
    const actor = actorOf(credentials);
    return audited(
      this.options.auditor,
      {
        eventId: 'rollout-rollback',
        severityLevel: 'high',
        request: httpRequest,
        meta: { cluster: refKey(ref), actor, rollbackOf: id },
      },
      async () => {
        const value = await this.doRollback(ref, id, credentials, actor);
        return {
          value,
          meta: { rolloutId: value.id, newRevision: value.newRevision ?? null },
        };
      },
    );
  }

  private async doRollback(
    ref: ClusterRef,
    id: string,
    credentials: BackstageCredentials,
    actor: string,
  ): Promise<Rollout> {
    const { store } = this.options;
    const original = await store.get(id);
    if (!original || !sameCluster(original.cluster, ref)) {
      // Authorize before telling whether it exists.
      await this.authorizeRollout(credentials, undefined);
      throw new NotFoundError(`No rollout ${id} on ${refKey(ref)}`);
    }
    // The cluster permission, or the entity permission when the rollout came from an entity.
    try {
      await this.authorizeRollout(credentials, undefined);
    } catch (error) {
      if (!original.entityRef) throw error;
      await this.authorizeRollout(credentials, original.entityRef);
    }
    this.checkEnabled();
    this.checkRollbackable(original, await store.latestFinished(ref));

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
        this.lease,
      );
    } catch (error) {
      if (error instanceof ActiveRolloutExistsError)
        throw this.activeConflict(error);
      throw error;
    }
    await store.update(original.id, { rolledBackBy: rollbackId });
    // The features of the revision rolled back to, for the history.
    try {
      const api = await this.options.gateway.forLocation(
        ref.accountId,
        ref.region,
      );
      const td = await api.describeTaskDefinition(
        original.oldTaskDefinitionArn!,
      );
      const service = await this.describeService(
        api,
        ref,
        original.serviceName,
      );
      const current = serviceTarget(
        original.serviceName,
        service,
      ).currentTaskDefinitionArn;
      if (current)
        await store.update(rollbackId, { oldTaskDefinitionArn: current });
      const features = featuresFromTaskDefinition(
        td as EcsTaskDefinition,
        this.options.config.agentImageRepositories,
      );
      if (original.options)
        await store.update(rollbackId, {
          options: { ...original.options, features },
        });
    } catch {
      // Only decoration: the rollback itself goes on.
    }
    await this.execute(rollbackId);
    this.followInBackground(rollbackId);
    return this.view((await store.get(rollbackId))!);
  }

  private rollbackRefusal(
    r: RolloutRecord,
    latest: RolloutRecord | undefined,
  ): string | undefined {
    if (r.kind !== 'rollout')
      return 'A rollback cannot be rolled back; start a rollout instead';
    if (r.status === 'pending' || r.status === 'in-progress') {
      return `The rollout ${r.id} is still ${r.status}; roll back once it has finished`;
    }
    if (r.createdService || !r.oldTaskDefinitionArn) {
      return `The rollout ${r.id} created the service ${r.serviceName}: there is no previous revision to return to (deleting the service is out of scope; scale it away in ECS by hand if needed)`;
    }
    if (r.rolledBackBy)
      return `The rollout ${r.id} was rolled back already (${r.rolledBackBy})`;
    if (!r.newTaskDefinitionArn)
      return `The rollout ${r.id} never deployed a revision`;
    if (latest && latest.id !== r.id) {
      return `A later rollout (${latest.id}) changed the cluster since; roll that one back first`;
    }
    return undefined;
  }

  private checkRollbackable(
    r: RolloutRecord,
    latest: RolloutRecord | undefined,
  ): void {
    const refusal = this.rollbackRefusal(r, latest);
    if (refusal) throw new ConflictError(refusal);
  }

  // ---------------------------------------------------------------- history

  private async view(record: RolloutRecord): Promise<Rollout> {
    const latest = await this.options.store.latestFinished(record.cluster);
    return toRollout(record, !this.rollbackRefusal(record, latest));
  }

  async get(id: string, credentials: BackstageCredentials): Promise<Rollout> {
    await this.authorizeRead(credentials);
    const record = await this.options.store.get(id);
    if (!record) throw new NotFoundError(`No rollout ${id}`);
    return this.view(record);
  }

  async list(
    ref: ClusterRef,
    credentials: BackstageCredentials,
  ): Promise<RolloutListResponse> {
    await this.authorizeRead(credentials);
    const { store } = this.options;
    const [records, active, latest] = await Promise.all([
      store.list(ref),
      store.getActive(ref),
      store.latestFinished(ref),
    ]);
    const response: RolloutListResponse = {
      rollouts: records.map(r =>
        toSummary(r, !this.rollbackRefusal(r, latest)),
      ),
      rolloutEnabled: this.rolloutConfig.enabled,
    };
    if (active) response.activeRolloutId = active.rolloutId;
    return response;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Picks up unfinished rollouts whose lease is free or expired (at start, and periodically): this
   * replica takes the lease and follows them to their end.
   */
  async resumeUnfinished(): Promise<void> {
    const { store, logger } = this.options;
    if (this.abort.signal.aborted) return;
    for (const record of await store.listUnfinished()) {
      if (this.following.has(record.id)) continue;
      if (await store.claimLease(record.id, this.owner, this.leaseTtlMs)) {
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
      await this.options.store.releaseLease(id, this.owner).catch(() => {});
    }
  }

  /** Resolves once every rollout this replica follows has finished (tests). */
  async idle(): Promise<void> {
    while (this.following.size)
      await Promise.allSettled([...this.following.values()]);
  }
}
