export {
  agentFeatureTogglesSchema,
  apiKeySourceSchema,
  renderOptionsSchema,
  RenderValidationError,
  checkRenderRules,
  resolveRenderOptions,
  agentImageFor,
} from './options';
export type {
  AgentFeatureToggles,
  RenderOptions,
  ResolvedRenderOptions,
  RenderRuleId,
  RenderRuleViolation,
} from './options';
export { renderAgentTaskDefinition } from './render';
export { normalizeTaskDefinition } from './normalize';
export { diffTaskDefinitions, maskSecrets } from './diff';
export type { TaskDefinitionChange } from './diff';
export { featuresFromTaskDefinition, variantFromInstances } from './reverse';
export type { VariantChoice } from './reverse';
