import { parseEcsArn } from '../model/ids';
import { registerTaskDefinition } from '../model/taskDefinitions';
import { findTaskDefinition, serviceNameOf } from '../model/world';
import { errors } from '../protocol/errors';
import { idOf, includeList, Operation, paginate } from './common';
import { serializeTaskDefinition } from './serialize';

export const RegisterTaskDefinition: Operation = (ctx, input) => {
  const td = registerTaskDefinition(ctx.state, input, ctx.now);
  td.body.registeredBy = ctx.principalArn;
  return { taskDefinition: serializeTaskDefinition(td), tags: td.tags };
};

export const DescribeTaskDefinition: Operation = (ctx, input) => {
  if (typeof input.taskDefinition !== 'string' || input.taskDefinition === '') {
    throw errors.invalidParameter('taskDefinition can not be null or empty.');
  }
  const include = includeList(input, ['TAGS']);
  const td = findTaskDefinition(ctx.state, input.taskDefinition);
  if (!td) {
    throw errors.client('Unable to describe task definition.');
  }
  const out: Record<string, unknown> = {
    taskDefinition: serializeTaskDefinition(td),
  };
  if (include.includes('TAGS')) out.tags = td.tags;
  return out;
};

export const ListTaskDefinitions: Operation = (ctx, input) => {
  const status = input.status ?? 'ACTIVE';
  if (!['ACTIVE', 'INACTIVE', 'DELETE_IN_PROGRESS'].includes(status)) {
    throw errors.invalidParameter(`Invalid status value '${status}'.`);
  }
  const sort = input.sort ?? 'ASC';
  if (!['ASC', 'DESC'].includes(sort)) {
    throw errors.invalidParameter(`Invalid sort value '${sort}'.`);
  }
  const prefix: string | undefined = input.familyPrefix;
  const families = [...ctx.state.taskDefinitions.keys()].sort();
  let arns: string[] = [];
  for (const f of families) {
    if (prefix && !f.startsWith(prefix)) continue;
    for (const td of ctx.state.taskDefinitions.get(f)!) {
      if (td.status === status) arns.push(td.arn);
    }
  }
  if (sort === 'DESC') arns = arns.reverse();
  const { page, nextToken } = paginate(arns, input, {
    defaultMax: 100,
    max: 100,
  });
  return { taskDefinitionArns: page, nextToken };
};

export const ListTaskDefinitionFamilies: Operation = (ctx, input) => {
  const status = input.status ?? 'ACTIVE';
  const prefix: string | undefined = input.familyPrefix;
  const families = [...ctx.state.taskDefinitions.entries()]
    .filter(([f]) => !prefix || f.startsWith(prefix))
    .filter(([, tds]) => {
      if (status === 'ALL') return true;
      if (status === 'ACTIVE') return tds.some(t => t.status === 'ACTIVE');
      return tds.every(t => t.status === 'INACTIVE');
    })
    .map(([f]) => f)
    .sort();
  const { page, nextToken } = paginate(families, input, {
    defaultMax: 100,
    max: 100,
  });
  return { families: page, nextToken };
};

export const ListTagsForResource: Operation = (ctx, input) => {
  const arn = input.resourceArn;
  if (typeof arn !== 'string' || arn === '') {
    throw errors.invalidParameter('resourceArn can not be null or empty.');
  }
  const p = parseEcsArn(arn);
  if (!p) {
    throw errors.invalidParameter('Invalid resource arn.');
  }
  if (p.account !== ctx.accountId || p.region !== ctx.region) {
    throw errors.invalidParameter('The specified resource is not found.');
  }
  const cluster = ctx.state.clusters.get(p.parts[0]);
  let tags;
  switch (p.resourceType) {
    case 'cluster':
      if (!cluster) throw errors.clusterNotFound();
      tags = cluster.tags;
      break;
    case 'service': {
      if (!cluster) throw errors.clusterNotFound();
      const name = serviceNameOf(cluster, arn);
      const svc = name ? cluster.services.get(name) : undefined;
      if (!svc) throw errors.serviceNotFound();
      tags = svc.tags;
      break;
    }
    case 'task': {
      const task = cluster?.tasks.get(idOf(arn));
      if (!task)
        throw errors.invalidParameter('The specified task is not found.');
      tags = task.tags;
      break;
    }
    case 'container-instance': {
      const inst = cluster?.instances.get(idOf(arn));
      if (!inst)
        throw errors.invalidParameter(
          'The specified container instance is not found.',
        );
      tags = inst.tags;
      break;
    }
    case 'task-definition': {
      const td = findTaskDefinition(ctx.state, arn);
      if (!td) throw errors.client('Unable to describe task definition.');
      tags = td.tags;
      break;
    }
    default:
      throw errors.invalidParameter(
        'The specified resource type is not supported.',
      );
  }
  return { tags };
};
