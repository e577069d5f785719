/*
 * Cluster-level findings: the backend detects these from ListServices/ListTasks, but their texts live
 * here with every other finding.
 */
import { Finding } from './types';

/**
 * More than one Agent daemon runs on the same cluster, so each instance runs several Agents.
 *
 * @public
 */
export function multipleAgentDaemonsFinding(
  serviceNames: readonly string[],
): Finding {
  return {
    id: 'cluster.multiple-agent-daemons',
    severity: 'warning',
    feature: 'core',
    title: 'Several Agent daemon services',
    explanation: `The services ${serviceNames.join(
      ', ',
    )} all run the Datadog Agent as a daemon, so every instance runs several Agents: metrics are counted twice and resources wasted.`,
    remedy:
      'Keep one Datadog Agent daemon service per cluster and delete the others.',
  };
}

/**
 * The Agent runs as a service that is not a DAEMON (e.g. REPLICA), so some instances have no Agent.
 *
 * @public
 */
export function agentNotDaemonFinding(
  serviceName: string,
  schedulingStrategy: string,
): Finding {
  return {
    id: 'cluster.agent-not-daemon',
    severity: 'warning',
    feature: 'core',
    title: 'Agent service is not a daemon',
    explanation: `The service ${serviceName} runs the Agent with the ${schedulingStrategy} strategy, so instances can have zero or several Agents instead of exactly one.`,
    remedy:
      'Run the Agent task definition as a service with scheduling strategy DAEMON (one task per container instance), then delete this service.',
  };
}

/**
 * Agent tasks started outside any service: nothing restarts them or places them on new instances.
 *
 * @public
 */
export function agentStandaloneTasksFinding(taskCount: number): Finding {
  return {
    id: 'cluster.agent-standalone-tasks',
    severity: 'warning',
    feature: 'core',
    title: 'Agent tasks outside a service',
    explanation: `${taskCount} Agent task(s) were started directly (RunTask/StartTask); no service restarts them when they stop or starts one on new instances.`,
    remedy: 'Run the Agent as a DAEMON service and stop the standalone tasks.',
  };
}

/**
 * Agent tasks RUNNING under a health check whose health ECS still reports UNKNOWN after the check's
 * grace period (`startPeriod + interval × retries`), or with no start time to judge by: counted as
 * covered, but nobody knows whether the Agent works.
 *
 * @public
 */
export function agentHealthUnknownFinding(
  instanceIds: readonly string[],
): Finding {
  return {
    id: 'cluster.agent-health-unknown',
    severity: 'warning',
    feature: 'healthCheck',
    title: 'Agent health unknown',
    explanation: `ECS reports the health of the Agent task as UNKNOWN on ${
      instanceIds.length
    } instance(s) (${instanceIds.join(
      ', ',
    )}) although its health check should have passed or failed by now. They count as covered, health unknown.`,
    remedy:
      'Check the Agent container on those instances (docker inspect, the ECS agent log): the health check command ["CMD-SHELL", "agent health"] must be able to run in the container, and the ECS agent must be connected to report its result.',
  };
}
