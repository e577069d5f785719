/**
 * Issue 15, item 4 (API under load): 50 users at once against a 10,000-instance snapshot, on SQLite
 * and on PostgreSQL — `GET /clusters`, the detail of a 1,000-instance cluster and the entity route —
 * each p99 against the floor measured in the same run: a plain Node HTTP server handing out the
 * same bytes to the same load generator.
 *
 * Processes: the emulator in this one (manual clock, idle while the API is measured), the backend
 * (`worker/apiServer.ts`: the real plugin behind the production root HTTP router), the floor
 * (`worker/floorServer.ts`) and the load generator (`worker/loadClient.ts`), each in its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { SCALE_BIG_CLUSTER } from '@ecs-agent-coverage/ecs-emulator';
import { Child } from '../lib/child';
import { startBenchEmulator } from '../lib/emulator';
import { startThrowawayPostgres, ThrowawayPostgres } from '../lib/postgres';
import { Benchmark, BenchOptions, Row } from '../lib/table';
import type { ApiServerCommand } from '../worker/apiServer';
import type { FloorCommand } from '../worker/floorServer';
import type {
  FetchedResponse,
  LoadCommand,
  LoadResult,
  LoadSpec,
} from '../worker/loadClient';

/** 10,000 instances: 90 clusters of 100 and `scale-big` of 1,000, over two account-regions. */
export const API_FLEET = 'scale:90x100@2+1000';
export const USERS = 50;
const WARMUP_MS = 1_000;
const DURATION_MS = 5_000;
/** What a browser sends (the portal's fetches); the root router's compression answers it. */
const HEADERS = {
  accept: 'application/json',
  'accept-encoding': 'gzip, deflate, br',
};
const BIG_ACCOUNT = '111111111111';
const BIG_REGION = 'us-east-1';

/** A catalog entity whose service runs on the 1,000-instance cluster. */
const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'bench-api',
    namespace: 'default',
    annotations: {
      'aws.amazon.com/amazon-ecs-service-arn': `arn:aws:ecs:${BIG_REGION}:${BIG_ACCOUNT}:service/${SCALE_BIG_CLUSTER}/api`,
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/bench',
    lifecycle: 'production',
  },
};

interface Route {
  figure: string;
  path: string;
  target: number;
}

const ROUTES: Route[] = [
  { figure: 'GET /clusters', path: '/api/datadog-ecs/clusters', target: 50 },
  {
    figure: `GET /clusters/…/${SCALE_BIG_CLUSTER} (1,000 instances)`,
    path: `/api/datadog-ecs/clusters/${BIG_ACCOUNT}/${BIG_REGION}/${SCALE_BIG_CLUSTER}`,
    target: 100,
  },
  {
    figure: 'GET /entity/default/component/bench-api',
    path: '/api/datadog-ecs/entity/default/component/bench-api',
    target: 50,
  },
];

const KB = 1024;
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const size = (bytes: number) =>
  bytes >= 1024 * KB
    ? `${(bytes / 1024 / KB).toFixed(2)} MB`
    : `${(bytes / KB).toFixed(0)} KB`;

interface Database {
  label: string;
  config: JsonObject;
  cleanup(): Promise<void>;
}

async function measureDatabase(
  options: BenchOptions,
  bench: Awaited<ReturnType<typeof startBenchEmulator>>,
  loader: Child<LoadCommand>,
  db: Database,
  section: string,
): Promise<Row[]> {
  const rows: Row[] = [];
  const load = (origin: string, path: string) =>
    loader.send<LoadResult>({
      type: 'load',
      spec: {
        origin,
        path,
        headers: HEADERS,
        connections: USERS,
        warmupMs: WARMUP_MS,
        durationMs: DURATION_MS,
      } satisfies LoadSpec,
    });
  const fetched: Record<string, FetchedResponse> = {};
  const jsonBytes: Record<string, number> = {};
  const measured: LoadResult[] = [];
  // NODE_ENV test: the plain-HTTP emulator endpoint is allowed (as in `yarn start`), and the root
  // router serialises without the development mode's indentation (as in production).
  const server = Child.fork<ApiServerCommand>(
    join(__dirname, '..', 'worker', 'apiServer.ts'),
    { profile: true, env: { NODE_ENV: 'test' } },
  );
  let snapshot: { ms: number; clusters: number; errors: number; rssMb: number };
  try {
    const { origin } = await server.send<{ origin: string }>({
      type: 'start',
      init: {
        emulatorUrl: bench.url,
        accounts: bench.accounts,
        locations: bench.locations,
        database: db.config,
        entities: [ENTITY],
      },
    });
    options.log(`api ${db.label}: refresh`);
    snapshot = await server.send({ type: 'refresh' });
    for (const route of ROUTES) {
      fetched[route.path] = await loader.send<FetchedResponse>({
        type: 'fetch',
        origin,
        path: route.path,
        headers: HEADERS,
      });
      const plain = await loader.send<FetchedResponse>({
        type: 'fetch',
        origin,
        path: route.path,
        headers: { accept: 'application/json' },
      });
      jsonBytes[route.path] = Buffer.from(plain.bodyBase64, 'base64').length;
      options.log(`api ${db.label}: ${USERS} users on ${route.figure}`);
      measured.push(await load(origin, route.path));
    }
  } finally {
    await server.stop();
  }
  const floorServer = Child.fork<FloorCommand>(
    join(__dirname, '..', 'worker', 'floorServer.ts'),
  );
  const floors: LoadResult[] = [];
  try {
    const { origin } = await floorServer.send<{ origin: string }>({
      type: 'serve',
      responses: fetched,
    });
    for (const route of ROUTES) {
      options.log(`api ${db.label}: floor for ${route.figure}`);
      floors.push(await load(origin, route.path));
    }
  } finally {
    await floorServer.stop();
  }
  ROUTES.forEach((route, i) => {
    const r = measured[i];
    const f = floors[i];
    const encoding =
      fetched[route.path].headers['content-encoding'] ?? 'identity';
    rows.push({
      section,
      figure: `${route.figure} p99`,
      value: r.p99,
      unit: 'ms',
      reference: { label: 'plain server, same bytes', value: f.p99 },
      target: route.target,
      absolute: true,
      note: `p50 ${ms(r.p50)}, max ${ms(r.max)}, ${r.rps.toFixed(
        0,
      )}/s (floor p50 ${ms(f.p50)}, ${f.rps.toFixed(0)}/s); ${size(
        r.bodyBytes,
      )} ${encoding} of ${size(
        jsonBytes[route.path],
      )} JSON; the first answer after the refresh ${ms(
        fetched[route.path].ms,
      )}`,
    });
  });
  const errors = measured.reduce((n, r) => n + r.errors, 0);
  const samples = measured.flatMap(r => r.errorSamples).slice(0, 2);
  rows.push({
    section,
    figure: 'errors (every route)',
    value: errors,
    unit: 'errors',
    target: 0,
    absolute: true,
    note: `${measured
      .reduce((n, r) => n + r.requests, 0)
      .toLocaleString('en-US')} requests; snapshot: ${
      snapshot.clusters
    } clusters, ${snapshot.errors} location errors, refreshed in ${(
      snapshot.ms / 1000
    ).toFixed(1)} s; backend RSS ${snapshot.rssMb.toFixed(0)} MB${
      samples.length ? `; e.g. ${samples.join(' | ').slice(0, 200)}` : ''
    }`,
  });
  return rows;
}

export const apiBenchmark: Benchmark = {
  name: 'api',
  description: `${USERS} users on GET /clusters, a 1,000-instance cluster and the entity route, SQLite and PostgreSQL, vs a plain server`,
  async run(options) {
    const bench = await startBenchEmulator(API_FLEET);
    const loader = Child.fork<LoadCommand>(
      join(__dirname, '..', 'worker', 'loadClient.ts'),
    );
    const rows: Row[] = [];
    const title = (label: string) =>
      `api: ${API_FLEET} on ${label} (10,000 instances; ${SCALE_BIG_CLUSTER}: 1,000), ${USERS} users, ${
        DURATION_MS / 1000
      } s per route after ${WARMUP_MS / 1000} s`;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ddecs-bench-api-'));
      const databases: Array<() => Promise<Database>> = [
        async () => ({
          label: 'SQLite',
          config: { client: 'better-sqlite3', connection: { directory: dir } },
          cleanup: async () => rmSync(dir, { recursive: true, force: true }),
        }),
        async () => {
          const pg: ThrowawayPostgres = await startThrowawayPostgres(
            'the API benchmark',
          );
          return {
            label: `PostgreSQL ${pg.major}`,
            config: { client: 'pg', connection: pg.url },
            cleanup: () => pg.stop(),
          };
        },
      ];
      for (const open of databases) {
        let db: Database;
        try {
          db = await open();
        } catch (error) {
          rows.push({
            section: title('PostgreSQL'),
            figure: 'skipped: no PostgreSQL server',
            value: 0,
            unit: '',
            note: String((error as Error).message).slice(0, 300),
          });
          continue;
        }
        try {
          rows.push(
            ...(await measureDatabase(
              options,
              bench,
              loader,
              db,
              title(db.label),
            )),
          );
        } finally {
          await db.cleanup();
        }
      }
    } finally {
      await loader.stop();
      await bench.stop();
    }
    return rows;
  },
};
