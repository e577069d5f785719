import { defineFeature } from '../module';
import { ecsAnywhereFeature } from './detector';

export { ecsAnywhereFeature };

/**
 * ECS Anywhere (EXTERNAL instances). Detection and a chip; no toggle: the render options' `external`
 * (chosen from the instances) sets it.
 *
 * @public
 */
export const ecsAnywhereModule = defineFeature({
  id: 'ecsAnywhere',
  detector: ecsAnywhereFeature,
  chip: true,
});
