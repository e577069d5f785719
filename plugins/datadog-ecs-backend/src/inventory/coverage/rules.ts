import {
  AgentTaskSummary,
  InstanceCapacity,
  InstanceCoverage,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  Service,
  Task,
  TaskDefinition,
} from '../../aws/EcsGateway';
import type { InventoriedInstance } from '../instances';
import { isUpToDate, revisionOf } from './ecs';
import { AgentManagedDaemon } from './managedDaemons';
import { AgentTaskHealth } from './health';
import { osMismatch } from './os';
import { PlacementFailure } from './placement';

/**
 * What a coverage rule reads: one container instance, the Agent tasks on it, and what the cluster
 * says about it. Built by `coverageRuleContext` (instance.ts); plain data plus two pure readers.
 */
export interface CoverageRuleContext {
  instance: InventoriedInstance;
  /** ECS's status of the instance: ACTIVE or DRAINING. */
  status: string;
  /** False when ECS says the ECS agent on the instance is disconnected. */
  agentConnected: boolean;
  /** The RUNNING Agent task that counts here: on the current revision first, then a HEALTHY one. */
  running?: Task;
  /** An Agent task here still PROVISIONING, PENDING or ACTIVATING. */
  starting?: Task;
  /** The newest stopped Agent task here. */
  stopped?: Task;
  /**
   * The cluster's Agent DAEMON service and its current definition, if any (never on Managed
   * Instances: a DAEMON service does not place tasks there).
   */
  daemon?: { service: Service; taskDefinition?: TaskDefinition };
  /** The capacity the instance belongs to (absent: EC2). */
  capacity?: InstanceCapacity;
  /** On Managed Instances: the Agent managed daemon serving the instance's capacity provider. */
  managedDaemon?: AgentManagedDaemon;
  /** The cluster's Agent DAEMON service's name, on Managed Instances too (for the reasons). */
  daemonServiceName?: string;
  /** Agent services that are not DAEMON (REPLICA): they do not place one task per instance. */
  nonDaemonAgentServices: Service[];
  /** ECS's latest "unable to place a task" event naming this instance. */
  placementFailure?: PlacementFailure;
  /** The daemon's (or managed daemon's) current task definition ARN. */
  currentArn?: string;
  /** The API view of an Agent task. */
  summarize(task: Task): AgentTaskSummary;
  /** Whether the task's definition gives the Agent container a health check. */
  hasHealthCheck(task: Task): boolean;
  /** The task's health as ECS defines it, at the observation time (health.ts). */
  healthOf(task: Task): AgentTaskHealth;
}

/** What a rule decides: the instance's state, the Agent task shown, the reason (with ECS's evidence). */
export type CoverageVerdict = Pick<
  InstanceCoverage,
  'state' | 'agentTask' | 'reason'
>;

/** One named coverage rule: when it applies, and the verdict it gives. Both pure. */
export interface CoverageRule {
  id: string;
  applies(ctx: CoverageRuleContext): boolean;
  verdict(ctx: CoverageRuleContext): CoverageVerdict;
}

const runningWithHealth = (ctx: CoverageRuleContext, health: AgentTaskHealth) =>
  ctx.running !== undefined && ctx.healthOf(ctx.running) === health;

const onManagedInstances = (ctx: CoverageRuleContext) =>
  ctx.capacity?.kind === 'managed-instances';

/** " (exit code N): reason" of a stopped Agent task. */
function stoppedWhy(ctx: CoverageRuleContext, task: Task): string {
  const { exitCode } = ctx.summarize(task);
  const exit = exitCode !== undefined ? ` (exit code ${exitCode})` : '';
  return `${exit}: ${task.stoppedReason ?? 'no reason given'}`;
}

/**
 * The coverage rules, evaluated in this order: the first that applies decides. The order is the
 * decision: a RUNNING Agent task first (then its ECS agent, health, revision), then a task
 * starting, then what keeps ECS from placing one (DRAINING, disconnected ECS agent), the last
 * stopped task, no daemon at all, an OS mismatch, ECS's placement failure, and last, no reason yet.
 */
export const COVERAGE_RULES: readonly CoverageRule[] = [
  {
    // A RUNNING Agent task on an instance whose ECS agent is disconnected.
    id: 'agent-disconnected-while-running',
    applies: ctx => ctx.running !== undefined && !ctx.agentConnected,
    verdict: ctx => ({
      state: 'unhealthy',
      agentTask: ctx.summarize(ctx.running!),
      reason: {
        code: 'agent-disconnected',
        message:
          'The ECS agent on this instance is disconnected (aws.ecs.agent_connected is critical): ECS cannot monitor or restart the Datadog Agent task here.',
      },
    }),
  },
  {
    // RUNNING, with a health check that ECS reports UNHEALTHY (the task's, or its essential containers').
    id: 'health-check-failing',
    applies: ctx => runningWithHealth(ctx, 'unhealthy'),
    verdict: ctx => ({
      state: 'unhealthy',
      agentTask: ctx.summarize(ctx.running!),
      reason: {
        code: 'health-check-failing',
        message:
          'The Agent task runs but its health check (agent health) fails.',
      },
    }),
  },
  {
    // RUNNING, with a health check still UNKNOWN within startPeriod + interval × retries of startedAt.
    id: 'health-check-pending',
    applies: ctx => runningWithHealth(ctx, 'starting'),
    verdict: ctx => ({
      state: 'pending',
      agentTask: ctx.summarize(ctx.running!),
      reason: {
        code: 'task-starting',
        message: 'The Agent task runs; its health check has not passed yet.',
      },
    }),
  },
  {
    // RUNNING (and healthy), but not on the daemon's current revision: covered, with the reason.
    id: 'outdated-revision',
    applies: ctx =>
      ctx.running !== undefined && !isUpToDate(ctx.running, ctx.currentArn),
    verdict: ctx => {
      const agentTask = ctx.summarize(ctx.running!);
      return {
        state: 'covered',
        agentTask,
        reason: {
          code: 'outdated-revision',
          message: `Runs ${agentTask.revision}, not the ${
            ctx.managedDaemon ? 'managed daemon' : 'service'
          }'s current revision ${revisionOf(ctx.currentArn!)}.`,
        },
      };
    },
  },
  {
    // RUNNING under a health check that ECS still reports UNKNOWN past its grace period (or with no
    // startedAt): covered, health unknown; the cluster's `cluster.agent-health-unknown` finding
    // names these instances.
    id: 'health-unknown',
    applies: ctx => runningWithHealth(ctx, 'unknown'),
    verdict: ctx => ({
      state: 'covered',
      agentTask: ctx.summarize(ctx.running!),
      reason: {
        code: 'health-unknown',
        message:
          'The Agent task runs, but ECS still reports its health as UNKNOWN after the health check’s grace period (startPeriod + interval × retries).',
      },
    }),
  },
  {
    // RUNNING on the current revision: HEALTHY, or with no health check in the Agent container's
    // definition (health not checked: ECS reports UNKNOWN; the healthCheck feature says "off").
    id: 'covered',
    applies: ctx => ctx.running !== undefined,
    verdict: ctx => ({
      state: 'covered',
      agentTask: ctx.summarize(ctx.running!),
      reason:
        ctx.healthOf(ctx.running!) === 'not-checked'
          ? {
              code: 'health-not-checked',
              message:
                'The Agent task runs; its definition has no health check, so its health is not checked.',
            }
          : undefined,
    }),
  },
  {
    // No RUNNING Agent task, one PROVISIONING / PENDING / ACTIVATING.
    id: 'task-starting',
    applies: ctx => ctx.starting !== undefined,
    verdict: ctx => ({
      state: 'pending',
      agentTask: ctx.summarize(ctx.starting!),
      reason: {
        code: 'task-starting',
        message: `The Agent task is ${ctx.starting!.lastStatus?.toLowerCase()} on this instance.`,
      },
    }),
  },
  {
    // A DRAINING Managed Instance: ECS drains it to replace it (a daemon deployment's step, or a
    // critical daemon's task that stopped) and launches a replacement that starts the daemon.
    id: 'instance-replaced',
    applies: ctx => onManagedInstances(ctx) && ctx.status === 'DRAINING',
    verdict: ctx => {
      const d = ctx.managedDaemon;
      const why = d?.deploying
        ? `the deployment of the managed daemon ${d.name} (${d.observed.deployment?.status})`
        : 'ECS';
      return {
        state: 'pending',
        ...(ctx.stopped ? { agentTask: ctx.summarize(ctx.stopped) } : {}),
        reason: {
          code: 'instance-replaced',
          message: `This Managed Instance is being replaced: drained by ${why}; its replacement starts ${
            d ? `the managed daemon ${d.name}` : 'what the capacity provider runs'
          }.`,
        },
      };
    },
  },
  {
    // The instance is DRAINING (before any older stopped task or placement event).
    id: 'draining',
    applies: ctx => ctx.status === 'DRAINING',
    verdict: () => ({
      state: 'missing',
      reason: {
        code: 'draining',
        message:
          'The instance is DRAINING: ECS stops its tasks, the Agent daemon task included, and places no new ones.',
      },
    }),
  },
  {
    // No Agent task, and the ECS agent is disconnected.
    id: 'agent-disconnected',
    applies: ctx => !ctx.agentConnected,
    verdict: () => ({
      state: 'missing',
      reason: {
        code: 'agent-disconnected',
        message:
          'The ECS agent on this instance is disconnected (aws.ecs.agent_connected is critical): ECS cannot place the Datadog Agent task here until it reconnects.',
      },
    }),
  },
  {
    // A managed daemon that is not critical: ECS keeps the instance running without it
    // (DescribeDaemon's withoutDaemonCount), with the stopped task's reason when ECS still has it.
    id: 'without-daemon',
    applies: ctx =>
      onManagedInstances(ctx) &&
      ctx.managedDaemon !== undefined &&
      !ctx.managedDaemon.critical,
    verdict: ctx => {
      const d = ctx.managedDaemon!;
      return {
        state: 'missing',
        ...(ctx.stopped ? { agentTask: ctx.summarize(ctx.stopped) } : {}),
        reason: {
          code: 'without-daemon',
          message: `The managed daemon ${
            d.name
          } is not critical, so ECS keeps this instance running without the Agent${
            ctx.stopped
              ? `; its task stopped${stoppedWhy(ctx, ctx.stopped)}`
              : ''
          }.`,
          ...(ctx.stopped?.stoppedReason
            ? { evidence: ctx.stopped.stoppedReason }
            : {}),
        },
      };
    },
  },
  {
    // The newest stopped Agent task on the instance, with its stoppedReason and exit code.
    id: 'task-stopped',
    applies: ctx => ctx.stopped !== undefined,
    verdict: ctx => {
      const stopped = ctx.stopped!;
      const agentTask = ctx.summarize(stopped);
      const exit =
        agentTask.exitCode !== undefined
          ? ` (exit code ${agentTask.exitCode})`
          : '';
      return {
        state: 'stopped',
        agentTask,
        reason: {
          code: 'task-stopped',
          message: `The Agent task stopped${exit}: ${
            stopped.stoppedReason ?? 'no reason given'
          }.`,
          evidence: stopped.stoppedReason,
        },
      };
    },
  },
  {
    // A Managed Instance whose capacity provider no Agent managed daemon serves (a DAEMON service
    // does not place tasks on Managed Instances).
    id: 'no-managed-daemon',
    applies: ctx => onManagedInstances(ctx) && ctx.managedDaemon === undefined,
    verdict: ctx => {
      const provider = ctx.capacity?.capacityProviderName ?? 'unknown';
      return {
        state: 'missing',
        reason: {
          code: 'no-managed-daemon',
          message: `No ECS Managed Daemon runs the Agent on the Managed Instances capacity provider ${provider}${
            ctx.daemonServiceName
              ? `; the DAEMON service ${ctx.daemonServiceName} does not place tasks on Managed Instances`
              : ' (a DAEMON service does not place tasks on Managed Instances)'
          }.`,
        },
      };
    },
  },
  {
    // No Agent DAEMON service (none at all, or the Agent runs as a REPLICA service).
    id: 'no-agent-daemon',
    applies: ctx => ctx.daemon === undefined && ctx.managedDaemon === undefined,
    verdict: ctx => {
      const replica = ctx.nonDaemonAgentServices[0];
      return {
        state: 'missing',
        reason: {
          code: 'no-agent-daemon',
          message: replica
            ? `The Agent runs as the ${replica.schedulingStrategy} service ${replica.serviceName}, which does not place one task per instance; none runs here.`
            : 'No Datadog Agent daemon service runs on this cluster.',
        },
      };
    },
  },
  {
    // The daemon's definition is for another OS, or lacks the instance's compatibility.
    id: 'os-mismatch',
    applies: ctx => mismatchOf(ctx) !== undefined,
    verdict: ctx => ({
      state: 'missing',
      reason: { code: 'os-mismatch', message: mismatchOf(ctx)! },
    }),
  },
  {
    // ECS's latest placement failure naming this instance (memory, CPU, port, …).
    id: 'placement-failure',
    applies: ctx => ctx.placementFailure !== undefined,
    verdict: ctx => {
      const failure = ctx.placementFailure!;
      return {
        state: 'missing',
        reason: {
          code: failure.code,
          message: failure.message,
          evidence: failure.evidence,
        },
      };
    },
  },
  {
    // Always applies: no Agent task here and ECS has not said why.
    id: 'no-reason-yet',
    applies: () => true,
    verdict: () => ({
      state: 'missing',
      reason: {
        code: 'placement-failed',
        message:
          'No Agent task runs on this instance and ECS has not said why yet.',
      },
    }),
  },
];

function mismatchOf(ctx: CoverageRuleContext): string | undefined {
  return ctx.daemon?.taskDefinition
    ? osMismatch(ctx.instance, ctx.daemon.taskDefinition)
    : undefined;
}

/** The first rule of {@link COVERAGE_RULES} that applies (the last always does). */
export function coverageRuleFor(
  ctx: CoverageRuleContext,
  rules: readonly CoverageRule[] = COVERAGE_RULES,
): CoverageRule {
  const rule = rules.find(r => r.applies(ctx));
  if (!rule) throw new Error('No coverage rule applies');
  return rule;
}
