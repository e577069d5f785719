import { ClusterRef } from './api/types';

/**
 * The `spec.type` of the catalog `Resource` entities that stand for ECS clusters.
 *
 * @public
 */
export const ECS_CLUSTER_RESOURCE_TYPE = 'ecs-cluster';

/**
 * Annotations the catalog module puts on cluster resources, naming the cluster in the inventory.
 *
 * @public
 */
export const ECS_CLUSTER_ACCOUNT_ANNOTATION = 'datadog-ecs/account-id';
/** @public */
export const ECS_CLUSTER_REGION_ANNOTATION = 'datadog-ecs/region';
/** @public */
export const ECS_CLUSTER_NAME_ANNOTATION = 'datadog-ecs/cluster-name';

const MAX_NAME = 63;

/** A small stable hash (FNV-1a, 32 bits, base 36) to keep truncated names unique. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/**
 * The catalog `metadata.name` of a cluster's resource: `<cluster>-<region>-<account>` in the
 * catalog's name alphabet (`[a-z0-9A-Z]` joined by `-_.`, at most 63 characters); a longer one is
 * cut and ends in a hash of the whole, so that two clusters never share a name.
 *
 * @public
 */
export function clusterEntityName(ref: ClusterRef): string {
  const full = `${ref.clusterName}-${ref.region}-${ref.accountId}`
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[-_.]+|[-_.]+$/g, '')
    .toLowerCase();
  if (full.length <= MAX_NAME) return full;
  const hash = shortHash(full);
  return `${full
    .slice(0, MAX_NAME - hash.length - 1)
    .replace(/[-_.]+$/, '')}-${hash}`;
}

/**
 * The entity ref of a cluster's resource, e.g. `resource:default/prod-web-us-east-1-111111111111`.
 *
 * @public
 */
export function clusterEntityRef(
  ref: ClusterRef,
  namespace = 'default',
): string {
  return `resource:${namespace}/${clusterEntityName(ref)}`;
}

/**
 * An owner or system reference from an AWS tag or config, as a full entity ref: `payments` →
 * `group:default/payments`, `user:jane` → `user:default/jane`, `group:ops/payments` unchanged.
 * Undefined for an empty or malformed value.
 *
 * @public
 */
export function normalizeEntityRef(
  value: string | undefined,
  defaultKind: 'group' | 'system',
): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const m =
    /^(?:([A-Za-z][A-Za-z0-9-]*):)?(?:([a-z0-9-]+)\/)?([A-Za-z0-9][A-Za-z0-9_.-]{0,62})$/.exec(
      text,
    );
  if (!m) return undefined;
  const [, kind, namespace, name] = m;
  return `${(kind ?? defaultKind).toLowerCase()}:${
    namespace ?? 'default'
  }/${name}`;
}
