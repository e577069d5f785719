import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ClusterRef } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/*
 * What every part of the rollout service shares: who asked, which cluster, and the lease this
 * replica holds on the rollouts it writes and follows.
 */

/** Who made a request, for the record: a user entity ref, or `service:<subject>`. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef)
    return principal.userEntityRef;
  if (principal.type === 'service' && principal.subject)
    return `service:${principal.subject}`;
  return principal.type;
}

/** `account/region/cluster`, for messages, logs and audit events. */
export const refKey = (ref: ClusterRef) =>
  `${ref.accountId}/${ref.region}/${ref.clusterName}`;

export const sameCluster = (a: ClusterRef, b: ClusterRef) =>
  refKey(a) === refKey(b);

/** The lease this replica writes rollouts under (see `RolloutStore.update`). */
export interface RolloutLease {
  /** Identifies this replica. */
  readonly owner: string;
  readonly ttlMs: number;
}

/**
 * This replica's lease: its id (random by default: a restarted process is another owner) and how
 * long a claim lasts unless renewed (`datadogEcs.rollout.leaseSeconds`; renewed every third of it
 * while a rollout runs).
 */
export function rolloutLease(
  leaseSeconds: number,
  replicaId?: string,
): RolloutLease {
  return {
    owner: replicaId ?? `${hostname()}-${randomUUID()}`.slice(0, 64),
    ttlMs: Math.round(leaseSeconds * 1000),
  };
}
