/**
 * What a fleet requires of an inventory, from the emulator's own state (not from what the plugin
 * did): the fewest ECS/EC2 calls per account-region and operation (ECS's batch limits: 100 per
 * Describe and List page, 10 per DescribeServices, 20 per daemon revisions/deployments, 200 AMIs
 * per DescribeImages), the bound of the diagnostic look-ups (stopped Agent tasks of clusters with
 * an uncovered instance), and the longest chain of calls that depend on each other.
 */
import { ConfigReader } from '@backstage/config';
import { readDatadogEcsConfig } from '../../src/config/config';
import {
  AgentDetection,
  agentDetectionOf,
  isAgentTaskDefinition,
} from '../../src/inventory/collect';
import { BenchEmulator, CallsByLocation } from './emulator';

type Json = any;

const ceil = (n: number, size: number) => Math.ceil(n / size);
/** A listing takes one call even when empty. */
const pages = (n: number) => Math.max(1, ceil(n, 100));
const FARGATE = new Set(['FARGATE', 'FARGATE_SPOT']);

export interface LocationModel {
  key: string;
  clusters: number;
  instances: number;
  tasks: number;
  /** The fewest calls, by operation (the diagnostic look-ups not included). */
  minimum: Record<string, number>;
  /** The most diagnostic calls the fleet justifies, by operation. */
  diagnosticBound: Record<string, number>;
  /** The longest chain of dependent calls (round trips), diagnostic ones included when made. */
  chain: number;
}

export interface FleetModel {
  locations: LocationModel[];
  clusters: number;
  instances: number;
  tasks: number;
  minimum: CallsByLocation;
  diagnosticBound: CallsByLocation;
}

/** The plugin's defaults: how it recognises the Agent, the rollout family it reads. */
export function defaultDetection(): {
  detection: AgentDetection;
  family: string;
} {
  const config = readDatadogEcsConfig(new ConfigReader({}));
  return { detection: agentDetectionOf(config), family: config.rollout.family };
}

/**
 * @param diagnosticClusters - diagnostic calls made per `location/cluster` (from the run), for
 *   the chain; the bound does not depend on it.
 */
export function fleetModel(
  bench: BenchEmulator,
  diagnosticClusters: Record<string, number> = {},
): FleetModel {
  const core = bench.emu.core as Json;
  const { detection, family } = defaultDetection();
  const specClusters = new Map<string, Json>(
    core.fleet.clusters.map((c: Json) => [
      `${c.accountId}/${c.region}/${c.name}`,
      c,
    ]),
  );
  const model: FleetModel = {
    locations: [],
    clusters: 0,
    instances: 0,
    tasks: 0,
    minimum: {},
    diagnosticBound: {},
  };
  for (const state of core.world.regions.values() as Iterable<Json>) {
    const key = `${state.accountId}/${state.region}`;
    const clusters: Json[] = [...state.clusters.values()];
    if (!bench.locations.some(l => `${l.accountId}/${l.region}` === key)) {
      continue;
    }
    const minimum: Record<string, number> = {};
    const diagnosticBound: Record<string, number> = {};
    const add = (into: Record<string, number>, op: string, n: number) => {
      if (n > 0) into[op] = (into[op] ?? 0) + n;
    };
    add(minimum, 'ListClusters', pages(clusters.length));
    add(minimum, 'DescribeClusters', ceil(clusters.length, 100));
    const taskDefinitions = new Set<string>();
    const daemonTaskDefinitions = new Set<string>();
    const amis = new Set<string>();
    let instances = 0;
    let tasks = 0;
    let clusterChain = 0;
    for (const cluster of clusters) {
      const ci: Json[] = [...cluster.instances.values()].filter(
        (i: Json) => i.status !== 'INACTIVE',
      );
      const sv: Json[] = [...cluster.services.values()].filter(
        (s: Json) => s.status === 'ACTIVE',
      );
      const tk: Json[] = [...cluster.live].filter(
        (t: Json) => t.desiredStatus === 'RUNNING',
      );
      instances += ci.length;
      tasks += tk.length;
      const spec = specClusters.get(`${key}/${cluster.name}`) ?? {};
      const providers: Json[] = (spec.capacityProviders ?? []).filter(
        (p: Json) => !FARGATE.has(p.name),
      );
      // Capacity providers besides Fargate's; daemons only with a Managed Instances one.
      let managedChain = 0;
      if (providers.length) {
        add(minimum, 'DescribeCapacityProviders', ceil(providers.length, 100));
        managedChain = 1;
        if (providers.some((p: Json) => p.managedInstancesProvider)) {
          const daemons: Json[] = spec.daemons ?? [];
          add(minimum, 'ListDaemons', 1);
          add(minimum, 'DescribeDaemon', daemons.length);
          add(minimum, 'DescribeDaemonRevisions', ceil(daemons.length, 20));
          add(minimum, 'DescribeDaemonDeployments', ceil(daemons.length, 20));
          for (const d of daemons)
            daemonTaskDefinitions.add(`${key}/${d.daemonTaskDefinitionArn}`);
          managedChain += daemons.length ? 4 : 1;
        }
      }
      // Every cluster is listed, an empty one too: DescribeClusters' counts lag, so only the
      // listings say a cluster is empty.
      add(minimum, 'ListContainerInstances', pages(ci.length));
      add(minimum, 'DescribeContainerInstances', ceil(ci.length, 100));
      // The rollout's service is described with the listed ones even when not listed (DRAINING).
      const named = sv.some((s: Json) => s.name === 'datadog-agent') ? 0 : 1;
      add(minimum, 'ListServices', pages(sv.length));
      add(minimum, 'DescribeServices', ceil(sv.length + named, 10));
      add(minimum, 'ListTasks', pages(tk.length));
      add(minimum, 'DescribeTasks', ceil(tk.length, 100));
      const clusterTds = new Map<string, Json>();
      for (const s of sv) {
        for (const d of s.deployments ?? [])
          clusterTds.set(d.taskDefinition.arn, d.taskDefinition);
        clusterTds.set(s.taskDefinition.arn, s.taskDefinition);
      }
      for (const t of tk)
        clusterTds.set(t.taskDefinition.arn, t.taskDefinition);
      for (const arn of clusterTds.keys()) {
        if (arn.includes(':daemon-task-definition/'))
          daemonTaskDefinitions.add(arn);
        else taskDefinitions.add(arn);
      }
      for (const i of ci) {
        const ami = i.attrMap.get('ecs.ami-id');
        if (ami && !i.external && i.attrMap.get('ecs.os-type') !== 'windows')
          amis.add(ami);
      }
      // Diagnostics: stopped Agent tasks, only where an instance has no Agent task running.
      const agentTds = [...clusterTds.values()].filter(td =>
        isAgentTaskDefinition(td.body, detection),
      );
      const withAgent = new Set(
        tk
          .filter(t => agentTds.includes(t.taskDefinition))
          .map(t => t.containerInstance?.arn),
      );
      const uncovered = ci.some(i => !withAgent.has(i.arn));
      if (uncovered && agentTds.length) {
        const families = new Set(agentTds.map(td => td.family));
        const stopped = [...cluster.tasks.values()].filter(
          (t: Json) =>
            t.desiredStatus === 'STOPPED' &&
            families.has(t.taskDefinition.family),
        ).length;
        add(diagnosticBound, 'ListTasks', families.size * pages(stopped));
        add(diagnosticBound, 'DescribeTasks', ceil(stopped, 100));
      }
      // The dependent chain: list pages one after the other, then one Describe round (batches
      // are independent); task definitions after the tasks; AMIs after the instances; the
      // diagnostics after instances, tasks and task definitions.
      const instanceChain = pages(ci.length) + (ci.length ? 1 : 0);
      const serviceChain = pages(sv.length) + 1 + (sv.length ? 1 : 0);
      const taskChain =
        pages(tk.length) + (tk.length ? 1 : 0) + (clusterTds.size ? 1 : 0);
      const diagnostic = diagnosticClusters[`${key}/${cluster.name}`] ?? 0;
      clusterChain = Math.max(
        clusterChain,
        instanceChain + (amis.size ? 1 : 0),
        serviceChain,
        managedChain,
        Math.max(instanceChain, taskChain) + diagnostic,
      );
    }
    // The rollout family's latest revision (one ListTaskDefinitions page), described unless known.
    add(minimum, 'ListTaskDefinitions', 1);
    const latest = (state.taskDefinitions.get(family) ?? [])
      .filter((td: Json) => td.status === 'ACTIVE')
      .pop();
    const agentFamilyChain = latest && !taskDefinitions.has(latest.arn) ? 2 : 1;
    if (latest) taskDefinitions.add(latest.arn);
    add(minimum, 'DescribeTaskDefinition', taskDefinitions.size);
    add(minimum, 'DescribeDaemonTaskDefinition', daemonTaskDefinitions.size);
    add(minimum, 'DescribeImages', ceil(amis.size, 200));
    const location: LocationModel = {
      key,
      clusters: clusters.length,
      instances,
      tasks,
      minimum,
      diagnosticBound,
      // ListClusters pages, DescribeClusters, then the longest cluster pass; the rollout family's
      // read depends on none of them.
      chain: Math.max(
        pages(clusters.length) + (clusters.length ? 1 : 0) + clusterChain,
        agentFamilyChain,
      ),
    };
    model.locations.push(location);
    model.clusters += clusters.length;
    model.instances += instances;
    model.tasks += tasks;
    model.minimum[key] = minimum;
    model.diagnosticBound[key] = diagnosticBound;
  }
  return model;
}
