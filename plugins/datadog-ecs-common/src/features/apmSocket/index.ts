import { AGENT_PATHS } from '../datadogDefaults';
import { findMount } from '../inspect';
import { defineFeature } from '../module';

/**
 * APM and DogStatsD over Unix domain sockets: shares the host's /var/run/datadog (volume dd-sockets)
 * with application containers, as Datadog's published datadog-agent-ecs-apm-uds.json does. Linux only.
 * A toggle without a detector of its own: the `apm` and `dogstatsd` detectors report the socket as
 * their transport.
 *
 * @public
 */
export const apmSocketModule = defineFeature({
  id: 'apmSocket',
  toggle: {
    label: 'APM and DogStatsD over Unix sockets',
    help: 'Shares /var/run/datadog with applications; Linux only',
    constraints: {
      linuxOnly: {
        rule: 'apm-socket-linux-only',
        message:
          'APM over a Unix domain socket (/var/run/datadog) is only available for Linux',
      },
    },
    render: ctx => {
      // datadog-agent-ecs-apm-uds.json mounts this read-only, but the Agent creates its sockets here, so
      // it must be writable; the newer Managed Instances file (…-daemon-apm.json) uses readOnly false.
      ctx.bind(
        'dd-sockets',
        AGENT_PATHS.socketDir,
        AGENT_PATHS.socketDir,
        false,
      );
    },
    isOn: ({ agent }) => !!findMount(agent, AGENT_PATHS.socketDir),
  },
});
