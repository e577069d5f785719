import { ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import {
  CoverageReasonCode,
  CoverageState,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * Each coverage state in words, for one instance.
 *
 * @public
 */
export const COVERAGE_STATE_LABELS: Record<CoverageState, string> = {
  covered: 'Covered',
  pending: 'Agent starting',
  unhealthy: 'Agent unhealthy',
  stopped: 'Agent stopped',
  missing: 'No Agent',
  'not-applicable': 'Not applicable',
};

/**
 * Each worst-of state in words, for a whole cluster.
 *
 * @public
 */
export const CLUSTER_STATE_LABELS: Record<CoverageState, string> = {
  covered: 'Fully covered',
  pending: 'Agent starting on some instances',
  unhealthy: 'Agent unhealthy on some instances',
  stopped: 'Agent stopped on some instances',
  missing: 'Agent missing on some instances',
  'not-applicable': 'Not applicable',
};

/**
 * A cluster's state in words, from its summary: like {@link CLUSTER_STATE_LABELS}, but a cluster
 * whose instances all lack the Agent says so ("No Agent" when no Agent daemon exists at all,
 * "Agent missing on every instance" when one exists but runs nowhere).
 */
export function clusterStateWords(c: {
  state: CoverageState;
  counts: { instances: number; covered: number };
  agentServices?: unknown[];
  agentRevisions?: string[];
}): string {
  if (
    c.state === 'missing' &&
    c.counts.instances > 0 &&
    c.counts.covered === 0
  ) {
    const anyAgent =
      (c.agentServices?.length ?? 0) > 0 || (c.agentRevisions?.length ?? 0) > 0;
    return anyAgent ? 'Agent missing on every instance' : 'No Agent';
  }
  return CLUSTER_STATE_LABELS[c.state];
}

/** A longer explanation of each state. */
export const COVERAGE_STATE_DESCRIPTIONS: Record<CoverageState, string> = {
  covered:
    'An Agent task is running (and healthy where it has a health check).',
  pending:
    'An Agent task is on its way: provisioning, pending, or running with its health still unknown.',
  unhealthy: 'An Agent task runs but its health check fails.',
  stopped: 'The latest Agent task on the instance stopped.',
  missing: 'No Agent task on the instance.',
  'not-applicable':
    'A daemon cannot run here: on Fargate the Agent runs as a sidecar.',
};

/** The reason codes in a few words. */
export const REASON_LABELS: Record<CoverageReasonCode, string> = {
  'insufficient-memory': 'Insufficient memory',
  'insufficient-cpu': 'Insufficient CPU',
  'port-in-use': 'Port already in use',
  'placement-failed': 'Placement failed',
  'agent-disconnected': 'ECS container agent disconnected',
  draining: 'Instance draining',
  'os-mismatch': 'Operating system mismatch',
  'no-agent-daemon': 'No Agent daemon service',
  'task-stopped': 'Agent task stopped',
  'task-starting': 'Agent task starting',
  'health-check-failing': 'Health check failing',
  'outdated-revision': 'Outdated revision',
  'health-unknown': 'Health unknown',
  'health-not-checked': 'Health not checked',
  fargate: 'Fargate',
  'no-managed-daemon': 'No Agent managed daemon',
  'without-daemon': 'Running without the daemon',
  'instance-replaced': 'Instance being replaced',
};

/** The sentence Fargate-only clusters show instead of coverage. */
export const FARGATE_NOT_APPLICABLE =
  'Not applicable — the Agent runs as a sidecar on Fargate';

const STATUS: Record<
  CoverageState,
  (props: { children?: ReactNode }) => JSX.Element
> = {
  covered: StatusOK,
  pending: StatusPending,
  unhealthy: StatusWarning,
  stopped: StatusError,
  missing: StatusError,
  'not-applicable': StatusAborted,
};

/**
 * A coverage state as a status icon and its word(s): colour is never the only signal.
 *
 * @public
 */
export const CoverageStateLabel = (props: {
  state: CoverageState;
  /** Word it for a cluster (worst of its instances) rather than for one instance. */
  cluster?: boolean;
  /** Override the words. */
  children?: ReactNode;
}) => {
  const Status = STATUS[props.state];
  const labels = props.cluster ? CLUSTER_STATE_LABELS : COVERAGE_STATE_LABELS;
  return <Status>{props.children ?? labels[props.state]}</Status>;
};

/** Any sentence with the status icon of a coverage state. */
export const StatusLine = (props: {
  state: CoverageState;
  children: ReactNode;
}) => {
  const Status = STATUS[props.state];
  return <Status>{props.children}</Status>;
};
