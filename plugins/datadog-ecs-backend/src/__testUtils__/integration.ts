/*
 * Shared parts of the integration tests: a test backend with the plugin against the ECS emulator
 * (real SDK, real router, SQLite in a temporary folder), a permission service, a capturing auditor
 * and logger, and helpers to refresh and follow rollouts.
 */
import {
  coreServices,
  createServiceFactory,
  LoggerService,
  PermissionsService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Rollout } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { DEMO_CREDENTIALS, startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import request from 'supertest';
import { datadogEcsPlugin } from '../plugin';

export type Emulator = Awaited<ReturnType<typeof startEcsEmulator>>;
export type Server = Awaited<ReturnType<typeof startTestBackend>>;

export const SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:111111111111:secret:datadog-api-key-AbCdEf';
export const ROLE_ARN = 'arn:aws:iam::111111111111:role/datadog-agent-execution';
export const PLAINTEXT_KEY = 'dev-key-0123456789abcdef';

export const PAYMENTS =
  '/api/datadog-ecs/clusters/111111111111/eu-west-1/prod-eu-payments';
export const LEGACY =
  '/api/datadog-ecs/clusters/111111111111/eu-west-1/prod-eu-legacy';
export const SANDBOX = '/api/datadog-ecs/clusters/111111111111/us-east-1/sandbox';
export const STAGING =
  '/api/datadog-ecs/clusters/222222222222/us-east-1/staging-misconfigured';

export const payments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: {
      'aws.amazon.com/amazon-ecs-service-arn':
        'arn:aws:ecs:eu-west-1:111111111111:service/prod-eu-payments/payments-api',
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
};
export const elsewhere: Entity = {
  ...payments,
  metadata: {
    name: 'search',
    namespace: 'default',
    annotations: {
      'aws.amazon.com/amazon-ecs-cluster-arn':
        'arn:aws:ecs:us-east-1:222222222222:cluster/staging-replica',
    },
  },
};

/** Allows everything except the permissions named in `deny`. */
export function permissionsFactory(deny: string[] = []) {
  const service: PermissionsService = {
    authorize: async requests =>
      requests
        .map(() => ({ result: AuthorizeResult.ALLOW }))
        .map((r, i) => ({
          ...r,
          result: deny.includes(requests[i].permission.name)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
        })) as any,
    authorizeConditional: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
  };
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => service,
  });
}

export function auditorMock() {
  const events: Array<{
    eventId: string;
    meta?: any;
    outcome?: 'success' | 'fail';
    error?: Error;
  }> = [];
  const mock = mockServices.auditor.mock({
    createEvent: jest.fn(async options => {
      const event: (typeof events)[number] = {
        eventId: options.eventId,
        meta: options.meta,
      };
      events.push(event);
      return {
        success: async () => {
          event.outcome = 'success';
        },
        fail: async ({ error }: { error: Error }) => {
          event.outcome = 'fail';
          event.error = error;
        },
      };
    }),
  });
  return { mock, events };
}

export interface StartOptions {
  deny?: string[];
  /** Account 111111111111 with the emulator's read-only key (every write call is denied). */
  readOnly111?: boolean;
  rollout?: Record<string, unknown>;
  dbDir: string;
  auditor?: ReturnType<typeof auditorMock>;
  actionsRegistry?: ReturnType<typeof actionsRegistryServiceMock>;
  logger?: CapturingLogger;
  /** Catalog entities (payments-api and search by default). */
  entities?: Entity[];
  /** Replaces the datadogEcs section's keys given. */
  datadogEcs?: Record<string, unknown>;
  /** Replaces the permission service. */
  permissions?: PermissionsService;
  /** Replaces `backend.database` (SQLite in `dbDir` by default), e.g. a PostgreSQL server. */
  database?: JsonObject;
  /** More features (service factory overrides, …). */
  features?: any[];
}

export async function startBackend(
  emu: Pick<Emulator, 'url'>,
  options: StartOptions,
): Promise<Server> {
  const features: any[] = [
    datadogEcsPlugin,
    mockServices.rootConfig.factory({
      data: {
        backend: {
          database: options.database ?? {
            client: 'better-sqlite3',
            connection: { directory: options.dbDir },
          },
        },
        aws: {
          accounts: [
            options.readOnly111
              ? {
                  accountId: '111111111111',
                  accessKeyId: 'AKIAEMULATORREADONLY1',
                  secretAccessKey: 'emulator-readonly-111',
                }
              : { ...DEMO_CREDENTIALS[0] },
            { ...DEMO_CREDENTIALS[1] },
          ],
        },
        datadogEcs: {
          ecsEndpoint: emu.url,
          locations: [
            { accountId: '111111111111', regions: ['us-east-1', 'eu-west-1'] },
            { accountId: '222222222222', regions: ['us-east-1'] },
          ],
          refresh: { minIntervalSeconds: 1 },
          rollout: {
            enabled: true,
            pollIntervalSeconds: 0.02,
            apiKeys: [
              {
                accountId: '111111111111',
                secretArn: SECRET_ARN,
                executionRoleArn: ROLE_ARN,
              },
              { accountId: '222222222222', plaintextApiKey: PLAINTEXT_KEY },
            ],
            ...options.rollout,
          },
          ...options.datadogEcs,
        },
      },
    }),
    catalogServiceMock.factory({ entities: options.entities ?? [payments, elsewhere] }),
    options.permissions
      ? createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: () => options.permissions!,
        })
      : permissionsFactory(options.deny),
  ];
  if (options.logger) features.push(options.logger.factory);
  if (options.features) features.push(...options.features);
  if (options.auditor) features.push(options.auditor.mock.factory);
  if (options.actionsRegistry) {
    const registry = options.actionsRegistry;
    features.push(
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => registry,
      }),
    );
  }
  return startTestBackend({ features });
}

export async function refreshSnapshot(server: Server['server']) {
  const r = await request(server).post('/api/datadog-ecs/refresh');
  expect([202, 429]).toContain(r.status);
  for (let i = 0; i < 100; i++) {
    const clusters = await request(server).get('/api/datadog-ecs/clusters');
    if (clusters.body.snapshotTakenAt && !clusters.body.refresh.running) return;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  throw new Error('no snapshot');
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Advances the emulator's clock (`stepMs`, 1 s by default; a managed daemon's deployment replaces
 * instances, which takes minutes) while polling the rollout until it leaves the running states,
 * calling `each` with it after every step.
 */
export async function followToEnd(
  emu: Emulator,
  server: Server['server'],
  id: string,
  options: { stepMs?: number; each?: (r: Rollout) => Promise<void> } = {},
): Promise<Rollout> {
  let last: unknown;
  for (let i = 0; i < 300; i++) {
    emu.control.advance(options.stepMs ?? 1000);
    await sleep(25);
    const r = await request(server).get(`/api/datadog-ecs/rollouts/${id}`);
    expect(r.status).toBe(200);
    last = r.body;
    await options.each?.(r.body);
    if (r.body.status === 'completed' || r.body.status === 'failed')
      return r.body;
  }
  throw new Error(
    `rollout ${id} did not finish: ${JSON.stringify(last, null, 1)}`,
  );
}

export const writeCalls = (emu: Emulator) => {
  const ops = emu.control.counters().operations as Record<
    string,
    { calls: number }
  >;
  const count = (op: string) => ops[op]?.calls ?? 0;
  return {
    RegisterTaskDefinition: count('RegisterTaskDefinition'),
    CreateService: count('CreateService'),
    UpdateService: count('UpdateService'),
  };
};

/** The ECS Managed Daemons write calls the emulator answered. */
export const daemonWriteCalls = (emu: Emulator) => {
  const ops = emu.control.counters().operations as Record<
    string,
    { calls: number }
  >;
  const count = (op: string) => ops[op]?.calls ?? 0;
  return {
    RegisterDaemonTaskDefinition: count('RegisterDaemonTaskDefinition'),
    CreateDaemon: count('CreateDaemon'),
    UpdateDaemon: count('UpdateDaemon'),
  };
};

/** A logger that keeps every line (message and meta, as JSON) for assertions. */
export interface CapturingLogger {
  lines: string[];
  factory: ServiceFactory<LoggerService>;
}

export function capturingLogger(): CapturingLogger {
  const lines: string[] = [];
  const make = (fields: Record<string, unknown>): LoggerService => {
    const log = (level: string) => (message: string, meta?: unknown) => {
      const m = meta instanceof Error ? { error: `${meta.name}: ${meta.message}\n${meta.stack}` } : meta;
      lines.push(JSON.stringify({ level, message, ...fields, ...(m as object) }));
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: meta => make({ ...fields, ...meta }),
    };
  };
  return {
    lines,
    factory: createServiceFactory({
      service: coreServices.logger,
      deps: {},
      factory: () => make({}),
    }) as any,
  };
}

