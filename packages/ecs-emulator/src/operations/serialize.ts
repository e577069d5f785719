import { clusterCapacityProviders } from '../daemons/state';
import { launchTypeOf } from '../scheduler';
import { usage } from '../model/placement';
import {
  Cluster,
  ContainerInstance,
  Json,
  PublishedClusterCounts,
  Task,
  TaskDefinition,
} from '../model/types';

// Clusters, container instances, tasks and task definitions, as ECS returns
// them; services and deployments are in serializeServices.ts.

/** JSON 1.1 timestamps are epoch seconds. */
export const ts = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? undefined : ms / 1000;

export function clean<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) {
    if (o[k] === undefined) delete o[k];
  }
  return o;
}

export function clusterCounts(cluster: Cluster) {
  let runningEC2 = 0;
  let pendingEC2 = 0;
  let runningFargate = 0;
  let pendingFargate = 0;
  let runningExternal = 0;
  let pendingExternal = 0;
  for (const t of cluster.live) {
    if (t.desiredStatus !== 'RUNNING') continue;
    const running = t.lastStatus === 'RUNNING';
    const pending =
      t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING';
    if (t.launchType === 'FARGATE') {
      runningFargate += Number(running);
      pendingFargate += Number(pending);
    } else if (t.launchType === 'EXTERNAL') {
      runningExternal += Number(running);
      pendingExternal += Number(pending);
    } else {
      runningEC2 += Number(running);
      pendingEC2 += Number(pending);
    }
  }
  let activeEC2 = 0;
  let activeFargate = 0;
  let activeExternal = 0;
  let drainingEC2 = 0;
  let drainingFargate = 0;
  let drainingExternal = 0;
  for (const s of cluster.services.values()) {
    const lt = launchTypeOf(s);
    if (s.status === 'ACTIVE') {
      if (lt === 'FARGATE') activeFargate++;
      else if (lt === 'EXTERNAL') activeExternal++;
      else activeEC2++;
    } else if (s.status === 'DRAINING') {
      if (lt === 'FARGATE') drainingFargate++;
      else if (lt === 'EXTERNAL') drainingExternal++;
      else drainingEC2++;
    }
  }
  return {
    runningEC2,
    pendingEC2,
    runningFargate,
    pendingFargate,
    runningExternal,
    pendingExternal,
    activeEC2,
    activeFargate,
    activeExternal,
    drainingEC2,
    drainingFargate,
    drainingExternal,
  };
}

/** The counts as they are now, with the time they were computed. */
export function liveClusterCounts(
  cluster: Cluster,
  now: number,
): PublishedClusterCounts {
  const registered = [...cluster.instances.values()].filter(
    i => i.status !== 'INACTIVE',
  ).length;
  return { at: now, registered, ...clusterCounts(cluster) };
}

/**
 * A cluster as DescribeClusters returns it. Its counts are the scheduler's last published ones
 * (they lag behind changes, as ECS's do) unless `live` is asked for or none were published.
 */
export function serializeCluster(
  cluster: Cluster,
  include: string[],
  options: { live?: boolean } = {},
): Json {
  const c =
    (!options.live && cluster.publishedCounts) ||
    liveClusterCounts(cluster, Number.NaN);
  const registered = c.registered;
  const out: Json = {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: cluster.status,
    registeredContainerInstancesCount: registered,
    runningTasksCount: c.runningEC2 + c.runningFargate + c.runningExternal,
    pendingTasksCount: c.pendingEC2 + c.pendingFargate + c.pendingExternal,
    activeServicesCount: c.activeEC2 + c.activeFargate + c.activeExternal,
    statistics: [],
    tags: [],
    settings: [],
    ...clusterCapacityProviders(cluster),
  };
  if (include.includes('STATISTICS')) {
    out.statistics = [
      ['runningEC2TasksCount', c.runningEC2],
      ['runningFargateTasksCount', c.runningFargate],
      ['pendingFargateTasksCount', c.pendingFargate],
      ['runningExternalTasksCount', c.runningExternal],
      ['pendingExternalTasksCount', c.pendingExternal],
      ['pendingEC2TasksCount', c.pendingEC2],
      ['activeEC2ServiceCount', c.activeEC2],
      ['activeFargateServiceCount', c.activeFargate],
      ['drainingFargateServiceCount', c.drainingFargate],
      ['activeExternalServiceCount', c.activeExternal],
      ['drainingEC2ServiceCount', c.drainingEC2],
      ['drainingExternalServiceCount', c.drainingExternal],
    ].map(([name, value]) => ({ name, value: String(value) }));
  }
  if (include.includes('TAGS')) out.tags = cluster.tags;
  if (include.includes('SETTINGS')) out.settings = cluster.settings;
  if (!include.includes('TAGS')) delete out.tags;
  if (!include.includes('SETTINGS')) delete out.settings;
  return out;
}

function resources(
  cpu: number,
  memory: number,
  tcp: string[],
  udp: string[],
): Json[] {
  return [
    {
      name: 'CPU',
      type: 'INTEGER',
      doubleValue: 0,
      longValue: 0,
      integerValue: cpu,
    },
    {
      name: 'MEMORY',
      type: 'INTEGER',
      doubleValue: 0,
      longValue: 0,
      integerValue: memory,
    },
    {
      name: 'PORTS',
      type: 'STRINGSET',
      doubleValue: 0,
      longValue: 0,
      integerValue: 0,
      stringSetValue: tcp,
    },
    {
      name: 'PORTS_UDP',
      type: 'STRINGSET',
      doubleValue: 0,
      longValue: 0,
      integerValue: 0,
      stringSetValue: udp,
    },
  ];
}

export function serializeInstance(
  inst: ContainerInstance,
  include: string[],
  now: number,
): Json {
  const u = usage(inst);
  let running = 0;
  let pending = 0;
  for (const t of inst.tasks) {
    if (t.lastStatus === 'RUNNING') running++;
    else if (t.lastStatus === 'PENDING' || t.lastStatus === 'PROVISIONING')
      pending++;
  }
  const out: Json = clean({
    containerInstanceArn: inst.arn,
    ec2InstanceId: inst.ec2InstanceId,
    capacityProviderName: inst.capacityProviderName,
    version: inst.version,
    versionInfo: inst.versionInfo,
    remainingResources: resources(
      inst.cpu - u.cpu,
      inst.memory - u.memory,
      [...inst.reservedTcpPorts, ...[...u.tcp].map(String)],
      [...inst.reservedUdpPorts, ...[...u.udp].map(String)],
    ),
    registeredResources: resources(
      inst.cpu,
      inst.memory,
      inst.reservedTcpPorts,
      inst.reservedUdpPorts,
    ),
    status: inst.status,
    agentConnected: inst.agentConnected,
    runningTasksCount: running,
    pendingTasksCount: pending,
    attributes: inst.attributes,
    registeredAt: ts(inst.registeredAt),
    attachments: [],
    tags: include.includes('TAGS') ? inst.tags : undefined,
  });
  if (include.includes('CONTAINER_INSTANCE_HEALTH')) {
    out.healthStatus = {
      overallStatus: inst.agentConnected ? 'OK' : 'INSUFFICIENT_DATA',
      details: [
        {
          type: 'CONTAINER_RUNTIME',
          status: inst.agentConnected ? 'OK' : 'INSUFFICIENT_DATA',
          lastUpdated: ts(now),
          lastStatusChange: ts(inst.registeredAt),
        },
      ],
    };
  }
  return out;
}

export function serializeTask(
  task: Task,
  include: string[],
  region: string,
  accountId: string,
): Json {
  const td = task.taskDefinition;
  void region;
  void accountId;
  return clean({
    attachments: [],
    attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
    availabilityZone: task.availabilityZone,
    capacityProviderName:
      task.launchType === 'MANAGED_INSTANCES'
        ? task.containerInstance?.capacityProviderName
        : undefined,
    clusterArn: task.arn.replace(/:task\/([^/]+)\/.*$/, ':cluster/$1'),
    connectivity: task.connectivityAt !== undefined ? 'CONNECTED' : undefined,
    connectivityAt: ts(task.connectivityAt),
    containerInstanceArn: task.containerInstance?.arn,
    containers: task.containers.map(c =>
      clean({
        containerArn: c.arn,
        taskArn: task.arn,
        name: c.name,
        image: c.image,
        runtimeId: c.runtimeId,
        lastStatus: c.lastStatus,
        exitCode: c.exitCode,
        reason: c.reason,
        networkBindings: c.networkBindings,
        networkInterfaces: [],
        healthStatus: c.healthStatus,
        cpu: String(c.cpu),
        memory: c.memory !== undefined ? String(c.memory) : undefined,
        memoryReservation:
          c.memoryReservation !== undefined
            ? String(c.memoryReservation)
            : undefined,
      }),
    ),
    cpu: String(td.cpu),
    createdAt: ts(task.createdAt),
    desiredStatus: task.desiredStatus,
    enableExecuteCommand: false,
    executionStoppedAt: ts(task.executionStoppedAt),
    group: task.group,
    healthStatus: task.healthStatus,
    lastStatus: task.lastStatus,
    launchType: task.launchType,
    memory: String(td.memory),
    overrides: serializeOverrides(task),
    platformVersion: task.launchType === 'FARGATE' ? '1.4.0' : undefined,
    platformFamily: task.launchType === 'FARGATE' ? 'Linux' : undefined,
    pullStartedAt: ts(task.pullStartedAt),
    pullStoppedAt: ts(task.pullStoppedAt),
    startedAt: ts(task.startedAt),
    startedBy: task.startedBy,
    stopCode: task.stopCode,
    stoppedAt: ts(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stoppingAt: ts(task.stoppingAt),
    tags: include.includes('TAGS') ? task.tags : undefined,
    taskArn: task.arn,
    taskDefinitionArn: td.arn,
    version: task.version,
  });
}

/** A task's overrides: one entry per container (with what was overridden), plus the task-level ones. */
function serializeOverrides(task: Task): Json {
  const given = task.overrides ?? {};
  const byName = new Map<string, Json>(
    ((given.containerOverrides ?? []) as Json[]).map(o => [o.name, o]),
  );
  return {
    ...given,
    containerOverrides: task.containers.map(c => ({
      ...byName.get(c.name),
      name: c.name,
    })),
    inferenceAcceleratorOverrides: given.inferenceAcceleratorOverrides ?? [],
  };
}

export function serializeTaskDefinition(td: TaskDefinition): Json {
  return {
    ...structuredClone(td.body),
    status: td.status,
    registeredAt: ts(td.registeredAt),
  };
}
