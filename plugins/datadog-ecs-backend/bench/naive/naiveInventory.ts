/**
 * The naive peer: the same inventory (every cluster's instances, services, tasks and task
 * definitions, and which instances run the Agent) the way plugins without batching do it, through
 * the same SDK (`@aws-sdk/client-ecs`, default retry settings) and the same emulator: locations
 * and clusters one after the other, the SDK's paginators with their default page sizes, and one
 * Describe call per cluster, instance, service, task and task definition. Within a cluster the
 * per-item calls are sent at once (`Promise.all`), so the SDK's connection pool (50 sockets per
 * client) bounds them: a generous peer — a `for … await` loop would be slower still.
 */
import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  paginateListClusters,
  paginateListContainerInstances,
  paginateListServices,
  paginateListTasks,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import {
  EcsTaskDefinition,
  findAgentContainer,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import type { EmulatorAccount } from '../lib/emulator';

export interface NaiveInput {
  url: string;
  accounts: EmulatorAccount[];
  locations: Array<{ accountId: string; region: string }>;
}

export interface NaiveResult {
  clusters: number;
  instances: number;
  covered: number;
}

async function all<T>(
  pages: AsyncIterable<T>,
  pick: (page: T) => string[] | undefined,
) {
  const out: string[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

export async function naiveInventory(input: NaiveInput): Promise<NaiveResult> {
  const result: NaiveResult = { clusters: 0, instances: 0, covered: 0 };
  // The same recognition of the Agent's container as the plugin's (Datadog's image names).
  const runsAgent = (td?: TaskDefinition) =>
    td !== undefined &&
    findAgentContainer(td as EcsTaskDefinition) !== undefined;
  for (const location of input.locations) {
    const account = input.accounts.find(
      a => a.accountId === location.accountId,
    )!;
    const client = new ECSClient({
      region: location.region,
      endpoint: input.url,
      credentials: {
        accessKeyId: account.accessKeyId,
        secretAccessKey: account.secretAccessKey,
      },
    });
    try {
      const clusterArns = await all(
        paginateListClusters({ client }, {}),
        p => p.clusterArns,
      );
      for (const clusterArn of clusterArns) {
        await client.send(
          new DescribeClustersCommand({ clusters: [clusterArn] }),
        );
        const cluster = clusterArn;
        const [instanceArns, serviceArns, taskArns] = [
          await all(
            paginateListContainerInstances({ client }, { cluster }),
            p => p.containerInstanceArns,
          ),
          await all(
            paginateListServices({ client }, { cluster }),
            p => p.serviceArns,
          ),
          await all(
            paginateListTasks({ client }, { cluster }),
            p => p.taskArns,
          ),
        ];
        const instances = await Promise.all(
          instanceArns.map(
            async arn =>
              (
                await client.send(
                  new DescribeContainerInstancesCommand({
                    cluster,
                    containerInstances: [arn],
                  }),
                )
              ).containerInstances?.[0],
          ),
        );
        await Promise.all(
          serviceArns.map(arn =>
            client.send(
              new DescribeServicesCommand({ cluster, services: [arn] }),
            ),
          ),
        );
        const tasks = await Promise.all(
          taskArns.map(
            async arn =>
              (
                await client.send(
                  new DescribeTasksCommand({ cluster, tasks: [arn] }),
                )
              ).tasks?.[0],
          ),
        );
        const definitions = new Map<string, TaskDefinition | undefined>();
        await Promise.all(
          [
            ...new Set(
              tasks
                .map(t => t?.taskDefinitionArn)
                .filter((a): a is string => !!a),
            ),
          ].map(async arn => {
            const r = await client.send(
              new DescribeTaskDefinitionCommand({ taskDefinition: arn }),
            );
            definitions.set(arn, r.taskDefinition);
          }),
        );
        const withAgent = new Set(
          tasks
            .filter(
              t =>
                t?.lastStatus === 'RUNNING' &&
                runsAgent(definitions.get(t.taskDefinitionArn ?? '')),
            )
            .map(t => t!.containerInstanceArn),
        );
        result.clusters += 1;
        result.instances += instances.length;
        result.covered += instances.filter(i =>
          withAgent.has(i?.containerInstanceArn),
        ).length;
      }
    } finally {
      client.destroy();
    }
  }
  return result;
}
