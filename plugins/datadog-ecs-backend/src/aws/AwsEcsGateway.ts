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
  ECSClientConfig,
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
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { chunk, Limiter } from '../util/concurrency';
import { Ec2ImageReader } from './Ec2Images';
import { OperationPacer, pacedRetryStrategy } from './pacing';
import { EcsGateway, EcsLocationApi, ListTasksFilter } from './EcsGateway';

/** ECS's batch limits. */
const DESCRIBE_BATCH = 100;
const DESCRIBE_SERVICES_BATCH = 10;
const DESCRIBE_DEPLOYMENTS_BATCH = 20;
/** DescribeDaemonRevisions and DescribeDaemonDeployments take up to 20 ARNs. */
const DESCRIBE_DAEMON_BATCH = 20;
const LIST_PAGE = 100;
/** The default of `callsInFlight` (`datadogEcs.callsInFlight`). */
export const DEFAULT_CALLS_IN_FLIGHT = 12;

export interface AwsEcsGatewayOptions {
  credentialsManager: AwsCredentialsManager;
  /** Overrides AWS's regional endpoints (the local emulator): ECS's, and EC2's unless `ec2Endpoint` is given. */
  endpoint?: string;
  /** Overrides AWS's regional EC2 endpoints; `endpoint` when absent. */
  ec2Endpoint?: string;
  /**
   * Attempts per call (default 6): throttling and transient errors retried by the SDK's adaptive
   * retry strategy, each operation paced by its own {@link OperationPacer}.
   */
  maxAttempts?: number;
  /**
   * ECS and EC2 requests on the wire at once per account-region, whatever sends them (default
   * {@link DEFAULT_CALLS_IN_FLIGHT}); the others wait for a slot, in order.
   */
  callsInFlight?: number;
  /**
   * How long one request and its answer may take before it fails as a timeout (retried like any
   * transient error), in ms (default 60 s). Without it the SDK waits forever, and a request that
   * never answers would hold its calls-in-flight slot forever.
   */
  requestTimeoutMs?: number;
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
 * Describes the ARNs in batches of at most `size`, all at once (the location's calls-in-flight
 * limit spreads them), the items and each batch's `failures[]` (appended to `failures` when the
 * caller gives one) in the order of the ARNs, whatever order the answers come in.
 */
async function describeInBatches<T>(
  arns: string[],
  size: number,
  describe: (batch: string[]) => Promise<{ items?: T[]; failures?: Failure[] }>,
  failures?: Failure[],
): Promise<T[]> {
  const answers = await Promise.all(chunk(arns, size).map(describe));
  const out: T[] = [];
  for (const r of answers) {
    for (const item of r.items ?? []) out.push(item);
    if (failures && r.failures?.length) failures.push(...r.failures);
  }
  return out;
}

/** The HTTP handler the SDK clients send with. */
type RequestHandler = ECSClient['config']['requestHandler'];

/**
 * The handler, letting at most `limiter.limit` requests be on the wire at once, those of higher
 * `priority` first. It sits below the SDK's retry and rate-limit middleware, so a call waiting for
 * a retry or for its paced moment holds no slot: a slot is a round trip.
 */
function limitedHandler(
  inner: RequestHandler,
  limiter: Limiter,
  priority: number,
): RequestHandler {
  const delegate = inner as RequestHandler & {
    updateHttpClientConfig?(key: never, value: never): void;
    httpHandlerConfigs?(): unknown;
  };
  return {
    metadata: inner.metadata,
    handle: (...args: Parameters<RequestHandler['handle']>) =>
      limiter.run(() => inner.handle(...args), priority),
    destroy: () => inner.destroy?.(),
    updateHttpClientConfig: (key: never, value: never) =>
      delegate.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => delegate.httpHandlerConfigs?.() ?? {},
  } as RequestHandler;
}

/**
 * What a rollout writes, which takes a location's next free slot before any waiting read: someone
 * is waiting for it.
 */
const WRITES = new Set<unknown>([
  CreateDaemonCommand,
  CreateServiceCommand,
  RegisterDaemonTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateDaemonCommand,
  UpdateServiceCommand,
]);
/**
 * Then the reads of container instances: a location describes its AMIs once every cluster's
 * instances are known, and a cluster's pass that ends before then is kept packed until they are
 * (`observeLocation`), so reading the instances first spares the packing. Other reads wait in the
 * order they were asked for.
 */
const INSTANCE_READS = new Set<unknown>([
  ListContainerInstancesCommand,
  DescribeContainerInstancesCommand,
]);
const READ_PRIORITY = 0;
const INSTANCES_PRIORITY = 1;
const WRITE_PRIORITY = 2;

/** The priority of a command's calls for a free slot (see {@link WRITES}, {@link INSTANCE_READS}). */
function callPriority(command: object): number {
  if (WRITES.has(command.constructor)) return WRITE_PRIORITY;
  return INSTANCE_READS.has(command.constructor)
    ? INSTANCES_PRIORITY
    : READ_PRIORITY;
}

/**
 * Clients log nothing of what they send or receive: the SDK's logger middleware filters every
 * response for its log even when nothing logs it (a few percent of a refresh's CPU), and a task
 * definition's answer holds the values this plugin redacts before anything leaves it.
 */
function withoutSdkLog<
  C extends { middlewareStack: { remove(name: string): boolean } },
>(client: C): C {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/**
 * One `ECSClient` per operation, on one HTTP handler (the same sockets, the same calls-in-flight
 * limit) and the same credentials, each with its own {@link OperationPacer}. ECS throttles each
 * operation with its own token bucket per account and region, while a client's retry strategy
 * paces everything that client sends at one rate: with one client, a throttled ListTasks would
 * slow DescribeTasks and every other call down too.
 */
class EcsClients {
  private readonly byCommand = new Map<unknown, ECSClient>();

  constructor(
    private readonly config: ECSClientConfig,
    private readonly maxAttempts: number,
    private readonly handlerFor: (priority: number) => RequestHandler,
  ) {}

  private clientFor(command: object): ECSClient {
    const key = command.constructor;
    let client = this.byCommand.get(key);
    if (!client) {
      client = withoutSdkLog(
        new ECSClient({
          ...this.config,
          requestHandler: this.handlerFor(callPriority(command)),
          retryStrategy: pacedRetryStrategy(this.maxAttempts),
        }),
      );
      this.byCommand.set(key, client);
    }
    return client;
  }

  readonly send: ECSClient['send'] = ((command: object, ...rest: unknown[]) =>
    (this.clientFor(command).send as (...a: unknown[]) => unknown)(
      command,
      ...rest,
    )) as ECSClient['send'];
}

class AwsEcsLocationApi implements EcsLocationApi {
  constructor(
    readonly accountId: string,
    readonly region: string,
    private readonly clients: EcsClients,
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
      const r = await this.clients.send(
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
        const r = await this.clients.send(
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
      const r = await this.clients.send(
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
        const r = await this.clients.send(
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
      const r = await this.clients.send(
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
        const r = await this.clients.send(
          new DescribeServicesCommand({ cluster, services: batch }),
        );
        return { items: r.services, failures: r.failures };
      },
      failures,
    );
  }

  listTaskArns(cluster: string, filter: ListTasksFilter = {}) {
    return paginate(async nextToken => {
      const r = await this.clients.send(
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
        const r = await this.clients.send(
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
    const pending = this.clients
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
    const r = await this.clients.send(new RegisterTaskDefinitionCommand(input));
    if (!r.taskDefinition) throw new Error('ECS returned no task definition');
    return r.taskDefinition;
  }

  async createService(input: CreateServiceCommandInput) {
    const r = await this.clients.send(new CreateServiceCommand(input));
    if (!r.service) throw new Error('ECS returned no service');
    return r.service;
  }

  async updateService(input: UpdateServiceCommandInput) {
    const r = await this.clients.send(new UpdateServiceCommand(input));
    if (!r.service) throw new Error('ECS returned no service');
    return r.service;
  }

  /** One page of the active task definitions of the families with this prefix, newest first. */
  private listTaskDefinitionsPage(familyPrefix: string, nextToken?: string) {
    return this.clients.send(
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
      const r = await this.clients.send(
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
    const r = await this.clients.send(
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
        const r = await this.clients.send(
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
      const r = await this.clients.send(
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
    const r = await this.clients.send(new DescribeDaemonCommand({ daemonArn }));
    if (!r.daemon) throw new Error(`ECS returned no daemon for ${daemonArn}`);
    return r.daemon;
  }

  describeDaemonRevisions(arns: string[], failures?: Failure[]) {
    return describeInBatches(
      arns,
      DESCRIBE_DAEMON_BATCH,
      async batch => {
        const r = await this.clients.send(
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
    const pending = this.clients
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
      const r = await this.clients.send(
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
      const r = await this.clients.send(
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
        const r = await this.clients.send(
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
    const r = await this.clients.send(
      new RegisterDaemonTaskDefinitionCommand(input),
    );
    if (!r.daemonTaskDefinitionArn)
      throw new Error('ECS returned no daemon task definition ARN');
    return r.daemonTaskDefinitionArn;
  }

  createDaemon(input: CreateDaemonCommandInput) {
    return this.clients.send(new CreateDaemonCommand(input));
  }

  updateDaemon(input: UpdateDaemonCommandInput) {
    return this.clients.send(new UpdateDaemonCommand(input));
  }

  describeServiceDeployments(arns: string[]) {
    return describeInBatches(arns, DESCRIBE_DEPLOYMENTS_BATCH, async batch => {
      const r = await this.clients.send(
        new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }),
      );
      return { items: r.serviceDeployments };
    });
  }
}

/**
 * {@link EcsGateway} on the AWS SDK: per account-region, an `ECSClient` per operation (one HTTP
 * handler) and an `EC2Client`, with the account's credentials from `@backstage/integration-aws-node`,
 * retries paced per operation as ECS throttles them (`OperationPacer`), a
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
    const maxAttempts = this.options.maxAttempts ?? 6;
    const clientConfig = {
      region,
      credentials: sdkCredentialProvider,
      maxAttempts,
    };
    // One HTTP handler (its sockets) and one limit for every client of this location; the
    // clients of a priority share its wrapper.
    const http = new NodeHttpHandler({
      connectionTimeout: 10_000,
      requestTimeout: this.options.requestTimeoutMs ?? 60_000,
      throwOnRequestTimeout: true,
    });
    const limiter = new Limiter(
      this.options.callsInFlight ?? DEFAULT_CALLS_IN_FLIGHT,
    );
    const handlers = new Map<number, RequestHandler>();
    const handlerFor = (priority: number) => {
      let handler = handlers.get(priority);
      if (!handler) {
        handler = limitedHandler(http, limiter, priority);
        handlers.set(priority, handler);
      }
      return handler;
    };
    const clients = new EcsClients(
      { ...clientConfig, endpoint: this.options.endpoint },
      maxAttempts,
      handlerFor,
    );
    const ec2 = withoutSdkLog(
      new EC2Client({
        ...clientConfig,
        retryStrategy: pacedRetryStrategy(maxAttempts),
        requestHandler: handlerFor(READ_PRIORITY),
        endpoint: this.options.ec2Endpoint ?? this.options.endpoint,
      }),
    );
    return new AwsEcsLocationApi(
      accountId,
      region,
      clients,
      this.taskDefinitionCache,
      new Ec2ImageReader(ec2, this.options.now),
      this.daemonTaskDefinitionCache,
    );
  }
}
