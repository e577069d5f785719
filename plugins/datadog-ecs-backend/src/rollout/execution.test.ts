import {
  CLUSTER,
  FakeEcs,
  fakeGateway,
  FakeRolloutStore,
  FAMILY,
  LEASE,
  logger,
  OPTIONS,
  record,
  rolloutConfig,
  tdArn,
} from './__testUtils__/fakes';
import { RolloutExecutor } from './execution';
import { renderForRollout } from './plan';

const config = rolloutConfig();
const rendered = (options = OPTIONS) =>
  renderForRollout(options, config.apiKeys.get(CLUSTER.accountId), FAMILY);

function setup(...records: ReturnType<typeof record>[]) {
  const store = new FakeRolloutStore(...records);
  const ecs = new FakeEcs();
  const gateway = fakeGateway(ecs);
  const executor = new RolloutExecutor({
    store,
    gateway,
    rollout: config,
    logger: logger(),
    lease: LEASE,
  });
  return { store, ecs, gateway, executor };
}

/** A DAEMON service that runs `taskDefinition`. */
const runningService = (taskDefinition: string) => ({
  serviceName: 'datadog-agent',
  serviceArn: 'arn:aws:ecs:eu-west-1:111111111111:service/prod/datadog-agent',
  status: 'ACTIVE',
  schedulingStrategy: 'DAEMON' as const,
  taskDefinition,
  deployments: [{ id: 'ecs-svc/old', status: 'PRIMARY', taskDefinition }],
});

describe('RolloutExecutor', () => {
  it('registers the first revision and creates the DAEMON service (its clientToken the rollout id)', async () => {
    const { store, ecs, executor } = setup(record());
    await executor.execute('r1');

    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'CreateService']);
    const register = ecs.calls.find(
      c => c.operation === 'RegisterTaskDefinition',
    )!.input;
    expect(register.tags).toEqual([
      { key: 'managed-by', value: 'backstage-datadog-ecs' },
      { key: 'datadog-ecs-rollout', value: 'r1' },
    ]);
    const create = ecs.calls.find(c => c.operation === 'CreateService')!.input;
    expect(create).toMatchObject({
      cluster: 'prod',
      serviceName: 'datadog-agent',
      taskDefinition: tdArn(1),
      schedulingStrategy: 'DAEMON',
      launchType: 'EC2',
      clientToken: 'r1',
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 100,
        minimumHealthyPercent: 0,
      },
    });
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      status: 'in-progress',
      registered: true,
      createdService: true,
      newTaskDefinitionArn: tdArn(1),
      deployment: {
        status: 'PRIMARY',
        rolloutState: 'IN_PROGRESS',
        createdAt: '2026-01-15T10:00:00.000Z',
      },
    });
  });

  it('creates an EXTERNAL service for ECS Anywhere', async () => {
    const { ecs, executor } = setup(
      record({ options: { ...OPTIONS, external: true } }),
    );
    await executor.execute('r1');
    expect(
      ecs.calls.find(c => c.operation === 'CreateService')!.input.launchType,
    ).toBe('EXTERNAL');
  });

  it('registers nothing when the latest revision is the same definition: updates with forceNewDeployment', async () => {
    const { store, ecs, executor } = setup(record());
    ecs.addTaskDefinition(rendered() as any);
    ecs.services.set('datadog-agent', runningService(tdArn(1)));
    await executor.execute('r1');

    expect(ecs.writes()).toEqual(['UpdateService']);
    expect(ecs.calls.find(c => c.operation === 'UpdateService')!.input).toEqual(
      {
        cluster: 'prod',
        service: 'datadog-agent',
        taskDefinition: tdArn(1),
        forceNewDeployment: true,
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
        },
      },
    );
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      registered: false,
      createdService: false,
      oldTaskDefinitionArn: tdArn(1),
      newTaskDefinitionArn: tdArn(1),
    });
  });

  it('registers when the latest revision differs, and updates without forcing', async () => {
    const { store, ecs, executor } = setup(record());
    ecs.addTaskDefinition(rendered({ ...OPTIONS, imageTag: '7.59.0' }) as any);
    ecs.services.set('datadog-agent', runningService(tdArn(1)));
    await executor.execute('r1');

    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'UpdateService']);
    expect(
      ecs.calls.find(c => c.operation === 'UpdateService')!.input,
    ).toMatchObject({
      taskDefinition: tdArn(2),
      forceNewDeployment: false,
    });
    expect(store.records.get('r1')).toMatchObject({
      registered: true,
      oldTaskDefinitionArn: tdArn(1),
      newTaskDefinitionArn: tdArn(2),
    });
  });

  it('resumes from `registered` without reading the family or registering again', async () => {
    const { store, ecs, executor } = setup(
      record({
        step: 'registered',
        registered: true,
        newTaskDefinitionArn: tdArn(1),
      }),
    );
    ecs.addTaskDefinition(rendered() as any);
    await executor.execute('r1');

    expect(ecs.operations()).toEqual(['DescribeServices', 'CreateService']);
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      status: 'in-progress',
    });
  });

  it('a rollback updates to its revision without forcing and keeps its createdService', async () => {
    const { store, ecs, executor } = setup(
      record({
        kind: 'rollback',
        step: 'registered',
        newTaskDefinitionArn: tdArn(1),
        oldTaskDefinitionArn: tdArn(2),
      }),
    );
    ecs.services.set('datadog-agent', runningService(tdArn(2)));
    await executor.execute('r1');

    expect(
      ecs.calls.find(c => c.operation === 'UpdateService')!.input,
    ).toMatchObject({
      taskDefinition: tdArn(1),
      forceNewDeployment: false,
    });
    expect(store.records.get('r1')).toMatchObject({
      step: 'deployed',
      createdService: false,
      oldTaskDefinitionArn: tdArn(2),
    });
  });

  it('makes no call once deployed', async () => {
    const { ecs, executor } = setup(
      record({ step: 'deployed', status: 'in-progress' }),
    );
    await executor.execute('r1');
    expect(ecs.calls).toEqual([]);
  });

  it('an AWS error fails the rollout (aws-error) and stops before the next call', async () => {
    const { store, ecs, executor } = setup(record());
    ecs.registerTaskDefinition = async () => {
      throw Object.assign(new Error('User is not authorized'), {
        name: 'AccessDeniedException',
        $metadata: {},
      });
    };
    await executor.execute('r1');

    expect(ecs.writes()).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({
      status: 'failed',
      failureKind: 'aws-error',
      failureReason: 'AccessDeniedException: User is not authorized',
    });
  });

  it('a rendering error (no API key for the account) fails it as unknown, before any ECS call', async () => {
    const store = new FakeRolloutStore(record());
    const ecs = new FakeEcs();
    await new RolloutExecutor({
      store,
      gateway: fakeGateway(ecs),
      rollout: rolloutConfig({ apiKeys: new Map() }),
      logger: logger(),
      lease: LEASE,
    }).execute('r1');

    expect(ecs.calls).toEqual([]);
    expect(store.records.get('r1')).toMatchObject({
      status: 'failed',
      failureKind: 'unknown',
    });
    expect(store.records.get('r1')!.failureReason).toContain(
      'No Datadog API key',
    );
  });

  it('stops when another replica holds the lease: no service call after the registration', async () => {
    const { store, ecs, executor } = setup(record({ leaseOwner: 'replica-b' }));
    await executor.execute('r1');

    expect(ecs.writes()).toEqual(['RegisterTaskDefinition']);
    expect(store.records.get('r1')).toMatchObject({
      status: 'failed',
      failureKind: 'unknown',
      failureReason: 'Error: Lost the lease of rollout r1 to another replica',
    });
  });
});
