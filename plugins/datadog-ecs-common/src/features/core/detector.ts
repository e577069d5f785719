import {
  AGENT_MINIMUM_VERSIONS,
  formatAgentVersion,
  isAgentVersionAtLeast,
} from '../agentImage';
import { AGENT_PATHS, CGROUP_HOST_PATHS } from '../datadogDefaults';
import {
  defineDetector,
  DetectorFinding,
  findMount,
  volumeHostPath,
} from '../inspect';

/**
 * Core container monitoring: the Agent container itself, its host mounts, network mode and CPU units.
 *
 * @public
 */
export const coreFeature = defineDetector({
  id: 'core',
  title: 'Core container monitoring',
  description:
    'The Agent container that collects metrics about every container and task on its instance.',
  detectWithoutAgent: () => ({
    state: 'off',
    summary:
      'No Datadog Agent container: nothing is collected from the instances running this task.',
    findings: [
      {
        id: 'core.no-agent-container',
        severity: 'critical',
        title: 'No Datadog Agent container',
        explanation:
          'No container runs a Datadog Agent image and none is named "datadog-agent", so this task collects nothing.',
        remedy:
          'Use the documented task definition (datadog-agent-ecs.json, datadog-agent-ecs1.json on Amazon Linux 1, datadog-agent-ecs-win.json on Windows) with image public.ecr.aws/datadog/agent.',
      },
    ],
  }),
  detect: ctx => {
    const { agent, taskDefinition, version, windows, input } = ctx;
    const findings: DetectorFinding[] = [];

    if (taskDefinition.networkMode === 'awsvpc') {
      if (
        version &&
        !isAgentVersionAtLeast(version, AGENT_MINIMUM_VERSIONS.awsvpc)
      ) {
        findings.push({
          id: 'core.awsvpc-agent-too-old',
          severity: 'critical',
          title: 'Agent too old for awsvpc network mode',
          explanation: `The Agent (${formatAgentVersion(
            version,
          )}) runs in awsvpc network mode, which the guide supports only from Agent 6.10.`,
          remedy:
            'Upgrade the Agent image to 6.10 or later, or better, drop networkMode awsvpc and use bridge mode with port mappings.',
        });
      }
      findings.push({
        id: 'core.awsvpc-network-mode',
        severity: 'warning',
        title: 'Agent runs in awsvpc network mode',
        explanation:
          'awsvpc mode works (Agent 6.10+) but the Agent gets its own ENI IP address, which applications find hard to discover, so DogStatsD metrics and traces may not reach it.',
        remedy:
          'Remove networkMode awsvpc (bridge is the default) and map the APM/DogStatsD ports to the host, so applications can use the host IP from the instance metadata.',
      });
    }

    if (!windows) {
      const cgroupMount = findMount(agent, AGENT_PATHS.cgroup);
      const cgroupHostPath = volumeHostPath(
        taskDefinition,
        cgroupMount?.sourceVolume,
      );
      const generations = (input.instances ?? [])
        .filter(i => i.os === 'linux' && i.amazonLinuxGeneration !== undefined)
        .map(i => i.amazonLinuxGeneration);
      const expected = generations.map(g =>
        g === 1 ? CGROUP_HOST_PATHS.amazonLinux1 : CGROUP_HOST_PATHS.modern,
      );
      const mismatched = [...new Set(expected)].filter(
        path =>
          cgroupHostPath &&
          path.replace(/\/$/, '') !== cgroupHostPath.replace(/\/$/, ''),
      );
      if (cgroupHostPath && mismatched.length > 0) {
        findings.push({
          id: 'core.cgroup-path-mismatch',
          severity: 'critical',
          title: 'Wrong cgroup path for the instances',
          explanation: `The cgroup volume mounts host path ${cgroupHostPath}, but some container instances keep their cgroups at ${mismatched.join(
            ' and ',
          )}; on those the Agent cannot read container CPU and memory metrics.`,
          remedy:
            'Set the cgroup volume host.sourcePath to /sys/fs/cgroup/ on Amazon Linux 2 and 2023 (datadog-agent-ecs.json) or /cgroup/ on Amazon Linux 1 (datadog-agent-ecs1.json); run one definition per generation if the cluster mixes them.',
        });
      }
    }

    const cpu = agent.cpu;
    if (windows && (cpu === undefined || cpu < 512)) {
      findings.push({
        id: 'core.windows-cpu-below-512',
        severity: 'warning',
        title: 'Windows Agent has fewer than 512 CPU units',
        explanation: `The Windows Agent container has ${
          cpu ?? 'no'
        } CPU units; the guide requires at least 512 on Windows, otherwise the Agent is starved and checks time out.`,
        remedy:
          'Set the Agent container "cpu" to 512 (datadog-agent-ecs-win.json).',
      });
    } else if (cpu !== undefined && cpu > 0 && cpu <= 10) {
      findings.push({
        id: 'core.cpu-10-units-or-fewer',
        severity: 'info',
        title: 'Agent CPU graph will read about 1000%',
        explanation: `With ${cpu} CPU units, aws.ecs.cpuutilization for the Agent service can show around 1000% because of how AWS reports CPU usage against tiny reservations.`,
        remedy:
          'Give the Agent container more CPU units; the current published definition uses 100.',
      });
    }

    const details: Record<string, string> = {
      container: agent.name ?? '(unnamed)',
      os: windows ? 'windows' : 'linux',
      networkMode: taskDefinition.networkMode ?? 'bridge (default)',
    };
    if (cpu !== undefined) details.cpu = String(cpu);
    if (agent.memory !== undefined) details.memory = String(agent.memory);
    return {
      state: findings.some(f => f.severity !== 'info') ? 'misconfigured' : 'on',
      summary:
        'The Agent collects metrics about the containers and tasks on each instance it runs on.',
      findings,
      details,
    };
  },
});
