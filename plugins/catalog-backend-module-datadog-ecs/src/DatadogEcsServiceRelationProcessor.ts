import { createHash } from 'node:crypto';
import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
} from '@backstage/catalog-model';
import { stringifyError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  clusterEntityRef,
  ECS_CLUSTER_RESOURCE_TYPE,
  ECS_SERVICE_ARN_ANNOTATION,
  parseEcsArn,
  ServiceLookupRequest,
  ServiceLookupResponse,
  ServiceLookupResult,
  splitArnAnnotation,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * How long an answer of the inventory is reused for the same set of ARNs.
 *
 * @public
 */
export const SERVICE_LOOKUP_TTL_MS = 5 * 60_000;

/** What the cache stores: JSON. */
type CacheValue = Parameters<CacheService['set']>[1];

/** `POST /services/lookup` takes at most this many ARNs. */
const LOOKUP_BATCH = 100;

/**
 * The options of {@link DatadogEcsServiceRelationProcessor}.
 *
 * @public
 */
export interface DatadogEcsServiceRelationProcessorOptions {
  /** Calls `POST /services/lookup` of the datadog-ecs backend. */
  client: {
    lookupServices(body: ServiceLookupRequest): Promise<ServiceLookupResponse>;
  };
  /** The catalog's cache: the inventory's answers per set of ARNs. */
  cache: CacheService;
  logger: LoggerService;
  /** @defaultValue {@link SERVICE_LOOKUP_TTL_MS} */
  ttlMs?: number;
}

/**
 * Links a catalog entity annotated with ECS service ARNs (`aws.amazon.com/amazon-ecs-service-arn`)
 * to the cluster resources the services run on: `dependsOn` from the entity to the cluster and
 * `dependencyOf` back, only for the ARNs the datadog-ecs inventory confirms (`found`). An ARN the
 * inventory does not have links nothing: the annotation is the entity owner's claim, the
 * inventory is what AWS says. A failed lookup links nothing and fails nothing (logged).
 *
 * @public
 */
export class DatadogEcsServiceRelationProcessor implements CatalogProcessor {
  private readonly ttlMs: number;

  constructor(
    private readonly options: DatadogEcsServiceRelationProcessorOptions,
  ) {
    this.ttlMs = options.ttlMs ?? SERVICE_LOOKUP_TTL_MS;
  }

  getProcessorName(): string {
    return 'DatadogEcsServiceRelationProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: unknown,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (
      entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
      entity.spec?.type === ECS_CLUSTER_RESOURCE_TYPE
    ) {
      return entity;
    }
    // Only what can be an ECS service ARN is asked about; the rest can never be confirmed.
    const arns = [
      ...new Set(
        splitArnAnnotation(
          entity.metadata.annotations?.[ECS_SERVICE_ARN_ANNOTATION],
        ),
      ),
    ].filter(arn => parseEcsArn(arn)?.resourceType === 'service');
    if (arns.length === 0) return entity;

    let results: ServiceLookupResult[];
    try {
      results = await this.lookup(arns);
    } catch (error) {
      this.options.logger.warn(
        `Could not confirm the ECS services of ${stringifyEntityRef(
          entity,
        )} with the datadog-ecs backend; no cluster relations this time: ${stringifyError(
          error,
        )}`,
      );
      return entity;
    }

    const asked = new Set(arns);
    const clusters = new Set<string>();
    for (const result of results) {
      if (!result.found || !asked.has(result.serviceArn)) continue;
      const { accountId, region, clusterName } = result;
      if (!accountId || !region || !clusterName) continue;
      clusters.add(clusterEntityRef({ accountId, region, clusterName }));
    }
    const self = getCompoundEntityRef(entity);
    for (const ref of clusters) {
      const cluster = parseEntityRef(ref);
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_DEPENDS_ON,
          target: cluster,
        }),
      );
      emit(
        processingResult.relation({
          source: cluster,
          type: RELATION_DEPENDENCY_OF,
          target: self,
        }),
      );
    }
    return entity;
  }

  /**
   * The inventory's answers for these ARNs: from the cache, else `POST /services/lookup` (in
   * batches of 100). Answers given before the inventory's first snapshot are not cached.
   */
  private async lookup(arns: string[]): Promise<ServiceLookupResult[]> {
    const { cache, client } = this.options;
    const key = `services-lookup:${createHash('sha256')
      .update([...arns].sort().join('\n'))
      .digest('hex')}`;
    const cached = await cache.get(key);
    if (Array.isArray(cached))
      return cached as unknown as ServiceLookupResult[];

    const results: ServiceLookupResult[] = [];
    let complete = true;
    for (let i = 0; i < arns.length; i += LOOKUP_BATCH) {
      const response = await client.lookupServices({
        serviceArns: arns.slice(i, i + LOOKUP_BATCH),
      });
      results.push(...response.services);
      if (!response.snapshotTakenAt) complete = false;
    }
    if (complete) {
      await cache.set(key, results as unknown as CacheValue, {
        ttl: this.ttlMs,
      });
    }
    return results;
  }
}
