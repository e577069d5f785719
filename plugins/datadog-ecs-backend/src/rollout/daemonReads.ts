import { InputError } from '@backstage/errors';
import {
  ClusterRef,
  EcsTaskDefinition,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  ContainerInstance,
  DaemonDeployment,
  DaemonDetail,
  EcsLocationApi,
  Task,
} from '../aws/EcsGateway';
import {
  isDaemonTaskDefinitionArn,
  isManagedInstancesProvider,
  lastPartOf,
} from '../inventory/managedInstances';
import { DaemonTarget } from './daemonPlan';
import { isRegisterNeeded } from './plan';
import { RolloutRecord } from './RolloutStore';

/*
 * What ECS says before a managed-daemon rollout writes (and while it runs): the cluster's Managed
 * Instances capacity providers, the daemon and the daemon task definition its latest revision
 * deploys, the family's latest daemon task definition.
 */

type DaemonMethods =
  | 'describeCapacityProviders'
  | 'listDaemonArns'
  | 'describeDaemon'
  | 'describeDaemonRevisions'
  | 'describeDaemonTaskDefinition'
  | 'latestDaemonTaskDefinitionArn'
  | 'describeDaemonDeployments'
  | 'registerDaemonTaskDefinition'
  | 'createDaemon'
  | 'updateDaemon';

/** A location API with the ECS Managed Daemons calls a managed-daemon rollout makes. */
export type DaemonApi = EcsLocationApi &
  Required<Pick<EcsLocationApi, DaemonMethods>>;

const METHODS: DaemonMethods[] = [
  'describeCapacityProviders',
  'listDaemonArns',
  'describeDaemon',
  'describeDaemonRevisions',
  'describeDaemonTaskDefinition',
  'latestDaemonTaskDefinitionArn',
  'describeDaemonDeployments',
  'registerDaemonTaskDefinition',
  'createDaemon',
  'updateDaemon',
];

/** The API with its daemon calls; 400 naming `target` when the gateway has none (a custom gateway). */
export function daemonApiOf(api: EcsLocationApi): DaemonApi {
  const missing = METHODS.filter(m => typeof api[m] !== 'function');
  if (missing.length) {
    throw new InputError(
      `target: managed-daemon needs the ECS Managed Daemons calls, which this portal's ECS gateway lacks (${missing.join(
        ', ',
      )})`,
    );
  }
  return api as DaemonApi;
}

/** A Managed Instances capacity provider of the cluster. */
export interface ManagedInstancesProvider {
  name: string;
  arn: string;
}

const nameOfArn = lastPartOf;

/**
 * The cluster's ARN and its ACTIVE Managed Instances capacity providers (DescribeClusters'
 * `capacityProviders`, then DescribeCapacityProviders for their type).
 */
export async function readManagedInstancesCapacity(
  api: DaemonApi,
  ref: ClusterRef,
): Promise<{ clusterArn: string; providers: ManagedInstancesProvider[] }> {
  const [cluster] = await api.describeClusters([ref.clusterName]);
  if (!cluster?.clusterArn) {
    throw Object.assign(
      new Error(`ECS describes no cluster ${ref.clusterName}`),
      { name: 'ClusterNotFoundException', $metadata: {} },
    );
  }
  const names = cluster.capacityProviders ?? [];
  const described = names.length
    ? await api.describeCapacityProviders(ref.clusterName, names)
    : [];
  const providers = described
    .filter(isManagedInstancesProvider)
    .filter(cp => !cp.status || cp.status === 'ACTIVE')
    .flatMap(cp =>
      cp.capacityProviderArn
        ? [
            {
              name: cp.name ?? nameOfArn(cp.capacityProviderArn),
              arn: cp.capacityProviderArn,
            },
          ]
        : [],
    );
  return { clusterArn: cluster.clusterArn, providers };
}

const isNotFound = (error: unknown) =>
  (error as Error)?.name === 'DaemonNotFoundException';

/**
 * The daemon of that name on the cluster, as DescribeDaemon has it: by its ARN when the rollout
 * knows it, else by ListDaemons (a daemon's ARN ends with `/<cluster>/<name>`). Undefined when
 * there is none.
 */
export async function findDaemon(
  api: DaemonApi,
  clusterArn: string,
  daemonName: string,
  knownArn?: string,
): Promise<DaemonDetail | undefined> {
  const arn =
    knownArn ??
    (await api.listDaemonArns(clusterArn)).find(
      a => nameOfArn(a) === daemonName,
    );
  if (!arn) return undefined;
  try {
    return await api.describeDaemon(arn);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The daemon's latest deployment (DescribeDaemonDeployments of DescribeDaemon's `deploymentArn`). */
export async function latestDeploymentOf(
  api: DaemonApi,
  daemon: DaemonDetail | undefined,
): Promise<DaemonDeployment | undefined> {
  if (!daemon?.deploymentArn) return undefined;
  const found = await api.describeDaemonDeployments([daemon.deploymentArn]);
  return found.find(d => d.daemonDeploymentArn === daemon.deploymentArn);
}

/**
 * The daemon task definition the daemon deploys now: the revision ECS rolls (or rolled) back to,
 * else its latest deployment's target revision, else its first current revision
 * (DescribeDaemonRevisions).
 */
export async function currentDaemonTaskDefinitionArn(
  api: DaemonApi,
  daemon: DaemonDetail | undefined,
  deployment: DaemonDeployment | undefined,
): Promise<string | undefined> {
  if (!daemon) return undefined;
  const revisionArn =
    (deployment?.status === 'ROLLBACK_SUCCESSFUL' ||
    deployment?.status === 'ROLLBACK_IN_PROGRESS'
      ? deployment.rollback?.rollbackTargetDaemonRevisionArn
      : undefined) ??
    deployment?.targetDaemonRevision?.arn ??
    daemon.currentRevisions?.[0]?.arn;
  if (!revisionArn) return undefined;
  const [revision] = await api.describeDaemonRevisions([revisionArn]);
  return revision?.daemonTaskDefinitionArn;
}

/** The daemon, its latest deployment and the daemon task definition it deploys, read now. */
export async function readDaemonTarget(
  api: DaemonApi,
  clusterArn: string,
  daemonName: string,
  knownArn?: string,
): Promise<{ target: DaemonTarget; deployment?: DaemonDeployment }> {
  const daemon = await findDaemon(api, clusterArn, daemonName, knownArn);
  if (!daemon) return { target: { action: 'create', daemonName } };
  if (daemon.status === 'DELETE_IN_PROGRESS') {
    return {
      target: {
        action: 'create',
        daemonName,
        daemonArn: daemon.daemonArn,
        deleting: true,
      },
    };
  }
  const deployment = await latestDeploymentOf(api, daemon);
  return {
    target: {
      action: 'update',
      daemonName,
      daemonArn: daemon.daemonArn,
      deploymentArn: daemon.deploymentArn,
      currentTaskDefinitionArn: await currentDaemonTaskDefinitionArn(
        api,
        daemon,
        deployment,
      ),
    },
    deployment,
  };
}

/** The plan of a managed-daemon rollout from ECS itself. */
export interface DaemonPlanRead {
  clusterArn: string;
  providers: ManagedInstancesProvider[];
  latestArn?: string;
  registerNeeded: boolean;
  target: DaemonTarget;
}

/**
 * Everything the register step decides on: the capacity providers, the daemon and the family's
 * latest ACTIVE daemon task definition (registered again only when it differs from the rendering).
 */
export async function readDaemonPlan(
  api: DaemonApi,
  ref: ClusterRef,
  input: {
    rendered: EcsTaskDefinition;
    daemonName: string;
    family: string;
    daemonArn?: string;
  },
): Promise<DaemonPlanRead> {
  const capacity = await readManagedInstancesCapacity(api, ref);
  const [latestArn, { target }] = await Promise.all([
    api.latestDaemonTaskDefinitionArn(input.family),
    readDaemonTarget(
      api,
      capacity.clusterArn,
      input.daemonName,
      input.daemonArn,
    ),
  ]);
  const latest = latestArn
    ? await api.describeDaemonTaskDefinition(latestArn)
    : undefined;
  return {
    ...capacity,
    latestArn,
    registerNeeded: isRegisterNeeded(
      input.rendered,
      latest as EcsTaskDefinition | undefined,
    ),
    target,
  };
}

/** The family of a daemon task definition's ARN (`…:daemon-task-definition/<family>:<n>`). */
const familyOf = (arn: string | undefined) =>
  arn && isDaemonTaskDefinitionArn(arn)
    ? lastPartOf(arn).replace(/:\d+$/, '')
    : undefined;

/**
 * One poll of a managed-daemon rollout: the daemon, the daemon deployment of its write, the tasks
 * of its daemon task definitions (running and recently stopped) and the container instances of its
 * capacity providers (or, before ECS reports them, those its tasks run on).
 */
export async function readDaemonPoll(
  api: DaemonApi,
  record: Pick<
    RolloutRecord,
    | 'cluster'
    | 'daemonArn'
    | 'deployment'
    | 'newTaskDefinitionArn'
    | 'oldTaskDefinitionArn'
  >,
) {
  const cluster = record.cluster.clusterName;
  const daemon = record.daemonArn
    ? await api.describeDaemon(record.daemonArn).catch(error => {
        if (isNotFound(error)) return undefined;
        throw error;
      })
    : undefined;
  const deploymentArn =
    record.deployment?.daemonDeployment?.arn ?? daemon?.deploymentArn;
  const [deployments, running, stopped, instanceArns, td] = await Promise.all([
    deploymentArn
      ? api.describeDaemonDeployments([deploymentArn])
      : Promise.resolve([] as DaemonDeployment[]),
    api.listTaskArns(cluster),
    api.listTaskArns(cluster, { desiredStatus: 'STOPPED' }),
    api.listContainerInstanceArns(cluster),
    api
      .describeDaemonTaskDefinition(record.newTaskDefinitionArn!)
      .catch(() => undefined),
  ]);
  const taskArns = [...new Set([...running, ...stopped])];
  const [allTasks, allInstances] = await Promise.all([
    taskArns.length
      ? api.describeTasks(cluster, taskArns)
      : Promise.resolve([] as Task[]),
    instanceArns.length
      ? api.describeContainerInstances(cluster, instanceArns)
      : Promise.resolve([] as ContainerInstance[]),
  ]);
  const families = new Set(
    [record.newTaskDefinitionArn, record.oldTaskDefinitionArn].flatMap(a => {
      const f = familyOf(a);
      return f ? [f] : [];
    }),
  );
  const tasks = allTasks.filter(t =>
    families.has(familyOf(t.taskDefinitionArn) ?? ''),
  );
  const providers = new Set(
    (daemon?.currentRevisions ?? [])
      .flatMap(r => r.capacityProviders ?? [])
      .flatMap(cp => (cp.arn ? [nameOfArn(cp.arn)] : [])),
  );
  const withTasks = new Set(tasks.map(t => t.containerInstanceArn));
  const instances = allInstances.filter(i =>
    providers.size
      ? providers.has(i.capacityProviderName ?? '')
      : withTasks.has(i.containerInstanceArn),
  );
  const hasHealthCheck = (td?.containerDefinitions ?? []).some(
    c => (c.healthCheck?.command ?? []).length > 0,
  );
  return {
    daemon,
    deploymentArn,
    deployment: deployments.find(d => d.daemonDeploymentArn === deploymentArn),
    tasks,
    instances,
    hasHealthCheck,
  };
}
