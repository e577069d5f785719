import { findAgentContainer } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  Cluster,
  ContainerInstance,
  EcsLocationApi,
  Service,
  Task,
  TaskDefinition,
} from '../aws/EcsGateway';
import { mapWithConcurrency } from '../util/concurrency';
import { errorAsData } from './errors';
import { InventoryError } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** How to recognise the Agent, from config. */
export interface AgentDetection {
  imageRepositories: string[];
  taskDefinitionFamilies: string[];
}

/** Everything ECS said about one cluster in one pass: the input of the pure coverage functions. */
export interface ClusterObservation {
  cluster: Cluster;
  instances: ContainerInstance[];
  services: Service[];
  /** Tasks whose desired status is RUNNING (running and on their way). */
  tasks: Task[];
  /** Recently stopped Agent tasks (ECS keeps them for about an hour). */
  stoppedAgentTasks: Task[];
  /** Every task definition referenced by a service deployment or a task, by ARN. */
  taskDefinitions: Record<string, TaskDefinition>;
  /** ARNs of the task definitions that run the Agent. */
  agentTaskDefinitionArns: string[];
  observedAt: string;
}

/** A cluster whose calls failed: kept, with its error, next to the others. */
export interface FailedClusterObservation {
  clusterArn: string;
  clusterName: string;
  error: InventoryError;
}

/** One account-region's pass. */
export interface LocationObservation {
  accountId: string;
  region: string;
  clusters: ClusterObservation[];
  failedClusters: FailedClusterObservation[];
  /** The location itself failed (credentials, access denied to ListClusters, network). */
  error?: InventoryError;
  observedAt: string;
}

export function isAgentTaskDefinition(
  taskDefinition: TaskDefinition,
  detection: AgentDetection,
): boolean {
  if (taskDefinition.family && detection.taskDefinitionFamilies.includes(taskDefinition.family)) {
    return true;
  }
  return findAgentContainer(taskDefinition, detection.imageRepositories) !== undefined;
}

function clusterNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * One pass over one cluster, with the fewest calls: instances only when the cluster has some,
 * tasks only when it runs some, task definitions from the shared cache, stopped Agent tasks only
 * when an instance lacks a running Agent.
 */
export async function observeCluster(
  api: EcsLocationApi,
  cluster: Cluster,
  detection: AgentDetection,
  now: () => Date = () => new Date(),
): Promise<ClusterObservation> {
  const clusterArn = cluster.clusterArn!;

  const [instances, services, tasks] = await Promise.all([
    (cluster.registeredContainerInstancesCount ?? 1) > 0
      ? api
          .listContainerInstanceArns(clusterArn)
          .then(arns => (arns.length ? api.describeContainerInstances(clusterArn, arns) : []))
      : Promise.resolve([]),
    (cluster.activeServicesCount ?? 1) > 0
      ? api
          .listServiceArns(clusterArn)
          .then(arns => (arns.length ? api.describeServices(clusterArn, arns) : []))
      : Promise.resolve([]),
    (cluster.runningTasksCount ?? 1) + (cluster.pendingTasksCount ?? 1) > 0
      ? api
          .listTaskArns(clusterArn)
          .then(arns => (arns.length ? api.describeTasks(clusterArn, arns) : []))
      : Promise.resolve([]),
  ]);

  const taskDefinitionArns = new Set<string>();
  for (const service of services) {
    for (const deployment of service.deployments ?? []) {
      if (deployment.taskDefinition) taskDefinitionArns.add(deployment.taskDefinition);
    }
    if (service.taskDefinition) taskDefinitionArns.add(service.taskDefinition);
  }
  for (const task of tasks) {
    if (task.taskDefinitionArn) taskDefinitionArns.add(task.taskDefinitionArn);
  }

  const taskDefinitions: Record<string, TaskDefinition> = {};
  await mapWithConcurrency([...taskDefinitionArns], 4, async arn => {
    taskDefinitions[arn] = await api.describeTaskDefinition(arn);
  });

  const agentTaskDefinitionArns = Object.keys(taskDefinitions).filter(arn =>
    isAgentTaskDefinition(taskDefinitions[arn], detection),
  );

  // Stopped Agent tasks explain why an instance is uncovered; look only when one is.
  const instancesWithRunningAgent = new Set(
    tasks
      .filter(t => agentTaskDefinitionArns.includes(t.taskDefinitionArn ?? ''))
      .map(t => t.containerInstanceArn),
  );
  const someInstanceUncovered = instances.some(
    i => !instancesWithRunningAgent.has(i.containerInstanceArn),
  );
  let stoppedAgentTasks: Task[] = [];
  if (someInstanceUncovered && agentTaskDefinitionArns.length > 0) {
    const families = [
      ...new Set(agentTaskDefinitionArns.map(arn => taskDefinitions[arn].family!)),
    ];
    const stoppedArns = (
      await Promise.all(
        families.map(family => api.listTaskArns(clusterArn, { desiredStatus: 'STOPPED', family })),
      )
    ).flat();
    if (stoppedArns.length) {
      stoppedAgentTasks = await api.describeTasks(clusterArn, stoppedArns);
    }
  }

  return {
    cluster,
    instances,
    services,
    tasks,
    stoppedAgentTasks,
    taskDefinitions,
    agentTaskDefinitionArns,
    observedAt: now().toISOString(),
  };
}

/**
 * One pass over one account-region: its clusters (or the configured subset), concurrently, each
 * failure kept as data on the cluster or the location, never thrown past it.
 */
export async function observeLocation(
  getApi: () => Promise<EcsLocationApi>,
  location: { accountId: string; region: string; clusters?: string[] },
  options: { detection: AgentDetection; clusterConcurrency: number; now?: () => Date },
): Promise<LocationObservation> {
  const now = options.now ?? (() => new Date());
  const base = { accountId: location.accountId, region: location.region };
  let clusters: Cluster[];
  let api: EcsLocationApi;
  try {
    api = await getApi();
    const arns = location.clusters?.length ? location.clusters : await api.listClusterArns();
    clusters = arns.length ? await api.describeClusters(arns) : [];
  } catch (error) {
    return {
      ...base,
      clusters: [],
      failedClusters: [],
      error: errorAsData(error, now()),
      observedAt: now().toISOString(),
    };
  }

  const observed = await mapWithConcurrency(
    clusters.filter(c => c.status !== 'INACTIVE'),
    options.clusterConcurrency,
    async cluster => {
      try {
        return await observeCluster(api, cluster, options.detection, now);
      } catch (error) {
        return {
          clusterArn: cluster.clusterArn!,
          clusterName: cluster.clusterName ?? clusterNameOf(cluster.clusterArn!),
          error: errorAsData(error, now()),
        } satisfies FailedClusterObservation;
      }
    },
  );

  return {
    ...base,
    clusters: observed.filter((o): o is ClusterObservation => 'cluster' in o),
    failedClusters: observed.filter((o): o is FailedClusterObservation => 'error' in o),
    observedAt: now().toISOString(),
  };
}
