import { defineFeature } from '../module';
import { managedInstancesFeature } from './detector';

export { managedInstancesFeature };

/**
 * ECS Managed Instances: the Agent as an ECS Managed Daemon (containerd, ECS_MANAGED_INSTANCES,
 * DD_CRI_SOCKET_PATH, Agent 7.77+, daemon task cpu 256 / memory 512). Detection only, no chip: the
 * render options' `target: 'managed-daemon'` renders it, and the toggles that do not apply there say
 * so (`notOnManagedInstances`).
 *
 * @public
 */
export const managedInstancesModule = defineFeature({
  id: 'managedInstances',
  detector: managedInstancesFeature,
});
