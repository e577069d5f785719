import { EcsTaskDefinition } from '../ecsTypes';
import { AGENT_PATHS, FIPS_PROXY } from '../features/datadogDefaults';
import {
  agentContext,
  findMount,
  findPortMapping,
  isFalse,
  isTrue,
} from '../features/inspect';
import { ContainerInstanceInfo } from '../features/types';
import { AgentFeatureToggles, ResolvedRenderOptions } from './options';

/**
 * The feature toggles that best describe a running Agent definition, so the UI can pre-fill its form.
 * A feature that is meant to be on but misconfigured counts as on (re-rendering it fixes it).
 *
 * @public
 */
export function featuresFromTaskDefinition(
  taskDefinition: EcsTaskDefinition,
  extraAgentRepositories?: string[],
): AgentFeatureToggles {
  const ctx = agentContext({ taskDefinition, extraAgentRepositories });
  const off: AgentFeatureToggles = {
    apm: false,
    dogstatsd: false,
    logs: false,
    process: false,
    npm: false,
    resourceTags: false,
    healthCheck: false,
    fipsProxy: false,
    apmSocket: false,
  };
  if (!ctx) {
    return off;
  }
  const { agent, env } = ctx;
  return {
    apm:
      !isFalse(env('DD_APM_ENABLED')) &&
      (isTrue(env('DD_APM_ENABLED')) ||
        isTrue(env('DD_APM_NON_LOCAL_TRAFFIC')) ||
        !!findPortMapping(agent, 8126, 'tcp')),
    dogstatsd:
      isTrue(env('DD_DOGSTATSD_NON_LOCAL_TRAFFIC')) ||
      !!findPortMapping(agent, 8125, 'udp'),
    logs: isTrue(env('DD_LOGS_ENABLED')),
    process:
      isTrue(env('DD_PROCESS_AGENT_ENABLED')) ||
      isTrue(env('DD_PROCESS_CONFIG_PROCESS_COLLECTION_ENABLED')),
    npm:
      isTrue(env('DD_SYSTEM_PROBE_NETWORK_ENABLED')) ||
      isTrue(env('DD_SYSTEM_PROBE_ENABLED')),
    resourceTags: isTrue(env('DD_ECS_COLLECT_RESOURCE_TAGS_EC2')),
    healthCheck: (agent.healthCheck?.command ?? []).length > 0,
    fipsProxy:
      isTrue(env('DD_FIPS_ENABLED')) ||
      !!taskDefinition.containerDefinitions?.some(
        c => c.name === FIPS_PROXY.containerName,
      ),
    apmSocket: !!findMount(agent, AGENT_PATHS.socketDir),
  };
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
