import {
  Cluster,
  ContainerInstance,
  Deployment,
  Service,
  Task,
} from '../model/types';
import { World } from '../model/world';
import { liveClusterCounts } from '../operations/serialize';
import { tickDaemons } from '../daemons/scheduler';
import { SchedulerContext, Timings } from './common';
import { daemonTargets, reconcileDaemon } from './daemon';
import * as draining from './draining';
import * as deployments from './deployments';
import * as events from './events';
import { reconcileReplica } from './replica';
import { advanceStopRequests, requestStop } from './stopDeployment';
import * as tasks from './tasks';

export type { Timings } from './common';
export {
  DEFAULT_TIMINGS,
  DRAIN_REASON,
  launchTypeOf,
  scalingReason,
} from './common';
export { circuitBreakerThreshold } from './circuitBreaker';

/** A part's function without its leading SchedulerContext. */
type WithoutContext<F> = F extends (
  ctx: SchedulerContext,
  ...args: infer A
) => unknown
  ? A
  : never;

const TICK_MS = 1_000;
const MAX_STEPS_PER_ADVANCE = 900;

/**
 * Advances simulated time: task lifecycle (tasks.ts), service reconciliation
 * (replica.ts with placementStrategy.ts, daemon.ts), rolling deployments
 * (deployments.ts), the deployment circuit breaker (circuitBreaker.ts), stopped
 * service deployments (stopDeployment.ts), service events (events.ts), deleted
 * services (draining.ts). This class is the facade the emulator holds.
 */
export class Scheduler {
  now: number;
  private lastPrune = 0;
  private readonly ctx: SchedulerContext;

  constructor(
    private readonly world: World,
    readonly timings: Timings,
    start: number,
  ) {
    this.now = start;
    this.ctx = { world, timings };
  }

  /** Steps the simulation forward to `target` (epoch ms). */
  advanceTo(target: number) {
    if (target <= this.now) {
      return;
    }
    const step = Math.max(
      TICK_MS,
      Math.ceil((target - this.now) / MAX_STEPS_PER_ADVANCE),
    );
    while (this.now < target) {
      this.now = Math.min(target, this.now + step);
      this.tick(this.now);
    }
  }

  tick(now: number) {
    for (const cluster of this.world.allClusters()) {
      this.tickCluster(cluster, now);
    }
    this.publishClusterCounts(now, false);
    if (now - this.lastPrune >= 60_000) {
      this.lastPrune = now;
      tasks.pruneStopped(this.ctx, now);
      for (const cluster of this.world.allClusters()) {
        draining.pruneInactive(this.ctx, cluster, now);
      }
    }
  }

  /**
   * Recomputes the counts DescribeClusters reports: of every cluster (`force`, at start), or of
   * those whose counts are `clusterCountsIntervalMs` old. With an interval of 0, counts are live.
   */
  publishClusterCounts(now: number, force = true) {
    const interval = this.timings.clusterCountsIntervalMs;
    for (const cluster of this.world.allClusters()) {
      if (interval <= 0) {
        cluster.publishedCounts = undefined;
      } else if (
        force ||
        !cluster.publishedCounts ||
        now - cluster.publishedCounts.at >= interval
      ) {
        cluster.publishedCounts = liveClusterCounts(cluster, now);
      }
    }
  }

  tickCluster(cluster: Cluster, now: number) {
    for (const task of [...cluster.live]) {
      this.advanceTask(cluster, task, now);
    }
    for (const svc of cluster.services.values()) {
      this.reconcile(cluster, svc, now, false);
      draining.advanceDraining(svc, now);
    }
    // Managed Instances and ECS Managed Daemons (daemons/scheduler.ts).
    tickDaemons(this.ctx, cluster, now);
  }

  reconcile(cluster: Cluster, svc: Service, now: number, instant: boolean) {
    if (svc.status !== 'ACTIVE' || svc.deployments.length === 0) {
      return;
    }
    advanceStopRequests(svc, now);
    const started: Task[] = [];
    const stopped: Task[] = [];
    const reconcileStrategy =
      svc.schedulingStrategy === 'DAEMON' ? reconcileDaemon : reconcileReplica;
    reconcileStrategy(this.ctx, {
      cluster,
      svc,
      now,
      instant,
      started,
      stopped,
    });
    const eventAt = instant ? now - 120_000 : now;
    if (stopped.length) {
      events.taskListEvents(this.ctx, svc, 'stopped', stopped, eventAt);
    }
    if (started.length) {
      events.taskListEvents(this.ctx, svc, 'started', started, eventAt);
    }
    this.updateDeployments(cluster, svc, now);
  }

  // The parts' entry points, bound to this scheduler's state and timings.

  addEvent(...args: WithoutContext<typeof events.addEvent>) {
    events.addEvent(this.ctx, ...args);
  }

  startTask(...args: WithoutContext<typeof tasks.startTask>): Task {
    return tasks.startTask(this.ctx, ...args);
  }

  /** Requests a stop; the task walks to STOPPED as time advances. */
  stopTask(...args: Parameters<typeof tasks.stopTask>) {
    tasks.stopTask(...args);
  }

  /** StopServiceDeployment: ROLLBACK_REQUESTED / STOP_REQUESTED, acted on at the next tick. */
  stopServiceDeployment(...args: Parameters<typeof requestStop>) {
    requestStop(...args);
  }

  /** DeleteService: DRAINING while the service's tasks stop, then INACTIVE. */
  deleteService(...args: Parameters<typeof draining.deleteService>) {
    draining.deleteService(...args);
  }

  advanceTask(...args: WithoutContext<typeof tasks.advanceTask>) {
    tasks.advanceTask(this.ctx, ...args);
  }

  newDeployment(
    ...args: WithoutContext<typeof deployments.newDeployment>
  ): Deployment {
    return deployments.newDeployment(this.ctx, ...args);
  }

  /** Instances a DAEMON service should run on (ACTIVE and compatible). */
  daemonTargets(cluster: Cluster, svc: Service): ContainerInstance[] {
    return daemonTargets(cluster, svc);
  }

  /** Refreshes deployment counters, completion, steady state. */
  updateDeployments(
    ...args: WithoutContext<typeof deployments.updateDeployments>
  ) {
    deployments.updateDeployments(this.ctx, ...args);
  }
}
