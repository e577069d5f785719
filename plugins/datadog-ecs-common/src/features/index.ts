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
export { coreFeature } from './core';
export { apmFeature } from './apm';
export { dogstatsdFeature } from './dogstatsd';
export { logsFeature } from './logs';
export { processFeature } from './process';
export { npmFeature } from './npm';
export { resourceTagsFeature } from './resourceTags';
export { healthCheckFeature } from './healthCheck';
export { ecsAnywhereFeature } from './ecsAnywhere';
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
} from './clusterFindings';
export { detectApplicationFindings } from './applicationFindings';
export type { ApplicationAgentFeatures } from './applicationFindings';
