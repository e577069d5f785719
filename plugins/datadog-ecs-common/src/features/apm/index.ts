import { findPortMapping, isFalse, isTrue } from '../inspect';
import { defineFeature } from '../module';
import { apmFeature } from './detector';

export { apmFeature };

/**
 * APM: 8126/tcp host port, DD_APM_ENABLED and DD_APM_NON_LOCAL_TRAFFIC.
 *
 * @public
 */
export const apmModule = defineFeature({
  id: 'apm',
  detector: apmFeature,
  chip: true,
  toggle: {
    label: 'APM (traces)',
    help: '8126/tcp host port, DD_APM_ENABLED and DD_APM_NON_LOCAL_TRAFFIC',
    defaultOn: true,
    constraints: {
      // RegisterDaemonTaskDefinition has no portMappings: daemons share the instance's daemon network
      // namespace. Datadog's Managed Instances APM file (…-daemon-apm.json) uses the socket instead.
      notOnManagedInstances: {
        rule: 'apm-managed-instances',
        message:
          'APM over host port 8126/tcp needs a port mapping, which a daemon task definition cannot have: on ECS Managed Instances the Agent receives traces over the Unix socket in /var/run/datadog (APM and DogStatsD over Unix sockets), as datadog-agent-ecs-managed-instances-daemon-apm.json does',
      },
    },
    render: ctx => {
      ctx.port(8126, 'tcp');
      ctx.env('DD_APM_ENABLED', 'true');
      // Only required up to Agent 7.17, harmless later, so always set: the tag may be older or unpinned.
      ctx.env('DD_APM_NON_LOCAL_TRAFFIC', 'true');
    },
    isOn: ({ agent, env }) =>
      !isFalse(env('DD_APM_ENABLED')) &&
      (isTrue(env('DD_APM_ENABLED')) ||
        isTrue(env('DD_APM_NON_LOCAL_TRAFFIC')) ||
        !!findPortMapping(agent, 8126, 'tcp')),
  },
});
