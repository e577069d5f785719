/*
 * THE list of Agent features. Adding a feature is one folder (`features/<feature>/`, see
 * `module.ts`) and one line here; the detectors, the renderer, the toggles (their request schema and
 * the dialog's list) and the cluster chips all derive from this list, in its order.
 */
import { apiKeyModule } from './apiKey';
import { apmModule } from './apm';
import { apmSocketModule } from './apmSocket';
import { coreModule } from './core';
import { createFeatureRegistry } from './createRegistry';
import { dogstatsdModule } from './dogstatsd';
import { ecsAnywhereModule } from './ecsAnywhere';
import { fipsProxyModule } from './fipsProxy';
import { healthCheckModule } from './healthCheck';
import { imageModule } from './image';
import { logsModule } from './logs';
import { managedInstancesModule } from './managedInstances';
import { npmModule } from './npm';
import { processModule } from './process';
import { resourceTagsModule } from './resourceTags';
import { siteModule } from './site';
import { tagsModule } from './tags';

/**
 * The built-in feature modules, in display order. Tests add their own with
 * `createFeatureRegistry([...BUILTIN_FEATURES, toy])`.
 *
 * @public
 */
export const BUILTIN_FEATURES = [
  coreModule,
  apiKeyModule,
  siteModule,
  imageModule,
  tagsModule,
  apmModule,
  dogstatsdModule,
  logsModule,
  processModule,
  npmModule,
  resourceTagsModule,
  healthCheckModule,
  ecsAnywhereModule,
  managedInstancesModule,
  fipsProxyModule,
  apmSocketModule,
] as const;

/**
 * The registry of the built-in Agent features: the default of every function that takes one.
 *
 * @public
 */
export const agentFeatureRegistry = createFeatureRegistry(BUILTIN_FEATURES);

/**
 * The id of a feature toggle (a key of `AgentFeatureToggles`).
 *
 * @public
 */
export type AgentFeatureToggleId =
  (typeof agentFeatureRegistry.toggleIds)[number];

/**
 * Every feature toggle a rendering (and a rollout request) may set, in display order.
 *
 * @public
 */
export const FEATURE_TOGGLE_IDS = agentFeatureRegistry.toggleIds;

/**
 * The features shown as chips on cluster cards, in display order.
 *
 * @public
 */
export const CHIP_FEATURE_IDS = agentFeatureRegistry.chipIds;
