import { DaemonDeployment, DaemonDetail } from '../aws/EcsGateway';
import {
  DAEMON_ARN,
  daemonRecord,
  dtdArn,
  FakeDaemonEcs,
  MI_PROVIDER,
  MI_PROVIDER_ARN,
} from './__testUtils__/daemonFakes';
import {
  FakeRolloutStore,
  heldLease,
  logger,
  rolloutConfig,
} from './__testUtils__/fakes';
import {
  daemonDeploymentView,
  daemonInstanceProgress,
  decideDaemonOutcome,
} from './daemonProgress';
import { RolloutFollower } from './following';

const daemon: DaemonDetail = {
  daemonArn: DAEMON_ARN,
  status: 'ACTIVE',
  deploymentArn: 'dep/2',
};
const deployment = (
  over: Partial<DaemonDeployment> = {},
): DaemonDeployment => ({
  daemonDeploymentArn: 'dep/2',
  status: 'IN_PROGRESS',
  targetDaemonRevision: {
    arn: 'rev/2',
    totalRunningInstanceCount: 1,
    totalDrainingInstanceCount: 0,
  },
  sourceDaemonRevisions: [{ arn: 'rev/1', totalDrainingInstanceCount: 1 }],
  deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0 },
  ...over,
});
const decide = (d: DaemonDeployment | undefined, over: object = {}) =>
  decideDaemonOutcome({
    daemon,
    daemonName: 'datadog-agent',
    deploymentArn: 'dep/2',
    deployment: d,
    progress: [],
    elapsedMs: 1000,
    timeoutMs: 60_000,
    ...over,
  });

describe('daemonDeploymentView', () => {
  it('counts the instances drained of the revisions replaced too', () => {
    expect(daemonDeploymentView(deployment())).toMatchObject({
      arn: 'dep/2',
      status: 'IN_PROGRESS',
      targetDaemonRevisionArn: 'rev/2',
      sourceDaemonRevisionArns: ['rev/1'],
      drainPercent: 25,
      bakeTimeInMinutes: 0,
      instances: { running: 1, withoutDaemon: 0, draining: 1 },
    });
  });
});

describe('decideDaemonOutcome', () => {
  it('completes once the daemon deployment is SUCCESSFUL', () => {
    expect(decide(deployment({ status: 'SUCCESSFUL' }))).toMatchObject({
      status: 'completed',
      deployment: { daemonDeployment: { arn: 'dep/2', status: 'SUCCESSFUL' } },
    });
  });

  it.each(['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_IN_PROGRESS'])(
    'waits while the deployment is %s (not final)',
    status => {
      expect(decide(deployment({ status: status as any }))).toMatchObject({
        status: 'in-progress',
        deployment: { daemonDeployment: { status } },
      });
    },
  );

  it('ROLLBACK_SUCCESSFUL: failed, rolled back by ECS, with the rollback shown', () => {
    const outcome = decide(
      deployment({
        status: 'ROLLBACK_SUCCESSFUL',
        circuitBreaker: {
          status: 'TRIGGERED',
          failureCount: 10,
          threshold: 10,
        },
        rollback: {
          reason:
            'ECS deployment circuit breaker: daemon tasks failed to start.',
          rollbackTargetDaemonRevisionArn: 'rev/1',
        },
      }),
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      kind: 'circuit-breaker',
      revertedByEcs: true,
      deployment: {
        daemonDeployment: {
          status: 'ROLLBACK_SUCCESSFUL',
          circuitBreaker: { status: 'TRIGGERED', failureCount: 10 },
          rollback: { rollbackTargetDaemonRevisionArn: 'rev/1' },
        },
      },
    });
    expect((outcome as any).reason).toContain('circuit breaker');
  });

  it('a rollback after image pull failures is an image-pull failure quoting ECS', () => {
    const outcome = decide(deployment({ status: 'ROLLBACK_SUCCESSFUL' }), {
      progress: [
        {
          containerInstanceArn: 'ci/1',
          instanceId: 'i-1',
          state: 'failed',
          oldRevisionStopped: true,
          reason: 'CannotPullContainerError: pull access denied',
        },
      ],
    });
    expect(outcome).toMatchObject({ status: 'failed', kind: 'image-pull' });
    expect((outcome as any).reason).toContain('CannotPullContainerError');
  });

  it('ROLLBACK_FAILED: failed, not reverted', () => {
    const outcome = decide(deployment({ status: 'ROLLBACK_FAILED' }));
    expect(outcome).toMatchObject({
      status: 'failed',
      kind: 'circuit-breaker',
    });
    expect((outcome as any).revertedByEcs).toBeUndefined();
  });

  it('STOPPED: the circuit breaker when it triggered, else superseded', () => {
    expect(
      decide(
        deployment({
          status: 'STOPPED',
          circuitBreaker: { status: 'TRIGGERED' },
        }),
      ),
    ).toMatchObject({ status: 'failed', kind: 'circuit-breaker' });
    expect(decide(deployment({ status: 'STOPPED' }))).toMatchObject({
      status: 'failed',
      kind: 'superseded',
    });
  });

  it('fails when the daemon is gone or being deleted', () => {
    expect(decide(deployment(), { daemon: undefined })).toMatchObject({
      status: 'failed',
      kind: 'aws-error',
      reason: 'The managed daemon datadog-agent is gone',
    });
    expect(
      decide(deployment(), {
        daemon: { ...daemon, status: 'DELETE_IN_PROGRESS' },
      }),
    ).toMatchObject({ status: 'failed', kind: 'aws-error' });
  });

  it('fails as superseded when its deployment is not described and the daemon deploys another', () => {
    expect(
      decide(undefined, { daemon: { ...daemon, deploymentArn: 'dep/3' } }),
    ).toMatchObject({ status: 'failed', kind: 'superseded' });
  });

  it('fails at the deadline, saying what ECS says', () => {
    const outcome = decide(deployment(), { elapsedMs: 61_000 });
    expect(outcome).toMatchObject({ status: 'failed', kind: 'timeout' });
    expect((outcome as any).reason).toContain('ECS says IN_PROGRESS');
  });
});

describe('daemonInstanceProgress', () => {
  it('says a draining Managed Instance without the new task is being replaced', () => {
    const [p] = daemonInstanceProgress(
      [
        {
          containerInstanceArn: 'ci/1',
          instanceId: 'i-1',
          state: 'skipped',
          oldRevisionStopped: false,
          reason: 'The instance is draining: ECS places no new task there',
        },
      ],
      new Set(['ci/1']),
    );
    expect(p.reason).toContain('launches a replacement');
  });
});

describe('RolloutFollower, a managed daemon', () => {
  function setup() {
    const ecs = new FakeDaemonEcs();
    ecs.addDaemonTaskDefinition({
      family: 'datadog-agent-daemon',
      containerDefinitions: [],
    });
    const old = ecs.addDaemon(dtdArn(0));
    const depArn = old.deploymentArn!;
    ecs.setDeployment(depArn, { status: 'IN_PROGRESS' });
    const ci = (n: number, provider?: string, status = 'ACTIVE') => ({
      containerInstanceArn: `ci/${n}`,
      ec2InstanceId: `i-${n}`,
      status,
      capacityProviderName: provider,
    });
    ecs.instances = [
      ci(1, MI_PROVIDER),
      ci(2, MI_PROVIDER, 'DRAINING'),
      ci(3, 'prod-asg'),
    ];
    ecs.tasks = [
      {
        taskArn: 'task/new',
        containerInstanceArn: 'ci/1',
        taskDefinitionArn: dtdArn(1),
        lastStatus: 'RUNNING',
        desiredStatus: 'RUNNING',
      },
      {
        taskArn: 'task/app',
        containerInstanceArn: 'ci/1',
        taskDefinitionArn:
          'arn:aws:ecs:eu-west-1:111111111111:task-definition/app:1',
        lastStatus: 'RUNNING',
        desiredStatus: 'RUNNING',
      },
    ];
    const store = new FakeRolloutStore(
      daemonRecord({
        status: 'in-progress',
        step: 'deployed',
        changedCluster: true,
        daemonArn: DAEMON_ARN,
        newTaskDefinitionArn: dtdArn(1),
        oldTaskDefinitionArn: dtdArn(0),
        deployment: { daemonDeployment: { arn: depArn, status: 'PENDING' } },
      }),
    );
    const refreshed: string[] = [];
    const follower = new RolloutFollower({
      store,
      rollout: rolloutConfig(),
      refresher: {
        refreshCluster: async ref => {
          refreshed.push(ref.clusterName);
        },
      },
      logger: logger(),
    });
    const poll = async () =>
      follower.poll(ecs, (await store.get('r1'))!, heldLease(store));
    return { ecs, store, poll, depArn, refreshed };
  }

  it('follows the daemon deployment with the Managed Instances only, then completes', async () => {
    const { ecs, store, poll, depArn, refreshed } = setup();
    expect(await poll()).toBe(true);
    const r = store.records.get('r1')!;
    expect(r.status).toBe('in-progress');
    expect(r.instances.map(i => [i.instanceId, i.state])).toEqual([
      ['i-1', 'running'],
      ['i-2', 'skipped'],
    ]);
    // The application's task on the instance is not the daemon's old revision.
    expect(r.instances[0].oldRevisionStopped).toBe(true);
    expect(r.instances[1].reason).toContain('launches a replacement');
    expect(r.deployment?.daemonDeployment).toMatchObject({
      arn: depArn,
      status: 'IN_PROGRESS',
    });
    expect(ecs.operations()).not.toContain('DescribeServices');

    ecs.setDeployment(depArn, { status: 'SUCCESSFUL' });
    expect(await poll()).toBe(false);
    expect(store.records.get('r1')).toMatchObject({
      status: 'completed',
      changedCluster: true,
      deployment: { daemonDeployment: { status: 'SUCCESSFUL' } },
    });
    expect(refreshed).toEqual(['prod']);
  });

  it('a deployment ECS rolled back fails the rollout and leaves the cluster unchanged', async () => {
    const { ecs, store, poll, depArn } = setup();
    ecs.setDeployment(depArn, {
      status: 'ROLLBACK_SUCCESSFUL',
      rollback: {
        reason: 'circuit breaker',
        rollbackTargetDaemonRevisionArn: 'rev/0',
      },
    });
    expect(await poll()).toBe(false);
    expect(store.records.get('r1')).toMatchObject({
      status: 'failed',
      changedCluster: false,
      deployment: {
        daemonDeployment: {
          status: 'ROLLBACK_SUCCESSFUL',
          rollback: { rollbackTargetDaemonRevisionArn: 'rev/0' },
        },
      },
    });
    expect(store.records.get('r1')!.failureReason).toContain(
      'ECS rolled the daemon deployment back',
    );
  });

  it('uses the capacity providers the daemon reports (its ARNs) to pick the instances', async () => {
    const { ecs, store, poll } = setup();
    ecs.daemons.get(DAEMON_ARN)!.currentRevisions = [
      {
        arn: 'rev',
        capacityProviders: [
          { arn: MI_PROVIDER_ARN.replace(MI_PROVIDER, 'prod-asg') },
        ],
      },
    ];
    await poll();
    expect(store.records.get('r1')!.instances.map(i => i.instanceId)).toEqual([
      'i-3',
    ]);
  });
});
