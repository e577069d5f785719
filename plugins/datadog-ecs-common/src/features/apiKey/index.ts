import { defineFeature } from '../module';
import { apiKeyFeature, isApiKeyPlaceholder } from './detector';

export { apiKeyFeature, isApiKeyPlaceholder };

/**
 * Where the Agent's API key comes from. Detection only: the render options' `apiKey` sets it.
 *
 * @public
 */
export const apiKeyModule = defineFeature({
  id: 'apiKey',
  detector: apiKeyFeature,
});
