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

/**
 * EC2 DescribeImages failed for the cluster's AMIs (`ecs.ami-id`): the Amazon Linux generation of its
 * Linux instances is unknown. `reason` is the error in words, e.g. "not authorized to
 * ec2:DescribeImages (UnauthorizedOperation)".
 *
 * @public
 */
export function amiUnreadableFinding(
  reason: string,
  instanceIds: readonly string[],
): Finding {
  return {
    id: 'cluster.ami-unreadable',
    severity: 'warning',
    feature: 'core',
    title: 'AMI could not be read',
    explanation: `AMI could not be read: ${reason}. The Amazon Linux generation of ${
      instanceIds.length
    } instance(s) (${instanceIds.join(
      ', ',
    )}) is unknown, so the Agent's cgroup path cannot be checked and a rollout assumes Amazon Linux 2 / 2023.`,
    remedy:
      'Allow ec2:DescribeImages to the inventory role (iam/inventory-policy.json), or state the generation with the container-instance attribute datadog.amazon-linux-generation (1, 2 or 2023; ECS PutAttributes).',
  };
}

/**
 * Linux EC2 instances whose Amazon Linux generation nothing tells: their AMI is not an Amazon Linux
 * AMI by name (a custom AMI) or the account cannot read it, and no attribute states it.
 *
 * @public
 */
export function amazonLinuxGenerationUnknownFinding(
  instanceIds: readonly string[],
  amis: readonly string[],
): Finding {
  return {
    id: 'cluster.amazon-linux-generation-unknown',
    severity: 'info',
    feature: 'core',
    title: 'Amazon Linux generation unknown',
    explanation: `The Amazon Linux generation of ${
      instanceIds.length
    } instance(s) (${instanceIds.join(', ')}) is unknown: their AMI (${
      amis.join(', ') || 'none reported'
    }) is not an Amazon Linux AMI by its name (a custom AMI) or this account cannot read it. The Agent's cgroup path cannot be checked, and a rollout assumes Amazon Linux 2 / 2023 (cgroup /sys/fs/cgroup/) unless you choose Amazon Linux 1 (/cgroup/).`,
    remedy:
      'State the generation with the container-instance attribute datadog.amazon-linux-generation (1, 2 or 2023; ECS PutAttributes, e.g. from the instance user data), or choose the variant in the rollout dialog.',
  };
}

/**
 * Tasks of ECS Managed Daemons (daemon task definitions, on Managed Instances) run on the
 * cluster: this version of the inventory does not read managed daemons yet, so their instances'
 * coverage is not what the daemon gives them.
 *
 * @public
 */
export function managedDaemonsNotInventoriedFinding(
  daemonTaskDefinitions: readonly string[],
): Finding {
  return {
    id: 'cluster.managed-daemons-not-inventoried',
    severity: 'info',
    feature: 'core',
    title: 'Managed daemons not inventoried',
    explanation: `The cluster runs tasks of ECS Managed Daemons (${daemonTaskDefinitions.join(
      ', ',
    )}). The inventory does not read managed daemons yet: their task definitions are not inspected, and instances covered only by a managed daemon are not counted as covered.`,
    remedy:
      'Check the daemon in the ECS console (Daemons) until the portal inventories Managed Instances.',
  };
}

/**
 * The cluster's capacity providers or managed daemons could not be read (the daemon API is denied,
 * throttled, …): its Managed Instances' coverage is not known.
 *
 * @public
 */
export function managedDaemonsUnreadableFinding(message: string): Finding {
  return {
    id: 'cluster.managed-daemons-unreadable',
    severity: 'warning',
    feature: 'core',
    title: 'Managed Instances not readable',
    explanation: `The cluster's capacity providers or ECS Managed Daemons could not be read (${message}), so which instances are Managed Instances, and whether a managed daemon brings the Agent there, is not known.`,
    remedy:
      'Allow the inventory role ecs:DescribeCapacityProviders, ecs:ListDaemons, ecs:DescribeDaemon, ecs:DescribeDaemonRevisions, ecs:DescribeDaemonTaskDefinition and ecs:DescribeDaemonDeployments (iam/inventory-policy.json).',
  };
}
