import { parseEcsArn } from '../model/ids';
import { Json, RegionState } from '../model/types';
import { Operation, listDeploymentsPage, stringList } from '../operations/common';
import {
  serializeDaemonDeployment,
  serializeDaemonDeploymentSummary,
  serializeDaemonRevision,
} from './serialize';
import { clusterDaemons, findDaemon, findDaemonDeployment } from './state';
import { DaemonRevision } from './types';

// ListDaemonDeployments, DescribeDaemonDeployments (up to 20 ARNs) and DescribeDaemonRevisions
// (up to 20 ARNs); unknown ARNs are `failures` with reason MISSING, as in the other Describe calls.

const STATUSES = [
  'PENDING',
  'SUCCESSFUL',
  'STOPPED',
  'STOP_REQUESTED',
  'IN_PROGRESS',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
];

export const ListDaemonDeployments: Operation = (ctx, input) => {
  const daemon = findDaemon(ctx.state, input.daemonArn);
  const { page, nextToken } = listDeploymentsPage(
    daemon.deployments,
    input,
    STATUSES,
  );
  return {
    daemonDeployments: page.map(serializeDaemonDeploymentSummary),
    nextToken,
  };
};

export const DescribeDaemonDeployments: Operation = (ctx, input) => {
  const refs = stringList(input, 'daemonDeploymentArns', {
    required: true,
    max: 20,
  });
  const daemonDeployments: Json[] = [];
  const failures: Json[] = [];
  for (const ref of refs) {
    const d = findDaemonDeployment(ctx.state, ref);
    if (d) daemonDeployments.push(serializeDaemonDeployment(d));
    else failures.push({ arn: ref, reason: 'MISSING' });
  }
  return { daemonDeployments, failures };
};

function findRevision(
  state: RegionState,
  ref: string,
): DaemonRevision | undefined {
  const p = parseEcsArn(ref);
  if (
    !p ||
    p.resourceType !== 'daemon-revision' ||
    p.account !== state.accountId ||
    p.region !== state.region ||
    p.parts.length !== 3
  ) {
    return undefined;
  }
  const cluster = state.clusters.get(p.parts[0]);
  const daemon = cluster && clusterDaemons(cluster).daemons.get(p.parts[1]);
  return daemon?.revisions.find(r => r.arn === ref);
}

export const DescribeDaemonRevisions: Operation = (ctx, input) => {
  const refs = stringList(input, 'daemonRevisionArns', {
    required: true,
    max: 20,
  });
  const daemonRevisions: Json[] = [];
  const failures: Json[] = [];
  for (const ref of refs) {
    const rev = findRevision(ctx.state, ref);
    if (rev) daemonRevisions.push(serializeDaemonRevision(rev));
    else failures.push({ arn: ref, reason: 'MISSING' });
  }
  return { daemonRevisions, failures };
};
