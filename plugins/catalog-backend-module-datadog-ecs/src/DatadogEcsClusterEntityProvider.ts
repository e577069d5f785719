import {
  AuthService,
  DiscoveryService,
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
  SchedulerServiceTaskRunner,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { stringifyError } from '@backstage/errors';
import {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  ClustersResponse,
  normalizeEntityRef,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { createServiceClient } from './client';
import { clusterExists, clusterToEntity } from './clusterEntity';

/** The provider's name, and the prefix of its scheduled task's id. */
export const CLUSTER_PROVIDER_NAME = 'datadog-ecs-clusters';

/**
 * When the provider reads the inventory unless `datadogEcs.catalog.schedule` says otherwise.
 *
 * @public
 */
export const DEFAULT_CLUSTER_PROVIDER_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 3 },
    initialDelay: { seconds: 15 },
  };

/** One emitted entity, with the account-region it belongs to. */
interface Emitted {
  deferred: DeferredEntity;
  /** `<account>/<region>`. */
  location: string;
  /** The entity as JSON, to tell a changed entity from an unchanged one. */
  json: string;
}

/**
 * The options of {@link DatadogEcsClusterEntityProvider}.
 *
 * @public
 */
export interface DatadogEcsClusterEntityProviderOptions {
  /** Reads `GET /clusters` of the datadog-ecs backend. */
  client: { getClusters(): Promise<ClustersResponse> };
  logger: LoggerService;
  /** Runs {@link DatadogEcsClusterEntityProvider.refresh} on the provider's schedule. */
  taskRunner: SchedulerServiceTaskRunner;
  /** The owner of clusters whose summary names none (an entity ref, or a group's name). */
  defaultOwner?: string;
}

/**
 * Emits one `Resource` (`spec.type: ecs-cluster`) per cluster of the datadog-ecs inventory, and
 * follows the inventory: the first complete read is a `full` mutation, later reads `delta`
 * mutations of what changed, appeared or went away. A read that fails changes nothing, and the
 * entities of an account-region whose last refresh failed are never removed (the inventory keeps
 * serving their last good view; if it does not, the entities stay until the location reads again).
 *
 * @public
 */
export class DatadogEcsClusterEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** What the catalog holds from this provider since the last mutation; undefined before the first. */
  private emitted?: Map<string, Emitted>;
  /** Whether a `full` mutation has replaced whatever an earlier process left in the catalog. */
  private fullDone = false;
  private readonly defaultOwner?: string;

  /** The provider as the module wires it: config, discovery, a service token, the scheduler. */
  static fromConfig(
    config: Config,
    deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      scheduler: SchedulerService;
      logger: LoggerService;
    },
  ): DatadogEcsClusterEntityProvider {
    const schedule = config.has('datadogEcs.catalog.schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('datadogEcs.catalog.schedule'),
        )
      : DEFAULT_CLUSTER_PROVIDER_SCHEDULE;
    return new DatadogEcsClusterEntityProvider({
      client: createServiceClient(deps),
      logger: deps.logger,
      taskRunner: deps.scheduler.createScheduledTaskRunner(schedule),
      defaultOwner: config.getOptionalString('datadogEcs.catalog.defaultOwner'),
    });
  }

  constructor(
    private readonly options: DatadogEcsClusterEntityProviderOptions,
  ) {
    this.defaultOwner = normalizeEntityRef(options.defaultOwner, 'group');
  }

  getProviderName(): string {
    return CLUSTER_PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner.run({
      id: `${CLUSTER_PROVIDER_NAME}:refresh`,
      fn: () => this.refresh(),
    });
  }

  /** Reads the inventory once and applies what changed to the catalog. */
  async refresh(): Promise<void> {
    const { connection } = this;
    const { logger } = this.options;
    if (!connection) {
      throw new Error(
        `${CLUSTER_PROVIDER_NAME} is not connected to the catalog`,
      );
    }
    let response: ClustersResponse;
    try {
      response = await this.options.client.getClusters();
    } catch (error) {
      logger.warn(
        `Could not read the ECS clusters from the datadog-ecs backend; the catalog keeps its cluster resources: ${stringifyError(
          error,
        )}`,
      );
      return;
    }

    const current = this.entitiesOf(response);
    const failed = new Set(
      response.locations
        .filter(l => l.error)
        .map(l => `${l.accountId}/${l.region}`),
    );
    // Complete: a snapshot exists and every location read. Only then may a full mutation replace
    // the catalog's cluster resources (removing what an earlier process emitted and AWS dropped).
    const complete = Boolean(response.snapshotTakenAt) && failed.size === 0;

    if (!this.fullDone && complete) {
      await connection.applyMutation({
        type: 'full',
        entities: [...current.values()].map(e => e.deferred),
      });
      this.fullDone = true;
      this.emitted = current;
      logger.info(
        `${CLUSTER_PROVIDER_NAME}: ${current.size} ECS cluster resource(s) (full)`,
      );
      return;
    }

    const previous = this.emitted ?? new Map<string, Emitted>();
    const added = [...current.entries()]
      .filter(([ref, e]) => previous.get(ref)?.json !== e.json)
      .map(([, e]) => e.deferred);
    const next = new Map(current);
    const removed: DeferredEntity[] = [];
    for (const [ref, e] of previous) {
      if (current.has(ref)) continue;
      if (failed.has(e.location) || !response.snapshotTakenAt) {
        next.set(ref, e); // a failed read is not a removal
      } else {
        removed.push(e.deferred);
      }
    }
    this.emitted = next;
    if (added.length === 0 && removed.length === 0) return;
    await connection.applyMutation({ type: 'delta', added, removed });
    logger.info(
      `${CLUSTER_PROVIDER_NAME}: ${added.length} ECS cluster resource(s) added or changed, ${removed.length} removed`,
    );
  }

  private entitiesOf(response: ClustersResponse): Map<string, Emitted> {
    const entities = new Map<string, Emitted>();
    for (const cluster of response.clusters) {
      if (!clusterExists(cluster)) continue;
      const entity = clusterToEntity(cluster, {
        defaultOwner: this.defaultOwner,
      });
      const location = `${cluster.accountId}/${cluster.region}`;
      entities.set(stringifyEntityRef(entity), {
        deferred: {
          entity,
          locationKey: `${CLUSTER_PROVIDER_NAME}:${location}`,
        },
        location,
        json: JSON.stringify(entity),
      });
    }
    return entities;
  }
}
