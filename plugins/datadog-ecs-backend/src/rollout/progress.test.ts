import { RolloutInstanceProgress } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { ContainerInstance, Service, Task } from '../aws/EcsGateway';
import {
  computeInstanceProgress,
  decideOutcome,
  eventsSince,
} from './progress';

const NEW = 'arn:aws:ecs:eu-west-1:1:task-definition/datadog-agent-task:2';
const OLD = 'arn:aws:ecs:eu-west-1:1:task-definition/datadog-agent-task:1';
const ci = (
  n: number,
  over: Partial<ContainerInstance> = {},
): ContainerInstance => ({
  containerInstanceArn: `arn:ci/${n}`,
  ec2InstanceId: `i-${n}`,
  status: 'ACTIVE',
  agentConnected: true,
  ...over,
});
const task = (n: number, over: Partial<Task>): Task => ({
  taskArn: `arn:task/${n}-${Math.random()}`,
  containerInstanceArn: `arn:ci/${n}`,
  desiredStatus: 'RUNNING',
  createdAt: new Date(1000),
  ...over,
});

describe('computeInstanceProgress', () => {
  it('follows each instance from waiting to healthy', () => {
    const progress = computeInstanceProgress({
      instances: [
        ci(1),
        ci(2),
        ci(3),
        ci(4),
        ci(5, { status: 'DRAINING' }),
        ci(6, { agentConnected: false }),
      ],
      tasks: [
        task(1, { taskDefinitionArn: OLD, lastStatus: 'RUNNING' }),
        task(2, {
          taskDefinitionArn: OLD,
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
        }),
        task(2, { taskDefinitionArn: NEW, lastStatus: 'PENDING' }),
        task(3, {
          taskDefinitionArn: NEW,
          lastStatus: 'RUNNING',
          healthStatus: 'UNKNOWN',
        }),
        task(4, {
          taskDefinitionArn: NEW,
          lastStatus: 'RUNNING',
          healthStatus: 'HEALTHY',
        }),
        task(6, { taskDefinitionArn: OLD, lastStatus: 'RUNNING' }),
      ],
      newTaskDefinitionArn: NEW,
      hasHealthCheck: true,
    });
    expect(
      progress.map(p => [p.instanceId, p.state, p.oldRevisionStopped]),
    ).toEqual([
      ['i-1', 'waiting', false],
      ['i-2', 'pending', true],
      ['i-3', 'pending', true],
      ['i-4', 'healthy', true],
      ['i-5', 'skipped', true],
      ['i-6', 'skipped', false],
    ]);
  });

  it('counts a running task without health check as running, and a stopped one as failed with its reason', () => {
    const progress = computeInstanceProgress({
      instances: [ci(1), ci(2)],
      tasks: [
        task(1, {
          taskDefinitionArn: NEW,
          lastStatus: 'RUNNING',
          healthStatus: 'UNKNOWN',
        }),
        task(2, {
          taskDefinitionArn: NEW,
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          stoppedReason:
            'CannotPullContainerError: pull image manifest has been retried 7 time(s)',
          createdAt: new Date(1000),
        }),
      ],
      newTaskDefinitionArn: NEW,
      hasHealthCheck: false,
    });
    expect(progress[0].state).toBe('running');
    expect(progress[1]).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('CannotPullContainerError'),
    });
  });

  it('lets the newest new-revision task decide (a retry after a failure)', () => {
    const [p] = computeInstanceProgress({
      instances: [ci(1)],
      tasks: [
        task(1, {
          taskDefinitionArn: NEW,
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          createdAt: new Date(1000),
        }),
        task(1, {
          taskDefinitionArn: NEW,
          lastStatus: 'RUNNING',
          healthStatus: 'HEALTHY',
          createdAt: new Date(2000),
        }),
      ],
      newTaskDefinitionArn: NEW,
      hasHealthCheck: true,
    });
    expect(p.state).toBe('healthy');
  });
});

describe('decideOutcome', () => {
  const healthy: RolloutInstanceProgress = {
    containerInstanceArn: 'arn:ci/1',
    instanceId: 'i-1',
    state: 'healthy',
    oldRevisionStopped: true,
  };
  const service = (deployments: Service['deployments']): Service => ({
    status: 'ACTIVE',
    deployments,
  });
  const base = {
    newTaskDefinitionArn: NEW,
    deploymentId: 'd-new',
    elapsedMs: 1000,
    timeoutMs: 60_000,
  };

  it('is in progress, then completed, from the deployment rolloutState', () => {
    expect(
      decideOutcome({
        ...base,
        service: service([
          {
            id: 'd-new',
            status: 'PRIMARY',
            taskDefinition: NEW,
            rolloutState: 'IN_PROGRESS',
          },
        ]),
        progress: [healthy],
      }).status,
    ).toBe('in-progress');
    expect(
      decideOutcome({
        ...base,
        service: service([
          {
            id: 'd-new',
            status: 'PRIMARY',
            taskDefinition: NEW,
            rolloutState: 'COMPLETED',
          },
        ]),
        progress: [healthy],
      }),
    ).toMatchObject({
      status: 'completed',
      deployment: { id: 'd-new', rolloutState: 'COMPLETED' },
    });
  });

  it('fails with the circuit breaker, naming a pull failure', () => {
    const outcome = decideOutcome({
      ...base,
      service: service([
        {
          id: 'd-new',
          status: 'PRIMARY',
          taskDefinition: NEW,
          rolloutState: 'FAILED',
          rolloutStateReason:
            'ECS deployment circuit breaker: tasks failed to start.',
        },
      ]),
      progress: [
        {
          ...healthy,
          state: 'failed',
          reason: 'CannotPullContainerError: i/o timeout',
        },
      ],
    });
    expect(outcome).toMatchObject({ status: 'failed', kind: 'image-pull' });
    expect((outcome as any).reason).toBe(
      'ECS deployment circuit breaker: tasks failed to start. CannotPullContainerError: i/o timeout',
    );
  });

  it('fails when the circuit breaker rolled back to the old revision', () => {
    expect(
      decideOutcome({
        ...base,
        service: service([
          {
            id: 'd-old',
            status: 'PRIMARY',
            taskDefinition: OLD,
            rolloutState: 'IN_PROGRESS',
          },
          {
            id: 'd-new',
            status: 'ACTIVE',
            taskDefinition: NEW,
            rolloutState: 'FAILED',
          },
        ]),
        progress: [],
      }),
    ).toMatchObject({ status: 'failed', kind: 'circuit-breaker' });
    expect(
      decideOutcome({
        ...base,
        service: service([
          {
            id: 'd-old',
            status: 'PRIMARY',
            taskDefinition: OLD,
            rolloutState: 'IN_PROGRESS',
          },
        ]),
        progress: [],
      }),
    ).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('rolled back'),
    });
  });

  it('times out', () => {
    expect(
      decideOutcome({
        ...base,
        elapsedMs: 61_000,
        service: service([
          {
            id: 'd-new',
            status: 'PRIMARY',
            taskDefinition: NEW,
            rolloutState: 'IN_PROGRESS',
          },
        ]),
        progress: [{ ...healthy, state: 'waiting' }],
      }),
    ).toMatchObject({
      status: 'failed',
      kind: 'timeout',
      reason: expect.stringContaining('deploymentTimeoutMinutes'),
    });
  });

  it('completes on every reachable instance when ECS waits for unreachable ones', () => {
    const outcome = decideOutcome({
      ...base,
      service: service([
        {
          id: 'd-new',
          status: 'PRIMARY',
          taskDefinition: NEW,
          rolloutState: 'IN_PROGRESS',
        },
        { id: 'd-old', status: 'ACTIVE', taskDefinition: OLD },
      ]),
      progress: [
        healthy,
        {
          ...healthy,
          instanceId: 'i-2',
          state: 'skipped',
          oldRevisionStopped: false,
        },
      ],
    });
    expect(outcome).toMatchObject({
      status: 'completed',
      note: expect.stringContaining('i-2'),
    });
  });

  it('fails when the service is gone', () => {
    expect(
      decideOutcome({ ...base, service: undefined, progress: [] }),
    ).toMatchObject({
      status: 'failed',
      kind: 'aws-error',
    });
  });

  describe('with the service deployment ECS keeps for the rollout’s write', () => {
    const running = service([
      {
        id: 'd-new',
        status: 'PRIMARY',
        taskDefinition: NEW,
        rolloutState: 'IN_PROGRESS',
      },
    ]);
    const sd = (over: Record<string, unknown>) => ({
      serviceDeploymentArn: 'arn:sd/1',
      deploymentCircuitBreaker: {
        status: 'MONITORING',
        failureCount: 0,
        threshold: 3,
      },
      ...over,
    });
    const decide = (serviceDeployment: any, progress = [healthy]) =>
      decideOutcome({
        ...base,
        service: running,
        progress,
        serviceDeployment,
      });

    it('SUCCESSFUL completes it, with the service deployment in the view', () => {
      expect(decide(sd({ status: 'SUCCESSFUL' }))).toMatchObject({
        status: 'completed',
        deployment: {
          id: 'd-new',
          serviceDeploymentArn: 'arn:sd/1',
          serviceDeploymentStatus: 'SUCCESSFUL',
          circuitBreaker: {
            status: 'MONITORING',
            failureCount: 0,
            threshold: 3,
          },
        },
      });
    });

    it('a rollback by ECS fails it, reverted, with the rollback’s reason', () => {
      for (const status of [
        'ROLLBACK_REQUESTED',
        'ROLLBACK_IN_PROGRESS',
        'ROLLBACK_SUCCESSFUL',
      ]) {
        expect(
          decide(
            sd({
              status,
              rollback: {
                reason:
                  'ECS deployment circuit breaker: tasks failed to start.',
                startedAt: new Date('2026-01-01T00:00:00Z'),
              },
              deploymentCircuitBreaker: {
                status: 'TRIGGERED',
                failureCount: 3,
                threshold: 3,
              },
            }),
          ),
        ).toMatchObject({
          status: 'failed',
          kind: 'circuit-breaker',
          revertedByEcs: true,
          reason: `ECS rolled the deployment back (${status}): ECS deployment circuit breaker: tasks failed to start.`,
          deployment: {
            rollback: { startedAt: '2026-01-01T00:00:00.000Z' },
            circuitBreaker: { status: 'TRIGGERED', failureCount: 3 },
          },
        });
      }
    });

    it('ROLLBACK_FAILED fails it, not reverted; STOPPED fails it as the circuit breaker when it tripped, else superseded', () => {
      const failed = decide(
        sd({ status: 'ROLLBACK_FAILED', statusReason: 'no previous revision' }),
      );
      expect(failed).toMatchObject({
        status: 'failed',
        reason: 'ECS could not roll the deployment back: no previous revision',
      });
      expect((failed as any).revertedByEcs).toBeUndefined();
      expect(
        decide(
          sd({
            status: 'STOPPED',
            deploymentCircuitBreaker: { status: 'TRIGGERED' },
          }),
        ),
      ).toMatchObject({ status: 'failed', kind: 'circuit-breaker' });
      expect(
        decide(
          sd({ status: 'STOPPED', statusReason: 'a new deployment started' }),
        ),
      ).toMatchObject({
        status: 'failed',
        kind: 'superseded',
        reason:
          'ECS stopped the deployment (STOPPED): a new deployment started',
      });
    });

    it('PENDING and IN_PROGRESS leave it to the deployment and the instances', () => {
      expect(decide(sd({ status: 'IN_PROGRESS' })).status).toBe('in-progress');
      expect(decide(sd({ status: 'PENDING' })).status).toBe('in-progress');
    });
  });
});

describe('eventsSince', () => {
  it('keeps the events since the deployment began, newest first', () => {
    const events = eventsSince(
      {
        events: [
          {
            id: '2',
            createdAt: new Date('2025-01-01T00:00:10Z'),
            message: 'steady',
          },
          {
            id: '1',
            createdAt: new Date('2025-01-01T00:00:00Z'),
            message: 'old',
          },
        ],
      },
      new Date('2025-01-01T00:00:05Z'),
    );
    expect(events).toEqual([
      { id: '2', createdAt: '2025-01-01T00:00:10.000Z', message: 'steady' },
    ]);
  });
});
