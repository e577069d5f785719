/*
 * Hostile input against every route and every action of the datadog-ecs plugin, in a test backend
 * wired like the app: the datadog-ecs plugin against the ECS emulator's demo fleet, the real
 * catalog reading examples/*.yaml, the real permission backend with the app's policy module
 * (permission.datadogEcs.rolloutGroups), and the demo users of examples/org.yaml.
 *
 * Every case asserts a 4xx (never a 5xx) whose `error.message` names what is wrong, no ECS call
 * (the emulator's counters before and after), and no secret in the response or in any log line.
 */
import {
  AuthService,
  BackstageCredentials,
  BackstageUserInfo,
  coreServices,
  createBackendModule,
  HttpAuthService,
  createServiceFactory,
  RootLoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import datadogEcsPlugin from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-backend';
import catalogModuleDatadogEcs from '@ecs-agent-coverage/backstage-plugin-catalog-backend-module-datadog-ecs';
import { permissionModuleDatadogEcsPolicy } from './modules/permissionPolicy';

jest.setTimeout(180_000);

const API = '/api/datadog-ecs';
/** The plaintext Datadog API key configured for account 222222222222. */
const PLAINTEXT_KEY_222 = 'dd-plaintext-222-7f3a9c1e5b2d4f60';
/** The demo fleet's DD_API_KEY, in plain text in staging-misconfigured's Agent task definition. */
const FLEET_KEY = '0123456789abcdef0123456789abcdef';
const SECRETS = [PLAINTEXT_KEY_222, FLEET_KEY];

const USERS = ['alice', 'bob', 'carol', 'guest'] as const;
type User = (typeof USERS)[number];
const userRef = (u: User) => `user:default/${u}`;

const PAYMENTS = `${API}/clusters/111111111111/eu-west-1/prod-eu-payments`;
const LEGACY = `${API}/clusters/111111111111/eu-west-1/prod-eu-legacy`;
const FARGATE = `${API}/clusters/222222222222/us-east-1/staging-fargate`;
const MISCONFIGURED = `${API}/clusters/222222222222/us-east-1/staging-misconfigured`;
const NO_SUCH_ROLLOUT = '7b0c2f9e-4a1d-4e3b-9c8a-5d6e7f8a9b0c';

const examples = path.resolve(__dirname, '../../../examples');

// ------------------------------------------------------------------ capturing root logger

const logLines: string[] = [];
function capturingRootLogger(
  fields: Record<string, unknown> = {},
): RootLoggerService {
  const log = (level: string) => (message: string, meta?: unknown) => {
    const m =
      meta instanceof Error
        ? {
            error: `${meta.name}: ${meta.message}\n${meta.stack}`,
            cause: String((meta as any).cause ?? ''),
          }
        : meta;
    let line: string;
    try {
      line = JSON.stringify({ level, message, ...fields, ...(m as object) });
    } catch {
      line = `${level} ${message} ${String(m)}`;
    }
    logLines.push(line);
  };
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: meta => capturingRootLogger({ ...fields, ...meta }),
  };
}

// ------------------------------------------------------------------ user info from the catalog

/**
 * Ownership refs as Backstage's catalog sign-in resolvers give them: the user and the groups the
 * catalog says the user is a member of (memberOf relations), read from the real catalog below.
 */
const ownership = new Map<string, string[]>();
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(
      credentials: BackstageCredentials,
    ): Promise<BackstageUserInfo> {
      const principal = credentials.principal as {
        type: string;
        userEntityRef?: string;
      };
      if (principal.type !== 'user' || !principal.userEntityRef) {
        throw new Error('getUserInfo needs user credentials');
      }
      const ref = principal.userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: ownership.get(ref) ?? [ref],
      };
    },
  }),
});

// ------------------------------------------------------------------ auth: the mock, with the actor of on-behalf-of calls

/**
 * The mock auth service, except that a plugin's call on behalf of a user carries the calling plugin
 * as the actor, as the real auth service's tokens do. (The mock drops it, and the permission backend
 * then takes the catalog's own resource checks for direct user requests and refuses them.)
 */
const OBO_PREFIX = 'mock-obo-token:';
const authFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const pluginId = plugin.getId();
    const base = mockServices.auth({ pluginId });
    return {
      async authenticate(token, options) {
        if (token.startsWith(OBO_PREFIX)) {
          const { obo, target, actor } = JSON.parse(
            token.slice(OBO_PREFIX.length),
          );
          if (target !== pluginId) {
            throw new AuthenticationError(
              `Invalid mock token target plugin ID, got '${target}' but expected '${pluginId}'`,
            );
          }
          return mockCredentials.user(obo, {
            actor: { subject: actor },
          }) as any;
        }
        return base.authenticate(token, options);
      },
      async getPluginRequestToken(options) {
        const principal = options.onBehalfOf.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (principal.type === 'user') {
          return {
            token: `${OBO_PREFIX}${JSON.stringify({
              obo: principal.userEntityRef,
              target: options.targetPluginId,
              actor: `plugin:${pluginId}`,
            })}`,
          };
        }
        return base.getPluginRequestToken(options);
      },
      getNoneCredentials: () => base.getNoneCredentials(),
      getOwnServiceCredentials: () => base.getOwnServiceCredentials(),
      isPrincipal: base.isPrincipal.bind(base) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => base.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => base.listPublicServiceKeys(),
    };
  },
});

/** The mock HTTP auth service, reading the on-behalf-of tokens above with the auth service. */
const httpAuthFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata, auth: coreServices.auth },
  factory({ plugin, auth }): HttpAuthService {
    const base = mockServices.httpAuth({ pluginId: plugin.getId() });
    return {
      async credentials(req, options) {
        const token =
          req.headers.authorization?.match(/^Bearer[ ]+(\S+)$/i)?.[1];
        if (token?.startsWith(OBO_PREFIX)) {
          const credentials = await auth.authenticate(token);
          if (options?.allow && !options.allow.includes('user' as any)) {
            throw new NotAllowedError(
              `This endpoint does not allow 'user' credentials`,
            );
          }
          return credentials as any;
        }
        return base.credentials(req, options);
      },
      issueUserCookie: (res, options) => base.issueUserCookie(res, options),
    };
  },
});

// ------------------------------------------------------------------ raw HTTP

interface Reply {
  status: number;
  text: string;
  json: any;
}

let port = 0;
function send(
  method: string,
  rawPath: string,
  options: {
    user?: User | null;
    headers?: Record<string, string>;
    body?: string | Buffer;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.user !== null)
    headers.authorization = mockCredentials.user.header(
      userRef(options.user ?? 'alice'),
    );
  if (options.body !== undefined)
    headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: rawPath, headers },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
const json = (value: unknown) => JSON.stringify(value);
const jsonHeaders: Record<string, string> = {
  'content-type': 'application/json',
};

// ------------------------------------------------------------------ bookkeeping

interface Outcome {
  label: string;
  status: number;
  ecsCalls: number;
  leaks: string[];
  problems: string[];
}
const outcomes: Outcome[] = [];

const secretsIn = (text: string) => SECRETS.filter(s => text.includes(s));

let emu: Awaited<ReturnType<typeof startEcsEmulator>>;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let actions: ReturnType<typeof actionsRegistryServiceMock>;
const ecsCalls = () => emu.control.counters().total.calls;

/** Expected: a status (or statuses) and what the error message must say. */
interface Expect {
  status: number | number[];
  names?: string | RegExp;
}

function judge(
  label: string,
  status: number,
  message: string | undefined,
  body: string,
  before: number,
  linesBefore: number,
  want: Expect,
): Outcome {
  const problems: string[] = [];
  const statuses = Array.isArray(want.status) ? want.status : [want.status];
  if (!statuses.includes(status))
    problems.push(
      `status ${status}, wanted ${statuses.join('|')}: ${body.slice(0, 300)}`,
    );
  if (status >= 400 && want.names !== undefined) {
    const ok =
      typeof want.names === 'string'
        ? (message ?? '').includes(want.names)
        : want.names.test(message ?? '');
    if (!ok)
      problems.push(
        `error.message ${JSON.stringify(message)} does not name ${String(
          want.names,
        )}`,
      );
  }
  const calls = ecsCalls() - before;
  if (calls !== 0) problems.push(`${calls} ECS call(s)`);
  const leaks = [
    ...secretsIn(body),
    ...logLines.slice(linesBefore).flatMap(secretsIn),
  ];
  if (leaks.length) problems.push(`secret(s) leaked: ${leaks.length}`);
  const outcome = { label, status, ecsCalls: calls, leaks, problems };
  outcomes.push(outcome);
  return outcome;
}

/** One HTTP case. */
async function hit(
  label: string,
  method: string,
  rawPath: string,
  want: Expect,
  options: Parameters<typeof send>[2] = {},
): Promise<Reply> {
  const before = ecsCalls();
  const linesBefore = logLines.length;
  const reply = await send(method, rawPath, options);
  judge(
    `${method} ${label}`,
    reply.status,
    reply.json?.error?.message,
    reply.text,
    before,
    linesBefore,
    want,
  );
  return reply;
}

const STATUS_OF: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
};

/** One action case: the error's name as an HTTP status, its message (and cause, for the framework's input validation). */
async function invoke(
  label: string,
  id: string,
  input: Record<string, unknown>,
  user: User,
  want: Expect,
) {
  const before = ecsCalls();
  const linesBefore = logLines.length;
  let status = 200;
  let message: string | undefined;
  let body: string;
  try {
    const result = await actions.invoke({
      id: `test:${id}`,
      input: input as any,
      credentials: mockCredentials.user(userRef(user)),
    });
    body = JSON.stringify(result);
  } catch (error: any) {
    status = STATUS_OF[error?.name] ?? 500;
    // The framework validates the input against the action's schema first; its message is generic,
    // the offending paths are in the cause (a ZodError).
    const issues = (error?.cause?.issues ?? []) as Array<{
      path: (string | number)[];
      code: string;
      keys?: string[];
    }>;
    const named = issues.map(i =>
      i.code === 'unrecognized_keys'
        ? `unknown input field(s) ${(i.keys ?? [])
            .map(k => `'${[...i.path, k].join('.')}'`)
            .join(', ')}`
        : `input field '${i.path.join('.')}'`,
    );
    message = [error?.message, ...named].join('; ');
    body = `${error?.name}: ${error?.message} ${
      error?.stack ?? ''
    } ${JSON.stringify(error?.cause ?? null)}`;
  }
  judge(
    `action ${id} ${label} (${user})`,
    status,
    message,
    body,
    before,
    linesBefore,
    want,
  );
}

function problemsOf(prefix: number) {
  return outcomes
    .slice(prefix)
    .filter(o => o.problems.length)
    .map(o => `${o.label}: ${o.problems.join('; ')}`);
}

// ------------------------------------------------------------------ the backend

/** The catalog's scheduler (the test backend's mock), to run the cluster provider on demand. */
let catalogScheduler: SchedulerService | undefined;
const captureCatalogScheduler = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-capture-scheduler',
  register(env) {
    env.registerInit({
      deps: { s: coreServices.scheduler },
      async init({ s }) {
        catalogScheduler = s;
      },
    });
  },
});

beforeAll(async () => {
  emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
  actions = actionsRegistryServiceMock();
  backend = await startTestBackend({
    features: [
      catalogPlugin,
      // The clusters as ecs-cluster resources: the rollout permission is decided on them.
      catalogModuleDatadogEcs,
      captureCatalogScheduler,
      permissionPlugin,
      permissionModuleDatadogEcsPolicy,
      datadogEcsPlugin,
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => capturingRootLogger(),
      }),
      userInfoFactory,
      authFactory,
      httpAuthFactory,
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => actions,
      }),
      // The real permissions service (ServerPermissionClient → the permission backend) is the default.
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          permission: {
            enabled: true,
            datadogEcs: { rolloutGroups: ['group:default/platform'] },
          },
          catalog: {
            rules: [
              { allow: ['Component', 'System', 'API', 'Resource', 'Location'] },
            ],
            locations: [
              { type: 'file', target: path.join(examples, 'entities.yaml') },
              {
                type: 'file',
                target: path.join(examples, 'org.yaml'),
                rules: [{ allow: ['User', 'Group'] }],
              },
            ],
          },
          aws: {
            accounts: [
              {
                accountId: '111111111111',
                accessKeyId: 'AKIAEMULATOR111111111',
                secretAccessKey: 'emulator-secret-111',
              },
              {
                accountId: '222222222222',
                accessKeyId: 'AKIAEMULATOR222222222',
                secretAccessKey: 'emulator-secret-222',
              },
            ],
          },
          datadogEcs: {
            ecsEndpoint: emu.url,
            // prod-web (storefront), prod-eu-payments and prod-eu-legacy (payments) carry owner tags.
            catalog: { defaultOwner: 'group:default/platform' },
            locations: [
              {
                accountId: '111111111111',
                regions: ['us-east-1', 'eu-west-1'],
              },
              {
                accountId: '222222222222',
                regions: ['us-east-1', 'eu-west-1'],
              },
            ],
            // No background work: the refresh runs once, below, and may not run again for a day.
            refresh: {
              schedule: {
                frequency: { hours: 24 },
                timeout: { minutes: 5 },
                initialDelay: { hours: 12 },
              },
              minIntervalSeconds: 86400,
            },
            rollout: {
              enabled: true,
              pollIntervalSeconds: 5,
              apiKeys: [
                {
                  accountId: '111111111111',
                  secretArn:
                    'arn:aws:secretsmanager:eu-west-1:111111111111:secret:datadog-api-key-AbCdEf',
                  executionRoleArn:
                    'arn:aws:iam::111111111111:role/datadog-agent-execution',
                },
                {
                  accountId: '222222222222',
                  plaintextApiKey: PLAINTEXT_KEY_222,
                },
              ],
            },
          },
        },
      }),
    ],
  });
  port = (backend.server.address() as AddressInfo).port;

  // The catalog: wait until the demo users, their groups and the components' owners are stitched.
  for (let i = 0; ; i++) {
    const users = await Promise.all(
      USERS.map(u =>
        send('GET', `/api/catalog/entities/by-name/user/default/${u}`, {
          user: 'alice',
        }),
      ),
    );
    const component = await send(
      'GET',
      '/api/catalog/entities/by-name/component/default/web-frontend',
      { user: 'alice' },
    );
    const ready =
      users.every(
        r =>
          r.status === 200 &&
          r.json.relations?.some((rel: any) => rel.type === 'memberOf'),
      ) &&
      component.status === 200 &&
      component.json.relations?.some((rel: any) => rel.type === 'ownedBy');
    if (ready) {
      for (const [j, u] of USERS.entries()) {
        const groups = users[j].json.relations
          .filter((rel: any) => rel.type === 'memberOf')
          .map((rel: any) => rel.targetRef);
        ownership.set(userRef(u), [userRef(u), ...groups]);
      }
      break;
    }
    if (i > 100)
      throw new Error(
        `the catalog did not process examples/*.yaml: ${users
          .map(u => u.status)
          .join(',')} ${component.text.slice(0, 500)}\n${logLines
          .filter(l => /catalog|error|warn/i.test(l))
          .slice(-5)
          .join('\n')}`,
      );
    await new Promise(r => setTimeout(r, 100));
  }
  const setup = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`setup: ${what}`);
  };
  setup(
    ownership.get('user:default/alice')?.includes('group:default/platform') ??
      false,
    'alice is a member of group:default/platform in the catalog',
  );

  // The one refresh (the mock scheduler runs it to its end before answering); then no more.
  const refresh = await send('POST', `${API}/refresh`, { user: 'alice' });
  setup(refresh.status === 202, `the refresh was accepted (${refresh.status})`);
  const clusters = await send('GET', `${API}/clusters`, { user: 'alice' });
  setup(
    !!clusters.json.snapshotTakenAt &&
      !clusters.json.refresh.running &&
      clusters.json.clusters.length > 5,
    'the snapshot is complete',
  );
  // The clusters' resources, owned, in the catalog: what the conditional decisions resolve against.
  setup(catalogScheduler !== undefined, 'the catalog scheduler was captured');
  await catalogScheduler!.triggerTask('datadog-ecs-clusters:refresh');
  for (let i = 0; ; i++) {
    const list = await send(
      'GET',
      '/api/catalog/entities?filter=kind=resource,spec.type=ecs-cluster',
      { user: 'alice' },
    );
    const owned = (list.json as any[]).filter(e =>
      e.relations?.some((r: any) => r.type === 'ownedBy'),
    );
    if (owned.length === clusters.json.clusters.length) break;
    setup(i < 300, `the catalog owns the cluster resources (${owned.length})`);
    await new Promise(r => setTimeout(r, 200));
  }
});

afterAll(async () => {
  await backend?.stop();
  await emu?.stop();
});

// ------------------------------------------------------------------ the cases

describe('hostile input', () => {
  it('controls: the secrets are masked where they legitimately appear, with no ECS call', async () => {
    const start = outcomes.length;
    const misconfigured = await hit(
      'staging-misconfigured (masked DD_API_KEY)',
      'GET',
      MISCONFIGURED,
      { status: 200 },
    );
    expect(misconfigured.text).toContain('********');
    const preview = await hit(
      'preview on account 222 (plaintext key configured)',
      'POST',
      `${MISCONFIGURED}/rollouts/preview`,
      { status: 200 },
      {
        headers: jsonHeaders,
        body: json({ features: { apm: true } }),
      },
    );
    expect(preview.text).toContain('********');
    await hit(
      'health',
      'GET',
      `${API}/health`,
      { status: 200 },
      { user: null },
    );
    await invoke(
      'account 222',
      'preview-rollout',
      {
        accountId: '222222222222',
        region: 'us-east-1',
        clusterName: 'staging-misconfigured',
      },
      'guest',
      { status: 200 },
    );
    await invoke('all', 'get-coverage', {}, 'guest', { status: 200 });
    expect(problemsOf(start)).toEqual([]);
  });

  it('refuses malformed, mistyped, unknown, oversized and nested bodies', async () => {
    const start = outcomes.length;
    const post = (
      label: string,
      p: string,
      body: string | Buffer,
      want: Expect,
      headers = jsonHeaders,
    ) => hit(label, 'POST', p, want, { headers, body });
    const bad = { status: 400 };
    for (const [route, p] of [
      ['preview', `${PAYMENTS}/rollouts/preview`],
      ['rollouts', `${PAYMENTS}/rollouts`],
    ] as const) {
      await post(`${route} malformed JSON`, p, '{"features": {"apm": tru', {
        ...bad,
        names: 'body is not valid JSON',
      });
      await post(`${route} JSON with trailing garbage`, p, '{} {}', {
        ...bad,
        names: 'body is not valid JSON',
      });
      await post(`${route} a JSON array`, p, '[1,2,3]', {
        ...bad,
        names: "body field '(root)'",
      });
      await post(`${route} a JSON string`, p, '"apm"', {
        ...bad,
        names: 'body',
      });
      await post(`${route} null`, p, 'null', { ...bad, names: 'body' });
      await post(
        `${route} features.apm a string`,
        p,
        json({ features: { apm: 'yes' } }),
        { ...bad, names: "body field 'features.apm'" },
      );
      await post(`${route} features an array`, p, json({ features: ['apm'] }), {
        ...bad,
        names: "body field 'features'",
      });
      await post(
        `${route} tags not key:value`,
        p,
        json({ tags: ['no colon here'] }),
        { ...bad, names: "body field 'tags.0'" },
      );
      await post(
        `${route} 51 tags`,
        p,
        json({ tags: Array.from({ length: 51 }, (_, i) => `k${i}:v`) }),
        { ...bad, names: "body field 'tags'" },
      );
      await post(`${route} variant unknown`, p, json({ variant: 'solaris' }), {
        ...bad,
        names: "body field 'variant'",
      });
      await post(
        `${route} site not Datadog`,
        p,
        json({ site: 'evil.example.com' }),
        { ...bad, names: "body field 'site'" },
      );
      await post(
        `${route} imageTag injection`,
        p,
        json({ imageTag: 'latest; rm -rf /' }),
        { ...bad, names: "body field 'imageTag'" },
      );
      await post(
        `${route} imageTag with a registry`,
        p,
        json({ imageTag: 'evil.io/agent:7' }),
        { ...bad, names: "body field 'imageTag'" },
      );
      await post(`${route} unknown field`, p, json({ dryRun: false }), {
        ...bad,
        names: "unknown body field(s) 'dryRun'",
      });
      await post(
        `${route} unknown feature`,
        p,
        json({ features: { apm: true, bitcoin: true } }),
        { ...bad, names: "'features.bitcoin'" },
      );
      await post(
        `${route} apiKey in the body`,
        p,
        json({ apiKey: FLEET_KEY }),
        { ...bad, names: "unknown body field(s) 'apiKey'" },
      );
      await post(`${route} __proto__`, p, '{"__proto__": {"enabled": true}}', {
        ...bad,
        names: "unknown body field(s) '__proto__'",
      });
      await post(
        `${route} constructor`,
        p,
        '{"constructor": {"prototype": {"polluted": 1}}}',
        { ...bad, names: "unknown body field(s) 'constructor'" },
      );
      await post(
        `${route} features.__proto__`,
        p,
        '{"features": {"__proto__": {"apm": true}}}',
        { ...bad, names: "'features.__proto__'" },
      );
      await post(
        `${route} deeply nested`,
        p,
        `{"features":${'['.repeat(20000)}${']'.repeat(20000)}}`,
        { ...bad, names: "body field 'features'" },
      );
      await post(
        `${route} deeply nested objects`,
        p,
        `{"tags":${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}}`,
        { ...bad, names: "body field 'tags'" },
      );
      await post(
        `${route} oversized (>100kb)`,
        p,
        json({ tags: ['a:'.padEnd(120_000, 'x')] }),
        { status: 413, names: 'body is larger than 100kb' },
      );
      await post(
        `${route} entityRef not a ref`,
        p,
        json({ entityRef: 'component:' }),
        { ...bad, names: "body field 'entityRef'" },
      );
      await post(`${route} entityRef a number`, p, json({ entityRef: 42 }), {
        ...bad,
        names: "body field 'entityRef'",
      });
      await post(
        `${route} entityRef with traversal`,
        p,
        json({ entityRef: 'component:default/../../etc/passwd' }),
        { ...bad, names: "body field 'entityRef'" },
      );
      await post(
        `${route} entityRef with NUL`,
        p,
        json({ entityRef: 'component:default/payments-api\u0000' }),
        { ...bad, names: "body field 'entityRef'" },
      );
      await post(
        `${route} text/plain`,
        p,
        json({}),
        { status: 415, names: 'application/json' },
        { 'content-type': 'text/plain' },
      );
      await post(
        `${route} form-encoded`,
        p,
        'features[apm]=true',
        { status: 415, names: 'application/json' },
        {
          'content-type': 'application/x-www-form-urlencoded',
        },
      );
      await post(
        `${route} no content type`,
        p,
        json({}),
        { status: 415, names: 'application/json' },
        {},
      );
      await post(
        `${route} UTF-16 JSON`,
        p,
        Buffer.from('{}', 'utf16le'),
        { status: 415, names: 'UTF-8' },
        {
          'content-type': 'application/json; charset=utf-16',
        },
      );
    }
    await post(
      'rollouts clientToken with spaces',
      `${PAYMENTS}/rollouts`,
      json({ clientToken: 'a b' }),
      { ...bad, names: "body field 'clientToken'" },
    );
    await post(
      'rollouts clientToken too long',
      `${PAYMENTS}/rollouts`,
      json({ clientToken: 'x'.repeat(65) }),
      { ...bad, names: "body field 'clientToken'" },
    );
    await post(
      'rollback with a body field',
      `${PAYMENTS}/rollouts/${NO_SUCH_ROLLOUT}/rollback`,
      json({ force: true }),
      { ...bad, names: "unknown body field(s) 'force'" },
    );
    await post(
      'rollback malformed JSON',
      `${PAYMENTS}/rollouts/${NO_SUCH_ROLLOUT}/rollback`,
      '{',
      { ...bad, names: 'body is not valid JSON' },
    );
    await post(
      'rollback text/plain',
      `${PAYMENTS}/rollouts/${NO_SUCH_ROLLOUT}/rollback`,
      'go',
      { status: 415, names: 'application/json' },
      {
        'content-type': 'text/plain',
      },
    );
    const cancel = `${API}/rollouts/${NO_SUCH_ROLLOUT}/cancel`;
    await post('cancel with a body field', cancel, json({ force: true }), {
      ...bad,
      names: "unknown body field(s) 'force'",
    });
    await post('cancel, rollback not a boolean', cancel, json({ rollback: 'yes' }), {
      ...bad,
      names: "body field 'rollback'",
    });
    await post('cancel malformed JSON', cancel, '{', {
      ...bad,
      names: 'body is not valid JSON',
    });
    await post(
      'cancel text/plain',
      cancel,
      'stop',
      { status: 415, names: 'application/json' },
      { 'content-type': 'text/plain' },
    );
    await post(
      'cancel oversized (>100kb)',
      cancel,
      json({ rollback: true, x: 'x'.repeat(120_000) }),
      { status: 413, names: 'body is larger than 100kb' },
    );
    await post(
      'refresh text/plain',
      `${API}/refresh`,
      'now',
      { status: 415, names: 'application/json' },
      { 'content-type': 'text/plain' },
    );
    await post('refresh malformed JSON', `${API}/refresh`, '{', {
      ...bad,
      names: 'body is not valid JSON',
    });
    expect(problemsOf(start)).toEqual([]);
  });

  it('refuses hostile path and query parameters', async () => {
    const start = outcomes.length;
    const bad = (names: string) => ({ status: 400, names });
    const cases: Array<[string, string, string, Expect]> = [
      [
        'GET',
        'cluster, accountId traversal',
        `${API}/clusters/..%2F..%2Fetc/eu-west-1/prod-eu-payments`,
        bad("path parameter 'accountId'"),
      ],
      [
        'GET',
        'cluster, accountId 11 digits',
        `${API}/clusters/11111111111/eu-west-1/prod-eu-payments`,
        bad("path parameter 'accountId'"),
      ],
      [
        'GET',
        'cluster, region with encoded slash',
        `${API}/clusters/111111111111/eu-west-1%2F..%2F/prod-eu-payments`,
        bad("path parameter 'region'"),
      ],
      [
        'GET',
        'cluster, clusterName NUL',
        `${API}/clusters/111111111111/eu-west-1/prod-eu-payments%00`,
        bad("path parameter 'clusterName'"),
      ],
      [
        'GET',
        'cluster, clusterName non-ASCII',
        `${API}/clusters/111111111111/eu-west-1/prod-%C3%A9u-payments`,
        bad("path parameter 'clusterName'"),
      ],
      [
        'GET',
        'cluster, clusterName traversal',
        `${API}/clusters/111111111111/eu-west-1/..%2F..%2F..%2Fetc%2Fpasswd`,
        bad("path parameter 'clusterName'"),
      ],
      [
        'GET',
        'cluster, clusterName 256 chars',
        `${API}/clusters/111111111111/eu-west-1/${'c'.repeat(256)}`,
        bad("path parameter 'clusterName'"),
      ],
      [
        'GET',
        'cluster, bad percent-encoding',
        `${API}/clusters/111111111111/eu-west-1/prod%E0%A4%A`,
        bad('clusterName'),
      ],
      [
        'GET',
        'cluster, not in the inventory',
        `${API}/clusters/111111111111/eu-west-1/no-such-cluster`,
        { status: 404, names: 'no-such-cluster' },
      ],
      [
        'GET',
        'rollouts list, accountId NUL',
        `${API}/clusters/1111111111%00/eu-west-1/prod-eu-payments/rollouts`,
        bad("path parameter 'accountId'"),
      ],
      [
        'GET',
        'rollouts list, region upper case',
        `${API}/clusters/111111111111/EU-WEST-1/prod-eu-payments/rollouts`,
        bad("path parameter 'region'"),
      ],
      [
        'POST',
        'preview, clusterName traversal',
        `${API}/clusters/111111111111/eu-west-1/..%2Fprod-web/rollouts/preview`,
        bad("path parameter 'clusterName'"),
      ],
      [
        'POST',
        'rollouts, region traversal',
        `${API}/clusters/111111111111/..%2F..%2F/prod-eu-payments/rollouts`,
        bad("path parameter 'region'"),
      ],
      [
        'POST',
        'rollback, id not a UUID',
        `${PAYMENTS}/rollouts/not-a-uuid/rollback`,
        bad("path parameter 'id'"),
      ],
      [
        'POST',
        'rollback, id 36 dashes',
        `${PAYMENTS}/rollouts/${'-'.repeat(36)}/rollback`,
        bad("path parameter 'id'"),
      ],
      [
        'POST',
        'rollback, id with NUL',
        `${PAYMENTS}/rollouts/${NO_SUCH_ROLLOUT.slice(0, 35)}%00/rollback`,
        bad("path parameter 'id'"),
      ],
      [
        'POST',
        'rollback, id traversal',
        `${PAYMENTS}/rollouts/..%2F..%2F${NO_SUCH_ROLLOUT.slice(6)}/rollback`,
        bad("path parameter 'id'"),
      ],
      [
        'POST',
        'cancel, id not a UUID',
        `${API}/rollouts/not-a-uuid/cancel`,
        bad("path parameter 'id'"),
      ],
      [
        'POST',
        'cancel, id traversal',
        `${API}/rollouts/..%2F..%2F${NO_SUCH_ROLLOUT.slice(6)}/cancel`,
        bad("path parameter 'id'"),
      ],
      [
        'GET',
        'rollout, id SQL',
        `${API}/rollouts/1'%20OR%20'1'%3D'1`,
        bad("path parameter 'id'"),
      ],
      [
        'GET',
        'rollout, id upper-case UUID',
        `${API}/rollouts/${NO_SUCH_ROLLOUT.toUpperCase()}`,
        bad("path parameter 'id'"),
      ],
      [
        'GET',
        'rollout, id non-ASCII',
        `${API}/rollouts/%E2%80%AE${NO_SUCH_ROLLOUT.slice(1)}`,
        bad("path parameter 'id'"),
      ],
      [
        'GET',
        'rollout, unknown UUID',
        `${API}/rollouts/${NO_SUCH_ROLLOUT}`,
        { status: 404, names: NO_SUCH_ROLLOUT },
      ],
      [
        'GET',
        'entity, name NUL',
        `${API}/entity/default/component/payments-api%00`,
        bad("path parameter 'name'"),
      ],
      [
        'GET',
        'entity, name traversal',
        `${API}/entity/default/component/..%2F..%2Fgroup%2Fplatform`,
        bad("path parameter 'name'"),
      ],
      [
        'GET',
        'entity, namespace traversal',
        `${API}/entity/..%2F..%2F/component/payments-api`,
        bad("path parameter 'namespace'"),
      ],
      [
        'GET',
        'entity, kind non-ASCII',
        `${API}/entity/default/comp%C3%B6nent/payments-api`,
        bad("path parameter 'kind'"),
      ],
      [
        'GET',
        'entity, forged ref with a colon',
        `${API}/entity/default/component/payments-api%3Auser%3Adefault%2Falice`,
        bad("path parameter 'name'"),
      ],
      [
        'GET',
        'entity, name too long',
        `${API}/entity/default/component/${'n'.repeat(300)}`,
        bad("path parameter 'name'"),
      ],
      [
        'GET',
        'entity, unknown',
        `${API}/entity/default/component/no-such-service`,
        { status: 404, names: 'component:default/no-such-service' },
      ],
      [
        'GET',
        'clusters, account not 12 digits',
        `${API}/clusters?account=12345`,
        bad("query parameter 'account'"),
      ],
      [
        'GET',
        'clusters, account twice',
        `${API}/clusters?account=111111111111&account=222222222222`,
        bad("query parameter 'account'"),
      ],
      [
        'GET',
        'clusters, region traversal',
        `${API}/clusters?region=..%2F..%2F`,
        bad("query parameter 'region'"),
      ],
      [
        'GET',
        'clusters, state unknown',
        `${API}/clusters?state=pwned`,
        bad("query parameter 'state.0'"),
      ],
      [
        'GET',
        'clusters, state object',
        `${API}/clusters?state[$ne]=covered`,
        bad("query parameter 'state'"),
      ],
      [
        'GET',
        'clusters, feature unknown',
        `${API}/clusters?feature=rootkit:on`,
        bad("query parameter 'feature'"),
      ],
      [
        'GET',
        'clusters, q too long',
        `${API}/clusters?q=${'q'.repeat(201)}`,
        bad("query parameter 'q'"),
      ],
      [
        'GET',
        'clusters, q an object',
        `${API}/clusters?q[toString]=x`,
        bad("query parameter 'q'"),
      ],
      [
        'GET',
        'clusters, unknown parameter',
        `${API}/clusters?limit=1`,
        bad("unknown query parameter(s) 'limit'"),
      ],
      [
        'GET',
        // The query parser drops prototype keys (qs allowPrototypes: false): ignored, not polluting.
        'clusters, __proto__ parameter (dropped by the query parser)',
        `${API}/clusters?__proto__[admin]=1`,
        { status: 200 },
      ],
      [
        'GET',
        'clusters, constructor parameter',
        `${API}/clusters?constructor[prototype][admin]=1`,
        bad("unknown query parameter(s) 'constructor'"),
      ],
      ['GET', 'clusters, NUL in q', `${API}/clusters?q=%00`, { status: 200 }],
    ];
    for (const [method, label, p, want] of cases) {
      await hit(
        label,
        method,
        p,
        want,
        method === 'POST' ? { headers: jsonHeaders, body: '{}' } : {},
      );
    }
    expect(({} as any).admin).toBeUndefined();
    // Credentials: a forged token is refused before anything else.
    await hit(
      'clusters, forged token',
      'GET',
      `${API}/clusters`,
      { status: 401 },
      {
        user: null,
        headers: {
          authorization:
            'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyOmRlZmF1bHQvYWxpY2UifQ.',
        },
      },
    );
    await hit(
      'rollouts, forged token',
      'POST',
      `${PAYMENTS}/rollouts`,
      { status: 401 },
      {
        user: null,
        headers: {
          ...jsonHeaders,
          authorization: 'Bearer mock-invalid-user-token',
        },
        body: '{}',
      },
    );
    expect(problemsOf(start)).toEqual([]);
  });

  it('every demo user against every mutating route: the policy decides, before any ECS call', async () => {
    const start = outcomes.length;
    /** The status each user gets, per the app's policy: alice (platform) may roll out anywhere; owners from their entities. */
    const matrix: Array<{
      label: string;
      method: 'POST';
      path: string;
      body: unknown;
      want: Record<User, Expect>;
    }> = [];
    const all = (want: Expect): Record<User, Expect> => ({
      alice: want,
      bob: want,
      carol: want,
      guest: want,
    });
    const denied: Expect = {
      status: 403,
      names: 'You may not roll the Datadog Agent out',
    };

    matrix.push({
      label: 'refresh (claimed at setup: refused for a day)',
      method: 'POST',
      path: `${API}/refresh`,
      body: undefined,
      want: all({ status: 429, names: 'A refresh was requested' }),
    });
    matrix.push({
      label: 'preview, invalid body',
      method: 'POST',
      path: `${PAYMENTS}/rollouts/preview`,
      body: { features: { apm: 1 } },
      want: all({ status: 400, names: "body field 'features.apm'" }),
    });
    matrix.push({
      label: 'preview of a cluster not in the inventory',
      method: 'POST',
      path: `${API}/clusters/111111111111/eu-west-1/no-such-cluster/rollouts/preview`,
      body: {},
      want: all({ status: 404, names: 'no-such-cluster' }),
    });
    matrix.push({
      label: 'rollout, invalid body',
      method: 'POST',
      path: `${PAYMENTS}/rollouts`,
      body: { features: { apm: 'on' } },
      want: all({ status: 400, names: "body field 'features.apm'" }),
    });
    matrix.push({
      label: 'rollout portal-wide to a Fargate-only cluster',
      method: 'POST',
      path: `${FARGATE}/rollouts`,
      body: {},
      want: {
        alice: { status: 400, names: 'Fargate only' },
        bob: denied,
        carol: denied,
        guest: denied,
      },
    });
    matrix.push({
      label: 'rollout portal-wide to a cluster not in the inventory',
      method: 'POST',
      path: `${API}/clusters/111111111111/eu-west-1/no-such-cluster/rollouts`,
      body: {},
      want: {
        alice: { status: 404, names: 'no-such-cluster' },
        bob: denied,
        carol: denied,
        guest: denied,
      },
    });
    const notThere: Expect = {
      status: 400,
      names: 'runs no service the inventory has on the cluster',
    };
    matrix.push({
      // bob's team owns prod-eu-legacy (its owner tag): allowed there, but payments-api does not run there.
      label: 'rollout from payments-api to a cluster it does not run on',
      method: 'POST',
      path: `${LEGACY}/rollouts`,
      body: { entityRef: 'component:default/payments-api' },
      want: {
        alice: notThere,
        bob: notThere,
        carol: { status: 403, names: 'ask its owner, group:default/payments' },
        guest: denied,
      },
    });
    matrix.push({
      // carol owns the storefront entity, whose annotation names prod-web: owning an entity grants
      // nothing on prod-eu-payments, which the payments team owns.
      label: 'rollout from storefront (carol’s entity) to a cluster her team does not own',
      method: 'POST',
      path: `${PAYMENTS}/rollouts`,
      body: { entityRef: 'component:default/storefront' },
      want: {
        alice: notThere,
        bob: notThere,
        carol: { status: 403, names: 'ask its owner, group:default/payments' },
        guest: denied,
      },
    });
    matrix.push({
      // prod-web is the storefront team's: carol passes the permission, then her entity proves nothing.
      label: 'rollout to prod-web from an entity that runs no service there',
      method: 'POST',
      path: `${API}/clusters/111111111111/us-east-1/prod-web/rollouts`,
      body: { entityRef: 'component:default/marketing-site' },
      want: {
        alice: notThere,
        bob: { status: 403, names: 'ask its owner, group:default/storefront' },
        carol: notThere,
        guest: denied,
      },
    });
    matrix.push({
      label:
        'rollout from web-frontend (storefront) to its Fargate-only cluster',
      method: 'POST',
      path: `${FARGATE}/rollouts`,
      body: { entityRef: 'web-frontend' },
      want: {
        alice: { status: 400, names: 'Fargate only' },
        bob: denied,
        // staging-fargate is the platform team's: carol owning web-frontend grants nothing there.
        carol: { status: 403, names: 'ask its owner, group:default/platform' },
        guest: denied,
      },
    });
    matrix.push({
      label: 'rollout from a forged entity ref (a user)',
      method: 'POST',
      path: `${PAYMENTS}/rollouts`,
      body: { entityRef: 'user:default/alice' },
      want: {
        alice: notThere,
        bob: notThere,
        carol: denied,
        guest: denied,
      },
    });
    matrix.push({
      label: 'rollout from an entity that does not exist',
      method: 'POST',
      path: `${PAYMENTS}/rollouts`,
      body: { entityRef: 'component:default/payments-api-forged' },
      want: {
        alice: { status: 400, names: "body field 'entityRef'" },
        bob: { status: 400, names: "body field 'entityRef'" },
        carol: denied,
        guest: denied,
      },
    });
    matrix.push({
      label: 'rollout from another namespace',
      method: 'POST',
      path: `${PAYMENTS}/rollouts`,
      body: { entityRef: 'component:evil/payments-api' },
      want: {
        alice: { status: 400, names: "body field 'entityRef'" },
        bob: { status: 400, names: "body field 'entityRef'" },
        carol: denied,
        guest: denied,
      },
    });
    matrix.push({
      label: 'rollback of a rollout that does not exist',
      method: 'POST',
      path: `${PAYMENTS}/rollouts/${NO_SUCH_ROLLOUT}/rollback`,
      body: undefined,
      want: {
        alice: { status: 404, names: NO_SUCH_ROLLOUT },
        bob: denied,
        carol: denied,
        guest: denied,
      },
    });
    matrix.push({
      label: 'cancel of a rollout that does not exist',
      method: 'POST',
      path: `${API}/rollouts/${NO_SUCH_ROLLOUT}/cancel`,
      body: { rollback: true },
      want: {
        alice: { status: 404, names: NO_SUCH_ROLLOUT },
        bob: denied,
        carol: denied,
        guest: denied,
      },
    });
    matrix.push({
      label: 'rollback, id not a UUID',
      method: 'POST',
      path: `${PAYMENTS}/rollouts/latest/rollback`,
      body: {},
      want: all({ status: 400, names: "path parameter 'id'" }),
    });

    for (const row of matrix) {
      for (const user of USERS) {
        await hit(
          `${row.label} (${user})`,
          row.method,
          row.path,
          row.want[user],
          row.body === undefined
            ? { user }
            : { user, headers: jsonHeaders, body: json(row.body) },
        );
      }
    }
    expect(problemsOf(start)).toEqual([]);
  });

  it('every demo user against every action', async () => {
    const start = outcomes.length;
    const payments = {
      accountId: '111111111111',
      region: 'eu-west-1',
      clusterName: 'prod-eu-payments',
    };
    const fargate = {
      accountId: '222222222222',
      region: 'us-east-1',
      clusterName: 'staging-fargate',
    };
    const legacy = {
      accountId: '111111111111',
      region: 'eu-west-1',
      clusterName: 'prod-eu-legacy',
    };
    const deniedA: Expect = {
      status: 403,
      names: 'You may not roll the Datadog Agent out',
    };
    for (const user of USERS) {
      // get-coverage (read-only)
      await invoke(
        'accountId traversal',
        'get-coverage',
        { accountId: '../../etc' },
        user,
        { status: 400, names: "input field 'accountId'" },
      );
      await invoke(
        'region bogus',
        'get-coverage',
        { region: 'EU-WEST-1' },
        user,
        { status: 400, names: "input field 'region'" },
      );
      await invoke(
        'state unknown',
        'get-coverage',
        { state: ['pwned'] },
        user,
        { status: 400, names: "input field 'state.0'" },
      );
      await invoke('text a number', 'get-coverage', { text: 5 }, user, {
        status: 400,
        names: "input field 'text'",
      });
      await invoke('unknown field', 'get-coverage', { limit: 1 }, user, {
        status: 400,
        names: "'limit'",
      });
      // preview-rollout (read-only)
      await invoke(
        'features.apm a string',
        'preview-rollout',
        { ...payments, features: { apm: 'yes' } },
        user,
        { status: 400, names: "input field 'features.apm'" },
      );
      await invoke(
        'clusterName traversal',
        'preview-rollout',
        { ...payments, clusterName: '../prod-web' },
        user,
        { status: 400, names: "input field 'clusterName'" },
      );
      await invoke(
        'region NUL',
        'preview-rollout',
        { ...payments, region: 'eu-west-1\u0000' },
        user,
        { status: 400, names: "input field 'region'" },
      );
      await invoke(
        '__proto__',
        'preview-rollout',
        JSON.parse(
          '{"accountId":"111111111111","region":"eu-west-1","clusterName":"prod-eu-payments","__proto__":{"x":1}}',
        ),
        user,
        { status: 400, names: "'__proto__'" },
      );
      await invoke(
        'unknown feature',
        'preview-rollout',
        { ...payments, features: { bitcoin: true } },
        user,
        { status: 400, names: "'features.bitcoin'" },
      );
      await invoke(
        'site not Datadog',
        'preview-rollout',
        { ...payments, site: 'evil.example.com' },
        user,
        { status: 400, names: "input field 'site'" },
      );
      await invoke(
        'imageTag injection',
        'preview-rollout',
        { ...payments, imageTag: 'x; curl evil' },
        user,
        { status: 400, names: "input field 'imageTag'" },
      );
      // rollout (destructive): refused inputs, the policy decides who gets 403
      await invoke(
        'features.apm a number',
        'rollout',
        { ...payments, features: { apm: 1 } },
        user,
        { status: 400, names: "input field 'features.apm'" },
      );
      await invoke(
        'accountId 11 digits',
        'rollout',
        { ...payments, accountId: '11111111111' },
        user,
        { status: 400, names: "input field 'accountId'" },
      );
      await invoke(
        'clusterName NUL',
        'rollout',
        { ...payments, clusterName: 'prod-eu-payments\u0000' },
        user,
        { status: 400, names: "input field 'clusterName'" },
      );
      await invoke(
        'unknown field',
        'rollout',
        { ...payments, apiKey: FLEET_KEY },
        user,
        { status: 400, names: "'apiKey'" },
      );
      await invoke(
        'constructor',
        'rollout',
        { ...payments, constructor: { prototype: {} } } as any,
        user,
        { status: 400, names: "'constructor'" },
      );
      await invoke(
        'tags not key:value',
        'rollout',
        { ...payments, tags: ['a b'] },
        user,
        { status: 400, names: "input field 'tags.0'" },
      );
      await invoke(
        'clientToken with spaces',
        'rollout',
        { ...payments, clientToken: 'a b' },
        user,
        { status: 400, names: "input field 'clientToken'" },
      );
      await invoke(
        'entityRef traversal',
        'rollout',
        { ...payments, entityRef: 'component:default/../x' },
        user,
        { status: 400, names: "input field 'entityRef'" },
      );
      await invoke(
        'portal-wide to Fargate',
        'rollout',
        fargate,
        user,
        user === 'alice' ? { status: 400, names: 'Fargate only' } : deniedA,
      );
      await invoke(
        'from payments-api elsewhere',
        'rollout',
        { ...legacy, entityRef: 'component:default/payments-api' },
        user,
        // bob's team owns prod-eu-legacy: past the permission, payments-api does not run there.
        user === 'alice' || user === 'bob'
          ? { status: 400, names: 'runs no service the inventory has' }
          : deniedA,
      );
      await invoke(
        'from web-frontend to Fargate',
        'rollout',
        { ...fargate, entityRef: 'component:default/web-frontend' },
        user,
        // staging-fargate is the platform team's: owning web-frontend grants carol nothing there.
        user === 'alice' ? { status: 400, names: 'Fargate only' } : deniedA,
      );
      await invoke(
        'from a forged ref',
        'rollout',
        { ...payments, entityRef: 'group:default/platform' },
        user,
        // prod-eu-payments is bob's team's: past the permission, a group runs no service.
        user === 'alice' || user === 'bob'
          ? { status: 400, names: 'runs no service the inventory has' }
          : deniedA,
      );
    }
    expect(problemsOf(start)).toEqual([]);
  });

  it('prints the figures: 0 5xx, 0 ECS calls, 0 leaks', () => {
    const allLeaks =
      logLines.flatMap(secretsIn).length +
      outcomes.reduce((n, o) => n + o.leaks.length, 0);
    const figures = {
      requests: outcomes.length,
      '  over HTTP': outcomes.filter(o => !o.label.startsWith('action '))
        .length,
      '  action calls': outcomes.filter(o => o.label.startsWith('action '))
        .length,
      '2xx': outcomes.filter(o => o.status < 300).length,
      '4xx': outcomes.filter(o => o.status >= 400 && o.status < 500).length,
      '5xx': outcomes.filter(o => o.status >= 500).length,
      'ECS calls': outcomes.reduce((n, o) => n + o.ecsCalls, 0),
      leaks: allLeaks,
      'log lines checked': logLines.length,
    };
    // eslint-disable-next-line no-console
    console.log(
      `hostile-input suite\n${Object.entries(figures)
        .map(([k, v]) => `  ${k.padEnd(18)} ${String(v).padStart(5)}`)
        .join('\n')}`,
    );
    expect(outcomes.length).toBeGreaterThanOrEqual(60);
    expect(figures['5xx']).toBe(0);
    expect(figures['ECS calls']).toBe(0);
    expect(figures.leaks).toBe(0);
  });
});
