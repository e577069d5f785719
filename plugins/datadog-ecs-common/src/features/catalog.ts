import { AgentFeatureRegistry } from './createRegistry';
import { agentFeatureRegistry } from './registry';
import {
  AgentFeatureId,
  DetectionInput,
  FeatureDetector,
  FeatureResult,
  Finding,
} from './types';

/**
 * Every Agent feature detector, in display order (the built-in registry's detectors).
 *
 * @public
 */
export const agentFeatureCatalog: readonly FeatureDetector[] =
  agentFeatureRegistry.detectors;

/**
 * Runs every detector of the catalog (or of another registry) over a task definition.
 *
 * @public
 */
export function detectAgentFeatures(
  input: DetectionInput,
): FeatureResult<AgentFeatureId>[];
/** @public */
export function detectAgentFeatures<F extends string>(
  input: DetectionInput,
  registry: AgentFeatureRegistry<string, F>,
): FeatureResult<F>[];
export function detectAgentFeatures(
  input: DetectionInput,
  registry: AgentFeatureRegistry = agentFeatureRegistry,
): FeatureResult<string>[] {
  return registry.detectors.map(detector => detector.detect(input));
}

/**
 * All findings of a detection run, most severe first.
 *
 * @public
 */
export function collectFindings<F extends string = AgentFeatureId>(
  results: readonly FeatureResult<F>[],
): Finding<F>[] {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return results
    .flatMap(r => r.findings)
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
}
