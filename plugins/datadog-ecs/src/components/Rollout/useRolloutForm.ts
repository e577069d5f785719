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

/** What the rollout form holds, as typed (the tags as one text). */
export interface RolloutFormState {
  features: AgentFeatureToggles;
  variant: RolloutVariantChoice;
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
    external: false,
    imageTag: '',
    site: (DATADOG_SITES as readonly string[]).includes(site ?? '')
      ? (site as DatadogSite)
      : '',
    tags: (env('DD_TAGS') ?? '').split(/\s+/).filter(Boolean).join(', '),
  };
}

/** The request body the form stands for (its valid tags only; the variant when overridden). */
export function requestOf(
  form: RolloutFormState,
  tags: string[],
  entityRef?: string,
): RolloutRequest {
  const r: RolloutRequest = { features: form.features, tags };
  if (form.variant !== 'instances') {
    r.variant = form.variant;
    r.external = form.external;
  }
  if (form.site) r.site = form.site;
  if (form.imageTag.trim()) r.imageTag = form.imageTag.trim();
  if (entityRef) r.entityRef = entityRef;
  return r;
}

/** The variant the server would choose from the cluster's instances (known OS only). */
export function variantOfInstances(details?: ClusterDetails) {
  return variantFromInstances(
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
  );
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

  const fromInstances = useMemo(() => variantOfInstances(details), [details]);

  const tagError = imageTagError(form.imageTag);
  const { tags, invalid: invalidTags } = parseTags(form.tags);
  const clientInvalid = !!tagError || invalidTags.length > 0;

  const request = useMemo(
    () => requestOf(form, tags, entityRef),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [form, entityRef, tags.join(' ')],
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
