export {
  apiKeySourceSchema,
  renderOptionsSchema,
  renderOptionsSchemaFor,
  RenderValidationError,
  checkRenderRules,
  resolveRenderOptions,
  agentImageFor,
} from './options';
export type {
  RenderOptions,
  RenderOptionsWith,
  ResolvedRenderOptions,
  ResolvedRenderOptionsWith,
  RenderRuleId,
  RenderRuleViolation,
} from './options';
export { renderAgentTaskDefinition } from './render';
export { normalizeTaskDefinition } from './normalize';
export { diffTaskDefinitions, maskSecrets } from './diff';
export type { TaskDefinitionChange } from './diff';
export { featuresFromTaskDefinition, variantFromInstances } from './reverse';
export type { VariantChoice } from './reverse';
