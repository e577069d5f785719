import {
  EcsContainerDefinition,
  EcsKeyValuePair,
  EcsMountPoint,
  EcsPortMapping,
  EcsSecret,
  EcsTaskDefinition,
  EcsVolume,
} from '../ecsTypes';
import {
  AGENT_CONTAINER_NAME,
  AGENT_HEALTH_CHECK,
  AGENT_PATHS,
  API_KEY_PLACEHOLDER,
  CGROUP_HOST_PATHS,
  DEFAULT_AGENT_FAMILY,
  FIPS_PROXY,
  NPM_CAPABILITIES,
} from '../features/datadogDefaults';
import { agentImageFor, RenderOptions, resolveRenderOptions } from './options';

/** Collects the pieces each overlay adds, in the order the guide lists them. */
class AgentDefinitionBuilder {
  readonly environment: EcsKeyValuePair[] = [];
  readonly secrets: EcsSecret[] = [];
  readonly mountPoints: EcsMountPoint[] = [];
  readonly volumes: EcsVolume[] = [];
  readonly portMappings: EcsPortMapping[] = [];

  env(name: string, value: string) {
    this.environment.push({ name, value });
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
}

function fipsProxyContainer(tag: string): EcsContainerDefinition {
  const portMappings: EcsPortMapping[] = [];
  for (
    let port = FIPS_PROXY.portRangeStart;
    port <= FIPS_PROXY.portRangeEnd;
    port++
  ) {
    portMappings.push({ containerPort: port, protocol: 'tcp' });
  }
  // Exactly the guide's sidecar. It sets no cpu/memory: on EC2 without task-level memory ECS asks for
  // memory or memoryReservation on every container, so registration may need one added.
  return {
    name: FIPS_PROXY.containerName,
    image: `${FIPS_PROXY.repository}:${tag}`,
    portMappings,
    essential: true,
    environment: [
      {
        name: 'DD_FIPS_PORT_RANGE_START',
        value: String(FIPS_PROXY.portRangeStart),
      },
      { name: 'DD_FIPS_LOCAL_ADDRESS', value: '127.0.0.1' },
    ],
  };
}

/**
 * Renders Datadog's documented Agent daemon task definition for the given options: the published base
 * file of the variant (datadog-agent-ecs.json, datadog-agent-ecs1.json, datadog-agent-ecs-win.json)
 * plus each enabled feature's overlay from the guide.
 *
 * Throws {@link RenderValidationError} for invalid options or combinations the guide rules out.
 * A plaintext API key is rendered (it is meant for development); mask it with `maskSecrets` before
 * showing the result.
 *
 * @public
 */
export function renderAgentTaskDefinition(
  options: RenderOptions,
): EcsTaskDefinition {
  const o = resolveRenderOptions(options);
  const windows = o.variant === 'windows';
  const linux = !windows;
  const { features } = o;
  const agent = new AgentDefinitionBuilder();

  // Base file: API key, site, tags, host mounts.
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
  if (windows) {
    agent.bind(
      'docker_sock',
      AGENT_PATHS.dockerPipeWindows,
      AGENT_PATHS.dockerPipeWindows,
    );
  } else {
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

  if (features.apm) {
    agent.portMappings.push({
      hostPort: 8126,
      protocol: 'tcp',
      containerPort: 8126,
    });
    agent.env('DD_APM_ENABLED', 'true');
    // Only required up to Agent 7.17, harmless later, so always set: the tag may be older or unpinned.
    agent.env('DD_APM_NON_LOCAL_TRAFFIC', 'true');
  }
  if (features.dogstatsd) {
    agent.portMappings.push({
      hostPort: 8125,
      protocol: 'udp',
      containerPort: 8125,
    });
    agent.env('DD_DOGSTATSD_NON_LOCAL_TRAFFIC', 'true');
  }
  if (features.apmSocket) {
    // datadog-agent-ecs-apm-uds.json mounts this read-only, but the Agent creates its sockets here, so
    // it must be writable; the newer Managed Instances file (…-daemon-apm.json) uses readOnly false.
    agent.bind(
      'dd-sockets',
      AGENT_PATHS.socketDir,
      AGENT_PATHS.socketDir,
      false,
    );
  }
  if (features.logs) {
    agent.env('DD_LOGS_ENABLED', 'true');
    agent.env('DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL', 'true');
    if (windows) {
      agent.bind(
        'pointdir',
        AGENT_PATHS.pointdirWindows,
        AGENT_PATHS.pointdirWindows,
        false,
      );
    } else {
      agent.bind(
        'pointdir',
        AGENT_PATHS.pointdirLinux,
        AGENT_PATHS.pointdirLinux,
        false,
      );
      // The current guide adds this mount; the published datadog-agent-ecs-logs.json predates it.
      agent.bind(
        'containers_root',
        '/var/lib/docker/containers/',
        AGENT_PATHS.containersRoot,
        true,
      );
    }
  }
  if (features.process) {
    agent.env('DD_PROCESS_AGENT_ENABLED', 'true');
    if (linux) {
      agent.bind('passwd', AGENT_PATHS.passwd, AGENT_PATHS.passwd, true);
    }
  }
  if (features.npm) {
    // The current guide's variable; the published sysprobe files still use DD_SYSTEM_PROBE_ENABLED.
    agent.env('DD_SYSTEM_PROBE_NETWORK_ENABLED', 'true');
    agent.bind('debug', AGENT_PATHS.kernelDebug, AGENT_PATHS.kernelDebug);
  }
  if (features.resourceTags) {
    agent.env('DD_ECS_COLLECT_RESOURCE_TAGS_EC2', 'true');
  }
  if (features.fipsProxy) {
    agent.env('DD_FIPS_ENABLED', 'true');
    agent.env('DD_FIPS_PORT_RANGE_START', String(FIPS_PROXY.portRangeStart));
    agent.env('DD_FIPS_HTTPS', 'false');
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
    ...(features.npm
      ? { linuxParameters: { capabilities: { add: [...NPM_CAPABILITIES] } } }
      : {}),
    ...(features.healthCheck
      ? {
          healthCheck: {
            ...AGENT_HEALTH_CHECK,
            command: [...AGENT_HEALTH_CHECK.command],
          },
        }
      : {}),
  };

  const containerDefinitions = [agentContainer];
  if (features.fipsProxy) {
    containerDefinitions.push(
      fipsProxyContainer(o.fipsProxyImageTag ?? FIPS_PROXY.defaultTag),
    );
  }

  const requiresCompatibilities = [
    ...(features.npm ? ['EC2'] : []),
    ...(o.external ? ['EXTERNAL'] : []),
  ];
  return {
    containerDefinitions,
    volumes: agent.volumes,
    family: o.family ?? DEFAULT_AGENT_FAMILY,
    ...(requiresCompatibilities.length ? { requiresCompatibilities } : {}),
    ...(o.apiKey.source === 'secretsManager'
      ? { executionRoleArn: o.apiKey.executionRoleArn }
      : {}),
  };
}
