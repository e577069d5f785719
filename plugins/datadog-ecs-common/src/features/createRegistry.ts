import {
  AgentFeatureModule,
  ChipIdOf,
  DetectorIdOf,
  FeatureToggle,
  ToggleIdOf,
} from './module';
import { FeatureDetector } from './types';

/**
 * A module with a toggle.
 *
 * @public
 */
export type ToggleFeatureModule<Id extends string = string> =
  AgentFeatureModule<Id> & { toggle: FeatureToggle };

/**
 * A list of feature modules, with what each consumer derives from it. The built-in one is
 * `agentFeatureRegistry`; tests build their own with {@link createFeatureRegistry}.
 *
 * @public
 */
export interface AgentFeatureRegistry<
  ToggleId extends string = string,
  FeatureId extends string = string,
  ChipId extends FeatureId = FeatureId,
> {
  /** Every module, in display order (also the order overlays and detectors run). */
  readonly modules: readonly AgentFeatureModule[];
  /** The modules' detectors, in order. */
  readonly detectors: readonly FeatureDetector<FeatureId>[];
  /** The modules with a toggle, in order. */
  readonly toggles: readonly ToggleFeatureModule<ToggleId>[];
  /** The toggles' ids (the keys of the render options' `features`). */
  readonly toggleIds: readonly ToggleId[];
  /** The features shown as chips on cluster cards, in order. */
  readonly chipIds: readonly ChipId[];
}

/**
 * Builds a registry from feature modules, checking that ids are unique, each detector carries its
 * module's id, chips have a detector and required features exist.
 *
 * @public
 */
export function createFeatureRegistry<
  const M extends readonly AgentFeatureModule[],
>(
  modules: M,
): AgentFeatureRegistry<
  ToggleIdOf<M[number]>,
  DetectorIdOf<M[number]>,
  ChipIdOf<M[number]> & DetectorIdOf<M[number]>
> {
  const ids = new Set<string>();
  for (const m of modules) {
    if (ids.has(m.id)) {
      throw new Error(`Feature "${m.id}" is registered twice`);
    }
    ids.add(m.id);
    if (m.detector && m.detector.id !== m.id) {
      throw new Error(
        `Feature "${m.id}" has the detector of "${m.detector.id}"`,
      );
    }
    if (m.chip && !m.detector) {
      throw new Error(`Feature "${m.id}" is a chip without a detector`);
    }
  }
  const toggles = modules.filter(
    (m): m is typeof m & { toggle: FeatureToggle } => !!m.toggle,
  );
  const toggleIds = new Set(toggles.map(m => m.id));
  for (const m of toggles) {
    for (const required of m.toggle.constraints?.requiresFeatures?.features ??
      []) {
      if (!toggleIds.has(required)) {
        throw new Error(
          `Feature "${m.id}" requires "${required}", which has no toggle`,
        );
      }
    }
  }
  type T = ToggleIdOf<M[number]>;
  type F = DetectorIdOf<M[number]>;
  return Object.freeze({
    modules: Object.freeze([...modules]),
    detectors: Object.freeze(
      modules.flatMap(m => (m.detector ? [m.detector] : [])),
    ) as readonly FeatureDetector<F>[],
    toggles: Object.freeze(toggles) as readonly ToggleFeatureModule<T>[],
    toggleIds: Object.freeze(toggles.map(m => m.id)) as readonly T[],
    chipIds: Object.freeze(
      modules.filter(m => m.chip).map(m => m.id),
    ) as readonly (ChipIdOf<M[number]> & F)[],
  });
}
