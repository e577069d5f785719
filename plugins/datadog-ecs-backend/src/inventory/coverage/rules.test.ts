import { Task, TaskDefinition } from '../../aws/EcsGateway';
import {
  agentTaskDefinition,
  DETECTION,
  instance,
  OBSERVED_AT,
  placementEvent,
  service,
  task,
  taskDefinitionArn,
} from '../__fixtures__/ecs';
import { coverageRuleContext, InstanceCoverageArgs } from './instance';
import { placementFailures } from './placement';
import {
  COVERAGE_RULES,
  coverageRuleFor,
  CoverageRule,
  CoverageRuleContext,
} from './rules';

const AGENT_1 = taskDefinitionArn('datadog-agent-task', 1);
const AGENT_2 = taskDefinitionArn('datadog-agent-task', 2);

function rule(id: string): CoverageRule {
  const found = COVERAGE_RULES.find(r => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

/**
 * The context of instance i-1 under a DAEMON Agent service running `agentDef` (revision 1 unless
 * given), with `over` replacing any of the instance-coverage inputs.
 */
function ctxOf(
  over: Partial<InstanceCoverageArgs> & { agentDef?: TaskDefinition } = {},
): CoverageRuleContext {
  const agentDef = over.agentDef ?? agentTaskDefinition();
  const defs = [agentDef, agentTaskDefinition({ revision: 2 })];
  return coverageRuleContext({
    instance: instance('i-1'),
    agentTasks: [],
    stoppedAgentTasks: [],
    taskDefinitions: Object.fromEntries(
      defs.map(d => [d.taskDefinitionArn!, d]),
    ),
    daemon: {
      service: service('datadog-agent', agentDef.taskDefinitionArn!, {
        strategy: 'DAEMON',
      }),
      taskDefinition: agentDef,
    },
    nonDaemonAgentServices: [],
    placementFailures: [],
    detection: DETECTION,
    ...over,
    observedAt: over.observedAt ?? OBSERVED_AT,
  });
}

const agentTask = (opts: Parameters<typeof task>[2] = {}, arn = AGENT_1) =>
  task('t-1', arn, { group: 'service:datadog-agent', on: 'i-1', ...opts });

/** `seconds` before the observation. */
const ago = (seconds: number) =>
  new Date(Date.parse(OBSERVED_AT) - seconds * 1000);

/** A RUNNING Agent task started `seconds` ago, with these health statuses (task, containers). */
function startedTask(
  seconds: number | undefined,
  health: {
    task?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
    containers?: Array<{
      name?: string;
      healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
    }>;
  } = { task: 'UNKNOWN' },
  arn = AGENT_1,
): Task {
  const base = agentTask({}, arn);
  return {
    ...base,
    healthStatus: health.task,
    startedAt: seconds === undefined ? undefined : ago(seconds),
    containers: health.containers
      ? health.containers.map(c => ({
          name: c.name ?? 'datadog-agent',
          lastStatus: 'RUNNING',
          healthStatus: c.healthStatus,
        }))
      : base.containers,
  };
}

/** The Agent definition (revision 1) with `startPeriod` seconds of grace, plus a non-essential sidecar. */
function definitionWithStartPeriod(startPeriod: number): TaskDefinition {
  const def = agentTaskDefinition();
  const agent = def.containerDefinitions![0];
  return {
    ...def,
    containerDefinitions: [
      { ...agent, healthCheck: { ...agent.healthCheck!, startPeriod } },
      { name: 'sidecar', image: 'busybox', memory: 16, essential: false },
    ],
  };
}

/** Asserts that `id` applies to `ctx` and is the first rule that does; returns its verdict. */
function decide(id: string, ctx: CoverageRuleContext) {
  expect(rule(id).applies(ctx)).toBe(true);
  expect(coverageRuleFor(ctx).id).toBe(id);
  return rule(id).verdict(ctx);
}

describe('COVERAGE_RULES', () => {
  it('are evaluated in this order (reordering them is a visible change)', () => {
    expect(COVERAGE_RULES.map(r => r.id)).toEqual([
      'agent-disconnected-while-running',
      'health-check-failing',
      'health-check-pending',
      'outdated-revision',
      'health-unknown',
      'covered',
      'task-starting',
      'instance-replaced',
      'draining',
      'agent-disconnected',
      'without-daemon',
      'task-stopped',
      'no-managed-daemon',
      'no-agent-daemon',
      'os-mismatch',
      'placement-failure',
      'no-reason-yet',
    ]);
  });

  it('the last rule applies to anything, so every instance gets a verdict', () => {
    const last = COVERAGE_RULES[COVERAGE_RULES.length - 1];
    expect(last.applies(ctxOf())).toBe(true);
    expect(coverageRuleFor(ctxOf(), [last]).id).toBe('no-reason-yet');
    expect(() => coverageRuleFor(ctxOf(), [])).toThrow(
      'No coverage rule applies',
    );
  });

  it('agent-disconnected-while-running: unhealthy, the running task kept', () => {
    const verdict = decide(
      'agent-disconnected-while-running',
      ctxOf({
        instance: instance('i-1', { agentConnected: false }),
        agentTasks: [agentTask({ healthStatus: 'UNHEALTHY' })],
      }),
    );
    expect(verdict.state).toBe('unhealthy');
    expect(verdict.agentTask?.lastStatus).toBe('RUNNING');
    expect(verdict.reason?.code).toBe('agent-disconnected');
    expect(verdict.reason?.message).toContain('cannot monitor or restart');
  });

  it('health-check-failing: RUNNING with health UNHEALTHY', () => {
    const verdict = decide(
      'health-check-failing',
      ctxOf({ agentTasks: [agentTask({ healthStatus: 'UNHEALTHY' })] }),
    );
    expect(verdict).toEqual({
      state: 'unhealthy',
      agentTask: expect.objectContaining({ healthStatus: 'UNHEALTHY' }),
      reason: {
        code: 'health-check-failing',
        message:
          'The Agent task runs but its health check (agent health) fails.',
      },
    });
  });

  it('health-check-pending: RUNNING, health UNKNOWN, under a health check, within its grace', () => {
    const verdict = decide(
      'health-check-pending',
      ctxOf({ agentTasks: [startedTask(60)] }),
    );
    expect(verdict.state).toBe('pending');
    expect(verdict.reason).toEqual({
      code: 'task-starting',
      message: 'The Agent task runs; its health check has not passed yet.',
    });
  });

  it('health checks count only when the definition has one', () => {
    const ctx = ctxOf({
      agentDef: agentTaskDefinition({ healthCheck: false }),
      agentTasks: [agentTask({ healthStatus: 'UNKNOWN' })],
    });
    expect(rule('health-check-pending').applies(ctx)).toBe(false);
    expect(rule('health-check-failing').applies(ctx)).toBe(false);
    expect(coverageRuleFor(ctx).id).toBe('covered');
  });

  it('health-check-failing: the essential containers decide when the task has no healthStatus', () => {
    const verdict = decide(
      'health-check-failing',
      ctxOf({
        agentTasks: [
          startedTask(3600, {
            containers: [{ healthStatus: 'UNHEALTHY' }],
          }),
        ],
      }),
    );
    expect(verdict.state).toBe('unhealthy');
    expect(verdict.agentTask?.healthStatus).toBe('UNHEALTHY');
  });

  it('health-check-pending lasts interval × retries (30 s × 3 by the fixture) after startedAt', () => {
    expect(coverageRuleFor(ctxOf({ agentTasks: [startedTask(90)] })).id).toBe(
      'health-check-pending',
    );
    expect(coverageRuleFor(ctxOf({ agentTasks: [startedTask(91)] })).id).toBe(
      'health-unknown',
    );
  });

  it('health-check-pending adds the startPeriod to the grace', () => {
    const agentDef = definitionWithStartPeriod(60);
    expect(
      coverageRuleFor(ctxOf({ agentDef, agentTasks: [startedTask(150)] })).id,
    ).toBe('health-check-pending');
    expect(
      coverageRuleFor(ctxOf({ agentDef, agentTasks: [startedTask(151)] })).id,
    ).toBe('health-unknown');
  });

  it('health-check-pending: UNKNOWN essential containers when the task has no healthStatus', () => {
    const verdict = decide(
      'health-check-pending',
      ctxOf({
        agentTasks: [
          startedTask(10, {
            containers: [{ healthStatus: 'UNKNOWN' }],
          }),
        ],
      }),
    );
    expect(verdict.state).toBe('pending');
    expect(verdict.agentTask?.healthStatus).toBe('UNKNOWN');
  });

  it('health-unknown: UNKNOWN past the grace period, covered', () => {
    const verdict = decide(
      'health-unknown',
      ctxOf({ agentTasks: [startedTask(3600)] }),
    );
    expect(verdict).toEqual({
      state: 'covered',
      agentTask: expect.objectContaining({
        healthStatus: 'UNKNOWN',
        upToDate: true,
      }),
      reason: expect.objectContaining({ code: 'health-unknown' }),
    });
  });

  it('health-unknown: UNKNOWN with no startedAt to judge by', () => {
    const verdict = decide(
      'health-unknown',
      ctxOf({ agentTasks: [startedTask(undefined)] }),
    );
    expect(verdict.state).toBe('covered');
  });

  it('health-unknown comes after outdated-revision, which keeps its reason', () => {
    const ctx = ctxOf({
      agentTasks: [startedTask(3600, { task: 'UNKNOWN' }, AGENT_2)],
    });
    expect(rule('health-unknown').applies(ctx)).toBe(true);
    expect(coverageRuleFor(ctx).id).toBe('outdated-revision');
  });

  it('covered: no health check in the definition, health not checked (whatever ECS reports)', () => {
    const agentDef = agentTaskDefinition({ healthCheck: false });
    for (const agentTask_ of [
      startedTask(3600),
      startedTask(undefined, { containers: [{ healthStatus: 'UNKNOWN' }] }),
      startedTask(5, {}),
    ]) {
      const ctx = ctxOf({ agentDef, agentTasks: [agentTask_] });
      expect(ctx.healthOf(agentTask_)).toBe('not-checked');
      expect(decide('covered', ctx).state).toBe('covered');
    }
  });

  it('covered: HEALTHY essential containers when the task has no healthStatus; a non-essential one does not count', () => {
    const verdict = decide(
      'covered',
      ctxOf({
        agentDef: definitionWithStartPeriod(0),
        agentTasks: [
          startedTask(3600, {
            containers: [
              { healthStatus: 'HEALTHY' },
              { name: 'sidecar', healthStatus: 'UNHEALTHY' },
            ],
          }),
        ],
      }),
    );
    expect(verdict.agentTask?.healthStatus).toBe('HEALTHY');
    expect(verdict.reason).toBeUndefined();
  });

  it('outdated-revision: covered, naming both revisions', () => {
    const verdict = decide(
      'outdated-revision',
      ctxOf({
        agentDef: agentTaskDefinition({ revision: 2 }),
        agentTasks: [agentTask({}, AGENT_1)],
      }),
    );
    expect(verdict.state).toBe('covered');
    expect(verdict.agentTask?.upToDate).toBe(false);
    expect(verdict.reason).toEqual({
      code: 'outdated-revision',
      message:
        "Runs datadog-agent-task:1, not the service's current revision datadog-agent-task:2.",
    });
  });

  it('covered: RUNNING and HEALTHY on the current revision, no reason', () => {
    const verdict = decide('covered', ctxOf({ agentTasks: [agentTask()] }));
    expect(verdict).toEqual({
      state: 'covered',
      agentTask: expect.objectContaining({
        taskDefinitionArn: AGENT_1,
        upToDate: true,
      }),
      reason: undefined,
    });
  });

  it('task-starting: a PENDING task and none RUNNING', () => {
    const verdict = decide(
      'task-starting',
      ctxOf({
        agentTasks: [agentTask({ lastStatus: 'PENDING' }, AGENT_2)],
      }),
    );
    expect(verdict.state).toBe('pending');
    expect(verdict.agentTask?.lastStatus).toBe('PENDING');
    expect(verdict.reason).toEqual({
      code: 'task-starting',
      message: 'The Agent task is pending on this instance.',
    });
  });

  it('draining: before a disconnected ECS agent or a stopped task', () => {
    const verdict = decide(
      'draining',
      ctxOf({
        instance: instance('i-1', {
          status: 'DRAINING',
          agentConnected: false,
        }),
        stoppedAgentTasks: [agentTask({ lastStatus: 'STOPPED' })],
      }),
    );
    expect(verdict.state).toBe('missing');
    expect(verdict.agentTask).toBeUndefined();
    expect(verdict.reason?.code).toBe('draining');
  });

  it('agent-disconnected: no Agent task and the ECS agent disconnected', () => {
    const verdict = decide(
      'agent-disconnected',
      ctxOf({
        instance: instance('i-1', { agentConnected: false }),
        stoppedAgentTasks: [agentTask({ lastStatus: 'STOPPED' })],
      }),
    );
    expect(verdict.state).toBe('missing');
    expect(verdict.reason?.code).toBe('agent-disconnected');
    expect(verdict.reason?.message).toContain('until it reconnects');
  });

  it('task-stopped: the newest stopped task, with reason, exit code and evidence', () => {
    const stopped = (id: string, minute: number, reason: string) =>
      task(id, AGENT_1, {
        on: 'i-1',
        lastStatus: 'STOPPED',
        stoppedAt: new Date(Date.UTC(2026, 0, 15, 9, minute)),
        stoppedReason: reason,
        exitCode: 137,
      });
    const verdict = decide(
      'task-stopped',
      ctxOf({
        stoppedAgentTasks: [
          stopped('old', 1, 'Older'),
          stopped('new', 2, 'OutOfMemoryError'),
        ],
      }),
    );
    expect(verdict.state).toBe('stopped');
    expect(verdict.agentTask?.taskArn).toContain('/new');
    expect(verdict.reason).toEqual({
      code: 'task-stopped',
      message: 'The Agent task stopped (exit code 137): OutOfMemoryError.',
      evidence: 'OutOfMemoryError',
    });
  });

  it('no-agent-daemon: no daemon, naming a REPLICA Agent service when there is one', () => {
    expect(
      decide('no-agent-daemon', ctxOf({ daemon: undefined })).reason,
    ).toEqual({
      code: 'no-agent-daemon',
      message: 'No Datadog Agent daemon service runs on this cluster.',
    });
    const replica = service('dd-replica', AGENT_1, { strategy: 'REPLICA' });
    const verdict = decide(
      'no-agent-daemon',
      ctxOf({ daemon: undefined, nonDaemonAgentServices: [replica] }),
    );
    expect(verdict.state).toBe('missing');
    expect(verdict.reason?.message).toBe(
      'The Agent runs as the REPLICA service dd-replica, which does not place one task per instance; none runs here.',
    );
  });

  it('os-mismatch: a Windows instance under a Linux definition, before placement events', () => {
    const verdict = decide(
      'os-mismatch',
      ctxOf({
        instance: instance('i-1', { kind: 'windows' }),
        placementFailures: placementFailures([
          placementEvent('i-1', 'has insufficient memory available'),
        ]),
      }),
    );
    expect(verdict.state).toBe('missing');
    expect(verdict.reason?.code).toBe('os-mismatch');
    expect(verdict.reason?.message).toContain('Windows instance');
  });

  it('os-mismatch needs the daemon definition', () => {
    const ctx = ctxOf({ instance: instance('i-1', { kind: 'windows' }) });
    expect(
      rule('os-mismatch').applies({
        ...ctx,
        daemon: { service: ctx.daemon!.service },
      }),
    ).toBe(false);
  });

  it("placement-failure: ECS's event naming this instance, as evidence", () => {
    const [failure] = placementFailures([
      placementEvent('i-1', 'has insufficient memory available'),
    ]);
    const verdict = decide(
      'placement-failure',
      ctxOf({ placementFailures: [failure] }),
    );
    expect(verdict).toEqual({
      state: 'missing',
      reason: {
        code: 'insufficient-memory',
        message: failure.message,
        evidence: failure.evidence,
      },
    });
  });

  it('placement-failure ignores events naming another instance', () => {
    const ctx = ctxOf({
      placementFailures: placementFailures([
        placementEvent('i-2', 'has insufficient memory available'),
      ]),
    });
    expect(rule('placement-failure').applies(ctx)).toBe(false);
  });

  it('no-reason-yet: nothing runs and ECS has not said why', () => {
    expect(decide('no-reason-yet', ctxOf())).toEqual({
      state: 'missing',
      reason: {
        code: 'placement-failed',
        message:
          'No Agent task runs on this instance and ECS has not said why yet.',
      },
    });
  });
});
