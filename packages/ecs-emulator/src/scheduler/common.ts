import { Cluster, Service, Task } from '../model/types';
import { World } from '../model/world';

/**
 * Simulated durations of the task lifecycle.
 *
 * @public
 */
export interface Timings {
  /** PROVISIONING → PENDING. */
  provisioningMs: number;
  /** PENDING (image pull) → RUNNING, or → STOPPED when the pull fails. */
  pendingMs: number;
  /** RUNNING → HEALTHY for containers with a healthCheck. */
  healthyAfterMs: number;
  /** Stop requested → STOPPED (for a running task). */
  stoppingMs: number;
  /** How long STOPPED tasks stay visible. */
  stoppedRetentionMs: number;
  /**
   * How often DescribeClusters' counts (registered instances, running and pending tasks, active
   * services) are recomputed: ECS computes them asynchronously, so they lag behind creates and
   * deletes by up to this long. 0: live counts.
   */
  clusterCountsIntervalMs: number;
  /** A Managed Instances replacement instance: launch → registered with the cluster. */
  instanceLaunchMs: number;
}

/** @public */
export const DEFAULT_TIMINGS: Timings = {
  provisioningMs: 2_000,
  pendingMs: 4_000,
  healthyAfterMs: 6_000,
  stoppingMs: 3_000,
  stoppedRetentionMs: 3_600_000,
  clusterCountsIntervalMs: 5_000,
  instanceLaunchMs: 30_000,
};

/** What every part of the scheduler works on: the state and the simulated durations. */
export interface SchedulerContext {
  readonly world: World;
  readonly timings: Timings;
}

export type LaunchType = 'EC2' | 'EXTERNAL' | 'FARGATE' | 'MANAGED_INSTANCES';

export const DRAIN_REASON =
  'Task stopped because the container instance is being drained.';

export function scalingReason(deploymentId: string) {
  return `Scaling activity initiated by (deployment ${deploymentId})`;
}

export function launchTypeOf(svc: Service): LaunchType {
  if (svc.launchType) {
    return svc.launchType;
  }
  const cp = svc.capacityProviderStrategy ?? [];
  if (
    cp.some(
      i =>
        i.capacityProvider === 'FARGATE' ||
        i.capacityProvider === 'FARGATE_SPOT',
    )
  ) {
    return 'FARGATE';
  }
  return 'EC2';
}

/**
 * One reconciliation pass of a service by its scheduling strategy (replica.ts,
 * daemon.ts): it starts and stops tasks, and collects those it started and the
 * running ones it stopped (for the service's events).
 */
export interface ReconcilePass {
  cluster: Cluster;
  svc: Service;
  now: number;
  /** Place tasks already RUNNING (fleet seeding). */
  instant: boolean;
  started: Task[];
  stopped: Task[];
}
