import {
  DescribeImagesCommand,
  EC2Client,
  paginateDescribeImages,
} from '@aws-sdk/client-ec2';
import {
  DescribeContainerInstancesCommand,
  ECSClient,
  ListClustersCommand,
  ListContainerInstancesCommand,
} from '@aws-sdk/client-ecs';
import { PROD, setupEmulator, STAGING } from './__testUtils__/setup';
import { ecsOptimizedAmiId } from './ec2/catalog';
import { startEcsEmulator } from './index';

// EC2 DescribeImages (Query protocol, XML) on the ECS endpoint, through @aws-sdk/client-ec2:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html

const AL2023_USE1 = 'ami-0c7a4976cb6e06ff5';
const AL2_USE1 = 'ami-05cfa0ca0d4e1e6b2';
const AL1_USE1 = 'ami-0bb4a9d1f5ec0b4c2';

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    e => e,
  );

describe('EC2 DescribeImages', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  let ec2: EC2Client;
  beforeAll(async () => {
    ctx = await setupEmulator();
    ec2 = ctx.ec2(PROD, 'us-east-1');
  });
  afterAll(() => ctx.stop());

  it('describes ECS-optimized AMIs by ImageIds, with the fields EC2 returns', async () => {
    const out = await ec2.send(
      new DescribeImagesCommand({ ImageIds: [AL2023_USE1, AL2_USE1] }),
    );
    expect(out.Images!.map(i => i.Name)).toEqual([
      'al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
      'amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs',
    ]);
    const [al2023] = out.Images!;
    expect(al2023).toMatchObject({
      ImageId: AL2023_USE1,
      OwnerId: '591542846629',
      ImageOwnerAlias: 'amazon',
      Public: true,
      State: 'available',
      Architecture: 'x86_64',
      ImageType: 'machine',
      PlatformDetails: 'Linux/UNIX',
      UsageOperation: 'RunInstances',
      RootDeviceType: 'ebs',
      RootDeviceName: '/dev/xvda',
      VirtualizationType: 'hvm',
      Hypervisor: 'xen',
      EnaSupport: true,
      ImageLocation:
        'amazon/al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
      CreationDate: '2024-11-15T21:04:18.000Z',
      Description: 'Amazon Linux AMI 2023.0.20241115 x86_64 ECS HVM EBS',
    });
    expect(al2023.Platform).toBeUndefined();
    expect(al2023.BlockDeviceMappings![0]).toMatchObject({
      DeviceName: '/dev/xvda',
      Ebs: { VolumeSize: 30, DeleteOnTermination: true, Encrypted: false },
    });
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('describes Amazon Linux 1 and Windows AMIs, whose names say what they are', async () => {
    const windows = ecsOptimizedAmiId('windows2022', 'us-east-1');
    const out = await ec2.send(
      new DescribeImagesCommand({ ImageIds: [AL1_USE1, windows] }),
    );
    expect(out.Images!.map(i => [i.Name, i.OwnerId, i.Platform])).toEqual([
      [
        'amzn-ami-2018.03.20210219-amazon-ecs-optimized',
        '591542846629',
        undefined,
      ],
      [
        'Windows_Server-2022-English-Core-ECS_Optimized-2024.11.13',
        '801119661308',
        'windows',
      ],
    ]);
    expect(out.Images![1].PlatformDetails).toBe('Windows');
  });

  it('filters by image-id, name (wildcards), owner and is-public', async () => {
    const byFilter = await ec2.send(
      new DescribeImagesCommand({
        Filters: [{ Name: 'image-id', Values: [AL2_USE1, AL2023_USE1] }],
      }),
    );
    expect(byFilter.Images!.map(i => i.ImageId).sort()).toEqual(
      [AL2_USE1, AL2023_USE1].sort(),
    );
    const al2 = await ec2.send(
      new DescribeImagesCommand({
        Owners: ['amazon'],
        Filters: [
          {
            Name: 'name',
            Values: ['amzn2-ami-ecs-hvm-2.0.????????-x86_64-ebs'],
          },
          { Name: 'is-public', Values: ['true'] },
        ],
      }),
    );
    // The 2021 AL2 AMI is deprecated (two years after creation): left out unless asked for.
    expect(al2.Images!.map(i => i.Name)).toEqual([
      'amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs',
    ]);
    const withDeprecated = await ec2.send(
      new DescribeImagesCommand({
        Owners: ['591542846629'],
        IncludeDeprecated: true,
        Filters: [{ Name: 'name', Values: ['amzn2-ami-ecs-*'] }],
      }),
    );
    expect(withDeprecated.Images!.map(i => i.Name).sort()).toEqual([
      'amzn2-ami-ecs-hvm-2.0.20210331-x86_64-ebs',
      'amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs',
    ]);
    const self = await ec2.send(
      new DescribeImagesCommand({ Owners: ['self'] }),
    );
    expect(self.Images).toEqual([]);
  });

  it('answers InvalidAMIID.NotFound naming the missing ids, and .Malformed for bad ones', async () => {
    const one = await errorOf(
      ec2.send(
        new DescribeImagesCommand({
          ImageIds: [AL2_USE1, 'ami-0123456789abcdef0'],
        }),
      ),
    );
    expect(one.name).toBe('InvalidAMIID.NotFound');
    expect(one.message).toBe(
      "The image id '[ami-0123456789abcdef0]' does not exist",
    );
    expect(one.$metadata.httpStatusCode).toBe(400);
    const two = await errorOf(
      ec2.send(
        new DescribeImagesCommand({
          ImageIds: ['ami-0123456789abcdef0', 'ami-12345678'],
        }),
      ),
    );
    expect(two.message).toBe(
      "The image ids '[ami-0123456789abcdef0, ami-12345678]' do not exist",
    );
    const malformed = await errorOf(
      ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-xyz'] })),
    );
    expect(malformed.name).toBe('InvalidAMIID.Malformed');
    expect(malformed.message).toBe(
      'Invalid id: "ami-xyz" (expecting "ami-...")',
    );
    const filter = await errorOf(
      ec2.send(
        new DescribeImagesCommand({
          Filters: [{ Name: 'colour', Values: ['x'] }],
        }),
      ),
    );
    expect(filter.name).toBe('InvalidParameterValue');
    expect(filter.message).toBe("The filter 'colour' is invalid");
  });

  it('keeps AMI ids regional: an us-east-1 id does not exist in eu-west-1', async () => {
    const eu = ctx.ec2(PROD, 'eu-west-1');
    const err = await errorOf(
      eu.send(new DescribeImagesCommand({ ImageIds: [AL2023_USE1] })),
    );
    expect(err.name).toBe('InvalidAMIID.NotFound');
    const own = ecsOptimizedAmiId('al2023', 'eu-west-1');
    expect(own).not.toBe(AL2023_USE1);
    const out = await eu.send(new DescribeImagesCommand({ ImageIds: [own] }));
    expect(out.Images![0].Name).toBe(
      'al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
    );
  });

  it('validates MaxResults, refuses it with ImageIds, and answers DryRun', async () => {
    const combination = await errorOf(
      ec2.send(
        new DescribeImagesCommand({ ImageIds: [AL2_USE1], MaxResults: 5 }),
      ),
    );
    expect(combination.name).toBe('InvalidParameterCombination');
    const range = await errorOf(
      ec2.send(
        new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 2 }),
      ),
    );
    expect(range.name).toBe('InvalidParameterValue');
    expect(range.message).toMatch(/maxResults/);
    const dry = await errorOf(
      ec2.send(
        new DescribeImagesCommand({ ImageIds: [AL2_USE1], DryRun: true }),
      ),
    );
    expect(dry.name).toBe('DryRunOperation');
    expect(dry.$metadata.httpStatusCode).toBe(412);
  });

  it('answers InvalidAction for an action it does not know', async () => {
    const c = ctx.ec2(PROD, 'us-east-1');
    c.middlewareStack.add(
      next => async (args: any) => {
        args.request.body = String(args.request.body).replace(
          'Action=DescribeImages',
          'Action=DescribeImagez',
        );
        return next(args);
      },
      { step: 'build', name: 'renameAction' },
    );
    const err = await errorOf(
      c.send(new DescribeImagesCommand({ ImageIds: [AL2_USE1] })),
    );
    expect(err.name).toBe('InvalidAction');
    expect(err.message).toBe(
      'The action DescribeImagez is not valid for this web service.',
    );
  });

  it('authenticates like EC2: unknown key, wrong secret', async () => {
    const unknown = await errorOf(
      ctx
        .ec2(PROD, 'us-east-1', { accessKeyId: 'AKIAUNKNOWN000000000' })
        .send(new DescribeImagesCommand({ ImageIds: [AL2_USE1] })),
    );
    expect(unknown.name).toBe('AuthFailure');
    expect(unknown.$metadata.httpStatusCode).toBe(401);
    const wrong = new EC2Client({
      ...ctx.emu.clientConfig({ accountId: PROD, region: 'us-east-1' }),
      credentials: {
        accessKeyId: 'AKIAEMULATOR111111111',
        secretAccessKey: 'wrong-secret',
      },
      maxAttempts: 1,
    });
    const bad = await errorOf(
      wrong.send(new DescribeImagesCommand({ ImageIds: [AL2_USE1] })),
    );
    wrong.destroy();
    expect(bad.name).toBe('SignatureDoesNotMatch');
    expect(bad.$metadata.httpStatusCode).toBe(403);
  });

  it('lets the demo read-only keys describe images', async () => {
    const out = await ctx
      .ec2(STAGING, 'us-east-1', { accessKeyId: 'AKIAEMULATORREADONLY2' })
      .send(new DescribeImagesCommand({ ImageIds: [AL2023_USE1] }));
    expect(out.Images).toHaveLength(1);
  });

  it('describes every AMI the demo fleet runs on, except the private golden image', async () => {
    const GOLDEN = 'ami-0ac3e9a1d2b4c5f67';
    const amis = new Map<string, Set<string>>();
    const anywhere: Array<string | undefined> = [];
    for (const account of [PROD, STAGING]) {
      for (const region of ['us-east-1', 'eu-west-1']) {
        const ecs = ctx.client(account, region);
        const ids = new Set<string>();
        for (const arn of (await ecs.send(new ListClustersCommand({})))
          .clusterArns!) {
          const list = await ecs.send(
            new ListContainerInstancesCommand({ cluster: arn }),
          );
          if (!list.containerInstanceArns!.length) continue;
          const described = await ecs.send(
            new DescribeContainerInstancesCommand({
              cluster: arn,
              containerInstances: list.containerInstanceArns,
            }),
          );
          for (const ci of described.containerInstances!) {
            const ami = ci.attributes!.find(a => a.name === 'ecs.ami-id');
            if (ci.ec2InstanceId!.startsWith('mi-')) anywhere.push(ami?.value);
            else ids.add(ami!.value!);
          }
        }
        amis.set(`${account}/${region}`, ids);
      }
    }
    // ECS Anywhere (EXTERNAL) instances have no AMI, as in ECS.
    expect(anywhere).toEqual([undefined, undefined, undefined]);
    const all = [...amis.values()].flatMap(ids => [...ids]);
    expect(all.every(id => /^ami-[0-9a-f]{17}$/.test(id))).toBe(true);

    // staging-custom-ami boots from a golden AMI the account cannot read.
    const golden = await errorOf(
      ctx.ec2(STAGING, 'us-east-1').send(
        new DescribeImagesCommand({
          ImageIds: [...amis.get(`${STAGING}/us-east-1`)!],
        }),
      ),
    );
    expect(golden.name).toBe('InvalidAMIID.NotFound');
    expect(golden.message).toBe(`The image id '[${GOLDEN}]' does not exist`);

    const names: string[] = [];
    for (const [key, ids] of amis) {
      const [account, region] = key.split('/');
      const readable = [...ids].filter(i => i !== GOLDEN);
      const out = await ctx
        .ec2(account, region)
        .send(new DescribeImagesCommand({ ImageIds: readable }));
      expect(out.Images).toHaveLength(readable.length);
      names.push(...out.Images!.map(i => i.Name!));
    }
    expect([...new Set(names)].sort()).toEqual([
      'Windows_Server-2022-English-Core-ECS_Optimized-2024.11.13',
      'al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
      'amzn-ami-2018.03.20210219-amazon-ecs-optimized',
      'amzn2-ami-ecs-hvm-2.0.20210331-x86_64-ebs',
      // Managed Instances (prod-managed, prod-mixed, staging-managed).
      'bottlerocket-aws-ecs-2-x86_64-v1.28.0-9b4a5f2e',
    ]);
  });

  it('hides the private golden AMI from a filter too', async () => {
    const out = await ctx.ec2(STAGING, 'us-east-1').send(
      new DescribeImagesCommand({
        Filters: [{ Name: 'image-id', Values: ['ami-0ac3e9a1d2b4c5f67'] }],
      }),
    );
    expect(out.Images).toEqual([]);
  });
});

describe('EC2 DescribeImages: IAM, faults, counters, pagination', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  beforeAll(async () => {
    ctx = await setupEmulator();
  });
  afterAll(() => ctx.stop());
  afterEach(() => {
    ctx.emu.control.setPolicy('AKIAEMULATOR111111111', undefined);
    ctx.emu.control.setFaults({});
  });

  it('evaluates ec2:DescribeImages with the key IAM policy: UnauthorizedOperation, 403', async () => {
    const ec2 = ctx.ec2(PROD, 'us-east-1');
    ctx.emu.control.setPolicy('AKIAEMULATOR111111111', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }],
    });
    const denied = await errorOf(
      ec2.send(new DescribeImagesCommand({ ImageIds: [AL2_USE1] })),
    );
    expect(denied.name).toBe('UnauthorizedOperation');
    expect(denied.$metadata.httpStatusCode).toBe(403);
    expect(denied.message).toBe(
      'You are not authorized to perform this operation. User: arn:aws:iam::111111111111:user/emulator is not authorized to perform: ec2:DescribeImages because no identity-based policy allows the ec2:DescribeImages action',
    );
    ctx.emu.control.setPolicy('AKIAEMULATOR111111111', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: 'ec2:DescribeImages',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
        },
      ],
    });
    const allowed = await ec2.send(
      new DescribeImagesCommand({ ImageIds: [AL2_USE1] }),
    );
    expect(allowed.Images).toHaveLength(1);
    const explicit = await errorOf(
      ctx
        .ec2(PROD, 'eu-west-1')
        .send(new DescribeImagesCommand({ Owners: ['amazon'] })),
    );
    expect(explicit.message).toMatch(
      /ec2:DescribeImages with an explicit deny in an identity-based policy$/,
    );
  });

  it('counts DescribeImages and throttles it with the read bucket (RequestLimitExceeded, 503)', async () => {
    ctx.emu.control.resetCounters();
    ctx.emu.control.setFaults({
      throttle: { read: { burst: 2, refillPerSecond: 0.001 } },
    });
    const ec2 = ctx.ec2(PROD, 'us-east-1');
    await ec2.send(new DescribeImagesCommand({ ImageIds: [AL2_USE1] }));
    await ec2.send(new DescribeImagesCommand({ ImageIds: [AL2_USE1] }));
    const throttled = await errorOf(
      ec2.send(new DescribeImagesCommand({ ImageIds: [AL2_USE1] })),
    );
    expect(throttled.name).toBe('RequestLimitExceeded');
    expect(throttled.$metadata.httpStatusCode).toBe(503);
    const counters = ctx.emu.control.counters();
    expect(counters.operations.DescribeImages).toEqual({
      calls: 3,
      throttled: 1,
      errors: 0,
      resets: 0,
    });
    expect(counters.accounts[`${PROD}/us-east-1`].calls).toBe(3);
  });

  it('answers injected server errors in EC2 words', async () => {
    ctx.emu.control.setFaults({
      errorRate: 1,
      operations: ['DescribeImages'],
    });
    const err = await errorOf(
      ctx
        .ec2(PROD, 'us-east-1')
        .send(new DescribeImagesCommand({ ImageIds: [AL2_USE1] })),
    );
    expect(['InternalError', 'Unavailable']).toContain(err.name);
    expect([500, 503]).toContain(err.$metadata.httpStatusCode);
  });
});

describe('EC2 DescribeImages with fleet images', () => {
  it('paginates with MaxResults / NextToken and honours sharing and ExecutableBy', async () => {
    const acct = '333333333333';
    const other = '444444444444';
    const emu = await startEcsEmulator({
      fleet: {
        name: 'images',
        accounts: [
          { accountId: acct, accessKeys: [{ accessKeyId: 'AKIAIMAGES' }] },
        ],
        images: [
          ...[1, 2, 3, 4, 5, 6].map(n => ({
            region: 'ap-south-1',
            imageId: `ami-0${String(n).repeat(16)}`,
            name: `golden-${n}`,
            ownerId: acct,
          })),
          {
            region: 'ap-south-1',
            imageId: 'ami-0abcdefabcdefabcd',
            name: 'shared-golden',
            ownerId: other,
            sharedWith: [acct],
          },
          {
            region: 'ap-south-1',
            imageId: 'ami-0fedcbafedcbafedc',
            name: 'not-shared',
            ownerId: other,
          },
        ],
        clusters: [],
      },
    });
    const ec2 = new EC2Client(
      emu.clientConfig({ accountId: acct, region: 'ap-south-1' }),
    );
    try {
      const pages: string[][] = [];
      for await (const page of paginateDescribeImages(
        { client: ec2, pageSize: 5 },
        { Owners: ['self'] },
      )) {
        pages.push(page.Images!.map(i => i.Name!));
      }
      expect(pages).toEqual([
        ['golden-1', 'golden-2', 'golden-3', 'golden-4', 'golden-5'],
        ['golden-6'],
      ]);
      const shared = await ec2.send(
        new DescribeImagesCommand({
          ExecutableUsers: ['self'],
          Owners: [other],
        }),
      );
      expect(shared.Images!.map(i => [i.Name, i.Public])).toEqual([
        ['shared-golden', false],
      ]);
      const publicOnes = await ec2.send(
        new DescribeImagesCommand({
          ExecutableUsers: ['all'],
          IncludeDeprecated: true,
        }),
      );
      expect(publicOnes.Images!.map(i => i.OwnerId).sort()).toEqual([
        '591542846629',
        '591542846629',
        '591542846629',
        '591542846629',
        '591542846629',
        '801119661308',
      ]);
      const notShared = await ec2
        .send(
          new DescribeImagesCommand({ ImageIds: ['ami-0fedcbafedcbafedc'] }),
        )
        .catch(e => e);
      expect(notShared.name).toBe('InvalidAMIID.NotFound');
      const bad = await ec2
        .send(new DescribeImagesCommand({ NextToken: 'garbage!' }))
        .catch(e => e);
      expect(bad.name).toBe('InvalidPaginationToken');
    } finally {
      ec2.destroy();
      await emu.stop();
    }
  });
});

describe('EC2 DescribeImages on a scale fleet', () => {
  it('knows the AMI of every instance of scale:4x3', async () => {
    const emu = await startEcsEmulator({ fleet: 'scale:4x3' });
    const clients: Array<{ destroy(): void }> = [];
    try {
      const found: string[] = [];
      for (const account of [PROD, STAGING]) {
        for (const region of ['us-east-1', 'eu-west-1']) {
          const config = emu.clientConfig({ accountId: account, region });
          const ecs = new ECSClient(config);
          const ec2 = new EC2Client(config);
          clients.push(ecs, ec2);
          const [cluster] = (await ecs.send(new ListClustersCommand({})))
            .clusterArns!;
          const arns = (
            await ecs.send(new ListContainerInstancesCommand({ cluster }))
          ).containerInstanceArns!;
          const described = await ecs.send(
            new DescribeContainerInstancesCommand({
              cluster,
              containerInstances: arns,
            }),
          );
          const ids = [
            ...new Set(
              described.containerInstances!.map(
                ci => ci.attributes!.find(a => a.name === 'ecs.ami-id')!.value!,
              ),
            ),
          ];
          const out = await ec2.send(
            new DescribeImagesCommand({ ImageIds: ids }),
          );
          found.push(...out.Images!.map(i => `${region} ${i.Name}`));
        }
      }
      expect(found).toEqual([
        'us-east-1 al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
        'eu-west-1 al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
        'us-east-1 al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
        'eu-west-1 al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
      ]);
    } finally {
      clients.forEach(c => c.destroy());
      await emu.stop();
    }
  });
});
