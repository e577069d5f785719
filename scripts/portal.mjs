#!/usr/bin/env node
// Starts the portal on its embedded defaults: the ECS emulator (demo fleet), the backend
// (SQLite) and the frontend dev server; prints the URL; stops all of them on Ctrl-C.
//
//   node scripts/portal.mjs                 emulator + backend + frontend
//   node scripts/portal.mjs --backend-only  emulator + backend
//   node scripts/portal.mjs --fresh-data    use a new temporary SQLite folder (tests, e2e)
//
// Environment: EMULATOR_PORT (4510), EMULATOR_SPEED (emulator clock speed, default from the CLI).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const backendOnly = args.has('--backend-only');
const freshData = args.has('--fresh-data');
const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4510);
const yarn = [path.join(root, '.yarn/releases/yarn-4.13.0.cjs')];

const children = [];
let stopping = false;
let dataDir;

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
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping the rest`);
      stop(1);
    }
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
  log('stopped cleanly');
  process.exit(code);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function main() {
  const ports = [emulatorPort, 7007, ...(backendOnly ? [] : [3000])];
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

  const emulatorArgs = ['packages/ecs-emulator/bin/ecs-emulator', '--port', String(emulatorPort), '--fleet', 'demo'];
  if (process.env.EMULATOR_SPEED) emulatorArgs.push('--speed', process.env.EMULATOR_SPEED);
  start('emulator', process.execPath, emulatorArgs);
  await waitFor(`http://localhost:${emulatorPort}/_emulator/health`, 'the ECS emulator', 30_000);

  start('backend', process.execPath, [...yarn, 'workspace', 'backend', 'start'], env);
  if (!backendOnly) {
    start('app', process.execPath, [...yarn, 'workspace', 'app', 'start'], { BROWSER: 'none' });
  }

  await waitFor('http://localhost:7007/api/datadog-ecs/health', 'the backend', 180_000);
  if (!backendOnly) await waitFor('http://localhost:3000', 'the frontend', 240_000);

  log('');
  log(backendOnly ? 'Backend ready: http://localhost:7007' : 'Portal ready: \x1b[1mhttp://localhost:3000\x1b[0m  (backend http://localhost:7007)');
  log(`ECS emulator (demo fleet): http://localhost:${emulatorPort}`);
  log('Press Ctrl-C to stop.');
}

main().catch(error => {
  log(`error: ${error.message}`);
  stop(1);
});
