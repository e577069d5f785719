import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ClusterDetails,
  ClusterRef,
  ClusterSummary,
  CoveragePoint,
  createRedactor,
  EcsTaskDefinition,
  InventoryError,
  LocationStatus,
  Redactor,
  RefreshStatus,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Knex } from 'knex';
import {
  isPreparedCluster,
  PreparedCluster,
  prepareCluster,
  readRefreshTimes,
  refreshedAtOf,
  StoredCluster,
  withRefreshedAt,
  writeClusterRow,
  writeClusterRows,
} from './clusterRows';
import { StoredServiceView } from './coverage';

export type { PreparedCluster, StoredCluster } from './clusterRows';

const migrationsDir = resolvePackagePath(
  '@ecs-agent-coverage/backstage-plugin-datadog-ecs-backend',
  'migrations',
);

/**
 * The latest ACTIVE revision of the rollout's task-definition family in one location, as the
 * inventory read it: what a rollout preview compares with, without calling ECS.
 */
export interface AgentFamilySnapshot {
  family: string;
  readAt: string;
  /** Absent when the family has no ACTIVE revision (or it could not be read: see `error`). */
  latestTaskDefinitionArn?: string;
  /** Redacted, like everything stored. */
  latestTaskDefinition?: EcsTaskDefinition;
  error?: InventoryError;
}

/**
 * One location's result as the refresh writes it: replaces everything stored for it, writing only
 * the cluster rows whose content changed.
 */
export interface LocationWrite {
  accountId: string;
  region: string;
  name?: string;
  refreshedAt: string;
  error?: InventoryError;
  /**
   * Omitted when the location failed as a whole: its previous clusters are kept. Views, or rows
   * {@link SnapshotStore.prepareCluster} made of them as they were built.
   */
  clusters?: ReadonlyArray<StoredCluster | PreparedCluster>;
  /** Omitted when not read this time: the previous one is kept. */
  agentFamily?: AgentFamilySnapshot;
}

/** A stored cluster with the services of its applications, for entity lookups. */
export interface ClusterWithServices {
  summary: ClusterSummary;
  services: StoredServiceView[];
}

/**
 * The inventory snapshot in the plugin's database (SQLite or PostgreSQL): written by the refresh,
 * read by the API. A location's write replaces its clusters atomically, and rewrites a cluster's
 * row only when its content (redacted, without the refresh time) changed: the refresh times of a
 * location's clusters are recorded on the location's row and merged into the clusters as read.
 */
export class SnapshotStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    /** Applied to everything written; the name rules only, by default. */
    redactor?: Redactor;
  }): Promise<SnapshotStore> {
    const knex = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new SnapshotStore(knex, options.redactor);
  }

  constructor(
    private readonly knex: Knex,
    private readonly redactor: Redactor = createRedactor(),
  ) {}

  /** A cluster's row, redacted and hashed: what the refresh keeps once a view is built. */
  prepareCluster(cluster: StoredCluster): PreparedCluster {
    return prepareCluster(cluster, this.redactor);
  }

  private prepared(cluster: StoredCluster | PreparedCluster): PreparedCluster {
    return isPreparedCluster(cluster) ? cluster : this.prepareCluster(cluster);
  }

  async writeLocation(write: LocationWrite): Promise<void> {
    const clusters = write.clusters?.map(c => this.prepared(c));
    await this.knex.transaction(async tx => {
      const key = { account_id: write.accountId, region: write.region };
      // The location's row first: on PostgreSQL its lock orders concurrent writes of a location
      // (two replicas), so that each compares its clusters with what the other committed.
      const row = {
        ...key,
        name: write.name ?? null,
        error: write.error
          ? JSON.stringify(this.redactor.value(write.error))
          : null,
        refreshed_at: write.refreshedAt,
        ...(clusters
          ? {
              cluster_count: clusters.length,
              cluster_refreshed_at: JSON.stringify(
                Object.fromEntries(
                  clusters.map(c => [c.row.cluster_name, c.row.refreshed_at]),
                ),
              ),
            }
          : {}),
        ...(write.agentFamily
          ? {
              agent_family: JSON.stringify(
                this.redactor.value(write.agentFamily),
              ),
            }
          : {}),
      };
      await tx('datadog_ecs_locations')
        .insert(row)
        .onConflict(['account_id', 'region'])
        .merge();

      if (clusters) await writeClusterRows(tx, key, clusters);
    });
  }

  /**
   * Replaces one cluster (after a rollout), leaving the rest of its location alone: its content
   * when it changed, else only its refresh time.
   */
  async writeCluster(cluster: StoredCluster): Promise<void> {
    await this.knex.transaction(tx =>
      writeClusterRow(tx, this.prepareCluster(cluster)),
    );
  }

  /** Replaces one location's {@link AgentFamilySnapshot} (after a rollout registered a revision). */
  async writeAgentFamily(
    location: { accountId: string; region: string },
    agentFamily: AgentFamilySnapshot,
  ): Promise<void> {
    await this.knex('datadog_ecs_locations')
      .where({ account_id: location.accountId, region: location.region })
      .update({
        agent_family: JSON.stringify(this.redactor.value(agentFamily)),
      });
  }

  async getAgentFamily(location: {
    accountId: string;
    region: string;
  }): Promise<AgentFamilySnapshot | undefined> {
    const row = await this.knex('datadog_ecs_locations')
      .where({ account_id: location.accountId, region: location.region })
      .first('agent_family');
    return row?.agent_family ? JSON.parse(row.agent_family) : undefined;
  }

  /** Forgets locations no longer configured. */
  async retainLocations(
    keep: Array<{ accountId: string; region: string }>,
  ): Promise<void> {
    const keys = new Set(keep.map(l => `${l.accountId}/${l.region}`));
    const rows = await this.knex('datadog_ecs_locations').select(
      'account_id',
      'region',
    );
    for (const row of rows) {
      if (!keys.has(`${row.account_id}/${row.region}`)) {
        const key = { account_id: row.account_id, region: row.region };
        await this.knex.transaction(async tx => {
          await tx('datadog_ecs_clusters').where(key).delete();
          await tx('datadog_ecs_locations').where(key).delete();
        });
      }
    }
  }

  async listClusters(): Promise<ClusterSummary[]> {
    const times = await readRefreshTimes(this.knex);
    const rows = await this.knex('datadog_ecs_clusters')
      .select('account_id', 'region', 'cluster_name', 'refreshed_at', 'summary')
      .orderBy(['account_id', 'region', 'cluster_name']);
    return rows.map(r =>
      withRefreshedAt<ClusterSummary>(r.summary, refreshedAtOf(times, r)),
    );
  }

  async listClustersWithServices(): Promise<ClusterWithServices[]> {
    const times = await readRefreshTimes(this.knex);
    const rows = await this.knex('datadog_ecs_clusters').select(
      'account_id',
      'region',
      'cluster_name',
      'refreshed_at',
      'summary',
      'services',
    );
    return rows.map(r => ({
      summary: withRefreshedAt<ClusterSummary>(
        r.summary,
        refreshedAtOf(times, r),
      ),
      services: JSON.parse(r.services),
    }));
  }

  async getCluster(
    ref: ClusterRef,
  ): Promise<Omit<ClusterDetails, 'history'> | undefined> {
    const key = { account_id: ref.accountId, region: ref.region };
    const times = await readRefreshTimes(this.knex, key);
    const row = await this.knex('datadog_ecs_clusters')
      .where({ ...key, cluster_name: ref.clusterName })
      .first('details', 'refreshed_at');
    if (!row) return undefined;
    return withRefreshedAt<Omit<ClusterDetails, 'history'>>(
      row.details,
      refreshedAtOf(times, { ...key, cluster_name: ref.clusterName, ...row }),
    );
  }

  async getClusterServices(ref: ClusterRef): Promise<StoredServiceView[]> {
    const row = await this.knex('datadog_ecs_clusters')
      .where({
        account_id: ref.accountId,
        region: ref.region,
        cluster_name: ref.clusterName,
      })
      .first('services');
    return row ? JSON.parse(row.services) : [];
  }

  async getHistory(ref: ClusterRef, limit = 500): Promise<CoveragePoint[]> {
    const rows = await this.knex('datadog_ecs_coverage_history')
      .where({
        account_id: ref.accountId,
        region: ref.region,
        cluster_name: ref.clusterName,
      })
      .orderBy('at', 'desc')
      .limit(limit)
      .select('at', 'instances', 'covered');
    return rows.reverse().map(r => ({
      at: r.at,
      instances: r.instances,
      covered: r.covered,
      coveragePercent:
        r.instances === 0 ? null : Math.floor((r.covered * 100) / r.instances),
    }));
  }

  async pruneHistory(olderThan: Date): Promise<number> {
    return this.knex('datadog_ecs_coverage_history')
      .where('at', '<', olderThan.toISOString())
      .delete();
  }

  async listLocations(): Promise<LocationStatus[]> {
    const rows = await this.knex('datadog_ecs_locations').orderBy([
      'account_id',
      'region',
    ]);
    return rows.map(r => ({
      accountId: r.account_id,
      region: r.region,
      name: r.name ?? undefined,
      clusterCount: r.cluster_count,
      refreshedAt: r.refreshed_at ?? undefined,
      error: r.error ? JSON.parse(r.error) : undefined,
    }));
  }

  async getRefreshStatus(): Promise<RefreshStatus & { requestedAt?: string }> {
    const row = await this.knex('datadog_ecs_refresh').where({ id: 1 }).first();
    return {
      running: Boolean(row?.running),
      startedAt: row?.started_at ?? undefined,
      finishedAt: row?.finished_at ?? undefined,
      requestedAt: row?.requested_at ?? undefined,
      progress:
        row?.progress_total !== null && row?.progress_total !== undefined
          ? { done: row.progress_done ?? 0, total: row.progress_total }
          : undefined,
    };
  }

  async updateRefreshStatus(update: {
    running?: boolean;
    startedAt?: string;
    finishedAt?: string;
    requestedAt?: string;
    progress?: { done: number; total: number };
  }): Promise<void> {
    const row: Record<string, unknown> = {};
    if (update.running !== undefined) row.running = update.running;
    if (update.startedAt !== undefined) row.started_at = update.startedAt;
    if (update.finishedAt !== undefined) row.finished_at = update.finishedAt;
    if (update.requestedAt !== undefined) row.requested_at = update.requestedAt;
    if (update.progress) {
      row.progress_done = update.progress.done;
      row.progress_total = update.progress.total;
    }
    await this.knex('datadog_ecs_refresh').where({ id: 1 }).update(row);
  }

  /**
   * Claims the right to request a refresh: succeeds when the last request is older than
   * `minIntervalMs`, in one conditional UPDATE so concurrent replicas cannot both win.
   */
  async claimRefreshRequest(
    now: Date,
    minIntervalMs: number,
  ): Promise<boolean> {
    const threshold = new Date(now.getTime() - minIntervalMs).toISOString();
    const updated = await this.knex('datadog_ecs_refresh')
      .where({ id: 1 })
      .andWhere(q =>
        q.whereNull('requested_at').orWhere('requested_at', '<=', threshold),
      )
      .update({ requested_at: now.toISOString() });
    return updated === 1;
  }
}
