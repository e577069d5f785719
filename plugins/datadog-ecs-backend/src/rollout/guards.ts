import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  ClusterDetails,
  ClusterRef,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { DatadogEcsConfig, RolloutConfig } from '../config/config';
import { SnapshotStore } from '../inventory/SnapshotStore';

/*
 * The checks of the portal's configuration and inventory a rollout passes before any ECS call.
 */

/** 403 while rollouts are switched off. */
export function checkEnabled(rollout: Pick<RolloutConfig, 'enabled'>): void {
  if (!rollout.enabled) {
    throw new NotAllowedError(
      'Rollouts are switched off in this portal (datadogEcs.rollout.enabled is false)',
    );
  }
}

/** The account's Datadog API key config; 400 when there is none. */
export function apiKeyFor(
  rollout: Pick<RolloutConfig, 'apiKeys'>,
  ref: ClusterRef,
) {
  const key = rollout.apiKeys.get(ref.accountId);
  if (!key) {
    throw new InputError(
      `No Datadog API key is configured for account ${ref.accountId}: add it to datadogEcs.rollout.apiKeys (a Secrets Manager ARN and execution role)`,
    );
  }
  return key;
}

/** The cluster as the inventory last stored it; 404 when it has not. */
export async function snapshotOf(
  snapshots: Pick<SnapshotStore, 'getCluster'>,
  ref: ClusterRef,
): Promise<Omit<ClusterDetails, 'history'>> {
  const details = await snapshots.getCluster(ref);
  if (!details) {
    throw new NotFoundError(
      `No cluster ${ref.clusterName} in ${ref.accountId}/${ref.region} in the inventory`,
    );
  }
  return details;
}

/** 404 unless the cluster's account-region is a configured location. */
export function checkLocation(
  locations: DatadogEcsConfig['locations'],
  ref: ClusterRef,
): void {
  if (
    !locations.some(
      l => l.accountId === ref.accountId && l.region === ref.region,
    )
  ) {
    throw new NotFoundError(
      `${ref.accountId}/${ref.region} is not a configured location`,
    );
  }
}
