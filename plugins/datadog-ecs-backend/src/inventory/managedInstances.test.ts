import { ECSServiceException } from '@aws-sdk/client-ecs';
import {
  Cluster,
  DaemonDetail,
  EcsLocationApi,
  Failure,
  TaskDefinition,
} from '../aws/EcsGateway';
import {
  ACCOUNT,
  agentTaskDefinition,
  cluster,
  CONTEXT,
  DETECTION,
  instance,
  REGION,
  task,
} from './__fixtures__/ecs';
import {
  agentDaemonDefinition,
  capacityProvider,
  daemonArn,
  daemonDeployment,
  daemonDeploymentArn,
  daemonDetail,
  daemonRevision,
  daemonRevisionArn,
  daemonTaskDefinitionArn,
  describedDaemonTaskDefinition,
} from './__fixtures__/managedDaemons';
import { observeCluster } from './collect';
import { buildClusterView } from './coverage';
import {
  daemonTaskDefinitionAsTaskDefinition,
  describeDaemonTaskDefinitions,
  isDaemonTaskDefinitionArn,
  isManagedInstancesProvider,
  observeManagedInstances,
} from './managedInstances';

const NOW = new Date('2026-01-15T10:00:00Z');
const now = () => NOW;

function awsError(name: string, message: string) {
  return new ECSServiceException({
    name,
    $fault: 'client',
    $metadata: {},
    message,
  });
}

const accessDenied = (action: string) =>
  awsError(
    'AccessDeniedException',
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/backstage is not authorized to perform: ecs:${action}`,
  );

const unexpected = (name: string) =>
  jest.fn(async () => {
    throw new Error(`unexpected call: ${name}`);
  });

/**
 * A hand-written EcsLocationApi: every required method fails the test when called unless given;
 * the optional (daemon) methods exist only when given.
 */
function fakeApi(methods: Partial<EcsLocationApi> = {}) {
  return {
    accountId: ACCOUNT,
    region: REGION,
    listClusterArns: unexpected('listClusterArns'),
    describeClusters: unexpected('describeClusters'),
    listContainerInstanceArns: unexpected('listContainerInstanceArns'),
    describeContainerInstances: unexpected('describeContainerInstances'),
    listServiceArns: unexpected('listServiceArns'),
    describeServices: unexpected('describeServices'),
    listTaskArns: unexpected('listTaskArns'),
    describeTasks: unexpected('describeTasks'),
    describeTaskDefinition: unexpected('describeTaskDefinition'),
    registerTaskDefinition: unexpected('registerTaskDefinition'),
    createService: unexpected('createService'),
    updateService: unexpected('updateService'),
    listServiceDeploymentArns: unexpected('listServiceDeploymentArns'),
    describeServiceDeployments: unexpected('describeServiceDeployments'),
    ...methods,
  } as EcsLocationApi;
}

const miCluster = (providers = ['FARGATE', 'mi-cp']): Cluster =>
  cluster({ capacityProviders: providers });

/** Two daemons (datadog-agent, log-router), each with its revision and its deployment. */
function daemonApi(over: Partial<EcsLocationApi> = {}) {
  const details: Record<string, DaemonDetail> = {
    [daemonArn('datadog-agent')]: daemonDetail(
      'datadog-agent',
      [{ id: 'a1', providers: { 'mi-cp': { running: 2 } } }],
      { deploymentArn: daemonDeploymentArn('da', 'datadog-agent') },
    ),
    [daemonArn('log-router')]: daemonDetail(
      'log-router',
      [{ id: 'l1', providers: { 'mi-cp': { running: 2 } } }],
      { deploymentArn: daemonDeploymentArn('dl', 'log-router') },
    ),
  };
  return {
    describeCapacityProviders: jest.fn(async () => [capacityProvider('mi-cp')]),
    listDaemonArns: jest.fn(async () => Object.keys(details)),
    describeDaemon: jest.fn(async (arn: string) => {
      if (!details[arn])
        throw awsError('DaemonNotFoundException', `Daemon ${arn} not found.`);
      return details[arn];
    }),
    // Answered in another order than asked, as ECS may.
    describeDaemonRevisions: jest.fn(async () => [
      daemonRevision('l1', daemonTaskDefinitionArn('log-router', 3), {
        daemon: 'log-router',
      }),
      daemonRevision('a1', daemonTaskDefinitionArn('datadog-agent-daemon', 1), {
        daemon: 'datadog-agent',
        critical: false,
      }),
    ]),
    describeDaemonDeployments: jest.fn(async () => [
      daemonDeployment('dl', 'l1', { daemon: 'log-router' }),
      daemonDeployment('da', 'a1', {
        daemon: 'datadog-agent',
        status: 'IN_PROGRESS',
      }),
    ]),
    ...over,
  };
}

describe('observeManagedInstances', () => {
  it('makes no call for a cluster with only Fargate capacity providers, or none', async () => {
    const methods = daemonApi();
    const api = fakeApi(methods);
    for (const providers of [['FARGATE', 'FARGATE_SPOT'], [], undefined]) {
      expect(
        await observeManagedInstances(
          api,
          cluster({ capacityProviders: providers }),
          [],
          now,
        ),
      ).toEqual({});
    }
    expect(methods.describeCapacityProviders).not.toHaveBeenCalled();
    expect(methods.listDaemonArns).not.toHaveBeenCalled();
  });

  it('describes the providers other than Fargate’s, and asks for no daemon without a Managed Instances one', async () => {
    const methods = daemonApi({
      describeCapacityProviders: jest.fn(async () => [
        capacityProvider('asg-cp', 'EC2_AUTOSCALING'),
      ]),
    });
    const failures: Failure[] = [];
    const result = await observeManagedInstances(
      fakeApi(methods),
      miCluster(['FARGATE', 'asg-cp', 'FARGATE_SPOT']),
      failures,
      now,
    );
    expect(result).toEqual({
      capacityProviders: [capacityProvider('asg-cp', 'EC2_AUTOSCALING')],
    });
    expect(methods.describeCapacityProviders).toHaveBeenCalledWith(
      cluster().clusterArn,
      ['asg-cp'],
      failures,
    );
    expect(methods.listDaemonArns).not.toHaveBeenCalled();
  });

  it('matches each daemon with its revisions and its deployment', async () => {
    const methods = daemonApi();
    const failures: Failure[] = [];
    const result = await observeManagedInstances(
      fakeApi(methods),
      miCluster(),
      failures,
      now,
    );
    expect(result.managedInstancesError).toBeUndefined();
    expect(
      result.daemons!.map(d => [
        d.daemon.daemonArn,
        d.revisions.map(r => r.daemonRevisionArn),
        d.deployment?.daemonDeploymentArn,
      ]),
    ).toEqual([
      [
        daemonArn('datadog-agent'),
        [daemonRevisionArn('a1', 'datadog-agent')],
        daemonDeploymentArn('da', 'datadog-agent'),
      ],
      [
        daemonArn('log-router'),
        [daemonRevisionArn('l1', 'log-router')],
        daemonDeploymentArn('dl', 'log-router'),
      ],
    ]);
    expect(methods.listDaemonArns).toHaveBeenCalledWith(cluster().clusterArn);
    // The current revisions and deployments of every daemon, in one call each, failures kept.
    expect(methods.describeDaemonRevisions).toHaveBeenCalledTimes(1);
    expect(methods.describeDaemonRevisions).toHaveBeenCalledWith(
      [
        daemonRevisionArn('a1', 'datadog-agent'),
        daemonRevisionArn('l1', 'log-router'),
      ],
      failures,
    );
    expect(methods.describeDaemonDeployments).toHaveBeenCalledWith(
      [
        daemonDeploymentArn('da', 'datadog-agent'),
        daemonDeploymentArn('dl', 'log-router'),
      ],
      failures,
    );
  });

  it('skips a daemon deleted between ListDaemons and DescribeDaemon', async () => {
    const gone = daemonArn('deleted');
    const methods = daemonApi();
    methods.listDaemonArns = jest.fn(async () => [
      daemonArn('datadog-agent'),
      gone,
    ]);
    const result = await observeManagedInstances(
      fakeApi(methods),
      miCluster(),
      [],
      now,
    );
    expect(methods.describeDaemon).toHaveBeenCalledWith(gone);
    expect(result.managedInstancesError).toBeUndefined();
    expect(result.daemons!.map(d => d.daemon.daemonArn)).toEqual([
      daemonArn('datadog-agent'),
    ]);
  });

  it('keeps an access denial as data, with the providers already described', async () => {
    const methods = daemonApi({
      listDaemonArns: jest.fn(async () => {
        throw accessDenied('ListDaemons');
      }),
    });
    const result = await observeManagedInstances(
      fakeApi(methods),
      miCluster(),
      [],
      now,
    );
    expect(result).toEqual({
      capacityProviders: [capacityProvider('mi-cp')],
      managedInstancesError: {
        kind: 'access-denied',
        name: 'AccessDeniedException',
        message: expect.stringContaining('ecs:ListDaemons'),
        at: NOW.toISOString(),
      },
    });
  });

  it('a DescribeDaemon error other than not-found, or a refused DescribeCapacityProviders, is data too', async () => {
    const throttled = await observeManagedInstances(
      fakeApi(
        daemonApi({
          describeDaemon: jest.fn(async () => {
            throw awsError('ThrottlingException', 'Rate exceeded');
          }),
        }),
      ),
      miCluster(),
      [],
      now,
    );
    expect(throttled.daemons).toBeUndefined();
    expect(throttled.managedInstancesError).toMatchObject({
      kind: 'throttled',
      name: 'ThrottlingException',
    });
    const refused = await observeManagedInstances(
      fakeApi(
        daemonApi({
          describeCapacityProviders: jest.fn(async () => {
            throw accessDenied('DescribeCapacityProviders');
          }),
        }),
      ),
      miCluster(),
      [],
      now,
    );
    expect(refused).toEqual({
      managedInstancesError: expect.objectContaining({
        kind: 'access-denied',
      }),
    });
  });

  it('tolerates a gateway without the optional methods', async () => {
    expect(
      await observeManagedInstances(fakeApi(), miCluster(), [], now),
    ).toEqual({});
    const { describeCapacityProviders } = daemonApi();
    expect(
      await observeManagedInstances(
        fakeApi({ describeCapacityProviders }),
        miCluster(),
        [],
        now,
      ),
    ).toEqual({ capacityProviders: [capacityProvider('mi-cp')] });
    const { listDaemonArns, describeDaemon } = daemonApi();
    const result = await observeManagedInstances(
      fakeApi({ describeCapacityProviders, listDaemonArns, describeDaemon }),
      miCluster(),
      [],
      now,
    );
    expect(result.managedInstancesError).toBeUndefined();
    expect(result.daemons!.map(d => [d.revisions, d.deployment])).toEqual([
      [[], undefined],
      [[], undefined],
    ]);
  });
});

describe('managed daemon readings', () => {
  it('recognises Managed Instances providers by type or by their provider block', () => {
    expect(isManagedInstancesProvider(capacityProvider('mi'))).toBe(true);
    expect(
      isManagedInstancesProvider({
        ...capacityProvider('mi'),
        type: undefined,
      }),
    ).toBe(true);
    expect(
      isManagedInstancesProvider(capacityProvider('asg', 'EC2_AUTOSCALING')),
    ).toBe(false);
  });

  it('recognises daemon task definition ARNs', () => {
    expect(
      isDaemonTaskDefinitionArn(daemonTaskDefinitionArn('datadog-agent', 1)),
    ).toBe(true);
    expect(
      isDaemonTaskDefinitionArn(
        'arn:aws-cn:ecs:cn-north-1:111111111111:daemon-task-definition/x:2',
      ),
    ).toBe(true);
    expect(
      isDaemonTaskDefinitionArn(agentTaskDefinition().taskDefinitionArn!),
    ).toBe(false);
    expect(isDaemonTaskDefinitionArn('datadog-agent-daemon:1')).toBe(false);
  });

  it('a daemon task definition in task-definition shape, under its daemon ARN', () => {
    const described = {
      ...describedDaemonTaskDefinition(agentDaemonDefinition()),
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/agent`,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/exec`,
      registeredAt: NOW,
      registeredBy: `arn:aws:iam::${ACCOUNT}:user/admin`,
      pidMode: 'shared' as const,
      ipcMode: 'none' as const,
    };
    const def = daemonTaskDefinitionAsTaskDefinition(described);
    expect(def).toEqual({
      taskDefinitionArn: described.daemonTaskDefinitionArn,
      family: 'datadog-agent-daemon',
      revision: 1,
      taskRoleArn: described.taskRoleArn,
      executionRoleArn: described.executionRoleArn,
      containerDefinitions: described.containerDefinitions,
      volumes: described.volumes,
      cpu: '256',
      memory: '512',
      status: 'ACTIVE',
      registeredAt: NOW,
      registeredBy: described.registeredBy,
      pidMode: 'shared',
      ipcMode: 'none',
    });
  });

  it('describeDaemonTaskDefinitions fills the map by ARN, and does nothing without the method', async () => {
    const def = agentDaemonDefinition();
    const describe = jest.fn(async () => describedDaemonTaskDefinition(def));
    const into: Record<string, TaskDefinition> = {};
    await describeDaemonTaskDefinitions(
      fakeApi({ describeDaemonTaskDefinition: describe }),
      [def.taskDefinitionArn!],
      into,
    );
    expect(describe).toHaveBeenCalledWith(def.taskDefinitionArn);
    expect(Object.keys(into)).toEqual([def.taskDefinitionArn]);
    expect(into[def.taskDefinitionArn!].containerDefinitions).toEqual(
      def.containerDefinitions,
    );
    const untouched: Record<string, TaskDefinition> = {};
    await describeDaemonTaskDefinitions(
      fakeApi(),
      [def.taskDefinitionArn!],
      untouched,
    );
    expect(untouched).toEqual({});
  });
});

describe('observeCluster with a managed daemon', () => {
  const DAEMON_DEF = agentDaemonDefinition();
  const DAEMON_ARN = DAEMON_DEF.taskDefinitionArn!;
  const EC2_DEF = agentTaskDefinition();

  /** A cluster of one Managed Instance running the daemon's task, and one EC2 instance. */
  function clusterApi(over: Partial<EcsLocationApi> = {}) {
    const instances = [
      instance('m1', { capacityProviderName: 'mi-cp' }),
      instance('e1'),
    ];
    const tasks = [
      task('t-m1', DAEMON_ARN, { on: 'm1', group: 'daemon:datadog-agent' }),
      task('t-e1', EC2_DEF.taskDefinitionArn!, { on: 'e1' }),
    ];
    const methods = {
      listContainerInstanceArns: jest.fn(async () =>
        instances.map(i => i.containerInstanceArn!),
      ),
      describeContainerInstances: jest.fn(async () => instances),
      listServiceArns: jest.fn(async () => []),
      listTaskArns: jest.fn(
        async (_c: string, filter?: { desiredStatus?: string }) =>
          filter?.desiredStatus === 'STOPPED' ? [] : tasks.map(t => t.taskArn!),
      ),
      describeTasks: jest.fn(async () => tasks),
      describeTaskDefinition: jest.fn(async (arn: string) => {
        if (arn !== EC2_DEF.taskDefinitionArn)
          throw awsError('ClientException', `Unable to describe ${arn}.`);
        return EC2_DEF;
      }),
      describeCapacityProviders: jest.fn(async () => [
        capacityProvider('mi-cp'),
      ]),
      listDaemonArns: jest.fn(async () => [daemonArn()]),
      describeDaemon: jest.fn(async () =>
        daemonDetail('datadog-agent', [
          { id: 'r1', providers: { 'mi-cp': { running: 1 } } },
        ]),
      ),
      describeDaemonRevisions: jest.fn(async () => [
        daemonRevision('r1', DAEMON_ARN),
      ]),
      describeDaemonTaskDefinition: jest.fn(async () =>
        describedDaemonTaskDefinition(DAEMON_DEF),
      ),
      ...over,
    };
    return { methods, api: fakeApi(methods) };
  }

  it('describes a daemon task definition with DescribeDaemonTaskDefinition, never DescribeTaskDefinition', async () => {
    const { api, methods } = clusterApi();
    const obs = await observeCluster(api, miCluster(), DETECTION, now, {
      readImages: false,
    });
    expect(jest.mocked(methods.describeTaskDefinition).mock.calls).toEqual([
      [EC2_DEF.taskDefinitionArn],
    ]);
    // Once, although both a task and the daemon's revision name it.
    expect(
      jest.mocked(methods.describeDaemonTaskDefinition).mock.calls,
    ).toEqual([[DAEMON_ARN]]);
    expect(obs.taskDefinitions[DAEMON_ARN]).toMatchObject({
      taskDefinitionArn: DAEMON_ARN,
      family: 'datadog-agent-daemon',
    });
    expect(obs.agentTaskDefinitionArns.sort()).toEqual(
      [DAEMON_ARN, EC2_DEF.taskDefinitionArn].sort(),
    );
    expect(obs.daemonTaskDefinitionArns).toBeUndefined();
    expect(obs.managedInstancesError).toBeUndefined();
    expect(obs.daemons).toHaveLength(1);
    const view = buildClusterView(obs, CONTEXT).details;
    expect(view.instances.find(i => i.instanceId === 'i-m1')).toMatchObject({
      capacity: { kind: 'managed-instances', capacityProviderName: 'mi-cp' },
      state: 'covered',
    });
  });

  it('a failed DescribeDaemonTaskDefinition leaves the ARN uninventoried, says why, and still observes the cluster', async () => {
    const { api, methods } = clusterApi({
      describeDaemonTaskDefinition: jest.fn(async () => {
        throw accessDenied('DescribeDaemonTaskDefinition');
      }),
    });
    const obs = await observeCluster(api, miCluster(), DETECTION, now, {
      readImages: false,
    });
    expect(methods.describeTaskDefinition).not.toHaveBeenCalledWith(DAEMON_ARN);
    expect(obs.daemonTaskDefinitionArns).toEqual([DAEMON_ARN]);
    expect(obs.taskDefinitions[DAEMON_ARN]).toBeUndefined();
    expect(obs.managedInstancesError).toMatchObject({
      kind: 'access-denied',
      message: expect.stringContaining('ecs:DescribeDaemonTaskDefinition'),
    });
    expect(obs.instances).toHaveLength(2);
    expect(obs.tasks).toHaveLength(2);
    expect(obs.daemons).toHaveLength(1);
    const ids = buildClusterView(obs, CONTEXT).details.findings.map(f => f.id);
    expect(ids).toContain('cluster.managed-daemons-not-inventoried');
    expect(ids).toContain('cluster.managed-daemons-unreadable');
  });

  it('asks for no daemon task definition once reading the daemons failed', async () => {
    const { api, methods } = clusterApi({
      listDaemonArns: jest.fn(async () => {
        throw accessDenied('ListDaemons');
      }),
    });
    const obs = await observeCluster(api, miCluster(), DETECTION, now, {
      readImages: false,
    });
    expect(methods.describeDaemonTaskDefinition).not.toHaveBeenCalled();
    expect(obs.daemonTaskDefinitionArns).toEqual([DAEMON_ARN]);
    expect(obs.managedInstancesError?.message).toContain('ecs:ListDaemons');
    expect(obs.capacityProviders).toEqual([capacityProvider('mi-cp')]);
  });

  it('a gateway without DescribeDaemonTaskDefinition leaves the ARN uninventoried, without an error', async () => {
    const { methods } = clusterApi();
    const { describeDaemonTaskDefinition: _, ...without } = methods;
    const obs = await observeCluster(
      fakeApi(without),
      miCluster(),
      DETECTION,
      now,
      { readImages: false },
    );
    expect(obs.daemonTaskDefinitionArns).toEqual([DAEMON_ARN]);
    expect(obs.managedInstancesError).toBeUndefined();
  });
});
