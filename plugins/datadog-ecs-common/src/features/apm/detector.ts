import { AGENT_MINIMUM_VERSIONS, isAgentVersionAtLeast } from '../agentImage';
import { AGENT_PATHS } from '../datadogDefaults';
import {
  defineDetector,
  DetectorFinding,
  findMount,
  findPortMapping,
  isFalse,
  isTrue,
  stateFor,
} from '../inspect';

/** Where applications send their traces. */
const appTransport = (managedInstances: boolean, socket: boolean) =>
  managedInstances && socket
    ? 'The Agent receives traces from application containers over the Unix socket: they mount /var/run/datadog and send to unix:///var/run/datadog/apm.socket.'
    : 'The Agent receives traces from application containers; they must send them to the host (DD_AGENT_HOST = the instance private IP).';

/**
 * APM: the trace Agent receiving traces from applications on 8126/tcp (or the `/var/run/datadog` socket).
 *
 * @public
 */
export const apmFeature = defineDetector({
  id: 'apm',
  title: 'APM (traces)',
  description:
    'Receives traces from application containers on host port 8126/tcp (DD_APM_ENABLED, DD_APM_NON_LOCAL_TRAFFIC) or a shared Unix socket.',
  detect: ctx => {
    const { agent, env, version, managedInstances } = ctx;
    const apmEnabled = env('DD_APM_ENABLED');
    const nonLocal = isTrue(env('DD_APM_NON_LOCAL_TRAFFIC'));
    const port = findPortMapping(agent, 8126, 'tcp');
    const socket = findMount(agent, AGENT_PATHS.socketDir);
    const findings: DetectorFinding[] = [];

    if (isFalse(apmEnabled)) {
      return {
        state: 'off',
        summary:
          'APM is disabled (DD_APM_ENABLED=false): the Agent accepts no traces.',
        findings,
      };
    }
    const enabled = isTrue(apmEnabled) || !!port || nonLocal || !!socket;
    // Agent 6.18/7.18+ images accept non-local traces by default, so the variable only matters before that
    // (the guide: "required for Agent 7.17 or lower"); with an unpinned tag we cannot tell, so we still warn.
    const nonLocalByDefault =
      !!version &&
      isAgentVersionAtLeast(
        version,
        AGENT_MINIMUM_VERSIONS.apmNonLocalTrafficDefault,
      );
    if (port && !nonLocal && !nonLocalByDefault) {
      findings.push({
        id: 'apm.port-without-non-local-traffic',
        severity: 'warning',
        title: 'APM port mapped without DD_APM_NON_LOCAL_TRAFFIC',
        explanation:
          'Port 8126/tcp is mapped to the host, but without DD_APM_NON_LOCAL_TRAFFIC=true Agents up to 7.17 drop traces that come from other containers.',
        remedy:
          'Add the environment variable DD_APM_NON_LOCAL_TRAFFIC=true to the Agent container.',
      });
    }
    // A managed daemon's definition cannot map ports: applications use the socket (or the daemon
    // bridge), so the port mapping this finding asks for cannot be added.
    if (
      !managedInstances &&
      !port &&
      !socket &&
      (nonLocal || isTrue(apmEnabled))
    ) {
      findings.push({
        id: 'apm.non-local-traffic-without-port',
        severity: 'warning',
        title: 'APM enabled without the 8126/tcp port mapping',
        explanation:
          'APM is enabled for other containers, but port 8126/tcp is not mapped to the host, so applications sending to the host IP cannot reach the Agent.',
        remedy:
          'Add a port mapping { "containerPort": 8126, "hostPort": 8126, "protocol": "tcp" } to the Agent container.',
      });
    }
    const transports = [
      port ? 'tcp 8126' : undefined,
      socket ? 'unix socket' : undefined,
    ].filter((t): t is string => !!t);
    return {
      state: stateFor(enabled, findings),
      summary: enabled
        ? appTransport(managedInstances, !!socket)
        : 'APM is not set up for other containers: traces from applications are not collected.',
      findings,
      details: transports.length
        ? { transport: transports.join(', ') }
        : undefined,
    };
  },
});
