import {
  ClusterRef,
  createRedactor,
  Redactor,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Knex } from 'knex';
import {
  clusterKey,
  fromRow,
  LeaseToken,
  NewRolloutRecord,
  NullablePatch,
  RolloutPatch,
  RolloutRecord,
  toInsertRow,
  toRow,
} from './rolloutRows';

export type {
  LeaseToken,
  NewRolloutRecord,
  NullablePatch,
  PendingWrite,
  RolloutPatch,
  RolloutRecord,
  RolloutStep,
} from './rolloutRows';
export { toRollout, toSummary } from './rolloutViews';

const ROLLOUTS = 'datadog_ecs_rollouts';
const ACTIVE = 'datadog_ecs_active_rollouts';
const UNFINISHED = ['pending', 'in-progress'];

/** The statuses a rollout ends in. */
export type FinishedStatus = 'completed' | 'failed' | 'cancelled';

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
 * `datadog_ecs_active_rollouts` (so across replicas). The replica executing a rollout holds its lease
 * (`lease_owner`, `lease_expires_at`) under a fencing token (`lease_epoch`, incremented by every
 * claim): every write of an executor is conditional on owner and epoch, so one that lost the lease
 * changes neither the record nor the lock.
 */
export class RolloutStore {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => Date = () => new Date(),
    private readonly redactor: Redactor = createRedactor(),
  ) {}

  private expiry(ttlMs: number): string {
    return new Date(this.now().getTime() + ttlMs).toISOString();
  }

  /** The rows a token's holder may write: its rollout, unfinished, under that claim of the lease. */
  private held(query: Knex.QueryBuilder, token: LeaseToken) {
    return query
      .whereIn('status', UNFINISHED)
      .andWhere({ lease_owner: token.owner, lease_epoch: token.epoch });
  }

  /**
   * Records a new rollout and claims its cluster, atomically, with the first lease (epoch 1) for
   * `lease.owner`, whose token it returns. Throws {@link ActiveRolloutExistsError} or
   * {@link ClientTokenUsedError}.
   */
  async insert(
    record: NewRolloutRecord,
    lease: { owner: string; ttlMs: number },
  ): Promise<LeaseToken> {
    const { cluster } = record;
    const key = clusterKey(cluster);
    const token = { owner: lease.owner, epoch: 1, ttlMs: lease.ttlMs };
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
            { ...token, expiresAt: this.expiry(lease.ttlMs) },
            this.redactor,
          ),
        );
      });
      return token;
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

  /**
   * The cluster's latest finished rollout or rollback that changed it (ECS accepted its
   * CreateService / UpdateService and did not roll it back), for the rollback rules.
   */
  async latestChange(cluster: ClusterRef): Promise<RolloutRecord | undefined> {
    const row = await this.knex(ROLLOUTS)
      .where(clusterKey(cluster))
      .whereNotIn('status', UNFINISHED)
      .andWhere({ changed_cluster: true })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row ? fromRow(row) : undefined;
  }

  /**
   * Updates a rollout under the lease `token` (and renews it); false, and nothing written, once that
   * claim of the lease is gone (another replica took it, the rollout finished or was cancelled).
   * `markRolledBack`: in the same transaction, records this rollback on the rollout it undoes
   * (`rolledBackBy`), when ECS accepted it.
   */
  async update(
    id: string,
    patch: NullablePatch,
    token: LeaseToken,
    options: { markRolledBack?: string } = {},
  ): Promise<boolean> {
    const now = this.now().toISOString();
    const row = {
      ...toRow(patch, this.redactor),
      updated_at: now,
      lease_expires_at: this.expiry(token.ttlMs),
    };
    return this.knex.transaction(async tx => {
      const updated = await this.held(tx(ROLLOUTS).where({ id }), token).update(
        row,
      );
      if (updated !== 1) return false;
      if (options.markRolledBack) {
        await tx(ROLLOUTS)
          .where({ id: options.markRolledBack })
          .update({ rolled_back_by: id });
      }
      return true;
    });
  }

  /** Renews the lease `token` holds; false once that claim is gone. */
  async renewLease(id: string, token: LeaseToken): Promise<boolean> {
    const updated = await this.held(
      this.knex(ROLLOUTS).where({ id }),
      token,
    ).update({ lease_expires_at: this.expiry(token.ttlMs) });
    return updated === 1;
  }

  /**
   * Marks a rollout finished and frees its cluster, in one transaction, only under the lease `token`:
   * false, with neither the record nor the lock touched, once that claim is gone. A rollback that did
   * not complete leaves the rollout it undid rollback-able again.
   */
  async finish(
    id: string,
    patch: NullablePatch & { status: FinishedStatus },
    token: LeaseToken,
  ): Promise<boolean> {
    return this.end(id, patch, tx =>
      this.held(tx(ROLLOUTS).where({ id }), token),
    );
  }

  /**
   * Cancels an unfinished rollout (whoever holds its lease: the claim ends, so its holder stops at its
   * next write) and frees its cluster, in one transaction. The record as cancelled, or undefined when
   * it had finished already.
   */
  async cancel(
    id: string,
    patch: RolloutPatch & { cancelledBy: string },
  ): Promise<RolloutRecord | undefined> {
    const ended = await this.end(id, { ...patch, status: 'cancelled' }, tx =>
      tx(ROLLOUTS).where({ id }).whereIn('status', UNFINISHED),
    );
    return ended ? this.get(id) : undefined;
  }

  private async end(
    id: string,
    patch: NullablePatch & { status: FinishedStatus },
    rows: (tx: Knex.Transaction) => Knex.QueryBuilder,
  ): Promise<boolean> {
    const now = this.now().toISOString();
    return this.knex.transaction(async tx => {
      const updated = await rows(tx).update({
        ...toRow(
          { ...patch, finishedAt: patch.finishedAt ?? now },
          this.redactor,
        ),
        updated_at: now,
        lease_owner: null,
        lease_expires_at: null,
        lease_epoch: tx.raw('lease_epoch + 1'),
        pending_write: null,
      });
      // Nothing matched: the lock belongs to whoever holds the rollout now (or to nobody).
      if (updated !== 1) return false;
      await tx(ACTIVE).where({ rollout_id: id }).delete();
      if (patch.status !== 'completed') {
        await tx(ROLLOUTS)
          .where({ rolled_back_by: id })
          .update({ rolled_back_by: null });
      }
      return true;
    });
  }

  /** Rollouts not finished yet (pending or in progress), oldest first. */
  async listUnfinished(): Promise<RolloutRecord[]> {
    const rows = await this.knex(ROLLOUTS)
      .whereIn('status', UNFINISHED)
      .orderBy('created_at', 'asc');
    return rows.map(fromRow);
  }

  /**
   * Takes the lease of an unfinished rollout whose lease is free or expired — not one that is held,
   * by another replica or by `owner` itself — as a new claim (the epoch incremented, compared and
   * set, so of two replicas claiming at once one wins). The new token, or undefined.
   */
  async claimLease(
    id: string,
    owner: string,
    ttlMs: number,
  ): Promise<LeaseToken | undefined> {
    const row = await this.knex(ROLLOUTS)
      .where({ id })
      .whereIn('status', UNFINISHED)
      .first('lease_owner', 'lease_expires_at', 'lease_epoch');
    if (!row) return undefined;
    const now = this.now().toISOString();
    const free =
      !row.lease_owner || !row.lease_expires_at || row.lease_expires_at < now;
    if (!free) return undefined;
    const epoch = Number(row.lease_epoch ?? 0);
    const updated = await this.knex(ROLLOUTS)
      .where({ id, lease_epoch: epoch })
      .whereIn('status', UNFINISHED)
      .update({
        lease_owner: owner,
        lease_expires_at: this.expiry(ttlMs),
        lease_epoch: epoch + 1,
      });
    return updated === 1 ? { owner, epoch: epoch + 1, ttlMs } : undefined;
  }

  /** Gives a lease up (on shutdown), so another replica takes the rollout over at once. */
  async releaseLease(id: string, token: LeaseToken): Promise<void> {
    await this.knex(ROLLOUTS)
      .where({ id, lease_owner: token.owner, lease_epoch: token.epoch })
      .update({ lease_owner: null, lease_expires_at: null });
  }
}
