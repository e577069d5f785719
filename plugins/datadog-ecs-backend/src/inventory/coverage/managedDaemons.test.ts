import { DaemonDeployment, TaskDefinition } from '../../aws/EcsGateway';
import { instance } from '../__fixtures__/ecs';
import {
  agentDaemonDefinition,
  capacityProvider,
  capacityProviderArn,
  daemonArn,
  daemonDeployment,
  daemonDeploymentArn,
  daemonDetail,
  daemonRevision,
  daemonRevisionArn,
  observedAgentDaemon,
} from '../__fixtures__/managedDaemons';
import {
  ManagedInstancesObservation,
  ObservedDaemon,
} from '../managedInstances';
import {
  agentManagedDaemons,
  daemonDeploymentView,
  instanceCapacity,
  managedDaemonFor,
  managedDaemonSummary,
  managedInstancesCapacityProviders,
  managedInstancesProviderNames,
} from './managedDaemons';

const AGENT_D1 = agentDaemonDefinition({ revision: 1 });
const AGENT_D2 = agentDaemonDefinition({ revision: 2 });
/** A daemon task definition that is not the Agent's. */
const OTHER_D = {
  ...agentDaemonDefinition({ family: 'log-router' }),
  containerDefinitions: [{ name: 'fluent-bit', image: 'fluent/fluent-bit' }],
} as TaskDefinition;
const ARN_1 = AGENT_D1.taskDefinitionArn!;
const ARN_2 = AGENT_D2.taskDefinitionArn!;
const AGENT_ARNS = new Set([ARN_1, ARN_2]);

const withDefinitions = (
  daemons: ObservedDaemon[],
  defs: TaskDefinition[] = [AGENT_D1, AGENT_D2, OTHER_D],
) => ({
  daemons,
  taskDefinitions: Object.fromEntries(defs.map(d => [d.taskDefinitionArn!, d])),
});

describe('instanceCapacity', () => {
  const observation: ManagedInstancesObservation = {
    capacityProviders: [
      capacityProvider('mi-cp'),
      capacityProvider('asg-cp', 'EC2_AUTOSCALING'),
    ],
  };

  it('ECS Anywhere instances are external, whatever their provider', () => {
    expect(
      instanceCapacity(instance('x', { kind: 'external' }), observation),
    ).toEqual({
      kind: 'external',
    });
    expect(
      instanceCapacity(
        instance('y', { kind: 'external', capacityProviderName: 'mi-cp' }),
        observation,
      ),
    ).toEqual({ kind: 'external', capacityProviderName: 'mi-cp' });
  });

  it('an instance of a Managed Instances provider, by its capacityProviderName', () => {
    expect(
      instanceCapacity(
        instance('m', { capacityProviderName: 'mi-cp' }),
        observation,
      ),
    ).toEqual({ kind: 'managed-instances', capacityProviderName: 'mi-cp' });
  });

  it('an instance of an Auto Scaling group provider, or of none, is EC2', () => {
    expect(
      instanceCapacity(
        instance('a', { capacityProviderName: 'asg-cp' }),
        observation,
      ),
    ).toEqual({ kind: 'ec2-asg', capacityProviderName: 'asg-cp' });
    expect(instanceCapacity(instance('b'), observation)).toEqual({
      kind: 'ec2-asg',
    });
  });

  it('a provider recognised by its managedInstancesProvider block without a type', () => {
    const untyped = { ...capacityProvider('mi-cp'), type: undefined };
    expect(
      managedInstancesProviderNames({ capacityProviders: [untyped] }),
    ).toEqual(new Set(['mi-cp']));
  });

  it('unknown when the instance names a provider that could not be described after an error', () => {
    const failed: ManagedInstancesObservation = {
      managedInstancesError: {
        kind: 'access-denied',
        message: 'not authorized to ecs:DescribeCapacityProviders',
        at: '2026-01-15T10:00:00.000Z',
      },
    };
    const named = instance('m', { capacityProviderName: 'mi-cp' });
    expect(instanceCapacity(named, failed)).toEqual({
      kind: 'unknown',
      capacityProviderName: 'mi-cp',
    });
    // Without a provider name it is EC2 all the same; without an error, an undescribed one is EC2.
    expect(instanceCapacity(instance('b'), failed)).toEqual({
      kind: 'ec2-asg',
    });
    expect(instanceCapacity(named, {})).toEqual({
      kind: 'ec2-asg',
      capacityProviderName: 'mi-cp',
    });
    // A provider described before the error still counts.
    expect(
      instanceCapacity(named, {
        ...failed,
        capacityProviders: observation.capacityProviders,
      }),
    ).toEqual({ kind: 'managed-instances', capacityProviderName: 'mi-cp' });
  });
});

describe('agentManagedDaemons', () => {
  it('keeps only the daemons whose revision runs an Agent definition', () => {
    const daemons = agentManagedDaemons(
      withDefinitions([
        observedAgentDaemon({
          name: 'datadog-agent',
          taskDefinition: ARN_1,
          providers: ['mi-cp'],
        }),
        observedAgentDaemon({
          name: 'log-router',
          taskDefinition: OTHER_D.taskDefinitionArn!,
          providers: ['mi-cp'],
        }),
      ]),
      AGENT_ARNS,
    );
    expect(daemons.map(d => d.name)).toEqual(['datadog-agent']);
    expect(daemons[0]).toMatchObject({
      currentArn: ARN_1,
      taskDefinition: AGENT_D1,
      critical: true,
      capacityProviderNames: ['mi-cp'],
      deploying: false,
    });
  });

  it('ignores a daemon being deleted (DELETE_IN_PROGRESS)', () => {
    expect(
      agentManagedDaemons(
        withDefinitions([
          observedAgentDaemon({
            taskDefinition: ARN_1,
            providers: ['mi-cp'],
            status: 'DELETE_IN_PROGRESS',
          }),
        ]),
        AGENT_ARNS,
      ),
    ).toEqual([]);
  });

  it("the current revision is the deployment's target, else the newest", () => {
    const revisions = [
      daemonRevision('old', ARN_1, {
        createdAt: new Date('2026-01-15T08:00:00Z'),
      }),
      daemonRevision('new', ARN_2, {
        createdAt: new Date('2026-01-15T09:00:00Z'),
        critical: false,
      }),
    ];
    const detail = daemonDetail('datadog-agent', [
      { id: 'old', providers: { 'mi-a': { running: 2 } } },
      { id: 'new', providers: { 'mi-b': { running: 1 } } },
    ]);
    const rollingBack: ObservedDaemon = {
      daemon: detail,
      revisions,
      deployment: daemonDeployment('dep', 'old', {
        status: 'ROLLBACK_IN_PROGRESS',
      }),
    };
    const [target] = agentManagedDaemons(
      withDefinitions([rollingBack]),
      AGENT_ARNS,
    );
    expect(target.currentRevision?.daemonRevisionArn).toBe(
      daemonRevisionArn('old'),
    );
    expect(target.currentArn).toBe(ARN_1);
    expect(target.taskDefinition).toBe(AGENT_D1);
    expect(target.critical).toBe(true);
    expect(target.deploying).toBe(true);
    // Every current revision's capacity providers, by name, once.
    expect(target.capacityProviderNames).toEqual(['mi-a', 'mi-b']);

    // No deployment: the newest revision, in whatever order ECS listed them.
    const [newest] = agentManagedDaemons(
      withDefinitions([
        { daemon: detail, revisions: [...revisions].reverse() },
      ]),
      AGENT_ARNS,
    );
    expect(newest.currentArn).toBe(ARN_2);
    expect(newest.critical).toBe(false);
    expect(newest.deploying).toBe(false);
    const [newestToo] = agentManagedDaemons(
      withDefinitions([{ daemon: detail, revisions }]),
      AGENT_ARNS,
    );
    expect(newestToo.currentArn).toBe(ARN_2);
  });

  it("critical defaults to ECS's true when the revision does not say", () => {
    const of = (critical?: boolean) =>
      agentManagedDaemons(
        withDefinitions([
          observedAgentDaemon({
            taskDefinition: ARN_1,
            providers: ['mi-cp'],
            critical,
          }),
        ]),
        AGENT_ARNS,
      )[0].critical;
    expect(of(undefined)).toBe(true);
    expect(of(true)).toBe(true);
    expect(of(false)).toBe(false);
  });

  it('is deploying while its deployment is PENDING, IN_PROGRESS, STOP_REQUESTED or ROLLBACK_IN_PROGRESS', () => {
    const deploying = (deploymentStatus: DaemonDeployment['status']) =>
      agentManagedDaemons(
        withDefinitions([
          observedAgentDaemon({
            taskDefinition: ARN_1,
            providers: ['mi-cp'],
            deploymentStatus,
          }),
        ]),
        AGENT_ARNS,
      )[0].deploying;
    for (const s of [
      'PENDING',
      'IN_PROGRESS',
      'STOP_REQUESTED',
      'ROLLBACK_IN_PROGRESS',
    ] as const) {
      expect([s, deploying(s)]).toEqual([s, true]);
    }
    for (const s of [
      'SUCCESSFUL',
      'STOPPED',
      'ROLLBACK_SUCCESSFUL',
      'ROLLBACK_FAILED',
    ] as const) {
      expect([s, deploying(s)]).toEqual([s, false]);
    }
  });

  it('a daemon task definition that was not described leaves taskDefinition undefined', () => {
    const [d] = agentManagedDaemons(
      withDefinitions(
        [observedAgentDaemon({ taskDefinition: ARN_1, providers: ['mi-cp'] })],
        [AGENT_D1],
      ),
      new Set([ARN_1]),
    );
    expect(d.taskDefinition).toBe(AGENT_D1);
    expect(
      agentManagedDaemons(
        {
          daemons: [
            observedAgentDaemon({ taskDefinition: ARN_1, providers: [] }),
          ],
          taskDefinitions: {},
        },
        new Set([ARN_1]),
      )[0].taskDefinition,
    ).toBeUndefined();
  });
});

describe('managedDaemonFor', () => {
  const daemons = agentManagedDaemons(
    withDefinitions([
      observedAgentDaemon({ taskDefinition: ARN_1, providers: ['mi-cp'] }),
    ]),
    AGENT_ARNS,
  );

  it('serves the Managed Instances of its capacity providers, and nothing else', () => {
    expect(
      managedDaemonFor(
        { kind: 'managed-instances', capacityProviderName: 'mi-cp' },
        daemons,
      )?.name,
    ).toBe('datadog-agent');
    expect(
      managedDaemonFor(
        { kind: 'managed-instances', capacityProviderName: 'mi-gpu' },
        daemons,
      ),
    ).toBeUndefined();
    // An EC2 instance naming the same provider name is not served (a daemon needs Managed Instances).
    expect(
      managedDaemonFor(
        { kind: 'ec2-asg', capacityProviderName: 'mi-cp' },
        daemons,
      ),
    ).toBeUndefined();
    expect(
      managedDaemonFor(
        { kind: 'unknown', capacityProviderName: 'mi-cp' },
        daemons,
      ),
    ).toBe(undefined);
  });
});

describe('managedDaemonSummary', () => {
  it('sums the counts over the current revisions and per capacity provider', () => {
    const observed: ObservedDaemon = {
      daemon: daemonDetail(
        'datadog-agent',
        [
          {
            id: 'old',
            providers: { 'mi-a': { running: 2, withoutDaemon: 1 } },
          },
          {
            id: 'new',
            providers: {
              'mi-a': { running: 3 },
              'mi-b': { running: 1, withoutDaemon: 2 },
            },
          },
        ],
        { deploymentArn: daemonDeploymentArn('dep') },
      ),
      revisions: [daemonRevision('new', ARN_2, { critical: false })],
      deployment: daemonDeployment('dep', 'new', { status: 'IN_PROGRESS' }),
    };
    const [d] = agentManagedDaemons(withDefinitions([observed]), AGENT_ARNS);
    expect(managedDaemonSummary(d)).toEqual({
      daemonArn: daemonArn(),
      daemonName: 'datadog-agent',
      status: 'ACTIVE',
      critical: false,
      revision: 'datadog-agent-daemon:2',
      taskDefinitionArn: ARN_2,
      daemonRevisionArn: daemonRevisionArn('new'),
      capacityProviders: [
        {
          arn: capacityProviderArn('mi-a'),
          name: 'mi-a',
          runningCount: 5,
          withoutDaemonCount: 1,
        },
        {
          arn: capacityProviderArn('mi-b'),
          name: 'mi-b',
          runningCount: 1,
          withoutDaemonCount: 2,
        },
      ],
      runningCount: 6,
      withoutDaemonCount: 3,
      currentDeployment: daemonDeploymentView(observed.deployment!),
      createdAt: '2026-01-15T08:00:00.000Z',
      updatedAt: '2026-01-15T09:00:00.000Z',
    });
  });

  it('without a deployment or revision: no currentDeployment, no revision', () => {
    const [d] = agentManagedDaemons(
      withDefinitions([
        {
          daemon: daemonDetail('datadog-agent', []),
          // Runs the Agent, but the revision names no daemon task definition ECS returned.
          revisions: [
            { ...daemonRevision('r', ARN_1), daemonRevisionArn: undefined },
          ],
        },
      ]),
      AGENT_ARNS,
    );
    const summary = managedDaemonSummary(d);
    expect(summary).not.toHaveProperty('currentDeployment');
    expect(summary).not.toHaveProperty('daemonRevisionArn');
    expect(summary).toMatchObject({
      revision: 'datadog-agent-daemon:1',
      capacityProviders: [],
      runningCount: 0,
      withoutDaemonCount: 0,
    });
  });
});

describe('daemonDeploymentView', () => {
  it('maps every field of DescribeDaemonDeployments, dates as ISO', () => {
    const view = daemonDeploymentView(
      daemonDeployment('dep', 'new', {
        status: 'ROLLBACK_IN_PROGRESS',
        statusReason: 'circuit breaker triggered',
        targetDaemonRevision: {
          arn: daemonRevisionArn('new'),
          totalRunningInstanceCount: 3,
          totalWithoutDaemonInstanceCount: 1,
          totalDrainingInstanceCount: 2,
        },
        sourceDaemonRevisions: [
          { arn: daemonRevisionArn('old') },
          { arn: undefined },
        ],
        deploymentConfiguration: { drainPercent: 0, bakeTimeInMinutes: 5 },
        circuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
        alarms: {
          status: 'MONITORING',
          alarmNames: ['agent-errors'],
          triggeredAlarmNames: [],
        },
        rollback: {
          reason: 'circuit breaker',
          startedAt: new Date('2026-01-15T09:30:00Z'),
          rollbackTargetDaemonRevisionArn: daemonRevisionArn('old'),
        },
        createdAt: new Date('2026-01-15T09:00:00Z'),
        startedAt: new Date('2026-01-15T09:01:00Z'),
        stoppedAt: new Date('2026-01-15T09:40:00Z'),
        finishedAt: new Date('2026-01-15T09:45:00Z'),
      }),
    );
    expect(view).toEqual({
      arn: daemonDeploymentArn('dep'),
      status: 'ROLLBACK_IN_PROGRESS',
      statusReason: 'circuit breaker triggered',
      targetDaemonRevisionArn: daemonRevisionArn('new'),
      sourceDaemonRevisionArns: [daemonRevisionArn('old')],
      drainPercent: 0,
      bakeTimeInMinutes: 5,
      instances: { running: 3, withoutDaemon: 1, draining: 2 },
      circuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 },
      alarms: {
        status: 'MONITORING',
        alarmNames: ['agent-errors'],
        triggeredAlarmNames: [],
      },
      rollback: {
        reason: 'circuit breaker',
        startedAt: '2026-01-15T09:30:00.000Z',
        rollbackTargetDaemonRevisionArn: daemonRevisionArn('old'),
      },
      createdAt: '2026-01-15T09:00:00.000Z',
      startedAt: '2026-01-15T09:01:00.000Z',
      stoppedAt: '2026-01-15T09:40:00.000Z',
      finishedAt: '2026-01-15T09:45:00.000Z',
    });
  });

  it('omits what ECS does not say; instance counts default to 0 under a target', () => {
    expect(daemonDeploymentView({})).toEqual({
      arn: '',
      status: 'UNKNOWN',
      createdAt: undefined,
      startedAt: undefined,
      stoppedAt: undefined,
      finishedAt: undefined,
    });
    expect(
      daemonDeploymentView(
        daemonDeployment('dep', 'new', { createdAt: undefined }),
      ),
    ).toEqual({
      arn: daemonDeploymentArn('dep'),
      status: 'SUCCESSFUL',
      targetDaemonRevisionArn: daemonRevisionArn('new'),
      instances: { running: 0, withoutDaemon: 0, draining: 0 },
      createdAt: undefined,
      startedAt: undefined,
      stoppedAt: undefined,
      finishedAt: undefined,
    });
  });
});

describe('managedInstancesCapacityProviders', () => {
  it('lists the Managed Instances providers with their instances in the snapshot', () => {
    const observation: ManagedInstancesObservation = {
      capacityProviders: [
        capacityProvider('mi-a'),
        capacityProvider('asg', 'EC2_AUTOSCALING'),
        capacityProvider('mi-b', 'MANAGED_INSTANCES', {
          status: 'DEPROVISIONING',
        }),
      ],
    };
    const instances = [
      instance('1', { capacityProviderName: 'mi-a' }),
      instance('2', { capacityProviderName: 'mi-a' }),
      instance('3', { capacityProviderName: 'asg' }),
      instance('4'),
    ];
    const capacities = instances.map(i => instanceCapacity(i, observation));
    expect(managedInstancesCapacityProviders(observation, capacities)).toEqual([
      {
        name: 'mi-a',
        arn: capacityProviderArn('mi-a'),
        status: 'ACTIVE',
        instances: 2,
      },
      {
        name: 'mi-b',
        arn: capacityProviderArn('mi-b'),
        status: 'DEPROVISIONING',
        instances: 0,
      },
    ]);
    expect(managedInstancesCapacityProviders({}, capacities)).toEqual([]);
  });
});
