import {
  ClusterNotFoundException,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListClustersCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  paginateListServices,
  RegisterTaskDefinitionCommand,
  CreateServiceCommand,
  UpdateServiceCommand,
  ServiceNotFoundException,
  ClientException,
} from '@aws-sdk/client-ecs';
import { PROD, setupEmulator, STAGING } from './__testUtils__/setup';

describe('ECS API (demo fleet) through @aws-sdk/client-ecs', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  let prod: ECSClient;

  beforeAll(async () => {
    ctx = await setupEmulator();
    prod = ctx.client(PROD, 'us-east-1');
  });
  afterAll(() => ctx.stop());

  it('isolates accounts and regions', async () => {
    const names = async (account: string, region: string) =>
      (await ctx.client(account, region).send(new ListClustersCommand({})))
        .clusterArns!.map(a => a.split('/')[1])
        .sort();
    expect(await names(PROD, 'us-east-1')).toEqual([
      'prod-batch',
      'prod-managed',
      'prod-web',
      'sandbox',
    ]);
    expect(await names(PROD, 'eu-west-1')).toEqual([
      'prod-al2-docker19',
      'prod-eu-legacy',
      'prod-eu-payments',
      'prod-mixed',
    ]);
    expect(await names(STAGING, 'us-east-1')).toEqual([
      'staging-custom-ami',
      'staging-fargate',
      'staging-managed',
      'staging-misconfigured',
      'staging-replica',
    ]);
    expect(await names(STAGING, 'eu-west-1')).toEqual([
      'edge-anywhere',
      'staging-standalone',
      'staging-windows',
    ]);
    const arns = (await prod.send(new ListClustersCommand({}))).clusterArns!;
    expect(arns).toContain(
      'arn:aws:ecs:us-east-1:111111111111:cluster/prod-web',
    );
    // a cluster of another account is not found, even by ARN
    await expect(
      ctx
        .client(STAGING, 'us-east-1')
        .send(new ListServicesCommand({ cluster: 'prod-web' })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
  });

  it('paginates ListClusters and validates maxResults', async () => {
    const first = await prod.send(new ListClustersCommand({ maxResults: 2 }));
    expect(first.clusterArns).toHaveLength(2);
    expect(first.nextToken).toBeDefined();
    const second = await prod.send(
      new ListClustersCommand({ maxResults: 2, nextToken: first.nextToken }),
    );
    expect(second.clusterArns).toHaveLength(2);
    expect(second.nextToken).toBeUndefined();
    await expect(
      prod.send(new ListClustersCommand({ maxResults: 101 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      prod.send(new ListClustersCommand({ nextToken: 'garbage!' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('describes clusters with TAGS, SETTINGS, STATISTICS and reports missing ones', async () => {
    const out = await prod.send(
      new DescribeClustersCommand({
        clusters: [
          'prod-web',
          'arn:aws:ecs:us-east-1:111111111111:cluster/prod-batch',
          'nope',
        ],
        include: ['TAGS', 'SETTINGS', 'STATISTICS'],
      }),
    );
    expect(out.clusters!.map(c => c.clusterName)).toEqual([
      'prod-web',
      'prod-batch',
    ]);
    const web = out.clusters![0];
    expect(web.registeredContainerInstancesCount).toBe(4);
    expect(web.runningTasksCount).toBe(11);
    expect(web.activeServicesCount).toBe(3);
    expect(web.tags).toEqual(
      expect.arrayContaining([{ key: 'env', value: 'prod' }]),
    );
    expect(web.settings).toEqual([
      { name: 'containerInsights', value: 'enabled' },
    ]);
    expect(web.statistics).toEqual(
      expect.arrayContaining([{ name: 'runningEC2TasksCount', value: '11' }]),
    );
    expect(out.failures).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:111111111111:cluster/nope',
        reason: 'MISSING',
      },
    ]);
    const plain = await prod.send(
      new DescribeClustersCommand({ clusters: ['prod-web'] }),
    );
    expect(plain.clusters![0].tags).toBeUndefined();
  });

  it('lists and describes container instances the way ECS reports them', async () => {
    const list = await prod.send(
      new ListContainerInstancesCommand({ cluster: 'prod-web' }),
    );
    expect(list.containerInstanceArns).toHaveLength(4);
    const d = await prod.send(
      new DescribeContainerInstancesCommand({
        cluster: 'prod-web',
        containerInstances: [...list.containerInstanceArns!, 'missing-id'],
      }),
    );
    const inst = d.containerInstances![0];
    const attr = (name: string) => inst.attributes!.find(a => a.name === name);
    expect(attr('ecs.os-type')?.value).toBe('linux');
    expect(attr('ecs.os-family')?.value).toBe('LINUX');
    expect(attr('ecs.instance-type')?.value).toBe('m5.large');
    expect(
      attr('com.amazonaws.ecs.capability.docker-remote-api.1.44'),
    ).toBeDefined();
    expect(
      attr('ecs.capability.secrets.asm.environment-variables'),
    ).toBeDefined();
    expect(inst.ec2InstanceId).toMatch(/^i-0[0-9a-f]{16}$/);
    expect(inst.versionInfo?.agentVersion).toBe('1.88.0');
    expect(inst.runningTasksCount).toBe(3);
    expect(inst.registeredAt).toBeInstanceOf(Date);
    const mem = (r: typeof inst.registeredResources) =>
      r!.find(x => x.name === 'MEMORY')!.integerValue!;
    expect(mem(inst.registeredResources)).toBe(7680);
    expect(mem(inst.remainingResources)).toBe(7680 - 512 - 1024 - 512);
    const ports = inst.remainingResources!.find(x => x.name === 'PORTS')!
      .stringSetValue!;
    expect(ports).toEqual(expect.arrayContaining(['22', '8126']));
    expect(
      inst.remainingResources!.find(x => x.name === 'PORTS_UDP')!
        .stringSetValue,
    ).toEqual(['8125']);
    expect(d.failures).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:111111111111:container-instance/prod-web/missing-id',
        reason: 'MISSING',
      },
    ]);

    // status filter
    const eu = ctx.client(PROD, 'eu-west-1');
    const draining = await eu.send(
      new ListContainerInstancesCommand({
        cluster: 'prod-eu-legacy',
        status: 'DRAINING',
      }),
    );
    expect(draining.containerInstanceArns).toHaveLength(1);
    const legacy = await eu.send(
      new DescribeContainerInstancesCommand({
        cluster: 'prod-eu-legacy',
        containerInstances: (
          await eu.send(
            new ListContainerInstancesCommand({ cluster: 'prod-eu-legacy' }),
          )
        ).containerInstanceArns!,
      }),
    );
    expect(
      legacy.containerInstances!.map(i => i.versionInfo!.agentVersion),
    ).toEqual(['1.51.0', '1.51.0', '1.51.0', '1.51.0']);
    expect(
      legacy.containerInstances!.filter(i => !i.agentConnected),
    ).toHaveLength(1);
    expect(
      legacy.containerInstances![0].attributes!.find(
        a => a.name === 'com.amazonaws.ecs.capability.docker-remote-api.1.44',
      ),
    ).toBeUndefined();

    const staging = ctx.client(STAGING, 'eu-west-1');
    const win = await staging.send(
      new DescribeContainerInstancesCommand({
        cluster: 'staging-windows',
        containerInstances: (
          await staging.send(
            new ListContainerInstancesCommand({ cluster: 'staging-windows' }),
          )
        ).containerInstanceArns!,
      }),
    );
    expect(win.containerInstances![0].attributes).toEqual(
      expect.arrayContaining([
        { name: 'ecs.os-type', value: 'windows' },
        { name: 'ecs.os-family', value: 'WINDOWS_SERVER_2022_CORE' },
      ]),
    );
    const ext = await staging.send(
      new DescribeContainerInstancesCommand({
        cluster: 'edge-anywhere',
        containerInstances: (
          await staging.send(
            new ListContainerInstancesCommand({ cluster: 'edge-anywhere' }),
          )
        ).containerInstanceArns!,
      }),
    );
    for (const i of ext.containerInstances!) {
      expect(i.ec2InstanceId).toMatch(/^mi-/);
      expect(
        i.attributes!.find(a => a.name === 'ecs.capability.external'),
      ).toBeDefined();
      expect(
        i.attributes!.find(a => a.name === 'ecs.instance-type'),
      ).toBeUndefined();
      expect(i.runningTasksCount).toBe(1);
    }
  });

  it('enforces batch limits', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `id-${i}`);
    await expect(
      prod.send(new DescribeTasksCommand({ cluster: 'prod-web', tasks: many })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      prod.send(
        new DescribeContainerInstancesCommand({
          cluster: 'prod-web',
          containerInstances: many,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      prod.send(
        new DescribeServicesCommand({
          cluster: 'prod-web',
          services: many.slice(0, 11),
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const ten = await prod.send(
      new DescribeServicesCommand({
        cluster: 'prod-web',
        services: many.slice(0, 10),
      }),
    );
    expect(ten.failures).toHaveLength(10);
  });

  it('describes services with deployments and events, and reports missing ones', async () => {
    const out = await prod.send(
      new DescribeServicesCommand({
        cluster: 'prod-web',
        services: ['datadog-agent', 'checkout-api', 'ghost'],
        include: ['TAGS'],
      }),
    );
    expect(out.failures).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:111111111111:service/prod-web/ghost',
        reason: 'MISSING',
      },
    ]);
    const agent = out.services![0];
    expect(agent.schedulingStrategy).toBe('DAEMON');
    expect(agent.desiredCount).toBe(4);
    expect(agent.runningCount).toBe(4);
    expect(agent.deploymentConfiguration).toMatchObject({
      maximumPercent: 100,
      minimumHealthyPercent: 0,
    });
    expect(agent.deployments).toHaveLength(1);
    expect(agent.deployments![0]).toMatchObject({
      status: 'PRIMARY',
      rolloutState: 'COMPLETED',
      runningCount: 4,
    });
    expect(agent.deployments![0].id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(agent.events![0].message).toMatch(
      /^\(service datadog-agent\) \(deployment ecs-svc\/\d+\) deployment completed\.$/,
    );
    expect(agent.events!.map(e => e.message)).toContain(
      '(service datadog-agent) has reached a steady state.',
    );
    expect(agent.events![0].createdAt).toBeInstanceOf(Date);
    expect(out.services![1].tags).toEqual([
      { key: 'service', value: 'checkout-api' },
    ]);
    expect(out.services![1].deploymentConfiguration).toMatchObject({
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
  });

  it('records insufficient-memory placement failures for a DAEMON', async () => {
    const out = await prod.send(
      new DescribeServicesCommand({
        cluster: 'prod-batch',
        services: ['datadog-agent'],
      }),
    );
    const svc = out.services![0];
    expect(svc.desiredCount).toBe(5);
    expect(svc.runningCount).toBe(2);
    const failures = svc.events!.filter(e =>
      e.message!.includes('was unable to place a task'),
    );
    expect(failures).toHaveLength(3);
    expect(failures[0].message).toMatch(
      /^\(service datadog-agent\) was unable to place a task because no container instance met all of its requirements\. The closest matching \(container-instance [0-9a-f]{32}\) has insufficient memory available\. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide\.$/,
    );
  });

  it('lists services with filters and paginates (default page 10)', async () => {
    const eu = ctx.client(PROD, 'eu-west-1');
    for (let i = 0; i < 11; i++) {
      await eu.send(
        new CreateServiceCommand({
          cluster: 'prod-eu-payments',
          serviceName: `extra-${i}`,
          taskDefinition: 'payments-api',
          desiredCount: 0,
        }),
      );
    }
    const page = await eu.send(
      new ListServicesCommand({ cluster: 'prod-eu-payments' }),
    );
    expect(page.serviceArns).toHaveLength(10);
    expect(page.nextToken).toBeDefined();
    const all: string[] = [];
    for await (const p of paginateListServices(
      { client: eu },
      { cluster: 'prod-eu-payments' },
    )) {
      all.push(...p.serviceArns!);
    }
    expect(all).toHaveLength(12);
    const daemons = await prod.send(
      new ListServicesCommand({
        cluster: 'prod-web',
        schedulingStrategy: 'DAEMON',
      }),
    );
    expect(daemons.serviceArns).toEqual([
      'arn:aws:ecs:us-east-1:111111111111:service/prod-web/datadog-agent',
    ]);
    const fargate = await ctx.client(STAGING, 'us-east-1').send(
      new ListServicesCommand({
        cluster: 'staging-fargate',
        launchType: 'FARGATE',
      }),
    );
    expect(fargate.serviceArns).toHaveLength(1);
    const ec2 = await ctx.client(STAGING, 'us-east-1').send(
      new ListServicesCommand({
        cluster: 'staging-fargate',
        launchType: 'EC2',
      }),
    );
    expect(ec2.serviceArns).toHaveLength(0);
    await expect(
      prod.send(new ListServicesCommand({ cluster: 'nope' })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
  });

  it('lists tasks with every filter and describes them', async () => {
    const instances = (
      await prod.send(
        new ListContainerInstancesCommand({ cluster: 'prod-web' }),
      )
    ).containerInstanceArns!;
    const onFirst = await prod.send(
      new ListTasksCommand({
        cluster: 'prod-web',
        containerInstance: instances[0],
      }),
    );
    expect(onFirst.taskArns).toHaveLength(3);
    const byService = await prod.send(
      new ListTasksCommand({
        cluster: 'prod-web',
        serviceName: 'datadog-agent',
      }),
    );
    expect(byService.taskArns).toHaveLength(4);
    const byFamily = await prod.send(
      new ListTasksCommand({ cluster: 'prod-web', family: 'storefront' }),
    );
    expect(byFamily.taskArns).toHaveLength(3);
    const paged = await prod.send(
      new ListTasksCommand({ cluster: 'prod-web', maxResults: 5 }),
    );
    expect(paged.taskArns).toHaveLength(5);
    expect(paged.nextToken).toBeDefined();
    const stopped = await prod.send(
      new ListTasksCommand({ cluster: 'prod-web', desiredStatus: 'STOPPED' }),
    );
    expect(stopped.taskArns).toHaveLength(0);
    await expect(
      prod.send(
        new ListTasksCommand({ cluster: 'prod-web', serviceName: 'ghost' }),
      ),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);

    const d = await prod.send(
      new DescribeTasksCommand({
        cluster: 'prod-web',
        tasks: [...byService.taskArns!, 'deadbeef'],
      }),
    );
    expect(d.failures).toEqual([
      {
        arn: 'arn:aws:ecs:us-east-1:111111111111:task/prod-web/deadbeef',
        reason: 'MISSING',
      },
    ]);
    const task = d.tasks![0];
    expect(task).toMatchObject({
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      healthStatus: 'HEALTHY',
      launchType: 'EC2',
      group: 'service:datadog-agent',
      cpu: '100',
      memory: '512',
    });
    expect(task.taskDefinitionArn).toBe(
      'arn:aws:ecs:us-east-1:111111111111:task-definition/datadog-agent-task:1',
    );
    expect(task.startedAt).toBeInstanceOf(Date);
    expect(task.containers![0].networkBindings).toEqual(
      expect.arrayContaining([
        {
          bindIP: '0.0.0.0',
          containerPort: 8125,
          hostPort: 8125,
          protocol: 'udp',
        },
      ]),
    );
    const byStartedBy = await prod.send(
      new ListTasksCommand({ cluster: 'prod-web', startedBy: task.startedBy }),
    );
    expect(byStartedBy.taskArns).toHaveLength(4);

    const fargate = ctx.client(STAGING, 'us-east-1');
    const ft = await fargate.send(
      new ListTasksCommand({
        cluster: 'staging-fargate',
        launchType: 'FARGATE',
      }),
    );
    const fd = await fargate.send(
      new DescribeTasksCommand({
        cluster: 'staging-fargate',
        tasks: ft.taskArns!,
      }),
    );
    expect(fd.tasks!.map(t => t.launchType)).toEqual(['FARGATE', 'FARGATE']);
    expect(fd.tasks![0].containerInstanceArn).toBeUndefined();
  });

  it('registers, stores and describes task definitions', async () => {
    const input = {
      family: 'api-test',
      taskRoleArn: 'arn:aws:iam::111111111111:role/app',
      containerDefinitions: [
        {
          name: 'web',
          image: 'nginx:1.27',
          memory: 256,
          portMappings: [{ containerPort: 80, hostPort: 8080 }],
          environment: [{ name: 'A', value: 'b' }],
          dockerLabels: { 'com.datadoghq.tags.service': 'api-test' },
        },
      ],
      tags: [{ key: 'owner', value: 'me' }],
    };
    const r1 = await prod.send(new RegisterTaskDefinitionCommand(input));
    const r2 = await prod.send(new RegisterTaskDefinitionCommand(input));
    expect(r1.taskDefinition!.revision).toBe(1);
    expect(r2.taskDefinition!.revision).toBe(2);
    expect(r2.taskDefinition!.taskDefinitionArn).toBe(
      'arn:aws:ecs:us-east-1:111111111111:task-definition/api-test:2',
    );
    expect(r2.taskDefinition!.status).toBe('ACTIVE');
    expect(r2.taskDefinition!.registeredAt).toBeInstanceOf(Date);
    expect(r2.taskDefinition!.compatibilities).toEqual(['EC2', 'EXTERNAL']);
    expect(r2.taskDefinition!.requiresAttributes).toEqual(
      expect.arrayContaining([
        { name: 'com.amazonaws.ecs.capability.task-iam-role' },
        { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
      ]),
    );
    expect(r2.tags).toEqual([{ key: 'owner', value: 'me' }]);

    const d = await prod.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: 'api-test',
        include: ['TAGS'],
      }),
    );
    expect(d.taskDefinition!.revision).toBe(2);
    expect(d.taskDefinition!.containerDefinitions![0]).toMatchObject({
      name: 'web',
      image: 'nginx:1.27',
      memory: 256,
      environment: [{ name: 'A', value: 'b' }],
      dockerLabels: { 'com.datadoghq.tags.service': 'api-test' },
      portMappings: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }],
    });
    expect(d.tags).toEqual([{ key: 'owner', value: 'me' }]);
    const byArn = await prod.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: r1.taskDefinition!.taskDefinitionArn,
      }),
    );
    expect(byArn.taskDefinition!.revision).toBe(1);
    // revisions are per account and region
    const eu = await ctx
      .client(PROD, 'eu-west-1')
      .send(new RegisterTaskDefinitionCommand(input));
    expect(eu.taskDefinition!.revision).toBe(1);

    const list = await prod.send(
      new ListTaskDefinitionsCommand({
        familyPrefix: 'api-test',
        sort: 'DESC',
      }),
    );
    expect(list.taskDefinitionArns).toEqual([
      'arn:aws:ecs:us-east-1:111111111111:task-definition/api-test:2',
      'arn:aws:ecs:us-east-1:111111111111:task-definition/api-test:1',
    ]);
    const tags = await prod.send(
      new ListTagsForResourceCommand({
        resourceArn: r1.taskDefinition!.taskDefinitionArn,
      }),
    );
    expect(tags.tags).toEqual([{ key: 'owner', value: 'me' }]);

    await expect(
      prod.send(
        new RegisterTaskDefinitionCommand({ ...input, family: 'bad family!' }),
      ),
    ).rejects.toBeInstanceOf(ClientException);
    await expect(
      prod.send(
        new RegisterTaskDefinitionCommand({
          family: 'x',
          containerDefinitions: [{ name: 'a', image: 'b' }],
        }),
      ),
    ).rejects.toThrow(
      "At least one of 'memory' or 'memoryReservation' must be specified.",
    );
    await expect(
      prod.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:9' }),
      ),
    ).rejects.toThrow('Unable to describe task definition.');
  });

  it('lists tags of clusters, services, tasks and instances', async () => {
    const cluster = await prod.send(
      new ListTagsForResourceCommand({
        resourceArn: 'arn:aws:ecs:us-east-1:111111111111:cluster/prod-web',
      }),
    );
    expect(cluster.tags).toEqual(
      expect.arrayContaining([{ key: 'cluster', value: 'prod-web' }]),
    );
    const svc = await prod.send(
      new ListTagsForResourceCommand({
        resourceArn:
          'arn:aws:ecs:us-east-1:111111111111:service/prod-web/storefront',
      }),
    );
    expect(svc.tags).toEqual([{ key: 'service', value: 'storefront' }]);
    await expect(
      prod.send(
        new ListTagsForResourceCommand({
          resourceArn:
            'arn:aws:ecs:us-east-1:111111111111:service/prod-web/ghost',
        }),
      ),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
  });

  it('validates CreateService and honours clientToken idempotency', async () => {
    const eu = ctx.client(PROD, 'eu-west-1');
    const input = {
      cluster: 'prod-eu-payments',
      serviceName: 'idem',
      taskDefinition: 'payments-api',
      desiredCount: 0,
      clientToken: 'tok-1',
    };
    const a = await eu.send(new CreateServiceCommand(input));
    const b = await eu.send(new CreateServiceCommand(input));
    expect(b.service!.serviceArn).toBe(a.service!.serviceArn);
    await expect(
      eu.send(new CreateServiceCommand({ ...input, desiredCount: 1 })),
    ).rejects.toThrow('Creation of service was not idempotent.');
    await expect(
      eu.send(
        new CreateServiceCommand({
          cluster: 'prod-eu-payments',
          serviceName: 'd',
          taskDefinition: 'payments-api',
          schedulingStrategy: 'DAEMON',
          desiredCount: 2,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      eu.send(
        new CreateServiceCommand({
          cluster: 'prod-eu-payments',
          serviceName: 'd',
          taskDefinition: 'ghost:1',
          desiredCount: 1,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      eu.send(
        new UpdateServiceCommand({
          cluster: 'prod-eu-payments',
          service: 'ghost',
          desiredCount: 1,
        }),
      ),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
    await expect(
      eu.send(
        new CreateServiceCommand({
          cluster: 'nope',
          serviceName: 'd',
          taskDefinition: 'payments-api',
          desiredCount: 1,
        }),
      ),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
  });
});
