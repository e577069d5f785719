/*
 * Fakes for the rollout service's parts: an in-memory rollout store with leases, an ECS location API
 * that records every call and keeps task definitions and services, and records and config to start
 * from.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  ClusterRef,
  RolloutOptions,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  Cluster,
  ContainerInstance,
  EcsGateway,
  EcsLocationApi,
  Service,
  ServiceDeployment,
  Task,
  TaskDefinition,
} from '../../aws/EcsGateway';
import { RolloutConfig } from '../../config/config';
import { RolloutLease } from '../common';
import { HeldLease } from '../lease';
import { resolveFeatures } from '../plan';
import {
  FinishedStatus,
  LeaseToken,
  NewRolloutRecord,
  NullablePatch,
  RolloutPatch,
  RolloutRecord,
} from '../RolloutStore';

export const CLUSTER: ClusterRef = {
  accountId: '111111111111',
  region: 'eu-west-1',
  clusterName: 'prod',
};
export const FAMILY = 'datadog-agent-task';
export const LEASE: RolloutLease = { owner: 'replica-a', ttlMs: 30_000 };
/** The lease token of the records {@link record} makes: replica-a's first claim. */
export const TOKEN: LeaseToken = { ...LEASE, epoch: 1 };

/** A held lease (not renewing in the background) on a rollout of the fake store. */
export const heldLease = (
  store: Pick<FakeRolloutStore, 'renewLease'>,
  id = 'r1',
  token: LeaseToken = TOKEN,
) => new HeldLease(id, token, store, mockServices.logger.mock());

export const tdArn = (revision: number, family = FAMILY) =>
  `arn:aws:ecs:eu-west-1:111111111111:task-definition/${family}:${revision}`;
export const instanceArn = (n: number) =>
  `arn:aws:ecs:eu-west-1:111111111111:container-instance/prod/${n}`;

export const OPTIONS: RolloutOptions = {
  variant: 'linux',
  external: false,
  features: resolveFeatures({ apm: true }),
  site: 'datadoghq.com',
  imageTag: '7.60.0',
};

export function rolloutConfig(
  over: Partial<RolloutConfig> = {},
): RolloutConfig {
  return {
    enabled: true,
    serviceName: 'datadog-agent',
    family: FAMILY,
    imageTag: '7.60.0',
    apiKeys: new Map([
      [
        CLUSTER.accountId,
        {
          accountId: CLUSTER.accountId,
          source: 'secretsManager',
          secretArn:
            'arn:aws:secretsmanager:eu-west-1:111111111111:secret:dd-AbCdEf',
          executionRoleArn: 'arn:aws:iam::111111111111:role/dd',
        },
      ],
    ]),
    deploymentTimeoutMinutes: 30,
    pollIntervalSeconds: 5,
    leaseSeconds: 30,
    managedDaemon: {
      daemonName: 'datadog-agent',
      family: 'datadog-agent-daemon',
      imageTag: '7.77.0',
    },
    ...over,
  };
}

export function record(over: Partial<RolloutRecord> = {}): RolloutRecord {
  return {
    id: 'r1',
    kind: 'rollout',
    cluster: CLUSTER,
    status: 'pending',
    createdBy: 'user:default/sam',
    source: 'portal',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    serviceName: 'datadog-agent',
    createdService: false,
    registered: false,
    step: 'none',
    options: OPTIONS,
    instances: [],
    events: [],
    leaseOwner: LEASE.owner,
    leaseEpoch: 1,
    changedCluster: false,
    ...over,
  };
}

/**
 * The rollout store in memory, with RolloutStore's lease rules: writes under a token fail once its
 * claim is gone (another owner or epoch, or the rollout finished); a claim is refused while a lease
 * is held (`leaseOwner` set), whoever asks; finishing needs the token.
 */
export class FakeRolloutStore {
  readonly records = new Map<string, RolloutRecord>();
  readonly released: string[] = [];
  /** Rollouts rolled back by a rollback that did not complete, made rollback-able again. */
  readonly unmarked: string[] = [];

  constructor(...records: RolloutRecord[]) {
    for (const r of records) this.records.set(r.id, { ...r });
  }

  private holds(r: RolloutRecord | undefined, token: LeaseToken) {
    return (
      !!r &&
      (r.status === 'pending' || r.status === 'in-progress') &&
      r.leaseOwner === token.owner &&
      r.leaseEpoch === token.epoch
    );
  }

  private apply(r: RolloutRecord, patch: NullablePatch) {
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete (r as any)[k];
      else if (v !== undefined) (r as any)[k] = v;
    }
  }

  async get(id: string) {
    const r = this.records.get(id);
    return r && structuredClone(r);
  }

  async insert(r: NewRolloutRecord, lease: RolloutLease): Promise<LeaseToken> {
    this.records.set(r.id, {
      ...r,
      updatedAt: r.createdAt,
      instances: [],
      events: [],
      leaseOwner: lease.owner,
      leaseEpoch: 1,
      changedCluster: false,
    });
    return { ...lease, epoch: 1 };
  }

  async update(
    id: string,
    patch: NullablePatch,
    token: LeaseToken,
    options: { markRolledBack?: string } = {},
  ) {
    const r = this.records.get(id);
    if (!this.holds(r, token)) return false;
    this.apply(r!, patch);
    if (options.markRolledBack) {
      const original = this.records.get(options.markRolledBack);
      if (original) original.rolledBackBy = id;
    }
    return true;
  }

  async renewLease(id: string, token: LeaseToken) {
    return this.holds(this.records.get(id), token);
  }

  private end(
    r: RolloutRecord,
    patch: NullablePatch & { status: FinishedStatus },
  ) {
    this.apply(r, patch);
    Object.assign(r, {
      leaseEpoch: r.leaseEpoch + 1,
      finishedAt: 'now',
    });
    r.leaseOwner = undefined;
    delete r.pendingWrite;
    if (patch.status !== 'completed') {
      for (const other of this.records.values()) {
        if (other.rolledBackBy === r.id) {
          delete other.rolledBackBy;
          this.unmarked.push(other.id);
        }
      }
    }
  }

  async finish(
    id: string,
    patch: NullablePatch & { status: FinishedStatus },
    token: LeaseToken,
  ) {
    const r = this.records.get(id);
    if (!this.holds(r, token)) return false;
    this.end(r!, patch);
    return true;
  }

  async cancel(id: string, patch: RolloutPatch & { cancelledBy: string }) {
    const r = this.records.get(id);
    if (!r || (r.status !== 'pending' && r.status !== 'in-progress'))
      return undefined;
    this.end(r, { ...patch, status: 'cancelled' });
    return structuredClone(r);
  }

  async findByClientToken(_cluster: ClusterRef, token: string) {
    return [...this.records.values()].find(r => r.clientToken === token);
  }

  async latestChange(_cluster: ClusterRef) {
    return [...this.records.values()]
      .filter(
        r =>
          r.status !== 'pending' &&
          r.status !== 'in-progress' &&
          r.changedCluster,
      )
      .pop();
  }

  async list(_cluster: ClusterRef) {
    return [...this.records.values()].reverse();
  }

  async getActive(_cluster: ClusterRef) {
    const r = [...this.records.values()].find(
      x => x.status === 'pending' || x.status === 'in-progress',
    );
    return (
      r && { rolloutId: r.id, createdBy: r.createdBy, createdAt: r.createdAt }
    );
  }

  async listUnfinished() {
    return [...this.records.values()].filter(
      r => r.status === 'pending' || r.status === 'in-progress',
    );
  }

  async claimLease(
    id: string,
    owner: string,
    ttlMs: number,
  ): Promise<LeaseToken | undefined> {
    const r = this.records.get(id);
    if (
      !r ||
      r.leaseOwner ||
      (r.status !== 'pending' && r.status !== 'in-progress')
    )
      return undefined;
    r.leaseOwner = owner;
    r.leaseEpoch += 1;
    return { owner, epoch: r.leaseEpoch, ttlMs };
  }

  async releaseLease(id: string, token: LeaseToken) {
    const r = this.records.get(id);
    if (r?.leaseOwner === token.owner && r.leaseEpoch === token.epoch)
      r.leaseOwner = undefined;
    this.released.push(id);
  }
}

/** One ECS account-region in memory, recording each call by its operation name. */
export class FakeEcs implements EcsLocationApi {
  readonly accountId = CLUSTER.accountId;
  readonly region = CLUSTER.region;
  readonly calls: Array<{ operation: string; input?: any }> = [];
  readonly taskDefinitions: TaskDefinition[] = [];
  readonly services = new Map<string, Service>();
  tasks: Task[] = [];
  instances: ContainerInstance[] = [];

  private call(operation: string, input?: unknown) {
    this.calls.push({ operation, input });
  }

  operations = () => this.calls.map(c => c.operation);

  writes = () =>
    this.operations().filter(o =>
      [
        'RegisterTaskDefinition',
        'CreateService',
        'UpdateService',
        'StopServiceDeployment',
      ].includes(o),
    );

  addTaskDefinition(td: TaskDefinition): TaskDefinition {
    const revision =
      this.taskDefinitions.filter(t => t.family === td.family).length + 1;
    const stored = {
      ...td,
      revision,
      taskDefinitionArn: tdArn(revision, td.family),
    };
    this.taskDefinitions.push(stored);
    return stored;
  }

  async latestTaskDefinitionArn(family: string) {
    this.call('ListTaskDefinitions', family);
    return this.taskDefinitions.filter(t => t.family === family).pop()
      ?.taskDefinitionArn;
  }

  async describeTaskDefinition(arn: string) {
    this.call('DescribeTaskDefinition', arn);
    const td = this.taskDefinitions.find(t => t.taskDefinitionArn === arn);
    if (!td)
      throw Object.assign(new Error(`No ${arn}`), {
        name: 'ClientException',
        $metadata: {},
      });
    return td;
  }

  async registerTaskDefinition(input: any) {
    this.call('RegisterTaskDefinition', input);
    const { tags: _tags, ...td } = input;
    return this.addTaskDefinition(td);
  }

  async describeServices(_cluster: string, names: string[]) {
    this.call('DescribeServices', names);
    return names.flatMap(n =>
      this.services.has(n) ? [this.services.get(n)!] : [],
    );
  }

  private deployed(
    name: string,
    taskDefinition: string | undefined,
    base?: Service,
  ): Service {
    const service: Service = {
      ...base,
      serviceName: name,
      status: 'ACTIVE',
      schedulingStrategy: 'DAEMON',
      taskDefinition,
      currentServiceDeployment: `arn:aws:ecs:eu-west-1:111111111111:service-deployment/prod/${name}/sd${this.calls.length}`,
      deployments: [
        {
          id: `ecs-svc/${this.calls.length}`,
          status: 'PRIMARY',
          taskDefinition,
          rolloutState: 'IN_PROGRESS',
          createdAt: new Date('2026-01-15T10:00:00.000Z'),
        },
      ],
    };
    this.services.set(name, service);
    return service;
  }

  async createService(input: any) {
    this.call('CreateService', input);
    return this.deployed(input.serviceName, input.taskDefinition);
  }

  async updateService(input: any) {
    this.call('UpdateService', input);
    return this.deployed(
      input.service,
      input.taskDefinition,
      this.services.get(input.service),
    );
  }

  async listTaskArns(_cluster: string, filter?: { desiredStatus?: string }) {
    this.call('ListTasks', filter);
    return this.tasks
      .filter(
        t =>
          (filter?.desiredStatus === 'STOPPED') ===
          (t.desiredStatus === 'STOPPED'),
      )
      .map(t => t.taskArn!);
  }

  async describeTasks(_cluster: string, arns: string[]) {
    this.call('DescribeTasks', arns);
    return this.tasks.filter(t => arns.includes(t.taskArn!));
  }

  async listContainerInstanceArns() {
    this.call('ListContainerInstances');
    return this.instances.map(i => i.containerInstanceArn!);
  }

  async describeContainerInstances(_cluster: string, arns: string[]) {
    this.call('DescribeContainerInstances', arns);
    return this.instances.filter(i => arns.includes(i.containerInstanceArn!));
  }

  async listClusterArns(): Promise<string[]> {
    throw new Error('not used by rollouts');
  }
  async describeClusters(_names: string[]): Promise<Cluster[]> {
    throw new Error('not used by DAEMON service rollouts');
  }
  async listServiceArns(): Promise<string[]> {
    throw new Error('not used by rollouts');
  }
  async listServiceDeploymentArns(): Promise<string[]> {
    throw new Error('not used by rollouts');
  }

  /** Service deployments by ARN (none unless a test adds them). */
  readonly serviceDeployments = new Map<string, ServiceDeployment>();

  async describeServiceDeployments(arns: string[]) {
    this.call('DescribeServiceDeployments', arns);
    return arns.flatMap(a =>
      this.serviceDeployments.has(a) ? [this.serviceDeployments.get(a)!] : [],
    );
  }

  async stopServiceDeployment(arn: string, stopType: 'ROLLBACK' | 'ABORT') {
    this.call('StopServiceDeployment', { arn, stopType });
    return arn;
  }
}

/** A gateway serving one fake location, counting how often it is asked. */
export function fakeGateway(ecs: FakeEcs) {
  const gateway = { forLocation: jest.fn(async () => ecs as EcsLocationApi) };
  return gateway as typeof gateway & EcsGateway;
}

export const logger = () => mockServices.logger.mock();
