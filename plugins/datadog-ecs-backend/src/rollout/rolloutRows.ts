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

/** How far the ECS write calls of a rollout got, so a replica resuming it does not repeat them. */
export type RolloutStep = 'none' | 'registered' | 'deployed';

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
  > {
  clientToken?: string;
  step: RolloutStep;
  deployment?: RolloutDeployment & { createdAt?: string };
  leaseOwner?: string;
  leaseExpiresAt?: string;
}

/** What {@link RolloutStore.insert} is given: a record before anything followed it. */
export type NewRolloutRecord = Omit<
  RolloutRecord,
  'updatedAt' | 'instances' | 'events' | 'leaseOwner' | 'leaseExpiresAt'
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

/** The columns of a new rollout's row, keyed by its cluster, with the lease of `lease.owner`. */
export function toInsertRow(
  record: NewRolloutRecord,
  lease: { owner: string; expiresAt: string },
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
    created_service: record.createdService,
    old_task_definition_arn: record.oldTaskDefinitionArn ?? null,
    new_task_definition_arn: record.newTaskDefinitionArn ?? null,
    registered: record.registered,
    step: record.step,
    options: json(redactor.value(record.options)),
    instances: '[]',
    events: '[]',
    lease_owner: lease.owner,
    lease_expires_at: lease.expiresAt,
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
] as const satisfies ReadonlyArray<keyof RolloutRecord>;

/** The fields of a record that can change after insert. */
export type RolloutPatch = Partial<
  Pick<RolloutRecord, (typeof PATCH_FIELDS)[number]>
>;

/** The patch fields stored as JSON text. */
const JSON_FIELDS = new Set<keyof RolloutPatch>([
  'options',
  'deployment',
  'instances',
  'events',
]);

const columnOf = (field: string) =>
  field.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);

/** The columns a patch changes (only the fields it sets), redacted. */
export function toRow(
  unredacted: RolloutPatch,
  redactor: Redactor,
): Record<string, unknown> {
  // Nothing secret is stored: JSON fields and texts (ECS error messages, events) are redacted.
  const patch = redactor.value(unredacted);
  const row: Record<string, unknown> = {};
  for (const field of PATCH_FIELDS) {
    const value = patch[field];
    if (value !== undefined) {
      row[columnOf(field)] = JSON_FIELDS.has(field) ? json(value) : value;
    }
  }
  return row;
}
