import {
  EcsContainerDefinition,
  EcsDaemonTaskDefinition,
  EcsTaskDefinition,
} from '../ecsTypes';
import { AgentFeatureRegistry } from '../features/createRegistry';
import {
  AGENT_CONTAINER_NAME,
  AGENT_PATHS,
  CGROUP_HOST_PATHS,
  DEFAULT_AGENT_FAMILY,
} from '../features/datadogDefaults';
import { agentFeatureRegistry } from '../features/registry';
import { AgentDefinitionBuilder } from './builder';
import {
  assembleManagedDaemon,
  renderManagedDaemonBase,
} from './managedDaemon';
import {
  agentImageFor,
  RenderOptions,
  RenderOptionsWith,
  resolveRenderOptions,
  ResolvedRenderOptionsWith,
} from './options';

/** The base file of a DAEMON service: API key, site, tags, host mounts. */
function renderBase(
  o: ResolvedRenderOptionsWith<string>,
  agent: AgentDefinitionBuilder,
) {
  agent.apiKeySiteAndTags(o);
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
 * Renders Datadog's documented Agent definition for the given options: the published base file of
 * the target and variant plus the overlay of each feature switched on, in the registry's order (the
 * built-in registry unless another is given).
 *
 * - target `daemon-service` (default): the task definition of a DAEMON service, from
 *   datadog-agent-ecs.json, datadog-agent-ecs1.json or datadog-agent-ecs-win.json;
 * - target `managed-daemon`: the daemon task definition of an ECS Managed Daemon on ECS Managed
 *   Instances (`RegisterDaemonTaskDefinition`), from datadog-agent-ecs-managed-instances-daemon.json
 *   (see {@link (renderManagedDaemonTaskDefinition:1) | renderManagedDaemonTaskDefinition} for its
 *   narrower type).
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
  const managedDaemon = o.target === 'managed-daemon';
  const agent = new AgentDefinitionBuilder(managedDaemon);
  if (managedDaemon) {
    renderManagedDaemonBase(o, agent);
  } else {
    renderBase(o, agent);
  }
  const ctx = agent.overlayContext(o);
  for (const { id, toggle } of registry.toggles) {
    if (!o.features[id]) continue;
    agent.feature = id;
    toggle.render(ctx);
  }
  return managedDaemon
    ? assembleManagedDaemon(o, agent)
    : assembleService(o, agent);
}

/**
 * The daemon task definition of the Agent as an ECS Managed Daemon (the `managed-daemon` target of
 * {@link (renderAgentTaskDefinition:1) | renderAgentTaskDefinition}), typed as
 * `RegisterDaemonTaskDefinition` takes it.
 *
 * @public
 */
export function renderManagedDaemonTaskDefinition(
  options: Omit<RenderOptions, 'target'>,
): EcsDaemonTaskDefinition;
/** @public */
export function renderManagedDaemonTaskDefinition<T extends string>(
  options: Omit<RenderOptionsWith<NoInfer<T>>, 'target'>,
  registry: AgentFeatureRegistry<T>,
): EcsDaemonTaskDefinition;
export function renderManagedDaemonTaskDefinition(
  options: Omit<RenderOptionsWith<string>, 'target'>,
  registry: AgentFeatureRegistry = agentFeatureRegistry,
): EcsDaemonTaskDefinition {
  return renderAgentTaskDefinition(
    { ...options, target: 'managed-daemon' },
    registry,
  ) as EcsDaemonTaskDefinition;
}

/** The task definition of a DAEMON service. */
function assembleService(
  o: ResolvedRenderOptionsWith<string>,
  agent: AgentDefinitionBuilder,
): EcsTaskDefinition {
  const windows = o.variant === 'windows';
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
