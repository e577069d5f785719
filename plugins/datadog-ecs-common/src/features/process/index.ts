import { AGENT_PATHS } from '../datadogDefaults';
import { isTrue } from '../inspect';
import { defineFeature } from '../module';
import { processFeature } from './detector';

export { processFeature };

/**
 * Live processes: DD_PROCESS_AGENT_ENABLED (and on Linux the /etc/passwd mount).
 *
 * @public
 */
export const processModule = defineFeature({
  id: 'process',
  detector: processFeature,
  chip: true,
  toggle: {
    label: 'Live processes',
    help: 'DD_PROCESS_AGENT_ENABLED',
    render: ctx => {
      ctx.env('DD_PROCESS_AGENT_ENABLED', 'true');
      if (!ctx.windows) {
        ctx.bind('passwd', AGENT_PATHS.passwd, AGENT_PATHS.passwd, true);
      }
    },
    isOn: ({ env }) =>
      isTrue(env('DD_PROCESS_AGENT_ENABLED')) ||
      isTrue(env('DD_PROCESS_CONFIG_PROCESS_COLLECTION_ENABLED')),
  },
});
