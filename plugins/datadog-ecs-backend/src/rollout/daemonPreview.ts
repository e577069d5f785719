import {
  ClusterDetails,
  ClusterRef,
  diffTaskDefinitions,
  featuresFromTaskDefinition,
  maskSecrets,
  planManagedDaemonReplacement,
  Redactor,
  RolloutPreview,
  RolloutRequest,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { DatadogEcsConfig } from '../config/config';
import {
  checkManagedInstancesCapacity,
  currentManagedDaemon,
  DaemonTarget,
  deletingWords,
  planDaemonCalls,
  renderForManagedDaemon,
  resolveManagedDaemonOptions,
  snapshotCapacity,
} from './daemonPlan';
import { imageOf, isRegisterNeeded, revisionOf } from './plan';
import type { StartPlan } from './planning';

/*
 * The managed-daemon target's preview and start plan, from the inventory's snapshot alone (no AWS
 * call): the daemon created or updated on the cluster's Managed Instances capacity providers, how
 * ECS replaces their instances, the daemon task definition and its diff. Starting re-reads ECS.
 */

type Details = Omit<ClusterDetails, 'history'>;

export interface DaemonPlannerConfig {
  config: Pick<DatadogEcsConfig, 'site' | 'rollout' | 'agentImageRepositories'>;
  redactor: Redactor;
}

function resolved(
  { config }: DaemonPlannerConfig,
  request: RolloutRequest,
  details: Details,
) {
  const capacity = snapshotCapacity(details);
  return {
    capacity,
    ...resolveManagedDaemonOptions(request, capacity.managedInstances.length, {
      site: config.site,
      imageTag: config.rollout.managedDaemon.imageTag,
    }),
  };
}

/**
 * What a managed-daemon start records (no AWS call): 400 naming `target` without Managed Instances
 * capacity, 400 naming the rule for options the rendering refuses.
 */
export function planDaemonStart(
  deps: DaemonPlannerConfig,
  ref: ClusterRef,
  request: RolloutRequest,
  details: Details,
): StartPlan {
  const { rollout } = deps.config;
  const { capacity, options } = resolved(deps, request, details);
  checkManagedInstancesCapacity(ref.clusterName, capacity.providers);
  renderForManagedDaemon(
    options,
    rollout.apiKeys.get(ref.accountId),
    rollout.managedDaemon.family,
  );
  const current = currentManagedDaemon(
    details,
    rollout.managedDaemon.daemonName,
  );
  return {
    target: 'managed-daemon',
    options,
    serviceName: current?.daemon.daemonName ?? rollout.managedDaemon.daemonName,
    createdService: !current,
    oldTaskDefinitionArn: current?.daemon.taskDefinitionArn,
    daemonArn: current?.daemon.daemonArn,
  };
}

/**
 * The preview of a managed-daemon rollout: `warnings` are those of the key and the switch, the
 * rest comes from the snapshot. The family's latest daemon task definition is not in the snapshot:
 * the preview compares the rendering with the daemon's current one, and starting reads the latest.
 */
export function previewManagedDaemon(
  deps: DaemonPlannerConfig,
  ref: ClusterRef,
  request: RolloutRequest,
  details: Details,
  warnings: string[],
): RolloutPreview {
  const { config, redactor } = deps;
  const { rollout } = config;
  const { family } = rollout.managedDaemon;
  const { capacity, options, variantSource, ...more } = resolved(
    deps,
    request,
    details,
  );
  checkManagedInstancesCapacity(ref.clusterName, capacity.providers);
  warnings.push(...more.warnings);
  if (capacity.otherInstances.length > 0) {
    warnings.push(
      `${capacity.otherInstances.length} instance(s) of the cluster are not ECS Managed Instances: a managed daemon does not run there; roll them out with the target daemon-service`,
    );
  }
  const rendered = renderForManagedDaemon(
    options,
    rollout.apiKeys.get(ref.accountId),
    family,
  );
  const current = currentManagedDaemon(
    details,
    rollout.managedDaemon.daemonName,
  );
  const daemonName =
    current?.daemon.daemonName ?? rollout.managedDaemon.daemonName;
  const deleting = current?.daemon.status === 'DELETE_IN_PROGRESS';
  const target: DaemonTarget =
    current && !deleting
      ? {
          action: 'update',
          daemonName,
          daemonArn: current.daemon.daemonArn,
          currentTaskDefinitionArn: current.daemon.taskDefinitionArn,
        }
      : { action: 'create', daemonName, deleting };
  // The stored definition is redacted: compare it with the redacted rendering.
  const sameFamily = current?.taskDefinition?.family === family;
  const registerNeeded =
    !sameFamily ||
    isRegisterNeeded(redactor.value(rendered), current?.taskDefinition);
  const latestRevision = registerNeeded
    ? undefined
    : revisionOf(current?.daemon.taskDefinitionArn);
  warnings.push(
    `The preview compares with the daemon's current daemon task definition; the rollout reads the latest ACTIVE revision of ${family} before writing and registers only if it differs`,
  );
  const instancesAffected = capacity.managedInstances.map(i => ({
    instanceId: i.instanceId,
    containerInstanceArn: i.containerInstanceArn,
    state: i.state,
  }));
  const managed = options.managedDaemon!;
  const replacement = planManagedDaemonReplacement(
    instancesAffected.length,
    managed,
  );
  const preview: RolloutPreview = {
    cluster: {
      accountId: ref.accountId,
      region: ref.region,
      clusterName: ref.clusterName,
    },
    variant: options.variant,
    external: options.external,
    variantSource,
    warnings,
    taskDefinition: maskSecrets(rendered),
    diff: diffTaskDefinitions(current?.taskDefinition, rendered),
    registerNeeded,
    calls: planDaemonCalls({
      clusterName: ref.clusterName,
      family,
      registerNeeded,
      latestRevision,
      target,
      capacityProviders: capacity.providers,
      options: managed,
      replacement,
    }),
    instancesAffected,
    serviceName: daemonName,
    target: 'managed-daemon',
    managedDaemon: {
      daemonName,
      ...(target.daemonArn ? { daemonArn: target.daemonArn } : {}),
      action: target.action,
      capacityProviders: capacity.providers,
      options: managed,
      replacement,
    },
    image: imageOf(options),
    rolloutEnabled: rollout.enabled,
    basedOn: {
      snapshotTakenAt: details.refreshedAt,
      ageSeconds: Math.max(
        0,
        Math.round(
          (Date.now() - new Date(details.refreshedAt).getTime()) / 1000,
        ),
      ),
    },
  };
  if (latestRevision) preview.latestRevision = latestRevision;
  if (deleting) {
    const message = `${deletingWords(
      daemonName,
    )}: a rollout now is refused (409); once it is gone the rollout creates it again.`;
    warnings.push(message);
    preview.blocked = { reason: 'service-draining', message };
  }
  if (current?.taskDefinition && current.daemon.taskDefinitionArn) {
    preview.current = {
      serviceName: daemonName,
      revision:
        current.daemon.revision ??
        revisionOf(current.daemon.taskDefinitionArn)!,
      taskDefinitionArn: current.daemon.taskDefinitionArn,
      features: featuresFromTaskDefinition(
        current.taskDefinition,
        config.agentImageRepositories,
      ),
      daemonArn: current.daemon.daemonArn,
    };
  }
  return preview;
}
