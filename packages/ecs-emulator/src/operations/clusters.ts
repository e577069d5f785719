import { arns, parseEcsArn } from '../model/ids';
import { matchesExpression } from '../model/placement';
import { Json } from '../model/types';
import { clusterNameOf, getCluster, serviceNameOf } from '../model/world';
import { errors } from '../protocol/errors';
import {
  idOf,
  includeList,
  missing,
  Operation,
  paginate,
  stringList,
} from './common';
import {
  serializeCluster,
  serializeInstance,
  serializeTask,
} from './serialize';

export const ListClusters: Operation = (ctx, input) => {
  const all = [...ctx.state.clusters.values()].map(c => c.arn);
  const { page, nextToken } = paginate(all, input, {
    defaultMax: 100,
    max: 100,
  });
  return { clusterArns: page, nextToken };
};

export const DescribeClusters: Operation = (ctx, input) => {
  const include = includeList(input, [
    'ATTACHMENTS',
    'CONFIGURATIONS',
    'SETTINGS',
    'STATISTICS',
    'TAGS',
  ]);
  let refs = stringList(input, 'clusters', { max: 100 });
  if (refs.length === 0) refs = ['default'];
  const clusters: Json[] = [];
  const failures: Json[] = [];
  for (const ref of refs) {
    const name = clusterNameOf(ctx.state, ref);
    const cluster = name ? ctx.state.clusters.get(name) : undefined;
    if (cluster) {
      clusters.push(serializeCluster(cluster, include));
    } else {
      failures.push(
        missing(ref, short => arns.cluster(ctx.region, ctx.accountId, short)),
      );
    }
  }
  return { clusters, failures };
};

const INSTANCE_STATUSES = [
  'ACTIVE',
  'DRAINING',
  'REGISTERING',
  'DEREGISTERING',
  'REGISTRATION_FAILED',
];

export const ListContainerInstances: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.cluster);
  if (input.status !== undefined && !INSTANCE_STATUSES.includes(input.status)) {
    throw errors.invalidParameter(`Invalid status value '${input.status}'.`);
  }
  if (input.filter !== undefined && typeof input.filter !== 'string') {
    throw errors.invalidParameter('filter must be a string.');
  }
  const list = [...cluster.instances.values()]
    .filter(i => i.status !== 'INACTIVE')
    .filter(i => (input.status ? i.status === input.status : true))
    .filter(i => (input.filter ? matchesExpression(i, input.filter) : true))
    .map(i => i.arn);
  const { page, nextToken } = paginate(list, input, {
    defaultMax: 100,
    max: 100,
  });
  return { containerInstanceArns: page, nextToken };
};

export const DescribeContainerInstances: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.cluster);
  const include = includeList(input, ['TAGS', 'CONTAINER_INSTANCE_HEALTH']);
  const refs = stringList(input, 'containerInstances', {
    required: true,
    max: 100,
  });
  const containerInstances: Json[] = [];
  const failures: Json[] = [];
  for (const ref of refs) {
    const inst = cluster.instances.get(idOf(ref));
    const p = ref.startsWith('arn:') ? parseEcsArn(ref) : undefined;
    const arnMismatch =
      ref.startsWith('arn:') && (!p || p.resourceType !== 'container-instance');
    if (inst && !arnMismatch) {
      containerInstances.push(serializeInstance(inst, include, ctx.now));
    } else {
      failures.push(
        missing(ref, id =>
          arns.containerInstance(ctx.region, ctx.accountId, cluster.name, id),
        ),
      );
    }
  }
  return { containerInstances, failures };
};

const DESIRED_STATUSES = ['RUNNING', 'PENDING', 'STOPPED'];

export const ListTasks: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.cluster);
  const desired = input.desiredStatus ?? 'RUNNING';
  if (!DESIRED_STATUSES.includes(desired)) {
    throw errors.invalidParameter(`Invalid desiredStatus value '${desired}'.`);
  }
  if (
    input.launchType !== undefined &&
    !['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'].includes(
      input.launchType,
    )
  ) {
    throw errors.invalidParameter(
      `Invalid launchType value '${input.launchType}'.`,
    );
  }
  let instanceId: string | undefined;
  if (input.containerInstance !== undefined) {
    instanceId = idOf(String(input.containerInstance));
    if (!cluster.instances.has(instanceId)) {
      throw errors.invalidParameter('Container instance can not be found.');
    }
  }
  let serviceName: string | undefined;
  if (input.serviceName !== undefined) {
    serviceName = serviceNameOf(cluster, String(input.serviceName));
    const svc = serviceName ? cluster.services.get(serviceName) : undefined;
    if (!svc) {
      throw errors.serviceNotFound();
    }
  }
  const out: string[] = [];
  for (const t of cluster.tasks.values()) {
    if (desired === 'PENDING') break; // tasks are created with desiredStatus RUNNING
    if (t.desiredStatus !== desired) continue;
    if (instanceId && t.containerInstance?.id !== instanceId) continue;
    if (serviceName && t.serviceName !== serviceName) continue;
    if (input.family && t.taskDefinition.family !== input.family) continue;
    if (input.startedBy && t.startedBy !== input.startedBy) continue;
    if (input.launchType && t.launchType !== input.launchType) continue;
    out.push(t.arn);
  }
  const { page, nextToken } = paginate(out, input, {
    defaultMax: 100,
    max: 100,
  });
  return { taskArns: page, nextToken };
};

export const DescribeTasks: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.cluster);
  const include = includeList(input, ['TAGS']);
  const refs = stringList(input, 'tasks', { required: true, max: 100 });
  const tasks: Json[] = [];
  const failures: Json[] = [];
  for (const ref of refs) {
    const task = cluster.tasks.get(idOf(ref));
    if (task && (!ref.startsWith('arn:') || ref === task.arn)) {
      tasks.push(serializeTask(task, include, ctx.region, ctx.accountId));
    } else {
      failures.push(
        missing(ref, id =>
          arns.task(ctx.region, ctx.accountId, cluster.name, id),
        ),
      );
    }
  }
  return { tasks, failures };
};
