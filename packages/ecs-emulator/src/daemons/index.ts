// Amazon ECS Managed Instances capacity providers and ECS Managed Daemons: the operations
// (merged into operations/index.ts), the scheduler's tick (scheduler/index.ts) and fleet seeding.

import { Operation } from '../operations/common';
import {
  CreateCapacityProvider,
  DescribeCapacityProviders,
} from './capacityProviders';
import {
  DescribeDaemonDeployments,
  DescribeDaemonRevisions,
  ListDaemonDeployments,
} from './deploymentOperations';
import {
  CreateDaemon,
  DeleteDaemon,
  DescribeDaemon,
  ListDaemons,
  UpdateDaemon,
} from './operations';
import {
  DeleteDaemonTaskDefinition,
  DescribeDaemonTaskDefinition,
  ListDaemonTaskDefinitions,
  RegisterDaemonTaskDefinition,
} from './taskDefinitions';

export const daemonOperations: Record<string, Operation> = {
  CreateCapacityProvider,
  DescribeCapacityProviders,
  RegisterDaemonTaskDefinition,
  DescribeDaemonTaskDefinition,
  ListDaemonTaskDefinitions,
  DeleteDaemonTaskDefinition,
  CreateDaemon,
  UpdateDaemon,
  DeleteDaemon,
  DescribeDaemon,
  ListDaemons,
  ListDaemonDeployments,
  DescribeDaemonDeployments,
  DescribeDaemonRevisions,
};

export { tickDaemons } from './scheduler';
export { seedDaemons } from './seed';
export { clusterCapacityProviders } from './state';
export { instanceSpecFor } from './capacityProviders';
export type {
  FleetCapacityProvider,
  FleetDaemon,
  FleetDaemonTaskDefinition,
} from './seed';
