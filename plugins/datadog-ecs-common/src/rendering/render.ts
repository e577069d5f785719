import {
  EcsContainerDefinition,
  EcsKeyValuePair,
  EcsMountPoint,
  EcsPortMapping,
  EcsSecret,
  EcsTaskDefinition,
  EcsVolume,
} from '../ecsTypes';
import { AgentFeatureRegistry } from '../features/createRegistry';
import {
  AGENT_CONTAINER_NAME,
  AGENT_PATHS,
  API_KEY_PLACEHOLDER,
  CGROUP_HOST_PATHS,
  DEFAULT_AGENT_FAMILY,
} from '../features/datadogDefaults';
import { OverlayContext } from '../features/module';
import { agentFeatureRegistry } from '../features/registry';
import {
  agentImageFor,
  RenderOptions,
  RenderOptionsWith,
  resolveRenderOptions,
  ResolvedRenderOptionsWith,
} from './options';

/** Collects the pieces the base and each feature's overlay add, in the order they add them. */
class AgentDefinitionBuilder {
  readonly environment: EcsKeyValuePair[] = [];
  readonly secrets: EcsSecret[] = [];
  readonly mountPoints: EcsMountPoint[] = [];
  readonly volumes: EcsVolume[] = [];
  readonly portMappings: EcsPortMapping[] = [];
  readonly agentFields: Partial<EcsContainerDefinition> = {};
  readonly sidecars: EcsContainerDefinition[] = [];
  readonly requiresCompatibilities: string[] = [];

  env(name: string, value: string) {
    this.environment.push({ name, value });
  }

  port(port: number, protocol: 'tcp' | 'udp') {
    this.portMappings.push({ hostPort: port, protocol, containerPort: port });
  }

  /**
   * Mounts a host path. `readOnly` is left out unless the guide sets it: the published base files
   * write `readOnly: null`, which ECS treats as absent (read-write).
   */
  bind(
    volume: string,
    hostPath: string,
    containerPath: string,
    readOnly?: boolean,
  ) {
    this.volumes.push({ host: { sourcePath: hostPath }, name: volume });
    this.mountPoints.push(
      readOnly === undefined
        ? { containerPath, sourceVolume: volume }
        : { containerPath, sourceVolume: volume, readOnly },
    );
  }

  overlayContext(options: ResolvedRenderOptionsWith<string>): OverlayContext {
    return {
      options,
      windows: options.variant === 'windows',
      env: (name, value) => this.env(name, value),
      port: (port, protocol) => this.port(port, protocol),
      bind: (volume, hostPath, containerPath, readOnly) =>
        this.bind(volume, hostPath, containerPath, readOnly),
      agent: fields => Object.assign(this.agentFields, fields),
      sidecar: container => this.sidecars.push(container),
      requireCompatibility: c => this.requiresCompatibilities.push(c),
    };
  }
}

/** The base file: API key, site, tags, host mounts. */
function renderBase(
  o: ResolvedRenderOptionsWith<string>,
  agent: AgentDefinitionBuilder,
) {
  if (o.apiKey.source === 'secretsManager') {
    agent.secrets.push({ name: 'DD_API_KEY', valueFrom: o.apiKey.secretArn });
  } else {
    agent.env(
      'DD_API_KEY',
      o.apiKey.source === 'plaintext'
        ? o.apiKey.value
        : o.apiKey.placeholder ?? API_KEY_PLACEHOLDER,
    );
  }
  agent.env('DD_SITE', o.site);
  if (o.tags && o.tags.length > 0) {
    agent.env('DD_TAGS', o.tags.join(' '));
  }
  if (o.variant === 'windows') {
    agent.bind(
      'docker_sock',
      AGENT_PATHS.dockerPipeWindows,
      AGENT_PATHS.dockerPipeWindows,
    );
    return;
  }
  agent.bind(
    'docker_sock',
    AGENT_PATHS.dockerSocketLinux,
    AGENT_PATHS.dockerSocketLinux,
  );
  agent.bind('proc', '/proc/', AGENT_PATHS.proc);
  // The old French page says /host/cgroup/ on Amazon Linux 1, but the published datadog-agent-ecs1.json
  // (which the current guide links) keeps /host/sys/fs/cgroup and only changes the host path.
  agent.bind(
    'cgroup',
    o.variant === 'amazon-linux-1'
      ? CGROUP_HOST_PATHS.amazonLinux1
      : CGROUP_HOST_PATHS.modern,
    AGENT_PATHS.cgroup,
  );
}

/**
 * Renders Datadog's documented Agent daemon task definition for the given options: the published base
 * file of the variant (datadog-agent-ecs.json, datadog-agent-ecs1.json, datadog-agent-ecs-win.json)
 * plus the overlay of each feature switched on, in the registry's order (the built-in registry
 * unless another is given).
 *
 * Throws {@link RenderValidationError} for invalid options or combinations the guide rules out.
 * A plaintext API key is rendered (it is meant for development); mask it with `maskSecrets` before
 * showing the result.
 *
 * @public
 */
export function renderAgentTaskDefinition(
  options: RenderOptions,
): EcsTaskDefinition;
/** @public */
export function renderAgentTaskDefinition<T extends string>(
  options: RenderOptionsWith<NoInfer<T>>,
  registry: AgentFeatureRegistry<T>,
): EcsTaskDefinition;
export function renderAgentTaskDefinition(
  options: RenderOptionsWith<string>,
  registry: AgentFeatureRegistry = agentFeatureRegistry,
): EcsTaskDefinition {
  const o = resolveRenderOptions(options, registry);
  const windows = o.variant === 'windows';
  const agent = new AgentDefinitionBuilder();
  renderBase(o, agent);
  const ctx = agent.overlayContext(o);
  for (const { id, toggle } of registry.toggles) {
    if (o.features[id]) toggle.render(ctx);
  }

  const agentContainer: EcsContainerDefinition = {
    name: AGENT_CONTAINER_NAME,
    image: agentImageFor(o),
    cpu: o.cpu ?? (windows ? 512 : 100),
    memory: o.memory ?? 512,
    essential: true,
    ...(agent.portMappings.length ? { portMappings: agent.portMappings } : {}),
    mountPoints: agent.mountPoints,
    environment: agent.environment,
    ...(agent.secrets.length ? { secrets: agent.secrets } : {}),
    ...agent.agentFields,
  };

  const requiresCompatibilities = [
    ...agent.requiresCompatibilities,
    ...(o.external ? ['EXTERNAL'] : []),
  ];
  return {
    containerDefinitions: [agentContainer, ...agent.sidecars],
    volumes: agent.volumes,
    family: o.family ?? DEFAULT_AGENT_FAMILY,
    ...(requiresCompatibilities.length ? { requiresCompatibilities } : {}),
    ...(o.apiKey.source === 'secretsManager'
      ? { executionRoleArn: o.apiKey.executionRoleArn }
      : {}),
  };
}
