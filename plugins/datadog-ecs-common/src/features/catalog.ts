import { apiKeyFeature } from './apiKey';
import { apmFeature } from './apm';
import { coreFeature } from './core';
import { dogstatsdFeature } from './dogstatsd';
import { ecsAnywhereFeature } from './ecsAnywhere';
import { fipsProxyFeature } from './fipsProxy';
import { healthCheckFeature } from './healthCheck';
import { imageFeature } from './image';
import { logsFeature } from './logs';
import { npmFeature } from './npm';
import { processFeature } from './process';
import { resourceTagsFeature } from './resourceTags';
import { siteFeature } from './site';
import { tagsFeature } from './tags';
import {
  DetectionInput,
  FeatureDetector,
  FeatureResult,
  Finding,
} from './types';

/**
 * Every Agent feature detector, in display order.
 *
 * @public
 */
export const agentFeatureCatalog: readonly FeatureDetector[] = [
  coreFeature,
  apiKeyFeature,
  siteFeature,
  imageFeature,
  tagsFeature,
  apmFeature,
  dogstatsdFeature,
  logsFeature,
  processFeature,
  npmFeature,
  resourceTagsFeature,
  healthCheckFeature,
  ecsAnywhereFeature,
  fipsProxyFeature,
];

/**
 * Runs every detector of the catalog over a task definition.
 *
 * @public
 */
export function detectAgentFeatures(input: DetectionInput): FeatureResult[] {
  return agentFeatureCatalog.map(detector => detector.detect(input));
}

/**
 * All findings of a detection run, most severe first.
 *
 * @public
 */
export function collectFindings(results: readonly FeatureResult[]): Finding[] {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return results
    .flatMap(r => r.findings)
    .sort((a, b) => rank[a.severity] - rank[b.severity]);
}
