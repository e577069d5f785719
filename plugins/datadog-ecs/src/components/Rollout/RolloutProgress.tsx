import { ReactNode, useEffect, useRef, useState } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ClusterDetails,
  ClusterRef,
  Rollout,
  RolloutInstanceState,
  RolloutStatus,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { datadogEcsApiRef } from '../../api';
import {
  DaemonRollbackNotice,
  ManagedDaemonDeploymentFacts,
  RelativeTime,
} from '../shared';
import { RolloutCancel } from './RolloutCancel';
import { RolloutResultStep } from './RolloutResultStep';
import {
  INSTANCE_STATE_DESCRIPTIONS,
  INSTANCE_STATE_LABELS,
  KIND_LABELS,
  STATUS_LABELS,
  errorMessageOf,
  isActive,
  notifyRolloutsChanged,
} from './words';

type StatusComponent = (props: { children?: ReactNode }) => JSX.Element;

const INSTANCE_STATUS: Record<RolloutInstanceState, StatusComponent> = {
  waiting: StatusPending,
  pending: StatusRunning,
  running: StatusOK,
  healthy: StatusOK,
  failed: StatusError,
  skipped: StatusAborted,
};

const ROLLOUT_STATUS: Record<RolloutStatus, StatusComponent> = {
  pending: StatusPending,
  'in-progress': StatusRunning,
  completed: StatusOK,
  failed: StatusError,
  cancelled: StatusAborted,
};

/** An instance's rollout state: icon and word. */
export const InstanceStateLabel = (props: { state: RolloutInstanceState }) => {
  const Status = INSTANCE_STATUS[props.state];
  return <Status>{INSTANCE_STATE_LABELS[props.state]}</Status>;
};

/** A rollout's status: icon and word. */
export const RolloutStatusLabel = (props: { status: RolloutStatus }) => {
  const Status = ROLLOUT_STATUS[props.status];
  return <Status>{STATUS_LABELS[props.status]}</Status>;
};

/**
 * Follows a rollout: polls `GET /rollouts/:id` every `pollIntervalMs` while it is pending or in
 * progress, and stops when it ended. A new `initial` (a rollback started, a cancel answered)
 * replaces what it shows, and an answer to an earlier poll is dropped: it cannot bring back a state
 * the new one replaced.
 */
export function useFollowRollout(initial: Rollout, pollIntervalMs: number) {
  const api = useApi(datadogEcsApiRef);
  const [rollout, setRollout] = useState<Rollout>(initial);
  const [error, setError] = useState<Error>();
  useEffect(() => {
    setRollout(initial);
    setError(undefined);
    if (!isActive(initial.status)) return undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        const next = await api.getRollout(initial.id);
        if (cancelled) return;
        setError(undefined);
        setRollout(next);
        if (isActive(next.status)) timer = setTimeout(tick, pollIntervalMs);
      } catch (e) {
        if (cancelled) return;
        // Keep following through a transient error; say so meanwhile.
        setError(e as Error);
        timer = setTimeout(tick, pollIntervalMs);
      }
    };
    timer = setTimeout(tick, pollIntervalMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, initial, pollIntervalMs]);
  return { rollout, error };
}

/** The per-instance progress of a rollout, its deployment and latest events. */
export const RolloutProgressView = (props: { rollout: Rollout }) => {
  const r = props.rollout;
  const managed = r.target === 'managed-daemon';
  const daemonDeployment = r.deployment?.daemonDeployment;
  const { total, done, failed, skipped } = r.instanceCounts;
  const percent = total ? Math.round((done / total) * 100) : 0;
  const countWords = `${done} of ${total} instance${
    total === 1 ? '' : 's'
  } done${failed ? `, ${failed} failed` : ''}${
    skipped ? `, ${skipped} skipped` : ''
  }`;
  return (
    <Box>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
        <Box mr={2}>
          <Typography variant="subtitle1" component="h3">
            {KIND_LABELS[r.kind]} {r.id}
          </Typography>
        </Box>
        <RolloutStatusLabel status={r.status} />
      </Box>
      <Typography variant="body2" gutterBottom>
        {r.oldRevision ?? 'no Agent'} → {r.newRevision ?? 'new revision'} ·{' '}
        {managed ? 'managed daemon' : 'service'} {r.serviceName}
        {r.deployment?.rolloutState && (
          <> · ECS deployment: {r.deployment.rolloutState}</>
        )}
        {r.deployment?.rolloutStateReason && (
          <> ({r.deployment.rolloutStateReason})</>
        )}
      </Typography>
      {daemonDeployment && (
        <Box mb={1}>
          <DaemonRollbackNotice deployment={daemonDeployment} />
          <Typography variant="subtitle2" component="h4">
            ECS daemon deployment
          </Typography>
          <ManagedDaemonDeploymentFacts
            deployment={daemonDeployment}
            label={`Daemon deployment of ${r.serviceName}`}
          />
        </Box>
      )}
      <LinearProgress
        variant={
          isActive(r.status) && total === 0 ? 'indeterminate' : 'determinate'
        }
        value={percent}
        aria-label={`Rollout progress: ${countWords}`}
      />
      <Typography variant="body2" component="p" gutterBottom>
        {countWords}
      </Typography>
      {r.instances.length > 0 && (
        <Table size="small" aria-label="Rollout progress per instance">
          <TableHead>
            <TableRow>
              <TableCell>Instance</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Task</TableCell>
              <TableCell>Old revision</TableCell>
              <TableCell>Reason</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {r.instances.map(i => (
              <TableRow key={i.containerInstanceArn}>
                <TableCell>{i.instanceId}</TableCell>
                <TableCell title={INSTANCE_STATE_DESCRIPTIONS[i.state]}>
                  <InstanceStateLabel state={i.state} />
                </TableCell>
                <TableCell>
                  {[i.lastStatus, i.healthStatus].filter(Boolean).join(' / ') ||
                    '—'}
                </TableCell>
                <TableCell>
                  {i.oldRevisionStopped ? 'Stopped' : 'Still running'}
                </TableCell>
                <TableCell>{i.reason ?? ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {r.events.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle2" component="h4">
            Latest ECS events
          </Typography>
          <ul aria-label="Latest ECS events">
            {r.events.slice(0, 5).map(e => (
              <li key={e.id}>
                <Typography variant="body2">
                  <RelativeTime value={e.createdAt} />: {e.message}
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      )}
    </Box>
  );
};

/**
 * A rollout followed to its end: live progress (with a cancel while it runs), then the outcome with
 * the cluster's resulting coverage, the failure reason, and a rollback (followed the same way) when
 * possible.
 */
export const RolloutFollower = (props: {
  cluster: ClusterRef;
  rollout: Rollout;
  pollIntervalMs?: number;
  /** Reloads the page's cluster once a rollout finished. */
  reload?: () => void;
  /** Called once per rollout followed (this one, a rollback) when it has ended. */
  onFinished?: (rollout: Rollout) => void;
}) => {
  const api = useApi(datadogEcsApiRef);
  const { cluster, reload, pollIntervalMs = 2000 } = props;
  const onFinished = useRef(props.onFinished);
  onFinished.current = props.onFinished;
  const [current, setCurrent] = useState<Rollout>(props.rollout);
  const { rollout, error } = useFollowRollout(current, pollIntervalMs);
  const [coverage, setCoverage] = useState<ClusterDetails>();
  const finishedId = useRef<string>();

  const finished = !isActive(rollout.status);
  const latest = useRef(rollout);
  latest.current = rollout;
  // Reloading the page gives new `cluster`/`reload` props: the fetch below must survive that, so
  // only unmounting cancels it (not a dependency change).
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  useEffect(() => {
    if (!finished || finishedId.current === rollout.id) return;
    finishedId.current = rollout.id;
    onFinished.current?.(latest.current);
    reload?.();
    notifyRolloutsChanged(cluster);
    setCoverage(undefined);
    api
      .getCluster(cluster)
      .then(c => mounted.current && setCoverage(c))
      .catch(() => undefined);
  }, [finished, rollout.id, api, cluster, reload]);

  return (
    <Box>
      <RolloutProgressView rollout={rollout} />
      {error && !finished && (
        <Box mt={1}>
          <Alert severity="warning">
            Could not update the progress (retrying): {errorMessageOf(error)}
          </Alert>
        </Box>
      )}
      {!finished && (
        <RolloutCancel
          cluster={cluster}
          rollout={rollout}
          onCancelled={setCurrent}
        />
      )}
      <RolloutResultStep
        cluster={cluster}
        rollout={rollout}
        coverage={coverage}
        onRollback={setCurrent}
      />
    </Box>
  );
};
