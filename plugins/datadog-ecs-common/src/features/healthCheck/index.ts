import { AGENT_HEALTH_CHECK } from '../datadogDefaults';
import { defineFeature } from '../module';
import { healthCheckFeature } from './detector';

export { healthCheckFeature };

/**
 * The guide's `agent health` container health check.
 *
 * @public
 */
export const healthCheckModule = defineFeature({
  id: 'healthCheck',
  detector: healthCheckFeature,
  chip: true,
  toggle: {
    label: 'Container health check',
    help: 'The guide’s `agent health` health check',
    defaultOn: true,
    render: ctx =>
      ctx.agent({
        healthCheck: {
          ...AGENT_HEALTH_CHECK,
          command: [...AGENT_HEALTH_CHECK.command],
        },
      }),
    isOn: ({ agent }) => (agent.healthCheck?.command ?? []).length > 0,
  },
});
