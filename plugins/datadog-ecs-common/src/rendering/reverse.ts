import { EcsTaskDefinition } from '../ecsTypes';
import { AgentFeatureRegistry } from '../features/createRegistry';
import { agentContext } from '../features/inspect';
import { agentFeatureRegistry } from '../features/registry';
import { AgentFeatureToggles } from '../features/toggles';
import { ContainerInstanceInfo } from '../features/types';
import { ResolvedRenderOptions } from './options';

/**
 * The feature toggles that best describe a running Agent definition, so the UI can pre-fill its form:
 * each toggle's own reading of the definition (see `FeatureToggle.isOn`), all off without an Agent.
 * A feature that is meant to be on but misconfigured counts as on (re-rendering it fixes it).
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
  const ctx = agentContext({ taskDefinition, extraAgentRepositories });
  return Object.fromEntries(
    registry.toggles.map(({ id, toggle }) => [
      id,
      ctx ? toggle.isOn(ctx) : false,
    ]),
  );
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
}

/**
 * Chooses the variant and ECS Anywhere flag from the instances by majority, flagging mixed fleets.
 * With no instances it answers the default: Linux on EC2.
 *
 * @public
 */
export function variantFromInstances(
  instances: readonly ContainerInstanceInfo[],
): VariantChoice {
  const windows = instances.filter(i => i.os === 'windows').length;
  const linux = instances.length - windows;
  const al1 = instances.filter(
    i => i.os === 'linux' && i.amazonLinuxGeneration === 1,
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
  };
}
