import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessDeniedException,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { controlCall, PROD, setupEmulator } from './__testUtils__/setup';
import { parseArgs } from './cli';
import {
  evaluatePolicy,
  PolicyDocument,
  validatePolicyDocument,
} from './iam/policy';
import { startEcsEmulator } from './index';

const KEY = 'AKIAEMULATOR111111111';
const READONLY = 'AKIAEMULATORREADONLY1';
const USER = 'arn:aws:iam::111111111111:user/emulator';
const svcArn = (cluster: string, name: string) =>
  `arn:aws:ecs:us-east-1:111111111111:service/${cluster}/${name}`;

const allow = (
  Action: string | string[],
  Resource: string | string[] = '*',
  extra: Record<string, unknown> = {},
) => ({ Effect: 'Allow' as const, Action, Resource, ...extra });
const deny = (
  Action: string | string[],
  Resource: string | string[] = '*',
) => ({
  Effect: 'Deny' as const,
  Action,
  Resource,
});
const policy = (...Statement: any[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement,
});

const createService = (cluster: string, serviceName: string, extra = {}) =>
  new CreateServiceCommand({
    cluster,
    serviceName,
    taskDefinition: 'checkout-api',
    desiredCount: 0,
    ...extra,
  });

const taskDefinition = (family: string, extra = {}) =>
  new RegisterTaskDefinitionCommand({
    family,
    containerDefinitions: [{ name: 'web', image: 'nginx:1.27', memory: 128 }],
    ...extra,
  });

async function denied(p: Promise<unknown>) {
  const err: any = await p.then(
    () => {
      throw new Error('expected AccessDeniedException');
    },
    e => e,
  );
  expect(err).toBeInstanceOf(AccessDeniedException);
  expect(err.$metadata.httpStatusCode).toBe(400);
  return err.message as string;
}

describe('IAM policies', () => {
  let ctx: Awaited<ReturnType<typeof setupEmulator>>;
  let ecs: ECSClient;
  /** Describes with an unrestricted view (the key under test may not Describe). */
  let admin: ECSClient;

  beforeEach(async () => {
    ctx = await setupEmulator();
    ecs = ctx.client(PROD, 'us-east-1');
    admin = ecs;
  });
  afterEach(() => ctx.stop());

  const serviceExists = async (cluster: string, name: string) => {
    const saved = ctx.emu.control.getPolicy(KEY);
    ctx.emu.control.setPolicy(KEY, undefined);
    const out = await admin.send(
      new DescribeServicesCommand({ cluster, services: [name] }),
    );
    ctx.emu.control.setPolicy(KEY, saved);
    return out.services!.length === 1;
  };

  it('allows actions matched by Allow statements, with * and ? wildcards, case-insensitively', async () => {
    ctx.emu.control.setPolicy(
      KEY,
      policy(allow(['ECS:describe*', 'ecs:List?lusters'])),
    );
    expect(
      (await ecs.send(new ListClustersCommand({}))).clusterArns,
    ).toHaveLength(4);
    await ecs.send(new DescribeClustersCommand({ clusters: ['prod-web'] }));
    const msg = await denied(
      ecs.send(new ListServicesCommand({ cluster: 'prod-web' })),
    );
    expect(msg).toBe(
      `User: ${USER} is not authorized to perform: ecs:ListServices on resource: * because no identity-based policy allows the ecs:ListServices action`,
    );
  });

  it('implicitly denies what no statement allows, and the call has no effect', async () => {
    ctx.emu.control.setPolicy(KEY, policy(allow('ecs:Describe*')));
    ctx.emu.control.resetCounters();
    const msg = await denied(ecs.send(createService('sandbox', 'nope')));
    expect(msg).toBe(
      `User: ${USER} is not authorized to perform: ecs:CreateService on resource: ${svcArn(
        'sandbox',
        'nope',
      )} because no identity-based policy allows the ecs:CreateService action`,
    );
    expect(await serviceExists('sandbox', 'nope')).toBe(false);
    const counters = ctx.emu.control.counters();
    expect(counters.operations.CreateService).toMatchObject({
      calls: 1,
      errors: 1,
    });
  });

  it('lets an explicit Deny win over any Allow', async () => {
    ctx.emu.control.setPolicy(
      KEY,
      policy(allow('*'), deny('ecs:Create*', svcArn('sandbox', '*'))),
    );
    const msg = await denied(ecs.send(createService('sandbox', 'x')));
    expect(msg).toBe(
      `User: ${USER} is not authorized to perform: ecs:CreateService on resource: ${svcArn(
        'sandbox',
        'x',
      )} with an explicit deny in an identity-based policy`,
    );
    // the Deny's resource pattern does not cover other clusters
    await ecs.send(createService('prod-web', 'x'));
    expect(await serviceExists('prod-web', 'x')).toBe(true);
  });

  it('matches resource ARN patterns; actions without a resource type are evaluated on *', async () => {
    ctx.emu.control.setPolicy(
      KEY,
      policy(
        allow(
          'ecs:DescribeClusters',
          'arn:aws:ecs:us-east-1:111111111111:cluster/prod-*',
        ),
        allow(
          ['ecs:CreateService', 'ecs:UpdateService'],
          [
            'arn:aws:ecs:*:111111111111:service/sandbox/*',
            'arn:aws:ecs:us-east-1:111111111111:service/prod-web/checkout-?pi',
          ],
        ),
        allow('ecs:ListClusters', 'arn:aws:ecs:*:*:cluster/*'),
      ),
    );
    await ecs.send(new DescribeClustersCommand({ clusters: ['prod-web'] }));
    await ecs.send(
      new DescribeClustersCommand({
        clusters: ['arn:aws:ecs:us-east-1:111111111111:cluster/prod-batch'],
      }),
    );
    expect(
      await denied(
        ecs.send(
          new DescribeClustersCommand({ clusters: ['prod-web', 'sandbox'] }),
        ),
      ),
    ).toContain(
      'on resource: arn:aws:ecs:us-east-1:111111111111:cluster/sandbox because',
    );
    // ListClusters has no resource type: only Resource "*" covers it
    expect(await denied(ecs.send(new ListClustersCommand({})))).toContain(
      'ecs:ListClusters on resource: * because',
    );
    await ecs.send(createService('sandbox', 'ok'));
    expect(
      await denied(ecs.send(createService('prod-batch', 'nope'))),
    ).toContain(`on resource: ${svcArn('prod-batch', 'nope')}`);
    await ecs.send(
      new UpdateServiceCommand({
        cluster: 'prod-web',
        service: 'checkout-api',
        desiredCount: 3,
      }),
    );
    expect(
      await denied(
        ecs.send(
          new UpdateServiceCommand({
            cluster: 'prod-web',
            service: 'storefront',
            desiredCount: 3,
          }),
        ),
      ),
    ).toContain(
      `ecs:UpdateService on resource: ${svcArn('prod-web', 'storefront')}`,
    );
  });

  it('supports NotAction and NotResource', async () => {
    ctx.emu.control.setPolicy(
      KEY,
      policy(
        { Effect: 'Allow', NotAction: 'ecs:Create*', Resource: '*' },
        {
          Effect: 'Deny',
          Action: 'ecs:ListTasks',
          NotResource: 'arn:aws:ecs:*:*:container-instance/prod-web/*',
        },
      ),
    );
    await ecs.send(new ListServicesCommand({ cluster: 'prod-web' }));
    await denied(ecs.send(createService('sandbox', 'x')));
    // ListTasks without a container instance is evaluated on "*"
    expect(
      await denied(ecs.send(new ListTasksCommand({ cluster: 'prod-web' }))),
    ).toContain('ecs:ListTasks on resource: * with an explicit deny');
  });

  describe('tag-on-create (ecs:TagResource)', () => {
    it('refuses CreateService with tags without ecs:TagResource and creates nothing', async () => {
      ctx.emu.control.setPolicy(
        KEY,
        policy(allow(['ecs:CreateService', 'ecs:Describe*'])),
      );
      const msg = await denied(
        ecs.send(
          createService('sandbox', 'tagged', {
            tags: [{ key: 'team', value: 'a' }],
          }),
        ),
      );
      expect(msg).toBe(
        `User: ${USER} is not authorized to perform: ecs:TagResource on resource: ${svcArn(
          'sandbox',
          'tagged',
        )} because no identity-based policy allows the ecs:TagResource action`,
      );
      expect(await serviceExists('sandbox', 'tagged')).toBe(false);
      // no tags: no TagResource needed; propagateTags / enableECSManagedTags do not need it either
      await ecs.send(
        createService('sandbox', 'untagged', {
          tags: [],
          propagateTags: 'SERVICE',
          enableECSManagedTags: true,
        }),
      );
      expect(await serviceExists('sandbox', 'untagged')).toBe(true);
    });

    it('refuses RegisterTaskDefinition with tags without ecs:TagResource on the new revision', async () => {
      ctx.emu.control.setPolicy(
        KEY,
        policy(
          allow(['ecs:RegisterTaskDefinition', 'ecs:List*', 'ecs:Describe*']),
        ),
      );
      const msg = await denied(
        ecs.send(
          taskDefinition('tagged-td', { tags: [{ key: 'a', value: 'b' }] }),
        ),
      );
      expect(msg).toBe(
        `User: ${USER} is not authorized to perform: ecs:TagResource on resource: arn:aws:ecs:us-east-1:111111111111:task-definition/tagged-td:1 because no identity-based policy allows the ecs:TagResource action`,
      );
      const list = await ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: 'tagged-td' }),
      );
      expect(list.taskDefinitionArns).toEqual([]);
      await expect(
        ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: 'tagged-td' }),
        ),
      ).rejects.toThrow();
    });

    it('allows tags with ecs:TagResource, also scoped by the ecs:CreateAction condition', async () => {
      ctx.emu.control.setPolicy(
        KEY,
        policy(
          allow([
            'ecs:CreateService',
            'ecs:RegisterTaskDefinition',
            'ecs:Describe*',
          ]),
          allow('ecs:TagResource', '*', {
            Condition: {
              StringEquals: { 'ecs:CreateAction': 'CreateService' },
            },
          }),
        ),
      );
      const tags = [{ key: 'team', value: 'a' }];
      await ecs.send(createService('sandbox', 'tagged', { tags }));
      expect(await serviceExists('sandbox', 'tagged')).toBe(true);
      // the condition does not cover RegisterTaskDefinition
      expect(
        await denied(ecs.send(taskDefinition('tagged-td', { tags }))),
      ).toContain(
        'ecs:TagResource on resource: arn:aws:ecs:us-east-1:111111111111:task-definition/tagged-td:1',
      );

      ctx.emu.control.setPolicy(
        KEY,
        policy(
          allow(['ecs:RegisterTaskDefinition']),
          allow(
            'ecs:TagResource',
            'arn:aws:ecs:us-east-1:111111111111:task-definition/tagged-td:*',
          ),
        ),
      );
      const out = await ecs.send(taskDefinition('tagged-td', { tags }));
      expect(out.taskDefinition!.revision).toBe(1);
      expect(out.tags).toEqual(tags);
    });
  });

  describe('iam:PassRole', () => {
    const execRole = 'arn:aws:iam::111111111111:role/ecsTaskExecutionRole';

    it('refuses RegisterTaskDefinition passing a role without iam:PassRole', async () => {
      ctx.emu.control.setPolicy(KEY, policy(allow('ecs:*')));
      const msg = await denied(
        ecs.send(taskDefinition('with-role', { executionRoleArn: execRole })),
      );
      expect(msg).toBe(
        `User: ${USER} is not authorized to perform: iam:PassRole on resource: ${execRole} because no identity-based policy allows the iam:PassRole action`,
      );
      // a short role name is the role of the caller's account
      expect(
        await denied(
          ecs.send(taskDefinition('with-role', { taskRoleArn: 'app-role' })),
        ),
      ).toContain(
        'iam:PassRole on resource: arn:aws:iam::111111111111:role/app-role because',
      );
      const list = await ecs.send(
        new ListTaskDefinitionsCommand({ familyPrefix: 'with-role' }),
      );
      expect(list.taskDefinitionArns).toEqual([]);
      // no role: no PassRole needed
      await ecs.send(taskDefinition('no-role'));
    });

    it('allows the roles iam:PassRole covers, and only those', async () => {
      ctx.emu.control.setPolicy(
        KEY,
        policy(
          allow('ecs:RegisterTaskDefinition'),
          allow('iam:PassRole', execRole, {
            Condition: {
              StringEquals: {
                'iam:PassedToService': 'ecs-tasks.amazonaws.com',
              },
            },
          }),
        ),
      );
      const out = await ecs.send(
        taskDefinition('with-role', { executionRoleArn: execRole }),
      );
      expect(out.taskDefinition!.executionRoleArn).toBe(execRole);
      expect(
        await denied(
          ecs.send(
            taskDefinition('with-role', {
              executionRoleArn: execRole,
              taskRoleArn: 'arn:aws:iam::111111111111:role/other',
            }),
          ),
        ),
      ).toContain(
        'iam:PassRole on resource: arn:aws:iam::111111111111:role/other because',
      );
    });

    it('checks iam:PassRole for the CreateService role', async () => {
      const role = 'arn:aws:iam::111111111111:role/ecsServiceRole';
      ctx.emu.control.setPolicy(
        KEY,
        policy(allow('ecs:*'), deny('iam:PassRole', role)),
      );
      expect(
        await denied(ecs.send(createService('sandbox', 'lb', { role }))),
      ).toBe(
        `User: ${USER} is not authorized to perform: iam:PassRole on resource: ${role} with an explicit deny in an identity-based policy`,
      );
      expect(await serviceExists('sandbox', 'lb')).toBe(false);
      ctx.emu.control.setPolicy(KEY, policy(allow(['ecs:*', 'iam:PassRole'])));
      await ecs.send(createService('sandbox', 'lb', { role }));
      expect(await serviceExists('sandbox', 'lb')).toBe(true);
    });
  });

  it('replaces allowedActions of a key while it has a policy', async () => {
    const ro = ctx.client(PROD, 'us-east-1', { accessKeyId: READONLY });
    const legacy = await denied(ro.send(createService('sandbox', 'ro')));
    expect(legacy).toBe(
      `User: arn:aws:iam::111111111111:user/readonly is not authorized to perform: ecs:CreateService on resource: ${svcArn(
        'sandbox',
        'ro',
      )} because no identity-based policy allows the ecs:CreateService action`,
    );
    ctx.emu.control.setPolicy(READONLY, policy(allow('ecs:CreateService')));
    await ro.send(createService('sandbox', 'ro'));
    await denied(ro.send(new ListClustersCommand({})));
    ctx.emu.control.setPolicy(READONLY, undefined);
    await ro.send(new ListClustersCommand({}));
    await denied(ro.send(createService('sandbox', 'ro2')));
  });

  it('sets, reads and removes policies through the control API', async () => {
    const url = ctx.emu.url;
    const doc = policy(allow('ecs:List*'));
    const put = await controlCall(url, 'PUT', `/_emulator/iam/${KEY}`, doc);
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({
      accessKeyId: KEY,
      accountId: PROD,
      principalArn: USER,
      policy: doc,
    });
    expect(
      (await controlCall(url, 'GET', `/_emulator/iam/${KEY}`)).json.policy,
    ).toEqual(doc);
    expect(ctx.emu.control.getPolicy(KEY)).toEqual(doc);
    await ecs.send(new ListClustersCommand({}));
    await denied(ecs.send(createService('sandbox', 'x')));

    const all = await controlCall(url, 'GET', '/_emulator/iam');
    expect(
      all.json.accessKeys.find((k: any) => k.accessKeyId === KEY).policy,
    ).toEqual(doc);
    const fleet = await controlCall(url, 'GET', '/_emulator/fleet');
    expect(fleet.json.accounts[0].accessKeys[0].policy).toEqual(doc);

    // a single statement object is accepted and stored as written
    const single = await controlCall(url, 'PUT', `/_emulator/iam/${KEY}`, {
      Statement: allow('*'),
    });
    expect(single.json.policy).toEqual({ Statement: allow('*') });

    const del = await controlCall(url, 'DELETE', `/_emulator/iam/${KEY}`);
    expect(del.status).toBe(200);
    expect(del.json.policy).toBeNull();
    expect(ctx.emu.control.getPolicy(KEY)).toBeUndefined();
    await ecs.send(createService('sandbox', 'x')); // unrestricted again

    expect(
      (await controlCall(url, 'GET', '/_emulator/iam/AKIANOPE')).status,
    ).toBe(404);
    expect(
      (await controlCall(url, 'PUT', '/_emulator/iam/AKIANOPE', doc)).status,
    ).toBe(404);
  });

  it('answers 400 to malformed policies and keeps the previous one', async () => {
    const url = ctx.emu.url;
    const doc = policy(allow('ecs:List*'));
    ctx.emu.control.setPolicy(KEY, doc);
    const bad: unknown[] = [
      'not json',
      'null',
      [],
      {},
      { Statement: [{ Effect: 'Maybe', Action: 'ecs:*' }] },
      { Statement: [{ Effect: 'Allow' }] },
      { Statement: [{ Effect: 'Allow', Action: 'ListClusters' }] },
      { Statement: [{ Effect: 'Allow', Action: [] }] },
      { Statement: [{ Effect: 'Allow', Action: 'ecs:*', NotAction: 'ecs:X' }] },
      {
        Statement: [
          { Effect: 'Allow', Action: 'ecs:*', Resource: 'cluster/x' },
        ],
      },
      { Statement: [{ Effect: 'Allow', Action: 'ecs:*', Principal: '*' }] },
      { Statement: [{ Effect: 'Allow', Action: 'ecs:*', Sid: 'not ok!' }] },
      { Version: '2020-01-01', Statement: [allow('*')] },
      { Statement: [allow('*')], Extra: 1 },
      {
        Statement: [
          allow('*', '*', { Condition: { NumericEquals: { 'aws:x': '1' } } }),
        ],
      },
    ];
    for (const body of bad) {
      const res = await controlCall(url, 'PUT', `/_emulator/iam/${KEY}`, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.json.error).toEqual(expect.any(String));
    }
    const code = await controlCall(url, 'PUT', `/_emulator/iam/${KEY}`, {});
    expect(code.json.code).toBe('MalformedPolicyDocument');
    expect(ctx.emu.control.getPolicy(KEY)).toEqual(doc);
    expect(() =>
      ctx.emu.control.setPolicy(KEY, {
        Statement: [{ Effect: 'Allow' }],
      } as any),
    ).toThrow('Action');
    expect(() => ctx.emu.control.setPolicy('AKIANOPE', doc)).toThrow(
      'not part of fleet',
    );
  });
});

describe('policies at start', () => {
  const fleet = (keyPolicy?: unknown) => ({
    name: 'iam-fleet',
    accounts: [
      {
        accountId: '333333333333',
        accessKeys: [
          {
            accessKeyId: 'AKIAPOLICY',
            principal: 'ci',
            policy: keyPolicy as any,
          },
          { accessKeyId: 'AKIAOTHER' },
        ],
      },
    ],
    clusters: [{ accountId: '333333333333', region: 'ap-south-1', name: 'c1' }],
  });
  const client = (url: string, accessKeyId: string) =>
    new ECSClient({
      endpoint: url,
      region: 'ap-south-1',
      maxAttempts: 1,
      credentials: { accessKeyId, secretAccessKey: 'x' },
    });

  it('takes FleetAccessKey.policy and the policies option', async () => {
    const emu = await startEcsEmulator({
      fleet: fleet(policy(allow('ecs:ListClusters'))),
      policies: { AKIAOTHER: policy(deny('ecs:ListClusters')) },
    });
    const a = client(emu.url, 'AKIAPOLICY');
    const b = client(emu.url, 'AKIAOTHER');
    try {
      expect((await a.send(new ListClustersCommand({}))).clusterArns).toEqual([
        'arn:aws:ecs:ap-south-1:333333333333:cluster/c1',
      ]);
      expect(
        await denied(a.send(new DescribeClustersCommand({ clusters: ['c1'] }))),
      ).toBe(
        'User: arn:aws:iam::333333333333:user/ci is not authorized to perform: ecs:DescribeClusters on resource: arn:aws:ecs:ap-south-1:333333333333:cluster/c1 because no identity-based policy allows the ecs:DescribeClusters action',
      );
      expect(await denied(b.send(new ListClustersCommand({})))).toContain(
        'with an explicit deny in an identity-based policy',
      );
    } finally {
      a.destroy();
      b.destroy();
      await emu.stop();
    }
  });

  it('refuses to start with a malformed fleet policy', async () => {
    await expect(
      startEcsEmulator({ fleet: fleet({ Statement: [{ Effect: 'Allow' }] }) }),
    ).rejects.toThrow('Policy of access key AKIAPOLICY');
  });

  it('parses --policy <accessKeyId>=<file>', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-emulator-iam-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify(policy(allow('ecs:List*'))));
    const o = parseArgs([
      '--policy',
      `${KEY}=${file}`,
      `--policy=${READONLY}=${file}`,
    ]);
    expect(o.policyFiles).toEqual({ [KEY]: file, [READONLY]: file });
    expect(() => parseArgs(['--policy', 'nofile'])).toThrow(
      '--policy expects <accessKeyId>=<file.json>',
    );
  });
});

describe('policy evaluation', () => {
  const req = (action: string, resource = '*', context = {}) => ({
    action,
    resource,
    context,
  });

  it('follows explicit deny > allow > implicit deny', () => {
    const doc = validatePolicyDocument(
      policy(allow('ecs:*'), deny('ecs:Delete*')),
    );
    expect(evaluatePolicy(doc, req('ecs:ListClusters'))).toBe('Allow');
    expect(evaluatePolicy(doc, req('ecs:DeleteService'))).toBe('ExplicitDeny');
    expect(evaluatePolicy(doc, req('iam:PassRole'))).toBe('ImplicitDeny');
    expect(evaluatePolicy(validatePolicyDocument(policy()), req('ecs:X'))).toBe(
      'ImplicitDeny',
    );
  });

  it('evaluates String and Arn conditions, IfExists and negation', () => {
    const doc = validatePolicyDocument(
      policy(
        allow('ecs:TagResource', '*', {
          Condition: {
            StringLike: { 'ecs:CreateAction': ['Create*', 'Register*'] },
          },
        }),
        allow('iam:PassRole', '*', {
          Condition: {
            StringNotEqualsIfExists: {
              'iam:PassedToService': 'ec2.amazonaws.com',
            },
          },
        }),
      ),
    );
    expect(
      evaluatePolicy(
        doc,
        req('ecs:TagResource', '*', { 'ecs:CreateAction': 'CreateService' }),
      ),
    ).toBe('Allow');
    expect(
      evaluatePolicy(
        doc,
        req('ecs:TagResource', '*', { 'ecs:CreateAction': 'RunTask' }),
      ),
    ).toBe('ImplicitDeny');
    // the key is absent when TagResource is called directly
    expect(evaluatePolicy(doc, req('ecs:TagResource'))).toBe('ImplicitDeny');
    expect(evaluatePolicy(doc, req('iam:PassRole'))).toBe('Allow');
    expect(
      evaluatePolicy(
        doc,
        req('iam:PassRole', '*', {
          'IAM:PassedToService': 'ec2.amazonaws.com',
        }),
      ),
    ).toBe('ImplicitDeny');
  });
});
