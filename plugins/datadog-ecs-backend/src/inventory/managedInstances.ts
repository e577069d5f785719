/*
 * ECS Managed Instances and ECS Managed Daemons, as one pass over a cluster reads them: the
 * cluster's capacity providers (DescribeCapacityProviders: which are Managed Instances ones), its
 * daemons (ListDaemons, DescribeDaemon), their current revisions (DescribeDaemonRevisions: the
 * daemon task definition, criticality), their current deployments (DescribeDaemonDeployments) and
 * the daemon task definitions (DescribeDaemonTaskDefinition, cached by ARN). Only clusters with a
 * Managed Instances capacity provider are asked for daemons: a daemon needs one.
 */
import { InventoryError } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  CapacityProvider,
  Cluster,
  DaemonDeployment,
  DaemonDetail,
  DaemonRevision,
  DaemonTaskDefinition,
  EcsLocationApi,
  Failure,
  TaskDefinition,
} from '../aws/EcsGateway';
import { classifyAwsError } from '../aws/errors';
import { mapWithConcurrency } from '../util/concurrency';
import { errorAsData } from './errors';

/** One daemon of the cluster, with its current revisions and its current deployment. */
export interface ObservedDaemon {
  daemon: DaemonDetail;
  /** The daemon's current revisions (DescribeDaemonRevisions of `currentRevisions[].arn`). */
  revisions: DaemonRevision[];
  /** The daemon's current deployment (`deploymentArn`), when ECS reports one. */
  deployment?: DaemonDeployment;
}

/** What a pass read about a cluster's Managed Instances and managed daemons. */
export interface ManagedInstancesObservation {
  /** The cluster's capacity providers other than FARGATE / FARGATE_SPOT, described. */
  capacityProviders?: CapacityProvider[];
  /** The cluster's daemons (only asked for when it has a Managed Instances capacity provider). */
  daemons?: ObservedDaemon[];
  /** Why the capacity providers or daemons could not be read (kept as data, on the cluster). */
  managedInstancesError?: InventoryError;
}

/** A daemon task definition (ECS Managed Daemons): `arn:…:daemon-task-definition/<family>:<n>`. */
export function isDaemonTaskDefinitionArn(arn: string): boolean {
  return /^arn:[^:]+:ecs:[^:]*:\d*:daemon-task-definition\//.test(arn);
}

const FARGATE_PROVIDERS = new Set(['FARGATE', 'FARGATE_SPOT']);

/** A Managed Instances capacity provider: type MANAGED_INSTANCES, or one with its provider block. */
export function isManagedInstancesProvider(cp: CapacityProvider): boolean {
  return (
    cp.type === 'MANAGED_INSTANCES' || cp.managedInstancesProvider !== undefined
  );
}

/** The last part of an ARN (a capacity provider's or daemon's name). */
export const lastPartOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** Whether ECS says the thing asked for is gone (deleted between List and Describe). */
function isGone(error: unknown): boolean {
  return classifyAwsError(error).kind === 'not-found';
}

/**
 * Reads the cluster's capacity providers and, when one is a Managed Instances provider, its
 * daemons with their current revisions and deployments. Failures of the Describe calls go to
 * `failures`; an error (access denied to the daemon API, …) is returned as data, never thrown, so
 * the rest of the cluster is still served.
 */
export async function observeManagedInstances(
  api: EcsLocationApi,
  cluster: Cluster,
  failures: Failure[],
  now: () => Date,
): Promise<ManagedInstancesObservation> {
  const clusterArn = cluster.clusterArn!;
  const names = (cluster.capacityProviders ?? []).filter(
    n => !FARGATE_PROVIDERS.has(n),
  );
  if (!names.length || !api.describeCapacityProviders) return {};
  let capacityProviders: CapacityProvider[] = [];
  try {
    capacityProviders = await api.describeCapacityProviders(
      clusterArn,
      names,
      failures,
    );
    if (
      !capacityProviders.some(isManagedInstancesProvider) ||
      !api.listDaemonArns ||
      !api.describeDaemon
    ) {
      return { capacityProviders };
    }
    const describeDaemon = api.describeDaemon.bind(api);
    const arns = await api.listDaemonArns(clusterArn);
    const details = (
      await mapWithConcurrency(arns, 4, async arn => {
        try {
          return await describeDaemon(arn);
        } catch (error) {
          if (isGone(error)) return undefined; // deleted since ListDaemons
          throw error;
        }
      })
    ).filter((d): d is DaemonDetail => Boolean(d));
    const revisionArns = details
      .flatMap(d => d.currentRevisions ?? [])
      .map(r => r.arn)
      .filter((a): a is string => Boolean(a));
    const revisions =
      revisionArns.length && api.describeDaemonRevisions
        ? await api.describeDaemonRevisions(revisionArns, failures)
        : [];
    const deploymentArns = details
      .map(d => d.deploymentArn)
      .filter((a): a is string => Boolean(a));
    const deployments =
      deploymentArns.length && api.describeDaemonDeployments
        ? await api.describeDaemonDeployments(deploymentArns, failures)
        : [];
    return {
      capacityProviders,
      daemons: details.map(daemon => ({
        daemon,
        revisions: revisions.filter(r => r.daemonArn === daemon.daemonArn),
        deployment: deployments.find(
          d => d.daemonDeploymentArn === daemon.deploymentArn,
        ),
      })),
    };
  } catch (error) {
    return {
      ...(capacityProviders.length ? { capacityProviders } : {}),
      managedInstancesError: errorAsData(error, now()),
    };
  }
}

/**
 * A daemon task definition in the shape of a task definition, for the parts that read both
 * (Agent detection, features, the snapshot's `taskDefinitions`): its ARN as `taskDefinitionArn`.
 * A daemon task definition has no network mode or compatibilities: it runs on Managed Instances.
 */
export function daemonTaskDefinitionAsTaskDefinition(
  d: DaemonTaskDefinition,
): TaskDefinition {
  return {
    taskDefinitionArn: d.daemonTaskDefinitionArn,
    family: d.family,
    revision: d.revision,
    taskRoleArn: d.taskRoleArn,
    executionRoleArn: d.executionRoleArn,
    containerDefinitions: d.containerDefinitions,
    volumes: d.volumes,
    cpu: d.cpu,
    memory: d.memory,
    status: d.status,
    registeredAt: d.registeredAt,
    registeredBy: d.registeredBy,
    pidMode: d.pidMode,
    ipcMode: d.ipcMode,
  } as TaskDefinition;
}

/** The daemon task definitions the daemons' current revisions run. */
export function daemonTaskDefinitionArnsOf(
  observation: ManagedInstancesObservation,
): string[] {
  return (observation.daemons ?? [])
    .flatMap(d => d.revisions)
    .map(r => r.daemonTaskDefinitionArn)
    .filter((a): a is string => Boolean(a));
}

/** Describes daemon task definitions (from the gateway's by-ARN cache) as task definitions. */
export async function describeDaemonTaskDefinitions(
  api: EcsLocationApi,
  arns: string[],
  into: Record<string, TaskDefinition>,
): Promise<void> {
  if (!api.describeDaemonTaskDefinition) return;
  const describe = api.describeDaemonTaskDefinition.bind(api);
  await mapWithConcurrency(arns, 4, async arn => {
    into[arn] = daemonTaskDefinitionAsTaskDefinition(await describe(arn));
  });
}
