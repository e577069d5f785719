import { AGENT_PATHS } from '../datadogDefaults';
import { isTrue } from '../inspect';
import { defineFeature } from '../module';
import { logsFeature } from './detector';

export { logsFeature };

/**
 * Log collection: DD_LOGS_ENABLED, DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL, the pointdir (and on Linux
 * containers_root) mounts.
 *
 * @public
 */
export const logsModule = defineFeature({
  id: 'logs',
  detector: logsFeature,
  chip: true,
  toggle: {
    label: 'Log collection',
    help: 'DD_LOGS_ENABLED, collect all containers, the pointdir mount',
    defaultOn: true,
    constraints: {
      // Datadog's Managed Instances daemon files have no log collection, and this overlay's mounts are
      // Docker's (/var/lib/docker/containers), which containerd-based Managed Instances do not have.
      notOnManagedInstances: {
        rule: 'logs-managed-instances',
        message:
          'Log collection is not part of Datadog’s ECS Managed Instances daemon setup (its containers_root mount is Docker’s, and Managed Instances run containerd): send application logs with FireLens or the awslogs log driver instead',
      },
    },
    render: ctx => {
      ctx.env('DD_LOGS_ENABLED', 'true');
      ctx.env('DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL', 'true');
      if (ctx.windows) {
        ctx.bind(
          'pointdir',
          AGENT_PATHS.pointdirWindows,
          AGENT_PATHS.pointdirWindows,
          false,
        );
        return;
      }
      ctx.bind(
        'pointdir',
        AGENT_PATHS.pointdirLinux,
        AGENT_PATHS.pointdirLinux,
        false,
      );
      // The current guide adds this mount; the published datadog-agent-ecs-logs.json predates it.
      ctx.bind(
        'containers_root',
        '/var/lib/docker/containers/',
        AGENT_PATHS.containersRoot,
        true,
      );
    },
    isOn: ({ env }) => isTrue(env('DD_LOGS_ENABLED')),
  },
});
