import { EcsContainerDefinition, EcsTaskDefinition } from '../ecsTypes';
import { isAgentImage } from './agentImage';
import { FIPS_PROXY } from './datadogDefaults';
import { Finding } from './types';

/**
 * Which Agent features the cluster's Agent provides, as far as application findings care.
 *
 * @public
 */
export interface ApplicationAgentFeatures {
  apm: boolean;
  dogstatsd: boolean;
  logs: boolean;
}

/**
 * Docker's default driver: the Agent reads these logs through Docker, so it does not bypass the Agent.
 */
const AGENT_READABLE_LOG_DRIVERS = ['json-file'];

/** Variables that tell a tracer or DogStatsD client where the Agent is. */
const AGENT_ENDPOINT_VARIABLES = [
  'DD_AGENT_HOST',
  'DD_TRACE_AGENT_URL',
  'DD_DOGSTATSD_URL',
];

function setsAgentEndpoint(container: EcsContainerDefinition): boolean {
  const names = [
    ...(container.environment ?? []).map(e => e.name),
    ...(container.secrets ?? []).map(s => s.name),
  ];
  if (names.some(n => n && AGENT_ENDPOINT_VARIABLES.includes(n))) {
    return true;
  }
  // The guide's Java and .NET examples export DD_AGENT_HOST from the instance metadata in the entry point.
  const script = [
    ...(container.entryPoint ?? []),
    ...(container.command ?? []),
  ].join(' ');
  return AGENT_ENDPOINT_VARIABLES.some(v => script.includes(v));
}

/**
 * Findings about an application's own task definition (shown on catalog service pages): settings that
 * keep its logs, traces or custom metrics from reaching the cluster's Agent.
 *
 * @public
 */
export function detectApplicationFindings(
  taskDefinition: EcsTaskDefinition,
  agentFeatures: ApplicationAgentFeatures,
): Finding[] {
  const findings: Finding[] = [];
  const containers = (taskDefinition.containerDefinitions ?? []).filter(
    c => !isAgentImage(c.image) && c.name !== FIPS_PROXY.containerName,
  );

  if (agentFeatures.logs) {
    const bypassing = containers.filter(c => {
      const driver = c.logConfiguration?.logDriver;
      return driver && !AGENT_READABLE_LOG_DRIVERS.includes(driver);
    });
    if (bypassing.length > 0) {
      const list = bypassing
        .map(c => `${c.name} (${c.logConfiguration?.logDriver})`)
        .join(', ');
      findings.push({
        id: 'application.log-driver-bypasses-agent',
        severity: 'warning',
        feature: 'logs',
        title: 'Logs bypass the Datadog Agent',
        explanation: `The containers ${list} send their logs through a log driver, so the Agent on the instance never sees them even though it collects logs.`,
        remedy:
          'Remove logConfiguration.logDriver from these containers so they log to stdout/stderr; if you must keep awslogs, forward the CloudWatch logs with the Datadog Lambda forwarder instead.',
      });
    }
  }

  if (agentFeatures.apm || agentFeatures.dogstatsd) {
    const what = [
      agentFeatures.apm ? 'traces' : undefined,
      agentFeatures.dogstatsd ? 'custom metrics' : undefined,
    ]
      .filter(Boolean)
      .join(' and ');
    const withoutHost = containers.filter(c => !setsAgentEndpoint(c));
    if (withoutHost.length > 0) {
      findings.push({
        id: 'application.agent-host-missing',
        severity: 'warning',
        feature: agentFeatures.apm ? 'apm' : 'dogstatsd',
        title: 'DD_AGENT_HOST not set',
        explanation: `The containers ${withoutHost
          .map(c => c.name)
          .join(
            ', ',
          )} do not set DD_AGENT_HOST, so their ${what} go to localhost, where no Agent listens; the Agent runs on the host.`,
        remedy:
          'Set DD_AGENT_HOST to the instance private IP from the instance metadata, e.g. an entryPoint that runs export DD_AGENT_HOST=$(curl http://169.254.169.254/latest/meta-data/local-ipv4) before the application.',
      });
    }
    if (taskDefinition.networkMode === 'awsvpc') {
      findings.push({
        id: 'application.awsvpc-network-mode',
        severity: 'info',
        feature: agentFeatures.apm ? 'apm' : 'dogstatsd',
        title: 'Application in awsvpc network mode',
        explanation:
          'In awsvpc mode the task has its own network interface and cannot reach the Agent through the Docker bridge; it must use the instance private IP, and the security groups must allow it.',
        remedy:
          'Set DD_AGENT_HOST to the instance private IP and allow the task’s security group to reach the instance on 8126/tcp and 8125/udp (never from the internet).',
      });
    }
  }
  return findings;
}
