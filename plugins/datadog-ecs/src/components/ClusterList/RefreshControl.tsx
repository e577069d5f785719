import { useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  LinearProgress,
  Typography,
  makeStyles,
} from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { Alert } from '@material-ui/lab';
import { RefreshStatus } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useInterval from 'react-use/esm/useInterval';
import { datadogEcsApiRef } from '../../api';
import {
  RelativeTime,
  formatDateTime,
  nextAllowedAtOf,
  statusCodeOf,
} from '../shared';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
  progress: { flex: '1 1 200px', minWidth: 200 },
}));

type Message =
  | { kind: 'rate-limited'; nextAllowedAt?: string }
  | { kind: 'denied' }
  | { kind: 'failed'; message: string }
  | { kind: 'finished'; at?: string };

/**
 * The refresh button: starts a refresh, polls `GET /clusters` (through `onPoll`) while it runs and
 * shows its progress; explains a rate limit (429) and a denial (403).
 */
export const RefreshControl = (props: {
  /** The refresh status of the latest `GET /clusters`. */
  status?: RefreshStatus;
  snapshotTakenAt?: string;
  /** Re-fetch the clusters (which carries the refresh status). */
  onPoll: () => void;
  pollIntervalMs?: number;
}) => {
  const classes = useStyles();
  const api = useApi(datadogEcsApiRef);
  const [started, setStarted] = useState<RefreshStatus>();
  const [starting, setStarting] = useState(false);
  const [message, setMessage] = useState<Message>();
  const { status, onPoll } = props;

  // What the page knows: the POST's answer until the next GET answers.
  const current = started ?? status;
  const running = Boolean(current?.running);
  const wasRunning = useRef(false);

  useEffect(() => {
    // A newer GET /clusters supersedes the POST's answer.
    setStarted(undefined);
  }, [status]);

  useEffect(() => {
    if (wasRunning.current && !running) {
      setMessage({ kind: 'finished', at: current?.finishedAt });
    }
    wasRunning.current = running;
  }, [running, current?.finishedAt]);

  useInterval(onPoll, running ? props.pollIntervalMs ?? 2000 : null);

  const start = async () => {
    setStarting(true);
    setMessage(undefined);
    try {
      const result = await api.refresh();
      setStarted(result);
      if (!result.running) onPoll();
    } catch (e) {
      const code = statusCodeOf(e);
      if (code === 429) {
        setMessage({
          kind: 'rate-limited',
          nextAllowedAt: nextAllowedAtOf(e) ?? status?.nextAllowedAt,
        });
      } else if (code === 403) {
        setMessage({ kind: 'denied' });
      } else {
        setMessage({ kind: 'failed', message: (e as Error).message });
      }
    } finally {
      setStarting(false);
    }
  };

  const progress = current?.progress;
  const percent =
    progress && progress.total
      ? (progress.done / progress.total) * 100
      : undefined;

  return (
    <Box mb={2}>
      <Box className={classes.root}>
        <Button
          variant="outlined"
          color="primary"
          startIcon={<RefreshIcon />}
          onClick={start}
          disabled={starting || running}
        >
          {running ? 'Refreshing…' : 'Refresh now'}
        </Button>
        {running ? (
          <Box className={classes.progress} role="status" aria-live="polite">
            <Typography variant="body2">
              {progress
                ? `Refreshing the inventory: ${progress.done} of ${progress.total} locations done`
                : 'Refreshing the inventory…'}
            </Typography>
            <LinearProgress
              variant={percent === undefined ? 'indeterminate' : 'determinate'}
              value={percent}
              aria-label="Refresh progress"
            />
          </Box>
        ) : (
          <Typography variant="body2" color="textSecondary">
            {props.snapshotTakenAt ? (
              <>
                Inventory taken <RelativeTime value={props.snapshotTakenAt} />
              </>
            ) : (
              'No inventory taken yet'
            )}
          </Typography>
        )}
      </Box>
      {message && (
        <Box mt={1} role="status" aria-live="polite">
          {message.kind === 'rate-limited' && (
            <Alert severity="info">
              A refresh ran recently.{' '}
              {message.nextAllowedAt
                ? `The next refresh is allowed at ${formatDateTime(
                    message.nextAllowedAt,
                  )}.`
                : 'Try again in a few minutes.'}
            </Alert>
          )}
          {message.kind === 'denied' && (
            <Alert severity="warning">
              You are not allowed to refresh the inventory. Ask an administrator
              of the portal for access, or wait for the scheduled refresh.
            </Alert>
          )}
          {message.kind === 'failed' && (
            <Alert severity="error">
              The refresh could not start: {message.message}
            </Alert>
          )}
          {message.kind === 'finished' && (
            <Alert severity="success">
              Refresh finished
              {message.at ? ` at ${formatDateTime(message.at)}` : ''}.
            </Alert>
          )}
        </Box>
      )}
    </Box>
  );
};
