import type { FleetSpec } from '../fleets/spec';
import { World } from '../model/world';
import { OperationContext } from '../operations/common';
import type { Scheduler } from '../scheduler';
import { createCapacityProvider } from './capacityProviders';
import { createDaemon } from './operations';
import { DaemonPass, placeDaemonTask, servesInstance } from './scheduler';
import { deploymentCounts } from './serialize';
import { clusterDaemons, findCapacityProvider } from './state';
import { registerDaemonTaskDefinition } from './taskDefinitions';

export type {
  FleetCapacityProvider,
  FleetDaemon,
  FleetDaemonTaskDefinition,
} from '../fleets/spec';

const DAY = 86_400_000;

/**
 * A fleet's daemon task definitions, capacity providers and daemons (after its clusters,
 * instances and services): every daemon already runs on every instance of its capacity
 * providers, its first deployment SUCCESSFUL.
 */
export function seedDaemons(
  spec: FleetSpec,
  world: World,
  scheduler: Scheduler,
  now: number,
) {
  const ctxFor = (
    accountId: string,
    region: string,
    at: number,
  ): OperationContext => ({
    world,
    scheduler,
    state: world.region(accountId, region),
    accountId,
    region,
    now: at,
    principalArn: `arn:aws:iam::${accountId}:role/platform-admin`,
  });
  let n = 0;
  for (const t of spec.daemonTaskDefinitions ?? []) {
    const ctx = ctxFor(t.accountId, t.region, now - 30 * DAY + n++ * 3_600_000);
    registerDaemonTaskDefinition(
      ctx.state,
      t.daemonTaskDefinition,
      ctx.now,
      ctx.principalArn,
    );
  }
  for (const c of spec.clusters) {
    const ctx = ctxFor(c.accountId, c.region, now - 7 * DAY);
    const cluster = ctx.state.clusters.get(c.name)!;
    for (const cp of c.capacityProviders ?? []) {
      const created = createCapacityProvider(ctx.state, {
        ...cp,
        cluster: cp.managedInstancesProvider ? c.name : undefined,
      });
      if (created.type === 'EC2_AUTOSCALING') {
        clusterDaemons(cluster).capacityProviders.push(created.name);
      }
    }
    for (const dm of c.daemons ?? []) {
      const { daemon } = createDaemon(ctx, {
        ...dm,
        clusterArn: c.name,
        capacityProviderArns: dm.capacityProviderArns.map(
          ref => findCapacityProvider(ctx.state, ref)?.arn ?? ref,
        ),
      });
      const pass: DaemonPass = {
        ctx: { world, timings: scheduler.timings },
        cluster,
        state: ctx.state,
        now,
      };
      const rev = daemon.current!;
      for (const inst of cluster.instances.values()) {
        if (
          inst.status === 'ACTIVE' &&
          inst.managedInstances &&
          servesInstance(daemon, inst)
        ) {
          placeDaemonTask(pass, daemon, inst, rev, true);
        }
      }
      const d = daemon.deployments[0];
      Object.assign(d, {
        status: 'SUCCESSFUL',
        statusReason: 'Deployment completed successfully.',
        startedAt: d.createdAt + 5_000,
        finishedAt: d.createdAt + 15 * 60_000,
        circuitBreakerStatus: 'MONITORING_COMPLETE',
      });
      daemon.stable = rev;
      d.finalCounts = deploymentCounts(d);
    }
  }
}
