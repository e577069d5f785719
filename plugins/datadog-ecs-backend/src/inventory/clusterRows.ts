import { createHash } from 'node:crypto';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  ClusterDetails,
  ClusterSummary,
  Redactor,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { chunk } from '../util/concurrency';
import { StoredServiceView } from './coverage';

/** One cluster as the refresh writes it. */
export interface StoredCluster {
  details: Omit<ClusterDetails, 'history'>;
  services: StoredServiceView[];
}

/** A `datadog_ecs_clusters` row. */
export interface ClusterRow {
  account_id: string;
  region: string;
  cluster_name: string;
  cluster_arn: string;
  state: string;
  /** JSON, without `refreshedAt` (merged in on read). */
  summary: string;
  /** JSON, without `refreshedAt` (merged in on read). */
  details: string;
  services: string;
  refreshed_at: string;
  /** SHA-256 of `details` and `services`: whether a write changes the row. */
  content_hash: string;
}

/**
 * A cluster ready to be stored: redacted and serialized, its details deflated (a refresh keeps
 * the rows of a location until its write: a tenth of the memory), and the coverage point its write
 * records (none when its pass failed). What the refresh keeps of a cluster once its view is built.
 */
export interface PreparedCluster {
  readonly row: Omit<ClusterRow, 'details'>;
  /** `details`, deflated. */
  readonly details: Buffer;
  readonly point?: { instances: number; covered: number };
}

export function isPreparedCluster(
  cluster: StoredCluster | PreparedCluster,
): cluster is PreparedCluster {
  return 'row' in cluster;
}

/** The row to write. */
export function rowOf(prepared: PreparedCluster): ClusterRow {
  return {
    ...prepared.row,
    details: inflateRawSync(prepared.details).toString('utf8'),
  };
}

/** The card of a cluster: its details without the per-instance parts. */
function summaryOf(
  details: Omit<ClusterDetails, 'history' | 'refreshedAt'>,
): Omit<ClusterSummary, 'refreshedAt'> {
  const {
    instances: _instances,
    featureResults: _featureResults,
    findings: _findings,
    events: _events,
    taskDefinitions: _taskDefinitions,
    ...summary
  } = details;
  return summary;
}

/**
 * The row of a cluster: redacted (nothing secret is stored), its JSON without the refresh time (so
 * that an unchanged cluster hashes the same at every refresh), and the hash of that JSON.
 */
export function prepareCluster(
  stored: StoredCluster,
  redactor: Redactor,
): PreparedCluster {
  const cluster = redactor.value(stored);
  const { refreshedAt, ...details } = cluster.details;
  const detailsJson = JSON.stringify(details);
  const services = JSON.stringify(cluster.services);
  const contentHash = createHash('sha256')
    .update(detailsJson)
    .update('\n')
    .update(services)
    .digest('hex');
  return {
    row: {
      account_id: details.accountId,
      region: details.region,
      cluster_name: details.clusterName,
      cluster_arn: details.clusterArn,
      state: details.state,
      summary: JSON.stringify(summaryOf(details)),
      services,
      refreshed_at: refreshedAt,
      content_hash: contentHash,
    },
    details: deflateRawSync(detailsJson, { level: constants.Z_BEST_SPEED }),
    ...(details.error
      ? {}
      : {
          point: {
            instances: details.counts.instances,
            covered: details.counts.covered,
          },
        }),
  };
}

/** `{ clusterName: refreshedAt }` of each location's last write, by `account/region`. */
export type RefreshTimes = Map<string, Record<string, string>>;

/**
 * The refresh times the locations' last writes recorded (`cluster_refreshed_at`), of every location
 * or one. A reader of cluster rows reads them first: a row written since is at least as recent as
 * its entry, so a cluster is never shown refreshed later than its content.
 */
export async function readRefreshTimes(
  knex: Knex,
  location?: { account_id: string; region: string },
): Promise<RefreshTimes> {
  const rows = await knex('datadog_ecs_locations')
    .where(location ?? {})
    .select('account_id', 'region', 'cluster_refreshed_at');
  return new Map(
    rows.map(r => [
      `${r.account_id}/${r.region}`,
      r.cluster_refreshed_at ? JSON.parse(r.cluster_refreshed_at) : {},
    ]),
  );
}

/**
 * A stored cluster's `refreshedAt` (which its JSON does not hold): the later of its row's
 * `refreshed_at` (its content last written, also by the refresh of that cluster alone) and the
 * entry of its location's last write.
 */
export function refreshedAtOf(
  times: RefreshTimes,
  row: Pick<
    ClusterRow,
    'account_id' | 'region' | 'cluster_name' | 'refreshed_at'
  >,
): string {
  const listed = times.get(`${row.account_id}/${row.region}`)?.[
    row.cluster_name
  ];
  return listed !== undefined && listed > row.refreshed_at
    ? listed
    : row.refreshed_at;
}

/** A stored JSON document (summary or details) with its cluster's `refreshedAt` merged in. */
export function withRefreshedAt<T extends object>(
  json: string,
  refreshedAt: string,
): T & { refreshedAt: string } {
  const value = JSON.parse(json);
  value.refreshedAt = refreshedAt;
  return value;
}

const CLUSTERS = 'datadog_ecs_clusters';
const HISTORY = 'datadog_ecs_coverage_history';

/**
 * Replaces a location's cluster rows with `clusters` inside the location's write: inserts the new
 * ones, updates those whose content hash differs, deletes those no longer there, leaves the others
 * alone; and adds the coverage point of every cluster whose pass succeeded (what records the
 * refresh, with the location's row).
 */
export async function writeClusterRows(
  tx: Knex.Transaction,
  key: { account_id: string; region: string },
  clusters: readonly PreparedCluster[],
): Promise<void> {
  const names = new Set<string>();
  for (const { row } of clusters) {
    if (names.has(row.cluster_name)) {
      throw new ConflictError(
        `Duplicate cluster "${row.cluster_name}" in one write of ${key.account_id}/${key.region}`,
      );
    }
    names.add(row.cluster_name);
  }
  const stored = new Map<string, string | null>(
    (await tx(CLUSTERS).where(key).select('cluster_name', 'content_hash')).map(
      r => [r.cluster_name, r.content_hash],
    ),
  );
  for (const cluster of clusters) {
    const { row } = cluster;
    if (!stored.has(row.cluster_name))
      await tx(CLUSTERS).insert(rowOf(cluster));
    else if (stored.get(row.cluster_name) !== row.content_hash) {
      await tx(CLUSTERS)
        .where({ ...key, cluster_name: row.cluster_name })
        .update(rowOf(cluster));
    }
  }
  const gone = [...stored.keys()].filter(name => !names.has(name));
  for (const some of chunk(gone, 500)) {
    await tx(CLUSTERS).where(key).whereIn('cluster_name', some).delete();
  }
  const points = clusters.flatMap(({ row, point }) =>
    point
      ? [
          {
            ...key,
            cluster_name: row.cluster_name,
            at: row.refreshed_at,
            ...point,
          },
        ]
      : [],
  );
  if (points.length) await tx.batchInsert(HISTORY, points, 200);
}

/**
 * Replaces one cluster's row (the refresh of a single cluster): its content when it changed, else
 * its refresh time only; and its coverage point when its pass succeeded.
 */
export async function writeClusterRow(
  tx: Knex.Transaction,
  cluster: PreparedCluster,
): Promise<void> {
  const { row, point } = cluster;
  const where = {
    account_id: row.account_id,
    region: row.region,
    cluster_name: row.cluster_name,
  };
  const stored = await tx(CLUSTERS).where(where).first('content_hash');
  if (!stored) await tx(CLUSTERS).insert(rowOf(cluster));
  else if (stored.content_hash !== row.content_hash) {
    await tx(CLUSTERS).where(where).update(rowOf(cluster));
  } else {
    await tx(CLUSTERS).where(where).update({ refreshed_at: row.refreshed_at });
  }
  if (point) {
    await tx(HISTORY).insert({ ...where, at: row.refreshed_at, ...point });
  }
}
