export {
  apiKeySourceSchema,
  renderOptionsSchema,
  renderOptionsSchemaFor,
  RenderValidationError,
  checkRenderRules,
  resolveRenderOptions,
  agentImageFor,
  RENDER_TARGETS,
} from './options';
export type {
  RenderOptions,
  RenderOptionsWith,
  ResolvedRenderOptions,
  ResolvedRenderOptionsWith,
  RenderRuleId,
  RenderRuleViolation,
  RenderTarget,
} from './options';
export type { ManagedDaemonRuleId } from './managedDaemonRules';
export {
  renderAgentTaskDefinition,
  renderManagedDaemonTaskDefinition,
} from './render';
export { normalizeTaskDefinition } from './normalize';
export { diffTaskDefinitions, maskSecrets } from './diff';
export type { TaskDefinitionChange } from './diff';
export {
  featuresFromTaskDefinition,
  featuresFromDaemonTaskDefinition,
  renderTargetOf,
  variantFromInstances,
} from './reverse';
export type { VariantChoice, VariantFromInstancesOptions } from './reverse';
