import { Knex } from 'knex';
import { ClusterWithServices, SnapshotStore } from './inventory/SnapshotStore';
import { SharedRead } from './util/concurrency';

/** Kept by the database (migration `20261231000100_snapshot_versions`); read here, never written. */
const VERSIONS = 'datadog_ecs_snapshot_versions';

/**
 * The stored snapshot's version, for what the API caches: per location, a number the database adds
 * 1 to with every write of that location's clusters or location row, and one for the refresh
 * status, whichever replica writes (triggers of the migration `20261231000100_snapshot_versions`,
 * which the tests hold to every write of SnapshotStore). Versions never go back, so a
 * value built from the snapshot when the version was V is the snapshot at V or later; it is used
 * again only while the version is still V. One small query at most per request, whatever the
 * snapshot's size, and fewer under load: one query reads every location's version, and the
 * requests that come in together, or while it is under way, share the next one (see
 * {@link SharedRead}), which starts after they all asked, so what each gets is as fresh as its own
 * query. Everything else is read through
 * {@link SnapshotStore}.
 */
export class SnapshotReads {
  private withServices?: {
    version: string;
    clusters: Promise<ClusterWithServices[]>;
  };
  private readonly versions = new SharedRead(() => this.readVersions());

  constructor(
    private readonly knex: Knex,
    private readonly store: SnapshotStore,
  ) {}

  /** The whole snapshot's version (every location's and the refresh status's), to key caches with. */
  async version(): Promise<string> {
    const versions = await this.versions.get();
    return [...versions].map(([key, v]) => `${key}:${v}`).join(',');
  }

  /** The version of one location's part of the snapshot (0 before its first write). */
  async locationVersion(ref: {
    accountId: string;
    region: string;
  }): Promise<string> {
    const key = `${ref.accountId}/${ref.region}`;
    return `${key}:${(await this.versions.get()).get(key) ?? 0}`;
  }

  /** Every row of the versions table (a few: one per location, one for the refresh status), in order. */
  private async readVersions(): Promise<Map<string, string>> {
    const rows: Array<{
      account_id: string;
      region: string;
      version: number | string;
    }> = await this.knex(VERSIONS)
      .select('account_id', 'region', 'version')
      .orderBy(['account_id', 'region']);
    return new Map(
      rows.map(r => [`${r.account_id}/${r.region}`, String(r.version)]),
    );
  }

  /**
   * `SnapshotStore.listClustersWithServices` at `version` (from {@link SnapshotReads.version}),
   * read and parsed once per version. Shared between requests: never modify it.
   */
  clustersWithServices(version: string): Promise<ClusterWithServices[]> {
    const known = this.withServices;
    if (known?.version === version) return known.clusters;
    const entry = { version, clusters: this.store.listClustersWithServices() };
    this.withServices = entry;
    entry.clusters.catch(() => {
      if (this.withServices === entry) this.withServices = undefined;
    });
    return entry.clusters;
  }
}
