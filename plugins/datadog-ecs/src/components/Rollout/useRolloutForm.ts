import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  AGENT_CONTAINER_NAME,
  AgentFeatureToggles,
  ClusterDetails,
  ClusterRef,
  DATADOG_SITES,
  DatadogSite,
  ManagedDaemonRolloutOptions,
  RolloutPreview,
  RolloutRequest,
  RolloutTarget,
  errorFieldsOf,
  featuresFromTaskDefinition,
  variantFromInstances,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useDebounce from 'react-use/esm/useDebounce';
import { datadogEcsApiRef } from '../../api';
import {
  DEFAULT_FEATURES,
  FEATURE_TOGGLES,
  errorMessageOf,
  imageTagError,
  parseTags,
} from './words';
import {
  ManagedDaemonFormState,
  TargetChoice,
  TargetFormState,
  initialTargetForm,
  instancesOfTarget,
  managedDaemonErrors,
  managedDaemonOptionsOf,
  targetOptionsOf,
  targetsOf,
} from './rolloutTargets';

/** The variant field: chosen from the instances, or one the user picked. */
export type RolloutVariantChoice = 'instances' | RolloutPreview['variant'];

/**
 * The answer to "which Amazon Linux generation do the instances of unknown generation run?": the
 * Linux variant (Amazon Linux 2 / 2023, the default) or Amazon Linux 1.
 */
export type UnknownGenerationAnswer = 'linux' | 'amazon-linux-1';

/** What the rollout form holds, as typed (the tags as one text). */
export interface RolloutFormState {
  features: AgentFeatureToggles;
  variant: RolloutVariantChoice;
  /** Asked (and sent) only when Linux instances have an unknown Amazon Linux generation. */
  unknownGeneration: UnknownGenerationAnswer;
  external: boolean;
  imageTag: string;
  site: DatadogSite | '';
  tags: string;
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
export function initialForm(details?: ClusterDetails): RolloutFormState {
  const td = details?.taskDefinitions[0];
  const features: AgentFeatureToggles = td
    ? featuresFromTaskDefinition(td)
    : { ...DEFAULT_FEATURES };
  const env = agentEnv(details);
  const site = env('DD_SITE');
  return {
    features,
    variant: 'instances',
    unknownGeneration: 'linux',
    external: false,
    imageTag: '',
    site: (DATADOG_SITES as readonly string[]).includes(site ?? '')
      ? (site as DatadogSite)
      : '',
    tags: (env('DD_TAGS') ?? '').split(/\s+/).filter(Boolean).join(', '),
  };
}

/** A request's target: the DAEMON service or the managed daemon, with the latter's options. */
export interface RequestTarget {
  target: RolloutTarget;
  managedDaemon?: ManagedDaemonRolloutOptions;
}

/**
 * The request body the form stands for (its valid tags only; the variant when overridden, or when
 * the form asked for the generation of instances whose generation is unknown: the variant chosen
 * from the instances with that answer); with a target, that target (and a managed daemon's options).
 */
export function requestOf(
  form: RolloutFormState,
  tags: string[],
  entityRef?: string,
  details?: ClusterDetails,
  target?: RequestTarget,
): RolloutRequest {
  const managed = target?.target === 'managed-daemon';
  const r: RolloutRequest = {
    features: managed ? managedDaemonFeatures(form.features) : form.features,
    tags,
  };
  if (form.variant !== 'instances') {
    r.variant = form.variant;
    // ECS Anywhere is no managed daemon's.
    if (!managed) r.external = form.external;
  } else if (!managed && asksGeneration(details)) {
    const answered = variantOfInstances(details, form.unknownGeneration);
    r.variant = answered.variant;
    r.external = answered.external;
  }
  if (form.site) r.site = form.site;
  if (form.imageTag.trim()) r.imageTag = form.imageTag.trim();
  if (target) {
    r.target = target.target;
    if (managed && target.managedDaemon) r.managedDaemon = target.managedDaemon;
  }
  if (entityRef) r.entityRef = entityRef;
  return r;
}

/**
 * The features of a managed daemon's request: those a daemon task definition cannot have on ECS
 * Managed Instances (host ports, the Docker socket, …; `notOnManagedInstancesReason`) are off.
 */
export function managedDaemonFeatures(
  features: AgentFeatureToggles,
): AgentFeatureToggles {
  const out = { ...features };
  for (const t of FEATURE_TOGGLES) {
    if (t.notOnManagedInstancesReason) out[t.id] = false;
  }
  return out;
}

/**
 * The variant the server would choose from the cluster's instances (known OS only), those of unknown
 * Amazon Linux generation taken as `unknownGeneration` (Amazon Linux 2 / 2023 by default).
 */
export function variantOfInstances(
  details?: ClusterDetails,
  unknownGeneration: UnknownGenerationAnswer = 'linux',
  target?: RolloutTarget,
) {
  return variantFromInstances(
    instancesOfTarget(details?.instances ?? [], target).flatMap(i =>
      i.os === 'unknown' || i.state === 'not-applicable'
        ? []
        : [
            {
              os: i.os,
              amazonLinuxGeneration: i.amazonLinuxGeneration,
              amazonLinuxGenerationSource: i.amazonLinuxGenerationSource,
              external: i.external,
            },
          ],
    ),
    { unknownGeneration: unknownGeneration === 'amazon-linux-1' ? 1 : 2 },
  );
}

/**
 * Whether the form must ask which Amazon Linux generation the instances of unknown generation run
 * (custom AMI, AMI not readable): when there are some and the cluster is not a Windows one. Only the
 * instances a DAEMON service serves count: ECS manages the Managed Instances' operating system.
 */
export function asksGeneration(details?: ClusterDetails): boolean {
  const choice = variantOfInstances(details);
  return choice.generationUnknown > 0 && choice.variant !== 'windows';
}

/** A preview of the form, remembered with the request (its JSON) it answers. */
export interface RolloutPreviewState {
  key: string;
  value?: RolloutPreview;
  error?: string;
  /** The rule of the guide the server says the options break (the error's `rule` field). */
  rule?: string;
}

/**
 * Previews `requestKey` (a request's JSON) once it has rested `debounceMs` (the first one at once),
 * unless `skip` (the form has invalid fields).
 */
export function useRolloutPreview(
  cluster: ClusterRef,
  requestKey: string,
  debounceMs: number,
  skip: boolean,
) {
  const api = useApi(datadogEcsApiRef);
  const [debouncedKey, setDebouncedKey] = useState(requestKey);
  useDebounce(() => setDebouncedKey(requestKey), debounceMs, [requestKey]);

  const [preview, setPreview] = useState<RolloutPreviewState>();
  const [loading, setLoading] = useState(false);
  const latestKey = useRef(requestKey);
  latestKey.current = requestKey;
  useEffect(() => {
    // Nothing to preview (no such half), or not yet: a half just added, or a form just made valid
    // again, waits for its debounce (the key debounced before may be of an invalid form).
    if (skip || !debouncedKey || debouncedKey !== latestKey.current) {
      return undefined;
    }
    let cancelled = false;
    setLoading(true);
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
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
      setLoading(false);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [
    api,
    cluster.accountId,
    cluster.region,
    cluster.clusterName,
    debouncedKey,
    skip,
  ]);

  // The preview of the request shown now, once it is not being updated.
  const current =
    preview && preview.key === requestKey && !loading ? preview : undefined;
  // The server's refusal of the options shown: the current preview's, else the last one's.
  const refusal = current?.error || loading ? current : preview;
  return { preview, loading, current, refusal };
}

/**
 * The rollout form: its state (pre-filled from the running Agent), the checks of its fields (the
 * API's own regexes), the request body it stands for and the debounced preview of that request.
 */
export function useRolloutForm(options: {
  cluster: ClusterRef;
  details?: ClusterDetails;
  entityRef?: string;
  /** How long the form must rest before it is previewed, in ms. */
  previewDebounceMs: number;
}) {
  const { cluster, details, entityRef, previewDebounceMs } = options;
  const [form, setForm] = useState<RolloutFormState>(() =>
    initialForm(details),
  );
  const set = (patch: Partial<RolloutFormState>) =>
    setForm(f => ({ ...f, ...patch }));
  const setFeature = (id: keyof AgentFeatureToggles, on: boolean) =>
    setForm(f => ({ ...f, features: { ...f.features, [id]: on } }));

  const [targetForm, setTargetForm] = useState<TargetFormState>(() =>
    initialTargetForm(details),
  );
  const targetOptions = useMemo(() => targetOptionsOf(details), [details]);
  const setTarget = (target: TargetChoice) =>
    setTargetForm(t => ({ ...t, target }));
  const setManagedDaemon = (patch: Partial<ManagedDaemonFormState>) =>
    setTargetForm(t => ({
      ...t,
      managedDaemon: { ...t.managedDaemon, ...patch },
    }));
  const targets = targetsOf(targetForm.target);

  // The variant "chosen from the instances": those of the first target (the DAEMON service's
  // instances when both halves roll out).
  const fromInstances = useMemo(
    () => variantOfInstances(details, form.unknownGeneration, targets[0]),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [details, form.unknownGeneration, targets[0]],
  );
  const askGeneration = useMemo(
    () =>
      targets.includes('managed-daemon') && !targets.includes('daemon-service')
        ? false
        : asksGeneration(details),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [details, targets.join(' ')],
  );

  const tagError = imageTagError(form.imageTag);
  const { tags, invalid: invalidTags } = parseTags(form.tags);
  const daemonErrors = targets.includes('managed-daemon')
    ? managedDaemonErrors(targetForm.managedDaemon)
    : {};
  const clientInvalid =
    !!tagError ||
    invalidTags.length > 0 ||
    !!daemonErrors.drainPercent ||
    !!daemonErrors.bakeTimeInMinutes;

  const requests = useMemo(
    () =>
      targets.map(target =>
        requestOf(
          form,
          tags,
          entityRef,
          details,
          target && {
            target,
            managedDaemon:
              target === 'managed-daemon'
                ? managedDaemonOptionsOf(targetForm.managedDaemon)
                : undefined,
          },
        ),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [form, targetForm, entityRef, details, tags.join(' ')],
  );
  const requestKey = JSON.stringify(requests[0]);
  const secondKey = requests[1] ? JSON.stringify(requests[1]) : '';
  const preview = useRolloutPreview(
    cluster,
    requestKey,
    previewDebounceMs,
    clientInvalid,
  );
  const second = useRolloutPreview(
    cluster,
    secondKey,
    previewDebounceMs,
    clientInvalid || !secondKey,
  );
  const halves: RolloutHalf[] = [
    { target: targets[0], request: requests[0], requestKey, ...preview },
  ];
  if (requests[1]) {
    halves.push({
      target: targets[1],
      request: requests[1],
      requestKey: secondKey,
      ...second,
    });
  }

  return {
    form,
    set,
    setFeature,
    fromInstances,
    /** Whether the form asks the generation of instances whose generation is unknown. */
    askGeneration,
    /** The image tag's error in words, if any. */
    imageTagError: tagError,
    /** The tags that are not `key:value`. */
    invalidTags,
    /** The targets the cluster offers, and the choice with a managed daemon's options. */
    targetOptions,
    targetForm,
    /** The targets the form rolls out to, in order (none named on a cluster without Managed Instances). */
    targets,
    setTarget,
    setManagedDaemon,
    /** The managed daemon's options' errors in words (when it is a target). */
    managedDaemonErrors: daemonErrors,
    /** Whether a field is invalid (then nothing is previewed). */
    clientInvalid,
    /** The first (or only) rollout's request and preview. */
    request: requests[0],
    requestKey,
    ...preview,
    /** Each rollout the form stands for, in the order they run: one, or both halves. */
    halves,
  };
}

/** One rollout of the form: its target, request and preview. */
export interface RolloutHalf extends ReturnType<typeof useRolloutPreview> {
  /** Undefined on a cluster without Managed Instances: the server chooses. */
  target?: RolloutTarget;
  request: RolloutRequest;
  requestKey: string;
}

/** What {@link useRolloutForm} gives the dialog's steps. */
export type RolloutForm = ReturnType<typeof useRolloutForm>;
