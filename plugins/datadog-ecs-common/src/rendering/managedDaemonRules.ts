/*
 * The rules of the `managed-daemon` target, Datadog's Agent on ECS Managed Instances run as an ECS
 * Managed Daemon: Linux only, not ECS Anywhere, Agent 7.77.0 or later, and at least the published
 * daemon files' task cpu 256 / memory 512. The toggles' own Managed Instances rules are their
 * `notOnManagedInstances` constraints (features/<feature>/index.ts).
 */
import {
  AGENT_MINIMUM_VERSIONS,
  AgentVersion,
  formatAgentVersion,
  isAgentVersionAtLeast,
} from '../features/agentImage';
import { MANAGED_INSTANCES } from '../features/datadogDefaults';
import type { RenderRuleViolation, ResolvedRenderOptionsWith } from './options';

/**
 * The rules of a managed-daemon rendering (`RenderValidationError.rule`).
 *
 * @public
 */
export type ManagedDaemonRuleId =
  | 'managed-daemon-linux-only'
  | 'managed-daemon-ecs-anywhere'
  | 'managed-daemon-agent-version'
  | 'managed-daemon-resources-minimum'
  | 'managed-daemon-port-mapping'
  | 'managed-daemon-options-target';

/** The violations of a managed-daemon rendering, grouped by where `checkRenderRules` reports them. */
export interface ManagedDaemonRuleViolations {
  /** Reported first: where the definition can run at all. */
  platform: RenderRuleViolation[];
  /** After the toggles' minimum versions. */
  version: RenderRuleViolation[];
  /** Last, with the base's other sizes. */
  sizes: RenderRuleViolation[];
}

/** What the `managed-daemon` target rules out; nothing for the `daemon-service` target. */
export function managedDaemonRuleViolations(
  options: ResolvedRenderOptionsWith<string>,
  version: AgentVersion | undefined,
): ManagedDaemonRuleViolations {
  const result: ManagedDaemonRuleViolations = {
    platform: [],
    version: [],
    sizes: [],
  };
  if (options.target !== 'managed-daemon') return result;
  if (options.variant !== 'linux') {
    result.platform.push({
      rule: 'managed-daemon-linux-only',
      message: `ECS Managed Instances run Linux with containerd: a managed daemon renders the Linux definition (datadog-agent-ecs-managed-instances-daemon.json), not ${options.variant}`,
    });
  }
  if (options.external) {
    result.platform.push({
      rule: 'managed-daemon-ecs-anywhere',
      message:
        'A managed daemon runs on ECS Managed Instances capacity providers only, not on ECS Anywhere (EXTERNAL) instances',
    });
  }
  if (
    version &&
    !isAgentVersionAtLeast(version, AGENT_MINIMUM_VERSIONS.managedInstances)
  ) {
    result.version.push({
      rule: 'managed-daemon-agent-version',
      message: `The Agent on ECS Managed Instances requires Agent 7.77.0 or later, but the image tag is ${
        options.image?.tag ?? formatAgentVersion(version)
      }`,
    });
  }
  const small = [
    options.cpu !== undefined && options.cpu < MANAGED_INSTANCES.taskCpu
      ? `${options.cpu} CPU units`
      : undefined,
    options.memory !== undefined &&
    options.memory < MANAGED_INSTANCES.taskMemory
      ? `${options.memory} MiB of memory`
      : undefined,
  ].filter((s): s is string => !!s);
  if (small.length > 0) {
    result.sizes.push({
      rule: 'managed-daemon-resources-minimum',
      message: `The Agent's daemon task needs at least ${
        MANAGED_INSTANCES.taskCpu
      } CPU units and ${
        MANAGED_INSTANCES.taskMemory
      } MiB of memory on ECS Managed Instances, not ${small.join(' and ')}`,
    });
  }
  return result;
}
