import { COVERAGE_STATES_BEST_FIRST } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  agentTaskDefinition,
  appTaskDefinition,
  CONTEXT,
  instance,
  instanceArn,
  observation,
  OBSERVED_AT,
  placementEvent,
  service,
  task,
  taskDefinitionArn,
} from './__fixtures__/ecs';
import {
  buildClusterView,
  EVENT_KEYWORDS,
  placementFailures,
  worstOf,
} from './coverage';

const AGENT_1 = taskDefinitionArn('datadog-agent-task', 1);
const AGENT_2 = taskDefinitionArn('datadog-agent-task', 2);

/** One DAEMON Agent service on `instances`, running `tasks`. */
function daemonCluster(parts: {
  instances: ReturnType<typeof instance>[];
  tasks?: ReturnType<typeof task>[];
  stoppedAgentTasks?: ReturnType<typeof task>[];
  events?: Array<{ message: string; createdAt?: Date }>;
  agentDef?: ReturnType<typeof agentTaskDefinition>;
}) {
  const agentDef = parts.agentDef ?? agentTaskDefinition();
  return observation({
    instances: parts.instances,
    services: [
      service('datadog-agent', agentDef.taskDefinitionArn!, {
        strategy: 'DAEMON',
        desiredCount: parts.instances.length,
        events: parts.events,
      }),
    ],
    tasks: parts.tasks ?? [],
    stoppedAgentTasks: parts.stoppedAgentTasks,
    taskDefinitions: [agentDef],
  });
}

const agentTask = (
  id: string,
  on: string,
  opts: Parameters<typeof task>[2] = {},
) => task(id, AGENT_1, { group: 'service:datadog-agent', ...opts, on });

/** The task, started `seconds` before the observation. */
const startedAgo = (seconds: number, t: ReturnType<typeof task>) => ({
  ...t,
  startedAt: new Date(Date.parse(OBSERVED_AT) - seconds * 1000),
});

function onlyInstance(obs: ReturnType<typeof observation>) {
  const view = buildClusterView(obs, CONTEXT);
  expect(view.details.instances).toHaveLength(1);
  return view.details.instances[0];
}

describe('instance coverage states', () => {
  it('covered: a RUNNING, HEALTHY Agent task on the current revision, no reason', () => {
    const i = onlyInstance(
      daemonCluster({
        instances: [instance('a')],
        tasks: [agentTask('t1', 'a')],
      }),
    );
    expect(i.state).toBe('covered');
    expect(i.reason).toBeUndefined();
    expect(i.agentTask).toMatchObject({
      taskArn: expect.stringContaining('task/test-cluster/t1'),
      lastStatus: 'RUNNING',
      healthStatus: 'HEALTHY',
      revision: 'datadog-agent-task:1',
      serviceName: 'datadog-agent',
      upToDate: true,
    });
    expect(i).toMatchObject({
      instanceId: 'i-a',
      instanceType: 'm5.large',
      availabilityZone: 'us-east-1a',
      os: 'linux',
      osFamily: 'LINUX',
      amazonLinuxGeneration: 2023,
      external: false,
      status: 'ACTIVE',
      agentConnected: true,
    });
  });

  it('covered without a health check even when ECS reports health UNKNOWN', () => {
    const agentDef = agentTaskDefinition({ healthCheck: false });
    const i = onlyInstance(
      daemonCluster({
        instances: [instance('a')],
        tasks: [agentTask('t1', 'a', { healthStatus: 'UNKNOWN' })],
        agentDef,
      }),
    );
    expect(i.state).toBe('covered');
  });

  it('pending: a task still PENDING on the instance', () => {
    const i = onlyInstance(
      daemonCluster({
        instances: [instance('a')],
        tasks: [
          agentTask('t1', 'a', {
            lastStatus: 'PENDING',
            healthStatus: 'UNKNOWN',
          }),
        ],
      }),
    );
    expect(i.state).toBe('pending');
    expect(i.reason?.code).toBe('task-starting');
    expect(i.reason?.message).toContain('pending');
    expect(i.agentTask?.lastStatus).toBe('PENDING');
  });

  it('pending: RUNNING but its health check has not passed yet (UNKNOWN, within its grace)', () => {
    const i = onlyInstance(
      daemonCluster({
        instances: [instance('a')],
        tasks: [
          startedAgo(30, agentTask('t1', 'a', { healthStatus: 'UNKNOWN' })),
        ],
      }),
    );
    expect(i.state).toBe('pending');
    expect(i.reason?.code).toBe('task-starting');
    expect(i.reason?.message).toMatch(/health check has not passed/);
  });

  it('covered, health unknown: UNKNOWN long past the grace period, with a warning naming the instances', () => {
    const view = buildClusterView(
      daemonCluster({
        instances: [instance('a'), instance('b'), instance('c')],
        tasks: [
          agentTask('t1', 'a', { healthStatus: 'UNKNOWN' }),
          {
            ...agentTask('t2', 'b'),
            healthStatus: 'UNKNOWN',
            startedAt: undefined,
          },
          agentTask('t3', 'c'),
        ],
      }),
      CONTEXT,
    );
    expect(view.details.instances.map(i => i.state)).toEqual([
      'covered',
      'covered',
      'covered',
    ]);
    expect(view.details.coveragePercent).toBe(100);
    expect(view.details.state).toBe('covered');
    const finding = view.details.findings.find(
      f => f.id === 'cluster.agent-health-unknown',
    );
    expect(finding).toMatchObject({ severity: 'warning' });
    expect(finding?.explanation).toContain('2 instance(s) (i-a, i-b)');
    expect(view.details.findingCounts.warning).toBeGreaterThanOrEqual(1);
  });

  it('covered, health not checked: no health check in the definition, whatever ECS reports', () => {
    const view = buildClusterView(
      daemonCluster({
        agentDef: agentTaskDefinition({ healthCheck: false }),
        instances: [instance('a'), instance('b')],
        tasks: [
          agentTask('t1', 'a', { healthStatus: 'UNKNOWN' }),
          startedAgo(5, { ...agentTask('t2', 'b'), healthStatus: undefined }),
        ],
      }),
      CONTEXT,
    );
    expect(view.details.instances.map(i => [i.state, i.reason?.code])).toEqual([
      ['covered', 'health-not-checked'],
      ['covered', 'health-not-checked'],
    ]);
    expect(view.details.coveragePercent).toBe(100);
    expect(view.details.findings.map(f => f.id)).not.toContain(
      'cluster.agent-health-unknown',
    );
    expect(
      view.details.featureResults.find(f => f.id === 'healthCheck')?.state,
    ).toBe('off');
  });

  it("the essential containers' health stands for a task that reports none", () => {
    const containers = (health: 'HEALTHY' | 'UNHEALTHY') => [
      { name: 'datadog-agent', lastStatus: 'RUNNING', healthStatus: health },
    ];
    const view = buildClusterView(
      daemonCluster({
        instances: [instance('a'), instance('b')],
        tasks: [
          {
            ...agentTask('t1', 'a'),
            healthStatus: undefined,
            containers: containers('HEALTHY'),
          },
          {
            ...agentTask('t2', 'b'),
            healthStatus: undefined,
            containers: containers('UNHEALTHY'),
          },
        ],
      }),
      CONTEXT,
    );
    const [a, b] = view.details.instances;
    expect(a).toMatchObject({
      state: 'covered',
      agentTask: { healthStatus: 'HEALTHY' },
    });
    expect(b).toMatchObject({
      state: 'unhealthy',
      agentTask: { healthStatus: 'UNHEALTHY' },
      reason: { code: 'health-check-failing' },
    });
  });

  it('unhealthy: RUNNING with health UNHEALTHY', () => {
    const i = onlyInstance(
      daemonCluster({
        instances: [instance('a')],
        tasks: [agentTask('t1', 'a', { healthStatus: 'UNHEALTHY' })],
      }),
    );
    expect(i.state).toBe('unhealthy');
    expect(i.reason?.code).toBe('health-check-failing');
  });

  it('unhealthy: the ECS agent is disconnected while an Agent task runs there', () => {
    const i = onlyInstance(
      daemonCluster({
        instances: [instance('a', { agentConnected: false })],
        tasks: [agentTask('t1', 'a')],
      }),
    );
    expect(i.state).toBe('unhealthy');
    expect(i.reason?.code).toBe('agent-disconnected');
    expect(i.agentConnected).toBe(false);
    expect(i.agentTask?.taskArn).toContain('t1');
  });

  it('stopped: the newest stopped Agent task, with its stoppedReason and exit code', () => {
    const reason = 'Essential container in task exited';
    const i = onlyInstance(
      daemonCluster({
        instances: [instance('a')],
        stoppedAgentTasks: [
          agentTask('old', 'a', {
            lastStatus: 'STOPPED',
            stoppedAt: new Date('2026-01-15T09:00:00Z'),
            stoppedReason: 'Scaling activity initiated by deployment',
            exitCode: 0,
          }),
          agentTask('new', 'a', {
            lastStatus: 'STOPPED',
            stoppedAt: new Date('2026-01-15T09:30:00Z'),
            stoppedReason: reason,
            exitCode: 137,
          }),
          // On another instance: not this one's story.
          agentTask('other', 'b', {
            lastStatus: 'STOPPED',
            stoppedAt: new Date('2026-01-15T09:59:00Z'),
            stoppedReason: 'elsewhere',
          }),
        ],
      }),
    );
    expect(i.state).toBe('stopped');
    expect(i.reason).toEqual({
      code: 'task-stopped',
      message: `The Agent task stopped (exit code 137): ${reason}.`,
      evidence: reason,
    });
    expect(i.agentTask).toMatchObject({
      taskArn: expect.stringContaining('/new'),
      exitCode: 137,
      stoppedReason: reason,
      stoppedAt: '2026-01-15T09:30:00.000Z',
    });
  });

  describe('missing', () => {
    it.each([
      ['insufficient-memory', 'has insufficient memory available'],
      ['insufficient-cpu', 'has insufficient CPU units available'],
      ['port-in-use', 'is already using a port required by your task'],
      ['placement-failed', 'is missing an attribute required by your task'],
    ])('%s from the ECS placement event', (code, detail) => {
      const event = placementEvent('a', detail);
      const i = onlyInstance(
        daemonCluster({ instances: [instance('a')], events: [event] }),
      );
      expect(i.state).toBe('missing');
      expect(i.reason?.code).toBe(code);
      expect(i.reason?.evidence).toBe(event.message);
    });

    it('matches a placement event to its own instance', () => {
      const view = buildClusterView(
        daemonCluster({
          instances: [instance('a'), instance('b')],
          events: [
            placementEvent('b', 'has insufficient CPU units available'),
            placementEvent('a', 'has insufficient memory available'),
          ],
        }),
        CONTEXT,
      );
      expect(
        view.details.instances.map(i => [i.instanceId, i.reason?.code]),
      ).toEqual([
        ['i-a', 'insufficient-memory'],
        ['i-b', 'insufficient-cpu'],
      ]);
    });

    it('placement-failed when ECS has not said why', () => {
      const i = onlyInstance(daemonCluster({ instances: [instance('a')] }));
      expect(i.state).toBe('missing');
      expect(i.reason?.code).toBe('placement-failed');
    });

    it('agent-disconnected without an Agent task', () => {
      const i = onlyInstance(
        daemonCluster({
          instances: [instance('a', { agentConnected: false })],
        }),
      );
      expect(i.state).toBe('missing');
      expect(i.reason?.code).toBe('agent-disconnected');
    });

    it('draining (before any older stopped task or placement event)', () => {
      const i = onlyInstance(
        daemonCluster({
          instances: [instance('a', { status: 'DRAINING' })],
          events: [placementEvent('a', 'has insufficient memory available')],
          stoppedAgentTasks: [
            agentTask('s', 'a', {
              lastStatus: 'STOPPED',
              stoppedReason:
                'Task stopped because the container instance is being drained.',
              stoppedAt: new Date(OBSERVED_AT),
            }),
          ],
        }),
      );
      expect(i.state).toBe('missing');
      expect(i.status).toBe('DRAINING');
      expect(i.reason?.code).toBe('draining');
    });

    it('os-mismatch: a Windows instance under a Linux Agent definition', () => {
      const i = onlyInstance(
        daemonCluster({ instances: [instance('w', { kind: 'windows' })] }),
      );
      expect(i.state).toBe('missing');
      expect(i.os).toBe('windows');
      expect(i.reason?.code).toBe('os-mismatch');
      expect(i.reason?.message).toContain(
        'Windows instance (WINDOWS_SERVER_2022_CORE)',
      );
    });

    it('os-mismatch: a Linux instance under a Windows Agent definition', () => {
      const i = onlyInstance(
        daemonCluster({
          instances: [instance('l')],
          agentDef: agentTaskDefinition({
            family: 'datadog-agent-windows',
            windows: true,
          }),
        }),
      );
      expect(i.reason?.code).toBe('os-mismatch');
      expect(i.reason?.message).toContain('is for Windows');
    });

    it('os-mismatch: an EXTERNAL instance without EXTERNAL compatibility', () => {
      const i = onlyInstance(
        daemonCluster({ instances: [instance('x', { kind: 'external' })] }),
      );
      expect(i.external).toBe(true);
      expect(i.instanceId).toBe('mi-x');
      expect(i.reason?.code).toBe('os-mismatch');
      expect(i.reason?.message).toContain('ECS Anywhere (EXTERNAL)');
    });

    it('os-mismatch: an EC2 instance under an EXTERNAL-only Agent definition', () => {
      const i = onlyInstance(
        daemonCluster({
          instances: [instance('e')],
          agentDef: agentTaskDefinition({
            requiresCompatibilities: ['EXTERNAL'],
          }),
        }),
      );
      expect(i.reason?.code).toBe('os-mismatch');
      expect(i.reason?.message).toContain('requires EXTERNAL');
    });

    it('an EXTERNAL instance with an EXTERNAL Agent definition is covered', () => {
      const i = onlyInstance(
        daemonCluster({
          instances: [instance('x', { kind: 'external' })],
          agentDef: agentTaskDefinition({
            requiresCompatibilities: ['EXTERNAL'],
          }),
          tasks: [agentTask('t', 'x')],
        }),
      );
      expect(i.state).toBe('covered');
    });

    it('no-agent-daemon: no Agent service at all', () => {
      const obs = observation({
        instances: [instance('a'), instance('b')],
        services: [
          service('payments-api', taskDefinitionArn('payments-api', 1)),
        ],
        tasks: [
          task('p1', taskDefinitionArn('payments-api', 1), {
            on: 'a',
            group: 'service:payments-api',
          }),
        ],
        taskDefinitions: [appTaskDefinition('payments-api')],
      });
      const view = buildClusterView(obs, CONTEXT);
      expect(view.details.state).toBe('missing');
      expect(view.details.instances.map(i => i.reason?.code)).toEqual([
        'no-agent-daemon',
        'no-agent-daemon',
      ]);
      expect(view.details.instances[0].reason?.message).toBe(
        'No Datadog Agent daemon service runs on this cluster.',
      );
      expect(view.details.agentServices).toEqual([]);
      expect(view.details.features).toEqual([]);
      expect(view.details.findings).toEqual([]);
      expect(view.details.taskDefinitions).toEqual([]);
    });

    it('no-agent-daemon: the Agent runs as a REPLICA service (and that is a finding)', () => {
      const obs = observation({
        instances: [instance('a'), instance('b'), instance('c')],
        services: [
          service('datadog-agent', AGENT_1, {
            strategy: 'REPLICA',
            desiredCount: 2,
          }),
        ],
        tasks: [agentTask('t1', 'a'), agentTask('t2', 'b')],
        taskDefinitions: [agentTaskDefinition()],
      });
      const view = buildClusterView(obs, CONTEXT);
      expect(view.details.instances.map(i => i.state)).toEqual([
        'covered',
        'covered',
        'missing',
      ]);
      expect(view.details.instances[2].reason).toEqual({
        code: 'no-agent-daemon',
        message: expect.stringContaining('REPLICA service datadog-agent'),
      });
      expect(view.details.findings.map(f => f.id)).toContain(
        'cluster.agent-not-daemon',
      );
      expect(view.details.counts.desired).toBe(0);
      // The features shown are the REPLICA Agent's.
      expect(view.details.features.map(f => f.id)).toContain('apm');
    });
  });

  it('not-applicable: a Fargate-only cluster', () => {
    const web = taskDefinitionArn('web-frontend', 1);
    const view = buildClusterView(
      observation({
        cluster: { registeredContainerInstancesCount: 0 },
        services: [
          service('web-frontend', web, {
            launchType: 'FARGATE',
            desiredCount: 2,
          }),
        ],
        tasks: [
          task('f1', web, {
            group: 'service:web-frontend',
            launchType: 'FARGATE',
          }),
          task('f2', web, {
            group: 'service:web-frontend',
            launchType: 'FARGATE',
          }),
        ],
        taskDefinitions: [
          appTaskDefinition('web-frontend', { networkMode: 'awsvpc' }),
        ],
      }),
      CONTEXT,
    );
    expect(view.details).toMatchObject({
      state: 'not-applicable',
      fargateOnly: true,
      coveragePercent: null,
      counts: expect.objectContaining({ instances: 0, covered: 0, missing: 0 }),
    });
    expect(view.services).toEqual([
      expect.objectContaining({
        serviceName: 'web-frontend',
        launchType: 'FARGATE',
        taskInstanceArns: [],
        fargateTasks: 2,
      }),
    ]);
  });

  it('an empty cluster is not-applicable but not Fargate-only', () => {
    const view = buildClusterView(observation({}), CONTEXT);
    expect(view.details.state).toBe('not-applicable');
    expect(view.details.fargateOnly).toBe(false);
  });

  it('ignores INACTIVE (deregistered) instances', () => {
    const view = buildClusterView(
      daemonCluster({
        instances: [instance('a'), instance('gone', { status: 'INACTIVE' })],
        tasks: [agentTask('t', 'a')],
      }),
      CONTEXT,
    );
    expect(view.details.instances.map(i => i.instanceId)).toEqual(['i-a']);
    expect(view.details.state).toBe('covered');
  });
});

describe('revisions', () => {
  it('an Agent task on an older revision is covered but outdated', () => {
    const obs = observation({
      instances: [instance('a'), instance('b')],
      services: [
        service('datadog-agent', AGENT_2, {
          strategy: 'DAEMON',
          desiredCount: 2,
          olderDeployments: [AGENT_1],
        }),
      ],
      tasks: [
        task('old', AGENT_1, { on: 'a', group: 'service:datadog-agent' }),
        task('new', AGENT_2, { on: 'b', group: 'service:datadog-agent' }),
      ],
      taskDefinitions: [
        agentTaskDefinition({ revision: 1 }),
        agentTaskDefinition({ revision: 2 }),
      ],
    });
    const { details } = buildClusterView(obs, CONTEXT);
    const [a, b] = details.instances;
    expect(a.state).toBe('covered');
    expect(a.reason).toEqual({
      code: 'outdated-revision',
      message:
        "Runs datadog-agent-task:1, not the service's current revision datadog-agent-task:2.",
    });
    expect(a.agentTask?.upToDate).toBe(false);
    expect(b.reason).toBeUndefined();
    expect(b.agentTask?.upToDate).toBe(true);
    expect(details.currentRevision).toBe('datadog-agent-task:2');
    expect(details.agentRevisions).toEqual([
      'datadog-agent-task:1',
      'datadog-agent-task:2',
    ]);
    expect(details.outdatedInstances).toBe(1);
    expect(details.counts.upToDate).toBe(1);
    expect(details.state).toBe('covered');
    // The definitions in use: the current one first.
    expect(details.taskDefinitions.map(d => d.revision)).toEqual([2, 1]);
  });

  it('prefers the task on the current revision when an instance runs two', () => {
    const obs = observation({
      instances: [instance('a')],
      services: [
        service('datadog-agent', AGENT_2, {
          strategy: 'DAEMON',
          olderDeployments: [AGENT_1],
        }),
      ],
      tasks: [
        task('old', AGENT_1, { on: 'a', group: 'service:datadog-agent' }),
        task('new', AGENT_2, { on: 'a', group: 'service:datadog-agent' }),
      ],
      taskDefinitions: [
        agentTaskDefinition({ revision: 1 }),
        agentTaskDefinition({ revision: 2 }),
      ],
    });
    const [a] = buildClusterView(obs, CONTEXT).details.instances;
    expect(a.agentTask?.revision).toBe('datadog-agent-task:2');
    expect(a.reason).toBeUndefined();
  });

  it('shows the features of the definition that runs, not of a PRIMARY that has not started yet', () => {
    const withLogs = agentTaskDefinition({ revision: 1 });
    const withoutLogs = agentTaskDefinition({
      revision: 2,
      environment: {
        DD_SITE: 'datadoghq.com',
        DD_APM_ENABLED: 'true',
        DD_APM_NON_LOCAL_TRAFFIC: 'true',
      },
    });
    const build = (current: string, old: string) =>
      buildClusterView(
        observation({
          instances: [instance('a')],
          services: [
            service('datadog-agent', current, {
              strategy: 'DAEMON',
              olderDeployments: [old],
            }),
          ],
          tasks: [task('t', old, { on: 'a', group: 'service:datadog-agent' })],
          taskDefinitions: [withLogs, withoutLogs],
        }),
        CONTEXT,
      ).details;
    const logsChip = (d: ReturnType<typeof build>) =>
      d.features.find(f => f.id === 'logs');
    // The task runs `old`: its features show, whatever the PRIMARY deployment says.
    expect(logsChip(build(AGENT_1, AGENT_2))?.state).toBe('off');
    expect(logsChip(build(AGENT_2, AGENT_1))?.state).not.toBe('off');
    expect(build(AGENT_2, AGENT_1).currentRevision).toBe(
      'datadog-agent-task:2',
    );
    const details = build(AGENT_1, AGENT_2);
    // Chips come in the catalog's order and carry titles and counts.
    expect(details.features.map(f => f.id)).toEqual([
      'apm',
      'dogstatsd',
      'logs',
      'process',
      'npm',
      'resourceTags',
      'healthCheck',
      'ecsAnywhere',
      'fipsProxy',
    ]);
    expect(details.features.find(f => f.id === 'apm')).toMatchObject({
      state: 'on',
      title: expect.any(String),
    });
    expect(details.featureResults.length).toBeGreaterThanOrEqual(
      details.features.length,
    );
  });
});

describe('cluster state and counts', () => {
  it('the worst of the instances, with counts and a floored percentage', () => {
    const obs = daemonCluster({
      instances: [instance('a'), instance('b'), instance('c')],
      tasks: [
        agentTask('t1', 'a'),
        agentTask('t2', 'b'),
        agentTask('t3', 'c', {
          lastStatus: 'PENDING',
          healthStatus: 'UNKNOWN',
        }),
      ],
    });
    const { details } = buildClusterView(obs, CONTEXT);
    expect(details.state).toBe('pending');
    expect(details.counts).toEqual({
      instances: 3,
      desired: 3,
      running: 2,
      healthy: 2,
      upToDate: 2,
      covered: 2,
      pending: 1,
      unhealthy: 0,
      stopped: 0,
      missing: 0,
    });
    expect(details.coveragePercent).toBe(66);
    expect(details).toMatchObject({
      accountId: '111111111111',
      region: 'us-east-1',
      clusterName: 'test-cluster',
      locationName: 'production',
      refreshedAt: OBSERVED_AT,
    });
  });

  it('counts every state', () => {
    const obs = daemonCluster({
      instances: [
        instance('ok'),
        instance('starting'),
        instance('sick'),
        instance('stopped'),
        instance('missing'),
        instance('missing2', { status: 'DRAINING' }),
      ],
      tasks: [
        agentTask('t1', 'ok'),
        agentTask('t2', 'starting', {
          lastStatus: 'PROVISIONING',
          healthStatus: 'UNKNOWN',
        }),
        agentTask('t3', 'sick', { healthStatus: 'UNHEALTHY' }),
      ],
      stoppedAgentTasks: [
        agentTask('t4', 'stopped', {
          lastStatus: 'STOPPED',
          stoppedReason: 'OutOfMemoryError',
          exitCode: 137,
        }),
      ],
      events: [placementEvent('missing', 'has insufficient memory available')],
    });
    const { details } = buildClusterView(obs, CONTEXT);
    expect(details.instances.map(i => i.state)).toEqual([
      'covered',
      'pending',
      'unhealthy',
      'stopped',
      'missing',
      'missing',
    ]);
    expect(details.counts).toMatchObject({
      instances: 6,
      running: 2,
      healthy: 1,
      covered: 1,
      pending: 1,
      unhealthy: 1,
      stopped: 1,
      missing: 2,
    });
    expect(details.coveragePercent).toBe(16);
    expect(details.state).toBe('missing');
  });

  it('stopped is worse than unhealthy, better than missing', () => {
    const obs = daemonCluster({
      instances: [instance('a'), instance('b')],
      tasks: [agentTask('t1', 'a', { healthStatus: 'UNHEALTHY' })],
      stoppedAgentTasks: [
        agentTask('t2', 'b', { lastStatus: 'STOPPED', stoppedReason: 'x' }),
      ],
    });
    expect(buildClusterView(obs, CONTEXT).details.state).toBe('stopped');
  });
});

describe('worstOf', () => {
  it('orders states from best to worst', () => {
    expect(COVERAGE_STATES_BEST_FIRST).toEqual([
      'not-applicable',
      'covered',
      'pending',
      'unhealthy',
      'stopped',
      'missing',
    ]);
    expect(worstOf([])).toBe('not-applicable');
    expect(worstOf(['covered'])).toBe('covered');
    expect(worstOf(['covered', 'pending'])).toBe('pending');
    expect(worstOf(['pending', 'unhealthy', 'covered'])).toBe('unhealthy');
    expect(worstOf(['stopped', 'unhealthy'])).toBe('stopped');
    expect(worstOf(['missing', 'stopped', 'covered'])).toBe('missing');
    expect(worstOf(['not-applicable', 'covered'])).toBe('covered');
  });
});

describe('cluster findings', () => {
  it('several Agent daemons', () => {
    const other = agentTaskDefinition({ family: 'dd-agent-2' });
    const obs = observation({
      instances: [instance('a')],
      services: [
        service('datadog-agent', AGENT_1, { strategy: 'DAEMON' }),
        service('dd-agent-2', other.taskDefinitionArn!, { strategy: 'DAEMON' }),
      ],
      tasks: [agentTask('t1', 'a')],
      taskDefinitions: [agentTaskDefinition(), other],
    });
    const { details } = buildClusterView(obs, CONTEXT);
    const finding = details.findings.find(
      f => f.id === 'cluster.multiple-agent-daemons',
    );
    expect(finding?.explanation).toContain('datadog-agent, dd-agent-2');
    expect(details.agentServices.map(s => s.serviceName)).toEqual([
      'datadog-agent',
      'dd-agent-2',
    ]);
    expect(details.counts.desired).toBe(2);
  });

  it('Agent tasks started outside a service', () => {
    const obs = daemonCluster({
      instances: [instance('a'), instance('b')],
      tasks: [
        agentTask('t1', 'a'),
        task('manual1', AGENT_1, {
          on: 'b',
          group: 'family:datadog-agent-task',
        }),
        task('manual2', AGENT_1, { on: 'b' }),
      ],
    });
    const { details } = buildClusterView(obs, CONTEXT);
    const finding = details.findings.find(
      f => f.id === 'cluster.agent-standalone-tasks',
    );
    expect(finding?.explanation).toMatch(/^2 Agent task\(s\)/);
    // A standalone task still covers its instance.
    expect(details.instances[1].state).toBe('covered');
  });

  it('no standalone finding when every Agent task belongs to a service', () => {
    const { details } = buildClusterView(
      daemonCluster({
        instances: [instance('a')],
        tasks: [agentTask('t1', 'a')],
      }),
      CONTEXT,
    );
    expect(details.findings.map(f => f.id)).not.toContain(
      'cluster.agent-standalone-tasks',
    );
    expect(details.findings.map(f => f.id)).not.toContain(
      'cluster.multiple-agent-daemons',
    );
    // Findings are sorted by severity and counted.
    const ranks = details.findings.map(f =>
      ['critical', 'warning', 'info'].indexOf(f.severity),
    );
    expect(ranks).toEqual([...ranks].sort());
    expect(
      details.findingCounts.critical +
        details.findingCounts.warning +
        details.findingCounts.info,
    ).toBe(details.findings.length);
  });
});

describe('events', () => {
  it('keeps the Agent service events matching the guide keywords, newest first', () => {
    const obs = daemonCluster({
      instances: [instance('a')],
      tasks: [agentTask('t1', 'a')],
      events: [
        {
          message: '(service datadog-agent) has reached a steady state.',
          createdAt: new Date('2026-01-15T09:59:00Z'),
        },
        {
          ...placementEvent('a', 'has insufficient memory available'),
          createdAt: new Date('2026-01-15T09:00:00Z'),
        },
        {
          message:
            '(service datadog-agent) deployment failed: tasks failed to start.',
          createdAt: new Date('2026-01-15T09:30:00Z'),
        },
        {
          message: '(service datadog-agent) has started 1 tasks: (task abc).',
          createdAt: new Date('2026-01-15T09:40:00Z'),
        },
        {
          message:
            '(service datadog-agent) registered 1 targets in (target-group x)',
          createdAt: new Date('2026-01-15T09:41:00Z'),
        },
        {
          message: 'container instance i-1 is DRAINING',
          createdAt: new Date('2026-01-15T09:45:00Z'),
        },
      ],
    });
    const { events } = buildClusterView(obs, CONTEXT).details;
    expect(events.map(e => e.createdAt)).toEqual([
      '2026-01-15T09:45:00.000Z',
      '2026-01-15T09:30:00.000Z',
      '2026-01-15T09:00:00.000Z',
    ]);
    expect(events[0].keywords).toEqual(['drain']);
    expect(events[1].keywords).toEqual(['fail']);
    expect(events[2].keywords).toEqual(['insufficient memory']);
    expect(events[2].serviceName).toBe('datadog-agent');
  });

  it('ignores the events of application services', () => {
    const obs = observation({
      instances: [instance('a')],
      services: [
        service('datadog-agent', AGENT_1, { strategy: 'DAEMON' }),
        service('web', taskDefinitionArn('web', 1), {
          events: [{ message: '(service web) failed to launch a task' }],
        }),
      ],
      tasks: [agentTask('t1', 'a')],
      taskDefinitions: [agentTaskDefinition(), appTaskDefinition('web')],
    });
    expect(buildClusterView(obs, CONTEXT).details.events).toEqual([]);
  });

  it('the keyword list is the guide’s', () => {
    expect(EVENT_KEYWORDS).toEqual([
      'drain',
      'error',
      'fail',
      'insufficient memory',
      'pending',
      'reboot',
      'terminate',
    ]);
  });
});

describe('placementFailures', () => {
  it('reads ECS wording with and without parentheses and skips other events', () => {
    const failures = placementFailures([
      { message: 'service x has reached a steady state.' },
      {
        message:
          'service datadog-agent was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 0f1e2d3c4b5a69788796a5b4c3d2e1f0 has insufficient memory available. For more information, see the Troubleshooting section.',
      },
      placementEvent('abc-1', 'is already using a port required by your task'),
      {},
    ]);
    expect(failures.map(f => [f.containerInstanceId, f.code])).toEqual([
      ['0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'insufficient-memory'],
      ['abc-1', 'port-in-use'],
    ]);
  });
});

describe('application services', () => {
  function appCluster() {
    const storefront = appTaskDefinition('storefront', {
      logDriver: 'awslogs',
    });
    const checkout = appTaskDefinition('checkout-api', {
      environment: { DD_AGENT_HOST: '172.17.0.1' },
    });
    return observation({
      instances: [instance('a'), instance('b')],
      services: [
        service('datadog-agent', AGENT_1, {
          strategy: 'DAEMON',
          desiredCount: 2,
        }),
        service('storefront', storefront.taskDefinitionArn!, {
          desiredCount: 3,
        }),
        service('checkout-api', checkout.taskDefinitionArn!, {
          desiredCount: 1,
        }),
        service('retired', checkout.taskDefinitionArn!, { status: 'INACTIVE' }),
      ],
      tasks: [
        agentTask('ag1', 'a'),
        agentTask('ag2', 'b'),
        task('s1', storefront.taskDefinitionArn!, {
          on: 'a',
          group: 'service:storefront',
          containerName: 'storefront',
        }),
        task('s2', storefront.taskDefinitionArn!, {
          on: 'b',
          group: 'service:storefront',
          containerName: 'storefront',
        }),
        task('s3', storefront.taskDefinitionArn!, {
          on: 'b',
          group: 'service:storefront',
          containerName: 'storefront',
        }),
        task('c1', checkout.taskDefinitionArn!, {
          on: 'a',
          group: 'service:checkout-api',
          containerName: 'checkout-api',
        }),
      ],
      taskDefinitions: [agentTaskDefinition(), storefront, checkout],
    });
  }

  it('keeps the application services (not the Agent, not INACTIVE) with where their tasks run', () => {
    const { services } = buildClusterView(appCluster(), CONTEXT);
    expect(services.map(s => s.serviceName)).toEqual([
      'storefront',
      'checkout-api',
    ]);
    expect(services[0].taskInstanceArns).toEqual([
      instanceArn('a'),
      instanceArn('b'),
      instanceArn('b'),
    ]);
    expect(services[0].fargateTasks).toBe(0);
    expect(services[0].taskDefinitionArn).toBe(
      taskDefinitionArn('storefront', 1),
    );
  });

  it('flags awslogs (logs bypass the Agent) and a missing DD_AGENT_HOST', () => {
    const { services } = buildClusterView(appCluster(), CONTEXT);
    const ids = Object.fromEntries(
      services.map(s => [s.serviceName, s.findings.map(f => f.id)]),
    );
    expect(ids.storefront).toEqual(
      expect.arrayContaining([
        'application.log-driver-bypasses-agent',
        'application.agent-host-missing',
      ]),
    );
    expect(ids['checkout-api']).not.toContain('application.agent-host-missing');
    expect(ids['checkout-api']).not.toContain(
      'application.log-driver-bypasses-agent',
    );
  });

  it('no application findings when the cluster has no Agent', () => {
    const storefront = appTaskDefinition('storefront', {
      logDriver: 'awslogs',
    });
    const { services } = buildClusterView(
      observation({
        instances: [instance('a')],
        services: [service('storefront', storefront.taskDefinitionArn!)],
        taskDefinitions: [storefront],
      }),
      CONTEXT,
    );
    expect(services[0].findings).toEqual([]);
  });
});

describe('Agent scheduling and the definition the features come from', () => {
  it('a DAEMON service: mode daemon-service, features from its running definition', () => {
    const { details } = buildClusterView(
      daemonCluster({
        instances: [instance('a'), instance('b')],
        tasks: [agentTask('t1', 'a'), agentTask('t2', 'b')],
      }),
      CONTEXT,
    );
    expect(details.agentScheduling).toEqual({
      mode: 'daemon-service',
      daemonServices: ['datadog-agent'],
      otherServices: [],
      standaloneTasks: 0,
      startedBy: [],
    });
    expect(details.featureRevision).toBe('datadog-agent-task:1');
  });

  it('standalone tasks only (StartTask from user data): inspected like a service, with a finding', () => {
    const def = agentTaskDefinition({
      environment: { DD_SITE: 'datadoghq.com', DD_APM_ENABLED: 'true' },
    });
    const standalone = (id: string, on: string) => ({
      ...task(id, AGENT_1, { on, group: 'family:datadog-agent-task' }),
      startedBy: 'ecs-user-data',
    });
    const obs = observation({
      instances: [instance('a'), instance('b'), instance('c')],
      services: [],
      tasks: [
        standalone('s1', 'a'),
        standalone('s2', 'b'),
        standalone('s3', 'c'),
      ],
      taskDefinitions: [def],
    });
    const { details } = buildClusterView(obs, CONTEXT);
    expect(details.agentScheduling).toEqual({
      mode: 'standalone-tasks',
      daemonServices: [],
      otherServices: [],
      standaloneTasks: 3,
      startedBy: ['ecs-user-data'],
    });
    expect(details.counts.covered).toBe(3);
    expect(details.featureRevision).toBe('datadog-agent-task:1');
    expect(details.features.find(f => f.id === 'apm')?.state).not.toBe('off');
    expect(details.agentRevisions).toEqual(['datadog-agent-task:1']);
    expect(details.findings.map(f => f.id)).toContain(
      'cluster.agent-standalone-tasks',
    );
  });

  it('a REPLICA service and standalone tasks: mixed, with a finding for each', () => {
    const obs = observation({
      instances: [instance('a'), instance('b')],
      services: [service('dd-replica', AGENT_1, { strategy: 'REPLICA' })],
      tasks: [
        task('r1', AGENT_1, { on: 'a', group: 'service:dd-replica' }),
        task('s1', AGENT_1, { on: 'b', group: 'family:datadog-agent-task' }),
      ],
      taskDefinitions: [agentTaskDefinition()],
    });
    const { details } = buildClusterView(obs, CONTEXT);
    expect(details.agentScheduling?.mode).toBe('mixed');
    expect(details.agentScheduling?.otherServices).toEqual(['dd-replica']);
    expect(details.agentScheduling?.standaloneTasks).toBe(1);
    const ids = details.findings.map(f => f.id);
    expect(ids).toContain('cluster.agent-not-daemon');
    expect(ids).toContain('cluster.agent-standalone-tasks');
  });

  it('no Agent anywhere: mode none, no feature definition', () => {
    const { details } = buildClusterView(
      observation({
        instances: [instance('a')],
        services: [],
        tasks: [],
        taskDefinitions: [],
      }),
      CONTEXT,
    );
    expect(details.agentScheduling?.mode).toBe('none');
    expect(details.featureRevision).toBeUndefined();
    expect(details.features).toEqual([]);
  });

  it('features come from the definition running on most instances, not the daemon’s new one', () => {
    // The daemon was just updated to revision 2 (logs off); revision 1 still runs on 2 of 3.
    const v1 = agentTaskDefinition({ revision: 1 });
    const v2 = agentTaskDefinition({
      revision: 2,
      environment: { DD_SITE: 'datadoghq.com' },
    });
    const obs = observation({
      instances: [instance('a'), instance('b'), instance('c')],
      services: [
        service('datadog-agent', AGENT_2, {
          strategy: 'DAEMON',
          desiredCount: 3,
        }),
      ],
      tasks: [
        agentTask('t1', 'a'),
        agentTask('t2', 'b'),
        task('t3', AGENT_2, { on: 'c', group: 'service:datadog-agent' }),
      ],
      taskDefinitions: [v1, v2],
    });
    const { details } = buildClusterView(obs, CONTEXT);
    expect(details.currentRevision).toBe('datadog-agent-task:2');
    expect(details.featureRevision).toBe('datadog-agent-task:1');
    expect(details.features.find(f => f.id === 'logs')?.state).not.toBe('off');
    // Once most instances run revision 2, its features show.
    const later = {
      ...obs,
      tasks: [
        task('t1', AGENT_2, { on: 'a', group: 'service:datadog-agent' }),
        task('t2', AGENT_2, { on: 'b', group: 'service:datadog-agent' }),
        agentTask('t3', 'c'),
      ],
    };
    const after = buildClusterView(later, CONTEXT).details;
    expect(after.featureRevision).toBe('datadog-agent-task:2');
    expect(after.features.find(f => f.id === 'logs')?.state ?? 'off').toBe(
      'off',
    );
  });

  it('a tie goes to the daemon’s current definition', () => {
    const obs = observation({
      instances: [instance('a'), instance('b')],
      services: [
        service('datadog-agent', AGENT_1, {
          strategy: 'DAEMON',
          desiredCount: 2,
        }),
      ],
      tasks: [
        agentTask('t1', 'a'),
        task('t2', AGENT_2, { on: 'b', group: 'service:datadog-agent' }),
      ],
      taskDefinitions: [
        agentTaskDefinition({ revision: 1 }),
        agentTaskDefinition({ revision: 2 }),
      ],
    });
    expect(buildClusterView(obs, CONTEXT).details.featureRevision).toBe(
      'datadog-agent-task:1',
    );
  });

  it('reports at most 10 distinct startedBy (user data often passes each instance’s id)', () => {
    const ids = Array.from(
      { length: 12 },
      (_, i) => `i${String(i).padStart(2, '0')}`,
    );
    const obs = observation({
      instances: ids.map(id => instance(id)),
      services: [],
      tasks: ids.map(id => ({
        ...task(`s-${id}`, AGENT_1, {
          on: id,
          group: 'family:datadog-agent-task',
        }),
        startedBy: `ecs-user-data-${id}`,
      })),
      taskDefinitions: [agentTaskDefinition()],
    });
    const s = buildClusterView(obs, CONTEXT).details.agentScheduling!;
    expect(s.standaloneTasks).toBe(12);
    expect(s.startedBy).toHaveLength(10);
    expect(s.startedBy[0]).toBe('ecs-user-data-i00');
  });
});
