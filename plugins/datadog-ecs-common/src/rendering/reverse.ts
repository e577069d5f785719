import { EcsTaskDefinition } from '../ecsTypes';
import { AgentFeatureRegistry } from '../features/createRegistry';
import { agentContext } from '../features/inspect';
import { agentFeatureRegistry } from '../features/registry';
import { AgentFeatureToggles } from '../features/toggles';
import { ContainerInstanceInfo, DetectionInput } from '../features/types';
import { RenderTarget, ResolvedRenderOptions } from './options';

/**
 * The feature toggles that best describe a running Agent definition, so the UI can pre-fill its form:
 * each toggle's own reading of the definition (see `FeatureToggle.isOn`), all off without an Agent.
 * A feature that is meant to be on but misconfigured counts as on (re-rendering it fixes it). A
 * definition whose Agent says it runs on ECS Managed Instances (`ECS_MANAGED_INSTANCES=true`) is read
 * as {@link (featuresFromDaemonTaskDefinition:1) | featuresFromDaemonTaskDefinition} reads it.
 *
 * @public
 */
export function featuresFromTaskDefinition(
  taskDefinition: EcsTaskDefinition,
  extraAgentRepositories?: string[],
): AgentFeatureToggles;
/** @public */
export function featuresFromTaskDefinition<T extends string>(
  taskDefinition: EcsTaskDefinition,
  extraAgentRepositories: string[] | undefined,
  registry: AgentFeatureRegistry<T>,
): Record<T, boolean>;
export function featuresFromTaskDefinition(
  taskDefinition: EcsTaskDefinition,
  extraAgentRepositories?: string[],
  registry: AgentFeatureRegistry = agentFeatureRegistry,
): Record<string, boolean> {
  return featuresFrom({ taskDefinition, extraAgentRepositories }, registry);
}

/**
 * The feature toggles of a managed daemon's definition (`DescribeDaemonTaskDefinition`), for a
 * rollout to ECS Managed Instances: as
 * {@link (featuresFromTaskDefinition:1) | featuresFromTaskDefinition}, but the toggles refused on
 * Managed Instances (`notOnManagedInstances`: APM and DogStatsD over host ports, logs, NPM, the FIPS
 * proxy) are off, whatever the definition sets, so the form starts from options the renderer takes.
 *
 * @public
 */
export function featuresFromDaemonTaskDefinition(
  taskDefinition: EcsTaskDefinition,
  extraAgentRepositories?: string[],
): AgentFeatureToggles;
/** @public */
export function featuresFromDaemonTaskDefinition<T extends string>(
  taskDefinition: EcsTaskDefinition,
  extraAgentRepositories: string[] | undefined,
  registry: AgentFeatureRegistry<T>,
): Record<T, boolean>;
export function featuresFromDaemonTaskDefinition(
  taskDefinition: EcsTaskDefinition,
  extraAgentRepositories?: string[],
  registry: AgentFeatureRegistry = agentFeatureRegistry,
): Record<string, boolean> {
  return featuresFrom(
    { taskDefinition, extraAgentRepositories, managedDaemon: true },
    registry,
  );
}

function featuresFrom(
  input: DetectionInput,
  registry: AgentFeatureRegistry,
): Record<string, boolean> {
  const ctx = agentContext(input);
  return Object.fromEntries(
    registry.toggles.map(({ id, toggle }) => [
      id,
      !!ctx &&
        !(ctx.managedInstances && toggle.constraints?.notOnManagedInstances) &&
        toggle.isOn(ctx),
    ]),
  );
}

/**
 * The render target a definition is for: `managed-daemon` when it is a managed daemon's definition
 * (`managedDaemon`) or, when not told, its Agent sets `ECS_MANAGED_INSTANCES=true`; else
 * `daemon-service`.
 *
 * @public
 */
export function renderTargetOf(
  taskDefinition: EcsTaskDefinition,
  options: { managedDaemon?: boolean; extraAgentRepositories?: string[] } = {},
): RenderTarget {
  const ctx = agentContext({ taskDefinition, ...options });
  return ctx?.managedInstances ?? options.managedDaemon
    ? 'managed-daemon'
    : 'daemon-service';
}

/**
 * The variant to render for a cluster's container instances.
 *
 * @public
 */
export interface VariantChoice {
  variant: ResolvedRenderOptions['variant'];
  external: boolean;
  /** True when the fleet mixes OS families, Amazon Linux 1 with later generations, or EC2 with EXTERNAL. */
  mixedFleet: boolean;
  /** Plain-English reasons the fleet is mixed (one definition will not fit every instance). */
  mixedReasons: string[];
  /**
   * Linux EC2 instances whose Amazon Linux generation is unknown (`amazonLinuxGenerationSource`
   * `unknown`: custom AMI, AMI not readable). The choice counts them as the generation assumed
   * (`unknownGeneration`, Amazon Linux 2 by default): a UI should ask, a preview warn.
   */
  generationUnknown: number;
}

/**
 * Options of {@link variantFromInstances}.
 *
 * @public
 */
export interface VariantFromInstancesOptions {
  /**
   * The generation to assume for instances whose generation is unknown (e.g. what the user answered).
   * Default 2: the Linux variant (cgroups at /sys/fs/cgroup/, as on Amazon Linux 2 and 2023). Amazon
   * Linux 1 is chosen only from an AMI or attribute that says so, or from this answer.
   */
  unknownGeneration?: 1 | 2 | 2023;
}

/**
 * Chooses the variant and ECS Anywhere flag from the instances by majority, flagging mixed fleets.
 * With no instances it answers the default: Linux on EC2.
 *
 * @public
 */
export function variantFromInstances(
  instances: readonly ContainerInstanceInfo[],
  options: VariantFromInstancesOptions = {},
): VariantChoice {
  const isUnknown = (i: ContainerInstanceInfo) =>
    i.os === 'linux' &&
    !i.external &&
    i.amazonLinuxGenerationSource === 'unknown';
  const generationOf = (i: ContainerInstanceInfo) =>
    isUnknown(i) ? options.unknownGeneration ?? 2 : i.amazonLinuxGeneration;
  const windows = instances.filter(i => i.os === 'windows').length;
  const linux = instances.length - windows;
  const al1 = instances.filter(
    i => i.os === 'linux' && generationOf(i) === 1,
  ).length;
  const external = instances.filter(i => i.external).length;

  let variant: VariantChoice['variant'] = 'linux';
  if (windows > linux) {
    variant = 'windows';
  } else if (al1 * 2 > linux) {
    variant = 'amazon-linux-1';
  }
  const mixedReasons: string[] = [];
  if (windows > 0 && linux > 0) {
    mixedReasons.push(`${linux} Linux and ${windows} Windows instances`);
  }
  if (al1 > 0 && linux - al1 > 0) {
    mixedReasons.push(
      `${al1} Amazon Linux 1 and ${
        linux - al1
      } other Linux instances (different cgroup paths)`,
    );
  }
  if (external > 0 && external < instances.length) {
    mixedReasons.push(
      `${
        instances.length - external
      } EC2 and ${external} ECS Anywhere (EXTERNAL) instances`,
    );
  }
  return {
    variant,
    external: external * 2 > instances.length,
    mixedFleet: mixedReasons.length > 0,
    mixedReasons,
    generationUnknown: instances.filter(isUnknown).length,
  };
}
