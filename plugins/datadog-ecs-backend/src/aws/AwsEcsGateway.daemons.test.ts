import {
  CreateDaemonCommand,
  DescribeCapacityProvidersCommand,
  DescribeDaemonCommand,
  DescribeDaemonDeploymentsCommand,
  DescribeDaemonRevisionsCommand,
  DescribeDaemonTaskDefinitionCommand,
  ECSClient,
  ListDaemonDeploymentsCommand,
  ListDaemonsCommand,
  ListDaemonTaskDefinitionsCommand,
  RegisterDaemonTaskDefinitionCommand,
  UpdateDaemonCommand,
} from '@aws-sdk/client-ecs';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { AwsEcsGateway } from './AwsEcsGateway';
import { EcsLocationApi, Failure } from './EcsGateway';

// The ECS Managed Instances and Managed Daemons calls of the gateway, the SDK mocked: pages,
// batches of 20, failures kept, the daemon task definition cache, the write calls as given.

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const CLUSTER = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod-managed`;
const DAEMON = `arn:aws:ecs:${REGION}:${ACCOUNT}:daemon/prod-managed/datadog-agent`;
const td = (n: number) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:daemon-task-definition/datadog-agent-daemon:${n}`;

const credentialsManager = {
  getCredentialProvider: async () => ({
    sdkCredentialProvider: async () => ({
      accessKeyId: 'AKIATEST',
      secretAccessKey: 'secret',
    }),
  }),
} as unknown as AwsCredentialsManager;

describe('AwsEcsGateway, ECS Managed Daemons (SDK mocked)', () => {
  let ecs: AwsClientStub<ECSClient>;
  let api: Required<EcsLocationApi>;
  beforeEach(async () => {
    ecs = mockClient(ECSClient);
    api = (await new AwsEcsGateway({ credentialsManager }).forLocation(
      ACCOUNT,
      REGION,
    )) as Required<EcsLocationApi>;
  });
  afterEach(() => ecs.restore());

  it('describes capacity providers of a cluster and keeps the failures', async () => {
    ecs.on(DescribeCapacityProvidersCommand).resolves({
      capacityProviders: [
        { name: 'prod-managed-mi', type: 'MANAGED_INSTANCES' },
      ],
      failures: [{ arn: 'gone', reason: 'MISSING' }],
    });
    const failures: Failure[] = [];
    await expect(
      api.describeCapacityProviders(
        'prod-managed',
        ['prod-managed-mi', 'gone'],
        failures,
      ),
    ).resolves.toEqual([
      { name: 'prod-managed-mi', type: 'MANAGED_INSTANCES' },
    ]);
    expect(failures).toEqual([{ arn: 'gone', reason: 'MISSING' }]);
    expect(
      ecs.commandCalls(DescribeCapacityProvidersCommand)[0].args[0].input,
    ).toEqual({
      cluster: 'prod-managed',
      capacityProviders: ['prod-managed-mi', 'gone'],
    });
  });

  it('lists daemons and daemon deployments over every page', async () => {
    ecs
      .on(ListDaemonsCommand)
      .resolvesOnce({
        daemonSummariesList: [{ daemonArn: DAEMON }],
        nextToken: 't',
      })
      .resolvesOnce({ daemonSummariesList: [{ daemonArn: `${DAEMON}-2` }] });
    await expect(api.listDaemonArns(CLUSTER)).resolves.toEqual([
      DAEMON,
      `${DAEMON}-2`,
    ]);
    expect(
      ecs.commandCalls(ListDaemonsCommand).map(c => c.args[0].input),
    ).toEqual([
      { clusterArn: CLUSTER, nextToken: undefined, maxResults: 100 },
      { clusterArn: CLUSTER, nextToken: 't', maxResults: 100 },
    ]);
    ecs
      .on(ListDaemonDeploymentsCommand)
      .resolves({ daemonDeployments: [{ daemonDeploymentArn: 'dep/1' }] });
    await expect(api.listDaemonDeploymentArns(DAEMON)).resolves.toEqual([
      'dep/1',
    ]);
  });

  it('describes revisions and deployments in batches of 20', async () => {
    const revisions = Array.from({ length: 25 }, (_, i) => `rev/${i}`);
    ecs.on(DescribeDaemonRevisionsCommand).callsFake(input => ({
      daemonRevisions: input.daemonRevisionArns.map((a: string) => ({
        daemonRevisionArn: a,
      })),
    }));
    await expect(api.describeDaemonRevisions(revisions)).resolves.toHaveLength(
      25,
    );
    expect(
      ecs
        .commandCalls(DescribeDaemonRevisionsCommand)
        .map(c => c.args[0].input.daemonRevisionArns!.length),
    ).toEqual([20, 5]);
    ecs.on(DescribeDaemonDeploymentsCommand).resolves({
      daemonDeployments: [
        { daemonDeploymentArn: 'dep/1', status: 'IN_PROGRESS' },
      ],
    });
    await expect(api.describeDaemonDeployments(['dep/1'])).resolves.toEqual([
      { daemonDeploymentArn: 'dep/1', status: 'IN_PROGRESS' },
    ]);
  });

  it('describes a daemon, and refuses an answer without one', async () => {
    ecs
      .on(DescribeDaemonCommand)
      .resolvesOnce({ daemon: { daemonArn: DAEMON, status: 'ACTIVE' } })
      .resolvesOnce({});
    await expect(api.describeDaemon(DAEMON)).resolves.toMatchObject({
      status: 'ACTIVE',
    });
    await expect(api.describeDaemon(DAEMON)).rejects.toThrow(
      'ECS returned no daemon',
    );
  });

  it("caches daemon task definitions by ARN, and finds a family's latest ACTIVE one", async () => {
    ecs.on(DescribeDaemonTaskDefinitionCommand).resolves({
      daemonTaskDefinition: {
        daemonTaskDefinitionArn: td(2),
        family: 'datadog-agent-daemon',
      },
    });
    await api.describeDaemonTaskDefinition(td(2));
    await api.describeDaemonTaskDefinition(td(2));
    expect(ecs.commandCalls(DescribeDaemonTaskDefinitionCommand)).toHaveLength(
      1,
    );

    ecs
      .on(ListDaemonTaskDefinitionsCommand)
      .resolvesOnce({ daemonTaskDefinitions: [], nextToken: 'n' })
      .resolvesOnce({
        daemonTaskDefinitions: [{ arn: td(3) }, { arn: td(2) }],
      });
    await expect(
      api.latestDaemonTaskDefinitionArn('datadog-agent-daemon'),
    ).resolves.toBe(td(3));
    expect(
      ecs.commandCalls(ListDaemonTaskDefinitionsCommand)[0].args[0].input,
    ).toMatchObject({
      family: 'datadog-agent-daemon',
      status: 'ACTIVE',
      sort: 'DESC',
    });
  });

  it('sends RegisterDaemonTaskDefinition, CreateDaemon and UpdateDaemon as given', async () => {
    ecs
      .on(RegisterDaemonTaskDefinitionCommand)
      .resolves({ daemonTaskDefinitionArn: td(4) });
    await expect(
      api.registerDaemonTaskDefinition({
        family: 'datadog-agent-daemon',
        containerDefinitions: [
          {
            name: 'datadog-agent',
            image: 'public.ecr.aws/datadog/agent:7.77.0',
          },
        ],
      }),
    ).resolves.toBe(td(4));

    ecs
      .on(CreateDaemonCommand)
      .resolves({ daemonArn: DAEMON, deploymentArn: 'dep/1' });
    const create = {
      daemonName: 'datadog-agent',
      clusterArn: CLUSTER,
      daemonTaskDefinitionArn: td(4),
      capacityProviderArns: [
        'arn:aws:ecs:us-east-1:111111111111:capacity-provider/prod-managed-mi',
      ],
      critical: true,
      deploymentConfiguration: { drainPercent: 25, bakeTimeInMinutes: 0 },
      clientToken: 'r1',
    };
    await expect(api.createDaemon(create)).resolves.toMatchObject({
      deploymentArn: 'dep/1',
    });
    expect(ecs.commandCalls(CreateDaemonCommand)[0].args[0].input).toEqual(
      create,
    );

    ecs
      .on(UpdateDaemonCommand)
      .resolves({ daemonArn: DAEMON, deploymentArn: 'dep/2' });
    await expect(
      api.updateDaemon({
        daemonArn: DAEMON,
        daemonTaskDefinitionArn: td(3),
        capacityProviderArns: create.capacityProviderArns,
      }),
    ).resolves.toMatchObject({ deploymentArn: 'dep/2' });
  });
});
