import { useEffect, useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  AGENT_CONTAINER_NAME,
  AgentFeatureToggles,
  ClusterDetails,
  ClusterRef,
  DATADOG_SITES,
  DatadogSite,
  RolloutPreview,
  RolloutRequest,
  errorFieldsOf,
  featuresFromTaskDefinition,
  variantFromInstances,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useDebounce from 'react-use/esm/useDebounce';
import { datadogEcsApiRef } from '../../api';
import {
  DEFAULT_FEATURES,
  errorMessageOf,
  imageTagError,
  parseTags,
} from './words';

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

/**
 * The request body the form stands for (its valid tags only; the variant when overridden, or when
 * the form asked for the generation of instances whose generation is unknown: the variant chosen
 * from the instances with that answer).
 */
export function requestOf(
  form: RolloutFormState,
  tags: string[],
  entityRef?: string,
  details?: ClusterDetails,
): RolloutRequest {
  const r: RolloutRequest = { features: form.features, tags };
  if (form.variant !== 'instances') {
    r.variant = form.variant;
    r.external = form.external;
  } else if (asksGeneration(details)) {
    const answered = variantOfInstances(details, form.unknownGeneration);
    r.variant = answered.variant;
    r.external = answered.external;
  }
  if (form.site) r.site = form.site;
  if (form.imageTag.trim()) r.imageTag = form.imageTag.trim();
  if (entityRef) r.entityRef = entityRef;
  return r;
}

/**
 * The variant the server would choose from the cluster's instances (known OS only), those of unknown
 * Amazon Linux generation taken as `unknownGeneration` (Amazon Linux 2 / 2023 by default).
 */
export function variantOfInstances(
  details?: ClusterDetails,
  unknownGeneration: UnknownGenerationAnswer = 'linux',
) {
  return variantFromInstances(
    (details?.instances ?? []).flatMap(i =>
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
 * (custom AMI, AMI not readable): when there are some and the cluster is not a Windows one.
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
  useEffect(() => {
    if (skip) return undefined;
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

  const fromInstances = useMemo(
    () => variantOfInstances(details, form.unknownGeneration),
    [details, form.unknownGeneration],
  );
  const askGeneration = useMemo(() => asksGeneration(details), [details]);

  const tagError = imageTagError(form.imageTag);
  const { tags, invalid: invalidTags } = parseTags(form.tags);
  const clientInvalid = !!tagError || invalidTags.length > 0;

  const request = useMemo(
    () => requestOf(form, tags, entityRef, details),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [form, entityRef, details, tags.join(' ')],
  );
  const requestKey = JSON.stringify(request);
  const preview = useRolloutPreview(
    cluster,
    requestKey,
    previewDebounceMs,
    clientInvalid,
  );

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
    /** Whether a field is invalid (then nothing is previewed). */
    clientInvalid,
    request,
    requestKey,
    ...preview,
  };
}

/** What {@link useRolloutForm} gives the dialog's steps. */
export type RolloutForm = ReturnType<typeof useRolloutForm>;
