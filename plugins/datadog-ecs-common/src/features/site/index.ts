import { defineFeature } from '../module';
import { siteFeature } from './detector';

export { siteFeature };

/**
 * The Datadog site the Agent reports to. Detection only: the render options' `site` sets it.
 *
 * @public
 */
export const siteModule = defineFeature({ id: 'site', detector: siteFeature });
