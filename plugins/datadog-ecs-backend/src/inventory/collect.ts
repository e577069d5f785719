import { findAgentContainer } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  Cluster,
  EcsLocationApi,
  Failure,
  Service,
  Task,
  TaskDefinition,
} from '../aws/EcsGateway';
import type { DatadogEcsConfig } from '../config/config';
import { mapWithConcurrency } from '../util/concurrency';
import { errorAsData } from './errors';
import { ImagesObservation, observeImages } from './images';
import {
  daemonTaskDefinitionArnsOf,
  isDaemonTaskDefinitionArn,
  describeDaemonTaskDefinitions,
  ManagedInstancesObservation,
  observeManagedInstances,
} from './managedInstances';
import { InventoryError } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { inventoriedInstance, InventoriedInstance } from './instances';

/** How to recognise the Agent, from config. */
export interface AgentDetection {
  imageRepositories: string[];
  taskDefinitionFamilies: string[];
  /**
   * Service names described even when ListServices does not list them: the rollout's service, so
   * that a DRAINING one (which ECS no longer lists) is seen. Asked in the same DescribeServices
   * batch as the listed services.
   */
  serviceNames?: string[];
}

/** How a refresh with this configuration recognises the Agent (and names the rollout's service). */
export function agentDetectionOf(config: DatadogEcsConfig): AgentDetection {
  return {
    imageRepositories: config.agentImageRepositories,
    // The family the managed-daemon rollout registers runs the Agent whatever its image's registry.
    taskDefinitionFamilies: [
      ...config.agentTaskDefinitionFamilies,
      config.rollout.managedDaemon.family,
    ],
    serviceNames: [config.rollout.serviceName],
  };
}

/** The task definitions a cluster's services (their deployments too) and tasks name, each once. */
export function taskDefinitionArnsOf(
  services: readonly Service[],
  tasks: readonly Task[],
): Set<string> {
  const arns = new Set<string>();
  for (const service of services) {
    for (const deployment of service.deployments ?? []) {
      if (deployment.taskDefinition) arns.add(deployment.taskDefinition);
    }
    if (service.taskDefinition) arns.add(service.taskDefinition);
  }
  for (const task of tasks) {
    if (task.taskDefinitionArn) arns.add(task.taskDefinitionArn);
  }
  return arns;
}

/**
 * The cluster's services: the listed ones, plus the named ones ECS did not list when they are
 * DRAINING (deleted, tasks still stopping; CreateService with that name fails until INACTIVE). A
 * named service that does not exist is not a failure worth reporting.
 */
export async function describeServicesOf(
  api: EcsLocationApi,
  clusterArn: string,
  names: string[],
  failures: Failure[],
): Promise<Service[]> {
  const arns = await api.listServiceArns(clusterArn);
  const extra = names.filter(n => !arns.some(a => a.endsWith(`/${n}`)));
  if (arns.length + extra.length === 0) return [];
  const found: Failure[] = [];
  const described = await api.describeServices(
    clusterArn,
    [...arns, ...extra],
    found,
  );
  const isExtra = (ref?: string) =>
    extra.some(n => ref === n || ref?.endsWith(`/${n}`));
  failures.push(...found.filter(f => !isExtra(f.arn)));
  return described.filter(
    s => !isExtra(s.serviceArn) || s.status === 'DRAINING',
  );
}

/**
 * Everything ECS (and EC2, for the instances' AMIs: `images`, `imagesError`) said about one cluster
 * in one pass: the input of the pure coverage functions.
 */
export interface ClusterObservation
  extends ImagesObservation,
    ManagedInstancesObservation {
  cluster: Cluster;
  /** What the inventory reads of each container instance (the rest is not kept). */
  instances: InventoriedInstance[];
  services: Service[];
  /** Tasks whose desired status is RUNNING (running and on their way). */
  tasks: Task[];
  /** Recently stopped Agent tasks (ECS keeps them for about an hour). */
  stoppedAgentTasks: Task[];
  /**
   * Every task definition referenced by a service deployment or a task, by ARN; and every daemon
   * task definition (ECS Managed Daemons) of a task or a daemon's current revision, in the same
   * shape, under its `…:daemon-task-definition/…` ARN.
   */
  taskDefinitions: Record<string, TaskDefinition>;
  /** ARNs of the task definitions (and daemon task definitions) that run the Agent. */
  agentTaskDefinitionArns: string[];
  /**
   * Daemon task definitions of running tasks that could not be read (a gateway without the daemon
   * API, or its calls failed: `managedInstancesError`).
   */
  daemonTaskDefinitionArns?: string[];
  /**
   * ECS's `failures[]` of this pass's Describe calls (a listed instance, service or task that is
   * MISSING by the time it is described): reported on the cluster, never dropped.
   */
  failures?: Failure[];
  observedAt: string;
}

/** A cluster whose calls failed: kept, with its error, next to the others. */
export interface FailedClusterObservation {
  clusterArn: string;
  clusterName: string;
  error: InventoryError;
}

/**
 * One account-region's pass: each cluster's observation, or what the caller made of it as its pass
 * ended (see `observeLocation`'s `build`).
 */
export interface LocationObservation<T = ClusterObservation> {
  accountId: string;
  region: string;
  clusters: T[];
  failedClusters: FailedClusterObservation[];
  /** The location itself failed (credentials, access denied to ListClusters, network). */
  error?: InventoryError;
  observedAt: string;
}

export { isDaemonTaskDefinitionArn };

export function isAgentTaskDefinition(
  taskDefinition: TaskDefinition,
  detection: AgentDetection,
): boolean {
  if (
    taskDefinition.family &&
    detection.taskDefinitionFamilies.includes(taskDefinition.family)
  ) {
    return true;
  }
  return (
    findAgentContainer(taskDefinition, detection.imageRepositories) !==
    undefined
  );
}

export function clusterNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Options of {@link observeCluster}. */
export interface ObserveClusterOptions {
  /**
   * Whether to describe the instances' AMIs (EC2 DescribeImages) as part of this pass (default
   * true). Without it (and without `images`), the observation has no images.
   */
  readImages?: boolean;
  /**
   * The cluster's container instances, listed and described by the caller, with the `failures[]`
   * of that DescribeContainerInstances: `observeLocation` reads the instances of all its clusters
   * ahead of their passes, so that one DescribeImages describes their AMIs. The pass reads its
   * services and tasks meanwhile; a rejection fails the pass.
   */
  instances?: DescribedInstances | Promise<DescribedInstances>;
  /** What EC2 said about the instances' AMIs, awaited at the end of the pass (not read here). */
  images?: Promise<ImagesObservation>;
}

/** A cluster's container instances as the inventory reads them, and the failures describing them. */
export interface DescribedInstances {
  instances: InventoriedInstance[];
  failures: Failure[];
}

/**
 * ListContainerInstances, then DescribeContainerInstances (batches of 100) of those listed, each
 * as the {@link InventoriedInstance} the inventory reads.
 */
export async function describeInstancesOf(
  api: EcsLocationApi,
  clusterArn: string,
  failures: Failure[],
): Promise<InventoriedInstance[]> {
  const arns = await api.listContainerInstanceArns(clusterArn);
  if (!arns.length) return [];
  const described = await api.describeContainerInstances(
    clusterArn,
    arns,
    failures,
  );
  return described.map(inventoriedInstance);
}

/**
 * One pass over one cluster, with the fewest calls: the listings decide (instances, services and
 * tasks, each listed and described in batches, whatever DescribeClusters' counts say: they lag
 * behind ECS's state, so a cluster whose counts are all 0 is listed too), task definitions from
 * the shared cache, stopped Agent tasks only when an instance lacks a running Agent, and the
 * instances' distinct AMIs described once (from the gateway's cache after the first pass; a
 * failure is data).
 */
export async function observeCluster(
  api: EcsLocationApi,
  cluster: Cluster,
  detection: AgentDetection,
  now: () => Date = () => new Date(),
  options: ObserveClusterOptions = {},
): Promise<ClusterObservation> {
  const clusterArn = cluster.clusterArn!;
  // The instances' failures first, then this pass's: in the same order at every refresh.
  const failures: Failure[] = [];
  const given = options.instances && Promise.resolve(options.instances);

  let images: Promise<ImagesObservation> =
    options.images ?? Promise.resolve({});
  // Capacity providers and daemons, while the rest is listed (only calls when the cluster has
  // capacity providers besides Fargate's).
  const managedInstancesPass = observeManagedInstances(
    api,
    cluster,
    failures,
    now,
  );
  const instanceFailures: Failure[] = [];
  const [instances, services, tasks] = await Promise.all([
    given
      ? given.then(d => d.instances)
      : describeInstancesOf(api, clusterArn, instanceFailures).then(
          described => {
            // The AMIs, while services, tasks and task definitions are read.
            if (options.readImages !== false && !options.images) {
              images = observeImages(api, described, now);
            }
            return described;
          },
        ),
    describeServicesOf(api, clusterArn, detection.serviceNames ?? [], failures),
    api
      .listTaskArns(clusterArn)
      .then(arns =>
        arns.length ? api.describeTasks(clusterArn, arns, failures) : [],
      ),
  ]);

  failures.unshift(...((await given)?.failures ?? instanceFailures));

  const taskDefinitionArns = taskDefinitionArnsOf(services, tasks);

  // Tasks of ECS Managed Daemons name a daemon task definition, which DescribeTaskDefinition
  // refuses: read with DescribeDaemonTaskDefinition, with those of the daemons' current revisions.
  const managedInstances = await managedInstancesPass;
  const daemonArns = new Set(
    [...taskDefinitionArns].filter(isDaemonTaskDefinitionArn),
  );
  for (const arn of daemonArns) taskDefinitionArns.delete(arn);
  for (const arn of daemonTaskDefinitionArnsOf(managedInstances)) {
    daemonArns.add(arn);
  }
  // In the order of the ARNs, whatever order the answers come in: the same cluster makes the
  // same view (and stored row) at every refresh.
  const taskDefinitions: Record<string, TaskDefinition> = {};
  const definitionArns = [...taskDefinitionArns];
  const definitions = await mapWithConcurrency(definitionArns, 4, arn =>
    api.describeTaskDefinition(arn),
  );
  definitionArns.forEach((arn, i) => {
    taskDefinitions[arn] = definitions[i];
  });
  if (daemonArns.size && !managedInstances.managedInstancesError) {
    try {
      await describeDaemonTaskDefinitions(
        api,
        [...daemonArns],
        taskDefinitions,
      );
    } catch (error) {
      managedInstances.managedInstancesError = errorAsData(error, now());
    }
  }
  const daemonTaskDefinitionArns = [...daemonArns].filter(
    arn => !taskDefinitions[arn],
  );

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
      ...new Set(
        agentTaskDefinitionArns.map(arn => taskDefinitions[arn].family!),
      ),
    ];
    const stoppedArns = (
      await Promise.all(
        families.map(family =>
          api.listTaskArns(clusterArn, { desiredStatus: 'STOPPED', family }),
        ),
      )
    ).flat();
    if (stoppedArns.length) {
      stoppedAgentTasks = await api.describeTasks(
        clusterArn,
        stoppedArns,
        failures,
      );
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
    ...(daemonTaskDefinitionArns.length ? { daemonTaskDefinitionArns } : {}),
    ...managedInstances,
    failures,
    ...(await images),
    observedAt: now().toISOString(),
  };
}

/**
 * The clusters DescribeClusters could not describe (a configured name that does not exist is
 * MISSING), each as a failed cluster whose error names it and carries ECS's entry.
 */
export function missingClusters(
  failures: Failure[],
  configured: boolean,
  at: Date,
): FailedClusterObservation[] {
  return failures.map(failure => {
    const ref = failure.arn ?? 'unknown';
    const clusterName = clusterNameOf(ref);
    const where = configured
      ? ' (configured in datadogEcs.locations[].clusters)'
      : '';
    return {
      clusterArn: ref,
      clusterName,
      error: {
        kind: failure.reason === 'MISSING' ? 'not-found' : 'unknown',
        name: failure.reason,
        message: `Cluster "${clusterName}"${where} could not be described: ECS reports it ${
          failure.reason ?? 'failed'
        }${failure.detail ? ` (${failure.detail})` : ''}`,
        at: at.toISOString(),
        failures: [
          {
            ...(failure.arn ? { arn: failure.arn } : {}),
            reason: failure.reason ?? 'unknown',
            ...(failure.detail ? { detail: failure.detail } : {}),
          },
        ],
      },
    };
  });
}
