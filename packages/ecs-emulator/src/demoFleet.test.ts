import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { PROD, setupEmulator, STAGING } from './__testUtils__/setup';
import { demoFleet } from './fleets';

// The three clusters added for issue 11: an Agent started with StartTask, Amazon Linux 2 with
// Docker 19.03, and a private custom AMI.
describe('demo fleet: Agent scheduling and AMIs', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  beforeAll(async () => {
    ctx = await setupEmulator();
  });
  afterAll(() => ctx.stop());

  const instancesOf = async (ecs: ECSClient, cluster: string) => {
    const arns = (
      await ecs.send(new ListContainerInstancesCommand({ cluster }))
    ).containerInstanceArns!;
    return (
      await ecs.send(
        new DescribeContainerInstancesCommand({
          cluster,
          containerInstances: arns,
        }),
      )
    ).containerInstances!;
  };
  const attr = (
    ci: { attributes?: Array<{ name?: string; value?: string }> },
    name: string,
  ) => ci.attributes!.find(a => a.name === name)?.value;

  it('has 13 clusters, 16 with its Managed Instances clusters', () => {
    expect(demoFleet().clusters).toHaveLength(13);
    expect(demoFleet({ managed: true }).clusters).toHaveLength(16);
  });

  it('staging-standalone: one RUNNING, HEALTHY Agent task per instance, started by user data, no Agent service', async () => {
    const ecs = ctx.client(STAGING, 'eu-west-1');
    const instances = await instancesOf(ecs, 'staging-standalone');
    expect(instances).toHaveLength(3);
    const services = (
      await ecs.send(new ListServicesCommand({ cluster: 'staging-standalone' }))
    ).serviceArns!;
    expect(services.map(a => a.split('/').pop())).toEqual(['events-worker']);
    const arns = (
      await ecs.send(
        new ListTasksCommand({
          cluster: 'staging-standalone',
          family: 'datadog-agent-task',
        }),
      )
    ).taskArns!;
    const tasks = (
      await ecs.send(
        new DescribeTasksCommand({
          cluster: 'staging-standalone',
          tasks: arns,
        }),
      )
    ).tasks!;
    expect(tasks).toHaveLength(3);
    for (const t of tasks) {
      expect(t.group).toBe('family:datadog-agent-task');
      expect(t.lastStatus).toBe('RUNNING');
      expect(t.healthStatus).toBe('HEALTHY');
      // startedBy is the container instance id, as the ECS guide's user data script passes it.
      expect(t.startedBy).toBe(t.containerInstanceArn!.split('/').pop());
    }
    expect(new Set(tasks.map(t => t.containerInstanceArn)).size).toBe(3);
  });

  it('prod-al2-docker19: Amazon Linux 2 with Docker 19.03 on an AL2 AMI, covered by a DAEMON', async () => {
    const ecs = ctx.client(PROD, 'eu-west-1');
    const instances = await instancesOf(ecs, 'prod-al2-docker19');
    expect(instances).toHaveLength(3);
    const amis = new Set(instances.map(ci => attr(ci, 'ecs.ami-id')));
    expect(amis.size).toBe(1);
    for (const ci of instances) {
      expect(ci.versionInfo!.dockerVersion).toBe('DockerVersion: 19.03.13-ce');
      expect(ci.runningTasksCount).toBe(2);
      expect(attr(ci, 'ecs.os-family')).toBe('LINUX');
    }
    const images = await ctx
      .ec2(PROD, 'eu-west-1')
      .send(new DescribeImagesCommand({ ImageIds: [...amis] as string[] }));
    expect(images.Images![0].Name).toBe(
      'amzn2-ami-ecs-hvm-2.0.20210331-x86_64-ebs',
    );
    const [agent] = (
      await ecs.send(
        new DescribeServicesCommand({
          cluster: 'prod-al2-docker19',
          services: ['datadog-agent'],
        }),
      )
    ).services!;
    expect(agent).toMatchObject({
      schedulingStrategy: 'DAEMON',
      desiredCount: 3,
      runningCount: 3,
      taskDefinition:
        'arn:aws:ecs:eu-west-1:111111111111:task-definition/datadog-agent-task:2',
    });
  });

  it('staging-custom-ami: instances on the golden AMI the account cannot describe, with an Agent DAEMON', async () => {
    const ecs = ctx.client(STAGING, 'us-east-1');
    const instances = await instancesOf(ecs, 'staging-custom-ami');
    expect(instances.map(ci => attr(ci, 'ecs.ami-id'))).toEqual([
      'ami-0ac3e9a1d2b4c5f67',
      'ami-0ac3e9a1d2b4c5f67',
      'ami-0ac3e9a1d2b4c5f67',
    ]);
    const err = await ctx
      .ec2(STAGING, 'us-east-1')
      .send(new DescribeImagesCommand({ ImageIds: ['ami-0ac3e9a1d2b4c5f67'] }))
      .catch(e => e);
    expect(err.name).toBe('InvalidAMIID.NotFound');
    const [agent] = (
      await ecs.send(
        new DescribeServicesCommand({
          cluster: 'staging-custom-ami',
          services: ['datadog-agent'],
        }),
      )
    ).services!;
    expect(agent).toMatchObject({
      schedulingStrategy: 'DAEMON',
      desiredCount: 3,
      runningCount: 3,
    });
  });
});
