import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ECSServiceException,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { errorAsData } from '../inventory/errors';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import { AwsEcsGateway, DEFAULT_CALLS_IN_FLIGHT } from './AwsEcsGateway';
import { OperationPacer } from './pacing';
import { Failure } from './EcsGateway';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const CLUSTER = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/big`;

function credentialsManager() {
  const getCredentialProvider = jest.fn(
    async ({ accountId }: { accountId?: string }) => ({
      accountId,
      sdkCredentialProvider: async () => ({
        accessKeyId: 'AKIATEST',
        secretAccessKey: 'secret',
      }),
    }),
  );
  return {
    manager: { getCredentialProvider } as unknown as AwsCredentialsManager,
    getCredentialProvider,
  };
}

const arns = (kind: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `arn:aws:ecs:${REGION}:${ACCOUNT}:${kind}/big/${String(i).padStart(
        4,
        '0',
      )}`,
  );

/** Serves `all` in pages of `pageSize`, the token being the next index. */
function pages(all: string[], pageSize: number) {
  return (nextToken?: string) => {
    const start = nextToken ? Number(nextToken) : 0;
    const end = Math.min(all.length, start + pageSize);
    return {
      arns: all.slice(start, end),
      nextToken: end < all.length ? String(end) : undefined,
    };
  };
}

describe('AwsEcsGateway (SDK mocked)', () => {
  let ecs: AwsClientStub<ECSClient>;
  beforeEach(() => {
    ecs = mockClient(ECSClient);
  });
  afterEach(() => {
    ecs.restore();
  });

  it('follows ListClusters pages until there is no nextToken', async () => {
    const all = arns('cluster', 230);
    const page = pages(all, 100);
    ecs.on(ListClustersCommand).callsFake(input => {
      const p = page(input.nextToken);
      return { clusterArns: p.arns, nextToken: p.nextToken };
    });
    const api = await new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
    }).forLocation(ACCOUNT, REGION);
    await expect(api.listClusterArns()).resolves.toEqual(all);
    const inputs = ecs
      .commandCalls(ListClustersCommand)
      .map(c => c.args[0].input);
    expect(inputs).toEqual([
      { maxResults: 100, nextToken: undefined },
      { maxResults: 100, nextToken: '100' },
      { maxResults: 100, nextToken: '200' },
    ]);
  });

  it('lists 250 instances over 3 pages and describes them in 3 batches of at most 100', async () => {
    const all = arns('container-instance', 250);
    const page = pages(all, 100);
    ecs.on(ListContainerInstancesCommand).callsFake(input => {
      const p = page(input.nextToken);
      return { containerInstanceArns: p.arns, nextToken: p.nextToken };
    });
    ecs.on(DescribeContainerInstancesCommand).callsFake(input => ({
      containerInstances: input.containerInstances.map((arn: string) => ({
        containerInstanceArn: arn,
      })),
    }));
    const api = await new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
    }).forLocation(ACCOUNT, REGION);
    const listed = await api.listContainerInstanceArns(CLUSTER);
    expect(listed).toHaveLength(250);
    expect(ecs.commandCalls(ListContainerInstancesCommand)).toHaveLength(3);
    expect(
      ecs.commandCalls(ListContainerInstancesCommand)[1].args[0].input,
    ).toEqual({
      cluster: CLUSTER,
      nextToken: '100',
      maxResults: 100,
    });

    const described = await api.describeContainerInstances(CLUSTER, listed);
    expect(described.map(i => i.containerInstanceArn)).toEqual(all);
    const batches = ecs
      .commandCalls(DescribeContainerInstancesCommand)
      .map(c => c.args[0].input);
    expect(batches.map(b => b.containerInstances!.length)).toEqual([
      100, 100, 50,
    ]);
    expect(batches.every(b => b.cluster === CLUSTER)).toBe(true);
  });

  it('describes 25 services in 3 calls of at most 10, and 150 tasks in 2 calls of at most 100', async () => {
    ecs.on(DescribeServicesCommand).callsFake(input => ({
      services: input.services.map((arn: string) => ({ serviceArn: arn })),
    }));
    ecs.on(DescribeTasksCommand).callsFake(input => ({
      tasks: input.tasks.map((arn: string) => ({ taskArn: arn })),
    }));
    const api = await new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
    }).forLocation(ACCOUNT, REGION);
    const services = await api.describeServices(CLUSTER, arns('service', 25));
    expect(services).toHaveLength(25);
    expect(
      ecs
        .commandCalls(DescribeServicesCommand)
        .map(c => c.args[0].input.services!.length),
    ).toEqual([10, 10, 5]);

    const tasks = await api.describeTasks(CLUSTER, arns('task', 150));
    expect(tasks).toHaveLength(150);
    expect(
      ecs
        .commandCalls(DescribeTasksCommand)
        .map(c => c.args[0].input.tasks!.length),
    ).toEqual([100, 50]);
  });

  it('describes clusters with settings and tags, in batches of 100', async () => {
    ecs.on(DescribeClustersCommand).callsFake(input => ({
      clusters: input.clusters.map((arn: string) => ({ clusterArn: arn })),
    }));
    const api = await new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
    }).forLocation(ACCOUNT, REGION);
    await api.describeClusters(arns('cluster', 101));
    const inputs = ecs
      .commandCalls(DescribeClustersCommand)
      .map(c => c.args[0].input);
    expect(inputs.map(i => i.clusters!.length)).toEqual([100, 1]);
    expect(inputs[0].include).toEqual(['SETTINGS', 'TAGS']);
  });

  it('returns every batch’s failures[] of the four Describe calls to the caller', async () => {
    const missingOf = (refs: string[]) =>
      refs
        .filter(r => r.endsWith('-gone'))
        .map(arn => ({ arn, reason: 'MISSING' }));
    ecs.on(DescribeClustersCommand).callsFake(input => ({
      clusters: input.clusters
        .filter((r: string) => !r.endsWith('-gone'))
        .map((clusterArn: string) => ({ clusterArn })),
      failures: missingOf(input.clusters),
    }));
    ecs.on(DescribeContainerInstancesCommand).callsFake(input => ({
      containerInstances: [],
      failures: missingOf(input.containerInstances),
    }));
    ecs.on(DescribeServicesCommand).callsFake(input => ({
      services: [],
      failures: missingOf(input.services),
    }));
    ecs.on(DescribeTasksCommand).callsFake(input => ({
      tasks: [],
      failures: missingOf(input.tasks),
    }));
    const api = await new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
    }).forLocation(ACCOUNT, REGION);
    // 12 services: two batches, a failure in each.
    const services = [
      ...arns('service', 10),
      'a-gone',
      ...arns('service', 1),
      'b-gone',
    ];
    const failures: Failure[] = [];
    await api.describeServices(CLUSTER, services, failures);
    expect(ecs.commandCalls(DescribeServicesCommand)).toHaveLength(2);
    expect(failures).toEqual([
      { arn: 'a-gone', reason: 'MISSING' },
      { arn: 'b-gone', reason: 'MISSING' },
    ]);
    const clusterFailures: Failure[] = [];
    expect(
      await api.describeClusters(['web', 'typo-gone'], clusterFailures),
    ).toEqual([{ clusterArn: 'web' }]);
    expect(clusterFailures).toEqual([{ arn: 'typo-gone', reason: 'MISSING' }]);
    const other: Failure[] = [];
    await api.describeContainerInstances(CLUSTER, ['i-gone'], other);
    await api.describeTasks(CLUSTER, ['t-gone'], other);
    expect(other.map(f => f.arn)).toEqual(['i-gone', 't-gone']);
    // Without a sink, the items alone, as before.
    expect(await api.describeTasks(CLUSTER, ['t-gone'])).toEqual([]);
  });

  it('passes ListTasks filters and pages through them', async () => {
    const all = arns('task', 120);
    const page = pages(all, 100);
    ecs.on(ListTasksCommand).callsFake(input => {
      const p = page(input.nextToken);
      return { taskArns: p.arns, nextToken: p.nextToken };
    });
    const api = await new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
    }).forLocation(ACCOUNT, REGION);
    await expect(
      api.listTaskArns(CLUSTER, {
        desiredStatus: 'STOPPED',
        family: 'datadog-agent-task',
      }),
    ).resolves.toHaveLength(120);
    expect(
      ecs.commandCalls(ListTasksCommand).map(c => c.args[0].input),
    ).toEqual([
      {
        cluster: CLUSTER,
        desiredStatus: 'STOPPED',
        family: 'datadog-agent-task',
        maxResults: 100,
        nextToken: undefined,
      },
      {
        cluster: CLUSTER,
        desiredStatus: 'STOPPED',
        family: 'datadog-agent-task',
        maxResults: 100,
        nextToken: '100',
      },
    ]);
  });

  it('describes a task definition once per ARN, across locations, concurrent callers and refreshes', async () => {
    const tdArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/datadog-agent-task:1`;
    const otherArn = `arn:aws:ecs:eu-west-1:222222222222:task-definition/datadog-agent-task:1`;
    ecs.on(DescribeTaskDefinitionCommand).callsFake(async input => ({
      taskDefinition: {
        taskDefinitionArn: input.taskDefinition,
        family: 'datadog-agent-task',
      },
    }));
    const gateway = new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
    });
    const us = await gateway.forLocation(ACCOUNT, REGION);
    const eu = await gateway.forLocation('222222222222', 'eu-west-1');

    const [a, b] = await Promise.all([
      us.describeTaskDefinition(tdArn),
      us.describeTaskDefinition(tdArn),
    ]);
    expect(a).toBe(b);
    await eu.describeTaskDefinition(tdArn);
    await us.describeTaskDefinition(tdArn); // a later refresh
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(1);

    await eu.describeTaskDefinition(otherArn);
    await eu.describeTaskDefinition(otherArn);
    expect(
      ecs
        .commandCalls(DescribeTaskDefinitionCommand)
        .map(c => c.args[0].input.taskDefinition),
    ).toEqual([tdArn, otherArn]);
  });

  it('does not cache a failed task-definition call', async () => {
    const tdArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/app:3`;
    ecs
      .on(DescribeTaskDefinitionCommand)
      .rejectsOnce(
        new ECSServiceException({
          name: 'ServerException',
          $fault: 'server',
          $metadata: {},
          message: 'boom',
        }),
      )
      .resolves({ taskDefinition: { taskDefinitionArn: tdArn } });
    const api = await new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
    }).forLocation(ACCOUNT, REGION);
    await expect(api.describeTaskDefinition(tdArn)).rejects.toThrow('boom');
    await expect(api.describeTaskDefinition(tdArn)).resolves.toEqual({
      taskDefinitionArn: tdArn,
    });
    await api.describeTaskDefinition(tdArn);
    expect(ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(2);
  });

  it('keeps one client per account-region, built with that account’s credentials', async () => {
    const { manager, getCredentialProvider } = credentialsManager();
    const gateway = new AwsEcsGateway({
      credentialsManager: manager,
      endpoint: 'http://127.0.0.1:1',
    });
    const a = gateway.forLocation(ACCOUNT, REGION);
    const b = gateway.forLocation(ACCOUNT, REGION);
    expect(a).toBe(b);
    await gateway.forLocation(ACCOUNT, 'eu-west-1');
    expect(getCredentialProvider.mock.calls).toEqual([
      [{ accountId: ACCOUNT }],
      [{ accountId: ACCOUNT }],
    ]);

    ecs.on(ListClustersCommand).resolves({ clusterArns: [] });
    await (await a).listClusterArns();
    const client = ecs.call(0).thisValue as ECSClient;
    expect(await client.config.region()).toBe(REGION);
    expect(await client.config.maxAttempts()).toBe(6);
    const strategy = await client.config.retryStrategy();
    expect(strategy).toBeInstanceOf(AdaptiveRetryStrategy);
    expect(
      (strategy as unknown as { rateLimiter: unknown }).rateLimiter,
    ).toBeInstanceOf(OperationPacer);
  });

  it('sends each operation with its own client (its own pace), all on the location’s one HTTP handler, none logging', async () => {
    const gateway = new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
    });
    const api = await gateway.forLocation(ACCOUNT, REGION);
    ecs.on(ListClustersCommand).resolves({ clusterArns: [CLUSTER] });
    ecs.on(DescribeClustersCommand).resolves({ clusters: [] });
    await api.listClusterArns();
    await api.listClusterArns();
    await api.describeClusters([CLUSTER]);
    const [list1, list2] = ecs.commandCalls(ListClustersCommand);
    const [describe] = ecs.commandCalls(DescribeClustersCommand);
    const listClient = list1.thisValue as ECSClient;
    const describeClient = describe.thisValue as ECSClient;
    expect(list2.thisValue).toBe(listClient);
    expect(describeClient).not.toBe(listClient);
    expect(await describeClient.config.retryStrategy()).not.toBe(
      await listClient.config.retryStrategy(),
    );
    expect(describeClient.config.requestHandler).toBe(
      listClient.config.requestHandler,
    );
    // Another location has its own handler (its own calls-in-flight limit).
    ecs.resetHistory();
    await (await gateway.forLocation(ACCOUNT, 'eu-west-1')).listClusterArns();
    expect((ecs.call(0).thisValue as ECSClient).config.requestHandler).not.toBe(
      listClient.config.requestHandler,
    );
    const names = listClient.middlewareStack
      .identify()
      .map(m => m.split(' ')[0]);
    expect(names).not.toContain('loggerMiddleware');
    expect(names).toContain('retryMiddleware');
  });

  it('forgets a location whose credentials could not be had, so the next refresh tries again', async () => {
    const getCredentialProvider = jest
      .fn()
      .mockRejectedValueOnce(new Error('no role for this account'))
      .mockResolvedValue({
        accountId: ACCOUNT,
        sdkCredentialProvider: async () => ({
          accessKeyId: 'a',
          secretAccessKey: 'b',
        }),
      });
    const gateway = new AwsEcsGateway({
      credentialsManager: {
        getCredentialProvider,
      } as unknown as AwsCredentialsManager,
    });
    await expect(gateway.forLocation(ACCOUNT, REGION)).rejects.toThrow(
      'no role',
    );
    await expect(gateway.forLocation(ACCOUNT, REGION)).resolves.toBeDefined();
    expect(getCredentialProvider).toHaveBeenCalledTimes(2);
  });
});

/**
 * Retries go through the SDK's middleware, which aws-sdk-client-mock bypasses: these tests talk
 * HTTP to a tiny fake ECS endpoint that answers ThrottlingException as ECS does.
 */
describe('AwsEcsGateway retries (real SDK over HTTP)', () => {
  let server: http.Server;
  let url: string;
  let plan: Array<'throttle' | 'ok'>;
  let received: string[];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers['x-amz-target']));
        const next = plan.shift() ?? 'ok';
        if (next === 'throttle') {
          res.writeHead(400, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-errortype': 'ThrottlingException',
            'x-amzn-requestid': `req-${received.length}`,
          });
          res.end(
            JSON.stringify({
              __type: 'ThrottlingException',
              message: 'Rate exceeded',
            }),
          );
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': `req-${received.length}`,
        });
        res.end(JSON.stringify({ clusterArns: [CLUSTER] }));
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });
  beforeEach(() => {
    received = [];
  });

  it('retries ThrottlingException and succeeds', async () => {
    plan = ['throttle', 'throttle', 'ok'];
    const gateway = new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
      endpoint: url,
    });
    const api = await gateway.forLocation(ACCOUNT, REGION);
    await expect(api.listClusterArns()).resolves.toEqual([CLUSTER]);
    expect(received).toEqual([
      'AmazonEC2ContainerServiceV20141113.ListClusters',
      'AmazonEC2ContainerServiceV20141113.ListClusters',
      'AmazonEC2ContainerServiceV20141113.ListClusters',
    ]);
  }, 30_000);

  it('gives up after maxAttempts and reports the location as throttled', async () => {
    plan = ['throttle', 'throttle', 'throttle', 'throttle'];
    const gateway = new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
      endpoint: url,
      maxAttempts: 2,
    });
    const api = await gateway.forLocation(ACCOUNT, REGION);
    const error = await api.listClusterArns().catch(e => e);
    expect(error.name).toBe('ThrottlingException');
    expect(received).toHaveLength(2);
    expect(errorAsData(error, new Date(0)).kind).toBe('throttled');
  }, 30_000);
});

/**
 * What the location's one HTTP handler lets on the wire: a fake ECS endpoint that holds every
 * DescribeTasks answer until `target` requests are there at once (or 2 s passed, when fewer
 * come), then answers them, the last come first. So the peak it sees is exact however slow the
 * machine, and the answers come out of order.
 */
describe('AwsEcsGateway calls in flight (real SDK over HTTP)', () => {
  let server: http.Server;
  let url: string;
  let inFlight = 0;
  let peak = 0;
  let target = 1;
  let order: string[] = [];
  let held: Array<() => void> = [];
  let fallback: NodeJS.Timeout | undefined;

  const release = () => {
    clearTimeout(fallback);
    fallback = undefined;
    const answers = held.reverse();
    held = [];
    answers.forEach(answer => answer());
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        const tasks: string[] = body.tasks ?? [];
        held.push(() => {
          inFlight -= 1;
          order.push(tasks[0]);
          res.writeHead(200, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-requestid': 'req',
          });
          res.end(
            JSON.stringify({
              tasks: tasks.map(taskArn => ({ taskArn })),
              failures: [{ arn: `${tasks[0]}-gone`, reason: 'MISSING' }],
            }),
          );
        });
        if (inFlight >= target) release();
        else fallback ??= setTimeout(release, 2000);
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    release();
    await new Promise(resolve => server.close(resolve));
  });
  beforeEach(() => {
    inFlight = 0;
    peak = 0;
    order = [];
  });

  const taskArns = (n: number) =>
    Array.from({ length: n }, (_, i) => `task-${i}`);

  it('describes the batches at once, the items and failures in the order of the ARNs', async () => {
    const api = await new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
      endpoint: url,
    }).forLocation(ACCOUNT, REGION);
    const failures: Failure[] = [];
    target = 4;
    const tasks = await api.describeTasks(CLUSTER, taskArns(350), failures);
    expect(tasks.map(t => t.taskArn)).toEqual(taskArns(350));
    expect(failures.map(f => f.arn)).toEqual([
      'task-0-gone',
      'task-100-gone',
      'task-200-gone',
      'task-300-gone',
    ]);
    expect(peak).toBe(4);
    // They did answer out of order.
    expect(order).not.toEqual(['task-0', 'task-100', 'task-200', 'task-300']);
  }, 30_000);

  it('fails a request that never answers after requestTimeoutMs, and frees its slot', async () => {
    const silent = http.createServer(req => {
      req.resume(); // and never answer
    });
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
    const silentUrl = `http://127.0.0.1:${
      (silent.address() as AddressInfo).port
    }`;
    try {
      const api = await new AwsEcsGateway({
        credentialsManager: credentialsManager().manager,
        endpoint: silentUrl,
        callsInFlight: 1,
        maxAttempts: 1,
        requestTimeoutMs: 200,
      }).forLocation(ACCOUNT, REGION);
      const error = await api.listClusterArns().catch(e => e);
      expect(error.name).toBe('TimeoutError');
      // The one slot is free again: the next call goes out (and times out in turn).
      await expect(api.listClusterArns()).rejects.toMatchObject({
        name: 'TimeoutError',
      });
    } finally {
      silent.closeAllConnections();
      await new Promise(resolve => silent.close(resolve));
    }
  }, 30_000);

  it('has at most callsInFlight requests of a location on the wire, whatever asks', async () => {
    const gateway = new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
      endpoint: url,
      callsInFlight: 3,
    });
    const api = await gateway.forLocation(ACCOUNT, REGION);
    target = 3;
    await Promise.all([
      api.describeTasks(CLUSTER, taskArns(500)),
      api.describeTasks(CLUSTER, taskArns(400)),
    ]);
    expect(peak).toBe(3);
    // The default, and another location's requests count apart.
    peak = 0;
    target = DEFAULT_CALLS_IN_FLIGHT + 3;
    const byDefault = new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
      endpoint: url,
    });
    await Promise.all([
      (
        await byDefault.forLocation(ACCOUNT, REGION)
      ).describeTasks(CLUSTER, taskArns(100 * DEFAULT_CALLS_IN_FLIGHT + 500)),
      (
        await byDefault.forLocation(ACCOUNT, 'eu-west-1')
      ).describeTasks(CLUSTER, taskArns(300)),
    ]);
    expect(peak).toBe(DEFAULT_CALLS_IN_FLIGHT + 3);
  }, 30_000);
});

/**
 * A rollout's write against a location busy with a refresh: a fake ECS endpoint that holds the
 * first request until the test lets it go and answers the others at once, in the order they come.
 */
describe('AwsEcsGateway priorities of waiting calls (real SDK over HTTP)', () => {
  let server: http.Server;
  let url: string;
  const received: string[] = [];
  let letFirstGo: (() => void) | undefined;
  let firstArrived: () => void;
  const first = new Promise<void>(resolve => {
    firstArrived = resolve;
  });

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const op = String(req.headers['x-amz-target']).split('.')[1];
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        received.push(op);
        const answer = () => {
          res.writeHead(200, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-requestid': 'req',
          });
          res.end(
            JSON.stringify(
              op === 'UpdateService'
                ? { service: { serviceName: body.service } }
                : {
                    tasks: (body.tasks ?? []).map((taskArn: string) => ({
                      taskArn,
                    })),
                  },
            ),
          );
        };
        if (received.length === 1) {
          letFirstGo = answer;
          firstArrived();
        } else answer();
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  const answerFirst = () => {
    const answer = letFirstGo;
    letFirstGo = undefined;
    answer?.();
  };
  afterAll(async () => {
    answerFirst();
    await new Promise(resolve => server.close(resolve));
  });

  it('sends a rollout’s UpdateService first, then instance reads, then the other reads waiting for a slot, each in the order asked', async () => {
    const api = await new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
      endpoint: url,
      callsInFlight: 1,
    }).forLocation(ACCOUNT, REGION);
    const taskArns = Array.from({ length: 300 }, (_, i) => `task-${i}`);
    // Three DescribeTasks batches: the first on the wire (held), two waiting for the one slot.
    const reads = api.describeTasks(CLUSTER, taskArns);
    await first;
    const instances = api.listContainerInstanceArns(CLUSTER);
    const write = api.updateService({
      cluster: CLUSTER,
      service: 'datadog-agent',
      taskDefinition: 'datadog-agent-task:2',
    });
    // The SDK's middleware before the handler runs in promise callbacks, no timers: a few turns
    // of the event loop and the write and the listing wait for the slot with the two reads.
    for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
    answerFirst();
    await expect(write).resolves.toMatchObject({
      serviceName: 'datadog-agent',
    });
    await expect(instances).resolves.toEqual([]);
    expect((await reads).map(t => t.taskArn)).toEqual(taskArns);
    expect(received).toEqual([
      'DescribeTasks',
      'UpdateService',
      'ListContainerInstances',
      'DescribeTasks',
      'DescribeTasks',
    ]);
  }, 30_000);
});

/**
 * Pacing against a fake ECS endpoint that throttles as ECS does: a token bucket per operation
 * (10 tokens, refilled at 5 per second: ECS's shape, a burst above a second's refill, tighter),
 * ThrottlingException when it is empty.
 */
describe('AwsEcsGateway pacing (real SDK over HTTP, token buckets per operation)', () => {
  const BURST = 10;
  const REFILL_PER_SECOND = 5;
  let server: http.Server;
  let url: string;
  let buckets: Map<string, { tokens: number; at: number }>;
  let throttled: Record<string, number>;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const op = String(req.headers['x-amz-target']).split('.')[1];
        const now = performance.now();
        const b = buckets.get(op) ?? { tokens: BURST, at: now };
        b.tokens = Math.min(
          BURST,
          b.tokens + ((now - b.at) / 1000) * REFILL_PER_SECOND,
        );
        b.at = now;
        buckets.set(op, b);
        const headers = {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': 'req',
        };
        if (b.tokens < 1) {
          throttled[op] = (throttled[op] ?? 0) + 1;
          res.writeHead(400, {
            ...headers,
            'x-amzn-errortype': 'ThrottlingException',
          });
          res.end(
            JSON.stringify({
              __type: 'ThrottlingException',
              message: 'Rate exceeded',
            }),
          );
          return;
        }
        b.tokens -= 1;
        res.writeHead(200, headers);
        res.end(
          JSON.stringify(
            op === 'ListClusters'
              ? { clusterArns: [CLUSTER] }
              : { clusters: [{ clusterArn: CLUSTER }], failures: [] },
          ),
        );
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });
  beforeEach(() => {
    buckets = new Map();
    throttled = {};
  });

  /** The pace the gateway's client for `command` keeps (undefined: unpaced). */
  async function paceOf(api: unknown, command: unknown) {
    const clients = (api as { clients: { byCommand: Map<unknown, ECSClient> } })
      .clients;
    const strategy = await clients.byCommand
      .get(command)!
      .config.retryStrategy();
    return (strategy as unknown as { rateLimiter: OperationPacer }).rateLimiter
      .pace;
  }

  it('settles on the refill rate of the throttled operation, fewer throttled answers than calls, and leaves the others unpaced', async () => {
    const api = await new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
      endpoint: url,
    }).forLocation(ACCOUNT, REGION);
    const calls = 30;
    const described = await Promise.all(
      Array.from({ length: calls }, () => api.describeClusters([CLUSTER])),
    );
    expect(described.every(d => d[0]?.clusterArn === CLUSTER)).toBe(true);
    expect(throttled.DescribeClusters).toBeGreaterThan(0);
    expect(throttled.DescribeClusters).toBeLessThan(calls);
    const pace = await paceOf(api, DescribeClustersCommand);
    // Near the refill rate (a loaded machine sends slower, so the lower bound has room).
    expect(pace).toBeGreaterThanOrEqual(REFILL_PER_SECOND / 4);
    expect(pace).toBeLessThanOrEqual(REFILL_PER_SECOND * 2);
    // ListClusters has its own bucket and its own pace: within its burst, unpaced.
    for (let i = 0; i < BURST - 1; i += 1) await api.listClusterArns();
    expect(throttled.ListClusters).toBeUndefined();
    expect(await paceOf(api, ListClustersCommand)).toBeUndefined();
  }, 30_000);
});
