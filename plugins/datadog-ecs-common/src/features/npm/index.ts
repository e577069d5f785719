import { AGENT_PATHS, NPM_CAPABILITIES } from '../datadogDefaults';
import { isTrue } from '../inspect';
import { defineFeature } from '../module';
import { npmFeature } from './detector';

export { npmFeature };

/**
 * Network performance monitoring (system-probe), Linux on EC2 only.
 *
 * @public
 */
export const npmModule = defineFeature({
  id: 'npm',
  detector: npmFeature,
  chip: true,
  toggle: {
    label: 'Network performance monitoring',
    help: 'system-probe; Linux on EC2 only',
    constraints: {
      linuxOnly: {
        rule: 'npm-linux-only',
        message: 'Network performance monitoring is only available for Linux',
      },
      // The guide's NPM overlay pins requiresCompatibilities to ["EC2"] while ECS Anywhere needs
      // ["EXTERNAL"]; it documents no definition that does both, so we do not invent one.
      notOnEcsAnywhere: {
        rule: 'npm-ecs-anywhere',
        message:
          'Network performance monitoring is documented for EC2 container instances only (its task definition requires EC2 compatibility), not for ECS Anywhere',
      },
      // Likewise, Datadog documents no Managed Instances daemon definition with system-probe.
      notOnManagedInstances: {
        rule: 'npm-managed-instances',
        message:
          'Network performance monitoring is documented for EC2 container instances only (its task definition requires EC2 compatibility), not for ECS Managed Instances',
      },
    },
    render: ctx => {
      // The current guide's variable; the published sysprobe files still use DD_SYSTEM_PROBE_ENABLED.
      ctx.env('DD_SYSTEM_PROBE_NETWORK_ENABLED', 'true');
      ctx.bind('debug', AGENT_PATHS.kernelDebug, AGENT_PATHS.kernelDebug);
      ctx.agent({
        linuxParameters: { capabilities: { add: [...NPM_CAPABILITIES] } },
      });
      ctx.requireCompatibility('EC2');
    },
    isOn: ({ env }) =>
      isTrue(env('DD_SYSTEM_PROBE_NETWORK_ENABLED')) ||
      isTrue(env('DD_SYSTEM_PROBE_ENABLED')),
  },
});
