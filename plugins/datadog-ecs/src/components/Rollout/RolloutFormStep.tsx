import {
  Box,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  Grid,
  InputLabel,
  MenuItem,
  Radio,
  RadioGroup,
  Select,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ClusterDetails,
  DATADOG_SITES,
  DatadogSite,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { FEATURE_TOGGLES, VARIANT_LABELS } from './words';
import {
  RolloutForm,
  RolloutVariantChoice,
  UnknownGenerationAnswer,
} from './useRolloutForm';
import { ManagedDaemonFields, TargetChoiceField } from './RolloutTargetFields';
import { TARGET_NAMES } from './rolloutTargets';

interface StepProps {
  rolloutForm: RolloutForm;
  details?: ClusterDetails;
}

/** The Agent feature checkboxes, pre-filled from what runs now. */
const FeatureToggles = ({ rolloutForm, details }: StepProps) => {
  const { form, setFeature, targets } = rolloutForm;
  const managed = targets.includes('managed-daemon');
  const onlyManaged = managed && !targets.includes('daemon-service');
  return (
    <FormControl component="fieldset" margin="dense">
      <FormLabel component="legend">Agent features</FormLabel>
      <FormHelperText>
        {details?.taskDefinitions[0]
          ? `Pre-filled from what runs now (${
              details.currentRevision ?? details.taskDefinitions[0].family
            })`
          : 'No Agent runs here: the guide’s defaults (APM, DogStatsD, logs, health check)'}
      </FormHelperText>
      <FormGroup>
        {FEATURE_TOGGLES.map(t => (
          <FormControlLabel
            key={t.id}
            control={
              <Checkbox
                checked={
                  form.features[t.id] &&
                  !(onlyManaged && t.notOnManagedInstancesReason)
                }
                disabled={onlyManaged && !!t.notOnManagedInstancesReason}
                onChange={e => setFeature(t.id, e.target.checked)}
                name={t.id}
                inputProps={{ 'aria-describedby': `feature-${t.id}` }}
              />
            }
            label={
              <>
                {t.label}
                <Typography
                  id={`feature-${t.id}`}
                  variant="caption"
                  color="textSecondary"
                  display="block"
                >
                  {t.help}
                  {managed && t.notOnManagedInstancesReason
                    ? ` — not on ECS Managed Instances${
                        onlyManaged ? '' : ' (off for the managed daemon)'
                      }: ${t.notOnManagedInstancesReason}`
                    : ''}
                </Typography>
              </>
            }
          />
        ))}
      </FormGroup>
    </FormControl>
  );
};

/**
 * The required question when Linux instances have an unknown Amazon Linux generation (custom AMI,
 * AMI not readable): it decides the cgroup path. Amazon Linux 2 / 2023 is the default answer.
 */
const GenerationQuestion = ({ rolloutForm }: StepProps) => {
  const { form, set, fromInstances } = rolloutForm;
  const n = fromInstances.generationUnknown;
  return (
    <FormControl component="fieldset" margin="normal" required fullWidth>
      <FormLabel component="legend" id="rollout-generation-label">
        Amazon Linux generation of {n} instance{n === 1 ? '' : 's'}
      </FormLabel>
      <FormHelperText id="rollout-generation-help">
        Unknown: their AMI is a custom one or could not be read (see the
        cluster’s findings). It decides the Agent’s cgroup path.
      </FormHelperText>
      <RadioGroup
        aria-labelledby="rollout-generation-label"
        aria-describedby="rollout-generation-help"
        name="unknownGeneration"
        value={form.unknownGeneration}
        onChange={e =>
          set({ unknownGeneration: e.target.value as UnknownGenerationAnswer })
        }
      >
        <FormControlLabel
          value="linux"
          control={<Radio />}
          label="Amazon Linux 2 / 2023 (default)"
        />
        <FormControlLabel
          value="amazon-linux-1"
          control={<Radio />}
          label="Amazon Linux 1"
        />
      </RadioGroup>
    </FormControl>
  );
};

/** The variant (chosen from the instances unless overridden) and ECS Anywhere. */
const VariantFields = ({ rolloutForm }: StepProps) => {
  const { form, set, fromInstances } = rolloutForm;
  // ECS Anywhere instances are a DAEMON service's: no question for a managed daemon alone.
  const anywhere = rolloutForm.targetForm.target !== 'managed-daemon';
  const variantHelp = `${VARIANT_LABELS[fromInstances.variant]}${
    fromInstances.external ? ' on ECS Anywhere' : ''
  }`;
  return (
    <>
      <FormControl fullWidth margin="normal">
        <InputLabel id="rollout-variant-label">Variant</InputLabel>
        <Select
          labelId="rollout-variant-label"
          value={form.variant}
          onChange={e =>
            set({ variant: e.target.value as RolloutVariantChoice })
          }
        >
          <MenuItem value="instances">
            Chosen from the instances: {variantHelp}
          </MenuItem>
          <MenuItem value="linux">{VARIANT_LABELS.linux}</MenuItem>
          <MenuItem value="amazon-linux-1">
            {VARIANT_LABELS['amazon-linux-1']}
          </MenuItem>
          <MenuItem value="windows">{VARIANT_LABELS.windows}</MenuItem>
        </Select>
        <FormHelperText>
          {form.variant === 'instances'
            ? 'Chosen from the instances'
            : 'Overridden by you'}
          {fromInstances.mixedFleet
            ? `. Mixed fleet: ${fromInstances.mixedReasons.join('; ')}`
            : ''}
        </FormHelperText>
      </FormControl>
      {anywhere && (
        <FormControlLabel
          control={
            <Checkbox
              checked={
                form.variant === 'instances'
                  ? fromInstances.external
                  : form.external
              }
              disabled={form.variant === 'instances'}
              onChange={e => set({ external: e.target.checked })}
            />
          }
          label="ECS Anywhere (EXTERNAL instances)"
        />
      )}
      {form.variant === 'instances' && rolloutForm.askGeneration && (
        <GenerationQuestion rolloutForm={rolloutForm} />
      )}
    </>
  );
};

/** A text field of the form, with its error (if any) in place of its help. */
const FormText = (
  props: StepProps & {
    field: 'imageTag' | 'tags';
    id: string;
    label: string;
    error?: string;
    help: string;
    placeholder: string;
  },
) => {
  const { form, set } = props.rolloutForm;
  return (
    <TextField
      fullWidth
      margin="normal"
      id={props.id}
      label={props.label}
      value={form[props.field]}
      onChange={e => set({ [props.field]: e.target.value })}
      error={!!props.error}
      helperText={props.error ?? props.help}
      placeholder={props.placeholder}
    />
  );
};

/** The image tag, the Datadog site and DD_TAGS, each checked as typed. */
const AgentFields = ({ rolloutForm }: StepProps) => {
  const { form, set, imageTagError, invalidTags } = rolloutForm;
  return (
    <>
      <FormText
        rolloutForm={rolloutForm}
        field="imageTag"
        id="rollout-image-tag"
        label="Agent image tag"
        error={imageTagError}
        help="Empty: the portal’s default (datadogEcs.rollout.imageTag)"
        placeholder="e.g. 7.64.1"
      />

      <FormControl fullWidth margin="normal">
        <InputLabel id="rollout-site-label">Datadog site</InputLabel>
        <Select
          labelId="rollout-site-label"
          value={form.site}
          displayEmpty
          onChange={e => set({ site: e.target.value as DatadogSite })}
        >
          <MenuItem value="">The portal’s default site</MenuItem>
          {DATADOG_SITES.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </Select>
        <FormHelperText>DD_SITE</FormHelperText>
      </FormControl>

      <FormText
        rolloutForm={rolloutForm}
        field="tags"
        id="rollout-tags"
        label="Tags"
        error={
          invalidTags.length > 0
            ? `Not key:value: ${invalidTags.join(', ')}`
            : undefined
        }
        help="DD_TAGS: key:value, separated by commas or spaces"
        placeholder="env:prod, team:platform"
      />
    </>
  );
};

/**
 * The dialog's first step: the form (features, variant, image tag, site, tags) and, under it, the
 * server's refusal of the options with the rule they break.
 */
export const RolloutFormStep = (props: StepProps) => {
  const { halves, targetOptions } = props.rolloutForm;
  return (
    <Grid item xs={12} md={5} component="section" aria-label="Configure">
      {targetOptions.asks && <TargetChoiceField {...props} />}
      <FeatureToggles {...props} />
      <VariantFields {...props} />
      <ManagedDaemonFields {...props} />
      <AgentFields {...props} />
      {halves.map(({ refusal, target }) =>
        refusal?.error ? (
          <Box mt={2} key={target ?? 'rollout'}>
            <Alert severity="error" role="alert">
              <strong>
                The server refused these options
                {halves.length > 1 && target
                  ? ` for ${TARGET_NAMES[target]}`
                  : ''}
                {refusal.rule ? ` (rule ${refusal.rule})` : ''}:
              </strong>{' '}
              {refusal.error}
            </Alert>
          </Box>
        ) : null,
      )}
    </Grid>
  );
};
