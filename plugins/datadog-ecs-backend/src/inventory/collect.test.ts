import {
  Cluster,
  ContainerInstance,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ECSServiceException,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTasksCommand,
  Service,
  Task,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import {
  DescribeImagesCommand,
  EC2Client,
  EC2ServiceException,
} from '@aws-sdk/client-ec2';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { AwsEcsGateway } from '../aws/AwsEcsGateway';
import {
  ACCOUNT,
  AMIS,
  CONTEXT,
  FIXTURE_IMAGES,
  agentTaskDefinition,
  appTaskDefinition,
  cluster,
  clusterArn,
  DETECTION,
  instance,
  instanceArn,
  REGION,
  service,
  task,
  taskDefinitionArn,
} from './__fixtures__/ecs';
import { observeCluster } from './collect';
import { observeLocation } from './location';
import { buildClusterView } from './coverage';

const NOW = new Date('2026-01-15T10:00:00Z');
const AGENT = agentTaskDefinition();
const WEB = appTaskDefinition('web');

interface FakeCluster {
  cluster: Cluster;
  instances?: ContainerInstance[];
  services?: Service[];
  tasks?: Task[];
  stopped?: Task[];
}

function awsError(name: string, message: string) {
  return new ECSServiceException({
    name,
    $fault: 'client',
    $metadata: {},
    message,
  });
}

/** Answers every read call from `clusters`, like ECS would. */
function serve(
  ecs: AwsClientStub<ECSClient>,
  clusters: FakeCluster[],
  taskDefinitions: TaskDefinition[],
  deny: { listContainerInstances?: string[] } = {},
) {
  const find = (ref: string) => {
    const found = clusters.find(
      c => c.cluster.clusterArn === ref || c.cluster.clusterName === ref,
    );
    if (!found) throw new Error(`unknown cluster ${ref}`);
    return found;
  };
  const on = <T extends { [k: string]: any }>(
    items: T[] | undefined,
    key: string,
    wanted: string[],
  ) => (items ?? []).filter(i => wanted.includes(i[key]));
  ecs.on(ListClustersCommand).callsFake(async () => ({
    clusterArns: clusters.map(c => c.cluster.clusterArn),
  }));
  ecs.on(DescribeClustersCommand).callsFake(async input => ({
    clusters: input.clusters.map((ref: string) => find(ref).cluster),
  }));
  ecs.on(ListContainerInstancesCommand).callsFake(async input => {
    if (deny.listContainerInstances?.includes(input.cluster)) {
      throw awsError(
        'AccessDeniedException',
        'User: arn:aws:sts::111111111111:assumed-role/backstage is not authorized to perform: ecs:ListContainerInstances',
      );
    }
    return {
      containerInstanceArns: (find(input.cluster).instances ?? []).map(
        i => i.containerInstanceArn,
      ),
    };
  });
  ecs.on(DescribeContainerInstancesCommand).callsFake(async input => ({
    containerInstances: on(
      find(input.cluster).instances,
      'containerInstanceArn',
      input.containerInstances,
    ),
  }));
  ecs.on(ListServicesCommand).callsFake(async input => ({
    serviceArns: (find(input.cluster).services ?? []).map(s => s.serviceArn),
  }));
  ecs.on(DescribeServicesCommand).callsFake(async input => ({
    services: on(find(input.cluster).services, 'serviceArn', input.services),
  }));
  ecs.on(ListTasksCommand).callsFake(async input => {
    const c = find(input.cluster);
    const list =
      input.desiredStatus === 'STOPPED'
        ? (c.stopped ?? []).filter(t =>
            t.taskDefinitionArn!.includes(`/${input.family}:`),
          )
        : c.tasks ?? [];
    return { taskArns: list.map(t => t.taskArn) };
  });
  ecs.on(DescribeTasksCommand).callsFake(async input => ({
    tasks: on(
      [
        ...(find(input.cluster).tasks ?? []),
        ...(find(input.cluster).stopped ?? []),
      ],
      'taskArn',
      input.tasks,
    ),
  }));
  ecs.on(DescribeTaskDefinitionCommand).callsFake(async input => ({
    taskDefinition: taskDefinitions.find(
      td => td.taskDefinitionArn === input.taskDefinition,
    ),
  }));
}

const credentialsManager = {
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => ({
      accessKeyId: 'AKIATEST',
      secretAccessKey: 'secret',
    }),
  }),
} as unknown as AwsCredentialsManager;

const inCluster = (name: string, t: Task): Task => ({
  ...t,
  taskArn: t.taskArn!.replace('/test-cluster/', `/${name}/`),
  containerInstanceArn: t.containerInstanceArn?.replace(
    '/test-cluster/',
    `/${name}/`,
  ),
});
const instanceIn = (name: string, i: ContainerInstance): ContainerInstance => ({
  ...i,
  containerInstanceArn: instanceArn(
    i.containerInstanceArn!.split('/').pop()!,
    name,
  ),
});

/** A cluster whose two instances both run the Agent daemon, plus an app service. */
function coveredCluster(name: string): FakeCluster {
  return {
    cluster: cluster({
      clusterName: name,
      clusterArn: clusterArn(name),
      registeredContainerInstancesCount: 2,
      runningTasksCount: 3,
    }),
    instances: [
      instanceIn(name, instance('a')),
      instanceIn(name, instance('b')),
    ],
    services: [
      service('datadog-agent', AGENT.taskDefinitionArn!, {
        strategy: 'DAEMON',
        desiredCount: 2,
      }),
      service('web', WEB.taskDefinitionArn!),
    ],
    tasks: [
      inCluster(
        name,
        task(`${name}-ag-a`, AGENT.taskDefinitionArn!, {
          on: 'a',
          group: 'service:datadog-agent',
        }),
      ),
      inCluster(
        name,
        task(`${name}-ag-b`, AGENT.taskDefinitionArn!, {
          on: 'b',
          group: 'service:datadog-agent',
        }),
      ),
      inCluster(
        name,
        task(`${name}-web`, WEB.taskDefinitionArn!, {
          on: 'a',
          group: 'service:web',
        }),
      ),
    ],
  };
}

function calls(
  ecs: AwsClientStub<ECSClient>,
  command: any,
  clusterName?: string,
) {
  return ecs
    .commandCalls(command)
    .map(c => c.args[0].input as any)
    .filter(
      input =>
        clusterName === undefined || input.cluster === clusterArn(clusterName),
    );
}

/** Answers DescribeImages (image-id filter) with the fixtures' AMIs; others are not visible. */
function serveImages(ec2: AwsClientStub<EC2Client>) {
  ec2.on(DescribeImagesCommand).callsFake(async input => ({
    Images: (input.Filters?.[0]?.Values ?? []).flatMap((id: string) => {
      const image = FIXTURE_IMAGES[id];
      return image ? [{ ImageId: image.imageId, Name: image.name }] : [];
    }),
  }));
}

describe('observeLocation (SDK mocked)', () => {
  let ecs: AwsClientStub<ECSClient>;
  let ec2: AwsClientStub<EC2Client>;
  let gateway: AwsEcsGateway;
  const observe = (location: { clusters?: string[] } = {}) =>
    observeLocation(
      () => gateway.forLocation(ACCOUNT, REGION),
      { accountId: ACCOUNT, region: REGION, ...location },
      { detection: DETECTION, clusterConcurrency: 4, now: () => NOW },
    );

  beforeEach(() => {
    ecs = mockClient(ECSClient);
    ec2 = mockClient(EC2Client);
    serveImages(ec2);
    gateway = new AwsEcsGateway({ credentialsManager });
  });
  afterEach(() => {
    ecs.restore();
    ec2.restore();
  });

  it('observes every cluster with the fewest calls', async () => {
    const fargateTd = appTaskDefinition('web-frontend', {
      networkMode: 'awsvpc',
    });
    serve(
      ecs,
      [
        coveredCluster('web'),
        {
          cluster: cluster({
            clusterName: 'empty',
            clusterArn: clusterArn('empty'),
            registeredContainerInstancesCount: 0,
            activeServicesCount: 0,
            runningTasksCount: 0,
            pendingTasksCount: 0,
          }),
        },
        {
          cluster: cluster({
            clusterName: 'fargate',
            clusterArn: clusterArn('fargate'),
            registeredContainerInstancesCount: 0,
            runningTasksCount: 2,
          }),
          services: [
            service('web-frontend', fargateTd.taskDefinitionArn!, {
              launchType: 'FARGATE',
              desiredCount: 2,
            }),
          ],
          tasks: [
            inCluster(
              'fargate',
              task('f1', fargateTd.taskDefinitionArn!, {
                group: 'service:web-frontend',
              }),
            ),
            inCluster(
              'fargate',
              task('f2', fargateTd.taskDefinitionArn!, {
                group: 'service:web-frontend',
              }),
            ),
          ],
        },
        {
          cluster: cluster({
            clusterName: 'deleted',
            clusterArn: clusterArn('deleted'),
            status: 'INACTIVE',
          }),
        },
      ],
      [AGENT, WEB, fargateTd],
    );

    const result = await observe();
    expect(result.error).toBeUndefined();
    expect(result.failedClusters).toEqual([]);
    expect(result.observedAt).toBe(NOW.toISOString());
    expect(result.clusters.map(c => c.cluster.clusterName)).toEqual([
      'web',
      'empty',
      'fargate',
    ]);

    const [web, empty, fargate] = result.clusters;
    expect(web.instances).toHaveLength(2);
    expect(web.services).toHaveLength(2);
    expect(web.tasks).toHaveLength(3);
    expect(web.agentTaskDefinitionArns).toEqual([AGENT.taskDefinitionArn]);
    expect(Object.keys(web.taskDefinitions).sort()).toEqual(
      [AGENT.taskDefinitionArn, WEB.taskDefinitionArn].sort(),
    );
    expect(web.stoppedAgentTasks).toEqual([]);
    expect(empty).toMatchObject({
      instances: [],
      services: [],
      tasks: [],
      taskDefinitions: {},
    });
    expect(fargate.instances).toEqual([]);
    expect(fargate.tasks).toHaveLength(2);

    // One ListClusters and one DescribeClusters for the location.
    expect(calls(ecs, ListClustersCommand)).toHaveLength(1);
    expect(calls(ecs, DescribeClustersCommand)).toHaveLength(1);
    // Every cluster that is not INACTIVE is listed, the one whose counts are all 0 too (counts lag:
    // only the listings say a cluster is empty); described only where something was listed.
    const listed = [
      clusterArn('web'),
      clusterArn('empty'),
      clusterArn('fargate'),
    ];
    for (const command of [
      ListContainerInstancesCommand,
      ListServicesCommand,
      ListTasksCommand,
    ]) {
      expect(
        calls(ecs, command)
          .map(i => i.cluster)
          .sort(),
      ).toEqual(listed.sort());
    }
    expect(calls(ecs, DescribeContainerInstancesCommand)).toHaveLength(1);
    // No stopped-task lookup (every instance is covered).
    expect(
      calls(ecs, ListTasksCommand).some(i => i.desiredStatus === 'STOPPED'),
    ).toBe(false);
    // Nothing at all on the INACTIVE cluster.
    const all = ecs.calls().map(c => (c.args[0] as any).input);
    expect(all.filter(i => i.cluster === clusterArn('deleted'))).toEqual([]);
    // Each task definition once.
    expect(
      calls(ecs, DescribeTaskDefinitionCommand)
        .map(i => i.taskDefinition)
        .sort(),
    ).toEqual(
      [
        AGENT.taskDefinitionArn,
        WEB.taskDefinitionArn,
        fargateTd.taskDefinitionArn,
      ].sort(),
    );
  });

  it('describes each task definition once across clusters and refreshes', async () => {
    serve(
      ecs,
      [coveredCluster('one'), coveredCluster('two'), coveredCluster('three')],
      [AGENT, WEB],
    );
    await observe();
    await observe();
    expect(
      calls(ecs, DescribeTaskDefinitionCommand)
        .map(i => i.taskDefinition)
        .sort(),
    ).toEqual([AGENT.taskDefinitionArn, WEB.taskDefinitionArn].sort());
    // Everything else is asked again on the second pass.
    expect(calls(ecs, ListClustersCommand)).toHaveLength(2);
    expect(calls(ecs, DescribeTasksCommand)).toHaveLength(6);
  });

  it('reads a cluster’s services and tasks while its instances are still being read, and fails the cluster when they cannot be', async () => {
    serve(
      ecs,
      [coveredCluster('slow'), coveredCluster('broken')],
      [AGENT, WEB],
    );
    const api = await gateway.forLocation(ACCOUNT, REGION);
    let release!: () => void;
    const held = new Promise<void>(resolve => {
      release = resolve;
    });
    const waiting = Object.assign(Object.create(api), {
      async describeContainerInstances(...args: unknown[]) {
        await held;
        return (api.describeContainerInstances as Function)(...args);
      },
      async listContainerInstanceArns(ref: string) {
        if (ref === clusterArn('broken')) {
          await held;
          throw awsError('ServerException', 'instances unreadable');
        }
        return api.listContainerInstanceArns(ref);
      },
    });
    const result = observeLocation(
      async () => waiting,
      { accountId: ACCOUNT, region: REGION },
      { detection: DETECTION, clusterConcurrency: 4, now: () => NOW },
    );
    // Both passes list and describe their services and tasks meanwhile.
    for (
      let waited = 0;
      waited < 10_000 &&
      (calls(ecs, DescribeServicesCommand).length < 2 ||
        calls(ecs, DescribeTasksCommand).length < 2);
      waited += 10
    ) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    expect(calls(ecs, DescribeContainerInstancesCommand)).toHaveLength(0);
    expect(
      calls(ecs, DescribeServicesCommand)
        .map(i => i.cluster)
        .sort(),
    ).toEqual([clusterArn('broken'), clusterArn('slow')]);
    expect(
      calls(ecs, DescribeTasksCommand)
        .map(i => i.cluster)
        .sort(),
    ).toEqual([clusterArn('broken'), clusterArn('slow')]);
    release();
    const observed = await result;
    expect(observed.clusters.map(c => c.cluster.clusterName)).toEqual(['slow']);
    expect(observed.clusters[0].instances).toHaveLength(
      coveredCluster('slow').instances!.length,
    );
    expect(observed.failedClusters).toEqual([
      expect.objectContaining({
        clusterName: 'broken',
        error: expect.objectContaining({ message: 'instances unreadable' }),
      }),
    ]);
  });

  it('looks up stopped Agent tasks only on a cluster where an instance lacks a running Agent', async () => {
    const batch = coveredCluster('batch');
    batch.instances!.push(instanceIn('batch', instance('c')));
    batch.stopped = [
      inCluster(
        'batch',
        task('stopped-c', AGENT.taskDefinitionArn!, {
          on: 'c',
          lastStatus: 'STOPPED',
          group: 'service:datadog-agent',
          stoppedReason: 'Essential container in task exited',
          exitCode: 137,
        }),
      ),
      // Another family's stopped task: never asked for.
      inCluster(
        'batch',
        task('stopped-web', WEB.taskDefinitionArn!, {
          on: 'c',
          lastStatus: 'STOPPED',
        }),
      ),
    ];
    serve(ecs, [coveredCluster('web'), batch], [AGENT, WEB]);

    const result = await observe();
    const observed = result.clusters.find(
      c => c.cluster.clusterName === 'batch',
    )!;
    expect(observed.stoppedAgentTasks.map(t => t.taskArn)).toEqual([
      expect.stringContaining('/batch/stopped-c'),
    ]);
    expect(calls(ecs, ListTasksCommand, 'batch')).toEqual([
      expect.not.objectContaining({ desiredStatus: expect.anything() }),
      expect.objectContaining({
        desiredStatus: 'STOPPED',
        family: 'datadog-agent-task',
      }),
    ]);
    expect(calls(ecs, DescribeTasksCommand, 'batch')).toHaveLength(2);
    // The covered cluster: no stopped lookup.
    expect(calls(ecs, ListTasksCommand, 'web')).toHaveLength(1);
    expect(calls(ecs, DescribeTasksCommand, 'web')).toHaveLength(1);
  });

  it('makes no DescribeTasks for stopped tasks when ECS lists none', async () => {
    const batch = coveredCluster('batch');
    batch.instances!.push(instanceIn('batch', instance('c')));
    serve(ecs, [batch], [AGENT, WEB]);
    await observe();
    expect(
      calls(ecs, ListTasksCommand, 'batch').filter(
        i => i.desiredStatus === 'STOPPED',
      ),
    ).toHaveLength(1);
    expect(calls(ecs, DescribeTasksCommand, 'batch')).toHaveLength(1);
  });

  it('makes no stopped-task lookup on a cluster without any Agent', async () => {
    serve(
      ecs,
      [
        {
          cluster: cluster({
            clusterName: 'payments',
            clusterArn: clusterArn('payments'),
            registeredContainerInstancesCount: 1,
          }),
          instances: [instanceIn('payments', instance('p'))],
          services: [service('web', WEB.taskDefinitionArn!)],
          tasks: [
            inCluster(
              'payments',
              task('w', WEB.taskDefinitionArn!, {
                on: 'p',
                group: 'service:web',
              }),
            ),
          ],
        },
      ],
      [WEB],
    );
    const result = await observe();
    expect(result.clusters[0].agentTaskDefinitionArns).toEqual([]);
    expect(calls(ecs, ListTasksCommand)).toHaveLength(1);
    expect(calls(ecs, ListTasksCommand)[0].desiredStatus).toBeUndefined();
  });

  it('turns an AccessDenied on one cluster into a failed cluster while the others succeed', async () => {
    serve(
      ecs,
      [
        coveredCluster('ok-1'),
        coveredCluster('locked'),
        coveredCluster('ok-2'),
      ],
      [AGENT, WEB],
      {
        listContainerInstances: [clusterArn('locked')],
      },
    );
    const result = await observe();
    expect(result.error).toBeUndefined();
    expect(result.clusters.map(c => c.cluster.clusterName)).toEqual([
      'ok-1',
      'ok-2',
    ]);
    expect(result.failedClusters).toEqual([
      {
        clusterArn: clusterArn('locked'),
        clusterName: 'locked',
        error: {
          kind: 'access-denied',
          name: 'AccessDeniedException',
          message: expect.stringContaining(
            'not authorized to perform: ecs:ListContainerInstances',
          ),
          at: NOW.toISOString(),
        },
      },
    ]);
  });

  it('turns an UnrecognizedClientException on ListClusters into the location’s credentials error', async () => {
    ecs
      .on(ListClustersCommand)
      .rejects(
        awsError(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        ),
      );
    const result = await observe();
    expect(result).toEqual({
      accountId: ACCOUNT,
      region: REGION,
      clusters: [],
      failedClusters: [],
      error: {
        kind: 'credentials',
        name: 'UnrecognizedClientException',
        message: 'The security token included in the request is invalid.',
        at: NOW.toISOString(),
      },
      observedAt: NOW.toISOString(),
    });
    expect(ecs.calls()).toHaveLength(1);
  });

  it('reports a location whose client cannot be built', async () => {
    const result = await observeLocation(
      () =>
        Promise.reject(
          Object.assign(new Error('Could not load credentials'), {
            name: 'CredentialsProviderError',
          }),
        ),
      { accountId: ACCOUNT, region: REGION },
      { detection: DETECTION, clusterConcurrency: 1, now: () => NOW },
    );
    expect(result.error?.kind).toBe('credentials');
    expect(result.clusters).toEqual([]);
  });

  it('describes only the configured clusters, without ListClusters', async () => {
    serve(ecs, [coveredCluster('web'), coveredCluster('other')], [AGENT, WEB]);
    const result = await observe({ clusters: ['web'] });
    expect(result.clusters.map(c => c.cluster.clusterName)).toEqual(['web']);
    expect(calls(ecs, ListClustersCommand)).toHaveLength(0);
    expect(calls(ecs, DescribeClustersCommand)).toEqual([
      { clusters: ['web'], include: ['SETTINGS', 'TAGS'] },
    ]);
    expect(calls(ecs, ListContainerInstancesCommand, 'other')).toHaveLength(0);
  });

  it('lists services although activeServicesCount says 0 (counts lag; listings decide)', async () => {
    const lagging = coveredCluster('web');
    lagging.cluster = { ...lagging.cluster, activeServicesCount: 0 };
    serve(ecs, [lagging], [AGENT, WEB]);
    const [web] = (await observe()).clusters;
    expect(calls(ecs, ListServicesCommand, 'web')).toHaveLength(1);
    expect(web.services.map(s => s.serviceName).sort()).toEqual([
      'datadog-agent',
      'web',
    ]);
  });

  it.each([
    ['while a service is active', 1],
    ['and so do all the others (counts lag behind registrations)', 0],
  ])(
    'lists instances, services and tasks although their counts say 0 %s',
    async (_, activeServicesCount) => {
      const lagging = coveredCluster('web');
      lagging.cluster = {
        ...lagging.cluster,
        registeredContainerInstancesCount: 0,
        runningTasksCount: 0,
        pendingTasksCount: 0,
        activeServicesCount,
      };
      serve(ecs, [lagging], [AGENT, WEB]);
      const [web] = (await observe()).clusters;
      expect(web.instances).toHaveLength(2);
      expect(web.tasks).toHaveLength(3);
      expect(web.services.map(s => s.serviceName).sort()).toEqual([
        'datadog-agent',
        'web',
      ]);
      expect(web.agentTaskDefinitionArns).toEqual([AGENT.taskDefinitionArn]);
    },
  );

  it('names a configured cluster that ECS reports MISSING as a failed cluster', async () => {
    serve(ecs, [coveredCluster('web')], [AGENT, WEB]);
    ecs.on(DescribeClustersCommand).callsFake(async input => ({
      clusters: input.clusters.includes('web')
        ? [coveredCluster('web').cluster]
        : [],
      failures: input.clusters
        .filter((c: string) => c !== 'web')
        .map((c: string) => ({ arn: clusterArn(c), reason: 'MISSING' })),
    }));
    const result = await observe({ clusters: ['web', 'typo-cluster'] });
    expect(result.error).toBeUndefined();
    expect(result.clusters.map(c => c.cluster.clusterName)).toEqual(['web']);
    expect(result.failedClusters).toEqual([
      {
        clusterArn: clusterArn('typo-cluster'),
        clusterName: 'typo-cluster',
        error: {
          kind: 'not-found',
          name: 'MISSING',
          message:
            'Cluster "typo-cluster" (configured in datadogEcs.locations[].clusters) could not be described: ECS reports it MISSING',
          at: NOW.toISOString(),
          failures: [{ arn: clusterArn('typo-cluster'), reason: 'MISSING' }],
        },
      },
    ]);
  });

  it('keeps the failures[] of DescribeContainerInstances and DescribeTasks on the cluster', async () => {
    serve(ecs, [coveredCluster('web')], [AGENT, WEB]);
    const gone = instanceArn('gone', 'web');
    ecs.on(ListContainerInstancesCommand).resolves({
      containerInstanceArns: [
        instanceArn('a', 'web'),
        instanceArn('b', 'web'),
        gone,
      ],
    });
    ecs.on(DescribeContainerInstancesCommand).callsFake(async input => ({
      containerInstances: coveredCluster('web').instances!.filter(i =>
        input.containerInstances.includes(i.containerInstanceArn),
      ),
      failures: [{ arn: gone, reason: 'MISSING' }],
    }));
    ecs.on(DescribeTasksCommand).callsFake(async input => ({
      tasks: coveredCluster('web').tasks!.filter(t =>
        input.tasks.includes(t.taskArn),
      ),
      failures: [
        {
          arn: 'arn:aws:ecs:us-east-1:1:task/web/x',
          reason: 'MISSING',
          detail: 'gone',
        },
      ],
    }));
    const [web] = (await observe()).clusters;
    expect(web.instances).toHaveLength(2);
    expect(web.failures).toEqual([
      { arn: gone, reason: 'MISSING' },
      {
        arn: 'arn:aws:ecs:us-east-1:1:task/web/x',
        reason: 'MISSING',
        detail: 'gone',
      },
    ]);
  });

  it('makes no Describe call for an account without clusters', async () => {
    ecs.on(ListClustersCommand).resolves({ clusterArns: [] });
    const result = await observe();
    expect(result).toMatchObject({ clusters: [], failedClusters: [] });
    expect(result.error).toBeUndefined();
    expect(ecs.calls()).toHaveLength(1);
  });

  it('recognises the Agent by a configured family whatever its image', async () => {
    const custom = agentTaskDefinition({
      family: 'dd-custom',
      image: 'registry.internal/monitoring/dd:7',
    });
    custom.containerDefinitions![0].name = 'monitor';
    const c = coveredCluster('web');
    c.services![0] = service('datadog-agent', custom.taskDefinitionArn!, {
      strategy: 'DAEMON',
    });
    c.tasks = c.tasks!.map(t =>
      t.group === 'service:datadog-agent'
        ? { ...t, taskDefinitionArn: custom.taskDefinitionArn }
        : t,
    );
    serve(ecs, [c], [custom, WEB]);
    const byImage = await observe();
    expect(byImage.clusters[0].agentTaskDefinitionArns).toEqual([]);
    const byFamily = await observeLocation(
      () => gateway.forLocation(ACCOUNT, REGION),
      { accountId: ACCOUNT, region: REGION },
      {
        detection: {
          imageRepositories: [],
          taskDefinitionFamilies: ['dd-custom'],
        },
        clusterConcurrency: 4,
        now: () => NOW,
      },
    );
    expect(byFamily.clusters[0].agentTaskDefinitionArns).toEqual([
      taskDefinitionArn('dd-custom', 1),
    ]);
  });
  it('describes the AMIs of all the location’s clusters in one DescribeImages, and no more while cached', async () => {
    const al2 = (name: string) => {
      const c = coveredCluster(name);
      // Amazon Linux 2 with Docker 19.03: the generation comes from the AMI, not from Docker.
      c.instances = [
        instanceIn(
          name,
          instance('a', { kind: 'al2', dockerVersion: '19.03.13-ce' }),
        ),
        instanceIn(name, instance('b', { kind: 'al2023' })),
      ];
      return c;
    };
    const custom = al2('custom');
    custom.instances!.push(
      instanceIn(
        'custom',
        instance('c', {
          attributes: { 'ecs.ami-id': 'ami-0custom00000000001' },
        }),
      ),
    );
    serve(ecs, [al2('one'), al2('two'), custom], [AGENT, WEB]);
    const result = await observe();
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(1);
    expect(
      ec2.commandCalls(DescribeImagesCommand)[0].args[0].input.Filters,
    ).toEqual([
      {
        Name: 'image-id',
        Values: [AMIS.al2.id, AMIS.al2023.id, 'ami-0custom00000000001'],
      },
    ]);
    const [one, , withCustom] = result.clusters;
    expect(one.images).toEqual({
      [AMIS.al2.id]: expect.objectContaining({ name: AMIS.al2.name }),
      [AMIS.al2023.id]: expect.objectContaining({ name: AMIS.al2023.name }),
    });
    expect(withCustom.images!['ami-0custom00000000001']).toBeNull();
    const view = buildClusterView(one, CONTEXT).details;
    expect(
      view.instances.map(i => [
        i.instanceId,
        i.amazonLinuxGeneration,
        i.amazonLinuxGenerationSource,
      ]),
    ).toEqual([
      ['i-a', 2, 'ami'],
      ['i-b', 2023, 'ami'],
    ]);
    expect(view.amazonLinuxGenerationUnknown).toBe(0);
    const customView = buildClusterView(withCustom, CONTEXT).details;
    expect(customView.amazonLinuxGenerationUnknown).toBe(1);
    expect(customView.findings.map(f => f.id)).toContain(
      'cluster.amazon-linux-generation-unknown',
    );

    // The next refresh: from the gateway's cache (the unreadable AMI is asked again after an hour).
    await observe();
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(1);
  });

  it('gives a pass that ends before the AMIs are described the same observation (kept packed until then)', async () => {
    serve(
      ecs,
      [coveredCluster('one'), coveredCluster('two'), coveredCluster('three')],
      [AGENT, WEB],
    );
    const direct = await observe();
    // A fresh gateway (no AMI cache), and EC2 slow to answer: every pass ends first and waits.
    gateway = new AwsEcsGateway({ credentialsManager });
    ec2.reset();
    ec2.on(DescribeImagesCommand).callsFake(async input => {
      await new Promise(resolve => setTimeout(resolve, 50));
      return {
        Images: (input.Filters?.[0]?.Values ?? []).flatMap((id: string) => {
          const image = FIXTURE_IMAGES[id];
          return image ? [{ ImageId: image.imageId, Name: image.name }] : [];
        }),
      };
    });
    const parked = await observe();
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(1);
    expect(parked.clusters.map(c => c.cluster.clusterName)).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect(parked).toEqual(direct);
    // A Date still (V8's structured clone makes it in Node's realm, not Jest's: by its tag).
    const startedAt = parked.clusters[0].tasks[0].startedAt;
    expect(Object.prototype.toString.call(startedAt)).toBe('[object Date]');
    expect(startedAt?.getTime()).toBe(
      direct.clusters[0].tasks[0].startedAt?.getTime(),
    );
    expect(Object.keys(parked.clusters[0].images ?? {})).toEqual([
      AMIS.al2023.id,
    ]);
  });

  it('keeps the clusters when DescribeImages is refused: the generation is unknown, and the cluster says why', async () => {
    ec2.on(DescribeImagesCommand).rejects(
      new EC2ServiceException({
        name: 'UnauthorizedOperation',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'You are not authorized to perform this operation.',
      }),
    );
    serve(ecs, [coveredCluster('web')], [AGENT, WEB]);
    const result = await observe();
    expect(result.error).toBeUndefined();
    expect(result.failedClusters).toEqual([]);
    const [web] = result.clusters;
    expect(web.images).toBeUndefined();
    expect(web.imagesError).toEqual({
      kind: 'access-denied',
      name: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
      at: NOW.toISOString(),
    });
    const view = buildClusterView(web, CONTEXT).details;
    expect(view.coveragePercent).toBe(100);
    expect(view.amazonLinuxGenerationUnknown).toBe(2);
    expect(
      view.instances.every(i => i.amazonLinuxGeneration === undefined),
    ).toBe(true);
    const finding = view.findings.find(f => f.id === 'cluster.ami-unreadable');
    expect(finding).toMatchObject({
      severity: 'warning',
      title: 'AMI could not be read',
    });
    expect(finding!.explanation).toMatch(
      /^AMI could not be read: not authorized to ec2:DescribeImages \(UnauthorizedOperation: You are not authorized to perform this operation\.\)\. The Amazon Linux generation of 2 instance\(s\) \(i-a, i-b\) is unknown/,
    );
  });

  it('reads the AMIs itself when one cluster is observed alone (the refresh after a rollout)', async () => {
    serve(ecs, [coveredCluster('web')], [AGENT, WEB]);
    const api = await gateway.forLocation(ACCOUNT, REGION);
    const [web] = await api.describeClusters([clusterArn('web')]);
    const observed = await observeCluster(api, web, DETECTION, () => NOW);
    expect(Object.keys(observed.images ?? {})).toEqual([AMIS.al2023.id]);
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(1);
    const skipped = await observeCluster(api, web, DETECTION, () => NOW, {
      readImages: false,
    });
    expect(skipped.images).toBeUndefined();
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(1);
  });

  it('makes no DescribeImages without Linux EC2 instances', async () => {
    const c = coveredCluster('win');
    c.instances = [
      instanceIn('win', instance('a', { kind: 'windows' })),
      instanceIn('win', instance('b', { kind: 'external' })),
    ];
    serve(ecs, [c], [AGENT, WEB]);
    const [win] = (await observe()).clusters;
    expect(win.images).toBeUndefined();
    expect(ec2.commandCalls(DescribeImagesCommand)).toHaveLength(0);
  });
});
