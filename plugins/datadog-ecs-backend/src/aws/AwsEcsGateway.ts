import {
  CreateDaemonCommand,
  CreateDaemonCommandInput,
  DaemonTaskDefinition,
  DescribeCapacityProvidersCommand,
  DescribeDaemonCommand,
  DescribeDaemonDeploymentsCommand,
  DescribeDaemonRevisionsCommand,
  DescribeDaemonTaskDefinitionCommand,
  ListDaemonDeploymentsCommand,
  ListDaemonsCommand,
  ListDaemonTaskDefinitionsCommand,
  RegisterDaemonTaskDefinitionCommand,
  RegisterDaemonTaskDefinitionCommandInput,
  UpdateDaemonCommand,
  UpdateDaemonCommandInput,
  CreateServiceCommand,
  CreateServiceCommandInput,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  Failure,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RegisterTaskDefinitionCommandInput,
  StopServiceDeploymentCommand,
  TaskDefinition,
  UpdateServiceCommand,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { chunk } from '../util/concurrency';
import { Ec2ImageReader } from './Ec2Images';
import { EcsGateway, EcsLocationApi, ListTasksFilter } from './EcsGateway';

/** ECS's batch limits. */
const DESCRIBE_BATCH = 100;
const DESCRIBE_SERVICES_BATCH = 10;
const DESCRIBE_DEPLOYMENTS_BATCH = 20;
/** DescribeDaemonRevisions and DescribeDaemonDeployments take up to 20 ARNs. */
const DESCRIBE_DAEMON_BATCH = 20;
const LIST_PAGE = 100;

export interface AwsEcsGatewayOptions {
  credentialsManager: AwsCredentialsManager;
  /** Overrides AWS's regional endpoints (the local emulator): ECS's, and EC2's unless `ec2Endpoint` is given. */
  endpoint?: string;
  /** Overrides AWS's regional EC2 endpoints; `endpoint` when absent. */
  ec2Endpoint?: string;
  /** Attempts per call, throttling retried by the SDK's adaptive mode. */
  maxAttempts?: number;
  /** The clock of the AMI cache (ms since the epoch), for tests. */
  now?: () => number;
}

async function paginate(
  fetchPage: (
    nextToken?: string,
  ) => Promise<{ arns?: string[]; nextToken?: string }>,
): Promise<string[]> {
  const all: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    all.push(...(page.arns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

/**
 * Describes the ARNs in batches of at most `size`, one call after the other, in order; each
 * batch's `failures[]` is appended to `failures` when the caller gives one.
 */
async function describeInBatches<T>(
  arns: string[],
  size: number,
  describe: (batch: string[]) => Promise<{ items?: T[]; failures?: Failure[] }>,
  failures?: Failure[],
): Promise<T[]> {
  const out: T[] = [];
  for (const batch of chunk(arns, size)) {
    const r = await describe(batch);
    out.push(...(r.items ?? []));
    if (failures && r.failures?.length) failures.push(...r.failures);
  }
  return out;
}

class AwsEcsLocationApi implements EcsLocationApi {
  constructor(
    readonly accountId: string,
    readonly region: string,
    private readonly client: ECSClient,
    private readonly taskDefinitionCache: Map<string, Promise<TaskDefinition>>,
    private readonly images: Ec2ImageReader,
    private readonly daemonTaskDefinitionCache: Map<
      string,
      Promise<DaemonTaskDefinition>
    >,
  ) {}

  describeImages(amiIds: string[]) {
    return this.images.describeImages(amiIds);
  }

  listClusterArns() {
    return paginate(async nextToken => {
      const r = await this.client.send(
        new ListClustersCommand({ nextToken, maxResults: LIST_PAGE }),
      );
      return { arns: r.clusterArns, nextToken: r.nextToken };
    });
  }

  describeClusters(clusterArns: string[], failures?: Failure[]) {
    return describeInBatches(
      clusterArns,
      DESCRIBE_BATCH,
      async batch => {
        const r = await this.client.send(
          new DescribeClustersCommand({
            clusters: batch,
            include: ['SETTINGS', 'TAGS'],
          }),
        );
        return { items: r.clusters, failures: r.failures };
      },
      failures,
    );
  }

  listContainerInstanceArns(cluster: string) {
    return paginate(async nextToken => {
      const r = await this.client.send(
        new ListContainerInstancesCommand({
          cluster,
          nextToken,
          maxResults: LIST_PAGE,
        }),
      );
      return { arns: r.containerInstanceArns, nextToken: r.nextToken };
    });
  }

  describeContainerInstances(
    cluster: string,
    arns: string[],
    failures?: Failure[],
  ) {
    return describeInBatches(
      arns,
      DESCRIBE_BATCH,
      async batch => {
        const r = await this.client.send(
          new DescribeContainerInstancesCommand({
            cluster,
            containerInstances: batch,
          }),
        );
        return { items: r.containerInstances, failures: r.failures };
      },
      failures,
    );
  }

  listServiceArns(cluster: string) {
    return paginate(async nextToken => {
      const r = await this.client.send(
        new ListServicesCommand({ cluster, nextToken, maxResults: LIST_PAGE }),
      );
      return { arns: r.serviceArns, nextToken: r.nextToken };
    });
  }

  describeServices(cluster: string, arns: string[], failures?: Failure[]) {
    return describeInBatches(
      arns,
      DESCRIBE_SERVICES_BATCH,
      async batch => {
        const r = await this.client.send(
          new DescribeServicesCommand({ cluster, services: batch }),
        );
        return { items: r.services, failures: r.failures };
      },
      failures,
    );
  }

  listTaskArns(cluster: string, filter: ListTasksFilter = {}) {
    return paginate(async nextToken => {
      const r = await this.client.send(
        new ListTasksCommand({
          cluster,
          ...filter,
          nextToken,
          maxResults: LIST_PAGE,
        }),
      );
      return { arns: r.taskArns, nextToken: r.nextToken };
    });
  }

  describeTasks(cluster: string, arns: string[], failures?: Failure[]) {
    return describeInBatches(
      arns,
      DESCRIBE_BATCH,
      async batch => {
        const r = await this.client.send(
          new DescribeTasksCommand({ cluster, tasks: batch }),
        );
        return { items: r.tasks, failures: r.failures };
      },
      failures,
    );
  }

  describeTaskDefinition(taskDefinitionArn: string) {
    const cached = this.taskDefinitionCache.get(taskDefinitionArn);
    if (cached) return cached;
    const pending = this.client
      .send(
        new DescribeTaskDefinitionCommand({
          taskDefinition: taskDefinitionArn,
        }),
      )
      .then(r => {
        if (!r.taskDefinition)
          throw new Error(
            `ECS returned no task definition for ${taskDefinitionArn}`,
          );
        return r.taskDefinition;
      });
    this.taskDefinitionCache.set(taskDefinitionArn, pending);
    // A failed call is not cached: the next refresh asks again.
    pending.catch(() => this.taskDefinitionCache.delete(taskDefinitionArn));
    return pending;
  }

  async registerTaskDefinition(input: RegisterTaskDefinitionCommandInput) {
    const r = await this.client.send(new RegisterTaskDefinitionCommand(input));
    if (!r.taskDefinition) throw new Error('ECS returned no task definition');
    return r.taskDefinition;
  }

  async createService(input: CreateServiceCommandInput) {
    const r = await this.client.send(new CreateServiceCommand(input));
    if (!r.service) throw new Error('ECS returned no service');
    return r.service;
  }

  async updateService(input: UpdateServiceCommandInput) {
    const r = await this.client.send(new UpdateServiceCommand(input));
    if (!r.service) throw new Error('ECS returned no service');
    return r.service;
  }

  /** One page of the active task definitions of the families with this prefix, newest first. */
  private listTaskDefinitionsPage(familyPrefix: string, nextToken?: string) {
    return this.client.send(
      new ListTaskDefinitionsCommand({
        familyPrefix,
        status: 'ACTIVE',
        sort: 'DESC',
        nextToken,
        maxResults: LIST_PAGE,
      }),
    );
  }

  listTaskDefinitionArns(familyPrefix: string) {
    return paginate(async nextToken => {
      const r = await this.listTaskDefinitionsPage(familyPrefix, nextToken);
      return { arns: r.taskDefinitionArns, nextToken: r.nextToken };
    });
  }

  async latestTaskDefinitionArn(family: string) {
    // DESC lists families in reverse lexical order, each newest revision first: longer families
    // sharing the prefix come first, then the first ARN of exactly `family` is its latest revision.
    const exact = new RegExp(
      `:task-definition/${family.replace(/[^A-Za-z0-9_-]/g, '')}:\\d+$`,
    );
    let nextToken: string | undefined;
    do {
      const r = await this.listTaskDefinitionsPage(family, nextToken);
      const found = (r.taskDefinitionArns ?? []).find(arn => exact.test(arn));
      if (found) return found;
      nextToken = r.nextToken;
    } while (nextToken);
    return undefined;
  }

  listServiceDeploymentArns(cluster: string, service: string) {
    return paginate(async nextToken => {
      const r = await this.client.send(
        new ListServiceDeploymentsCommand({
          cluster,
          service,
          nextToken,
          maxResults: LIST_PAGE,
        }),
      );
      return {
        arns: (r.serviceDeployments ?? [])
          .map(d => d.serviceDeploymentArn!)
          .filter(Boolean),
        nextToken: r.nextToken,
      };
    });
  }

  async stopServiceDeployment(
    serviceDeploymentArn: string,
    stopType: 'ROLLBACK' | 'ABORT',
  ) {
    const r = await this.client.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType }),
    );
    return r.serviceDeploymentArn;
  }

  describeCapacityProviders(
    cluster: string,
    capacityProviders: string[],
    failures?: Failure[],
  ) {
    return describeInBatches(
      capacityProviders,
      DESCRIBE_BATCH,
      async batch => {
        const r = await this.client.send(
          new DescribeCapacityProvidersCommand({
            cluster,
            capacityProviders: batch,
          }),
        );
        return { items: r.capacityProviders, failures: r.failures };
      },
      failures,
    );
  }

  listDaemonArns(clusterArn: string) {
    return paginate(async nextToken => {
      const r = await this.client.send(
        new ListDaemonsCommand({
          clusterArn,
          nextToken,
          maxResults: LIST_PAGE,
        }),
      );
      return {
        arns: (r.daemonSummariesList ?? [])
          .map(d => d.daemonArn!)
          .filter(Boolean),
        nextToken: r.nextToken,
      };
    });
  }

  async describeDaemon(daemonArn: string) {
    const r = await this.client.send(new DescribeDaemonCommand({ daemonArn }));
    if (!r.daemon) throw new Error(`ECS returned no daemon for ${daemonArn}`);
    return r.daemon;
  }

  describeDaemonRevisions(arns: string[], failures?: Failure[]) {
    return describeInBatches(
      arns,
      DESCRIBE_DAEMON_BATCH,
      async batch => {
        const r = await this.client.send(
          new DescribeDaemonRevisionsCommand({ daemonRevisionArns: batch }),
        );
        return { items: r.daemonRevisions, failures: r.failures };
      },
      failures,
    );
  }

  describeDaemonTaskDefinition(arn: string) {
    const cached = this.daemonTaskDefinitionCache.get(arn);
    if (cached) return cached;
    const pending = this.client
      .send(
        new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: arn }),
      )
      .then(r => {
        if (!r.daemonTaskDefinition)
          throw new Error(`ECS returned no daemon task definition for ${arn}`);
        return r.daemonTaskDefinition;
      });
    this.daemonTaskDefinitionCache.set(arn, pending);
    pending.catch(() => this.daemonTaskDefinitionCache.delete(arn));
    return pending;
  }

  async latestDaemonTaskDefinitionArn(family: string) {
    let nextToken: string | undefined;
    do {
      const r = await this.client.send(
        new ListDaemonTaskDefinitionsCommand({
          family,
          status: 'ACTIVE',
          sort: 'DESC',
          nextToken,
          maxResults: LIST_PAGE,
        }),
      );
      // `family` is an exact match; newest first, so the first one is the latest.
      const found = (r.daemonTaskDefinitions ?? []).find(d => d.arn)?.arn;
      if (found) return found;
      nextToken = r.nextToken;
    } while (nextToken);
    return undefined;
  }

  listDaemonDeploymentArns(daemonArn: string) {
    return paginate(async nextToken => {
      const r = await this.client.send(
        new ListDaemonDeploymentsCommand({
          daemonArn,
          nextToken,
          maxResults: LIST_PAGE,
        }),
      );
      return {
        arns: (r.daemonDeployments ?? [])
          .map(d => d.daemonDeploymentArn!)
          .filter(Boolean),
        nextToken: r.nextToken,
      };
    });
  }

  describeDaemonDeployments(arns: string[], failures?: Failure[]) {
    return describeInBatches(
      arns,
      DESCRIBE_DAEMON_BATCH,
      async batch => {
        const r = await this.client.send(
          new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: batch }),
        );
        return { items: r.daemonDeployments, failures: r.failures };
      },
      failures,
    );
  }

  async registerDaemonTaskDefinition(
    input: RegisterDaemonTaskDefinitionCommandInput,
  ) {
    const r = await this.client.send(
      new RegisterDaemonTaskDefinitionCommand(input),
    );
    if (!r.daemonTaskDefinitionArn)
      throw new Error('ECS returned no daemon task definition ARN');
    return r.daemonTaskDefinitionArn;
  }

  createDaemon(input: CreateDaemonCommandInput) {
    return this.client.send(new CreateDaemonCommand(input));
  }

  updateDaemon(input: UpdateDaemonCommandInput) {
    return this.client.send(new UpdateDaemonCommand(input));
  }

  describeServiceDeployments(arns: string[]) {
    return describeInBatches(arns, DESCRIBE_DEPLOYMENTS_BATCH, async batch => {
      const r = await this.client.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }),
      );
      return { items: r.serviceDeployments };
    });
  }
}

/**
 * {@link EcsGateway} on the AWS SDK: one `ECSClient` and one `EC2Client` per account-region with the
 * account's credentials from `@backstage/integration-aws-node`, adaptive retries for throttling, a
 * task-definition cache shared by all locations (ARNs are globally unique and immutable) and an AMI
 * cache per location (what an account may read is its own).
 */
export class AwsEcsGateway implements EcsGateway {
  private readonly clients = new Map<string, Promise<EcsLocationApi>>();
  private readonly taskDefinitionCache = new Map<
    string,
    Promise<TaskDefinition>
  >();
  private readonly daemonTaskDefinitionCache = new Map<
    string,
    Promise<DaemonTaskDefinition>
  >();

  constructor(private readonly options: AwsEcsGatewayOptions) {}

  forLocation(accountId: string, region: string): Promise<EcsLocationApi> {
    const key = `${accountId}/${region}`;
    let api = this.clients.get(key);
    if (!api) {
      api = this.create(accountId, region);
      this.clients.set(key, api);
      api.catch(() => this.clients.delete(key));
    }
    return api;
  }

  private async create(
    accountId: string,
    region: string,
  ): Promise<EcsLocationApi> {
    const { sdkCredentialProvider } =
      await this.options.credentialsManager.getCredentialProvider({
        accountId,
      });
    const clientConfig = {
      region,
      credentials: sdkCredentialProvider,
      retryMode: 'adaptive',
      maxAttempts: this.options.maxAttempts ?? 6,
    };
    const client = new ECSClient({
      ...clientConfig,
      endpoint: this.options.endpoint,
    });
    const ec2 = new EC2Client({
      ...clientConfig,
      endpoint: this.options.ec2Endpoint ?? this.options.endpoint,
    });
    return new AwsEcsLocationApi(
      accountId,
      region,
      client,
      this.taskDefinitionCache,
      new Ec2ImageReader(ec2, this.options.now),
      this.daemonTaskDefinitionCache,
    );
  }
}
