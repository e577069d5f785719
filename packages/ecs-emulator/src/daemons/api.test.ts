import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  CreateCapacityProviderCommand,
  CreateDaemonCommand,
  DaemonNotFoundException,
  DeleteDaemonTaskDefinitionCommand,
  DescribeCapacityProvidersCommand,
  DescribeClustersCommand,
  DescribeDaemonCommand,
  DescribeDaemonDeploymentsCommand,
  DescribeDaemonRevisionsCommand,
  DescribeDaemonTaskDefinitionCommand,
  ECSClient,
  InvalidParameterException,
  ListDaemonDeploymentsCommand,
  ListDaemonsCommand,
  ListDaemonTaskDefinitionsCommand,
  RegisterDaemonTaskDefinitionCommand,
  StartTaskCommand,
  UpdateDaemonCommand,
} from '@aws-sdk/client-ecs';
import { daemonArnOf, instancesOf } from '../__testUtils__/daemons';
import { PROD, setupEmulator, STAGING } from '../__testUtils__/setup';
import { datadogAgentManagedDaemon } from '../fleets/datadogManaged';

// The daemon and capacity provider operations: shapes, validation, idempotency and IAM, through
// the SDK (request and response shapes as @aws-sdk/client-ecs models them).

const STAGING_MI = `arn:aws:ecs:us-east-1:${STAGING}:capacity-provider/staging-managed-mi`;
const KEY = 'AKIAEMULATOR222222222';

describe('ECS Managed Daemons: API', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  let ecs: ECSClient;
  beforeAll(async () => {
    ctx = await setupEmulator();
    ecs = ctx.client(STAGING, 'us-east-1');
  });
  afterAll(() => ctx.stop());
  afterEach(() => ctx.emu.control.setPolicy(KEY, undefined));

  const agent = (image = 'public.ecr.aws/datadog/agent:7.78.0') =>
    datadogAgentManagedDaemon({
      accountId: STAGING,
      region: 'us-east-1',
      image,
    }) as any;
  const errorOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      e => e,
    );

  it('registers daemon task definition revisions and describes them with what ECS adds', async () => {
    const first = await ecs.send(
      new RegisterDaemonTaskDefinitionCommand(agent()),
    );
    expect(first.daemonTaskDefinitionArn).toBe(
      `arn:aws:ecs:us-east-1:${STAGING}:daemon-task-definition/datadog-agent-daemon:1`,
    );
    const second = await ecs.send(
      new RegisterDaemonTaskDefinitionCommand({
        family: 'datadog-agent-daemon',
        containerDefinitions: [
          {
            name: 'datadog-agent',
            image: 'public.ecr.aws/datadog/agent:7.79.0',
            memory: 512,
          },
        ],
      }),
    );
    expect(second.daemonTaskDefinitionArn).toMatch(
      /:daemon-task-definition\/datadog-agent-daemon:2$/,
    );
    // The family alone is its latest ACTIVE revision.
    const latest = (
      await ecs.send(
        new DescribeDaemonTaskDefinitionCommand({
          daemonTaskDefinition: 'datadog-agent-daemon',
        }),
      )
    ).daemonTaskDefinition!;
    expect(latest).toMatchObject({
      family: 'datadog-agent-daemon',
      revision: 2,
      status: 'ACTIVE',
      registeredBy: `arn:aws:iam::${STAGING}:user/emulator`,
      volumes: [],
      containerDefinitions: [
        {
          name: 'datadog-agent',
          essential: true,
          mountPoints: [],
          secrets: [],
        },
      ],
    });
    expect(latest.registeredAt).toBeInstanceOf(Date);
    const one = (
      await ecs.send(
        new DescribeDaemonTaskDefinitionCommand({
          daemonTaskDefinition: first.daemonTaskDefinitionArn,
        }),
      )
    ).daemonTaskDefinition!;
    expect(one).toMatchObject({
      revision: 1,
      cpu: '256',
      memory: '512',
      executionRoleArn: `arn:aws:iam::${STAGING}:role/ecsTaskExecutionRole`,
    });
    expect(one.containerDefinitions![0].healthCheck).toEqual({
      command: ['CMD-SHELL', 'agent health'],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 15,
    });
    const listed = await ecs.send(
      new ListDaemonTaskDefinitionsCommand({
        family: 'datadog-agent-daemon',
        sort: 'DESC',
      }),
    );
    expect(listed.daemonTaskDefinitions!.map(s => s.arn)).toEqual([
      second.daemonTaskDefinitionArn,
      first.daemonTaskDefinitionArn,
    ]);
    const last = await ecs.send(
      new ListDaemonTaskDefinitionsCommand({ revision: 'LAST_REGISTERED' }),
    );
    expect(last.daemonTaskDefinitions!.map(s => s.arn)).toEqual([
      second.daemonTaskDefinitionArn,
    ]);
    await ecs.send(
      new DeleteDaemonTaskDefinitionCommand({
        daemonTaskDefinition: 'datadog-agent-daemon:2',
      }),
    );
    const deleting = await ecs.send(
      new ListDaemonTaskDefinitionsCommand({ status: 'DELETE_IN_PROGRESS' }),
    );
    expect(deleting.daemonTaskDefinitions![0]).toMatchObject({
      arn: second.daemonTaskDefinitionArn,
      status: 'DELETE_IN_PROGRESS',
    });
    expect(deleting.daemonTaskDefinitions![0].deleteRequestedAt).toBeInstanceOf(
      Date,
    );
    const again = await errorOf(
      ecs.send(
        new DeleteDaemonTaskDefinitionCommand({
          daemonTaskDefinition: 'datadog-agent-daemon:2',
        }),
      ),
    );
    expect(again).toBeInstanceOf(ClientException);
  });

  it('validates daemon task definitions like ECS', async () => {
    const cases: Array<[any, RegExp]> = [
      [
        { ...agent(), family: 'bad family' },
        /^Family name can be up to 255 letters/,
      ],
      [
        { ...agent(), containerDefinitions: [] },
        /^Container list cannot be empty\.$/,
      ],
      [
        { family: 'x', containerDefinitions: [{ name: 'a', image: 'i' }] },
        /At least one of 'memory' or 'memoryReservation' must be specified/,
      ],
      [
        {
          ...agent(),
          containerDefinitions: [
            {
              ...agent().containerDefinitions[0],
              logConfiguration: { logDriver: 'syslog' },
            },
          ],
        },
        /^Log driver 'syslog' is not supported on Amazon ECS Managed Instances/,
      ],
      [
        {
          ...agent(),
          volumes: [
            {
              name: 'logs',
              host: { sourcePath: '/var/log' },
              logDriverVolumeConfiguration: { driver: 'json-file' },
            },
          ],
        },
        /can't specify both host and logDriverVolumeConfiguration/,
      ],
    ];
    for (const [input, message] of cases) {
      const e = await errorOf(
        ecs.send(new RegisterDaemonTaskDefinitionCommand(input)),
      );
      expect(e).toBeInstanceOf(ClientException);
      expect(e.message).toMatch(message);
    }
    const missing = await errorOf(
      ecs.send(
        new DescribeDaemonTaskDefinitionCommand({
          daemonTaskDefinition: 'nope:1',
        }),
      ),
    );
    expect(missing).toBeInstanceOf(ClientException);
    expect(missing.message).toBe('Unable to describe daemon task definition.');
  });

  it('creates Managed Instances capacity providers for a cluster, and validates them', async () => {
    const provider = {
      infrastructureRoleArn: `arn:aws:iam::${STAGING}:role/ecsInfrastructureRole`,
      instanceLaunchTemplate: {
        ec2InstanceProfileArn: `arn:aws:iam::${STAGING}:instance-profile/ecsInstanceRole`,
        networkConfiguration: { subnets: ['subnet-0a100000000000001'] },
      },
    };
    const out = await ecs.send(
      new CreateCapacityProviderCommand({
        name: 'staging-managed-gpu',
        cluster: 'staging-managed',
        managedInstancesProvider: provider,
        tags: [{ key: 'k', value: 'v' }],
      }),
    );
    expect(out.capacityProvider).toEqual({
      capacityProviderArn: `arn:aws:ecs:us-east-1:${STAGING}:capacity-provider/staging-managed-gpu`,
      name: 'staging-managed-gpu',
      cluster: 'staging-managed',
      status: 'ACTIVE',
      type: 'MANAGED_INSTANCES',
      updateStatus: 'CREATE_COMPLETE',
      managedInstancesProvider: { ...provider, propagateTags: 'NONE' },
      tags: [{ key: 'k', value: 'v' }],
    });
    const cluster = (
      await ecs.send(
        new DescribeClustersCommand({ clusters: ['staging-managed'] }),
      )
    ).clusters![0];
    expect(cluster.capacityProviders).toEqual([
      'staging-managed-mi',
      'staging-managed-gpu',
    ]);
    const described = await ecs.send(
      new DescribeCapacityProvidersCommand({
        capacityProviders: ['staging-managed-gpu', 'FARGATE', 'nope'],
      }),
    );
    expect(described.capacityProviders!.map(c => [c.name, c.type])).toEqual([
      ['staging-managed-gpu', 'MANAGED_INSTANCES'],
      ['FARGATE', 'FARGATE'],
    ]);
    expect(described.capacityProviders![0].tags).toBeUndefined();
    expect(described.failures).toEqual([
      {
        arn: `arn:aws:ecs:us-east-1:${STAGING}:capacity-provider/nope`,
        reason: 'MISSING',
      },
    ]);
    const again = await errorOf(
      ecs.send(
        new CreateCapacityProviderCommand({
          name: 'staging-managed-gpu',
          cluster: 'staging-managed',
          managedInstancesProvider: provider,
        }),
      ),
    );
    expect(again).toBeInstanceOf(ClientException);
    expect(again.message).toMatch(
      /^The specified capacity provider already exists\./,
    );
    const prefixed = await errorOf(
      ecs.send(
        new CreateCapacityProviderCommand({
          name: 'ecs-mine',
          cluster: 'staging-managed',
          managedInstancesProvider: provider,
        }),
      ),
    );
    expect(prefixed.message).toMatch(
      /cannot be prefixed with "aws", "ecs", or "fargate"/,
    );
    const noCluster = await errorOf(
      ecs.send(
        new CreateCapacityProviderCommand({
          name: 'loose',
          managedInstancesProvider: provider,
        }),
      ),
    );
    expect(noCluster).toBeInstanceOf(InvalidParameterException);
    const unknown = await errorOf(
      ecs.send(
        new CreateCapacityProviderCommand({
          name: 'loose',
          cluster: 'nope',
          managedInstancesProvider: provider,
        }),
      ),
    );
    expect(unknown).toBeInstanceOf(ClusterNotFoundException);
    // Managed Instances take no EC2 launch-type task.
    const [instance] = await instancesOf(ecs, 'staging-managed');
    const started = await ecs.send(
      new StartTaskCommand({
        cluster: 'staging-managed',
        taskDefinition: 'notifications:1',
        containerInstances: [instance.containerInstanceArn!],
      }),
    );
    expect(started.tasks).toEqual([]);
    expect(started.failures).toEqual([
      { arn: instance.containerInstanceArn, reason: 'ATTRIBUTE' },
    ]);
  });

  it('validates CreateDaemon and honours clientToken idempotency', async () => {
    const td = (
      await ecs.send(new RegisterDaemonTaskDefinitionCommand(agent()))
    ).daemonTaskDefinitionArn!;
    const base = {
      daemonName: 'datadog-agent',
      clusterArn: 'staging-managed',
      daemonTaskDefinitionArn: td,
      capacityProviderArns: [STAGING_MI],
    };
    const invalid: Array<[object, RegExp]> = [
      [{ daemonName: 'bad name' }, /^Daemon name can be up to 255 letters/],
      [
        { capacityProviderArns: [] },
        /^capacityProviderArns can not be null or empty\.$/,
      ],
      [
        { capacityProviderArns: ['FARGATE'] },
        /^The specified capacity provider FARGATE does not exist\.$/,
      ],
      [
        { deploymentConfiguration: { drainPercent: 150 } },
        /drainPercent must be between 0\.0 and 100\.0/,
      ],
      [
        { deploymentConfiguration: { bakeTimeInMinutes: 1441 } },
        /bakeTimeInMinutes must be between 0 and 1440/,
      ],
      [
        { clientToken: 'x'.repeat(37) },
        /^clientToken can be up to 36 ASCII characters/,
      ],
      [
        { daemonTaskDefinitionArn: 'nope:1' },
        /^DaemonTaskDefinition not found\.$/,
      ],
    ];
    for (const [patch, message] of invalid) {
      const e = await errorOf(
        ecs.send(new CreateDaemonCommand({ ...base, ...patch })),
      );
      expect(e).toBeInstanceOf(InvalidParameterException);
      expect(e.message).toMatch(message);
    }
    const created = await ecs.send(
      new CreateDaemonCommand({ ...base, clientToken: 'tok-1' }),
    );
    expect(created).toMatchObject({
      daemonArn: `arn:aws:ecs:us-east-1:${STAGING}:daemon/staging-managed/datadog-agent`,
      status: 'ACTIVE',
    });
    expect(created.deploymentArn).toMatch(
      new RegExp(
        `^arn:aws:ecs:us-east-1:${STAGING}:daemon-deployment/staging-managed/datadog-agent/[A-Za-z0-9]{16}$`,
      ),
    );
    expect(created.createdAt).toBeInstanceOf(Date);
    // The same request with the same token answers the same daemon and deployment.
    const retry = await ecs.send(
      new CreateDaemonCommand({ ...base, clientToken: 'tok-1' }),
    );
    expect(retry).toMatchObject({
      daemonArn: created.daemonArn,
      deploymentArn: created.deploymentArn,
    });
    for (const other of [
      { ...base, clientToken: 'tok-2' },
      { ...base, clientToken: 'tok-1', critical: false },
      base,
    ]) {
      const e = await errorOf(ecs.send(new CreateDaemonCommand(other)));
      expect(e).toBeInstanceOf(InvalidParameterException);
      expect(e.message).toBe('Creation of daemon was not idempotent.');
    }
    const listed = await ecs.send(
      new ListDaemonsCommand({
        clusterArn: 'staging-managed',
        capacityProviderArns: [STAGING_MI],
      }),
    );
    expect(listed.daemonSummariesList).toEqual([
      {
        daemonArn: created.daemonArn,
        status: 'ACTIVE',
        createdAt: created.createdAt,
        updatedAt: created.createdAt,
      },
    ]);
    const filtered = await ecs.send(
      new ListDaemonsCommand({
        clusterArn: 'staging-managed',
        capacityProviderArns: [
          `arn:aws:ecs:us-east-1:${STAGING}:capacity-provider/other`,
        ],
      }),
    );
    expect(filtered.daemonSummariesList).toEqual([]);
    const deployments = await ecs.send(
      new ListDaemonDeploymentsCommand({ daemonArn: created.daemonArn }),
    );
    expect(deployments.daemonDeployments).toEqual([
      expect.objectContaining({
        daemonDeploymentArn: created.deploymentArn,
        daemonArn: created.daemonArn,
        clusterArn: `arn:aws:ecs:us-east-1:${STAGING}:cluster/staging-managed`,
        status: 'PENDING',
      }),
    ]);
    const revisionArn =
      deployments.daemonDeployments![0].targetDaemonRevisionArn!;
    expect(revisionArn).toMatch(
      /:daemon-revision\/staging-managed\/datadog-agent\/\d{19}$/,
    );
    const revisions = await ecs.send(
      new DescribeDaemonRevisionsCommand({
        daemonRevisionArns: [revisionArn, `${revisionArn}0`],
      }),
    );
    expect(revisions.daemonRevisions).toEqual([
      {
        daemonRevisionArn: revisionArn,
        clusterArn: `arn:aws:ecs:us-east-1:${STAGING}:cluster/staging-managed`,
        daemonArn: created.daemonArn,
        daemonTaskDefinitionArn: td,
        createdAt: created.createdAt,
        containerImages: [
          {
            containerName: 'datadog-agent',
            image: 'public.ecr.aws/datadog/agent:7.78.0',
            imageDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
          },
        ],
        propagateTags: 'NONE',
        enableECSManagedTags: false,
        enableExecuteCommand: false,
        critical: true,
      },
    ]);
    expect(revisions.failures).toEqual([
      { arn: `${revisionArn}0`, reason: 'MISSING' },
    ]);
  });

  it('answers unknown daemons and deployments like ECS', async () => {
    const unknown = `arn:aws:ecs:us-east-1:${STAGING}:daemon/staging-managed/nope`;
    const e1 = await errorOf(
      ecs.send(new DescribeDaemonCommand({ daemonArn: unknown })),
    );
    expect(e1).toBeInstanceOf(DaemonNotFoundException);
    const e2 = await errorOf(
      ecs.send(
        new DescribeDaemonCommand({
          daemonArn: `arn:aws:ecs:us-east-1:${STAGING}:daemon/no-cluster/x`,
        }),
      ),
    );
    expect(e2).toBeInstanceOf(ClusterNotFoundException);
    const e3 = await errorOf(
      ecs.send(
        new UpdateDaemonCommand({
          daemonArn: unknown,
          daemonTaskDefinitionArn: 'datadog-agent-daemon:1',
          capacityProviderArns: [STAGING_MI],
        }),
      ),
    );
    expect(e3).toBeInstanceOf(DaemonNotFoundException);
    const missing = `arn:aws:ecs:us-east-1:${STAGING}:daemon-deployment/staging-managed/x/abc`;
    const out = await ecs.send(
      new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: [missing] }),
    );
    expect(out).toMatchObject({
      daemonDeployments: [],
      failures: [{ arn: missing, reason: 'MISSING' }],
    });
    const tooMany = await errorOf(
      ecs.send(
        new DescribeDaemonDeploymentsCommand({
          daemonDeploymentArns: Array.from(
            { length: 21 },
            (_, i) => `${missing}${i}`,
          ),
        }),
      ),
    );
    expect(tooMany).toBeInstanceOf(InvalidParameterException);
    // A daemon needs a Managed Instances capacity provider: an Auto Scaling group one is refused.
    const eu = ctx.client(PROD, 'eu-west-1');
    const asg = await errorOf(
      eu.send(
        new CreateDaemonCommand({
          daemonName: 'agent',
          clusterArn: 'prod-mixed',
          daemonTaskDefinitionArn: 'datadog-agent-daemon:1',
          capacityProviderArns: [
            `arn:aws:ecs:eu-west-1:${PROD}:capacity-provider/prod-mixed-asg`,
          ],
        }),
      ),
    );
    expect(asg).toBeInstanceOf(InvalidParameterException);
    expect(asg.message).toBe(
      'ECS Managed Daemons is only supported for Amazon ECS Managed Instances Capacity Providers.',
    );
  });

  it('authorizes daemon actions on the resources the Service Authorization Reference names', async () => {
    const daemonArn = (await daemonArnOf(
      ctx.client(PROD, 'us-east-1'),
      'prod-managed',
    ))!;
    const prod = ctx.client(PROD, 'us-east-1');
    const key = 'AKIAEMULATOR111111111';
    try {
      ctx.emu.control.setPolicy(key, {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['ecs:DescribeDaemon', 'ecs:RegisterDaemonTaskDefinition'],
            Resource: [
              `arn:aws:ecs:us-east-1:${PROD}:daemon/prod-managed/*`,
              `arn:aws:ecs:us-east-1:${PROD}:daemon-task-definition/datadog-agent-daemon:*`,
            ],
          },
          { Effect: 'Allow', Action: 'ecs:ListDaemons', Resource: '*' },
        ],
      });
      await prod.send(new DescribeDaemonCommand({ daemonArn }));
      await prod.send(new ListDaemonsCommand({ clusterArn: 'prod-managed' }));
      const tagged = await errorOf(
        prod.send(
          new RegisterDaemonTaskDefinitionCommand(
            datadogAgentManagedDaemon({
              accountId: PROD,
              region: 'us-east-1',
              image: 'public.ecr.aws/datadog/agent:7.78.0',
            }) as any,
          ),
        ),
      );
      // The definition has tags (tag-on-create) and an execution role (iam:PassRole).
      expect(tagged).toBeInstanceOf(AccessDeniedException);
      expect(tagged.message).toBe(
        `User: arn:aws:iam::${PROD}:user/emulator is not authorized to perform: ecs:TagResource on resource: arn:aws:ecs:us-east-1:${PROD}:daemon-task-definition/datadog-agent-daemon:2 because no identity-based policy allows the ecs:TagResource action`,
      );
      const update = await errorOf(
        prod.send(
          new UpdateDaemonCommand({
            daemonArn,
            daemonTaskDefinitionArn: 'datadog-agent-daemon:1',
            capacityProviderArns: [
              `arn:aws:ecs:us-east-1:${PROD}:capacity-provider/prod-managed-mi`,
            ],
          }),
        ),
      );
      expect(update.message).toBe(
        `User: arn:aws:iam::${PROD}:user/emulator is not authorized to perform: ecs:UpdateDaemon on resource: ${daemonArn} because no identity-based policy allows the ecs:UpdateDaemon action`,
      );
      ctx.emu.control.setPolicy(key, {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'ecs:UpdateDaemon',
            Resource: `arn:aws:ecs:us-east-1:${PROD}:daemon/prod-managed/datadog-agent`,
          },
        ],
      });
      const passRole = await errorOf(
        prod.send(
          new UpdateDaemonCommand({
            daemonArn,
            daemonTaskDefinitionArn: 'datadog-agent-daemon:1',
            capacityProviderArns: [
              `arn:aws:ecs:us-east-1:${PROD}:capacity-provider/prod-managed-mi`,
            ],
          }),
        ),
      );
      expect(passRole.message).toBe(
        `User: arn:aws:iam::${PROD}:user/emulator is not authorized to perform: iam:PassRole on resource: arn:aws:iam::${PROD}:role/ecsTaskExecutionRole because no identity-based policy allows the iam:PassRole action`,
      );
      // DescribeDaemonDeployments names the daemon and the deployment: both must be allowed.
      ctx.emu.control.setPolicy(key, {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'ecs:ListDaemonDeployments',
              'ecs:DescribeDaemonDeployments',
            ],
            Resource: `arn:aws:ecs:us-east-1:${PROD}:daemon/prod-managed/datadog-agent`,
          },
        ],
      });
      const arn = (
        await prod.send(new ListDaemonDeploymentsCommand({ daemonArn }))
      ).daemonDeployments![0].daemonDeploymentArn!;
      const deployments = await errorOf(
        prod.send(
          new DescribeDaemonDeploymentsCommand({ daemonDeploymentArns: [arn] }),
        ),
      );
      expect(deployments.message).toBe(
        `User: arn:aws:iam::${PROD}:user/emulator is not authorized to perform: ecs:DescribeDaemonDeployments on resource: ${arn} because no identity-based policy allows the ecs:DescribeDaemonDeployments action`,
      );
    } finally {
      ctx.emu.control.setPolicy(key, undefined);
    }
  });
});
