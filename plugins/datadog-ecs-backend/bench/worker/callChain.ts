/**
 * The floor of the refresh's time: the calls a refresh makes, each as soon as what it needs is
 * known, through the same gateway (its SDK clients, batches, caches and calls-in-flight limit),
 * every answer read by the SDK and dropped: nothing of the plugin's own work (coverage, views,
 * redaction, storage). With latency injected, what this machine and the SDK need to make the
 * refresh's calls in the order their dependencies allow; without, what the calls alone cost.
 *
 * The calls are those of `observeLocation` on the generated fleets (which have no capacity
 * providers and no daemons): ListClusters → DescribeClusters; the rollout family's latest revision
 * and its definition; per cluster ListContainerInstances → DescribeContainerInstances, then one
 * DescribeImages for the location; ListServices → DescribeServices (the rollout's service named);
 * ListTasks → DescribeTasks → DescribeTaskDefinition of what the services and tasks name; and, in
 * the clusters where the measured refresh looked them up, the stopped tasks of the Agent families.
 */
import type { EcsGateway } from '../../src/aws/EcsGateway';
import type { DatadogEcsConfig } from '../../src/config/config';
import {
  agentDetectionOf,
  clusterNameOf,
  describeInstancesOf,
  describeServicesOf,
  isAgentTaskDefinition,
  taskDefinitionArnsOf,
} from '../../src/inventory/collect';
import { amiIdsToRead } from '../../src/inventory/instances';
import { mapWithConcurrency } from '../../src/util/concurrency';

export async function callChain(
  gateway: EcsGateway,
  config: DatadogEcsConfig,
  /** `account/region/cluster` → diagnostic calls the measured refresh made there. */
  diagnostics: Record<string, number>,
): Promise<void> {
  const detection = agentDetectionOf(config);
  await mapWithConcurrency(
    config.locations,
    config.locationConcurrency,
    async location => {
      const key = `${location.accountId}/${location.region}`;
      const api = await gateway.forLocation(
        location.accountId,
        location.region,
      );
      const clusters = await api.describeClusters(await api.listClusterArns());
      const family = api
        .latestTaskDefinitionArn?.(config.rollout.family)
        .then(arn => (arn ? api.describeTaskDefinition(arn) : undefined));
      const active = clusters.filter(c => c.status !== 'INACTIVE');
      const instances = active.map(c =>
        describeInstancesOf(api, c.clusterArn!, []),
      );
      const images = Promise.all(instances).then(all => {
        const ids = [...new Set(all.flatMap(amiIdsToRead))];
        return ids.length ? api.describeImages?.(ids) : undefined;
      });
      await mapWithConcurrency(
        active,
        config.clusterConcurrency,
        async (cluster, index) => {
          const arn = cluster.clusterArn!;
          const [, services, tasks] = await Promise.all([
            instances[index],
            describeServicesOf(api, arn, detection.serviceNames ?? [], []),
            api
              .listTaskArns(arn)
              .then(a => (a.length ? api.describeTasks(arn, a) : [])),
          ]);
          const named = taskDefinitionArnsOf(services, tasks);
          const definitions = await mapWithConcurrency([...named], 4, td =>
            api.describeTaskDefinition(td),
          );
          if (!diagnostics[`${key}/${clusterNameOf(arn)}`]) return;
          const families = new Set(
            definitions
              .filter(td => isAgentTaskDefinition(td, detection))
              .map(td => td.family!),
          );
          const stopped = (
            await Promise.all(
              [...families].map(f =>
                api.listTaskArns(arn, { desiredStatus: 'STOPPED', family: f }),
              ),
            )
          ).flat();
          if (stopped.length) await api.describeTasks(arn, stopped);
        },
      );
      await Promise.all([images, family]);
    },
  );
}
