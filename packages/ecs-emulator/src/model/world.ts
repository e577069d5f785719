import { EcsError, errors } from '../protocol/errors';
import { arns, IdGenerator, parseEcsArn } from './ids';
import { Cluster, RegionState, Service, TaskDefinition } from './types';

/** accounts → regions → clusters / task definitions. */
export class World {
  readonly regions = new Map<string, RegionState>();
  readonly ids: IdGenerator;

  constructor(readonly seed: string) {
    this.ids = new IdGenerator(seed);
  }

  region(accountId: string, region: string): RegionState {
    const key = `${accountId}/${region}`;
    let state = this.regions.get(key);
    if (!state) {
      state = {
        accountId,
        region,
        clusters: new Map(),
        taskDefinitions: new Map(),
      };
      this.regions.set(key, state);
    }
    return state;
  }

  allClusters(): Cluster[] {
    const out: Cluster[] = [];
    for (const r of this.regions.values()) {
      out.push(...r.clusters.values());
    }
    return out;
  }
}

/** The parts of an ARN of this type in this account and region (undefined when it points elsewhere). */
function ownArnParts(
  state: RegionState,
  arn: string,
  resourceType: string,
): string[] | undefined {
  const p = parseEcsArn(arn);
  return p &&
    p.resourceType === resourceType &&
    p.account === state.accountId &&
    p.region === state.region
    ? p.parts
    : undefined;
}

/** Short name or full ARN → cluster name (undefined when the ARN points elsewhere). */
export function clusterNameOf(state: RegionState, ref: string | undefined) {
  const value = ref ?? 'default';
  if (value.startsWith('arn:')) {
    return ownArnParts(state, value, 'cluster')?.[0];
  }
  return value;
}

export function getCluster(state: RegionState, ref: unknown): Cluster {
  if (ref !== undefined && typeof ref !== 'string') {
    throw errors.invalidParameter('cluster must be a string.');
  }
  if (typeof ref === 'string' && ref.startsWith('arn:') && !parseEcsArn(ref)) {
    throw errors.invalidParameter('Invalid cluster arn.');
  }
  const name = clusterNameOf(state, ref as string | undefined);
  const cluster = name ? state.clusters.get(name) : undefined;
  if (!cluster) {
    throw errors.clusterNotFound();
  }
  return cluster;
}

export function serviceNameOf(
  cluster: Cluster,
  ref: string,
): string | undefined {
  if (ref.startsWith('arn:')) {
    const p = parseEcsArn(ref);
    if (!p || p.resourceType !== 'service') {
      return undefined;
    }
    // both arn:...:service/<cluster>/<name> and the old arn:...:service/<name>
    if (p.parts.length === 2) {
      return p.parts[0] === cluster.name ? p.parts[1] : undefined;
    }
    return p.parts[0];
  }
  return ref;
}

export function getService(cluster: Cluster, ref: unknown): Service {
  if (typeof ref !== 'string' || ref === '') {
    throw errors.invalidParameter('service must be specified.');
  }
  const name = serviceNameOf(cluster, ref);
  const svc = name ? cluster.services.get(name) : undefined;
  if (!svc || svc.status === 'INACTIVE') {
    throw errors.serviceNotFound();
  }
  return svc;
}

/** family | family:revision | ARN → task definition (undefined when unknown). */
export function findTaskDefinition(
  state: RegionState,
  ref: string,
): TaskDefinition | undefined {
  let spec = ref;
  if (ref.startsWith('arn:')) {
    const parts = ownArnParts(state, ref, 'task-definition');
    if (!parts) {
      return undefined;
    }
    spec = parts.join('/');
  }
  const m = /^([a-zA-Z0-9_-]+)(?::(\d+))?$/.exec(spec);
  if (!m) {
    return undefined;
  }
  const revisions = state.taskDefinitions.get(m[1]);
  if (!revisions || revisions.length === 0) {
    return undefined;
  }
  if (m[2]) {
    return revisions[Number(m[2]) - 1];
  }
  for (let i = revisions.length - 1; i >= 0; i--) {
    if (revisions[i].status === 'ACTIVE') {
      return revisions[i];
    }
  }
  return undefined;
}

export function taskDefinitionArnFor(
  state: RegionState,
  family: string,
  revision: number,
) {
  return arns.taskDefinition(state.region, state.accountId, family, revision);
}

export function isEcsError(e: unknown): e is EcsError {
  return e instanceof EcsError;
}
