/*
 * The contract of one Agent feature module, modelled on the Datadog Operator's
 * `internal/controller/datadogagent/feature/<name>/`: everything about a feature lives in its folder
 * (`features/<feature>/`) and the registry (`features/registry.ts`) lists the modules. The renderer,
 * the detectors, the toggle list and its request schema, the cluster chips and the dialog's toggles
 * all derive from the registry.
 *
 * These types deliberately do not refer to the types derived from the registry (`AgentFeatureId`,
 * `AgentFeatureToggles`, `RenderOptions`), so a module can be type-checked before the registry exists.
 */
import { EcsContainerDefinition } from '../ecsTypes';
import type { RenderRuleId } from '../rendering/options';
import { AgentVersion } from './agentImage';
import { DatadogSite } from './datadogDefaults';
import { AgentContext } from './inspect';
import { FeatureDetector } from './types';

/**
 * The render options a feature's overlay and rules may read.
 *
 * @public
 */
export interface FeatureRenderOptions {
  /**
   * What the definition is for: the task definition of a DAEMON service (EC2 and ECS Anywhere
   * instances), or the daemon task definition of an ECS Managed Daemon (Managed Instances).
   */
  target: 'daemon-service' | 'managed-daemon';
  variant: 'linux' | 'amazon-linux-1' | 'windows';
  /** ECS Anywhere (EXTERNAL) instances. */
  external: boolean;
  site: string;
  image?: { repository?: string; tag: string };
  fipsProxyImageTag?: string;
}

/**
 * What an overlay can add to the rendered Agent task definition, in the order overlays run (the
 * registry's order).
 *
 * @public
 */
export interface OverlayContext {
  readonly options: FeatureRenderOptions;
  readonly windows: boolean;
  /**
   * A daemon task definition for ECS Managed Daemons: no port mappings (the renderer refuses an
   * overlay that adds one) and no `requiresCompatibilities` (dropped: daemons run on Managed
   * Instances only).
   */
  readonly managedDaemon: boolean;
  /** An environment variable of the Agent container. */
  env(name: string, value: string): void;
  /** A host port mapping of the Agent container (host port = container port). */
  port(port: number, protocol: 'tcp' | 'udp'): void;
  /**
   * A host volume mounted into the Agent container. `readOnly` is left out unless given: the
   * published base files write `readOnly: null`, which ECS treats as absent (read-write).
   */
  bind(
    volume: string,
    hostPath: string,
    containerPath: string,
    readOnly?: boolean,
  ): void;
  /** Other fields of the Agent container (`linuxParameters`, `healthCheck`, …). */
  agent(fields: Partial<EcsContainerDefinition>): void;
  /** A container next to the Agent. */
  sidecar(container: EcsContainerDefinition): void;
  /**
   * A task-level `requiresCompatibilities` entry (before the base's `EXTERNAL`); ignored for a
   * managed daemon, whose definition has none.
   */
  requireCompatibility(compatibility: string): void;
}

/**
 * A rule of the guide a toggle is subject to: the id a refused rendering names, and its message.
 *
 * @public
 */
export interface FeatureRule {
  rule: RenderRuleId;
  message: string | ((options: FeatureRenderOptions) => string);
}

/**
 * Where a toggle may be switched on. The renderer refuses the others with the rule's id
 * (`RenderValidationError`), checking every toggle's platform rules (Linux only, not on ECS Anywhere,
 * not on Managed Instances, site, other features) before any minimum Agent version.
 *
 * @public
 */
export interface FeatureToggleConstraints {
  /** Refused for the Windows variant. */
  linuxOnly?: FeatureRule;
  /** Refused for ECS Anywhere (EXTERNAL) instances. */
  notOnEcsAnywhere?: FeatureRule;
  /**
   * Refused for ECS Managed Instances (the `managed-daemon` target): what the Managed Instances
   * setup does not document or a daemon task definition cannot hold (host port mappings).
   */
  notOnManagedInstances?: FeatureRule;
  /** Refused unless the Agent reports to this site. */
  requiresSite?: FeatureRule & { site: DatadogSite };
  /** Refused unless these toggles are on too. */
  requiresFeatures?: FeatureRule & { features: readonly string[] };
  /** Refused when the image tag pins an older Agent (per major line, as `isAgentVersionAtLeast`). */
  minimumAgentVersion?: FeatureRule & { versions: readonly AgentVersion[] };
}

/**
 * A feature the renderer can switch on: the words the dialog shows, the guide's rules, what it adds
 * to the rendered definition and how to read it back from a running one.
 *
 * @public
 */
export interface FeatureToggle {
  /** The dialog's label. */
  label: string;
  /** One line under the label: what switching it on adds. */
  help: string;
  /** Part of the guide's defaults for a cluster without an Agent. */
  defaultOn?: boolean;
  constraints?: FeatureToggleConstraints;
  /** Adds the feature to the rendered definition; called only when the toggle is on. */
  render(ctx: OverlayContext): void;
  /**
   * Whether a running Agent definition has the feature on, so the form can be pre-filled. A feature
   * that is meant to be on but misconfigured counts as on (re-rendering it fixes it).
   */
  isOn(ctx: AgentContext): boolean;
}

/**
 * One Agent feature: its detector (findings with the guide's remedies), its toggle, or both.
 *
 * @public
 */
export interface AgentFeatureModule<Id extends string = string> {
  id: Id;
  /** Detection and findings; its id must be the module's id. */
  detector?: FeatureDetector<Id>;
  /** Absent for detect-only features (site, tags, image, API key, ECS Anywhere, …). */
  toggle?: FeatureToggle;
  /** Shown as a chip on cluster cards (needs a detector). */
  chip?: boolean;
}

/**
 * The ids of the modules with a toggle.
 *
 * @public
 */
export type ToggleIdOf<M> = M extends {
  readonly id: infer I extends string;
  readonly toggle: FeatureToggle;
}
  ? I
  : never;

/**
 * The ids of the modules with a detector.
 *
 * @public
 */
export type DetectorIdOf<M> = M extends {
  readonly id: infer I extends string;
  readonly detector: object;
}
  ? I
  : never;

/**
 * The ids of the modules shown as chips.
 *
 * @public
 */
export type ChipIdOf<M> = M extends {
  readonly id: infer I extends string;
  readonly detector: object;
  readonly chip: true;
}
  ? I
  : never;

/**
 * Declares a feature module, keeping its id (and whether it has a toggle, detector or chip) in its type
 * so the registry's derived types (`AgentFeatureId`, `AgentFeatureToggles`) know it.
 *
 * @public
 */
export function defineFeature<const M extends AgentFeatureModule<string>>(
  module: M & AgentFeatureModule<M['id']>,
): M {
  return module;
}
