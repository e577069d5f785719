import {
  ClusterRef,
  createRedactor,
  Redactor,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Knex } from 'knex';
import {
  clusterKey,
  fromRow,
  NewRolloutRecord,
  RolloutPatch,
  RolloutRecord,
  toInsertRow,
  toRow,
} from './rolloutRows';

export type {
  NewRolloutRecord,
  RolloutPatch,
  RolloutRecord,
  RolloutStep,
} from './rolloutRows';
export { toRollout, toSummary } from './rolloutViews';

const ROLLOUTS = 'datadog_ecs_rollouts';
const ACTIVE = 'datadog_ecs_active_rollouts';

/** Thrown by {@link RolloutStore.insert} when the cluster already has an active rollout. */
export class ActiveRolloutExistsError extends Error {
  constructor(
    readonly active:
      | { rolloutId: string; createdBy: string; createdAt: string }
      | undefined,
  ) {
    super('The cluster already has an active rollout');
    this.name = 'ActiveRolloutExistsError';
  }
}

/** Thrown by {@link RolloutStore.insert} when the client token was used on the cluster already. */
export class ClientTokenUsedError extends Error {
  constructor() {
    super('The client token was used on this cluster already');
    this.name = 'ClientTokenUsedError';
  }
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT')) ||
    /unique constraint|duplicate key/i.test(e?.message ?? '')
  );
}

/**
 * Rollouts in the plugin's database. One active rollout per cluster is enforced by the primary key of
 * `datadog_ecs_active_rollouts` (so across replicas); the replica following a rollout holds a lease.
 */
export class RolloutStore {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => Date = () => new Date(),
    private readonly redactor: Redactor = createRedactor(),
  ) {}

  /**
   * Records a new rollout and claims its cluster, atomically, with a lease for `leaseOwner`.
   * Throws {@link ActiveRolloutExistsError} or {@link ClientTokenUsedError}.
   */
  async insert(
    record: NewRolloutRecord,
    lease: { owner: string; ttlMs: number },
  ): Promise<void> {
    const { cluster } = record;
    const key = clusterKey(cluster);
    const leaseExpiresAt = new Date(
      this.now().getTime() + lease.ttlMs,
    ).toISOString();
    try {
      await this.knex.transaction(async tx => {
        await tx(ACTIVE).insert({
          ...key,
          rollout_id: record.id,
          created_by: record.createdBy,
          created_at: record.createdAt,
        });
        await tx(ROLLOUTS).insert(
          toInsertRow(
            record,
            { owner: lease.owner, expiresAt: leaseExpiresAt },
            this.redactor,
          ),
        );
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (
        record.clientToken &&
        (await this.findByClientToken(cluster, record.clientToken))
      ) {
        throw new ClientTokenUsedError();
      }
      const active = await this.getActive(cluster);
      if (!active && record.clientToken) throw new ClientTokenUsedError();
      throw new ActiveRolloutExistsError(active);
    }
  }

  async get(id: string): Promise<RolloutRecord | undefined> {
    const row = await this.knex(ROLLOUTS).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async findByClientToken(
    cluster: ClusterRef,
    clientToken: string,
  ): Promise<RolloutRecord | undefined> {
    const row = await this.knex(ROLLOUTS)
      .where({ ...clusterKey(cluster), client_token: clientToken })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async getActive(
    cluster: ClusterRef,
  ): Promise<
    { rolloutId: string; createdBy: string; createdAt: string } | undefined
  > {
    const row = await this.knex(ACTIVE).where(clusterKey(cluster)).first();
    return row
      ? {
          rolloutId: row.rollout_id,
          createdBy: row.created_by,
          createdAt: row.created_at,
        }
      : undefined;
  }

  /** A cluster's rollouts, newest first. */
  async list(cluster: ClusterRef, limit = 100): Promise<RolloutRecord[]> {
    const rows = await this.knex(ROLLOUTS)
      .where(clusterKey(cluster))
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(fromRow);
  }

  /** The latest rollout of a cluster that changed its revision and finished, for "can roll back" checks. */
  async latestFinished(
    cluster: ClusterRef,
  ): Promise<RolloutRecord | undefined> {
    const row = await this.knex(ROLLOUTS)
      .where(clusterKey(cluster))
      .whereIn('status', ['completed', 'failed'])
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row ? fromRow(row) : undefined;
  }

  /**
   * Updates a rollout. With `owner`, only while that replica holds the lease (and renews it by
   * `ttlMs`); returns false when the lease is lost.
   */
  async update(
    id: string,
    patch: RolloutPatch,
    lease?: { owner: string; ttlMs: number },
  ): Promise<boolean> {
    const now = this.now();
    const row = {
      ...toRow(patch, this.redactor),
      updated_at: now.toISOString(),
    } as Record<string, unknown>;
    let query = this.knex(ROLLOUTS).where({ id });
    if (lease) {
      row.lease_expires_at = new Date(
        now.getTime() + lease.ttlMs,
      ).toISOString();
      query = query.andWhere({ lease_owner: lease.owner });
    }
    return (await query.update(row)) === 1;
  }

  /** Marks a rollout finished and frees its cluster, in one transaction. */
  async finish(
    id: string,
    patch: RolloutPatch & { status: 'completed' | 'failed' },
    leaseOwner?: string,
  ): Promise<boolean> {
    const now = this.now().toISOString();
    return this.knex.transaction(async tx => {
      let query = tx(ROLLOUTS)
        .where({ id })
        .whereIn('status', ['pending', 'in-progress']);
      if (leaseOwner) query = query.andWhere({ lease_owner: leaseOwner });
      const updated = await query.update({
        ...toRow(
          { ...patch, finishedAt: patch.finishedAt ?? now },
          this.redactor,
        ),
        updated_at: now,
        lease_owner: null,
        lease_expires_at: null,
      });
      await tx(ACTIVE).where({ rollout_id: id }).delete();
      return updated === 1;
    });
  }

  /** Rollouts not finished yet (pending or in progress), oldest first. */
  async listUnfinished(): Promise<RolloutRecord[]> {
    const rows = await this.knex(ROLLOUTS)
      .whereIn('status', ['pending', 'in-progress'])
      .orderBy('created_at', 'asc');
    return rows.map(fromRow);
  }

  /** Takes the lease of an unfinished rollout whose lease is free or expired. */
  async claimLease(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const updated = await this.knex(ROLLOUTS)
      .where({ id })
      .whereIn('status', ['pending', 'in-progress'])
      .andWhere(q =>
        q
          .whereNull('lease_owner')
          .orWhereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<', now.toISOString())
          .orWhere('lease_owner', owner),
      )
      .update({
        lease_owner: owner,
        lease_expires_at: new Date(now.getTime() + ttlMs).toISOString(),
      });
    return updated === 1;
  }

  /** Gives a lease up (on shutdown), so another replica takes the rollout over at once. */
  async releaseLease(id: string, owner: string): Promise<void> {
    await this.knex(ROLLOUTS)
      .where({ id, lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }
}
