import { findPortMapping, isTrue } from '../inspect';
import { defineFeature } from '../module';
import { dogstatsdFeature } from './detector';

export { dogstatsdFeature };

/**
 * DogStatsD: 8125/udp host port and DD_DOGSTATSD_NON_LOCAL_TRAFFIC.
 *
 * @public
 */
export const dogstatsdModule = defineFeature({
  id: 'dogstatsd',
  detector: dogstatsdFeature,
  chip: true,
  toggle: {
    label: 'DogStatsD (custom metrics)',
    help: '8125/udp host port and DD_DOGSTATSD_NON_LOCAL_TRAFFIC',
    defaultOn: true,
    constraints: {
      notOnManagedInstances: {
        rule: 'dogstatsd-managed-instances',
        message:
          'DogStatsD over host port 8125/udp needs a port mapping, which a daemon task definition cannot have: on ECS Managed Instances applications send metrics over the Unix socket in /var/run/datadog (APM and DogStatsD over Unix sockets)',
      },
    },
    render: ctx => {
      ctx.port(8125, 'udp');
      ctx.env('DD_DOGSTATSD_NON_LOCAL_TRAFFIC', 'true');
    },
    isOn: ({ agent, env }) =>
      isTrue(env('DD_DOGSTATSD_NON_LOCAL_TRAFFIC')) ||
      !!findPortMapping(agent, 8125, 'udp'),
  },
});
