import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  AccessDeniedException,
  CreateServiceCommand,
  DescribeClustersCommand,
  ListClustersCommand,
  ListServicesCommand,
  ECSClient,
  paginateListClusters,
  DescribeServicesCommand,
} from '@aws-sdk/client-ecs';
import {
  controlCall,
  PROD,
  setupEmulator,
  STAGING,
} from './__testUtils__/setup';
import { parseArgs } from './cli';
import { startEcsEmulator } from './index';

describe('authentication', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  beforeAll(async () => {
    ctx = await setupEmulator();
  });
  afterAll(() => ctx.stop());

  it('rejects an unknown access key id like AWS', async () => {
    const c = ctx.client(PROD, 'us-east-1', {
      accessKeyId: 'AKIAUNKNOWN000000000',
    });
    const err = await c.send(new ListClustersCommand({})).catch(e => e);
    expect(err.name).toBe('UnrecognizedClientException');
    expect(err.message).toBe(
      'The security token included in the request is invalid.',
    );
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  it('verifies the SigV4 signature when the fleet knows the secret', async () => {
    const c = ctx.client(PROD, 'us-east-1', {
      secretAccessKey: 'wrong-secret',
    });
    const err = await c.send(new ListClustersCommand({})).catch(e => e);
    expect(err.name).toBe('InvalidSignatureException');
  });

  it('accepts any signature when the fleet has no secret', async () => {
    const emu = await startEcsEmulator({
      fleet: {
        name: 'tiny',
        accounts: [
          {
            accountId: '333333333333',
            accessKeys: [{ accessKeyId: 'AKIATINY' }],
          },
        ],
        clusters: [
          { accountId: '333333333333', region: 'ap-south-1', name: 'c1' },
        ],
      },
    });
    try {
      const c = new ECSClient({
        endpoint: emu.url,
        region: 'ap-south-1',
        credentials: { accessKeyId: 'AKIATINY', secretAccessKey: 'anything' },
      });
      const out = await c.send(new ListClustersCommand({}));
      expect(out.clusterArns).toEqual([
        'arn:aws:ecs:ap-south-1:333333333333:cluster/c1',
      ]);
      c.destroy();
    } finally {
      await emu.stop();
    }
  });

  it('answers AccessDeniedException for actions a key may not call', async () => {
    const c = ctx.client(PROD, 'us-east-1', {
      accessKeyId: 'AKIAEMULATORREADONLY1',
    });
    expect(
      (await c.send(new ListClustersCommand({}))).clusterArns!.length,
    ).toBe(4);
    await expect(
      c.send(
        new CreateServiceCommand({
          cluster: 'sandbox',
          serviceName: 'x',
          taskDefinition: 'checkout-api',
          desiredCount: 0,
        }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedException);
  });

  it('takes the region from the signature scope', async () => {
    const out = await ctx
      .client(STAGING, 'eu-west-1')
      .send(new DescribeClustersCommand({ clusters: ['edge-anywhere'] }));
    expect(out.clusters![0].clusterArn).toBe(
      'arn:aws:ecs:eu-west-1:222222222222:cluster/edge-anywhere',
    );
    const empty = await ctx
      .client(STAGING, 'ap-northeast-1')
      .send(new ListClustersCommand({}));
    expect(empty.clusterArns).toEqual([]);
  });
});

describe('faults and counters', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  beforeEach(async () => {
    ctx = await setupEmulator();
  });
  afterEach(() => ctx.stop());

  it('throttles reads with a token bucket; the SDK sees ThrottlingException and retries', async () => {
    ctx.emu.control.setFaults({
      throttle: { read: { burst: 5, refillPerSecond: 40 } },
    });
    const noRetry = ctx.client(PROD, 'us-east-1', { maxAttempts: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        noRetry.send(new ListClustersCommand({})),
      ),
    );
    const rejected = results.filter(
      r => r.status === 'rejected',
    ) as PromiseRejectedResult[];
    expect(rejected.length).toBeGreaterThanOrEqual(4);
    expect(rejected[0].reason.name).toBe('ThrottlingException');
    expect(rejected[0].reason.message).toBe('Rate exceeded');
    expect(rejected[0].reason.$metadata.httpStatusCode).toBe(400);

    ctx.emu.control.resetCounters();
    await new Promise(r => setTimeout(r, 200)); // refill
    const retrying = ctx.client(PROD, 'us-east-1', {
      maxAttempts: 6,
      retryMode: 'standard',
    });
    const ok = await Promise.all(
      Array.from({ length: 8 }, () =>
        retrying.send(new ListClustersCommand({})),
      ),
    );
    expect(ok).toHaveLength(8);
    const counters = ctx.emu.control.counters();
    expect(counters.operations.ListClusters.throttled).toBeGreaterThan(0);
    expect(counters.operations.ListClusters.calls).toBe(
      8 + counters.operations.ListClusters.throttled,
    );
    expect(counters.accounts['111111111111/us-east-1'].calls).toBe(
      counters.operations.ListClusters.calls,
    );
    // writes are not in the read bucket
    expect(ctx.emu.control.faults().throttle).toBeDefined();
  });

  it('buckets are per account and region', async () => {
    ctx.emu.control.setFaults({
      throttle: { read: { burst: 2, refillPerSecond: 0.001 } },
    });
    const a = ctx.client(PROD, 'us-east-1');
    await a.send(new ListClustersCommand({}));
    await a.send(new ListClustersCommand({}));
    await expect(a.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    await expect(
      ctx.client(PROD, 'eu-west-1').send(new ListClustersCommand({})),
    ).resolves.toBeDefined();
    await expect(
      ctx.client(STAGING, 'us-east-1').send(new ListClustersCommand({})),
    ).resolves.toBeDefined();
    // DescribeClusters has its own bucket
    await expect(
      a.send(new DescribeClustersCommand({ clusters: ['prod-web'] })),
    ).resolves.toBeDefined();
  });

  it('injects server errors and connection resets', async () => {
    const c = ctx.client(PROD, 'us-east-1');
    ctx.emu.control.setFaults({ errorRate: 1, operations: ['ListServices'] });
    const err = await c
      .send(new ListServicesCommand({ cluster: 'prod-web' }))
      .catch(e => e);
    expect(['ServerException', 'ServiceUnavailableException']).toContain(
      err.name,
    );
    expect([500, 503]).toContain(err.$metadata.httpStatusCode);
    await expect(c.send(new ListClustersCommand({}))).resolves.toBeDefined();

    ctx.emu.control.setFaults({ resetRate: 1 });
    await expect(c.send(new ListClustersCommand({}))).rejects.toThrow();
    expect(ctx.emu.control.counters().total.resets).toBe(1);

    ctx.emu.control.setFaults({ latencyMs: 50 });
    const start = Date.now();
    await c.send(new ListClustersCommand({}));
    expect(Date.now() - start).toBeGreaterThanOrEqual(45);
  });

  it('exposes the control API over HTTP', async () => {
    const url = ctx.emu.url;
    await ctx.client(PROD, 'us-east-1').send(new ListClustersCommand({}));
    const counters = await controlCall(url, 'GET', '/_emulator/counters');
    expect(counters.json.operations.ListClusters.calls).toBe(1);
    await controlCall(url, 'POST', '/_emulator/counters/reset');
    expect(
      (await controlCall(url, 'GET', '/_emulator/counters')).json.total.calls,
    ).toBe(0);

    const faults = await controlCall(url, 'POST', '/_emulator/faults', {
      throttle: true,
      latencyMs: 0,
    });
    expect(faults.json.throttle).toBe(true);
    const patched = await controlCall(url, 'PATCH', '/_emulator/faults', {
      errorRate: 0.5,
    });
    expect(patched.json).toMatchObject({ throttle: true, errorRate: 0.5 });

    const before = (await controlCall(url, 'GET', '/_emulator/clock')).json.now;
    const after = await controlCall(url, 'POST', '/_emulator/clock/advance', {
      ms: 5000,
    });
    expect(after.json.now).toBe(before + 5000);
    expect(after.json.mode).toBe('manual');

    const joined = await controlCall(url, 'POST', '/_emulator/instances/join', {
      accountId: PROD,
      region: 'eu-west-1',
      cluster: 'prod-eu-payments',
      count: 2,
      profile: 'al2023',
      instanceType: 't3.medium',
    });
    expect(joined.json.containerInstanceArns).toHaveLength(2);
    const drained = await controlCall(
      url,
      'POST',
      '/_emulator/instances/drain',
      {
        accountId: PROD,
        region: 'eu-west-1',
        cluster: 'prod-eu-payments',
        containerInstance: joined.json.containerInstanceArns[0],
      },
    );
    expect(drained.json.status).toBe('DRAINING');
    const state = await controlCall(
      url,
      'GET',
      '/_emulator/state?accountId=111111111111&region=eu-west-1',
    );
    expect(state.json.clusters.map((c: any) => c.clusterName).sort()).toEqual([
      'prod-al2-docker19',
      'prod-eu-legacy',
      'prod-eu-payments',
      'prod-mixed',
    ]);
    const fleet = await controlCall(url, 'GET', '/_emulator/fleet');
    expect(fleet.json.accounts[0].accessKeys[0]).toEqual({
      accessKeyId: 'AKIAEMULATOR111111111',
      secretAccessKey: 'emulator-secret-111',
    });
    expect((await controlCall(url, 'GET', '/_emulator/nope')).status).toBe(404);
    expect(
      (
        await controlCall(url, 'POST', '/_emulator/instances/drain', {
          accountId: PROD,
          region: 'eu-west-1',
          cluster: 'prod-eu-payments',
          containerInstance: 'x',
        })
      ).status,
    ).toBe(400);
  });
});

describe('fleets', () => {
  it('starts scale:100x100 quickly and serves it', async () => {
    const started = Date.now();
    const emu = await startEcsEmulator({ fleet: 'scale:100x100' });
    const elapsed = Date.now() - started;
    try {
      expect(elapsed).toBeLessThan(5000);
      let total = 0;
      for (const [accountId, region] of [
        [PROD, 'us-east-1'],
        [PROD, 'eu-west-1'],
        [STAGING, 'us-east-1'],
        [STAGING, 'eu-west-1'],
      ]) {
        const c = new ECSClient(emu.clientConfig({ accountId, region }));
        for await (const page of paginateListClusters(
          { client: c, pageSize: 10 },
          {},
        ))
          total += page.clusterArns!.length;
        c.destroy();
      }
      expect(total).toBe(100);
      const c = new ECSClient(
        emu.clientConfig({ accountId: PROD, region: 'us-east-1' }),
      );
      const svc = (
        await c.send(
          new DescribeServicesCommand({
            cluster: 'scale-0001',
            services: ['datadog-agent'],
          }),
        )
      ).services![0];
      expect(svc.desiredCount).toBe(100);
      expect(svc.runningCount).toBeGreaterThan(90);
      expect(svc.runningCount).toBeLessThan(100);
      c.destroy();
    } finally {
      await emu.stop();
    }
  });

  it('loads the example fleet file', async () => {
    const emu = await startEcsEmulator({
      fleet: join(__dirname, '..', 'fleets', 'example.json'),
    });
    try {
      const state = emu.control.state();
      expect(state.clusters.length).toBeGreaterThan(0);
      expect(state.clusters[0].services[0].runningCount).toBeGreaterThan(0);
    } finally {
      await emu.stop();
    }
  });
});

describe('cli', () => {
  it('parses flags', () => {
    const o = parseArgs([
      '--port',
      '0',
      '--fleet',
      'scale:2x3',
      '--throttle-burst=10',
      '--throttle-op',
      'CreateService=5/1',
      '--latency',
      '20',
      '--error-rate',
      '0.1',
      '--clock',
      'manual',
    ]);
    expect(o).toMatchObject({
      port: 0,
      fleet: 'scale:2x3',
      clock: { mode: 'manual' },
      faults: {
        latencyMs: 20,
        errorRate: 0.1,
        throttle: {
          read: { burst: 10, refillPerSecond: 20 },
          operations: { CreateService: { burst: 5, refillPerSecond: 1 } },
        },
      },
    });
    expect(() => parseArgs(['--bogus'])).toThrow('Unknown option --bogus');
  });

  it('starts with --fleet demo and prints the URL and credentials', async () => {
    const bin = join(__dirname, '..', 'bin', 'ecs-emulator');
    const child = spawn(
      process.execPath,
      [bin, '--port', '0', '--fleet', 'demo'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timeout; output so far: ${out}`)),
          20000,
        );
        child.stdout!.on('data', d => {
          out += d;
          if (
            out.includes('AKIAEMULATOR222222222') &&
            out.includes('Example:')
          ) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.stderr!.on('data', d => (out += d));
        child.on('exit', code =>
          reject(new Error(`exited with ${code}: ${out}`)),
        );
      });
      const url = /listening on (http:\/\/[\d.:]+)/.exec(out)![1];
      expect(out).toContain('AKIAEMULATOR111111111 / emulator-secret-111');
      const health = await controlCall(url, 'GET', '/_emulator/health');
      expect(health.json).toMatchObject({
        ok: true,
        fleet: 'demo',
        clock: { mode: 'realtime' },
      });
    } finally {
      child.removeAllListeners('exit');
      child.kill('SIGTERM');
    }
  }, 30000);
});
