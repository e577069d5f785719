import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, DialogActions, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ClusterRef,
  Rollout,
  RolloutRequest,
  errorFieldsOf,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useAsync from 'react-use/esm/useAsync';
import { datadogEcsApiRef } from '../../api';
import { RolloutPermission, notAllowedWords } from './permissions';
import { RolloutPreviewState } from './useRolloutForm';
import {
  ROLLOUTS_OFF_WORDS,
  errorMessageOf,
  isConflict,
  nameOfRef,
  notifyRolloutsChanged,
} from './words';

/** Another rollout active on the cluster, with who started it and its status when known. */
export interface ActiveRollout {
  id: string;
  message?: string;
}

/** Is another rollout running already? Then the dialog says so before anyone clicks. */
export function useActiveRollout(cluster: ClusterRef) {
  const api = useApi(datadogEcsApiRef);
  return useAsync(async (): Promise<ActiveRollout | undefined> => {
    const list = await api.listRollouts(cluster);
    const id = list.activeRolloutId;
    if (!id) return undefined;
    const summary = list.rollouts.find(r => r.id === id);
    return {
      id,
      message: summary
        ? `started by ${nameOfRef(summary.createdBy)}, ${summary.status}`
        : undefined,
    };
  }, [api, cluster.accountId, cluster.region, cluster.clusterName]);
}

/**
 * Starts the previewed request with the dialog's one clientToken; a 409 becomes the active
 * rollout (its `activeRolloutId` field, else the cluster's list), any other refusal an error.
 */
export function useStartRollout(
  cluster: ClusterRef,
  clientToken: string,
  onStarted: (rollout: Rollout) => void,
) {
  const api = useApi(datadogEcsApiRef);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string>();
  const [conflict, setConflict] = useState<ActiveRollout>();

  const start = async (requestKey: string) => {
    if (starting) return;
    setStarting(true);
    setStartError(undefined);
    try {
      // The same clientToken for every attempt of this dialog: a double click or a retry after a
      // lost answer returns the rollout already started instead of deploying twice.
      const rollout = await api.startRollout(cluster, {
        ...(JSON.parse(requestKey) as RolloutRequest),
        clientToken,
      });
      notifyRolloutsChanged(cluster);
      onStarted(rollout);
    } catch (e) {
      const message = errorMessageOf(e);
      if (isConflict(e)) {
        let id = errorFieldsOf(e).activeRolloutId;
        if (!id) {
          id = await api
            .listRollouts(cluster)
            .then(l => l.activeRolloutId)
            .catch(() => undefined);
        }
        if (id) {
          setConflict({ id, message });
        } else {
          setStartError(message);
        }
      } else {
        setStartError(message);
      }
    } finally {
      setStarting(false);
    }
  };
  return { start, starting, startError, conflict };
}

/** Why the rollout cannot be confirmed now, in words; undefined when it can. */
export function blockedReason(state: {
  permission?: RolloutPermission;
  /** The cluster, with its owner when known (whom to ask). */
  cluster: { clusterName: string; owner?: string };
  /** The preview of the form as it stands. */
  current?: RolloutPreviewState;
  activeRollout?: ActiveRollout;
  clientInvalid: boolean;
}): string | undefined {
  const { permission, current, activeRollout } = state;
  if (permission && !permission.loading && !permission.allowed) {
    return notAllowedWords(state.cluster);
  } else if (current?.value && !current.value.rolloutEnabled) {
    return ROLLOUTS_OFF_WORDS;
  } else if (activeRollout) {
    return `Another rollout (${activeRollout.id}) is active on this cluster`;
  } else if (state.clientInvalid) {
    return 'Fix the highlighted fields first';
  } else if (current?.error) {
    return 'The server refused these options (see above)';
  } else if (!current?.value) {
    return 'Waiting for the preview…';
  }
  return undefined;
}

/** The notice of another active rollout, with a way to watch it. */
export const ActiveRolloutNotice = (props: {
  rollout: ActiveRollout;
  onWatch: () => void;
}) => (
  <Box mb={2}>
    <Alert
      severity="info"
      action={
        <Button color="inherit" size="small" onClick={props.onWatch}>
          Watch it
        </Button>
      }
    >
      Another rollout is active on this cluster:{' '}
      <strong>{props.rollout.id}</strong>
      {props.rollout.message ? ` (${props.rollout.message})` : ''}. Wait for it
      to finish before starting a new one.
    </Alert>
  </Box>
);

/** Why the rollout could not start (other than another active rollout). */
export const StartError = (props: {
  message?: string;
  /** Which rollout (of two): "The rollout of the DAEMON service". */
  what?: string;
  /** What it means for the other one. */
  note?: string;
}) =>
  props.message ? (
    <Box mt={2}>
      <Alert severity="error" role="alert">
        {props.what ?? 'The rollout'} could not start: {props.message}
        {props.note ? ` ${props.note}` : ''}
      </Alert>
    </Box>
  ) : null;

/** The confirmation: the button with the number of instances, or why it is disabled. */
export const RolloutConfirmActions = (props: {
  blockedBy?: string;
  starting: boolean;
  /** The number of instances the previewed rollout affects, when known. */
  instances?: number;
  /** How many rollouts the confirmation starts (2: both halves of a mixed cluster). */
  rollouts?: number;
  onConfirm: () => void;
}) => {
  const { blockedBy, starting, instances } = props;
  const what =
    (props.rollouts ?? 1) > 1 ? `${props.rollouts} rollouts` : 'rollout';
  return (
    <DialogActions>
      {blockedBy && (
        <Typography
          id="rollout-blocked-reason"
          variant="body2"
          color="textSecondary"
          style={{ marginRight: 'auto', paddingLeft: 8 }}
        >
          {blockedBy}
        </Typography>
      )}
      <Button
        variant="contained"
        color="primary"
        onClick={props.onConfirm}
        disabled={!!blockedBy || starting}
        aria-describedby={blockedBy ? 'rollout-blocked-reason' : undefined}
      >
        {starting
          ? 'Starting…'
          : `Confirm ${what} to ${instances ?? '…'} instance${
              instances === 1 ? '' : 's'
            }`}
      </Button>
    </DialogActions>
  );
};
