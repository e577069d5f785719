/*
 * The coverage rules on ECS Managed Instances: judged against the Agent managed daemon serving the
 * instance's capacity provider, never against a DAEMON service (rules.test.ts has the EC2 ones).
 */
import { Task } from '../../aws/EcsGateway';
import {
  agentTaskDefinition,
  DETECTION,
  instance,
  OBSERVED_AT,
  service,
  task,
} from '../__fixtures__/ecs';
import {
  agentDaemonDefinition,
  observedAgentDaemon,
} from '../__fixtures__/managedDaemons';
import { coverageRuleContext, InstanceCoverageArgs } from './instance';
import { agentManagedDaemons, AgentManagedDaemon } from './managedDaemons';
import {
  COVERAGE_RULES,
  coverageRuleFor,
  CoverageRule,
  CoverageRuleContext,
} from './rules';

const DAEMON_1 = agentDaemonDefinition({ revision: 1 });
const DAEMON_2 = agentDaemonDefinition({ revision: 2 });
const EC2_AGENT = agentTaskDefinition();
const DEFS = [DAEMON_1, DAEMON_2, EC2_AGENT];
const TASK_DEFINITIONS = Object.fromEntries(
  DEFS.map(d => [d.taskDefinitionArn!, d]),
);
const MI = {
  kind: 'managed-instances',
  capacityProviderName: 'mi-cp',
} as const;

function rule(id: string): CoverageRule {
  const found = COVERAGE_RULES.find(r => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

/** The Agent managed daemon on `mi-cp`, its current revision running `DAEMON_2` unless given. */
function managedDaemon(
  opts: Partial<Parameters<typeof observedAgentDaemon>[0]> = {},
): AgentManagedDaemon {
  const [d] = agentManagedDaemons(
    {
      daemons: [
        observedAgentDaemon({
          taskDefinition: DAEMON_2.taskDefinitionArn!,
          providers: ['mi-cp'],
          ...opts,
        }),
      ],
      taskDefinitions: TASK_DEFINITIONS,
    },
    new Set(DEFS.map(def => def.taskDefinitionArn!)),
  );
  return d;
}

/** The context of Managed Instance i-1 (capacity provider mi-cp), served by `managedDaemon()`. */
function ctxOf(over: Partial<InstanceCoverageArgs> = {}): CoverageRuleContext {
  return coverageRuleContext({
    instance: instance('i-1', { capacityProviderName: 'mi-cp' }),
    agentTasks: [],
    stoppedAgentTasks: [],
    taskDefinitions: TASK_DEFINITIONS,
    capacity: MI,
    managedDaemon: managedDaemon(),
    nonDaemonAgentServices: [],
    placementFailures: [],
    detection: DETECTION,
    observedAt: OBSERVED_AT,
    ...over,
  });
}

/** A daemon task on i-1 (as ECS groups a managed daemon's tasks). */
const daemonTask = (
  opts: Parameters<typeof task>[2] = {},
  arn = DAEMON_2.taskDefinitionArn!,
): Task =>
  task('t-1', arn, { group: 'daemon:datadog-agent', on: 'i-1', ...opts });

const stoppedTask = (reason: string, exitCode?: number) =>
  daemonTask({
    lastStatus: 'STOPPED',
    stoppedAt: new Date(Date.parse(OBSERVED_AT) - 60_000),
    stoppedReason: reason,
    exitCode,
  });

/** Asserts that `id` applies to `ctx` and is the first rule that does; returns its verdict. */
function decide(id: string, ctx: CoverageRuleContext) {
  expect(rule(id).applies(ctx)).toBe(true);
  expect(coverageRuleFor(ctx).id).toBe(id);
  return rule(id).verdict(ctx);
}

describe('coverage rules on ECS Managed Instances', () => {
  it('covered: a RUNNING daemon task on the managed daemon’s current revision', () => {
    const verdict = decide('covered', ctxOf({ agentTasks: [daemonTask()] }));
    expect(verdict.state).toBe('covered');
    expect(verdict.reason).toBeUndefined();
    expect(verdict.agentTask).toMatchObject({
      taskDefinitionArn: DAEMON_2.taskDefinitionArn,
      revision: 'datadog-agent-daemon:2',
      upToDate: true,
      serviceName: undefined,
    });
  });

  it('outdated-revision: an older daemon revision, naming the managed daemon', () => {
    const verdict = decide(
      'outdated-revision',
      ctxOf({ agentTasks: [daemonTask({}, DAEMON_1.taskDefinitionArn!)] }),
    );
    expect(verdict.state).toBe('covered');
    expect(verdict.agentTask?.upToDate).toBe(false);
    expect(verdict.reason).toEqual({
      code: 'outdated-revision',
      message:
        "Runs datadog-agent-daemon:1, not the managed daemon's current revision datadog-agent-daemon:2.",
    });
  });

  it('the current revision is the managed daemon’s, not a DAEMON service’s', () => {
    const ctx = ctxOf({
      daemonServiceName: 'datadog-agent',
      agentTasks: [daemonTask()],
    });
    expect(ctx.currentArn).toBe(DAEMON_2.taskDefinitionArn);
    expect(ctx.daemon).toBeUndefined();
  });

  describe('instance-replaced', () => {
    const draining = instance('i-1', {
      capacityProviderName: 'mi-cp',
      status: 'DRAINING',
    });

    it('a DRAINING Managed Instance under a deployment: pending, naming the deployment, before draining', () => {
      const ctx = ctxOf({
        instance: draining,
        managedDaemon: managedDaemon({ deploymentStatus: 'IN_PROGRESS' }),
        stoppedAgentTasks: [stoppedTask('Daemon deployment: instance drained')],
      });
      expect(rule('draining').applies(ctx)).toBe(true);
      const verdict = decide('instance-replaced', ctx);
      expect(verdict.state).toBe('pending');
      expect(verdict.agentTask?.lastStatus).toBe('STOPPED');
      expect(verdict.reason).toEqual({
        code: 'instance-replaced',
        message:
          'This Managed Instance is being replaced: drained by the deployment of the managed daemon datadog-agent (IN_PROGRESS); its replacement starts the managed daemon datadog-agent.',
      });
    });

    it('drained by ECS when no deployment runs; without a managed daemon, no task and no daemon to name', () => {
      const byEcs = decide('instance-replaced', ctxOf({ instance: draining }));
      expect(byEcs.agentTask).toBeUndefined();
      expect(byEcs.reason?.message).toBe(
        'This Managed Instance is being replaced: drained by ECS; its replacement starts the managed daemon datadog-agent.',
      );
      const bare = decide(
        'instance-replaced',
        ctxOf({ instance: draining, managedDaemon: undefined }),
      );
      expect(bare.reason?.message).toBe(
        'This Managed Instance is being replaced: drained by ECS; its replacement starts what the capacity provider runs.',
      );
    });

    it('not on a DRAINING EC2 instance (draining), nor on an ACTIVE Managed Instance', () => {
      const ec2 = ctxOf({
        instance: instance('i-1', { status: 'DRAINING' }),
        capacity: { kind: 'ec2-asg' },
        managedDaemon: undefined,
      });
      expect(rule('instance-replaced').applies(ec2)).toBe(false);
      expect(coverageRuleFor(ec2).id).toBe('draining');
      expect(rule('instance-replaced').applies(ctxOf())).toBe(false);
    });

    it('a DRAINING Managed Instance still running its old Agent is covered, outdated', () => {
      const ctx = ctxOf({
        instance: draining,
        managedDaemon: managedDaemon({ deploymentStatus: 'IN_PROGRESS' }),
        agentTasks: [daemonTask({}, DAEMON_1.taskDefinitionArn!)],
      });
      expect(coverageRuleFor(ctx).id).toBe('outdated-revision');
    });
  });

  describe('without-daemon', () => {
    const notCritical = () => managedDaemon({ critical: false });

    it('a non-critical daemon’s instance without it: missing, the stopped task’s reason as evidence', () => {
      const reason =
        'CannotPullContainerError: pull image manifest has been retried 5 time(s)';
      const verdict = decide(
        'without-daemon',
        ctxOf({
          managedDaemon: notCritical(),
          stoppedAgentTasks: [stoppedTask(reason, 1)],
        }),
      );
      expect(verdict.state).toBe('missing');
      expect(verdict.agentTask).toMatchObject({
        lastStatus: 'STOPPED',
        exitCode: 1,
        stoppedReason: reason,
      });
      expect(verdict.reason).toEqual({
        code: 'without-daemon',
        message: `The managed daemon datadog-agent is not critical, so ECS keeps this instance running without the Agent; its task stopped (exit code 1): ${reason}.`,
        evidence: reason,
      });
    });

    it('no stopped task left: no evidence', () => {
      const verdict = decide(
        'without-daemon',
        ctxOf({ managedDaemon: notCritical() }),
      );
      expect(verdict.agentTask).toBeUndefined();
      expect(verdict.reason).toEqual({
        code: 'without-daemon',
        message:
          'The managed daemon datadog-agent is not critical, so ECS keeps this instance running without the Agent.',
      });
    });

    it('not for a critical daemon (its stopped task decides), nor off Managed Instances', () => {
      const critical = ctxOf({
        stoppedAgentTasks: [stoppedTask('Essential container exited', 137)],
      });
      expect(rule('without-daemon').applies(critical)).toBe(false);
      expect(coverageRuleFor(critical).id).toBe('task-stopped');
      expect(
        rule('without-daemon').applies(
          ctxOf({
            managedDaemon: notCritical(),
            capacity: { kind: 'ec2-asg' },
          }),
        ),
      ).toBe(false);
    });

    it('a RUNNING or starting daemon task comes first', () => {
      expect(
        coverageRuleFor(
          ctxOf({ managedDaemon: notCritical(), agentTasks: [daemonTask()] }),
        ).id,
      ).toBe('covered');
      expect(
        coverageRuleFor(
          ctxOf({
            managedDaemon: notCritical(),
            agentTasks: [daemonTask({ lastStatus: 'PENDING' })],
          }),
        ).id,
      ).toBe('task-starting');
    });
  });

  describe('no-managed-daemon', () => {
    it('names the capacity provider and the DAEMON service that does not serve it', () => {
      const verdict = decide(
        'no-managed-daemon',
        ctxOf({ managedDaemon: undefined, daemonServiceName: 'datadog-agent' }),
      );
      expect(verdict).toEqual({
        state: 'missing',
        reason: {
          code: 'no-managed-daemon',
          message:
            'No ECS Managed Daemon runs the Agent on the Managed Instances capacity provider mi-cp; the DAEMON service datadog-agent does not place tasks on Managed Instances.',
        },
      });
      // Before no-agent-daemon, which would also apply.
      expect(
        rule('no-agent-daemon').applies(ctxOf({ managedDaemon: undefined })),
      ).toBe(true);
    });

    it('without a DAEMON service on the cluster', () => {
      expect(
        decide('no-managed-daemon', ctxOf({ managedDaemon: undefined })).reason
          ?.message,
      ).toBe(
        'No ECS Managed Daemon runs the Agent on the Managed Instances capacity provider mi-cp (a DAEMON service does not place tasks on Managed Instances).',
      );
    });

    it('not when a managed daemon serves the instance; no-agent-daemon neither', () => {
      const ctx = ctxOf();
      expect(rule('no-managed-daemon').applies(ctx)).toBe(false);
      expect(rule('no-agent-daemon').applies(ctx)).toBe(false);
      // Nothing runs and ECS has not said why.
      expect(coverageRuleFor(ctx).id).toBe('no-reason-yet');
    });

    it('not on EC2 instances, which the DAEMON service serves', () => {
      const ec2 = ctxOf({
        instance: instance('i-1'),
        capacity: { kind: 'ec2-asg' },
        managedDaemon: undefined,
        daemon: {
          service: service('datadog-agent', EC2_AGENT.taskDefinitionArn!, {
            strategy: 'DAEMON',
          }),
          taskDefinition: EC2_AGENT,
        },
      });
      expect(rule('no-managed-daemon').applies(ec2)).toBe(false);
      expect(coverageRuleFor(ec2).id).toBe('no-reason-yet');
      expect(
        coverageRuleFor({ ...ec2, daemon: undefined, capacity: undefined }).id,
      ).toBe('no-agent-daemon');
    });
  });
});
