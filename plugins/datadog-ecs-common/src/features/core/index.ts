import { defineFeature } from '../module';
import { coreFeature } from './detector';

export { coreFeature };

/**
 * Core container monitoring: the Agent container, its host mounts, network mode and CPU units.
 * Detection only: the renderer's base file is this feature.
 *
 * @public
 */
export const coreModule = defineFeature({ id: 'core', detector: coreFeature });
