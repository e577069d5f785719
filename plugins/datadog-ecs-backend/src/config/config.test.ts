import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readDatadogEcsConfig } from './config';

const validLocations = [
  {
    accountId: '111111111111',
    name: 'production',
    regions: ['us-east-1', 'eu-west-1'],
  },
  {
    accountId: '222222222222',
    regions: ['us-east-1'],
    clusters: ['staging-web'],
  },
];

function read(datadogEcs: JsonObject) {
  return readDatadogEcsConfig(new ConfigReader({ datadogEcs }));
}

describe('readDatadogEcsConfig', () => {
  it('reads a valid config, one location per account-region', () => {
    const config = read({
      locations: validLocations,
      ecsEndpoint: 'http://localhost:4510',
      site: 'datadoghq.eu',
      agentDetection: {
        imageRepositories: [
          '123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/agent',
        ],
        taskDefinitionFamilies: ['dd-agent'],
      },
      refresh: {
        schedule: { frequency: { minutes: 10 }, timeout: { minutes: 5 } },
        minIntervalSeconds: 60,
        locationConcurrency: 2,
        clusterConcurrency: 16,
      },
      history: { retentionDays: 90 },
    });
    // toMatchObject: other sections (e.g. rollout) are read by their own code.
    expect(config).toMatchObject({
      locations: [
        {
          accountId: '111111111111',
          region: 'us-east-1',
          name: 'production',
          clusters: undefined,
        },
        {
          accountId: '111111111111',
          region: 'eu-west-1',
          name: 'production',
          clusters: undefined,
        },
        {
          accountId: '222222222222',
          region: 'us-east-1',
          name: undefined,
          clusters: ['staging-web'],
        },
      ],
      ecsEndpoint: 'http://localhost:4510',
      site: 'datadoghq.eu',
      agentImageRepositories: [
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/agent',
      ],
      agentTaskDefinitionFamilies: ['dd-agent'],
      refreshSchedule: expect.objectContaining({
        frequency: { minutes: 10 },
        timeout: { minutes: 5 },
      }),
      refreshMinIntervalSeconds: 60,
      locationConcurrency: 2,
      clusterConcurrency: 16,
      historyRetentionDays: 90,
    });
    expect(config.locations).toHaveLength(3);
  });

  it('has defaults for everything but the locations', () => {
    const config = readDatadogEcsConfig(new ConfigReader({}));
    expect(config).toMatchObject({
      locations: [],
      ecsEndpoint: undefined,
      ec2Endpoint: undefined,
      site: 'datadoghq.com',
      agentImageRepositories: [],
      agentTaskDefinitionFamilies: [],
      refreshSchedule: { frequency: { minutes: 5 }, timeout: { minutes: 4 } },
      refreshMinIntervalSeconds: 30,
      locationConcurrency: 4,
      clusterConcurrency: 16,
      callsInFlight: 12,
      historyRetentionDays: 30,
    });
  });

  it.each([
    [
      'an account id that is not 12 digits',
      {
        locations: [
          validLocations[0],
          { accountId: '12345', regions: ['us-east-1'] },
        ],
      },
      "Invalid config at 'datadogEcs.locations[1].accountId'",
    ],
    [
      'a bad region',
      {
        locations: [
          { accountId: '111111111111', regions: ['us-east-1', 'Europe'] },
        ],
      },
      "Invalid config at 'datadogEcs.locations[0].regions[1]'",
    ],
    [
      'no region',
      { locations: [{ accountId: '111111111111', regions: [] }] },
      "Invalid config at 'datadogEcs.locations[0].regions'",
    ],
    [
      'a location configured twice',
      {
        locations: [
          { accountId: '111111111111', regions: ['us-east-1'] },
          { accountId: '111111111111', regions: ['eu-west-1', 'us-east-1'] },
        ],
      },
      "Invalid config at 'datadogEcs.locations[1].regions[1]': 111111111111/us-east-1 is configured twice",
    ],
    [
      'no calls in flight',
      { callsInFlight: 0 },
      "Invalid config at 'datadogEcs.callsInFlight': must be an integer from 1 to 256, got 0",
    ],
    [
      'an ecsEndpoint that is not a URL',
      { ecsEndpoint: 'localhost:4510' },
      "Invalid config at 'datadogEcs.ecsEndpoint'",
    ],
    [
      'an ecsEndpoint that is not http(s)',
      { ecsEndpoint: 'ftp://example.com' },
      "Invalid config at 'datadogEcs.ecsEndpoint'",
    ],
    [
      'an ec2Endpoint that is not a URL',
      { ec2Endpoint: 'localhost:4510' },
      "Invalid config at 'datadogEcs.ec2Endpoint': 'localhost:4510' is not an http(s) URL",
    ],
    [
      'an ec2Endpoint that is not http(s)',
      { ecsEndpoint: 'http://localhost:4510', ec2Endpoint: 'ftp://example.com' },
      "Invalid config at 'datadogEcs.ec2Endpoint'",
    ],
    [
      'an unknown site',
      { site: 'datadoghq.org' },
      "Invalid config at 'datadogEcs.site'",
    ],
    [
      'a location concurrency of 0',
      { refresh: { locationConcurrency: 0 } },
      "Invalid config at 'datadogEcs.refresh.locationConcurrency'",
    ],
    [
      'a cluster concurrency above 64',
      { refresh: { clusterConcurrency: 65 } },
      "Invalid config at 'datadogEcs.refresh.clusterConcurrency'",
    ],
    [
      'a fractional minIntervalSeconds',
      { refresh: { minIntervalSeconds: 1.5 } },
      "Invalid config at 'datadogEcs.refresh.minIntervalSeconds'",
    ],
    [
      'a retention of 0 days',
      { history: { retentionDays: 0 } },
      "Invalid config at 'datadogEcs.history.retentionDays'",
    ],
  ])('rejects %s, naming the key', (_what, datadogEcs, message) => {
    expect(() => read(datadogEcs)).toThrow(message);
  });

  it('rejects an account id written as a YAML number', () => {
    expect(() =>
      read({
        locations: [{ accountId: 111111111111, regions: ['us-east-1'] }],
      }),
    ).toThrow(/datadogEcs\.locations\[0\]\.accountId/);
  });
});

describe('readDatadogEcsConfig: ecsEndpoint outside development', () => {
  const savedNodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    if (savedNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = savedNodeEnv;
  });

  const withEndpoint = (ecsEndpoint: string) =>
    new ConfigReader({ datadogEcs: { ecsEndpoint } });

  it.each(['development', 'test'])(
    'accepts a plain-HTTP endpoint (the local emulator) in %s',
    env => {
      expect(
        readDatadogEcsConfig(withEndpoint('http://localhost:4510'), { env })
          .ecsEndpoint,
      ).toBe('http://localhost:4510');
    },
  );

  it.each(['production', 'staging', '', undefined])(
    'refuses a plain-HTTP endpoint when NODE_ENV is %p, naming the key and the fix',
    env => {
      // With env undefined the option falls back to process.env.NODE_ENV: unset it too.
      if (env === undefined) delete process.env.NODE_ENV;
      expect(() =>
        readDatadogEcsConfig(withEndpoint('http://localhost:4510'), { env }),
      ).toThrow(
        /^Invalid config at 'datadogEcs\.ecsEndpoint': 'http:\/\/localhost:4510' is plain HTTP, which is allowed only in development .*Remove datadogEcs\.ecsEndpoint .*or give an https:\/\/ endpoint/,
      );
    },
  );

  it('refuses plain HTTP to any host, not only localhost', () => {
    expect(() =>
      readDatadogEcsConfig(withEndpoint('http://ecs.us-east-1.amazonaws.com'), {
        env: 'production',
      }),
    ).toThrow("Invalid config at 'datadogEcs.ecsEndpoint'");
  });

  it.each([
    'https://ecs-fips.us-east-1.amazonaws.com',
    'https://vpce-0123456789abcdef0-abcdefgh.ecs.us-east-1.vpce.amazonaws.com',
  ])('accepts the HTTPS endpoint %s in production', ecsEndpoint => {
    expect(
      readDatadogEcsConfig(withEndpoint(ecsEndpoint), { env: 'production' })
        .ecsEndpoint,
    ).toBe(ecsEndpoint);
  });

  it('accepts no endpoint in production', () => {
    expect(
      readDatadogEcsConfig(new ConfigReader({}), { env: 'production' })
        .ecsEndpoint,
    ).toBeUndefined();
  });

  it('defaults to process.env.NODE_ENV', () => {
    process.env.NODE_ENV = 'production';
    expect(() =>
      readDatadogEcsConfig(withEndpoint('http://localhost:4510')),
    ).toThrow("Invalid config at 'datadogEcs.ecsEndpoint'");
    process.env.NODE_ENV = 'development';
    expect(
      readDatadogEcsConfig(withEndpoint('http://localhost:4510')).ecsEndpoint,
    ).toBe('http://localhost:4510');
  });

  it('still rejects a non-http(s) endpoint in development, before the HTTP rule', () => {
    expect(() =>
      readDatadogEcsConfig(withEndpoint('ftp://example.com'), {
        env: 'development',
      }),
    ).toThrow("'ftp://example.com' is not an http(s) URL");
  });
});

describe('readDatadogEcsConfig: ec2Endpoint, validated like ecsEndpoint', () => {
  const withEndpoints = (endpoints: { ecsEndpoint?: string; ec2Endpoint?: string }) =>
    new ConfigReader({ datadogEcs: endpoints });

  it('reads it as configured, without filling it from ecsEndpoint (the gateway falls back)', () => {
    expect(
      readDatadogEcsConfig(
        withEndpoints({
          ecsEndpoint: 'http://localhost:4510',
          ec2Endpoint: 'http://localhost:4511',
        }),
        { env: 'development' },
      ),
    ).toMatchObject({
      ecsEndpoint: 'http://localhost:4510',
      ec2Endpoint: 'http://localhost:4511',
    });
    expect(
      readDatadogEcsConfig(
        withEndpoints({ ecsEndpoint: 'http://localhost:4510' }),
        { env: 'test' },
      ).ec2Endpoint,
    ).toBeUndefined();
  });

  it.each(['production', 'staging', ''])(
    'refuses a plain-HTTP ec2Endpoint when NODE_ENV is %p, naming the key and the fix',
    env => {
      expect(() =>
        readDatadogEcsConfig(
          withEndpoints({ ec2Endpoint: 'http://localhost:4510' }),
          { env },
        ),
      ).toThrow(
        /^Invalid config at 'datadogEcs\.ec2Endpoint': 'http:\/\/localhost:4510' is plain HTTP, which is allowed only in development .*EC2 calls would carry .*Remove datadogEcs\.ec2Endpoint .*or give an https:\/\/ endpoint/,
      );
    },
  );

  it('accepts an HTTPS EC2 endpoint in production next to an HTTPS ECS one', () => {
    expect(
      readDatadogEcsConfig(
        withEndpoints({
          ecsEndpoint: 'https://ecs-fips.us-east-1.amazonaws.com',
          ec2Endpoint: 'https://ec2-fips.us-east-1.amazonaws.com',
        }),
        { env: 'production' },
      ),
    ).toMatchObject({
      ecsEndpoint: 'https://ecs-fips.us-east-1.amazonaws.com',
      ec2Endpoint: 'https://ec2-fips.us-east-1.amazonaws.com',
    });
  });
});

describe('datadogEcs.catalog and locations[].defaultOwner', () => {
  it('defaults to the owner and system tags, with no default owner', () => {
    expect(readDatadogEcsConfig(new ConfigReader({})).ownership).toEqual({
      ownerTag: 'owner',
      systemTag: 'system',
      defaultOwner: undefined,
    });
  });

  it('reads the tag keys and the owners as entity refs', () => {
    const config = readDatadogEcsConfig(
      new ConfigReader({
        datadogEcs: {
          catalog: {
            ownerTag: 'team',
            systemTag: 'app',
            defaultOwner: 'platform',
          },
          locations: [
            {
              accountId: '111111111111',
              regions: ['us-east-1'],
              defaultOwner: 'group:ops/sre',
            },
          ],
        },
      }),
    );
    expect(config.ownership).toEqual({
      ownerTag: 'team',
      systemTag: 'app',
      defaultOwner: 'group:default/platform',
    });
    expect(config.locations[0].defaultOwner).toBe('group:ops/sre');
  });

  it.each([
    [{ catalog: { defaultOwner: 'not a ref' } }, 'datadogEcs.catalog.defaultOwner'],
    [{ catalog: { ownerTag: ' ' } }, 'datadogEcs.catalog.ownerTag'],
    [
      {
        locations: [
          { accountId: '111111111111', regions: ['us-east-1'], defaultOwner: 'a/b/c' },
        ],
      },
      'datadogEcs.locations[0].defaultOwner',
    ],
  ])('refuses %j naming %s', (datadogEcs, key) => {
    expect(() =>
      readDatadogEcsConfig(new ConfigReader({ datadogEcs })),
    ).toThrow(`Invalid config at '${key}'`);
  });
});
