import {
  AGENT_MINIMUM_VERSIONS,
  formatAgentVersion,
  isAgentVersionAtLeast,
} from '../agentImage';
import { AGENT_PATHS, MANAGED_INSTANCES } from '../datadogDefaults';
import {
  AgentContext,
  defineDetector,
  DetectorFinding,
  isTrue,
  samePath,
  volumeHostPath,
} from '../inspect';

const FILE = 'datadog-agent-ecs-managed-instances-daemon.json';
const CRI = MANAGED_INSTANCES.criSocketPathEnv;
const SOCKET = MANAGED_INSTANCES.containerdSocket;

/** The Agent's mount of a host path, if any. */
function mountOfHostPath(ctx: AgentContext, hostPath: string) {
  return ctx.agent.mountPoints?.find(m =>
    samePath(volumeHostPath(ctx.taskDefinition, m.sourceVolume), hostPath),
  );
}

/**
 * A task-level size in CPU units or MiB: an integer, or as ECS also writes them `0.25 vCPU` / `1 GB`
 * (1024 units per vCPU, 1024 MiB per GB).
 */
function parseTaskSize(value: string | undefined): number | undefined {
  const m = value ? /^\s*(\d+(?:\.\d+)?)\s*(vcpu|gb)?\s*$/i.exec(value) : null;
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? 1024 : 1);
}

/** A daemon task's size: the task-level value, else the Agent container's (cpu 0 means unset). */
function sizeOf(
  taskLevel: string | undefined,
  containerLevel: number | undefined,
): number | undefined {
  return parseTaskSize(taskLevel) ?? (containerLevel || undefined);
}

/** The containerd socket and ECS_MANAGED_INSTANCES: how the Agent finds the containers. */
function runtimeFindings(ctx: AgentContext): DetectorFinding[] {
  const findings: DetectorFinding[] = [];
  if (!isTrue(ctx.env(MANAGED_INSTANCES.managedInstancesEnv))) {
    findings.push({
      id: 'managedInstances.missing-managed-instances-env',
      severity: 'critical',
      title: 'ECS_MANAGED_INSTANCES is not set',
      explanation:
        'The Agent runs as a managed daemon on ECS Managed Instances but is not told so (ECS_MANAGED_INSTANCES=true), so it looks for the Docker-based ECS setup it does not find there and misses the instance’s tasks and containers.',
      remedy: `Add the environment variable ECS_MANAGED_INSTANCES=true to the Agent container, as ${FILE} does.`,
    });
  }
  const socketMount = mountOfHostPath(ctx, SOCKET);
  const criPath = ctx.env(CRI);
  if (!socketMount) {
    findings.push({
      id: 'managedInstances.missing-containerd-socket-mount',
      severity: 'critical',
      title: 'The containerd socket is not mounted',
      explanation: `ECS Managed Instances run containerd, not Docker; without the host's ${SOCKET} mounted into the Agent container the Agent sees no container.`,
      remedy: `Add a volume "${MANAGED_INSTANCES.containerdSocketVolume}" with host.sourcePath ${SOCKET} and mount it read-only at ${SOCKET}, as ${FILE} does.`,
    });
  }
  if (!criPath) {
    findings.push({
      id: 'managedInstances.cri-socket-path',
      severity: 'critical',
      title: 'DD_CRI_SOCKET_PATH is not set',
      explanation:
        'Without DD_CRI_SOCKET_PATH the Agent does not know where the containerd socket is, so it collects no container metrics on ECS Managed Instances.',
      remedy: `Set DD_CRI_SOCKET_PATH=${SOCKET} (the socket's path inside the Agent container), as ${FILE} does.`,
    });
  } else if (
    socketMount &&
    !samePath(criPath, socketMount.containerPath ?? '')
  ) {
    findings.push({
      id: 'managedInstances.cri-socket-path',
      severity: 'critical',
      title: 'DD_CRI_SOCKET_PATH does not point at the containerd socket',
      explanation: `DD_CRI_SOCKET_PATH is ${criPath}, but the containerd socket is mounted at ${socketMount.containerPath} in the Agent container, so the Agent cannot reach containerd.`,
      remedy: `Set DD_CRI_SOCKET_PATH to the container path of the containerd socket mount (${SOCKET} in ${FILE}).`,
    });
  }
  if (mountOfHostPath(ctx, AGENT_PATHS.dockerSocketLinux)) {
    findings.push({
      id: 'managedInstances.docker-socket',
      severity: 'warning',
      title: 'Docker socket mounted on Managed Instances',
      explanation:
        'ECS Managed Instances run containerd without Docker, so the host has no /var/run/docker.sock: the mount gives the Agent nothing to read (and a missing host path can keep the daemon task from starting).',
      remedy: `Remove the docker_sock volume and mount; mount the containerd socket instead, as ${FILE} does.`,
    });
  }
  return findings;
}

/** The documented minimum Agent and daemon task sizes. */
function sizeFindings(ctx: AgentContext): DetectorFinding[] {
  const findings: DetectorFinding[] = [];
  const { version, taskDefinition, agent } = ctx;
  if (
    version &&
    !isAgentVersionAtLeast(version, AGENT_MINIMUM_VERSIONS.managedInstances)
  ) {
    findings.push({
      id: 'managedInstances.agent-too-old',
      severity: 'critical',
      title: 'Agent older than 7.77 on Managed Instances',
      explanation: `The Agent (${formatAgentVersion(
        version,
      )}) runs as a managed daemon on ECS Managed Instances, which Datadog supports from Agent 7.77.0 only: older Agents do not collect the instance's containers there.`,
      remedy:
        'Use Agent 7.77.0 or later, e.g. public.ecr.aws/datadog/agent:7.77.0 (the published daemon file uses latest).',
    });
  }
  const cpu = sizeOf(taskDefinition.cpu, agent.cpu);
  if (cpu === undefined || cpu < MANAGED_INSTANCES.taskCpu) {
    findings.push({
      id: 'managedInstances.cpu-below-minimum',
      severity: 'warning',
      title: `Daemon task below ${MANAGED_INSTANCES.taskCpu} CPU units`,
      explanation: `The Agent's daemon task ${
        cpu === undefined ? 'reserves no CPU' : `has ${cpu} CPU units`
      }; Datadog's Managed Instances daemon sizes it at ${
        MANAGED_INSTANCES.taskCpu
      }, and a starved Agent misses checks (for a critical daemon, an unhealthy Agent gets its instance drained and replaced).`,
      remedy: `Set the daemon task definition's "cpu" to "${MANAGED_INSTANCES.taskCpu}" or more, as ${FILE} does.`,
    });
  }
  const memory = sizeOf(
    taskDefinition.memory,
    agent.memory ?? agent.memoryReservation,
  );
  if (memory === undefined || memory < MANAGED_INSTANCES.taskMemory) {
    findings.push({
      id: 'managedInstances.memory-below-minimum',
      severity: 'warning',
      title: `Daemon task below ${MANAGED_INSTANCES.taskMemory} MiB`,
      explanation: `The Agent's daemon task ${
        memory === undefined ? 'reserves no memory' : `has ${memory} MiB`
      }; Datadog's Managed Instances daemon sizes it at ${
        MANAGED_INSTANCES.taskMemory
      } MiB, and an Agent killed for memory stops collecting (for a critical daemon, its instance is drained and replaced).`,
      remedy: `Set the daemon task definition's "memory" to "${MANAGED_INSTANCES.taskMemory}" or more, as ${FILE} does.`,
    });
  }
  return findings;
}

/**
 * The Agent on ECS Managed Instances, run as an ECS Managed Daemon: Datadog's published daemon file
 * and its guide (Agent 7.77.0+, the containerd socket with DD_CRI_SOCKET_PATH, ECS_MANAGED_INSTANCES,
 * a daemon task of cpu 256 and memory 512). Features that do not work there are reported by their
 * own detectors (logs) or refused when rendering (host ports, NPM, the FIPS proxy).
 *
 * @public
 */
export const managedInstancesFeature = defineDetector({
  id: 'managedInstances',
  title: 'ECS Managed Instances',
  description:
    'Runs the Agent as an ECS Managed Daemon on Managed Instances: containerd socket with DD_CRI_SOCKET_PATH, ECS_MANAGED_INSTANCES=true, Agent 7.77.0+, daemon task cpu 256 / memory 512.',
  detect: ctx => {
    if (!ctx.managedInstances) {
      return {
        state: 'not-applicable',
        summary:
          'The definition is not a managed daemon’s: it runs on EC2 or ECS Anywhere container instances, not on ECS Managed Instances.',
        findings: [],
      };
    }
    const findings = [...runtimeFindings(ctx), ...sizeFindings(ctx)];
    return {
      state: findings.some(f => f.severity !== 'info') ? 'misconfigured' : 'on',
      summary:
        'The Agent runs as a managed daemon on each ECS Managed Instance and reads its containers through containerd.',
      findings,
      details: {
        criSocketPath: ctx.env(CRI) ?? '(not set)',
        cpu: ctx.taskDefinition.cpu ?? '(not set)',
        memory: ctx.taskDefinition.memory ?? '(not set)',
      },
    };
  },
});
