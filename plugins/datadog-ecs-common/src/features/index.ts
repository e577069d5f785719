export * from './types';
export * from './datadogDefaults';
export {
  parseImageReference,
  isAgentImage,
  findAgentContainer,
  parseAgentVersion,
  compareAgentVersions,
  isAgentVersionAtLeast,
  formatAgentVersion,
  AGENT_MINIMUM_VERSIONS,
} from './agentImage';
export type { ImageReference, AgentVersion } from './agentImage';
export { defineFeature } from './module';
export type {
  AgentFeatureModule,
  FeatureToggle,
  FeatureToggleConstraints,
  FeatureRule,
  FeatureRenderOptions,
  OverlayContext,
  ToggleIdOf,
  DetectorIdOf,
  ChipIdOf,
} from './module';
export type { AgentContext } from './inspect';
export { createFeatureRegistry } from './createRegistry';
export type {
  AgentFeatureRegistry,
  ToggleFeatureModule,
} from './createRegistry';
export {
  BUILTIN_FEATURES,
  agentFeatureRegistry,
  FEATURE_TOGGLE_IDS,
  CHIP_FEATURE_IDS,
} from './registry';
export type { AgentFeatureToggleId } from './registry';
export {
  featureToggleMetadata,
  defaultFeatureToggles,
  featureTogglesSchema,
  featureTogglesRequestSchema,
  agentFeatureTogglesSchema,
} from './toggles';
export type { FeatureToggleMetadata, AgentFeatureToggles } from './toggles';
export { coreFeature } from './core';
export { apmFeature } from './apm';
export { dogstatsdFeature } from './dogstatsd';
export { logsFeature } from './logs';
export { processFeature } from './process';
export { npmFeature } from './npm';
export { resourceTagsFeature } from './resourceTags';
export { healthCheckFeature } from './healthCheck';
export { ecsAnywhereFeature } from './ecsAnywhere';
export { managedInstancesFeature } from './managedInstances';
export { fipsProxyFeature } from './fipsProxy';
export { siteFeature } from './site';
export { tagsFeature } from './tags';
export { apiKeyFeature, isApiKeyPlaceholder } from './apiKey';
export { imageFeature } from './image';
export {
  agentFeatureCatalog,
  detectAgentFeatures,
  collectFindings,
} from './catalog';
export {
  multipleAgentDaemonsFinding,
  agentNotDaemonFinding,
  agentStandaloneTasksFinding,
  agentHealthUnknownFinding,
  amiUnreadableFinding,
  amazonLinuxGenerationUnknownFinding,
  managedDaemonsNotInventoriedFinding,
  managedDaemonsUnreadableFinding,
} from './clusterFindings';
export { detectApplicationFindings } from './applicationFindings';
export type { ApplicationAgentFeatures } from './applicationFindings';
