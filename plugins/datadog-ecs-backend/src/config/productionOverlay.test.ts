import path from 'node:path';
import { Config, ConfigReader } from '@backstage/config';
import { ConfigSources, loadConfig } from '@backstage/config-loader';
import { readDatadogEcsConfig } from './config';

/**
 * `app-config.production.yaml` on top of `app-config.yaml`, loaded the way Backstage loads them,
 * must not leave anything of the ECS emulator's demo setup behind: not its endpoint, not its
 * static AWS keys, not its demo accounts, not the plaintext API key.
 */
const repoRoot = path.resolve(__dirname, '../../../..');
const configPaths = [
  path.join(repoRoot, 'app-config.yaml'),
  path.join(repoRoot, 'app-config.production.yaml'),
];
const env: Record<string, string> = {
  POSTGRES_HOST: 'db.internal',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'secret',
};
const substitutionFunc = async (name: string) => env[name];

const DEMO_ACCOUNTS = ['111111111111', '222222222222', '333333333333'];

const loaders: Array<[string, () => Promise<Config>]> = [
  [
    // What the backend's rootConfig service does (backend-defaults rootConfigServiceFactory).
    'ConfigSources (the backend rootConfig service)',
    async () => {
      const config = await ConfigSources.toConfig(
        ConfigSources.defaultForTargets({
          rootDir: repoRoot,
          targets: configPaths.map(target => ({ type: 'path', target })),
          substitutionFunc,
        }),
      );
      config.close();
      return config;
    },
  ],
  [
    'loadConfig + ConfigReader.fromConfigs',
    async () => {
      const { appConfigs } = await loadConfig({
        configRoot: repoRoot,
        configTargets: configPaths.map(p => ({ path: p })),
        experimentalEnvFunc: substitutionFunc,
      });
      return ConfigReader.fromConfigs(appConfigs);
    },
  ],
];

describe.each(loaders)(
  'app-config.production.yaml, loaded with %s',
  (_how, load) => {
    let config: Config;
    beforeAll(async () => {
      config = await load();
    });

    it('really loads both files (PostgreSQL from production, the site from the defaults)', () => {
      expect(config.getString('backend.database.client')).toBe('pg');
      expect(config.getString('backend.database.connection.host')).toBe(
        'db.internal',
      );
      expect(config.getString('datadogEcs.site')).toBe('datadoghq.com');
      expect(config.getBoolean('datadogEcs.rollout.enabled')).toBe(false);
    });

    it('clears the emulator endpoint', () => {
      expect(config.has('datadogEcs.ecsEndpoint')).toBe(false);
      expect(
        config.getOptionalString('datadogEcs.ecsEndpoint'),
      ).toBeUndefined();
      // The key-by-key reads of other code see the same.
      expect(config.getConfig('datadogEcs').keys()).not.toContain(
        'ecsEndpoint',
      );
    });

    it('clears an EC2 endpoint too (EC2 would otherwise fall back to ecsEndpoint)', () => {
      expect(config.has('datadogEcs.ec2Endpoint')).toBe(false);
      expect(config.getConfig('datadogEcs').keys()).not.toContain(
        'ec2Endpoint',
      );
      const withDemoEc2 = ConfigReader.fromConfigs([
        {
          context: 'app-config.yaml',
          data: { datadogEcs: { ec2Endpoint: 'http://localhost:4510' } },
        },
        { context: 'production', data: { datadogEcs: { ec2Endpoint: null } } },
      ]);
      expect(withDemoEc2.has('datadogEcs.ec2Endpoint')).toBe(false);
    });

    it('keeps no static AWS keys and none of the demo accounts', () => {
      expect(config.getOptionalConfigArray('aws.accounts') ?? []).toEqual([]);
      expect(
        config.getOptionalConfigArray('datadogEcs.locations') ?? [],
      ).toEqual([]);
      expect(
        config.getOptionalConfigArray('datadogEcs.rollout.apiKeys') ?? [],
      ).toEqual([]);
    });

    it('keeps neither of the development sign-in providers', () => {
      expect(config.has('auth.providers.guest')).toBe(false);
      expect(config.has('auth.providers.demo')).toBe(false);
    });

    it('has none of the demo values anywhere in the merged config', () => {
      // getOptional() merges the whole tree as config schema validation and frontend config see it.
      const merged = JSON.stringify(config.getOptional());
      for (const leftover of [
        'localhost:4510',
        'AKIAEMULATOR',
        'emulator-secret',
        'not-a-valid-secret',
        'accessKeyId',
        'secretAccessKey',
        'plaintextApiKey',
        'dev-only-not-a-real-datadog-api-key',
        ...DEMO_ACCOUNTS,
      ]) {
        expect(merged).not.toContain(leftover);
      }
    });

    it('reads as a valid datadogEcs config in production: no locations, no endpoint, no API keys', () => {
      const read = readDatadogEcsConfig(config, { env: 'production' });
      expect(read).toMatchObject({
        locations: [],
        ecsEndpoint: undefined,
        ec2Endpoint: undefined,
        site: 'datadoghq.com',
        rollout: expect.objectContaining({ enabled: false }),
      });
      expect(read.rollout.apiKeys.size).toBe(0);
    });

    it('refuses a plain-HTTP ecsEndpoint put back in production, naming the key', () => {
      const withEndpoint = (ecsEndpoint: string) =>
        ConfigReader.fromConfigs([
          { context: 'production', data: config.get() },
          { context: 'override', data: { datadogEcs: { ecsEndpoint } } },
        ]);
      expect(() =>
        readDatadogEcsConfig(withEndpoint('http://localhost:4510'), {
          env: 'production',
        }),
      ).toThrow(
        /^Invalid config at 'datadogEcs\.ecsEndpoint': 'http:\/\/localhost:4510' is plain HTTP/,
      );
      expect(
        readDatadogEcsConfig(
          withEndpoint('https://ecs-fips.us-east-1.amazonaws.com'),
          {
            env: 'production',
          },
        ).ecsEndpoint,
      ).toBe('https://ecs-fips.us-east-1.amazonaws.com');
    });

    it('refuses a plain-HTTP ec2Endpoint put back in production, naming the key', () => {
      const withEndpoint = (ec2Endpoint: string) =>
        ConfigReader.fromConfigs([
          { context: 'production', data: config.get() },
          { context: 'override', data: { datadogEcs: { ec2Endpoint } } },
        ]);
      expect(() =>
        readDatadogEcsConfig(withEndpoint('http://localhost:4510'), {
          env: 'production',
        }),
      ).toThrow(
        /^Invalid config at 'datadogEcs\.ec2Endpoint': 'http:\/\/localhost:4510' is plain HTTP/,
      );
      expect(
        readDatadogEcsConfig(
          withEndpoint('https://ec2-fips.us-east-1.amazonaws.com'),
          { env: 'production' },
        ).ec2Endpoint,
      ).toBe('https://ec2-fips.us-east-1.amazonaws.com');
    });
  },
);

describe('app-config.yaml alone (the demo)', () => {
  it('still reaches the emulator in development', async () => {
    const { appConfigs } = await loadConfig({
      configRoot: repoRoot,
      configTargets: [{ path: configPaths[0] }],
      experimentalEnvFunc: substitutionFunc,
    });
    const read = readDatadogEcsConfig(ConfigReader.fromConfigs(appConfigs), {
      env: 'development',
    });
    expect(read.ecsEndpoint).toBe('http://localhost:4510');
    expect(read.locations.map(l => l.accountId)).toEqual(
      expect.arrayContaining(DEMO_ACCOUNTS),
    );
    expect(() =>
      readDatadogEcsConfig(ConfigReader.fromConfigs(appConfigs), {
        env: 'production',
      }),
    ).toThrow("Invalid config at 'datadogEcs.ecsEndpoint'");
  });
});

describe('ConfigReader.fromConfigs merge rules the production overlay relies on', () => {
  const merged = ConfigReader.fromConfigs([
    {
      context: 'app-config.yaml',
      data: {
        a: {
          endpoint: 'http://localhost:4510',
          list: [{ x: 1 }, { x: 2 }],
          keep: 'yes',
        },
        providers: { guest: { user: 'g' } },
      },
    },
    {
      context: 'app-config.production.yaml',
      data: { a: { endpoint: null, list: [] }, providers: {} },
    },
  ]);

  it('null in a later file unsets the earlier value', () => {
    expect(merged.has('a.endpoint')).toBe(false);
    expect(merged.getOptionalString('a.endpoint')).toBeUndefined();
    expect(merged.getOptional('a')).toEqual({ list: [], keep: 'yes' });
  });

  it('an array in a later file replaces the earlier array', () => {
    expect(merged.getOptionalConfigArray('a.list')).toEqual([]);
  });

  it('an empty object in a later file does not remove the earlier keys', () => {
    expect(merged.has('providers.guest')).toBe(true);
  });
});
