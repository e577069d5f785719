import { ConflictError } from '@backstage/errors';
import {
  AgentFeatureToggles,
  agentImageFor,
  ClusterDetails,
  ContainerInstanceInfo,
  EcsTaskDefinition,
  normalizeTaskDefinition,
  RenderOptions,
  renderAgentTaskDefinition,
  RolloutCall,
  RolloutOptions,
  RolloutRequest,
  variantFromInstances,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { isDeepStrictEqual } from 'node:util';
import { Service } from '../aws/EcsGateway';
import { RolloutApiKeyConfig } from '../config/config';
import { FEATURE_IDS } from './request';

/** The options a rollout renders, resolved from the request, the cluster and the config. */
export interface ResolvedRollout {
  options: RolloutOptions;
  variantSource: 'request' | 'instances';
  warnings: string[];
}

/**
 * The warning of a preview whose cluster has Linux EC2 instances of unknown Amazon Linux generation
 * (custom AMI, AMI not readable): which variant they get, assumed or chosen. Pure.
 */
export function generationUnknownWarning(
  unknown: number,
  variant: RolloutOptions['variant'],
  requested: boolean,
): string | undefined {
  if (unknown === 0 || variant === 'windows') return undefined;
  const what = `The Amazon Linux generation of ${unknown} instance(s) is unknown (custom AMI, or its AMI could not be read)`;
  if (!requested) {
    return `${what}: the Amazon Linux 2 / 2023 variant (cgroup /sys/fs/cgroup/) was assumed; choose the Amazon Linux 1 variant (cgroup /cgroup/) if they run Amazon Linux 1`;
  }
  return variant === 'amazon-linux-1'
    ? `${what}: the Amazon Linux 1 variant (cgroup /cgroup/) was chosen for them`
    : `${what}: the Amazon Linux 2 / 2023 variant (cgroup /sys/fs/cgroup/) was chosen for them`;
}

/** All features off, then those the request switched on. */
export function resolveFeatures(
  requested?: Partial<AgentFeatureToggles>,
): AgentFeatureToggles {
  const features = {} as AgentFeatureToggles;
  for (const id of FEATURE_IDS) features[id] = requested?.[id] ?? false;
  return features;
}

/**
 * Resolves what to render: the variant and ECS Anywhere flag from the cluster's instances unless the
 * request overrides them, the site and image tag from the config unless the request names others.
 * Pure.
 */
export function resolveRolloutOptions(
  request: RolloutRequest,
  cluster: Pick<ClusterDetails, 'instances'>,
  defaults: { site: string; imageTag: string },
): ResolvedRollout {
  const infos: ContainerInstanceInfo[] = cluster.instances.flatMap(i =>
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
  );
  const choice = variantFromInstances(infos);
  const warnings = choice.mixedReasons.map(
    reason =>
      `Mixed fleet: ${reason}; one task definition will not fit every instance`,
  );
  const overridden =
    request.variant !== undefined || request.external !== undefined;
  if (overridden && (request.variant ?? choice.variant) !== choice.variant) {
    warnings.push(
      `The variant ${request.variant} overrides '${choice.variant}', chosen from the cluster's instances`,
    );
  }
  if (infos.length === 0) {
    warnings.push(
      'The cluster has no container instances: the daemon will run on instances that join',
    );
  }
  const unknownGeneration = generationUnknownWarning(
    choice.generationUnknown,
    request.variant ?? choice.variant,
    request.variant !== undefined,
  );
  if (unknownGeneration) warnings.push(unknownGeneration);
  return {
    options: {
      variant: request.variant ?? choice.variant,
      external: request.external ?? choice.external,
      features: resolveFeatures(request.features),
      site: request.site ?? defaults.site,
      ...(request.tags?.length ? { tags: request.tags } : {}),
      imageTag: request.imageTag ?? defaults.imageTag,
    },
    variantSource: overridden ? 'request' : 'instances',
    warnings,
  };
}

/** The render options' API key for an account's key config; a placeholder when there is none (previews). */
export function apiKeySourceFor(
  key: RolloutApiKeyConfig | undefined,
): RenderOptions['apiKey'] {
  if (!key) return { source: 'placeholder' };
  return key.source === 'secretsManager'
    ? {
        source: 'secretsManager',
        secretArn: key.secretArn,
        executionRoleArn: key.executionRoleArn,
      }
    : { source: 'plaintext', value: key.plaintextApiKey };
}

/**
 * Renders the rollout's definition. Throws `RenderValidationError` (400 naming the rule). The result
 * may hold a plaintext key: mask it (`maskSecrets`) before it leaves the backend.
 */
export function renderForRollout(
  options: RolloutOptions,
  apiKey: RolloutApiKeyConfig | undefined,
  family: string,
): EcsTaskDefinition {
  return renderAgentTaskDefinition({
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

/** The image a rollout's options run. */
export const imageOf = (options: RolloutOptions) =>
  agentImageFor({ image: { tag: options.imageTag } });

const TASK_DEFINITION_ARN =
  /:(?:daemon-)?task-definition\/([A-Za-z0-9_-]+):(\d+)$/;

/** `family:revision` of a task-definition (or daemon task definition) ARN, or the input when it is not one. */
export function revisionOf(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const m = TASK_DEFINITION_ARN.exec(arn);
  return m ? `${m[1]}:${m[2]}` : arn;
}

/** The latest revision of exactly `family` among ListTaskDefinitions' ARNs (a prefix matches more). */
export function latestRevisionArn(
  arns: string[],
  family: string,
): string | undefined {
  let best: { arn: string; revision: number } | undefined;
  for (const arn of arns) {
    const m = TASK_DEFINITION_ARN.exec(arn);
    if (!m || m[1] !== family) continue;
    const revision = Number(m[2]);
    if (!best || revision > best.revision) best = { arn, revision };
  }
  return best?.arn;
}

/**
 * Whether the rendered definition must be registered: true unless the family's latest revision is
 * the same definition once both are normalized (ECS's read-only fields and defaults removed, arrays
 * whose order ECS ignores sorted).
 */
export function isRegisterNeeded(
  rendered: EcsTaskDefinition,
  latest: EcsTaskDefinition | undefined,
): boolean {
  if (!latest) return true;
  const { tags: _a, ...renderedBody } = rendered as EcsTaskDefinition & {
    tags?: unknown;
  };
  const { tags: _b, ...latestBody } = latest as EcsTaskDefinition & {
    tags?: unknown;
  };
  return !isDeepStrictEqual(
    normalizeTaskDefinition(renderedBody),
    normalizeTaskDefinition(latestBody),
  );
}

/** Whether the rollout creates the daemon service or updates it. */
export interface ServiceTarget {
  action: 'create' | 'update';
  serviceName: string;
  /** The service's current (PRIMARY) task definition, for an update. */
  currentTaskDefinitionArn?: string;
  serviceArn?: string;
  /**
   * A service of that name is DRAINING (deleted, its tasks still stopping): ECS cannot create it
   * again until it is INACTIVE, so the create must wait.
   */
  draining?: boolean;
}

/** Why a rollout to a DRAINING service waits (or is refused), in words. */
export const drainingWords = (serviceName: string) =>
  `The service ${serviceName} is DRAINING (deleted, its tasks still stopping): ECS cannot create a service of that name again until it is INACTIVE`;

/**
 * Decides between CreateService and UpdateService from the service ECS describes (`undefined` when
 * it does not exist). An INACTIVE service is created again, a DRAINING one too once it is INACTIVE
 * (`draining`); a REPLICA service of that name is refused: ECS cannot change a service's scheduling
 * strategy.
 */
export function serviceTarget(
  serviceName: string,
  service: Service | undefined,
): ServiceTarget {
  if (!service || service.status === 'INACTIVE') {
    return { action: 'create', serviceName };
  }
  if (service.status === 'DRAINING') {
    return { action: 'create', serviceName, draining: true };
  }
  if (service.schedulingStrategy && service.schedulingStrategy !== 'DAEMON') {
    throw new ConflictError(
      `The service ${serviceName} runs with the ${service.schedulingStrategy} scheduling strategy; ECS cannot turn it into a DAEMON service. Delete it, or set datadogEcs.rollout.serviceName to another name`,
    );
  }
  const primary = service.deployments?.find(d => d.status === 'PRIMARY');
  return {
    action: 'update',
    serviceName,
    serviceArn: service.serviceArn,
    currentTaskDefinitionArn: primary?.taskDefinition ?? service.taskDefinition,
  };
}

/** The ECS write calls, in words, for a preview. Pure. */
export function planCalls(input: {
  clusterName: string;
  family: string;
  registerNeeded: boolean;
  latestRevision?: string;
  target: ServiceTarget;
  external: boolean;
}): RolloutCall[] {
  const calls: RolloutCall[] = [];
  const next = input.registerNeeded
    ? `${input.family}:<next revision>`
    : input.latestRevision!;
  if (input.registerNeeded) {
    calls.push({
      operation: 'RegisterTaskDefinition',
      summary: input.latestRevision
        ? `Register a new revision of ${input.family} (the latest, ${input.latestRevision}, differs)`
        : `Register the first revision of ${input.family}`,
    });
  }
  if (input.target.action === 'create') {
    calls.push({
      operation: 'CreateService',
      summary: `Create the DAEMON service ${input.target.serviceName} on ${
        input.clusterName
      } (launch type ${
        input.external ? 'EXTERNAL' : 'EC2'
      }) running ${next}, with the deployment circuit breaker (rollback on failure)${
        input.target.draining
          ? `, once the DRAINING service of that name is INACTIVE`
          : ''
      }`,
    });
  } else {
    const current = revisionOf(input.target.currentTaskDefinitionArn);
    const same =
      !input.registerNeeded &&
      revisionOf(input.target.currentTaskDefinitionArn) === input.latestRevision;
    calls.push({
      operation: 'UpdateService',
      summary: `Update ${input.target.serviceName} from ${
        current ?? 'its current revision'
      } to ${next}${input.registerNeeded ? '' : ' (forceNewDeployment)'}${
        same ? ': the same revision, redeployed' : ''
      }, with the deployment circuit breaker (rollback on failure)`,
    });
  }
  return calls;
}

/** The current Agent daemon of a cluster as the snapshot saw it. */
export function currentDaemon(
  cluster: Pick<ClusterDetails, 'agentServices' | 'taskDefinitions'>,
  serviceName: string,
) {
  const daemons = cluster.agentServices.filter(
    s => s.schedulingStrategy === 'DAEMON',
  );
  const service =
    daemons.find(s => s.serviceName === serviceName) ??
    (daemons.length === 1 ? daemons[0] : undefined);
  if (!service) return undefined;
  const taskDefinition = cluster.taskDefinitions.find(
    td => td.taskDefinitionArn === service.taskDefinitionArn,
  );
  return { service, taskDefinition };
}
