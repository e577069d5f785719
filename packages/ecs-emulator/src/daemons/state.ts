import { parseEcsArn } from '../model/ids';
import { Cluster, ContainerInstance, Json, RegionState } from '../model/types';
import { EcsError, errors } from '../protocol/errors';
import {
  CapacityProvider,
  Daemon,
  DaemonDeployment,
  DaemonTaskDefinition,
  PendingLaunch,
  Replacement,
} from './types';

// Where capacity providers, daemon task definitions and daemons live: next to the account/region
// and cluster state they belong to (kept apart from the model of services and tasks).

interface RegionDaemonState {
  capacityProviders: Map<string, CapacityProvider>;
  /** By family; index = revision - 1. */
  taskDefinitions: Map<string, DaemonTaskDefinition[]>;
}

interface ClusterDaemonState {
  /** Capacity providers associated with the cluster (DescribeClusters `capacityProviders`). */
  capacityProviders: string[];
  defaultCapacityProviderStrategy: Json[];
  /** By name, deleted ones included (their deployments stay describable). */
  daemons: Map<string, Daemon>;
  launches: PendingLaunch[];
  /** Instances drained outside deployments (auto repair), held until their replacement runs. */
  repairs: Replacement[];
}

const regions = new WeakMap<RegionState, RegionDaemonState>();
const clusters = new WeakMap<Cluster, ClusterDaemonState>();

export function regionDaemons(state: RegionState): RegionDaemonState {
  let s = regions.get(state);
  if (!s) {
    s = { capacityProviders: new Map(), taskDefinitions: new Map() };
    regions.set(state, s);
  }
  return s;
}

export function clusterDaemons(cluster: Cluster): ClusterDaemonState {
  let s = clusters.get(cluster);
  if (!s) {
    s = {
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
      daemons: new Map(),
      launches: [],
      repairs: [],
    };
    clusters.set(cluster, s);
  }
  return s;
}

/** DescribeClusters' `capacityProviders` and `defaultCapacityProviderStrategy`. */
export function clusterCapacityProviders(cluster: Cluster) {
  const s = clusters.get(cluster);
  return {
    capacityProviders: [...(s?.capacityProviders ?? [])],
    defaultCapacityProviderStrategy: structuredClone(
      s?.defaultCapacityProviderStrategy ?? [],
    ),
  };
}

const ecsArn = (state: { region: string; accountId: string }, path: string) =>
  `arn:aws:ecs:${state.region}:${state.accountId}:${path}`;

export const daemonArns = {
  capacityProvider: (state: RegionState, name: string) =>
    ecsArn(state, `capacity-provider/${name}`),
  taskDefinition: (state: RegionState, family: string, revision: number) =>
    ecsArn(state, `daemon-task-definition/${family}:${revision}`),
  daemon: (cluster: Cluster, name: string) =>
    ecsArn(cluster, `daemon/${cluster.name}/${name}`),
  deployment: (cluster: Cluster, name: string, id: string) =>
    ecsArn(cluster, `daemon-deployment/${cluster.name}/${name}/${id}`),
  revision: (cluster: Cluster, name: string, id: string) =>
    ecsArn(cluster, `daemon-revision/${cluster.name}/${name}/${id}`),
};

/** A capacity provider by name or ARN (undefined when unknown). */
export function findCapacityProvider(
  state: RegionState,
  ref: string,
): CapacityProvider | undefined {
  const providers = regionDaemons(state).capacityProviders;
  if (!ref.startsWith('arn:')) return providers.get(ref);
  const p = parseEcsArn(ref);
  if (
    !p ||
    p.resourceType !== 'capacity-provider' ||
    p.account !== state.accountId ||
    p.region !== state.region
  ) {
    return undefined;
  }
  return providers.get(p.parts.join('/'));
}

/** family (latest ACTIVE) | family:revision | ARN → daemon task definition (undefined when unknown). */
export function findDaemonTaskDefinition(
  state: RegionState,
  ref: string,
): DaemonTaskDefinition | undefined {
  let spec = ref;
  if (ref.startsWith('arn:')) {
    const p = parseEcsArn(ref);
    if (
      !p ||
      p.resourceType !== 'daemon-task-definition' ||
      p.account !== state.accountId ||
      p.region !== state.region
    ) {
      return undefined;
    }
    spec = p.parts.join('/');
  }
  const m = /^([a-zA-Z0-9_-]+)(?::(\d+))?$/.exec(spec);
  const revisions = m
    ? regionDaemons(state).taskDefinitions.get(m[1])
    : undefined;
  if (!m || !revisions) return undefined;
  if (m[2]) return revisions[Number(m[2]) - 1];
  return [...revisions].reverse().find(td => td.status === 'ACTIVE');
}

export const daemonErrors = {
  notFound: () =>
    new EcsError(
      'DaemonNotFoundException',
      'The specified daemon was not found.',
    ),
  notActive: () =>
    new EcsError(
      'DaemonNotActiveException',
      'The specified daemon is not ACTIVE.',
    ),
};

/**
 * The daemon a `daemonArn` names: InvalidParameterException for something that is not a daemon
 * ARN, ClusterNotFoundException when its cluster does not exist, DaemonNotFoundException when the
 * daemon does not (or no longer does).
 */
export function findDaemon(state: RegionState, ref: unknown): Daemon {
  if (typeof ref !== 'string' || ref === '') {
    throw errors.invalidParameter('daemonArn must be specified.');
  }
  const p = parseEcsArn(ref);
  if (!p || p.resourceType !== 'daemon' || p.parts.length !== 2) {
    throw errors.invalidParameter(`Invalid daemon ARN: ${ref}`);
  }
  if (p.account !== state.accountId || p.region !== state.region) {
    throw daemonErrors.notFound();
  }
  const cluster = state.clusters.get(p.parts[0]);
  if (!cluster) throw errors.clusterNotFound();
  const daemon = clusterDaemons(cluster).daemons.get(p.parts[1]);
  if (!daemon || daemon.deleted) throw daemonErrors.notFound();
  return daemon;
}

/** The deployment of a `daemon-deployment/<cluster>/<daemon>/<id>` ARN (deleted daemons' included). */
export function findDaemonDeployment(
  state: RegionState,
  ref: string,
): DaemonDeployment | undefined {
  const p = parseEcsArn(ref);
  if (
    !p ||
    p.resourceType !== 'daemon-deployment' ||
    p.account !== state.accountId ||
    p.region !== state.region ||
    p.parts.length !== 3
  ) {
    return undefined;
  }
  const cluster = state.clusters.get(p.parts[0]);
  const daemon = cluster && clusterDaemons(cluster).daemons.get(p.parts[1]);
  return daemon?.deployments.find(d => d.arn === ref);
}

/** The instances of a capacity provider that are registered (ACTIVE or DRAINING). */
export function providerInstances(
  cluster: Cluster,
  providerName: string,
): ContainerInstance[] {
  const out: ContainerInstance[] = [];
  for (const inst of cluster.instances.values()) {
    if (
      inst.status !== 'INACTIVE' &&
      inst.managedInstances &&
      inst.capacityProviderName === providerName
    ) {
      out.push(inst);
    }
  }
  return out;
}
