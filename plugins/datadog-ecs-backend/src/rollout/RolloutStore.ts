import {
  ClusterRef,
  createRedactor,
  Redactor,
  Rollout,
  RolloutDeployment,
  RolloutEvent,
  RolloutFailureKind,
  RolloutInstanceProgress,
  RolloutKind,
  RolloutOptions,
  RolloutStatus,
  RolloutSummary,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Knex } from 'knex';
import { revisionOf } from './plan';

const ROLLOUTS = 'datadog_ecs_rollouts';
const ACTIVE = 'datadog_ecs_active_rollouts';

/** How far the ECS write calls of a rollout got, so a replica resuming it does not repeat them. */
export type RolloutStep = 'none' | 'registered' | 'deployed';

/** A rollout row, decoded. */
export interface RolloutRecord {
  id: string;
  kind: RolloutKind;
  rollbackOf?: string;
  rolledBackBy?: string;
  cluster: ClusterRef;
  status: RolloutStatus;
  clientToken?: string;
  createdBy: string;
  source: 'entity' | 'portal';
  entityRef?: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  serviceName: string;
  createdService: boolean;
  oldTaskDefinitionArn?: string;
  newTaskDefinitionArn?: string;
  registered: boolean;
  step: RolloutStep;
  options?: RolloutOptions;
  deployment?: RolloutDeployment & { createdAt?: string };
  instances: RolloutInstanceProgress[];
  events: RolloutEvent[];
  failureKind?: RolloutFailureKind;
  failureReason?: string;
  note?: string;
  leaseOwner?: string;
  leaseExpiresAt?: string;
}

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

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const parse = <T>(v: string | null | undefined, fallback: T): T =>
  v ? JSON.parse(v) : fallback;
const opt = <T>(v: T | null | undefined): T | undefined =>
  v === null ? undefined : v;

function fromRow(r: any): RolloutRecord {
  return {
    id: r.id,
    kind: r.kind,
    rollbackOf: opt(r.rollback_of),
    rolledBackBy: opt(r.rolled_back_by),
    cluster: {
      accountId: r.account_id,
      region: r.region,
      clusterName: r.cluster_name,
    },
    status: r.status,
    clientToken: opt(r.client_token),
    createdBy: r.created_by,
    source: r.source,
    entityRef: opt(r.entity_ref),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: opt(r.finished_at),
    serviceName: r.service_name,
    createdService: Boolean(r.created_service),
    oldTaskDefinitionArn: opt(r.old_task_definition_arn),
    newTaskDefinitionArn: opt(r.new_task_definition_arn),
    registered: Boolean(r.registered),
    step: r.step,
    options: parse(r.options, undefined),
    deployment: parse(r.deployment, undefined),
    instances: parse(r.instances, []),
    events: parse(r.events, []),
    failureKind: opt(r.failure_kind),
    failureReason: opt(r.failure_reason),
    note: opt(r.note),
    leaseOwner: opt(r.lease_owner),
    leaseExpiresAt: opt(r.lease_expires_at),
  };
}

/** The fields of a record that can change after insert. */
export type RolloutPatch = Partial<
  Pick<
    RolloutRecord,
    | 'status'
    | 'createdService'
    | 'oldTaskDefinitionArn'
    | 'newTaskDefinitionArn'
    | 'registered'
    | 'step'
    | 'options'
    | 'deployment'
    | 'instances'
    | 'events'
    | 'failureKind'
    | 'failureReason'
    | 'note'
    | 'finishedAt'
    | 'rolledBackBy'
    | 'serviceName'
  >
>;

function toRow(unredacted: RolloutPatch, redactor: Redactor): Record<string, unknown> {
  // Nothing secret is stored: JSON fields and texts (ECS error messages, events) are redacted.
  const patch = redactor.value(unredacted);
  const row: Record<string, unknown> = {};
  const set = (column: string, value: unknown) => {
    if (value !== undefined) row[column] = value;
  };
  set('status', patch.status);
  set('created_service', patch.createdService);
  set('old_task_definition_arn', patch.oldTaskDefinitionArn);
  set('new_task_definition_arn', patch.newTaskDefinitionArn);
  set('registered', patch.registered);
  set('step', patch.step);
  if (patch.options !== undefined) row.options = json(patch.options);
  if (patch.deployment !== undefined) row.deployment = json(patch.deployment);
  if (patch.instances !== undefined) row.instances = json(patch.instances);
  if (patch.events !== undefined) row.events = json(patch.events);
  set('failure_kind', patch.failureKind);
  set('failure_reason', patch.failureReason);
  set('note', patch.note);
  set('finished_at', patch.finishedAt);
  set('rolled_back_by', patch.rolledBackBy);
  set('service_name', patch.serviceName);
  return row;
}

/** The API view of a record. */
export function toSummary(
  r: RolloutRecord,
  canRollback: boolean,
): RolloutSummary {
  const counts = {
    total: r.instances.length,
    done: r.instances.filter(
      i => i.state === 'healthy' || i.state === 'running',
    ).length,
    failed: r.instances.filter(i => i.state === 'failed').length,
    skipped: r.instances.filter(i => i.state === 'skipped').length,
  };
  const summary: RolloutSummary = {
    id: r.id,
    kind: r.kind,
    cluster: r.cluster,
    status: r.status,
    createdBy: r.createdBy,
    source: r.source,
    createdAt: r.createdAt,
    serviceName: r.serviceName,
    createdService: r.createdService,
    registered: r.registered,
    instanceCounts: counts,
    canRollback,
  };
  if (r.rollbackOf) summary.rollbackOf = r.rollbackOf;
  if (r.rolledBackBy) summary.rolledBackBy = r.rolledBackBy;
  if (r.entityRef) summary.entityRef = r.entityRef;
  if (r.finishedAt) {
    summary.finishedAt = r.finishedAt;
    summary.durationSeconds = Math.round(
      (new Date(r.finishedAt).getTime() - new Date(r.createdAt).getTime()) /
        1000,
    );
  }
  if (r.oldTaskDefinitionArn) {
    summary.oldTaskDefinitionArn = r.oldTaskDefinitionArn;
    summary.oldRevision = revisionOf(r.oldTaskDefinitionArn);
  }
  if (r.newTaskDefinitionArn) {
    summary.newTaskDefinitionArn = r.newTaskDefinitionArn;
    summary.newRevision = revisionOf(r.newTaskDefinitionArn);
  }
  if (r.options) {
    summary.options = r.options;
    summary.features = r.options.features;
  }
  if (r.deployment) {
    const { createdAt: _createdAt, ...deployment } = r.deployment;
    summary.deployment = deployment;
  }
  if (r.failureKind) summary.failureKind = r.failureKind;
  if (r.failureReason) summary.failureReason = r.failureReason;
  if (r.note) summary.note = r.note;
  return summary;
}

export function toRollout(r: RolloutRecord, canRollback: boolean): Rollout {
  return {
    ...toSummary(r, canRollback),
    instances: r.instances,
    events: r.events,
    updatedAt: r.updatedAt,
  };
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
    record: Omit<
      RolloutRecord,
      'updatedAt' | 'instances' | 'events' | 'leaseOwner' | 'leaseExpiresAt'
    >,
    lease: { owner: string; ttlMs: number },
  ): Promise<void> {
    const { cluster } = record;
    const key = {
      account_id: cluster.accountId,
      region: cluster.region,
      cluster_name: cluster.clusterName,
    };
    try {
      await this.knex.transaction(async tx => {
        await tx(ACTIVE).insert({
          ...key,
          rollout_id: record.id,
          created_by: record.createdBy,
          created_at: record.createdAt,
        });
        await tx(ROLLOUTS).insert({
          id: record.id,
          kind: record.kind,
          rollback_of: record.rollbackOf ?? null,
          ...key,
          status: record.status,
          client_token: record.clientToken ?? null,
          created_by: record.createdBy,
          source: record.source,
          entity_ref: record.entityRef ?? null,
          created_at: record.createdAt,
          updated_at: record.createdAt,
          service_name: record.serviceName,
          created_service: record.createdService,
          old_task_definition_arn: record.oldTaskDefinitionArn ?? null,
          new_task_definition_arn: record.newTaskDefinitionArn ?? null,
          registered: record.registered,
          step: record.step,
          options: json(this.redactor.value(record.options)),
          instances: '[]',
          events: '[]',
          lease_owner: lease.owner,
          lease_expires_at: new Date(
            this.now().getTime() + lease.ttlMs,
          ).toISOString(),
        });
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
      .where({
        account_id: cluster.accountId,
        region: cluster.region,
        cluster_name: cluster.clusterName,
        client_token: clientToken,
      })
      .first();
    return row ? fromRow(row) : undefined;
  }

  async getActive(
    cluster: ClusterRef,
  ): Promise<
    { rolloutId: string; createdBy: string; createdAt: string } | undefined
  > {
    const row = await this.knex(ACTIVE)
      .where({
        account_id: cluster.accountId,
        region: cluster.region,
        cluster_name: cluster.clusterName,
      })
      .first();
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
      .where({
        account_id: cluster.accountId,
        region: cluster.region,
        cluster_name: cluster.clusterName,
      })
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
      .where({
        account_id: cluster.accountId,
        region: cluster.region,
        cluster_name: cluster.clusterName,
      })
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
    const row = { ...toRow(patch, this.redactor), updated_at: now.toISOString() } as Record<
      string,
      unknown
    >;
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
        ...toRow({ ...patch, finishedAt: patch.finishedAt ?? now }, this.redactor),
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
