/*
 * A fake ECS location with Managed Instances capacity providers and the ECS Managed Daemons calls
 * (a cluster `prod` in 111111111111/eu-west-1), recording every call as FakeEcs does, and records
 * of managed-daemon rollouts.
 */
import {
  CapacityProvider,
  Cluster,
  DaemonDeployment,
  DaemonDetail,
  DaemonRevision,
  DaemonTaskDefinition,
} from '../../aws/EcsGateway';
import { resolveFeatures } from '../plan';
import { RolloutRecord } from '../RolloutStore';
import { CLUSTER, FakeEcs, OPTIONS, record } from './fakes';

export const DAEMON_FAMILY = 'datadog-agent-daemon';
export const CLUSTER_ARN = `arn:aws:ecs:eu-west-1:111111111111:cluster/${CLUSTER.clusterName}`;
export const MI_PROVIDER = 'prod-mi';
export const MI_PROVIDER_ARN = `arn:aws:ecs:eu-west-1:111111111111:capacity-provider/${MI_PROVIDER}`;
export const DAEMON_ARN = `arn:aws:ecs:eu-west-1:111111111111:daemon/${CLUSTER.clusterName}/datadog-agent`;

export const dtdArn = (revision: number, family = DAEMON_FAMILY) =>
  `arn:aws:ecs:eu-west-1:111111111111:daemon-task-definition/${family}:${revision}`;

/** The options a managed-daemon rollout records. */
export const DAEMON_OPTIONS = {
  ...OPTIONS,
  // APM over the Unix socket: a daemon task definition has no port mapping.
  features: resolveFeatures({ apmSocket: true }),
  imageTag: '7.77.0',
  target: 'managed-daemon' as const,
  managedDaemon: { critical: true, drainPercent: 25, bakeTimeInMinutes: 0 },
};

/** A managed-daemon rollout's record. */
export const daemonRecord = (over: Partial<RolloutRecord> = {}) =>
  record({ target: 'managed-daemon', options: DAEMON_OPTIONS, ...over });

const notFound = (what: string) =>
  Object.assign(new Error(`The specified daemon was not found: ${what}`), {
    name: 'DaemonNotFoundException',
    $metadata: {},
  });

export class FakeDaemonEcs extends FakeEcs {
  /** The capacity providers of the cluster (DescribeClusters' `capacityProviders`). */
  capacityProviders: CapacityProvider[] = [
    {
      name: MI_PROVIDER,
      capacityProviderArn: MI_PROVIDER_ARN,
      status: 'ACTIVE',
      type: 'MANAGED_INSTANCES',
    },
  ];
  readonly daemonTaskDefinitions: DaemonTaskDefinition[] = [];
  readonly daemons = new Map<string, DaemonDetail>();
  readonly revisions = new Map<string, DaemonRevision>();
  readonly deployments = new Map<string, DaemonDeployment>();

  private record(operation: string, input?: unknown) {
    this.calls.push({ operation, input });
  }

  writes = () =>
    this.operations().filter(o =>
      [
        'RegisterDaemonTaskDefinition',
        'CreateDaemon',
        'UpdateDaemon',
        'RegisterTaskDefinition',
        'CreateService',
        'UpdateService',
      ].includes(o),
    );

  /** Stores a daemon task definition as ECS would (the rendered one or a hand-made one). */
  addDaemonTaskDefinition(given: object) {
    const td = given as DaemonTaskDefinition;
    const family = td.family ?? DAEMON_FAMILY;
    const revision =
      this.daemonTaskDefinitions.filter(t => t.family === family).length + 1;
    const stored = {
      ...td,
      family,
      revision,
      status: 'ACTIVE' as const,
      daemonTaskDefinitionArn: dtdArn(revision, family),
    };
    this.daemonTaskDefinitions.push(stored);
    return stored;
  }

  /** A daemon of `name` deploying `taskDefinitionArn`, its deployment in `status`. */
  addDaemon(
    taskDefinitionArn: string,
    status = 'SUCCESSFUL',
    name = 'datadog-agent',
  ): DaemonDetail {
    const daemonArn = `arn:aws:ecs:eu-west-1:111111111111:daemon/${CLUSTER.clusterName}/${name}`;
    return this.deploy(daemonArn, taskDefinitionArn, status, true);
  }

  private deploy(
    daemonArn: string,
    taskDefinitionArn: string,
    status: string,
    critical: boolean | undefined,
  ): DaemonDetail {
    const n = this.revisions.size + 1;
    const revisionArn = `${daemonArn.replace(
      ':daemon/',
      ':daemon-revision/',
    )}/${n}`;
    this.revisions.set(revisionArn, {
      daemonRevisionArn: revisionArn,
      daemonArn,
      daemonTaskDefinitionArn: taskDefinitionArn,
      critical,
    });
    const deploymentArn = `${daemonArn.replace(
      ':daemon/',
      ':daemon-deployment/',
    )}/d${n}`;
    this.deployments.set(deploymentArn, {
      daemonDeploymentArn: deploymentArn,
      status: status as DaemonDeployment['status'],
      targetDaemonRevision: { arn: revisionArn, totalRunningInstanceCount: 0 },
    });
    const daemon: DaemonDetail = {
      daemonArn,
      clusterArn: CLUSTER_ARN,
      status: 'ACTIVE',
      deploymentArn,
      currentRevisions: [
        {
          arn: revisionArn,
          capacityProviders: [{ arn: MI_PROVIDER_ARN, runningCount: 0 }],
        },
      ],
    };
    this.daemons.set(daemonArn, daemon);
    return daemon;
  }

  async describeClusters(names: string[]): Promise<Cluster[]> {
    this.record('DescribeClusters', names);
    return [
      {
        clusterName: CLUSTER.clusterName,
        clusterArn: CLUSTER_ARN,
        capacityProviders: this.capacityProviders.map(c => c.name!),
      },
    ];
  }

  async describeCapacityProviders(_cluster: string, names: string[]) {
    this.record('DescribeCapacityProviders', names);
    return this.capacityProviders.filter(c => names.includes(c.name!));
  }

  async listDaemonArns(clusterArn: string) {
    this.record('ListDaemons', clusterArn);
    return [...this.daemons.keys()];
  }

  async describeDaemon(arn: string) {
    this.record('DescribeDaemon', arn);
    const daemon = this.daemons.get(arn);
    if (!daemon) throw notFound(arn);
    return structuredClone(daemon);
  }

  async describeDaemonRevisions(arns: string[]) {
    this.record('DescribeDaemonRevisions', arns);
    return arns.flatMap(a =>
      this.revisions.has(a) ? [this.revisions.get(a)!] : [],
    );
  }

  async describeDaemonTaskDefinition(arn: string) {
    this.record('DescribeDaemonTaskDefinition', arn);
    const td = this.daemonTaskDefinitions.find(
      t => t.daemonTaskDefinitionArn === arn,
    );
    if (!td)
      throw Object.assign(new Error(`No ${arn}`), {
        name: 'ClientException',
        $metadata: {},
      });
    return td;
  }

  async latestDaemonTaskDefinitionArn(family: string) {
    this.record('ListDaemonTaskDefinitions', family);
    return this.daemonTaskDefinitions.filter(t => t.family === family).pop()
      ?.daemonTaskDefinitionArn;
  }

  async listDaemonDeploymentArns(daemonArn: string) {
    this.record('ListDaemonDeployments', daemonArn);
    return [...this.deployments.keys()];
  }

  async describeDaemonDeployments(arns: string[]) {
    this.record('DescribeDaemonDeployments', arns);
    return arns.flatMap(a =>
      this.deployments.has(a)
        ? [structuredClone(this.deployments.get(a)!)]
        : [],
    );
  }

  async registerDaemonTaskDefinition(input: any) {
    this.record('RegisterDaemonTaskDefinition', input);
    const { tags: _tags, ...td } = input;
    return this.addDaemonTaskDefinition(td).daemonTaskDefinitionArn;
  }

  async createDaemon(input: any) {
    this.record('CreateDaemon', input);
    const daemonArn = `arn:aws:ecs:eu-west-1:111111111111:daemon/${CLUSTER.clusterName}/${input.daemonName}`;
    const daemon = this.deploy(
      daemonArn,
      input.daemonTaskDefinitionArn,
      'PENDING',
      input.critical,
    );
    return {
      daemonArn,
      status: 'ACTIVE' as const,
      deploymentArn: daemon.deploymentArn,
      $metadata: {},
    };
  }

  async updateDaemon(input: any) {
    this.record('UpdateDaemon', input);
    if (!this.daemons.has(input.daemonArn)) throw notFound(input.daemonArn);
    const daemon = this.deploy(
      input.daemonArn,
      input.daemonTaskDefinitionArn,
      'PENDING',
      input.critical,
    );
    return {
      daemonArn: input.daemonArn,
      status: 'ACTIVE' as const,
      deploymentArn: daemon.deploymentArn,
      $metadata: {},
    };
  }

  /** Sets a deployment's status (and more), as ECS moves it on. */
  setDeployment(arn: string, patch: Partial<DaemonDeployment>) {
    Object.assign(this.deployments.get(arn)!, patch);
  }
}
