import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ClusterDetails,
  ClusterRef,
  Rollout,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { datadogEcsApiRef } from '../../api';
import {
  FAILURE_KIND_LABELS,
  KIND_LABELS,
  durationWords,
  errorMessageOf,
  isActive,
  notifyRolloutsChanged,
} from './words';

/** "Coverage now 3 of 3 instances (100%)". */
export function coverageNowWords(cluster: ClusterDetails): string {
  const { covered, instances } = cluster.counts;
  const percent = instances ? Math.floor((covered / instances) * 100) : 0;
  return `Coverage now ${covered} of ${instances} instance${
    instances === 1 ? '' : 's'
  } (${percent}%)`;
}

/** A finished rollout's outcome: how long it took, or why it failed, and the resulting coverage. */
const RolloutOutcome = (props: {
  rollout: Rollout;
  coverage?: ClusterDetails;
}) => {
  const { rollout, coverage } = props;
  return (
    <Box aria-live="polite" mt={2}>
      {rollout.status === 'completed' && (
        <Alert severity="success">
          {KIND_LABELS[rollout.kind]} completed
          {rollout.durationSeconds !== undefined
            ? ` in ${durationWords(rollout.durationSeconds)}`
            : ''}
          .{' '}
          {coverage
            ? `${coverageNowWords(coverage)}.`
            : 'Loading the resulting coverage…'}
          {rollout.note ? ` ${rollout.note}` : ''}
        </Alert>
      )}
      {rollout.status === 'failed' && (
        <Alert severity="error">
          <strong>
            {KIND_LABELS[rollout.kind]} failed:{' '}
            {FAILURE_KIND_LABELS[rollout.failureKind ?? 'unknown']}
          </strong>
          {rollout.failureReason ? `. ${rollout.failureReason}` : ''}
          {coverage ? ` ${coverageNowWords(coverage)}.` : ''}
          {rollout.note ? ` ${rollout.note}` : ''}
        </Alert>
      )}
      {rollout.status === 'cancelled' && (
        <Alert severity="info">
          <strong>
            {KIND_LABELS[rollout.kind]} cancelled
            {rollout.cancelledBy ? ` by ${rollout.cancelledBy}` : ''}.
          </strong>
          {rollout.note ? ` ${rollout.note}` : ''}
          {coverage ? ` ${coverageNowWords(coverage)}.` : ''}
        </Alert>
      )}
    </Box>
  );
};

/**
 * The end of a followed rollout: its outcome with the cluster's resulting coverage, and a
 * rollback to the previous revision when the rollout allows one (the rollback is then followed).
 */
export const RolloutResultStep = (props: {
  cluster: ClusterRef;
  rollout: Rollout;
  /** The cluster as reloaded after the rollout finished. */
  coverage?: ClusterDetails;
  /** The rollback started: follow it. */
  onRollback: (rollback: Rollout) => void;
}) => {
  const api = useApi(datadogEcsApiRef);
  const { cluster, rollout } = props;
  const [rollingBack, setRollingBack] = useState(false);
  const [rollbackError, setRollbackError] = useState<string>();
  const finished = !isActive(rollout.status);

  const rollback = async () => {
    setRollingBack(true);
    setRollbackError(undefined);
    try {
      const next = await api.rollback(cluster, rollout.id);
      notifyRolloutsChanged(cluster);
      props.onRollback(next);
    } catch (e) {
      setRollbackError(errorMessageOf(e));
    } finally {
      setRollingBack(false);
    }
  };

  return (
    <>
      <RolloutOutcome rollout={rollout} coverage={props.coverage} />
      {finished && rollout.canRollback && (
        <Box mt={2}>
          <Button
            variant="outlined"
            color="secondary"
            onClick={rollback}
            disabled={rollingBack}
          >
            {rollingBack
              ? 'Rolling back…'
              : `Roll back to ${
                  rollout.oldRevision ?? 'the previous revision'
                }`}
          </Button>
        </Box>
      )}
      {rollbackError && (
        <Box mt={1}>
          <Alert severity="error">Rollback refused: {rollbackError}</Alert>
        </Box>
      )}
    </>
  );
};
