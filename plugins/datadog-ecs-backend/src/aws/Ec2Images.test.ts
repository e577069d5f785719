import {
  DescribeImagesCommand,
  DescribeImagesCommandInput,
  EC2Client,
  EC2ServiceException,
  Image,
} from '@aws-sdk/client-ec2';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { errorAsData } from '../inventory/errors';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import { AwsEcsGateway } from './AwsEcsGateway';
import { DESCRIBE_IMAGES_BATCH, UNREADABLE_AMI_TTL_MS } from './Ec2Images';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';

function credentialsManager() {
  const getCredentialProvider = jest.fn(async () => ({
    accountId: ACCOUNT,
    sdkCredentialProvider: async () => ({
      accessKeyId: 'AKIATEST',
      secretAccessKey: 'secret',
    }),
  }));
  return {
    manager: { getCredentialProvider } as unknown as AwsCredentialsManager,
    getCredentialProvider,
  };
}

const amiId = (i: number) => `ami-${String(i).padStart(17, '0')}`;
const image = (
  id: string,
  name = `amzn2-ami-ecs-hvm-2.0.${id}-x86_64-ebs`,
): Image => ({
  ImageId: id,
  Name: name,
  OwnerId: '591542846629',
  ImageOwnerAlias: 'amazon',
  PlatformDetails: 'Linux/UNIX',
});

/**
 * Answers DescribeImages like EC2 with the `image-id` filter: the images of `visible` among the
 * filter's values (the others are simply absent), `pageSize` per page, the token the next index.
 */
function serveImages(
  ec2: AwsClientStub<EC2Client>,
  visible: Record<string, Image>,
  pageSize = 1000,
) {
  ec2
    .on(DescribeImagesCommand)
    .callsFake(async (input: DescribeImagesCommandInput) => {
      if (input.ImageIds) throw new Error('the gateway must not use ImageIds');
      const filter = input.Filters?.find(f => f.Name === 'image-id');
      const matching = (filter?.Values ?? []).flatMap(id =>
        visible[id] ? [visible[id]] : [],
      );
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const end = Math.min(matching.length, start + pageSize);
      return {
        Images: matching.slice(start, end),
        NextToken: end < matching.length ? String(end) : undefined,
      };
    });
}

const calls = (ec2: AwsClientStub<EC2Client>) =>
  ec2
    .commandCalls(DescribeImagesCommand)
    .map(c => c.args[0].input as DescribeImagesCommandInput);

describe('AwsEcsGateway.describeImages (EC2 SDK mocked)', () => {
  let ec2: AwsClientStub<EC2Client>;
  let now: number;
  const gateway = (options: { endpoint?: string; ec2Endpoint?: string } = {}) =>
    new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
      now: () => now,
      ...options,
    });

  beforeEach(() => {
    ec2 = mockClient(EC2Client);
    now = Date.parse('2026-01-15T10:00:00Z');
  });
  afterEach(() => {
    ec2.restore();
  });

  it('asks with the image-id filter (deprecated and disabled AMIs included), every AMI answered', async () => {
    serveImages(ec2, {
      'ami-al2': image('ami-al2'),
      'ami-al2023': image(
        'ami-al2023',
        'al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
      ),
    });
    const api = await gateway().forLocation(ACCOUNT, REGION);
    await expect(
      api.describeImages!(['ami-al2', 'ami-custom', 'ami-al2', 'ami-al2023']),
    ).resolves.toEqual({
      'ami-al2': {
        imageId: 'ami-al2',
        name: 'amzn2-ami-ecs-hvm-2.0.ami-al2-x86_64-ebs',
        ownerId: '591542846629',
        ownerAlias: 'amazon',
        platformDetails: 'Linux/UNIX',
      },
      // Not visible to the account: absent from EC2's answer, null here, and no error.
      'ami-custom': null,
      'ami-al2023': expect.objectContaining({
        name: 'al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
      }),
    });
    expect(calls(ec2)).toEqual([
      {
        Filters: [
          { Name: 'image-id', Values: ['ami-al2', 'ami-custom', 'ami-al2023'] },
        ],
        IncludeDeprecated: true,
        IncludeDisabled: true,
        MaxResults: DESCRIBE_IMAGES_BATCH,
        NextToken: undefined,
      },
    ]);
  });

  it('splits the AMIs into batches of 200 filter values and follows every page', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => amiId(i));
    serveImages(
      ec2,
      Object.fromEntries(
        ids.filter((_, i) => i % 3 !== 0).map(id => [id, image(id)]),
      ),
      50,
    );
    const api = await gateway().forLocation(ACCOUNT, REGION);
    const images = await api.describeImages!(ids);
    expect(Object.keys(images)).toHaveLength(450);
    expect(Object.values(images).filter(i => i === null)).toHaveLength(150);
    expect(images[amiId(1)]?.imageId).toBe(amiId(1));
    expect(images[amiId(3)]).toBeNull();

    const sent = calls(ec2);
    const batches = [...new Set(sent.map(c => c.Filters![0].Values!.join()))];
    expect(batches.map(b => b.split(',').length)).toEqual([200, 200, 50]);
    // 200 ids, 2 of 3 visible: 134 images in pages of 50 → 3 calls; 50 ids → 34 images → 1 call.
    expect(sent.map(c => c.NextToken)).toEqual([
      undefined,
      '50',
      '100',
      undefined,
      '50',
      '100',
      undefined,
    ]);
    expect(sent.every(c => c.Filters![0].Values!.length <= 200)).toBe(true);
  });

  it('caches images for good and "cannot read" for an hour, per location', async () => {
    serveImages(ec2, { 'ami-al2': image('ami-al2') });
    const gw = gateway();
    const api = await gw.forLocation(ACCOUNT, REGION);
    await api.describeImages!(['ami-al2', 'ami-custom']);
    await api.describeImages!(['ami-al2', 'ami-custom']);
    expect(calls(ec2)).toHaveLength(1);

    // Within the hour, nothing is asked again; then only the unreadable AMI is.
    now += UNREADABLE_AMI_TTL_MS - 1;
    await api.describeImages!(['ami-custom', 'ami-al2']);
    expect(calls(ec2)).toHaveLength(1);
    now += 1;
    await expect(
      api.describeImages!(['ami-custom', 'ami-al2']),
    ).resolves.toEqual({
      'ami-custom': null,
      'ami-al2': expect.objectContaining({ imageId: 'ami-al2' }),
    });
    expect(calls(ec2).map(c => c.Filters![0].Values)).toEqual([
      ['ami-al2', 'ami-custom'],
      ['ami-custom'],
    ]);

    // Another account (or region) asks for itself: what it may read is its own.
    await (
      await gw.forLocation('222222222222', REGION)
    ).describeImages!(['ami-al2']);
    expect(calls(ec2)).toHaveLength(3);
  });

  it('shares an AMI asked for while it is being read: concurrent callers make one call', async () => {
    serveImages(ec2, { 'ami-a': image('ami-a'), 'ami-b': image('ami-b') });
    const api = await gateway().forLocation(ACCOUNT, REGION);
    const [first, second] = await Promise.all([
      api.describeImages!(['ami-a', 'ami-b']),
      api.describeImages!(['ami-b']),
    ]);
    expect(first['ami-b']).toEqual(second['ami-b']);
    expect(calls(ec2)).toHaveLength(1);
    // Nothing to read: no call at all.
    await expect(api.describeImages!([])).resolves.toEqual({});
    expect(calls(ec2)).toHaveLength(1);
  });

  it('rejects with the AWS error and caches nothing: the next refresh asks again', async () => {
    ec2
      .on(DescribeImagesCommand)
      .rejectsOnce(
        new EC2ServiceException({
          name: 'UnauthorizedOperation',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: 'You are not authorized to perform this operation.',
        }),
      )
      .resolves({ Images: [image('ami-al2')] });
    const api = await gateway().forLocation(ACCOUNT, REGION);
    const error = await api.describeImages!(['ami-al2']).catch(e => e);
    expect(errorAsData(error, new Date(0))).toMatchObject({
      kind: 'access-denied',
      name: 'UnauthorizedOperation',
    });
    await expect(api.describeImages!(['ami-al2'])).resolves.toEqual({
      'ami-al2': expect.objectContaining({ imageId: 'ami-al2' }),
    });
    expect(calls(ec2)).toHaveLength(2);
  });

  it('builds the EC2 client like the ECS one: region, credentials, paced retries, the HTTP handler, the endpoint', async () => {
    const ecs = mockClient(ECSClient);
    try {
      ecs.on(ListClustersCommand).resolves({ clusterArns: [] });
      serveImages(ec2, {});
      const endpointOf = async (options: {
        endpoint?: string;
        ec2Endpoint?: string;
      }) => {
        ec2.resetHistory();
        ecs.resetHistory();
        const api = await gateway(options).forLocation(ACCOUNT, REGION);
        await api.describeImages!(['ami-x']);
        await api.listClusterArns();
        const client = ec2.call(0).thisValue as EC2Client;
        const ecsClient = ecs.call(0).thisValue as ECSClient;
        expect(await client.config.region()).toBe(REGION);
        expect(await client.config.maxAttempts()).toBe(6);
        expect(await client.config.retryStrategy()).toBeInstanceOf(
          AdaptiveRetryStrategy,
        );
        // The location's one HTTP handler: its sockets and its calls-in-flight limit.
        expect(client.config.requestHandler).toBe(
          ecsClient.config.requestHandler,
        );
        expect(await client.config.credentials()).toMatchObject({
          accessKeyId: 'AKIATEST',
        });
        const ec2Url = client.config.endpoint
          ? await client.config.endpoint()
          : undefined;
        const ecsUrl = ecsClient.config.endpoint
          ? await ecsClient.config.endpoint()
          : undefined;
        return {
          ec2:
            ec2Url && `${ec2Url.protocol}//${ec2Url.hostname}:${ec2Url.port}`,
          ecs:
            ecsUrl && `${ecsUrl.protocol}//${ecsUrl.hostname}:${ecsUrl.port}`,
        };
      };
      // The development endpoint serves EC2 too…
      await expect(
        endpointOf({ endpoint: 'http://127.0.0.1:4510' }),
      ).resolves.toEqual({
        ec2: 'http://127.0.0.1:4510',
        ecs: 'http://127.0.0.1:4510',
      });
      // …unless EC2 has its own.
      await expect(
        endpointOf({
          endpoint: 'http://127.0.0.1:4510',
          ec2Endpoint: 'http://127.0.0.1:4511',
        }),
      ).resolves.toEqual({
        ec2: 'http://127.0.0.1:4511',
        ecs: 'http://127.0.0.1:4510',
      });
      // Neither: AWS's regional endpoints (resolved per call, not configured on the client).
      await expect(endpointOf({})).resolves.toEqual({
        ec2: undefined,
        ecs: undefined,
      });
    } finally {
      ecs.restore();
    }
  });
});

/**
 * The EC2 Query protocol on the wire (aws-sdk-client-mock bypasses serialization): a tiny EC2
 * endpoint that answers XML, as EC2 does.
 */
describe('AwsEcsGateway.describeImages (real SDK over HTTP, EC2 Query API)', () => {
  let server: http.Server;
  let url: string;
  let bodies: URLSearchParams[];
  let answer: (body: URLSearchParams) => { status: number; xml: string };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', c => {
        raw += c;
      });
      req.on('end', () => {
        const body = new URLSearchParams(raw);
        bodies.push(body);
        const { status, xml } = answer(body);
        res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' });
        res.end(xml);
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
  });
  beforeEach(() => {
    bodies = [];
  });

  const api = () =>
    new AwsEcsGateway({
      credentialsManager: credentialsManager().manager,
      endpoint: url,
      maxAttempts: 1,
    }).forLocation(ACCOUNT, REGION);

  it('sends Filter.1 image-id with every AMI and reads imagesSet', async () => {
    answer = () => ({
      status: 200,
      xml: `<?xml version="1.0" encoding="UTF-8"?>
<DescribeImagesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <imagesSet>
    <item>
      <imageId>ami-05cfa0ca0d4e1e6b2</imageId>
      <name>amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs</name>
      <imageOwnerId>591542846629</imageOwnerId>
      <imageOwnerAlias>amazon</imageOwnerAlias>
      <platformDetails>Linux/UNIX</platformDetails>
    </item>
  </imagesSet>
</DescribeImagesResponse>`,
    });
    const images = await (
      await api()
    ).describeImages!(['ami-05cfa0ca0d4e1e6b2', 'ami-0123456789abcdef0']);
    expect(images).toEqual({
      'ami-05cfa0ca0d4e1e6b2': {
        imageId: 'ami-05cfa0ca0d4e1e6b2',
        name: 'amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs',
        ownerId: '591542846629',
        ownerAlias: 'amazon',
        platformDetails: 'Linux/UNIX',
      },
      'ami-0123456789abcdef0': null,
    });
    expect(bodies).toHaveLength(1);
    const sent = Object.fromEntries(bodies[0]);
    expect(sent).toMatchObject({
      Action: 'DescribeImages',
      'Filter.1.Name': 'image-id',
      'Filter.1.Value.1': 'ami-05cfa0ca0d4e1e6b2',
      'Filter.1.Value.2': 'ami-0123456789abcdef0',
      IncludeDeprecated: 'true',
      IncludeDisabled: 'true',
      MaxResults: '200',
    });
    expect(Object.keys(sent).some(k => k.startsWith('ImageId'))).toBe(false);
  });

  it('reads an UnauthorizedOperation answer as access denied, with EC2’s message', async () => {
    answer = () => ({
      status: 403,
      xml: `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. User: arn:aws:iam::111111111111:user/inventory is not authorized to perform: ec2:DescribeImages because no identity-based policy allows the ec2:DescribeImages action</Message></Error></Errors><RequestID>req-1</RequestID></Response>`,
    });
    const error = await (
      await api()
    ).describeImages!(['ami-05cfa0ca0d4e1e6b2']).catch(e => e);
    expect(errorAsData(error, new Date(0))).toMatchObject({
      kind: 'access-denied',
      name: 'UnauthorizedOperation',
      message: expect.stringContaining(
        'not authorized to perform: ec2:DescribeImages',
      ),
    });
  });
});
