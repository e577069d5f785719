import { defineFeature } from '../module';
import { imageFeature } from './detector';

export { imageFeature };

/**
 * The Agent image and the version it pins. Detection only: the render options' `image` sets it.
 *
 * @public
 */
export const imageModule = defineFeature({
  id: 'image',
  detector: imageFeature,
});
