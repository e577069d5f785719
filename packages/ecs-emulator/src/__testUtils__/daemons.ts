import {
  DescribeContainerInstancesCommand,
  DescribeDaemonCommand,
  DescribeDaemonDeploymentsCommand,
  DescribeTasksCommand,
  ECSClient,
  ListContainerInstancesCommand,
  ListDaemonsCommand,
  ListTasksCommand,
  RegisterDaemonTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { datadogAgentManagedDaemon } from '../fleets/datadogManaged';

// Helpers of the ECS Managed Daemons tests (src/daemons/*.test.ts).

export async function instancesOf(ecs: ECSClient, cluster: string) {
  const arns = (await ecs.send(new ListContainerInstancesCommand({ cluster })))
    .containerInstanceArns!;
  if (!arns.length) return [];
  return (
    await ecs.send(
      new DescribeContainerInstancesCommand({
        cluster,
        containerInstances: arns,
      }),
    )
  ).containerInstances!;
}

/** The live tasks of a daemon (group `daemon:<name>`). */
export async function daemonTasks(
  ecs: ECSClient,
  cluster: string,
  name = 'datadog-agent',
  desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING',
) {
  const arns = (
    await ecs.send(
      new ListTasksCommand({
        cluster,
        launchType: 'MANAGED_INSTANCES',
        desiredStatus,
      }),
    )
  ).taskArns!;
  if (!arns.length) return [];
  const tasks = (
    await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }))
  ).tasks!;
  return tasks.filter(t => t.group === `daemon:${name}`);
}

export async function daemonArnOf(ecs: ECSClient, cluster: string) {
  const list = await ecs.send(new ListDaemonsCommand({ clusterArn: cluster }));
  return list.daemonSummariesList![0]?.daemonArn;
}

export async function describeDaemon(ecs: ECSClient, daemonArn: string) {
  return (await ecs.send(new DescribeDaemonCommand({ daemonArn }))).daemon!;
}

export async function describeDeployment(ecs: ECSClient, arn: string) {
  return (
    await ecs.send(
      new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: [arn] }),
    )
  ).daemonDeployments![0];
}

/** Registers the Datadog Agent managed-daemon definition with another image. */
export async function registerManagedAgent(
  ecs: ECSClient,
  accountId: string,
  region: string,
  image: string,
) {
  const out = await ecs.send(
    new RegisterDaemonTaskDefinitionCommand(
      datadogAgentManagedDaemon({ accountId, region, image }) as any,
    ),
  );
  return out.daemonTaskDefinitionArn!;
}
