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

/** Where applications send their metrics. */
const appTransport = (managedInstances: boolean, socket: boolean) =>
  managedInstances && socket
    ? 'The Agent receives custom metrics from application containers over the Unix socket: they mount /var/run/datadog and send to /var/run/datadog/dsd.socket.'
    : 'The Agent receives custom metrics from application containers; they must send them to the host (DD_AGENT_HOST = the instance private IP).';

/**
 * DogStatsD: custom metrics from applications on host port 8125/udp.
 *
 * @public
 */
export const dogstatsdFeature = defineDetector({
  id: 'dogstatsd',
  title: 'DogStatsD (custom metrics)',
  description:
    'Receives custom metrics from application containers on host port 8125/udp (DD_DOGSTATSD_NON_LOCAL_TRAFFIC).',
  detect: ctx => {
    const { agent, env } = ctx;
    if (isFalse(env('DD_USE_DOGSTATSD'))) {
      return {
        state: 'off',
        summary:
          'DogStatsD is disabled (DD_USE_DOGSTATSD=false): custom metrics are not collected.',
        findings: [],
      };
    }
    const nonLocal = isTrue(env('DD_DOGSTATSD_NON_LOCAL_TRAFFIC'));
    const port = findPortMapping(agent, 8125, 'udp');
    const socket = findMount(agent, AGENT_PATHS.socketDir);
    const findings: DetectorFinding[] = [];
    if (port && !nonLocal) {
      findings.push({
        id: 'dogstatsd.port-without-non-local-traffic',
        severity: 'critical',
        title: 'DogStatsD port mapped without DD_DOGSTATSD_NON_LOCAL_TRAFFIC',
        explanation:
          'Port 8125/udp is mapped to the host, but the Agent only accepts DogStatsD packets from inside its own container, so metrics sent by applications are dropped.',
        remedy:
          'Add the environment variable DD_DOGSTATSD_NON_LOCAL_TRAFFIC=true to the Agent container.',
      });
    }
    // A managed daemon's definition has no port mappings: applications use the socket (or the daemon bridge).
    if (nonLocal && !port && !ctx.managedInstances) {
      findings.push({
        id: 'dogstatsd.non-local-traffic-without-port',
        severity: 'warning',
        title:
          'DD_DOGSTATSD_NON_LOCAL_TRAFFIC set without the 8125/udp port mapping',
        explanation:
          'The Agent accepts DogStatsD traffic from other containers, but 8125/udp is not mapped to the host, so applications sending to the host IP cannot reach it.',
        remedy:
          'Add a port mapping { "containerPort": 8125, "hostPort": 8125, "protocol": "udp" } to the Agent container.',
      });
    }
    const enabled = (!!port && nonLocal) || !!socket;
    return {
      state: findings.length
        ? stateFor(true, findings)
        : stateFor(enabled, findings),
      summary: enabled
        ? appTransport(ctx.managedInstances, !!socket)
        : 'DogStatsD only listens inside the Agent container: custom metrics from applications are not collected.',
      findings,
      details: socket
        ? { transport: port ? 'udp 8125, unix socket' : 'unix socket' }
        : undefined,
    };
  },
});
