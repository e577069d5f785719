/**
 * The portal as the browser benchmark serves it: the app's production build (`packages/app/dist`,
 * `backstage-cli package build`) served by the backend itself through `@backstage/plugin-app-backend`
 * (as in a production deployment: one origin, `app.baseUrl` = `backend.baseUrl`), the backend
 * (`packages/backend`, from its sources with the repo's TypeScript transform, as `yarn start` runs
 * it, on a fresh SQLite folder) against an ECS emulator the caller started.
 */
import { ChildProcess, spawn } from 'node:child_process';
import {
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EmulatorAccount } from './emulator';

export const REPO = resolve(__dirname, '..', '..', '..', '..');
export const APP_DIR = join(REPO, 'packages', 'app');

export interface Portal {
  url: string;
  /** The backend's process id (its CPU time is read from /proc). */
  pid: number;
  /** The backend's log file. */
  log: string;
  /** A guest's Backstage token, for polling the API. */
  token(): Promise<string>;
  get<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export interface PortalOptions {
  emulatorUrl: string;
  accounts: EmulatorAccount[];
  locations: Array<{ accountId: string; region: string; name: string }>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** `backstage-cli package build` of packages/app: the production bundle (with source maps). */
export async function buildApp(log: (m: string) => void): Promise<number> {
  const started = Date.now();
  log('browser: building the app (backstage-cli package build)');
  await new Promise<void>((done, fail) => {
    const child = spawn(
      process.execPath,
      [require.resolve('@backstage/cli/bin/backstage-cli'), 'package', 'build'],
      { cwd: APP_DIR, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.once('error', fail);
    child.once('exit', code =>
      code === 0 ? done() : fail(new Error(`app build exited with ${code}`)),
    );
  });
  return Date.now() - started;
}

/** CPU seconds (user + system) of a process so far, from /proc; undefined elsewhere. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Waits until the process uses under `share` of a core over `windowMs`, at most `timeoutMs`. */
export async function waitForIdle(
  pid: number,
  options = { share: 0.05, windowMs: 2000, timeoutMs: 180_000 },
): Promise<number> {
  const started = Date.now();
  let before = cpuSeconds(pid);
  if (before === undefined) {
    await sleep(10_000);
    return Date.now() - started;
  }
  while (Date.now() - started < options.timeoutMs) {
    await sleep(options.windowMs);
    const now = cpuSeconds(pid);
    if (now === undefined) break;
    if ((now - before) * 1000 < options.share * options.windowMs) break;
    before = now;
  }
  return Date.now() - started;
}

export async function startPortal(options: PortalOptions): Promise<Portal> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'datadog-ecs-bench-portal-'));
  // JSON is YAML: over app-config.yaml, the app on the backend's origin, the emulator's fleet.
  const config = {
    app: { baseUrl: url },
    backend: {
      baseUrl: url,
      listen: { port },
      cors: { origin: url },
      database: {
        client: 'better-sqlite3',
        connection: { directory: join(dir, 'sqlite') },
      },
    },
    aws: { accounts: options.accounts },
    datadogEcs: {
      ecsEndpoint: options.emulatorUrl,
      locations: options.locations.map(l => ({
        accountId: l.accountId,
        name: l.name,
        regions: [l.region],
      })),
      // One refresh, soon after start; none while the pages are timed.
      refresh: {
        schedule: {
          frequency: { hours: 6 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 1 },
        },
      },
      // The catalog's provider: its first run may read a refresh still under way (the locations
      // are written as they finish), so it runs again every 20 s until the bench sees every cluster.
      catalog: {
        schedule: {
          frequency: { seconds: 20 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 1 },
        },
      },
      rollout: { enabled: false },
    },
  };
  const configFile = join(dir, 'bench-config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const logFile = join(dir, 'backend.log');
  const out = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      join(REPO, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: join(REPO, 'packages', 'backend'),
      // development: the plugin accepts the emulator's plain-HTTP endpoint, guest sign-in works.
      env: { ...process.env, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  let exited: number | null | undefined;
  child.once('exit', code => {
    exited = code;
  });

  const deadline = Date.now() + 240_000;
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`the backend exited (${exited}); see ${logFile}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the backend did not start in 240 s; see ${logFile}`);
    }
    try {
      const health = await fetch(`${url}/api/datadog-ecs/health`);
      const index = await fetch(`${url}/`);
      const html = await index.text();
      if (health.status < 500 && index.ok && html.includes('<script')) break;
    } catch {
      // not up yet
    }
    await sleep(500);
  }

  let cached: string | undefined;
  const token = async () => {
    if (cached) return cached;
    const response = await fetch(`${url}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    if (!response.ok) {
      throw new Error(
        `guest sign-in: ${response.status} ${await response.text()}`,
      );
    }
    const body = (await response.json()) as {
      backstageIdentity: { token: string };
    };
    cached = body.backstageIdentity.token;
    return cached;
  };
  return {
    url,
    pid: child.pid!,
    log: logFile,
    token,
    async get<T>(path: string) {
      const response = await fetch(`${url}${path}`, {
        headers: { Authorization: `Bearer ${await token()}` },
      });
      if (!response.ok) {
        throw new Error(
          `GET ${path}: ${response.status} ${await response.text()}`,
        );
      }
      return (await response.json()) as T;
    },
    async stop() {
      if (exited === undefined) {
        const gone = new Promise(r => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await gone;
        clearTimeout(timer);
      }
      out.end();
      if (!process.env.BENCH_KEEP_PORTAL)
        rmSync(dir, { recursive: true, force: true });
    },
  };
}
