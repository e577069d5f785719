import { ReactNode, useRef, useState } from 'react';
import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ClusterRef,
  Rollout,
  RolloutTarget,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { RolloutFollower } from './RolloutProgress';
import { useStartRollout } from './RolloutConfirmStep';
import { TARGET_LABELS, TARGET_NAMES } from './rolloutTargets';
import { STATUS_LABELS } from './words';

/** The second half of a mixed cluster's rollout, to start once the first has completed. */
export interface NextRollout {
  target: RolloutTarget;
  /** Its request as previewed (JSON). */
  requestKey: string;
  /** Its own idempotency key (the first half has another). */
  clientToken: string;
}

const Half = (props: {
  index: number;
  target: RolloutTarget;
  children: ReactNode;
}) => (
  <Box
    component="section"
    aria-label={`Rollout ${props.index} of 2: ${TARGET_NAMES[props.target]}`}
    mb={3}
  >
    <Typography variant="h6" component="h3" gutterBottom>
      {props.index}. {TARGET_LABELS[props.target]}
    </Typography>
    {props.children}
  </Box>
);

/**
 * Both halves of a mixed cluster, one after the other (the cluster takes one rollout at a time):
 * the first (the DAEMON service) followed to its end; the second (the managed daemon) started only
 * once the first has completed, then followed too. A first half that fails or is cancelled leaves
 * the second unstarted, and a refused second start says why.
 */
export const RolloutSequence = (props: {
  cluster: ClusterRef;
  first: Rollout;
  next: NextRollout;
  pollIntervalMs: number;
  reload?: () => void;
}) => {
  const { cluster, first, next, pollIntervalMs, reload } = props;
  const firstTarget = first.target ?? 'daemon-service';
  const [firstEnded, setFirstEnded] = useState<Rollout>();
  const [second, setSecond] = useState<Rollout>();
  const { start, starting, startError, conflict } = useStartRollout(
    cluster,
    next.clientToken,
    setSecond,
  );
  const asked = useRef(false);
  const onFirstFinished = (r: Rollout) => {
    if (r.id !== first.id) return; // a rollback of the first half
    setFirstEnded(r);
    if (r.status === 'completed' && !asked.current) {
      asked.current = true;
      start(next.requestKey);
    }
  };

  let secondBody: JSX.Element;
  const refusal = startError ?? conflict?.message;
  if (second) {
    secondBody = (
      <RolloutFollower
        cluster={cluster}
        rollout={second}
        pollIntervalMs={pollIntervalMs}
        reload={reload}
      />
    );
  } else if (refusal || conflict) {
    secondBody = (
      <Alert severity="error">
        The rollout of {TARGET_NAMES[next.target]} could not start:{' '}
        {refusal ?? `another rollout (${conflict?.id}) is active`}
      </Alert>
    );
  } else if (firstEnded && firstEnded.status !== 'completed') {
    secondBody = (
      <Alert severity="warning">
        Not started: the rollout of {TARGET_NAMES[firstTarget]} did not complete
        ({STATUS_LABELS[firstEnded.status].toLocaleLowerCase('en-US')}
        ). Roll out {TARGET_NAMES[next.target]} on its own once it is fixed.
      </Alert>
    );
  } else if (starting || firstEnded) {
    secondBody = <Typography variant="body2">Starting…</Typography>;
  } else {
    secondBody = (
      <Typography variant="body2">
        Starts once the rollout of {TARGET_NAMES[firstTarget]} has completed
        (the cluster takes one rollout at a time): keep this dialog open.
      </Typography>
    );
  }

  return (
    <>
      <Half index={1} target={firstTarget}>
        <RolloutFollower
          cluster={cluster}
          rollout={first}
          pollIntervalMs={pollIntervalMs}
          reload={reload}
          onFinished={onFirstFinished}
        />
      </Half>
      <Half index={2} target={next.target}>
        <Box aria-live="polite">{secondBody}</Box>
      </Half>
    </>
  );
};
