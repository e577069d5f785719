/*
 * Backend replicas as child processes (see replica.ts) on one PostgreSQL database, for the tests
 * that kill them with SIGKILL: start, read their output, kill.
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import type { ReplicaOptions } from './replica';

const PLUGIN_DIR = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(__dirname, 'replica.ts');

/** The replicas started and not killed yet. */
const running = new Set<{ kill(): Promise<void> }>();

/** One replica process: its URL, its output lines, and SIGKILL. */
export class Replica {
  readonly lines: string[] = [];
  /** When each line was printed (ms since the epoch), by index. */
  readonly times: number[] = [];
  private waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> =
    [];
  private exited: Promise<void>;
  url = '';

  private constructor(
    readonly id: string,
    private readonly child: ChildProcess,
  ) {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) this.onLine(line);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    this.exited = new Promise(resolve => child.once('exit', () => resolve()));
  }

  private onLine(line: string) {
    this.lines.push(line);
    this.times.push(Date.now());
    this.waiters = this.waiters.filter(w => {
      if (!w.pattern.test(line)) return true;
      w.resolve(line);
      return false;
    });
  }

  /** Starts a replica and waits until it serves. */
  static async start(
    options: ReplicaOptions,
    timeoutMs = 60_000,
  ): Promise<Replica> {
    const child = spawn(
      process.execPath,
      ['--require', '@backstage/cli/config/nodeTransform.cjs', SCRIPT],
      {
        cwd: PLUGIN_DIR,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          DDECS_REPLICA: JSON.stringify(options),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const replica = new Replica(options.replicaId, child);
    running.add(replica);
    const ready = await replica
      .waitFor(/^(READY \d+|FAILED)/, timeoutMs)
      .catch(() => 'TIMEOUT');
    if (!ready.startsWith('READY')) {
      await replica.kill();
      throw new Error(
        `replica ${options.replicaId} did not start:\n${replica.lines.join(
          '\n',
        )}`,
      );
    }
    replica.url = `http://127.0.0.1:${ready.split(' ')[1]}`;
    return replica;
  }

  /** When the first line matching `pattern` was printed, if it was. */
  timeOf(pattern: RegExp): number | undefined {
    const i = this.lines.findIndex(l => pattern.test(l));
    return i >= 0 ? this.times[i] : undefined;
  }

  /** The first line (already printed or to come) matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const seen = this.lines.find(l => pattern.test(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `replica ${this.id}: no line matching ${pattern} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({
        pattern,
        resolve: line => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }

  /** Kills the process with SIGKILL (no shutdown hook runs: its leases stay until they expire). */
  async kill(): Promise<void> {
    running.delete(this);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }

  get killedBySigkill(): boolean {
    return this.child.signalCode === 'SIGKILL';
  }
}

/** Kills every replica still running (after each test, whatever happened). */
export async function killAllReplicas(): Promise<void> {
  await Promise.all([...running].map(r => r.kill()));
}

/** A JSON request to a replica. */
export async function call(
  replica: Replica,
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const url = `/api/datadog-ecs${route}`;
  const r =
    method === 'GET'
      ? await request(replica.url).get(url)
      : await request(replica.url)
          .post(url)
          .send(body ?? {});
  return { status: r.status, body: r.body };
}
