import { parseEcsArn } from '../model/ids';
import { Json } from '../model/types';
import { getCluster, getService } from '../model/world';
import { errors } from '../protocol/errors';
import { Operation, paginate, stringList } from './common';
import {
  serializeServiceDeployment,
  serializeServiceDeploymentBrief,
} from './serializeServices';

const SD_STATUSES = [
  'PENDING',
  'SUCCESSFUL',
  'STOPPED',
  'STOP_REQUESTED',
  'IN_PROGRESS',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
];

export const ListServiceDeployments: Operation = (ctx, input) => {
  const cluster = getCluster(ctx.state, input.cluster);
  const svc = getService(cluster, input.service);
  const statuses = stringList(input, 'status');
  for (const s of statuses) {
    if (!SD_STATUSES.includes(s))
      throw errors.invalidParameter(`Invalid status value '${s}'.`);
  }
  const before =
    input.createdAt?.before !== undefined
      ? Number(input.createdAt.before) * 1000
      : undefined;
  const after =
    input.createdAt?.after !== undefined
      ? Number(input.createdAt.after) * 1000
      : undefined;
  const list = [...svc.allServiceDeployments]
    .reverse()
    .filter(sd => statuses.length === 0 || statuses.includes(sd.status))
    .filter(sd => before === undefined || sd.createdAt < before)
    .filter(sd => after === undefined || sd.createdAt > after);
  const { page, nextToken } = paginate(list, input, {
    defaultMax: 20,
    max: 100,
  });
  return {
    serviceDeployments: page.map(serializeServiceDeploymentBrief),
    nextToken,
  };
};

export const DescribeServiceDeployments: Operation = (ctx, input) => {
  const refs = stringList(input, 'serviceDeploymentArns', {
    required: true,
    max: 20,
  });
  const serviceDeployments: Json[] = [];
  const failures: Json[] = [];
  for (const ref of refs) {
    const p = parseEcsArn(ref);
    let found;
    if (
      p &&
      p.resourceType === 'service-deployment' &&
      p.account === ctx.accountId &&
      p.region === ctx.region
    ) {
      const svc = ctx.state.clusters.get(p.parts[0])?.services.get(p.parts[1]);
      found = svc?.allServiceDeployments.find(sd => sd.arn === ref);
    }
    if (found) {
      serviceDeployments.push(serializeServiceDeployment(found));
    } else {
      failures.push({ arn: ref, reason: 'MISSING' });
    }
  }
  return { serviceDeployments, failures };
};
