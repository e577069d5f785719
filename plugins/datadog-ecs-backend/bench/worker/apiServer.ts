/**
 * A backend serving the plugin's API, in its own process: the real plugin (router, store,
 * refresher, redaction) in `@backstage/backend-defaults`' backend with its default services —
 * the production root HTTP router (helmet, CORS, compression, request logging), database,
 * discovery, auditor — on a real port, on SQLite (a file) or PostgreSQL. Replaced by mocks: the
 * catalog (the catalog's mock with the benchmark's entities, as in the integration tests), auth
 * (every request is the mock user), permissions (allow; the plugin still asks for each request),
 * the scheduler (runs a task when triggered) and the root logger (silent). The refresh is the
 * plugin's own (`POST /refresh`), against the emulator the parent runs.
 */
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { createServer } from 'node:net';
import { datadogEcsPlugin } from '../../src/plugin';
import { permissionsFactory } from '../../src/__testUtils__/integration';
import { serveCommands } from '../lib/child';
import type { EmulatorAccount } from '../lib/emulator';

export interface ApiServerInit {
  emulatorUrl: string;
  accounts: EmulatorAccount[];
  locations: Array<{ accountId: string; region: string }>;
  /** `backend.database` */
  database: JsonObject;
  entities: Entity[];
}

export type ApiServerCommand =
  | { type: 'start'; init: ApiServerInit }
  | { type: 'refresh' }
  | { type: 'exit' };

const MB = 1024 * 1024;
let backend: ReturnType<typeof createBackend> | undefined;
let origin = '';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function start(init: ApiServerInit) {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  backend = createBackend();
  for (const feature of [
    datadogEcsPlugin,
    mockServices.rootConfig.factory({
      data: {
        backend: {
          baseUrl: origin,
          listen: { host: '127.0.0.1', port },
          database: init.database,
        },
        aws: { accounts: init.accounts },
        datadogEcs: {
          ecsEndpoint: init.emulatorUrl,
          locations: init.locations.map(l => ({
            accountId: l.accountId,
            regions: [l.region],
          })),
          refresh: { minIntervalSeconds: 1 },
        },
      },
    }),
    catalogServiceMock.factory({ entities: init.entities }),
    permissionsFactory(),
    mockServices.auth.factory(),
    mockServices.httpAuth.factory(),
    mockServices.userInfo.factory(),
    mockServices.scheduler.factory(),
    mockServices.rootLogger.factory({ level: 'none' }),
  ]) {
    backend.add(feature);
  }
  await backend.start();
  global.gc?.();
  return { origin, rssMb: process.memoryUsage().rss / MB };
}

/**
 * `POST /refresh`, then waits until the snapshot it takes is there: polls `GET /clusters` with a
 * filter that matches nothing, so that the body the benchmark measures is not built yet.
 */
const POLL = '/api/datadog-ecs/clusters?q=no-such-cluster-bench-poll';
async function refresh() {
  const started = performance.now();
  const before = await (await fetch(`${origin}${POLL}`)).json();
  const requested = await fetch(`${origin}/api/datadog-ecs/refresh`, {
    method: 'POST',
  });
  if (requested.status !== 202) {
    throw new Error(
      `POST /refresh answered ${requested.status}: ${await requested.text()}`,
    );
  }
  for (;;) {
    await new Promise(r => setTimeout(r, 100));
    const body = await (await fetch(`${origin}${POLL}`)).json();
    if (
      body.snapshotTakenAt &&
      body.snapshotTakenAt !== before.snapshotTakenAt &&
      !body.refresh.running
    ) {
      global.gc?.();
      return {
        ms: performance.now() - started,
        clusters: body.locations.reduce(
          (n: number, l: { clusterCount: number }) => n + l.clusterCount,
          0,
        ),
        errors: body.locations.filter((l: { error?: unknown }) => l.error)
          .length,
        rssMb: process.memoryUsage().rss / MB,
      };
    }
  }
}

serveCommands<ApiServerCommand>(
  async command => {
    switch (command.type) {
      case 'start':
        return start(command.init);
      case 'refresh':
        return refresh();
      default:
        throw new Error(
          `unknown command ${(command as { type: string }).type}`,
        );
    }
  },
  async () => {
    await backend?.stop();
    backend = undefined;
  },
);
