import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Tooltip,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ClusterRef,
  Rollout,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { datadogEcsApiRef } from '../../api';
import { useRolloutPermission } from './permissions';
import { KIND_LABELS, errorMessageOf, notifyRolloutsChanged } from './words';

/**
 * Whether the user may cancel a rollout, as the backend decides it: the permission a rollout of
 * the cluster needs (the rollout permission on the cluster's resource, or the portal-wide one).
 */
function useCancelPermission(cluster: ClusterRef) {
  return useRolloutPermission(cluster);
}

/** The rollback choice of the cancel dialog, in words. */
function rollbackWords(rollout: Rollout, possible: boolean): string {
  if (possible) {
    return `Also stop the ECS deployment and roll ${
      rollout.serviceName
    } back to ${rollout.oldRevision ?? 'its previous revision'}`;
  }
  if (rollout.createdService) {
    return 'Roll back in ECS: not possible, this rollout created the service';
  }
  return 'Roll back in ECS: not possible, its deployment has not started';
}

/**
 * "Cancel…" on a pending or in-progress rollout: stops following it and frees the cluster; the
 * dialog offers to stop the ECS deployment too and roll the service back (when ECS named one and
 * there is a revision to return to). Disabled, saying why, without the permission.
 */
export const RolloutCancel = (props: {
  cluster: ClusterRef;
  rollout: Rollout;
  /** The cancelled rollout, as the backend answered. */
  onCancelled: (rollout: Rollout) => void;
}) => {
  const api = useApi(datadogEcsApiRef);
  const { rollout, cluster } = props;
  const permission = useCancelPermission(cluster);
  const [open, setOpen] = useState(false);
  const [rollback, setRollback] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const kind = KIND_LABELS[rollout.kind].toLocaleLowerCase('en-US');
  const canRollBackInEcs =
    !!rollout.deployment?.serviceDeploymentArn && !rollout.createdService;

  const cancel = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const cancelled = await api.cancelRollout(rollout.id, {
        rollback: rollback && canRollBackInEcs,
      });
      setOpen(false);
      notifyRolloutsChanged(cluster);
      props.onCancelled(cancelled);
    } catch (e) {
      setError(errorMessageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const button = (
    <Button
      variant="outlined"
      onClick={() => setOpen(true)}
      disabled={permission.loading || !permission.allowed}
    >
      Cancel {kind}…
    </Button>
  );
  return (
    <Box mt={2}>
      {permission.allowed || permission.loading ? (
        button
      ) : (
        <Tooltip
          title={`You are not allowed to cancel this ${kind}: it needs the permission a rollback needs`}
        >
          <span>{button}</span>
        </Tooltip>
      )}
      <Dialog
        open={open}
        onClose={() => !busy && setOpen(false)}
        aria-labelledby="rollout-cancel-title"
      >
        <DialogTitle id="rollout-cancel-title">Cancel {kind}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            The portal stops following it and frees the cluster for another
            rollout. Without a rollback, ECS carries on with the deployment it
            started.
          </DialogContentText>
          <FormControlLabel
            control={
              <Checkbox
                checked={rollback && canRollBackInEcs}
                onChange={e => setRollback(e.target.checked)}
                disabled={!canRollBackInEcs}
              />
            }
            label={rollbackWords(rollout, canRollBackInEcs)}
          />
          {error && <Alert severity="error">Cancel refused: {error}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>
            Keep it running
          </Button>
          <Button
            onClick={cancel}
            color="secondary"
            variant="contained"
            disabled={busy}
          >
            {busy ? 'Cancelling…' : `Cancel ${kind}`}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
};
