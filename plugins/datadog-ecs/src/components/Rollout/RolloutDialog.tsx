import { useState } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  Step,
  StepLabel,
  Stepper,
} from '@material-ui/core';
import {
  ClusterDetails,
  ClusterRef,
  Rollout,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { useCluster } from '../shared';
import { RolloutPermission } from './permissions';
import {
  ActiveRolloutNotice,
  RolloutConfirmActions,
  StartError,
  blockedReason,
  useActiveRollout,
  useStartRollout,
} from './RolloutConfirmStep';
import { RolloutFormStep } from './RolloutFormStep';
import { RolloutPreviewStep } from './RolloutPreviewStep';
import { RolloutProgressStep } from './RolloutProgressStep';
import { RolloutPreviewState, useRolloutForm } from './useRolloutForm';
import { NextRollout } from './RolloutSequence';
import { TARGET_NAMES } from './rolloutTargets';
import { newClientToken } from './words';

/**
 * Props of {@link DatadogEcsRolloutDialog}.
 *
 * @public
 */
export interface RolloutDialogProps {
  open: boolean;
  onClose: () => void;
  cluster: ClusterRef;
  /** The cluster as loaded (the cluster page has it); loaded when left out. */
  details?: ClusterDetails;
  /** The service page's entity: the rollout is checked against its permission and annotations. */
  entityRef?: string;
  /** Whether the user may roll out (from the button); a refusal disables the confirmation. */
  permission?: RolloutPermission;
  /** Reloads the page's cluster after a rollout finished. */
  reload?: () => void;
  /** Open on this rollout's progress instead of the form (watching a running rollout). */
  watchRolloutId?: string;
  /** How often to poll a running rollout, in ms (default 2000). */
  pollIntervalMs?: number;
  /** How long the form must rest before it is previewed, in ms (default 400). */
  previewDebounceMs?: number;
}

const STEPS = ['Configure, preview and confirm', 'Follow the rollout'];

/** The first step: the form and live preview, then the confirmation, which starts the rollout. */
const ConfigureAndConfirm = (props: {
  cluster: ClusterRef;
  details?: ClusterDetails;
  entityRef?: string;
  permission?: RolloutPermission;
  clientToken: string;
  previewDebounceMs: number;
  onStarted: (rollout: Rollout, next?: NextRollout) => void;
  onWatch: (id: string) => void;
}) => {
  const { cluster, details, entityRef } = props;
  const rolloutForm = useRolloutForm({
    cluster,
    details,
    entityRef,
    previewDebounceMs: props.previewDebounceMs,
  });
  const { halves } = rolloutForm;
  // Each half of a mixed cluster is its own rollout, with its own idempotency key.
  const tokenOf = (i: number) =>
    halves.length > 1
      ? `${props.clientToken}-${halves[i].target}`
      : props.clientToken;
  const next: NextRollout | undefined =
    halves[1] && halves[1].target
      ? {
          target: halves[1].target,
          requestKey: halves[1].requestKey,
          clientToken: tokenOf(1),
        }
      : undefined;
  const current = combinedPreview(halves.map(h => h.current));
  const active = useActiveRollout(cluster);
  const { start, starting, startError, conflict } = useStartRollout(
    cluster,
    tokenOf(0),
    rollout => props.onStarted(rollout, next),
  );
  const activeRollout = conflict ?? active.value;
  const blockedBy = blockedReason({
    permission: props.permission,
    cluster: { ...cluster, owner: props.details?.owner },
    current,
    activeRollout,
    clientInvalid: rolloutForm.clientInvalid,
  });
  const instances = halves.every(h => h.current?.value)
    ? halves.reduce((n, h) => n + h.current!.value!.instancesAffected.length, 0)
    : undefined;

  return (
    <>
      <DialogContent dividers>
        {activeRollout && (
          <ActiveRolloutNotice
            rollout={activeRollout}
            onWatch={() => props.onWatch(activeRollout.id)}
          />
        )}
        <Grid container spacing={3}>
          <RolloutFormStep rolloutForm={rolloutForm} details={details} />
          <RolloutPreviewStep rolloutForm={rolloutForm} />
        </Grid>
        <StartError
          message={startError}
          what={next && `The rollout of ${TARGET_NAMES[halves[0].target!]}`}
          note={
            next &&
            `The rollout of ${TARGET_NAMES[next.target]} was not started.`
          }
        />
      </DialogContent>
      <RolloutConfirmActions
        blockedBy={blockedBy}
        starting={starting}
        instances={instances}
        rollouts={halves.length}
        onConfirm={() => {
          if (!blockedBy && halves[0].current?.value)
            start(halves[0].current.key);
        }}
      />
    </>
  );
};

/**
 * The previews of the form's rollouts as one: the first refusal, else (once all have answered) the
 * first with rollouts switched off, else the first; nothing while one is missing.
 */
function combinedPreview(
  currents: Array<RolloutPreviewState | undefined>,
): RolloutPreviewState | undefined {
  const refused = currents.find(c => c?.error);
  if (refused) return refused;
  if (!currents.every(c => c?.value)) return undefined;
  return currents.find(c => !c!.value!.rolloutEnabled) ?? currents[0];
}

const LoadDetails = (props: {
  cluster: ClusterRef;
  children: (details: ClusterDetails) => JSX.Element;
}) => {
  const { value, error, loading } = useCluster(props.cluster);
  if (error) {
    return (
      <DialogContent>
        <ResponseErrorPanel error={error} />
      </DialogContent>
    );
  }
  if (loading || !value) {
    return (
      <DialogContent>
        <Progress />
      </DialogContent>
    );
  }
  return props.children(value);
};

/** The dialog's body, mounted once per opening (so its clientToken is new each time). */
const RolloutDialogBody = (props: RolloutDialogProps) => {
  const {
    cluster,
    pollIntervalMs = 2000,
    previewDebounceMs = 400,
    reload,
  } = props;
  const [clientToken] = useState(newClientToken);
  const [started, setStarted] = useState<Rollout>();
  const [next, setNext] = useState<NextRollout>();
  const [watching, setWatching] = useState(props.watchRolloutId);
  const following = !!(started || watching);

  const form = (details?: ClusterDetails) => (
    <ConfigureAndConfirm
      cluster={cluster}
      details={details}
      entityRef={props.entityRef}
      permission={props.permission}
      clientToken={clientToken}
      previewDebounceMs={previewDebounceMs}
      onStarted={(rollout, second) => {
        setNext(second);
        setStarted(rollout);
      }}
      onWatch={setWatching}
    />
  );
  let body: JSX.Element;
  if (following) {
    body = (
      <RolloutProgressStep
        cluster={cluster}
        started={started}
        next={next}
        watchId={watching}
        pollIntervalMs={pollIntervalMs}
        reload={reload}
      />
    );
  } else if (props.details) {
    body = form(props.details);
  } else {
    body = <LoadDetails cluster={cluster}>{form}</LoadDetails>;
  }

  return (
    <>
      <DialogTitle id="rollout-dialog-title">
        {following
          ? 'Rollout of the Datadog Agent to '
          : 'Roll out the Datadog Agent to '}
        {cluster.clusterName}
      </DialogTitle>
      <Box px={3}>
        <Stepper activeStep={following ? 1 : 0} alternativeLabel>
          {STEPS.map(s => (
            <Step key={s}>
              <StepLabel>{s}</StepLabel>
            </Step>
          ))}
        </Stepper>
      </Box>
      {body}
    </>
  );
};

/**
 * The rollout dialog: configure (pre-filled from the running Agent), preview (debounced), confirm,
 * then follow the rollout per instance to its outcome, with a rollback when possible.
 *
 * @public
 */
export const RolloutDialog = (props: RolloutDialogProps) => (
  <Dialog
    open={props.open}
    onClose={props.onClose}
    fullWidth
    maxWidth="lg"
    aria-labelledby="rollout-dialog-title"
  >
    {props.open && <RolloutDialogBody {...props} />}
    <DialogActions>
      <Button onClick={props.onClose}>Close</Button>
    </DialogActions>
  </Dialog>
);
