import { normalizeEntityRef } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Cluster } from '../../aws/EcsGateway';

/** Where owners come from: the cluster's AWS tags, then config. */
export interface OwnershipContext {
  ownerTag: string;
  systemTag: string;
  /** The location's `defaultOwner`, else `datadogEcs.catalog.defaultOwner` (already entity refs). */
  defaultOwner?: string;
}

/** A cluster's owner and system. */
export interface ClusterOwnership {
  owner?: string;
  ownerSource?: 'tag' | 'config';
  system?: string;
}

/**
 * Who owns a cluster: the owner tag's value as an entity ref (a bare name is a group in the default
 * namespace), else the configured default; the system from its tag. Tags are AWS data the platform
 * team controls; a malformed tag value counts as absent. Tag keys match exactly, as in AWS. Pure.
 */
export function clusterOwnership(
  cluster: Cluster,
  context: OwnershipContext | undefined,
): ClusterOwnership {
  if (!context) return {};
  const tag = (key: string) => cluster.tags?.find(t => t.key === key)?.value;
  const tagged = normalizeEntityRef(tag(context.ownerTag), 'group');
  const system = normalizeEntityRef(tag(context.systemTag), 'system');
  let owner: ClusterOwnership = {};
  if (tagged) owner = { owner: tagged, ownerSource: 'tag' };
  else if (context.defaultOwner) {
    owner = { owner: context.defaultOwner, ownerSource: 'config' };
  }
  return { ...owner, ...(system ? { system } : {}) };
}
