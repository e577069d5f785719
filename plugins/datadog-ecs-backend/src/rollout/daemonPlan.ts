import { InputError } from '@backstage/errors';
import {
  ClusterDetails,
  EcsDaemonTaskDefinition,
  EcsTaskDefinition,
  InstanceCoverage,
  ManagedDaemonReplacementPlan,
  ManagedDaemonSummary,
  RenderOptions,
  renderManagedDaemonTaskDefinition,
  resolveManagedDaemonRolloutOptions,
  ResolvedManagedDaemonRolloutOptions,
  RolloutCall,
  RolloutOptions,
  RolloutRequest,
  RolloutTarget,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { RolloutApiKeyConfig } from '../config/config';
import {
  apiKeySourceFor,
  ResolvedRollout,
  resolveFeatures,
  revisionOf,
} from './plan';

/*
 * The managed-daemon target, decided from the inventory's snapshot (pure): which target a request
 * gets, the cluster's Managed Instances capacity, the options and rendering of the daemon task
 * definition, the daemon the snapshot has, and the ECS write calls in words.
 */

type Details = Omit<ClusterDetails, 'history'>;

/** Whether an instance of the snapshot is one of the cluster's ECS Managed Instances. */
export const isManagedInstance = (i: Pick<InstanceCoverage, 'capacity'>) =>
  i.capacity?.kind === 'managed-instances';

/** The Managed Instances capacity the snapshot has: the capacity providers (names) and their instances. */
export function snapshotCapacity(
  details: Pick<Details, 'instances' | 'managedInstancesCapacityProviders'>,
): {
  providers: string[];
  managedInstances: InstanceCoverage[];
  otherInstances: InstanceCoverage[];
} {
  const managedInstances = details.instances.filter(isManagedInstance);
  const fromInstances = managedInstances.flatMap(i =>
    i.capacity?.capacityProviderName ? [i.capacity.capacityProviderName] : [],
  );
  const listed = (details.managedInstancesCapacityProviders ?? [])
    .filter(p => !p.status || p.status === 'ACTIVE')
    .map(p => p.name);
  return {
    providers: [...new Set([...listed, ...fromInstances])],
    managedInstances,
    otherInstances: details.instances.filter(
      i => !isManagedInstance(i) && i.state !== 'not-applicable',
    ),
  };
}

/**
 * The request's target, or the one the cluster's capacity calls for: `managed-daemon` when all it
 * has is Managed Instances capacity, `daemon-service` otherwise (a mixed cluster rolls each half out
 * by its own request).
 */
export function chooseTarget(
  request: Pick<RolloutRequest, 'target'>,
  details: Pick<Details, 'instances' | 'managedInstancesCapacityProviders'>,
): RolloutTarget {
  if (request.target) return request.target;
  const capacity = snapshotCapacity(details);
  return capacity.providers.length > 0 && capacity.otherInstances.length === 0
    ? 'managed-daemon'
    : 'daemon-service';
}

/** 400 naming `target` when the cluster has no Managed Instances capacity provider for a daemon. */
export function checkManagedInstancesCapacity(
  clusterName: string,
  providers: string[],
): void {
  if (providers.length === 0) {
    throw new InputError(
      `target: managed-daemon needs ECS Managed Instances capacity, but ${clusterName} has no ACTIVE Managed Instances capacity provider (ECS Managed Daemons run only there). Use target daemon-service for its EC2 instances`,
    );
  }
}

/**
 * What a managed-daemon rollout renders: Linux without ECS Anywhere unless the request says
 * otherwise (the rendering refuses both), the features, site and tags of the request, the image tag
 * of the request or `defaults.imageTag` (`datadogEcs.rollout.managedDaemon.imageTag`), and the
 * daemon's deployment options with their documented defaults (400 naming the field when invalid).
 * Pure.
 */
export function resolveManagedDaemonOptions(
  request: RolloutRequest,
  managedInstances: number,
  defaults: { site: string; imageTag: string },
): ResolvedRollout {
  const managedDaemon = resolveManagedDaemonRolloutOptions(
    request.managedDaemon,
    'managed-daemon',
  );
  const warnings: string[] = [];
  if (managedInstances === 0) {
    warnings.push(
      'The Managed Instances capacity providers have no instance now: the daemon runs on the instances they launch',
    );
  }
  const overridden =
    request.variant !== undefined || request.external !== undefined;
  return {
    options: {
      variant: request.variant ?? 'linux',
      external: request.external ?? false,
      features: resolveFeatures(request.features),
      site: request.site ?? defaults.site,
      ...(request.tags?.length ? { tags: request.tags } : {}),
      imageTag: request.imageTag ?? defaults.imageTag,
      target: 'managed-daemon',
      managedDaemon,
    },
    variantSource: overridden ? 'request' : 'instances',
    warnings,
  };
}

/**
 * Renders the daemon task definition (`RegisterDaemonTaskDefinition` input). Throws
 * `RenderValidationError` (400 naming the rule: Linux only, Agent 7.77.0 or later, …). The result
 * may hold a plaintext key: mask it before it leaves the backend.
 */
export function renderForManagedDaemon(
  options: RolloutOptions,
  apiKey: RolloutApiKeyConfig | undefined,
  family: string,
): EcsDaemonTaskDefinition {
  return renderManagedDaemonTaskDefinition({
    variant: options.variant,
    external: options.external,
    features: options.features,
    site: options.site as RenderOptions['site'],
    tags: options.tags,
    image: { tag: options.imageTag },
    apiKey: apiKeySourceFor(apiKey),
    family,
  });
}

/** The deployment options a managed-daemon rollout recorded (the defaults for records without them). */
export const daemonOptionsOf = (
  options: RolloutOptions | undefined,
): ResolvedManagedDaemonRolloutOptions =>
  options?.managedDaemon ?? resolveManagedDaemonRolloutOptions(undefined);

/** The Agent's managed daemon as the snapshot saw it: the one of that name, else the only one. */
export function currentManagedDaemon(
  details: Pick<Details, 'managedDaemons' | 'taskDefinitions'>,
  daemonName: string,
):
  | { daemon: ManagedDaemonSummary; taskDefinition?: EcsTaskDefinition }
  | undefined {
  const daemons = details.managedDaemons ?? [];
  const daemon =
    daemons.find(d => d.daemonName === daemonName) ??
    (daemons.length === 1 ? daemons[0] : undefined);
  if (!daemon) return undefined;
  const taskDefinition = details.taskDefinitions.find(
    td =>
      !!daemon.taskDefinitionArn &&
      (td.taskDefinitionArn === daemon.taskDefinitionArn ||
        td.daemonTaskDefinitionArn === daemon.taskDefinitionArn),
  );
  return { daemon, taskDefinition };
}

/** Whether the rollout creates the managed daemon or updates it. */
export interface DaemonTarget {
  action: 'create' | 'update';
  daemonName: string;
  daemonArn?: string;
  /** The daemon task definition its latest revision deploys (an update). */
  currentTaskDefinitionArn?: string;
  /** Its latest deployment (`DescribeDaemon` `deploymentArn`). */
  deploymentArn?: string;
  /**
   * A daemon of that name is DELETE_IN_PROGRESS: ECS replaces its instances with ones without it
   * and cannot create a daemon of that name until it is gone, so the create waits.
   */
  deleting?: boolean;
}

/** Why a rollout to a daemon being deleted waits (or is refused), in words. */
export const deletingWords = (daemonName: string) =>
  `The managed daemon ${daemonName} is DELETE_IN_PROGRESS (ECS replaces its instances with ones without it): ECS cannot create a daemon of that name until it is gone`;

/** The ECS write calls of a managed-daemon rollout, in words, for a preview. Pure. */
export function planDaemonCalls(input: {
  clusterName: string;
  family: string;
  registerNeeded: boolean;
  latestRevision?: string;
  target: DaemonTarget;
  capacityProviders: string[];
  options: ResolvedManagedDaemonRolloutOptions;
  replacement: ManagedDaemonReplacementPlan;
}): RolloutCall[] {
  const calls: RolloutCall[] = [];
  const next = input.registerNeeded
    ? `${input.family}:<next revision>`
    : input.latestRevision!;
  if (input.registerNeeded) {
    calls.push({
      operation: 'RegisterDaemonTaskDefinition',
      summary: input.latestRevision
        ? `Register a new daemon task definition revision of ${input.family} (the latest, ${input.latestRevision}, differs)`
        : `Register the daemon task definition ${input.family} (its first revision, unless ECS has one equal to it)`,
    });
  }
  const how = `${
    input.options.critical ? 'critical' : 'not critical'
  }, drainPercent ${input.options.drainPercent}, bake time ${
    input.options.bakeTimeInMinutes
  } min: ${input.replacement.summary}`;
  const providers = input.capacityProviders.join(', ') || 'none';
  if (input.target.action === 'create') {
    calls.push({
      operation: 'CreateDaemon',
      summary: `Create the managed daemon ${input.target.daemonName} on ${
        input.clusterName
      } for the Managed Instances capacity providers ${providers}, running ${next} (${how})${
        input.target.deleting
          ? `, once the daemon of that name being deleted is gone`
          : ''
      }`,
    });
  } else {
    calls.push({
      operation: 'UpdateDaemon',
      summary: `Update the managed daemon ${input.target.daemonName} from ${
        revisionOf(input.target.currentTaskDefinitionArn) ??
        'its current revision'
      } to ${next} on the capacity providers ${providers} (${how})`,
    });
  }
  return calls;
}
