import {
  Checkbox,
  FormControl,
  FormControlLabel,
  FormHelperText,
  FormLabel,
  Radio,
  RadioGroup,
  TextField,
  Typography,
} from '@material-ui/core';
import {
  BAKE_TIME_LIMITS,
  ClusterDetails,
  DRAIN_PERCENT_LIMITS,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { TARGET_LABELS, TargetChoice, targetsOf } from './rolloutTargets';
import { RolloutForm } from './useRolloutForm';

/** What the choice says of a target the cluster has no instance for now. */
const NONE_NOW = {
  'daemon-service': 'No EC2 or ECS Anywhere instance now',
  'managed-daemon': 'No Managed Instances now',
};

/**
 * On a cluster with Managed Instances capacity: what to roll out. A DAEMON service serves the EC2
 * and ECS Anywhere instances, only a managed daemon the Managed Instances; a mixed cluster can
 * roll out both halves, one after the other.
 */
export const TargetChoiceField = ({
  rolloutForm,
}: {
  rolloutForm: RolloutForm;
}) => {
  const { targetOptions: options, targetForm, setTarget } = rolloutForm;
  const help = (t: 'daemon-service' | 'managed-daemon') =>
    options[t === 'daemon-service' ? 'daemonService' : 'managedDaemon']
      ? undefined
      : NONE_NOW[t];
  return (
    <FormControl component="fieldset" margin="dense" fullWidth>
      <FormLabel component="legend" id="rollout-target-label">
        Deploy to
      </FormLabel>
      <FormHelperText id="rollout-target-help">
        This cluster has ECS Managed Instances capacity, where only a managed
        daemon runs the Agent.
      </FormHelperText>
      <RadioGroup
        aria-labelledby="rollout-target-label"
        aria-describedby="rollout-target-help"
        name="target"
        value={targetForm.target ?? ''}
        onChange={e => setTarget(e.target.value as TargetChoice)}
      >
        {(['daemon-service', 'managed-daemon'] as const).map(t => (
          <FormControlLabel
            key={t}
            value={t}
            control={<Radio />}
            label={
              <>
                {TARGET_LABELS[t]}
                {help(t) && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {help(t)}
                  </Typography>
                )}
              </>
            }
          />
        ))}
        {options.daemonService && options.managedDaemon && (
          <FormControlLabel
            value="both"
            control={<Radio />}
            label="Both halves: the DAEMON service, then the managed daemon"
          />
        )}
      </RadioGroup>
    </FormControl>
  );
};

/** A managed daemon's deployment options: criticality, drain percent and bake time. */
export const ManagedDaemonFields = ({
  rolloutForm,
  details,
}: {
  rolloutForm: RolloutForm;
  details?: ClusterDetails;
}) => {
  const {
    targetForm,
    setManagedDaemon,
    managedDaemonErrors: errors,
  } = rolloutForm;
  if (!targetsOf(targetForm.target).includes('managed-daemon')) return null;
  const md = targetForm.managedDaemon;
  const existing = details?.managedDaemons?.find(d => d.status === 'ACTIVE');
  return (
    <FormControl component="fieldset" margin="normal" fullWidth>
      <FormLabel component="legend">Managed daemon</FormLabel>
      <FormControlLabel
        control={
          <Checkbox
            checked={md.critical}
            onChange={e => setManagedDaemon({ critical: e.target.checked })}
            name="critical"
            inputProps={{ 'aria-describedby': 'rollout-critical-help' }}
          />
        }
        label={
          <>
            Critical
            <Typography
              id="rollout-critical-help"
              variant="caption"
              color="textSecondary"
              display="block"
            >
              A critical daemon’s failed instance is drained and replaced; a
              daemon that is not critical leaves it running without the Agent.
              {existing &&
                ` Pre-filled from ${existing.daemonName}, which is ${
                  existing.critical ? 'critical' : 'not critical'
                } now.`}
            </Typography>
          </>
        }
      />
      <TextField
        fullWidth
        margin="normal"
        id="rollout-drain-percent"
        label="Drain percent"
        type="number"
        inputProps={{
          min: DRAIN_PERCENT_LIMITS.min,
          max: DRAIN_PERCENT_LIMITS.max,
        }}
        value={md.drainPercent}
        onChange={e => setManagedDaemon({ drainPercent: e.target.value })}
        error={!!errors.drainPercent}
        helperText={
          errors.drainPercent ??
          'The percentage of the instances drained and replaced at a time (default 25)'
        }
      />
      <TextField
        fullWidth
        margin="normal"
        id="rollout-bake-time"
        label="Bake time (minutes)"
        type="number"
        inputProps={{
          min: BAKE_TIME_LIMITS.min,
          max: BAKE_TIME_LIMITS.max,
          step: 1,
        }}
        value={md.bakeTimeInMinutes}
        onChange={e => setManagedDaemon({ bakeTimeInMinutes: e.target.value })}
        error={!!errors.bakeTimeInMinutes}
        helperText={
          errors.bakeTimeInMinutes ??
          'Minutes ECS waits after each successful step (default 0)'
        }
      />
    </FormControl>
  );
};
