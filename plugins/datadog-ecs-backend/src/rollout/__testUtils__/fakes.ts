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
  ContainerInstance,
  EcsGateway,
  EcsLocationApi,
  Service,
  Task,
  TaskDefinition,
} from '../../aws/EcsGateway';
import { RolloutConfig } from '../../config/config';
import { RolloutLease } from '../common';
import { resolveFeatures } from '../plan';
import { NewRolloutRecord, RolloutPatch, RolloutRecord } from '../RolloutStore';

export const CLUSTER: ClusterRef = {
  accountId: '111111111111',
  region: 'eu-west-1',
  clusterName: 'prod',
};
export const FAMILY = 'datadog-agent-task';
export const LEASE: RolloutLease = { owner: 'replica-a', ttlMs: 30_000 };

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
    ...over,
  };
}

/** The rollout store in memory: updates under a lease fail once another replica holds it. */
export class FakeRolloutStore {
  readonly records = new Map<string, RolloutRecord>();
  readonly released: string[] = [];

  constructor(...records: RolloutRecord[]) {
    for (const r of records) this.records.set(r.id, { ...r });
  }

  async get(id: string) {
    const r = this.records.get(id);
    return r && { ...r };
  }

  async insert(r: NewRolloutRecord, lease: RolloutLease) {
    this.records.set(r.id, {
      ...r,
      updatedAt: r.createdAt,
      instances: [],
      events: [],
      leaseOwner: lease.owner,
    });
  }

  async update(id: string, patch: RolloutPatch, lease?: RolloutLease) {
    const r = this.records.get(id);
    if (!r || (lease && r.leaseOwner !== lease.owner)) return false;
    Object.assign(r, patch);
    return true;
  }

  async finish(
    id: string,
    patch: RolloutPatch & { status: 'completed' | 'failed' },
    leaseOwner?: string,
  ) {
    const r = this.records.get(id);
    if (!r || (r.status !== 'pending' && r.status !== 'in-progress'))
      return false;
    if (leaseOwner && r.leaseOwner !== leaseOwner) return false;
    Object.assign(r, patch, { leaseOwner: undefined, finishedAt: 'now' });
    return true;
  }

  async findByClientToken(_cluster: ClusterRef, token: string) {
    return [...this.records.values()].find(r => r.clientToken === token);
  }

  async latestFinished(_cluster: ClusterRef) {
    return [...this.records.values()]
      .filter(r => r.status === 'completed' || r.status === 'failed')
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

  async claimLease(id: string, owner: string) {
    const r = this.records.get(id);
    if (!r || (r.leaseOwner && r.leaseOwner !== owner)) return false;
    r.leaseOwner = owner;
    return true;
  }

  async releaseLease(id: string, owner: string) {
    const r = this.records.get(id);
    if (r?.leaseOwner === owner) r.leaseOwner = undefined;
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
      ['RegisterTaskDefinition', 'CreateService', 'UpdateService'].includes(o),
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
  async describeClusters(): Promise<never[]> {
    throw new Error('not used by rollouts');
  }
  async listServiceArns(): Promise<string[]> {
    throw new Error('not used by rollouts');
  }
  async listServiceDeploymentArns(): Promise<string[]> {
    throw new Error('not used by rollouts');
  }
  async describeServiceDeployments(): Promise<never[]> {
    throw new Error('not used by rollouts');
  }
}

/** A gateway serving one fake location, counting how often it is asked. */
export function fakeGateway(ecs: FakeEcs) {
  const gateway = { forLocation: jest.fn(async () => ecs as EcsLocationApi) };
  return gateway as typeof gateway & EcsGateway;
}

export const logger = () => mockServices.logger.mock();
