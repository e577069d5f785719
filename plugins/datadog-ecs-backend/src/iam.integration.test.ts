/*
 * The IAM policies in iam/ are a tested artifact: the emulator evaluates them per access key, the
 * plugin runs through the real SDK and the real router, and each action in each file is shown to be
 * needed by removing it and watching the inventory or a rollout fail because of it.
 */
import {
  PolicyDocument,
  startEcsEmulator,
} from '@ecs-agent-coverage/ecs-emulator';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  daemonWriteCalls,
  Emulator,
  followToEnd,
  LEGACY,
  PAYMENTS,
  Server,
  refreshSnapshot,
  startBackend,
  writeCalls,
} from './__testUtils__/integration';

jest.setTimeout(60_000);

type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
};
type Policy = { Version: string; Statement: Statement[] };

const IAM_DIR = path.resolve(__dirname, '..', 'iam');
const readPolicy = (file: string): Policy =>
  JSON.parse(fs.readFileSync(path.join(IAM_DIR, file), 'utf8'));

const INVENTORY = readPolicy('inventory-policy.json');
const ROLLOUT = readPolicy('rollout-policy.json');

const asList = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** Every action a policy allows, in file order. */
function actionsOf(policy: Policy): string[] {
  return policy.Statement.filter(s => s.Effect === 'Allow').flatMap(s =>
    asList(s.Action),
  );
}

/** The policy without `action` (a statement left with no action is dropped). */
function without(policy: Policy, action: string): Policy {
  return {
    ...policy,
    Statement: policy.Statement.map(s => ({
      ...s,
      Action: asList(s.Action).filter(a => a !== action),
    })).filter(s => s.Action.length > 0),
  };
}

/** One document with the statements of all of them (what attaching both policies grants). */
function merge(...policies: Policy[]): Policy {
  return {
    Version: '2012-10-17',
    Statement: policies.flatMap(p => p.Statement),
  };
}

const ACCOUNTS: Record<string, string> = {
  '111111111111': 'AKIAEMULATOR111111111',
  '222222222222': 'AKIAEMULATOR222222222',
};

/** Where AWS names the action it refused (the AccessDeniedException message). */
const refusedMessage = (action: string) =>
  `not authorized to perform: ${action} `;

/**
 * Gateway methods the plugin never calls (nothing outside src/aws/ uses them): their actions are
 * left out of the policies. Calling one from the plugin fails the test below until its action is
 * added to a policy (with the test that needs it).
 */
const NOT_CALLED: Record<string, string> = {
  'ecs:ListServiceDeployments': 'listServiceDeploymentArns',
  'ecs:ListDaemonDeployments': 'listDaemonDeploymentArns',
};

/** The demo fleet's ECS Managed Instances clusters (fleet demo+managed), which managed daemons serve. */
const STAGING_MANAGED =
  '/api/datadog-ecs/clusters/222222222222/us-east-1/staging-managed';
const PROD_MANAGED =
  '/api/datadog-ecs/clusters/111111111111/us-east-1/prod-managed';

/** Rollout actions only a cancel with rollback needs (a rollout makes no such call). */
const CANCEL_ONLY = ['ecs:StopServiceDeployment'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory())
      return e.name === '__testUtils__' ? [] : sourceFiles(p);
    return /\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [p] : [];
  });
}

/** The gateway's files, each with the IAM prefix of the service its commands go to. */
const GATEWAY_FILES: Record<string, string> = {
  'AwsEcsGateway.ts': 'ecs',
  'Ec2Images.ts': 'ec2',
};

describe('the IAM policies cover the gateway', () => {
  const sent = [
    ...new Set(
      Object.entries(GATEWAY_FILES).flatMap(([file, prefix]) =>
        [
          ...fs
            .readFileSync(path.join(__dirname, 'aws', file), 'utf8')
            .matchAll(/new (\w+)Command\(/g),
        ].map(m => `${prefix}:${m[1]}`),
      ),
    ),
  ];
  const allowed = [...actionsOf(INVENTORY), ...actionsOf(ROLLOUT)];

  it('lists every ECS and EC2 action the gateway sends, except those of methods never called', () => {
    expect(sent).toContain('ec2:DescribeImages');
    expect(
      sent.filter(a => !allowed.includes(a) && !(a in NOT_CALLED)),
    ).toEqual([]);
    expect(
      allowed.filter(
        a =>
          (a.startsWith('ecs:') || a.startsWith('ec2:')) &&
          a !== 'ecs:TagResource' &&
          !sent.includes(a),
      ),
    ).toEqual([]);
  });

  it('finds no AWS client outside the gateway files', () => {
    const clients = sourceFiles(__dirname).filter(
      f =>
        !Object.keys(GATEWAY_FILES).some(
          g => f === path.join(__dirname, 'aws', g),
        ) && /new (ECS|EC2)Client\(|new \w+Command\(/.test(fs.readFileSync(f, 'utf8')),
    );
    expect(clients).toEqual([]);
  });

  it.each(Object.entries(NOT_CALLED))(
    '%s: %s is not called outside src/aws/',
    (_action, method) => {
      const callers = sourceFiles(__dirname)
        .filter(f => !f.startsWith(path.join(__dirname, 'aws') + path.sep))
        .filter(f => fs.readFileSync(f, 'utf8').includes(`.${method}(`));
      expect(callers).toEqual([]);
    },
  );
});

describe('the IAM policies in iam/', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await emu?.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  /** A demo fleet with `policy` on both accounts' keys, the plugin on it, one refresh done. */
  async function start(policy: Policy, fleet: 'demo' | 'demo+managed' = 'demo') {
    const doc = policy as unknown as PolicyDocument;
    emu = await startEcsEmulator({
      fleet,
      clock: { mode: 'manual' },
      policies: Object.fromEntries(
        Object.values(ACCOUNTS).map(key => [key, doc]),
      ),
    });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-iam-'));
    backend = await startBackend(emu, { dbDir });
    await refreshSnapshot(backend.server);
    return backend.server;
  }

  /** Everything the inventory reports as wrong: location and cluster errors, preview warnings. */
  async function inventoryProblems(server: Server['server']) {
    const res = await request(server).get('/api/datadog-ecs/clusters');
    expect(res.status).toBe(200);
    const locations = (res.body.locations as any[]).filter(
      l => l.accountId in ACCOUNTS,
    );
    const problems: string[] = [];
    for (const l of locations) {
      if (l.error)
        problems.push(
          `location ${l.accountId}/${l.region}: ${l.error.name}: ${l.error.message}`,
        );
    }
    for (const c of res.body.clusters as any[]) {
      if (c.error)
        problems.push(
          `cluster ${c.clusterName}: ${c.error.name}: ${c.error.message}`,
        );
    }
    // A refused DescribeImages fails no cluster: each says so in a finding (generation unknown).
    for (const c of res.body.clusters as any[]) {
      if (!c.findingCounts.warning) continue;
      const details = await request(server).get(
        `/api/datadog-ecs/clusters/${c.accountId}/${c.region}/${c.clusterName}`,
      );
      for (const f of (details.body.findings ?? []) as any[]) {
        // So does a refused daemon read: the cluster's Managed Instances are not readable.
        if (
          f.id === 'cluster.ami-unreadable' ||
          f.id === 'cluster.managed-daemons-unreadable'
        ) {
          problems.push(`cluster ${c.clusterName}: ${f.explanation}`);
        }
      }
    }
    // The family's latest revision is read by the inventory and only shows in previews.
    for (const cluster of [PAYMENTS, LEGACY]) {
      const preview = await request(server)
        .post(`${cluster}/rollouts/preview`)
        .send({});
      if (preview.status !== 200) {
        problems.push(
          `preview ${cluster}: ${preview.status} ${preview.body.error?.message}`,
        );
        continue;
      }
      for (const w of preview.body.warnings as string[]) {
        if (/latest revision of .* could not be read|has not read/.test(w)) {
          problems.push(`preview ${cluster}: ${w}`);
        }
      }
    }
    return { body: res.body, locations, problems };
  }

  /**
   * Rolls out to prod-eu-payments (CreateService) and prod-eu-legacy (UpdateService), and, on the
   * demo+managed fleet, to staging-managed (CreateDaemon; a plaintext key, so no role passed) and
   * prod-managed (UpdateDaemon, with the execution role of the key's secret).
   */
  async function rollOutAll(server: Server['server']) {
    const requests = [
      {
        cluster: PAYMENTS,
        body: { features: { apm: true, logs: true, healthCheck: true } },
      },
      { cluster: LEGACY, body: { features: { resourceTags: true } } },
      { cluster: STAGING_MANAGED, body: { features: { apmSocket: true } } },
      { cluster: PROD_MANAGED, body: { imageTag: '7.78.0' } },
    ];
    const started = [];
    for (const r of requests) {
      started.push({
        ...r,
        res: await request(server).post(`${r.cluster}/rollouts`).send(r.body),
      });
    }
    const out = [];
    for (const s of started) {
      if (s.res.status !== 202) {
        out.push({
          cluster: s.cluster,
          refused: `${s.res.status} ${s.res.body.error?.message}`,
        });
        continue;
      }
      const rollout = ['pending', 'in-progress'].includes(s.res.body.status)
        ? await followToEnd(emu, server, s.res.body.id, {
            // A daemon deployment replaces instances, which takes minutes.
            stepMs: s.res.body.target === 'managed-daemon' ? 5000 : 1000,
          })
        : s.res.body;
      out.push({ cluster: s.cluster, rollout });
    }
    return out;
  }

  describe('inventory-policy.json', () => {
    it('is enough for the inventory of every location, and the preview', async () => {
      const server = await start(INVENTORY, 'demo+managed');
      const { body, locations, problems } = await inventoryProblems(server);
      expect(problems).toEqual([]);
      expect(locations.map(l => `${l.accountId}/${l.region}`).sort()).toEqual([
        '111111111111/eu-west-1',
        '111111111111/us-east-1',
        '222222222222/us-east-1',
      ]);
      for (const l of locations) {
        expect(l.error).toBeUndefined();
        expect(
          body.clusters.filter(
            (c: any) => c.accountId === l.accountId && c.region === l.region,
          ).length,
        ).toBeGreaterThan(0);
      }
      expect(body.clusters.every((c: any) => c.error === undefined)).toBe(true);
      // Instances, tasks and task definitions were read: coverage is known.
      const legacy = await request(server).get(LEGACY);
      expect(legacy.body.counts.instances).toBeGreaterThan(0);
      expect(legacy.body.currentRevision).toMatch(/^datadog-agent-task:\d+$/);

      const preview = await request(server)
        .post(`${LEGACY}/rollouts/preview`)
        .send({});
      expect(preview.status).toBe(200);
      expect(preview.body.latestRevision).toMatch(/^datadog-agent-task:\d+$/);
      expect(preview.body.current).toBeDefined();
      // No call was refused, not even one whose failure the plugin tolerates.
      expect(emu.control.counters().total.errors).toBe(0);
      expect(writeCalls(emu)).toEqual({
        RegisterTaskDefinition: 0,
        CreateService: 0,
        UpdateService: 0,
      });
    });

    it.each(actionsOf(INVENTORY))(
      'is needed without %s: the inventory reports it',
      async action => {
        const server = await start(without(INVENTORY, action), 'demo+managed');
        const { problems } = await inventoryProblems(server);
        expect(problems.length).toBeGreaterThan(0);
        expect(
          problems.filter(p => p.includes(refusedMessage(action))),
        ).not.toEqual([]);
      },
    );
  });

  describe('rollout-policy.json (with inventory-policy.json)', () => {
    it('is enough for a full rollout: CreateService on prod-eu-payments, UpdateService on prod-eu-legacy, CreateDaemon on staging-managed, UpdateDaemon on prod-managed', async () => {
      const server = await start(merge(INVENTORY, ROLLOUT), 'demo+managed');
      const [payments, legacy, stagingManaged, prodManaged] =
        await rollOutAll(server);
      expect(payments.refused).toBeUndefined();
      expect(payments.rollout).toMatchObject({
        status: 'completed',
        createdService: true,
        registered: true,
      });
      expect(legacy.refused).toBeUndefined();
      expect(legacy.rollout).toMatchObject({
        status: 'completed',
        createdService: false,
        registered: true,
      });

      for (const managed of [stagingManaged, prodManaged]) {
        expect(managed.refused).toBeUndefined();
        expect(managed.rollout).toMatchObject({
          status: 'completed',
          target: 'managed-daemon',
          registered: true,
        });
      }
      expect(stagingManaged.rollout.createdService).toBe(true);
      expect(prodManaged.rollout.createdService).toBe(false);

      const after = await request(server).get(PAYMENTS);
      expect(after.body.coveragePercent).toBe(100);
      const managedAfter = await request(server).get(STAGING_MANAGED);
      expect(managedAfter.body.coveragePercent).toBe(100);
      expect(writeCalls(emu)).toEqual({
        RegisterTaskDefinition: 2,
        CreateService: 1,
        UpdateService: 1,
      });
      expect(daemonWriteCalls(emu)).toEqual({
        RegisterDaemonTaskDefinition: 2,
        CreateDaemon: 1,
        UpdateDaemon: 1,
      });
      expect(emu.control.counters().total.errors).toBe(0);
    });

    /** A rollout to prod-eu-legacy (UpdateService), cancelled with rollback while it deploys. */
    async function cancelWithRollback(policy: Policy) {
      const server = await start(merge(INVENTORY, policy));
      const started = await request(server)
        .post(`${LEGACY}/rollouts`)
        .send({ features: { resourceTags: true } });
      expect(started.body.status).toBe('in-progress');
      return request(server)
        .post(`/api/datadog-ecs/rollouts/${started.body.id}/cancel`)
        .send({ rollback: true });
    }

    it('is enough for a cancel with rollback (StopServiceDeployment)', async () => {
      const cancel = await cancelWithRollback(ROLLOUT);
      expect(cancel.status).toBe(200);
      expect(cancel.body.status).toBe('cancelled');
    });

    it.each(CANCEL_ONLY)(
      'is needed without %s: a cancel with rollback is refused naming it',
      async action => {
        const cancel = await cancelWithRollback(without(ROLLOUT, action));
        expect(cancel.status).toBe(409);
        expect(cancel.body.error.reason).toBe('ecs-refused');
        expect(cancel.body.error.message).toContain(refusedMessage(action));
      },
    );

    it.each(actionsOf(ROLLOUT).filter(a => !CANCEL_ONLY.includes(a)))(
      'is needed without %s: a rollout fails naming it',
      async action => {
        const server = await start(
          merge(INVENTORY, without(ROLLOUT, action)),
          'demo+managed',
        );
        const results = await rollOutAll(server);
        const failures = results
          .map(
            r =>
              r.refused ??
              (r.rollout.status === 'failed'
                ? r.rollout.failureReason
                : undefined),
          )
          .filter((f): f is string => f !== undefined);
        expect(failures.length).toBeGreaterThan(0);
        for (const f of failures) expect(f).toContain(refusedMessage(action));
      },
    );

    // The tag-on-create statement is scoped to the creating actions: each of them is needed too.
    const tagging = ROLLOUT.Statement.find(s =>
      asList(s.Action).includes('ecs:TagResource'),
    );
    const createActions = asList(
      tagging?.Condition?.StringEquals?.['ecs:CreateAction'] ?? [],
    );

    it.each(createActions)(
      'needs ecs:CreateAction %s on ecs:TagResource: a rollout fails without it',
      async createAction => {
        const narrowed: Policy = {
          ...ROLLOUT,
          Statement: ROLLOUT.Statement.map(s =>
            s === tagging
              ? {
                  ...s,
                  Condition: {
                    StringEquals: {
                      'ecs:CreateAction': createActions.filter(
                        a => a !== createAction,
                      ),
                    },
                  },
                }
              : s,
          ),
        };
        const server = await start(merge(INVENTORY, narrowed), 'demo+managed');
        const results = await rollOutAll(server);
        const failures = results.filter(r => r.rollout?.status === 'failed');
        expect(failures.length).toBeGreaterThan(0);
        for (const f of failures)
          expect(f.rollout.failureReason).toContain(
            refusedMessage('ecs:TagResource'),
          );
      },
    );
  });
});
