import { AGENT_PATHS } from '../datadogDefaults';
import {
  defineDetector,
  DetectorFinding,
  findMount,
  isTrue,
  stateFor,
} from '../inspect';

/**
 * Log collection from every container on the instance.
 *
 * @public
 */
export const logsFeature = defineDetector({
  id: 'logs',
  title: 'Log collection',
  description:
    'Collects the stdout/stderr logs of the containers on each instance (DD_LOGS_ENABLED, the pointdir and containers_root mounts).',
  detect: ctx => {
    const { agent, env, windows } = ctx;
    const enabled = isTrue(env('DD_LOGS_ENABLED'));
    const findings: DetectorFinding[] = [];
    if (!enabled) {
      return {
        state: 'off',
        summary:
          'Log collection is off: container logs are not sent to Datadog.',
        findings,
      };
    }
    if (ctx.managedInstances) {
      // Datadog's Managed Instances daemon setup has no log collection; the mounts below are Docker's.
      findings.push({
        id: 'logs.managed-instances-unsupported',
        severity: 'warning',
        title: 'Log collection on ECS Managed Instances',
        explanation:
          'Log collection is not part of Datadog’s Managed Instances daemon setup: the Docker log files the guide’s log collection tails (/var/lib/docker/containers) do not exist on containerd-based Managed Instances, so the Agent does not collect the containers’ logs there.',
        remedy:
          'Remove DD_LOGS_ENABLED from the daemon task definition and send application logs with FireLens (Datadog’s Fluent Bit output) or the awslogs log driver on the application tasks.',
      });
      return {
        state: stateFor(enabled, findings),
        summary:
          'Log collection is switched on, but the managed daemon does not collect container logs on ECS Managed Instances.',
        findings,
      };
    }
    const pointdirPath = windows
      ? AGENT_PATHS.pointdirWindows
      : AGENT_PATHS.pointdirLinux;
    if (!findMount(agent, pointdirPath)) {
      findings.push({
        id: 'logs.missing-pointdir-mount',
        severity: 'warning',
        title: 'Logs enabled without the pointdir mount',
        explanation: `Without a host mount at ${pointdirPath}, the Agent forgets how far it read each log when it restarts, so logs are sent twice or lost.`,
        remedy: `Add a volume "pointdir" with host.sourcePath ${pointdirPath} and mount it at ${pointdirPath} (readOnly false).`,
      });
    }
    if (!windows && !findMount(agent, AGENT_PATHS.containersRoot)) {
      findings.push({
        id: 'logs.missing-containers-root-mount',
        severity: 'warning',
        title: 'Logs enabled without the containers_root mount',
        explanation:
          'The current guide mounts /var/lib/docker/containers so the Agent tails log files directly; without it the Agent falls back to the Docker socket, which is slower and can lose lines when logs rotate.',
        remedy:
          'Add a volume "containers_root" with host.sourcePath /var/lib/docker/containers/ and mount it read-only at /var/lib/docker/containers.',
      });
    }
    if (!isTrue(env('DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL'))) {
      findings.push({
        id: 'logs.container-collect-all-off',
        severity: 'info',
        title: 'Only labelled containers send logs',
        explanation:
          'DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL is not true, so only containers with Autodiscovery log labels are collected.',
        remedy:
          'Add DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL=true to collect every container, or label the containers you want.',
      });
    }
    return {
      state: stateFor(enabled, findings),
      summary:
        'The Agent collects container logs; application containers must log to stdout/stderr without a logConfiguration.logDriver.',
      findings,
    };
  },
});
