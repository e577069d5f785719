import { parseEcsArn } from '../model/ids';
import { Json } from '../model/types';
import { getCluster, getService } from '../model/world';
import { EcsError, errors } from '../protocol/errors';
import {
  Operation,
  listDeploymentsPage,
  OperationContext,
  stringList,
} from './common';
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
  const { page, nextToken } = listDeploymentsPage(
    svc.allServiceDeployments,
    input,
    SD_STATUSES,
  );
  return {
    serviceDeployments: page.map(serializeServiceDeploymentBrief),
    nextToken,
  };
};

/** The service deployment of that ARN in the caller's account and region, with its service. */
function findServiceDeployment(ctx: OperationContext, ref: string) {
  const p = parseEcsArn(ref);
  if (
    !p ||
    p.resourceType !== 'service-deployment' ||
    p.account !== ctx.accountId ||
    p.region !== ctx.region
  ) {
    return undefined;
  }
  const svc = ctx.state.clusters.get(p.parts[0])?.services.get(p.parts[1]);
  const sd = svc?.allServiceDeployments.find(d => d.arn === ref);
  return svc && sd ? { svc, sd } : undefined;
}

/**
 * StopServiceDeployment (stop type ROLLBACK by default, or ABORT): see scheduler/stopDeployment.ts.
 * A deployment that finished cannot be stopped (ConflictException); an unknown ARN is a
 * ServiceDeploymentNotFoundException.
 */
export const StopServiceDeployment: Operation = (ctx, input) => {
  const arn = input.serviceDeploymentArn;
  if (typeof arn !== 'string' || arn === '') {
    throw errors.invalidParameter('serviceDeploymentArn must be specified.');
  }
  const stopType = input.stopType ?? 'ROLLBACK';
  if (stopType !== 'ROLLBACK' && stopType !== 'ABORT') {
    throw errors.invalidParameter(`Invalid stopType '${stopType}'.`);
  }
  const found = findServiceDeployment(ctx, arn);
  if (!found) {
    throw new EcsError(
      'ServiceDeploymentNotFoundException',
      'The service deployment does not exist.',
    );
  }
  const { sd } = found;
  if (sd.status === 'PENDING' || sd.status === 'IN_PROGRESS') {
    ctx.scheduler.stopServiceDeployment(sd, stopType, ctx.now);
  } else if (
    sd.status !== 'STOP_REQUESTED' &&
    sd.status !== 'ROLLBACK_REQUESTED' &&
    sd.status !== 'ROLLBACK_IN_PROGRESS'
  ) {
    throw new EcsError(
      'ConflictException',
      `The service deployment is ${sd.status}: it can no longer be stopped.`,
    );
  }
  return { serviceDeploymentArn: sd.arn };
};

export const DescribeServiceDeployments: Operation = (ctx, input) => {
  const refs = stringList(input, 'serviceDeploymentArns', {
    required: true,
    max: 20,
  });
  const serviceDeployments: Json[] = [];
  const failures: Json[] = [];
  for (const ref of refs) {
    const found = findServiceDeployment(ctx, ref)?.sd;
    if (found) {
      serviceDeployments.push(serializeServiceDeployment(found));
    } else {
      failures.push({ arn: ref, reason: 'MISSING' });
    }
  }
  return { serviceDeployments, failures };
};
