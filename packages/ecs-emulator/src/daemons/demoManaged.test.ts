import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeDaemonTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListDaemonsCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import {
  daemonArnOf,
  daemonTasks,
  describeDaemon,
  describeDeployment,
  instancesOf,
} from '../__testUtils__/daemons';
import { PROD, setupEmulator, STAGING } from '../__testUtils__/setup';
import { demoFleet } from '../fleets';

// The demo's Managed Instances clusters (fleets/demoManaged.ts).
describe('demo fleet: Amazon ECS Managed Instances', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  beforeAll(async () => {
    ctx = await setupEmulator();
  });
  afterAll(() => ctx.stop());

  const attr = (
    ci: { attributes?: Array<{ name?: string; value?: string }> },
    name: string,
  ) => ci.attributes!.find(a => a.name === name)?.value;

  it('adds three Managed Instances clusters to the thirteen others (fleet demo+managed)', () => {
    expect(demoFleet().clusters.map(c => c.name)).not.toContain('prod-managed');
    const names = demoFleet({ managed: true }).clusters.map(c => c.name);
    expect(names).toHaveLength(16);
    expect(names.slice(13)).toEqual([
      'staging-managed',
      'prod-managed',
      'prod-mixed',
    ]);
  });

  it('staging-managed: a Managed Instances capacity provider, its instances, no daemon', async () => {
    const ecs = ctx.client(STAGING, 'us-east-1');
    const cluster = (
      await ecs.send(
        new DescribeClustersCommand({ clusters: ['staging-managed'] }),
      )
    ).clusters![0];
    expect(cluster.capacityProviders).toEqual(['staging-managed-mi']);
    const cp = (
      await ecs.send(
        new DescribeCapacityProvidersCommand({ cluster: 'staging-managed' }),
      )
    ).capacityProviders!;
    expect(cp).toHaveLength(1);
    expect(cp[0]).toMatchObject({
      capacityProviderArn: `arn:aws:ecs:us-east-1:${STAGING}:capacity-provider/staging-managed-mi`,
      name: 'staging-managed-mi',
      cluster: 'staging-managed',
      status: 'ACTIVE',
      type: 'MANAGED_INSTANCES',
      managedInstancesProvider: {
        infrastructureRoleArn: `arn:aws:iam::${STAGING}:role/ecsInfrastructureRole`,
        propagateTags: 'CAPACITY_PROVIDER',
      },
    });
    const instances = await instancesOf(ecs, 'staging-managed');
    expect(instances).toHaveLength(3);
    for (const ci of instances) {
      expect(ci.capacityProviderName).toBe('staging-managed-mi');
      expect(ci.ec2InstanceId).toMatch(/^i-0[0-9a-f]{16}$/);
      expect(ci.status).toBe('ACTIVE');
      expect(attr(ci, 'ecs.os-type')).toBe('linux');
      expect(attr(ci, 'ecs.os-family')).toBe('LINUX');
      expect(attr(ci, 'ecs.instance-type')).toBe('m6i.large');
      expect(ci.runningTasksCount).toBe(0);
    }
    const daemons = await ecs.send(
      new ListDaemonsCommand({ clusterArn: 'staging-managed' }),
    );
    expect(daemons.daemonSummariesList).toEqual([]);
    // The instances boot from the Bottlerocket image EC2 describes.
    const ami = attr(instances[0], 'ecs.ami-id')!;
    const image = await ctx
      .ec2(STAGING, 'us-east-1')
      .send(new DescribeImagesCommand({ ImageIds: [ami] }));
    expect(image.Images![0].Name).toMatch(/^bottlerocket-aws-ecs-2-x86_64-v/);
  });

  it('prod-managed: a managed daemon on Agent 7.65.0 runs on all 4 instances, its deployment SUCCESSFUL', async () => {
    const ecs = ctx.client(PROD, 'us-east-1');
    const arn = await daemonArnOf(ecs, 'prod-managed');
    expect(arn).toBe(
      `arn:aws:ecs:us-east-1:${PROD}:daemon/prod-managed/datadog-agent`,
    );
    const daemon = await describeDaemon(ecs, arn!);
    expect(daemon.status).toBe('ACTIVE');
    expect(daemon.currentRevisions).toHaveLength(1);
    expect(daemon.currentRevisions![0]).toMatchObject({
      capacityProviders: [
        {
          arn: `arn:aws:ecs:us-east-1:${PROD}:capacity-provider/prod-managed-mi`,
          runningCount: 4,
        },
      ],
      totalRunningCount: 4,
    });
    const deployment = await describeDeployment(ecs, daemon.deploymentArn!);
    expect(deployment).toMatchObject({
      status: 'SUCCESSFUL',
      statusReason: 'Deployment completed successfully.',
      circuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0 },
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0 },
    });
    const tasks = await daemonTasks(ecs, 'prod-managed');
    expect(tasks).toHaveLength(4);
    for (const t of tasks) {
      expect(t).toMatchObject({
        lastStatus: 'RUNNING',
        healthStatus: 'HEALTHY',
        launchType: 'MANAGED_INSTANCES',
        capacityProviderName: 'prod-managed-mi',
        group: 'daemon:datadog-agent',
        taskDefinitionArn: `arn:aws:ecs:us-east-1:${PROD}:daemon-task-definition/datadog-agent-daemon:1`,
      });
    }
    const td = (
      await ecs.send(
        new DescribeDaemonTaskDefinitionCommand({
          daemonTaskDefinition: tasks[0].taskDefinitionArn!,
        }),
      )
    ).daemonTaskDefinition!;
    expect(td.containerDefinitions![0].image).toBe(
      'public.ecr.aws/datadog/agent:7.65.0',
    );
    expect(td).toMatchObject({ cpu: '256', memory: '512', status: 'ACTIVE' });
  });

  it('prod-mixed: the DAEMON service covers the Auto Scaling group, the managed daemon the Managed Instances', async () => {
    const ecs = ctx.client(PROD, 'eu-west-1');
    const cluster = (
      await ecs.send(new DescribeClustersCommand({ clusters: ['prod-mixed'] }))
    ).clusters![0];
    expect(cluster.capacityProviders).toEqual([
      'prod-mixed-asg',
      'prod-mixed-mi',
    ]);
    const instances = await instancesOf(ecs, 'prod-mixed');
    const byProvider = (name: string) =>
      instances.filter(i => i.capacityProviderName === name);
    expect(byProvider('prod-mixed-asg')).toHaveLength(2);
    expect(byProvider('prod-mixed-mi')).toHaveLength(3);
    const svc = (
      await ecs.send(
        new DescribeServicesCommand({
          cluster: 'prod-mixed',
          services: ['datadog-agent'],
        }),
      )
    ).services![0];
    expect(svc.desiredCount).toBe(2);
    expect(svc.runningCount).toBe(2);
    const serviceTasks = (
      await ecs.send(
        new DescribeTasksCommand({
          cluster: 'prod-mixed',
          tasks: (
            await ecs.send(
              new ListTasksCommand({
                cluster: 'prod-mixed',
                serviceName: 'datadog-agent',
              }),
            )
          ).taskArns!,
        }),
      )
    ).tasks!;
    const asg = byProvider('prod-mixed-asg').map(i => i.containerInstanceArn);
    expect(serviceTasks.map(t => t.containerInstanceArn).sort()).toEqual(
      [...asg].sort(),
    );
    // The app service runs on the Auto Scaling group only, too.
    const ledger = (
      await ecs.send(
        new ListTasksCommand({
          cluster: 'prod-mixed',
          serviceName: 'ledger-api',
        }),
      )
    ).taskArns!;
    expect(ledger).toHaveLength(2);
    const daemonArn = await daemonArnOf(ecs, 'prod-mixed');
    const daemon = await describeDaemon(ecs, daemonArn!);
    expect(daemon.currentRevisions![0].totalRunningCount).toBe(3);
    const tasks = await daemonTasks(ecs, 'prod-mixed');
    const mi = byProvider('prod-mixed-mi').map(i => i.containerInstanceArn);
    expect(tasks.map(t => t.containerInstanceArn).sort()).toEqual(
      [...mi].sort(),
    );
    const deployment = await describeDeployment(ecs, daemon.deploymentArn!);
    expect(deployment.deploymentConfiguration).toMatchObject({
      drainPercent: 50,
      bakeTimeInMinutes: 2,
    });
  });
});
