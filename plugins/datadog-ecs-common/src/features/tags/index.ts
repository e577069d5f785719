import { defineFeature } from '../module';
import { tagsFeature } from './detector';

export { tagsFeature };

/**
 * Host tags (`DD_TAGS`). Detection only: the render options' `tags` set them.
 *
 * @public
 */
export const tagsModule = defineFeature({ id: 'tags', detector: tagsFeature });
