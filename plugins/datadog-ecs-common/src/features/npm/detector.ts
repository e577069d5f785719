import { AGENT_PATHS, NPM_CAPABILITIES } from '../datadogDefaults';
import {
  defineDetector,
  DetectorFinding,
  findMount,
  isTrue,
  stateFor,
} from '../inspect';

/**
 * Network performance monitoring (system-probe).
 *
 * @public
 */
export const npmFeature = defineDetector({
  id: 'npm',
  title: 'Network performance monitoring',
  description:
    'Runs system-probe to collect network flows (DD_SYSTEM_PROBE_NETWORK_ENABLED), Linux only; needs kernel capabilities and the debugfs mount.',
  detect: ctx => {
    const { agent, env, windows } = ctx;
    const current = isTrue(env('DD_SYSTEM_PROBE_NETWORK_ENABLED'));
    const legacy = isTrue(env('DD_SYSTEM_PROBE_ENABLED'));
    const enabled = current || legacy;
    const findings: DetectorFinding[] = [];
    if (!enabled) {
      return {
        state: 'off',
        summary:
          'Network performance monitoring is off: network flows are not collected.',
        findings,
      };
    }
    if (windows) {
      findings.push({
        id: 'npm.windows-unsupported',
        severity: 'critical',
        title: 'Network performance monitoring on Windows',
        explanation:
          'The guide documents network performance monitoring on ECS for Linux only.',
        remedy:
          'Remove DD_SYSTEM_PROBE_NETWORK_ENABLED from the Windows Agent definition.',
      });
    } else {
      const granted = new Set(agent.linuxParameters?.capabilities?.add ?? []);
      const missing = NPM_CAPABILITIES.filter(c => !granted.has(c));
      if (missing.length > 0) {
        findings.push({
          id: 'npm.missing-capabilities',
          severity: 'critical',
          title: 'system-probe lacks kernel capabilities',
          explanation: `system-probe cannot load its eBPF probes without the capabilities ${missing.join(
            ', ',
          )}.`,
          remedy: `Add to linuxParameters.capabilities.add: ${NPM_CAPABILITIES.join(
            ', ',
          )}.`,
        });
      }
      if (!findMount(agent, AGENT_PATHS.kernelDebug)) {
        findings.push({
          id: 'npm.missing-debug-mount',
          severity: 'critical',
          title: 'system-probe without the debugfs mount',
          explanation:
            'system-probe needs the host /sys/kernel/debug to attach its kernel probes.',
          remedy:
            'Add a volume "debug" with host.sourcePath /sys/kernel/debug and mount it at /sys/kernel/debug.',
        });
      }
    }
    if (legacy && !current) {
      findings.push({
        id: 'npm.legacy-variable',
        severity: 'info',
        title: 'Legacy DD_SYSTEM_PROBE_ENABLED',
        explanation:
          'The published sysprobe files use DD_SYSTEM_PROBE_ENABLED; the current guide uses DD_SYSTEM_PROBE_NETWORK_ENABLED.',
        remedy:
          'Replace DD_SYSTEM_PROBE_ENABLED with DD_SYSTEM_PROBE_NETWORK_ENABLED=true.',
      });
    }
    return {
      state: stateFor(enabled, findings),
      summary:
        'system-probe collects network flows between containers, hosts and services.',
      findings,
    };
  },
});
