import { ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ManagedDaemonDeployment,
  ManagedDaemonDeploymentStatus,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { RelativeTime } from './RelativeTime';

type StatusComponent = (props: { children?: ReactNode }) => JSX.Element;

const STATUS: Record<string, StatusComponent> = {
  PENDING: StatusPending,
  IN_PROGRESS: StatusRunning,
  SUCCESSFUL: StatusOK,
  STOP_REQUESTED: StatusWarning,
  STOPPED: StatusAborted,
  ROLLBACK_IN_PROGRESS: StatusWarning,
  ROLLBACK_SUCCESSFUL: StatusWarning,
  ROLLBACK_FAILED: StatusError,
};

/** A daemon deployment's status in words (ECS's own word follows in parentheses). */
export const DAEMON_DEPLOYMENT_STATUS_WORDS: Record<string, string> = {
  PENDING: 'Pending',
  IN_PROGRESS: 'Replacing instances',
  SUCCESSFUL: 'Successful',
  STOP_REQUESTED: 'Stop requested',
  STOPPED: 'Stopped',
  ROLLBACK_IN_PROGRESS: 'ECS is rolling back to the previous revision',
  ROLLBACK_SUCCESSFUL: 'Rolled back by ECS to the previous revision',
  ROLLBACK_FAILED: 'ECS’s rollback failed',
};

/** Whether ECS rolled (or is rolling) the daemon deployment back. */
export const isDaemonRollback = (status?: ManagedDaemonDeploymentStatus) =>
  !!status && status.startsWith('ROLLBACK_');

/** "Rolled back by ECS to the previous revision (ROLLBACK_SUCCESSFUL)". */
export function daemonDeploymentStatusWords(
  status: ManagedDaemonDeploymentStatus,
): string {
  const words = DAEMON_DEPLOYMENT_STATUS_WORDS[status];
  return words ? `${words} (${status})` : status;
}

/** A daemon deployment's status: icon and words, colour never the only signal. */
export const DaemonDeploymentStatusLabel = (props: {
  status: ManagedDaemonDeploymentStatus;
}) => {
  const Status = STATUS[props.status] ?? StatusPending;
  return <Status>{daemonDeploymentStatusWords(props.status)}</Status>;
};

const useStyles = makeStyles(theme => ({
  facts: {
    margin: 0,
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0 },
  },
}));

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n} ${n === 1 ? one : many}`;

/** "running 2 · without the daemon 1 · draining 1". */
export function daemonInstanceWords(
  instances: NonNullable<ManagedDaemonDeployment['instances']>,
): string {
  return `running ${instances.running} · without the daemon ${instances.withoutDaemon} · draining ${instances.draining}`;
}

/**
 * A managed daemon's deployment (`DescribeDaemonDeployments`): its status (a rollback by ECS as
 * such), how it replaces the instances (drain percent, bake time), the instances running, without
 * the daemon and draining, the circuit breaker, alarms and the rollback.
 */
export const ManagedDaemonDeploymentFacts = (props: {
  deployment: ManagedDaemonDeployment;
  /** The group's accessible name. */
  label: string;
}) => {
  const classes = useStyles();
  const d = props.deployment;
  const rows: Array<[string, ReactNode]> = [
    [
      'Status',
      <>
        <DaemonDeploymentStatusLabel status={d.status} />
        {d.statusReason && (
          <Typography variant="caption" display="block">
            {d.statusReason}
          </Typography>
        )}
      </>,
    ],
  ];
  if (d.drainPercent !== undefined) {
    rows.push([
      'Drain percent',
      `${d.drainPercent}% of the instances drained and replaced at a time`,
    ]);
  }
  if (d.bakeTimeInMinutes !== undefined) {
    rows.push([
      'Bake time',
      d.bakeTimeInMinutes > 0
        ? `${plural(d.bakeTimeInMinutes, 'minute')} after each step`
        : 'none',
    ]);
  }
  if (d.instances) rows.push(['Instances', daemonInstanceWords(d.instances)]);
  if (d.circuitBreaker?.status) {
    const { status, failureCount, threshold } = d.circuitBreaker;
    rows.push([
      'Circuit breaker',
      `${status}${
        failureCount !== undefined
          ? ` (${failureCount}${
              threshold !== undefined ? ` of ${threshold}` : ''
            } failures)`
          : ''
      }`,
    ]);
  }
  if (d.alarms?.status) {
    const triggered = d.alarms.triggeredAlarmNames ?? [];
    rows.push([
      'Alarms',
      `${d.alarms.status}${
        triggered.length ? `: ${triggered.join(', ')} triggered` : ''
      }`,
    ]);
  }
  if (d.rollback) {
    rows.push([
      'Rollback by ECS',
      <>
        {d.rollback.reason ?? 'No reason given'}
        {d.rollback.startedAt && (
          <>
            {' '}
            (started <RelativeTime value={d.rollback.startedAt} />)
          </>
        )}
      </>,
    ]);
  }
  const started = d.startedAt ?? d.createdAt;
  if (started) rows.push(['Started', <RelativeTime value={started} />]);
  const ended = d.finishedAt ?? d.stoppedAt;
  if (ended) rows.push(['Ended', <RelativeTime value={ended} />]);
  return (
    <div role="group" aria-label={props.label}>
      <dl className={classes.facts}>
        {rows.map(([term, value]) => (
          <Box component="div" key={term} display="contents">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </Box>
        ))}
      </dl>
    </div>
  );
};

/**
 * A rollback ECS made of a daemon deployment (circuit breaker, alarm), said as such: in progress,
 * done (the previous revision runs again) or failed.
 */
export const DaemonRollbackNotice = (props: {
  deployment?: ManagedDaemonDeployment;
}) => {
  const d = props.deployment;
  if (!d || !isDaemonRollback(d.status)) return null;
  const reason = d.rollback?.reason ?? d.statusReason;
  const because = reason ? `: ${reason}` : '.';
  if (d.status === 'ROLLBACK_SUCCESSFUL') {
    return (
      <Alert severity="warning">
        ECS rolled the managed daemon back to its previous revision
        (ROLLBACK_SUCCESSFUL){because}
      </Alert>
    );
  }
  if (d.status === 'ROLLBACK_FAILED') {
    return (
      <Alert severity="error">
        ECS could not roll the managed daemon back (ROLLBACK_FAILED){because}
      </Alert>
    );
  }
  return (
    <Alert severity="info">
      ECS is rolling the managed daemon back to its previous revision (
      {d.status}){because}
    </Alert>
  );
};
