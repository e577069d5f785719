import {
  ClusterRef,
  Redactor,
  Rollout,
  RolloutDeployment,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/*
 * A rollout as the store holds it (RolloutRecord) and its row in `datadog_ecs_rollouts`: the
 * mapping both ways. JSON columns (options, deployment, instances, events) are text; whatever is
 * written goes through the redactor first.
 */

/**
 * How far the ECS write calls of a rollout got, so a replica resuming it does not repeat them: the
 * state machine's steps, `none` (recorded) → `registered` → `deployed` (deploying, then followed to
 * `completed`, `failed` or `cancelled`, the record's status).
 */
export type RolloutStep = 'none' | 'registered' | 'deployed';

/**
 * The ECS write call a step was about to make, and what ECS showed before it: written under the lease
 * just before the call, so that a replica replaying the step after a crash can tell from ECS whether
 * the call went through (see `execution.ts`).
 */
export type PendingWrite =
  | {
      operation: 'RegisterTaskDefinition';
      /** The family's latest revision before the call (none: the family had no revision). */
      latestBefore?: string;
      at: string;
    }
  | {
      operation: 'CreateService' | 'UpdateService';
      /** The service's current service deployment (`currentServiceDeployment`) before the call. */
      serviceDeploymentBefore?: string;
      /** The id of its PRIMARY deployment before the call. */
      primaryBefore?: string;
      at: string;
    }
  | {
      operation: 'RegisterDaemonTaskDefinition';
      /** The daemon family's latest ACTIVE daemon task definition before the call. */
      latestBefore?: string;
      at: string;
    }
  | {
      operation: 'CreateDaemon' | 'UpdateDaemon';
      /** The daemon's latest deployment (DescribeDaemon `deploymentArn`) before the call. */
      deploymentBefore?: string;
      at: string;
    };

/** Who holds a rollout's lease, and which claim of it (the fencing token every write carries). */
export interface LeaseToken {
  owner: string;
  epoch: number;
  /** How long each write renews the lease for. */
  ttlMs: number;
}

/**
 * A rollout row, decoded: the fields it shares with the API's {@link Rollout} (same names and
 * types), and what only the store keeps.
 */
export interface RolloutRecord
  extends Pick<
    Rollout,
    | 'id'
    | 'kind'
    | 'rollbackOf'
    | 'rolledBackBy'
    | 'cluster'
    | 'status'
    | 'createdBy'
    | 'source'
    | 'entityRef'
    | 'createdAt'
    | 'updatedAt'
    | 'finishedAt'
    | 'serviceName'
    | 'createdService'
    | 'oldTaskDefinitionArn'
    | 'newTaskDefinitionArn'
    | 'registered'
    | 'options'
    | 'instances'
    | 'events'
    | 'failureKind'
    | 'failureReason'
    | 'note'
    | 'cancelledBy'
    | 'deadlineAt'
    | 'target'
    | 'daemonArn'
  > {
  clientToken?: string;
  step: RolloutStep;
  deployment?: RolloutDeployment & { createdAt?: string };
  leaseOwner?: string;
  leaseExpiresAt?: string;
  /** Incremented by every claim of the lease. */
  leaseEpoch: number;
  pendingWrite?: PendingWrite;
  /** Whether ECS accepted its CreateService / UpdateService (CreateDaemon / UpdateDaemon) and did not roll it back. */
  changedCluster: boolean;
}

/** What {@link RolloutStore.insert} is given: a record before anything followed it. */
export type NewRolloutRecord = Omit<
  RolloutRecord,
  | 'updatedAt'
  | 'instances'
  | 'events'
  | 'leaseOwner'
  | 'leaseExpiresAt'
  | 'leaseEpoch'
  | 'pendingWrite'
  | 'changedCluster'
  | 'cancelledBy'
>;

/** The key columns of a cluster (of both rollout tables). */
export function clusterKey(cluster: ClusterRef) {
  return {
    account_id: cluster.accountId,
    region: cluster.region,
    cluster_name: cluster.clusterName,
  };
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const parse = <T>(v: string | null | undefined, fallback: T): T =>
  v ? JSON.parse(v) : fallback;
const opt = <T>(v: T | null | undefined): T | undefined =>
  v === null ? undefined : v;

/** Decodes a `datadog_ecs_rollouts` row. */
export function fromRow(r: any): RolloutRecord {
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
    target: r.target ?? 'daemon-service',
    daemonArn: opt(r.daemon_arn),
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
    cancelledBy: opt(r.cancelled_by),
    deadlineAt: opt(r.deadline_at),
    leaseOwner: opt(r.lease_owner),
    leaseExpiresAt: opt(r.lease_expires_at),
    leaseEpoch: Number(r.lease_epoch ?? 0),
    pendingWrite: parse(r.pending_write, undefined),
    changedCluster: Boolean(r.changed_cluster),
  };
}

/** The columns of a new rollout's row, keyed by its cluster, with the first lease of `lease.owner`. */
export function toInsertRow(
  record: NewRolloutRecord,
  lease: { owner: string; expiresAt: string; epoch: number },
  redactor: Redactor,
): Record<string, unknown> {
  return {
    id: record.id,
    kind: record.kind,
    rollback_of: record.rollbackOf ?? null,
    ...clusterKey(record.cluster),
    status: record.status,
    client_token: record.clientToken ?? null,
    created_by: record.createdBy,
    source: record.source,
    entity_ref: record.entityRef ?? null,
    created_at: record.createdAt,
    updated_at: record.createdAt,
    service_name: record.serviceName,
    target: record.target ?? 'daemon-service',
    daemon_arn: record.daemonArn ?? null,
    created_service: record.createdService,
    old_task_definition_arn: record.oldTaskDefinitionArn ?? null,
    new_task_definition_arn: record.newTaskDefinitionArn ?? null,
    registered: record.registered,
    step: record.step,
    options: json(redactor.value(record.options)),
    instances: '[]',
    events: '[]',
    deadline_at: record.deadlineAt ?? null,
    lease_owner: lease.owner,
    lease_expires_at: lease.expiresAt,
    lease_epoch: lease.epoch,
    changed_cluster: false,
  };
}

/**
 * The fields of a record that can change after insert, in column order; each column is the
 * field's name in snake_case.
 */
const PATCH_FIELDS = [
  'status',
  'createdService',
  'oldTaskDefinitionArn',
  'newTaskDefinitionArn',
  'registered',
  'step',
  'options',
  'deployment',
  'instances',
  'events',
  'failureKind',
  'failureReason',
  'note',
  'finishedAt',
  'rolledBackBy',
  'serviceName',
  'pendingWrite',
  'changedCluster',
  'cancelledBy',
  'daemonArn',
] as const satisfies ReadonlyArray<keyof RolloutRecord>;

/** The fields of a record that can change after insert. */
export type RolloutPatch = Partial<
  Pick<RolloutRecord, (typeof PATCH_FIELDS)[number]>
>;

/** The patch fields stored as JSON text. */
const JSON_FIELDS = new Set<keyof RolloutPatch>([
  'pendingWrite',
  'options',
  'deployment',
  'instances',
  'events',
]);

const columnOf = (field: string) =>
  field.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);

/**
 * The columns a patch changes (only the fields it sets; `null` clears a column), redacted.
 */
export function toRow(
  unredacted: RolloutPatch | NullablePatch,
  redactor: Redactor,
): Record<string, unknown> {
  // Nothing secret is stored: JSON fields and texts (ECS error messages, events) are redacted.
  const patch = redactor.value(unredacted) as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const field of PATCH_FIELDS) {
    const value = patch[field];
    if (value === null) row[columnOf(field)] = null;
    else if (value !== undefined) {
      row[columnOf(field)] = JSON_FIELDS.has(field) ? json(value) : value;
    }
  }
  return row;
}

/** A patch that may also clear the optional fields (`null`). */
export type NullablePatch = {
  [K in keyof RolloutPatch]?: RolloutPatch[K] | null;
};
