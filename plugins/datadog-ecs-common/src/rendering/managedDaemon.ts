/*
 * The `managed-daemon` target: Datadog's Agent on ECS Managed Instances as an ECS Managed Daemon,
 * the published datadog-agent-ecs-managed-instances-daemon.json (and, with the apmSocket overlay,
 * …-daemon-apm.json). The feature overlays run on it as on the DAEMON service's base file.
 */
import { EcsContainerDefinition, EcsDaemonTaskDefinition } from '../ecsTypes';
import {
  AGENT_CONTAINER_NAME,
  AGENT_PATHS,
  CGROUP_HOST_PATHS,
  MANAGED_INSTANCES,
} from '../features/datadogDefaults';
import { AgentDefinitionBuilder } from './builder';
import { agentImageFor, ResolvedRenderOptionsWith } from './options';

/**
 * The base of the published daemon file: containerd instead of the Docker socket, the Agent told it
 * runs on Managed Instances and where the runtime's socket is, every host mount read-only.
 */
export function renderManagedDaemonBase(
  o: ResolvedRenderOptionsWith<string>,
  agent: AgentDefinitionBuilder,
) {
  agent.apiKeySiteAndTags(o);
  agent.env(MANAGED_INSTANCES.managedInstancesEnv, 'true');
  // The variable holds the socket's path inside the Agent container, where it is mounted.
  agent.env(
    MANAGED_INSTANCES.criSocketPathEnv,
    MANAGED_INSTANCES.containerdSocket,
  );
  agent.bind(
    MANAGED_INSTANCES.containerdSocketVolume,
    MANAGED_INSTANCES.containerdSocket,
    MANAGED_INSTANCES.containerdSocket,
    true,
  );
  agent.bind('cgroup', CGROUP_HOST_PATHS.modern, AGENT_PATHS.cgroup, true);
  agent.bind('proc', '/proc/', AGENT_PATHS.proc, true);
}

/** A daemon task definition's containers must name their image. */
function withImage(
  container: EcsContainerDefinition,
): EcsContainerDefinition & { image: string } {
  const { image } = container;
  if (!image) {
    throw new Error(`The sidecar ${container.name} of an overlay has no image`);
  }
  return { ...container, image };
}

/**
 * The `RegisterDaemonTaskDefinition` input: the Agent container without container-level sizes
 * (the published file sizes the daemon task: cpu "256", memory "512"), no port mappings, no network
 * mode and no compatibilities.
 */
export function assembleManagedDaemon(
  o: ResolvedRenderOptionsWith<string>,
  agent: AgentDefinitionBuilder,
): EcsDaemonTaskDefinition {
  const agentContainer: EcsContainerDefinition & { image: string } = {
    name: AGENT_CONTAINER_NAME,
    image: agentImageFor(o),
    essential: true,
    mountPoints: agent.mountPoints,
    environment: agent.environment,
    ...(agent.secrets.length ? { secrets: agent.secrets } : {}),
    ...agent.agentFields,
  };
  return {
    family: o.family ?? MANAGED_INSTANCES.defaultFamily,
    containerDefinitions: [agentContainer, ...agent.sidecars.map(withImage)],
    volumes: agent.volumes,
    cpu: String(o.cpu ?? MANAGED_INSTANCES.taskCpu),
    memory: String(o.memory ?? MANAGED_INSTANCES.taskMemory),
    ...(o.apiKey.source === 'secretsManager'
      ? { executionRoleArn: o.apiKey.executionRoleArn }
      : {}),
  };
}
