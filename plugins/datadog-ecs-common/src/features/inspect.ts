/*
 * Internal helpers the detectors share: reading the Agent container's environment, mounts, ports and
 * volumes the way ECS and the Agent interpret them. Not part of the public API.
 */
import {
  EcsContainerDefinition,
  EcsMountPoint,
  EcsPortMapping,
  EcsTaskDefinition,
} from '../ecsTypes';
import {
  AgentVersion,
  findAgentContainer,
  parseAgentVersion,
} from './agentImage';
import { MANAGED_INSTANCES } from './datadogDefaults';
import {
  DetectionInput,
  FeatureDetector,
  FeatureResult,
  FeatureState,
  Finding,
} from './types';

/**
 * A finding as a detector writes it; `defineDetector` adds the feature id. Detectors use this type
 * rather than `Finding`, whose feature id is derived from the registry that lists the detectors.
 */
export type DetectorFinding = Omit<Finding<string>, 'feature'>;

/**
 * What every detector needs to know about the Agent container, computed once per call.
 *
 * @public
 */
export interface AgentContext {
  input: DetectionInput;
  taskDefinition: EcsTaskDefinition;
  agent: EcsContainerDefinition;
  version: AgentVersion | undefined;
  windows: boolean;
  /**
   * The Agent runs as an ECS Managed Daemon on Managed Instances: `input.managedDaemon`, or, when the
   * input does not say, `ECS_MANAGED_INSTANCES=true` on the Agent.
   */
  managedInstances: boolean;
  env(name: string): string | undefined;
  hasSecret(name: string): boolean;
}

/** The Agent parses booleans like Go's strconv.ParseBool. */
export function isTrue(value: string | undefined): boolean {
  return (
    value !== undefined &&
    ['1', 't', 'true'].includes(value.trim().toLowerCase())
  );
}

/** An explicit false (unset is not false: the Agent then applies its own default). */
export function isFalse(value: string | undefined): boolean {
  return (
    value !== undefined &&
    ['0', 'f', 'false'].includes(value.trim().toLowerCase())
  );
}

export function envValue(
  container: EcsContainerDefinition,
  name: string,
): string | undefined {
  return container.environment?.find(e => e.name === name)?.value;
}

export function findPortMapping(
  container: EcsContainerDefinition,
  port: number,
  protocol: 'tcp' | 'udp',
): EcsPortMapping | undefined {
  return container.portMappings?.find(
    p =>
      p.containerPort === port &&
      (p.protocol ?? 'tcp').toLowerCase() === protocol,
  );
}

/** Compares container paths the way users write them: trailing slashes and (for Windows) case do not matter. */
export function samePath(a: string | undefined, b: string): boolean {
  if (a === undefined) {
    return false;
  }
  const canonical = (p: string) => {
    const trimmed = p.length > 1 ? p.replace(/[\\/]+$/, '') : p;
    return /^[a-z]:\\|^\\\\/i.test(trimmed) ? trimmed.toLowerCase() : trimmed;
  };
  return canonical(a) === canonical(b);
}

export function findMount(
  container: EcsContainerDefinition,
  containerPath: string,
): EcsMountPoint | undefined {
  return container.mountPoints?.find(m =>
    samePath(m.containerPath, containerPath),
  );
}

export function volumeHostPath(
  taskDefinition: EcsTaskDefinition,
  volumeName: string | undefined,
): string | undefined {
  return taskDefinition.volumes?.find(v => v.name === volumeName)?.host
    ?.sourcePath;
}

const WINDOWS_PATH = /^[a-z]:\\|^\\\\/i;

/** Windows when the definition itself says so (Windows paths, runtime platform), else the fleet's majority. */
export function isWindowsTaskDefinition(input: DetectionInput): boolean {
  const td = input.taskDefinition;
  if (
    td.runtimePlatform?.operatingSystemFamily
      ?.toUpperCase()
      .startsWith('WINDOWS')
  ) {
    return true;
  }
  const paths = [
    ...(td.volumes ?? []).map(v => v.host?.sourcePath),
    ...(td.containerDefinitions ?? []).flatMap(c =>
      (c.mountPoints ?? []).map(m => m.containerPath),
    ),
  ].filter((p): p is string => !!p);
  if (paths.some(p => WINDOWS_PATH.test(p))) {
    return true;
  }
  if (paths.some(p => p.startsWith('/'))) {
    return false;
  }
  const instances = input.instances ?? [];
  const windowsCount = instances.filter(i => i.os === 'windows').length;
  return instances.length > 0 && windowsCount * 2 > instances.length;
}

export function agentContext(input: DetectionInput): AgentContext | undefined {
  const agent = findAgentContainer(
    input.taskDefinition,
    input.extraAgentRepositories,
  );
  if (!agent) {
    return undefined;
  }
  return {
    input,
    taskDefinition: input.taskDefinition,
    agent,
    version: parseAgentVersion(agent.image),
    windows: isWindowsTaskDefinition(input),
    managedInstances:
      input.managedDaemon ??
      isTrue(envValue(agent, MANAGED_INSTANCES.managedInstancesEnv)),
    env: name => envValue(agent, name),
    hasSecret: name => !!agent.secrets?.some(s => s.name === name),
  };
}

/** `off` when the feature is not enabled, `misconfigured` when a warning or critical finding says it does not work. */
export function stateFor(
  enabled: boolean,
  findings: readonly DetectorFinding[],
): FeatureState {
  if (findings.some(f => f.severity !== 'info')) {
    return 'misconfigured';
  }
  return enabled ? 'on' : 'off';
}

/** What a detector's `detect` returns: its result without id and title, findings without feature. */
export type DetectorOutcome = Omit<
  FeatureResult<string>,
  'id' | 'title' | 'findings'
> & { findings: DetectorFinding[] };

/**
 * Builds a detector whose `detect` runs with the Agent container resolved; without an Agent container
 * the feature is `not-applicable` unless the detector handles that case itself.
 */
export function defineDetector<const Id extends string>(options: {
  id: Id;
  title: string;
  description: string;
  detect: (ctx: AgentContext) => DetectorOutcome;
  detectWithoutAgent?: (input: DetectionInput) => DetectorOutcome;
}): FeatureDetector<Id> {
  const { id, title, description } = options;
  return {
    id,
    title,
    description,
    detect(input) {
      const ctx = agentContext(input);
      let outcome: DetectorOutcome;
      if (ctx) {
        outcome = options.detect(ctx);
      } else if (options.detectWithoutAgent) {
        outcome = options.detectWithoutAgent(input);
      } else {
        outcome = {
          state: 'not-applicable',
          summary: 'This task definition has no Datadog Agent container.',
          findings: [],
        };
      }
      return {
        id,
        title,
        ...outcome,
        findings: outcome.findings.map(
          (f): Finding<Id> => ({ feature: id, ...f }),
        ),
      };
    },
  };
}
