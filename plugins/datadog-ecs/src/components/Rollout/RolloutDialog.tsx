import { useEffect, useMemo, useState } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  Grid,
  InputLabel,
  LinearProgress,
  MenuItem,
  Select,
  Step,
  StepLabel,
  Stepper,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  AGENT_CONTAINER_NAME,
  AgentFeatureToggles,
  ClusterDetails,
  ClusterRef,
  DATADOG_SITES,
  DatadogSite,
  Rollout,
  RolloutPreview,
  RolloutRequest,
  errorFieldsOf,
  featuresFromTaskDefinition,
  variantFromInstances,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useAsync from 'react-use/esm/useAsync';
import { datadogEcsApiRef } from '../../api';
import { useCluster } from '../shared';
import { RolloutPermission, notAllowedWords } from './permissions';
import { RolloutFollower } from './RolloutProgress';
import { RolloutPreviewView } from './RolloutPreviewView';
import {
  DEFAULT_FEATURES,
  FEATURE_TOGGLES,
  VARIANT_LABELS,
  errorMessageOf,
  imageTagError,
  isConflict,
  nameOfRef,
  newClientToken,
  notifyRolloutsChanged,
  parseTags,
} from './words';

type Variant = RolloutPreview['variant'];

/** The reason shown when rollouts are switched off in the portal's config. */
export const ROLLOUTS_OFF_WORDS =
  'Rollouts are switched off (datadogEcs.rollout.enabled)';

/**
 * Props of {@link RolloutDialog}.
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

function agentEnv(details?: ClusterDetails) {
  const td = details?.taskDefinitions[0];
  const agent =
    td?.containerDefinitions?.find(c => c.name === AGENT_CONTAINER_NAME) ??
    td?.containerDefinitions?.[0];
  return (name: string) =>
    agent?.environment?.find(e => e.name === name)?.value ?? undefined;
}

/** The form's starting point: what runs now, or the guide's defaults when no Agent runs. */
export function initialForm(details?: ClusterDetails) {
  const td = details?.taskDefinitions[0];
  const features: AgentFeatureToggles = td
    ? featuresFromTaskDefinition(td)
    : { ...DEFAULT_FEATURES };
  const env = agentEnv(details);
  const site = env('DD_SITE');
  return {
    features,
    variant: 'instances' as 'instances' | Variant,
    external: false,
    imageTag: '',
    site: (DATADOG_SITES as readonly string[]).includes(site ?? '')
      ? (site as DatadogSite)
      : ('' as DatadogSite | ''),
    tags: (env('DD_TAGS') ?? '').split(/\s+/).filter(Boolean).join(', '),
  };
}

type FormState = ReturnType<typeof initialForm>;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

const STEPS = ['Configure, preview and confirm', 'Follow the rollout'];

const ActiveRolloutNotice = (props: {
  id: string;
  message?: string;
  onWatch: () => void;
}) => (
  <Alert
    severity="info"
    action={
      <Button color="inherit" size="small" onClick={props.onWatch}>
        Watch it
      </Button>
    }
  >
    Another rollout is active on this cluster: <strong>{props.id}</strong>
    {props.message ? ` (${props.message})` : ''}. Wait for it to finish before
    starting a new one.
  </Alert>
);

/** The form and live preview; then the confirmation, which starts the rollout. */
const ConfigureAndConfirm = (props: {
  cluster: ClusterRef;
  details?: ClusterDetails;
  entityRef?: string;
  permission?: RolloutPermission;
  clientToken: string;
  previewDebounceMs: number;
  onStarted: (rollout: Rollout) => void;
  onWatch: (id: string) => void;
}) => {
  const api = useApi(datadogEcsApiRef);
  const { cluster, details, entityRef, permission } = props;
  const [form, setForm] = useState<FormState>(() => initialForm(details));
  const set = (patch: Partial<FormState>) => setForm(f => ({ ...f, ...patch }));
  const setFeature = (id: keyof AgentFeatureToggles, on: boolean) =>
    setForm(f => ({ ...f, features: { ...f.features, [id]: on } }));

  const fromInstances = useMemo(
    () =>
      variantFromInstances(
        (details?.instances ?? []).flatMap(i =>
          i.os === 'unknown'
            ? []
            : [
                {
                  os: i.os,
                  amazonLinuxGeneration: i.amazonLinuxGeneration,
                  external: i.external,
                },
              ],
        ),
      ),
    [details],
  );

  const tagErrorText = imageTagError(form.imageTag);
  const { tags, invalid: invalidTags } = parseTags(form.tags);
  const clientInvalid = !!tagErrorText || invalidTags.length > 0;

  const request: RolloutRequest = useMemo(() => {
    const r: RolloutRequest = { features: form.features, tags };
    if (form.variant !== 'instances') {
      r.variant = form.variant;
      r.external = form.external;
    }
    if (form.site) r.site = form.site;
    if (form.imageTag.trim()) r.imageTag = form.imageTag.trim();
    if (entityRef) r.entityRef = entityRef;
    return r;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form, entityRef, tags.join(' ')]);
  const requestKey = JSON.stringify(request);
  const debouncedKey = useDebounced(requestKey, props.previewDebounceMs);

  // The preview of the (debounced) form; remembered with the request it answers.
  const [preview, setPreview] = useState<{
    key: string;
    value?: RolloutPreview;
    error?: string;
    /** The rule of the guide the server says the options break (the error's `rule` field). */
    rule?: string;
  }>();
  const [previewLoading, setPreviewLoading] = useState(false);
  useEffect(() => {
    if (clientInvalid) return undefined;
    let cancelled = false;
    setPreviewLoading(true);
    api
      .previewRollout(cluster, JSON.parse(debouncedKey))
      .then(value => {
        if (!cancelled) setPreview({ key: debouncedKey, value });
      })
      .catch(e => {
        if (!cancelled)
          setPreview({
            key: debouncedKey,
            error: errorMessageOf(e),
            rule: errorFieldsOf(e).rule,
          });
      })
      .finally(() => {
        if (!cancelled) setPreviewLoading(false);
      });
    return () => {
      cancelled = true;
      setPreviewLoading(false);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [
    api,
    cluster.accountId,
    cluster.region,
    cluster.clusterName,
    debouncedKey,
    clientInvalid,
  ]);

  // Is another rollout running already? Then say so before anyone clicks.
  const active = useAsync(async () => {
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

  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string>();
  const [conflict, setConflict] = useState<{ id: string; message?: string }>();

  const current =
    preview && preview.key === requestKey && !previewLoading
      ? preview
      : undefined;
  const activeRollout = conflict ?? active.value;

  let blockedBy: string | undefined;
  if (permission && !permission.loading && !permission.allowed) {
    blockedBy = notAllowedWords(entityRef);
  } else if (current?.value && !current.value.rolloutEnabled) {
    blockedBy = ROLLOUTS_OFF_WORDS;
  } else if (activeRollout) {
    blockedBy = `Another rollout (${activeRollout.id}) is active on this cluster`;
  } else if (clientInvalid) {
    blockedBy = 'Fix the highlighted fields first';
  } else if (current?.error) {
    blockedBy = 'The server refused these options (see above)';
  } else if (!current?.value) {
    blockedBy = 'Waiting for the preview…';
  }

  const start = async () => {
    if (!current?.value || starting) return;
    setStarting(true);
    setStartError(undefined);
    try {
      // The same clientToken for every attempt of this dialog: a double click or a retry after a
      // lost answer returns the rollout already started instead of deploying twice.
      const rollout = await api.startRollout(cluster, {
        ...(JSON.parse(current.key) as RolloutRequest),
        clientToken: props.clientToken,
      });
      notifyRolloutsChanged(cluster);
      props.onStarted(rollout);
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

  const variantHelp = `${VARIANT_LABELS[fromInstances.variant]}${
    fromInstances.external ? ' on ECS Anywhere' : ''
  }`;
  // The server's refusal of the options shown: the current preview's, else the last one's.
  const refusal = current?.error || previewLoading ? current : preview;
  const serverError = refusal?.error;

  return (
    <>
      <DialogContent dividers>
        {activeRollout && (
          <Box mb={2}>
            <ActiveRolloutNotice
              id={activeRollout.id}
              message={activeRollout.message}
              onWatch={() => props.onWatch(activeRollout.id)}
            />
          </Box>
        )}
        <Grid container spacing={3}>
          <Grid item xs={12} md={5} component="section" aria-label="Configure">
            <FormControl component="fieldset" margin="dense">
              <FormLabel component="legend">Agent features</FormLabel>
              <FormHelperText>
                {details?.taskDefinitions[0]
                  ? `Pre-filled from what runs now (${
                      details.currentRevision ??
                      details.taskDefinitions[0].family
                    })`
                  : 'No Agent runs here: the guide’s defaults (APM, DogStatsD, logs, health check)'}
              </FormHelperText>
              <FormGroup>
                {FEATURE_TOGGLES.map(t => (
                  <FormControlLabel
                    key={t.id}
                    control={
                      <Checkbox
                        checked={form.features[t.id]}
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
                        </Typography>
                      </>
                    }
                  />
                ))}
              </FormGroup>
            </FormControl>

            <FormControl fullWidth margin="normal">
              <InputLabel id="rollout-variant-label">Variant</InputLabel>
              <Select
                labelId="rollout-variant-label"
                value={form.variant}
                onChange={e =>
                  set({ variant: e.target.value as FormState['variant'] })
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

            <TextField
              fullWidth
              margin="normal"
              id="rollout-image-tag"
              label="Agent image tag"
              value={form.imageTag}
              onChange={e => set({ imageTag: e.target.value })}
              error={!!tagErrorText}
              helperText={
                tagErrorText ??
                'Empty: the portal’s default (datadogEcs.rollout.imageTag)'
              }
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

            <TextField
              fullWidth
              margin="normal"
              id="rollout-tags"
              label="Tags"
              value={form.tags}
              onChange={e => set({ tags: e.target.value })}
              error={invalidTags.length > 0}
              helperText={
                invalidTags.length > 0
                  ? `Not key:value: ${invalidTags.join(', ')}`
                  : 'DD_TAGS: key:value, separated by commas or spaces'
              }
              placeholder="env:prod, team:platform"
            />

            {serverError && (
              <Box mt={2}>
                <Alert severity="error" role="alert">
                  <strong>
                    The server refused these options
                    {refusal?.rule ? ` (rule ${refusal.rule})` : ''}
                    :
                  </strong>{' '}
                  {serverError}
                </Alert>
              </Box>
            )}
          </Grid>
          <Grid item xs={12} md={7} component="section" aria-label="Preview">
            <Typography variant="h6" component="h3" gutterBottom>
              Preview
            </Typography>
            <Box height={4} mb={1}>
              {previewLoading && (
                <LinearProgress aria-label="Updating the preview" />
              )}
            </Box>
            {preview?.value ? (
              <Box style={{ opacity: current ? 1 : 0.6 }}>
                <RolloutPreviewView preview={preview.value} />
              </Box>
            ) : (
              !preview?.error && (
                <Typography variant="body2">Preparing the preview…</Typography>
              )
            )}
          </Grid>
        </Grid>
        {startError && (
          <Box mt={2}>
            <Alert severity="error" role="alert">
              The rollout could not start: {startError}
            </Alert>
          </Box>
        )}
      </DialogContent>
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
          onClick={start}
          disabled={!!blockedBy || starting}
          aria-describedby={blockedBy ? 'rollout-blocked-reason' : undefined}
        >
          {starting
            ? 'Starting…'
            : `Confirm rollout to ${
                current?.value?.instancesAffected.length ?? '…'
              } instance${
                current?.value?.instancesAffected.length === 1 ? '' : 's'
              }`}
        </Button>
      </DialogActions>
    </>
  );
};

const Watch = (props: {
  cluster: ClusterRef;
  id: string;
  pollIntervalMs: number;
  reload?: () => void;
}) => {
  const api = useApi(datadogEcsApiRef);
  const { value, error, loading } = useAsync(
    () => api.getRollout(props.id),
    [api, props.id],
  );
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading || !value) return <Progress />;
  return (
    <RolloutFollower
      cluster={props.cluster}
      rollout={value}
      pollIntervalMs={props.pollIntervalMs}
      reload={props.reload}
    />
  );
};

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
  const [watching, setWatching] = useState(props.watchRolloutId);

  let body: JSX.Element;
  let step = 0;
  if (started) {
    step = 1;
    body = (
      <DialogContent dividers>
        <RolloutFollower
          cluster={cluster}
          rollout={started}
          pollIntervalMs={pollIntervalMs}
          reload={reload}
        />
      </DialogContent>
    );
  } else if (watching) {
    step = 1;
    body = (
      <DialogContent dividers>
        <Watch
          cluster={cluster}
          id={watching}
          pollIntervalMs={pollIntervalMs}
          reload={reload}
        />
      </DialogContent>
    );
  } else {
    const form = (details?: ClusterDetails) => (
      <ConfigureAndConfirm
        cluster={cluster}
        details={details}
        entityRef={props.entityRef}
        permission={props.permission}
        clientToken={clientToken}
        previewDebounceMs={previewDebounceMs}
        onStarted={setStarted}
        onWatch={setWatching}
      />
    );
    body = props.details ? (
      form(props.details)
    ) : (
      <LoadDetails cluster={cluster}>{form}</LoadDetails>
    );
  }

  return (
    <>
      <DialogTitle id="rollout-dialog-title">
        {started || watching
          ? 'Rollout of the Datadog Agent to '
          : 'Roll out the Datadog Agent to '}
        {cluster.clusterName}
      </DialogTitle>
      <Box px={3}>
        <Stepper activeStep={step} alternativeLabel>
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
