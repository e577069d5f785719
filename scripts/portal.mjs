#!/usr/bin/env node
// Starts the portal on its embedded defaults: the ECS emulator (demo+managed fleet), the backend
// (SQLite) and the frontend dev server; prints the URL; stops all of them on Ctrl-C.
//
//   node scripts/portal.mjs                 emulator + backend + frontend
//   node scripts/portal.mjs --backend-only  emulator + backend
//   node scripts/portal.mjs --fresh-data    use a new temporary SQLite folder (tests, e2e)
//   node scripts/portal.mjs --replicas N    N backend replicas on PostgreSQL (DDECS_POSTGRES_URL, which
//                                           scripts/start.sh --replicas N provides) on :7101…, behind a
//                                           round-robin balancer on :7007 (scripts/balancer.mjs)
//   node scripts/portal.mjs --fleet F       the emulator's fleet: demo+managed (default: the demo fleet
//                                           with its ECS Managed Instances clusters), demo,
//                                           scale:<clusters>x<instances>[@<account-regions>], or a fleet
//                                           JSON file. Scale fleets use the demo accounts × us-east-1 /
//                                           eu-west-1, which app-config.yaml's datadogEcs.locations
//                                           already inventory: no extra config is needed.
//
// Environment: EMULATOR_PORT (4510), EMULATOR_SPEED (emulator clock speed, default from the CLI).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBalancer } from './balancer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const args = new Set(argv);
const backendOnly = args.has('--backend-only');
const freshData = args.has('--fresh-data');
const replicasAt = argv.indexOf('--replicas');
const replicas = replicasAt >= 0 ? Number(argv[replicasAt + 1]) : 1;
if (!Number.isInteger(replicas) || replicas < 1 || replicas > 8) {
  process.stderr.write('--replicas takes a number from 1 to 8\n');
  process.exit(2);
}
const fleetAt = argv.indexOf('--fleet');
const fleet = fleetAt >= 0 ? argv[fleetAt + 1] : 'demo+managed';
if (!fleet || fleet.startsWith('--')) {
  process.stderr.write('--fleet takes a fleet: demo+managed, demo, scale:<clusters>x<instances>[@<account-regions>] or a JSON file\n');
  process.exit(2);
}
const REPLICA_PORT = 7101;
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4510);
const yarn = [path.join(root, '.yarn/releases/yarn-4.13.0.cjs')];

const children = [];
let stopping = false;
let dataDir;
let replicaDir;
let balancer;

function log(message) {
  process.stdout.write(`\x1b[1;34m[portal]\x1b[0m ${message}\n`);
}

function start(name, command, commandArgs, env = {}) {
  const child = spawn(command, commandArgs, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stopping it stops its whole tree
  });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream.on('data', chunk => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    const replicasLeft = children.filter(
      c => c.name.startsWith('backend-') && c.child !== child && c.child.exitCode === null && c.child.signalCode === null,
    );
    if (name.startsWith('backend-') && replicasLeft.length) {
      // One replica of several dies (`kill -9` it to see): the others take its rollouts over.
      log(`${name} exited (${signal ?? code}); ${replicasLeft.length} replica(s) go on behind the balancer`);
      return;
    }
    log(`${name} exited (${signal ?? code}); stopping the rest`);
    stop(1);
  });
  children.push({ name, child });
  return child;
}

function portIsFree(port) {
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0' }, () => server.close(() => resolve(true)));
  });
}

async function waitFor(url, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000}s`);
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  balancer?.close();
  for (const { child } of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 8000;
  for (const { name, child } of children) {
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 100));
    }
    if (child.exitCode === null && child.signalCode === null) {
      log(`${name} did not stop in time; killing it`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (replicaDir) rmSync(replicaDir, { recursive: true, force: true });
  log('stopped cleanly');
  process.exit(code);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function main() {
  const replicaPorts = replicas > 1 ? Array.from({ length: replicas }, (_, i) => REPLICA_PORT + i) : [];
  const ports = [emulatorPort, 7007, ...replicaPorts, ...(backendOnly ? [] : [3000])];
  for (const port of ports) {
    if (!(await portIsFree(port))) {
      throw new Error(`port ${port} is already in use: stop whatever runs there first (lsof -i :${port})`);
    }
  }

  const env = {};
  if (freshData) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-portal-'));
    env.APP_CONFIG_backend_database_connection_directory = dataDir;
  }

  const emulatorArgs = ['packages/ecs-emulator/bin/ecs-emulator', '--port', String(emulatorPort), '--fleet', fleet];
  if (process.env.EMULATOR_SPEED) emulatorArgs.push('--speed', process.env.EMULATOR_SPEED);
  start('emulator', process.execPath, emulatorArgs);
  await waitFor(`http://localhost:${emulatorPort}/_emulator/health`, 'the ECS emulator', 30_000);

  if (replicas > 1) {
    await startReplicas(replicaPorts, env);
  } else {
    start('backend', process.execPath, [...yarn, 'workspace', 'backend', 'start'], env);
  }
  if (!backendOnly) {
    start('app', process.execPath, [...yarn, 'workspace', 'app', 'start'], { BROWSER: 'none' });
  }

  for (const port of replicaPorts) {
    await waitFor(`http://localhost:${port}/api/datadog-ecs/health`, `the backend replica on :${port}`, 240_000);
  }
  await waitFor('http://localhost:7007/api/datadog-ecs/health', 'the backend', 180_000);
  if (!backendOnly) await waitFor('http://localhost:3000', 'the frontend', 240_000);

  log('');
  log(backendOnly ? 'Backend ready: http://localhost:7007' : 'Portal ready: \x1b[1mhttp://localhost:3000\x1b[0m  (backend http://localhost:7007)');
  if (replicas > 1) {
    log(`${replicas} backend replicas on PostgreSQL (:${replicaPorts.join(', :')}) behind http://localhost:7007`);
  }
  log(`ECS emulator (${fleet} fleet): http://localhost:${emulatorPort}`);
  log('Press Ctrl-C to stop.');
}

/**
 * N backends on one PostgreSQL database (DDECS_POSTGRES_URL), each on its own port with its own
 * config file layered on app-config.yaml, and the balancer on :7007 (the app's backend.baseUrl).
 * The first starts alone: Backstage's own plugins (catalog, auth, the scheduler) migrate their
 * databases at start without waiting for each other, and two replicas migrating a new database at
 * once can break knex's lock table; the others start once it answers.
 */
async function startReplicas(replicaPorts, env) {
  const url = process.env.DDECS_POSTGRES_URL;
  if (!url) {
    throw new Error('--replicas needs PostgreSQL: run scripts/start.sh --replicas N, which starts one (or set DDECS_POSTGRES_URL)');
  }
  const pg = new URL(url);
  const connection = {
    host: pg.hostname,
    port: Number(pg.port || 5432),
    user: decodeURIComponent(pg.username),
    password: decodeURIComponent(pg.password),
  };
  replicaDir = mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-replicas-'));
  for (const [i, port] of replicaPorts.entries()) {
    const file = path.join(replicaDir, `replica-${i + 1}.json`);
    // JSON is YAML: the replica's port and the shared database, over app-config.yaml.
    writeFileSync(file, JSON.stringify({ backend: { listen: { port }, database: { client: 'pg', connection } } }));
    start(`backend-${i + 1}`, process.execPath, [
      ...yarn, 'workspace', 'backend', 'start',
      '--config', path.join(root, 'app-config.yaml'),
      '--config', file,
    ], env);
    if (i === 0) {
      await waitFor(`http://localhost:${port}/api/datadog-ecs/health`, `the first backend replica (:${port})`, 240_000);
    }
  }
  balancer = await startBalancer({ port: 7007, targets: replicaPorts, log });
}

main().catch(error => {
  log(`error: ${error.message}`);
  stop(1);
});
