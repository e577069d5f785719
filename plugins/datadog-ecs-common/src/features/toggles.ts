import { z } from 'zod';
import { formatAgentVersion } from './agentImage';
import { AgentFeatureRegistry } from './createRegistry';
import { DatadogSite } from './datadogDefaults';
import { FeatureRule, FeatureRenderOptions } from './module';
import { agentFeatureRegistry } from './registry';

/**
 * What the dialog (and anyone listing toggles) shows about one toggle.
 *
 * @public
 */
export interface FeatureToggleMetadata<Id extends string = string> {
  id: Id;
  label: string;
  help: string;
  /** Part of the guide's defaults for a cluster without an Agent. */
  defaultOn: boolean;
  /** Refused on Windows. */
  linuxOnly: boolean;
  /** Refused on ECS Anywhere (EXTERNAL) instances. */
  notOnEcsAnywhere: boolean;
  /**
   * Refused on ECS Managed Instances (a managed daemon): the dialog hides or disables it there, and
   * `notOnManagedInstancesReason` says why.
   */
  notOnManagedInstances: boolean;
  /** Why it does not apply on Managed Instances (the rule's message), when it does not. */
  notOnManagedInstancesReason?: string;
  /** Only for this Datadog site. */
  requiresSite?: DatadogSite;
  /** Other toggles it needs. */
  requiresFeatures: string[];
  /** E.g. `6.17+ or 7.17+`. */
  minimumAgentVersion?: string;
}

/** A rule's message when it is a fixed text (a message built from the options has none to show). */
const ruleText = (rule: FeatureRule | undefined): string | undefined =>
  typeof rule?.message === 'string' ? rule.message : undefined;

/**
 * The toggles of a registry, in display order, with their words and constraints.
 *
 * @public
 */
export function featureToggleMetadata<T extends string>(
  registry: AgentFeatureRegistry<T>,
): FeatureToggleMetadata<T>[] {
  return registry.toggles.map(({ id, toggle }) => {
    const c = toggle.constraints ?? {};
    return {
      id,
      label: toggle.label,
      help: toggle.help,
      defaultOn: !!toggle.defaultOn,
      linuxOnly: !!c.linuxOnly,
      notOnEcsAnywhere: !!c.notOnEcsAnywhere,
      notOnManagedInstances: !!c.notOnManagedInstances,
      notOnManagedInstancesReason: ruleText(c.notOnManagedInstances),
      requiresSite: c.requiresSite?.site,
      requiresFeatures: [...(c.requiresFeatures?.features ?? [])],
      minimumAgentVersion: c.minimumAgentVersion?.versions
        .map(v => `${formatAgentVersion(v).replace(/\.0$/, '')}+`)
        .join(' or '),
    };
  });
}

/**
 * The guide's defaults for a cluster without an Agent (APM, DogStatsD, logs and the health check for
 * the built-in registry): every toggle, on when its module says `defaultOn`. For the `managed-daemon`
 * target the toggles refused on Managed Instances are off (the health check stays on).
 *
 * @public
 */
export function defaultFeatureToggles<T extends string>(
  registry: AgentFeatureRegistry<T>,
  options: { target?: FeatureRenderOptions['target'] } = {},
): Record<T, boolean> {
  const managedDaemon = options.target === 'managed-daemon';
  return Object.fromEntries(
    registry.toggles.map(m => [
      m.id,
      !!m.toggle.defaultOn &&
        !(managedDaemon && m.toggle.constraints?.notOnManagedInstances),
    ]),
  ) as Record<T, boolean>;
}

/**
 * The render options' `features`: one boolean per toggle, off unless given. Unknown keys are dropped.
 *
 * @public
 */
export function featureTogglesSchema<T extends string>(
  registry: AgentFeatureRegistry<T>,
) {
  return z.object(
    Object.fromEntries(
      registry.toggleIds.map(id => [id, z.boolean().default(false)]),
    ) as Record<T, z.ZodDefault<z.ZodBoolean>>,
  );
}

/**
 * A request's `features` (rollout previews and starts): optional booleans, unknown keys refused.
 *
 * @public
 */
export function featureTogglesRequestSchema<T extends string>(
  registry: AgentFeatureRegistry<T>,
) {
  return z
    .object(
      Object.fromEntries(
        registry.toggleIds.map(id => [id, z.boolean().optional()]),
      ) as Record<T, z.ZodOptional<z.ZodBoolean>>,
    )
    .strict();
}

/**
 * The optional Agent features a rendered definition can switch on (the built-in registry's toggles).
 *
 * @public
 */
export const agentFeatureTogglesSchema =
  featureTogglesSchema(agentFeatureRegistry);

/**
 * Every feature toggle, resolved (as `featuresFromTaskDefinition` returns them).
 *
 * @public
 */
export type AgentFeatureToggles = z.output<typeof agentFeatureTogglesSchema>;
