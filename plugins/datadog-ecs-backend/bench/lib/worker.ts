/**
 * The parent's side of the backend-like child process (../worker/refreshWorker.ts): forks it with
 * the TypeScript transform the repo's scripts use, sends commands, waits for the answers.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { TableSize, TableWrites } from '../worker/storeProbe';

export interface WorkerInit {
  url: string;
  accounts: Array<{
    accountId: string;
    accessKeyId: string;
    secretAccessKey: string;
  }>;
  locations: Array<{ accountId: string; region: string }>;
  /** `datadogEcs.refresh` overrides (concurrency); the plugin's defaults otherwise. */
  refresh?: { locationConcurrency?: number; clusterConcurrency?: number };
}

export type WorkerCommand =
  | { type: 'init'; init: WorkerInit }
  | {
      type: 'refresh';
      freshGateway: boolean;
      measureWrites?: boolean;
      /** Sample the heap left after a full GC every 250 ms (slows the refresh down). */
      liveHeap?: boolean;
    }
  | { type: 'naive' }
  /** The refresh's List/Describe calls of instances, services and tasks alone, answers dropped. */
  | { type: 'calls' }
  | { type: 'history'; days: number; periodMinutes: number }
  | { type: 'storage' }
  | { type: 'exit' };

export interface Memory {
  /** Peak resident set size of the process so far. */
  maxRssMb: number;
  rssMb: number;
  heapUsedMb: number;
}

export interface RefreshResult extends Memory {
  ms: number;
  /** CPU time of the process during the refresh (user + system). */
  cpuMs: number;
  /** Heap after a full GC once the refresh is done (what stays between refreshes). */
  retainedHeapMb: number;
  /** The largest heap left by a full GC during the refresh (what it needs), when sampled. */
  liveHeapPeakMb?: number;
  clusters: number;
  instances: number;
  covered: number;
  errors: number;
  writes?: Record<string, TableWrites>;
}

export interface NaiveRunResult extends Memory {
  ms: number;
  cpuMs: number;
  clusters: number;
  instances: number;
  covered: number;
}

export interface StorageResult {
  fileBytes: number;
  tables: Record<string, TableSize>;
}

export class Worker {
  private next = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: any) => void; reject: (e: Error) => void }
  >();

  private constructor(private readonly child: ChildProcess) {
    child.on(
      'message',
      (m: { id: number; result?: unknown; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.error) p.reject(new Error(m.error));
        else p.resolve(m.result);
      },
    );
    child.on('exit', code => {
      for (const p of this.pending.values()) {
        p.reject(new Error(`bench worker exited (${code})`));
      }
      this.pending.clear();
    });
  }

  /** Forks a worker and initialises it; resolves with its memory once idle (the baseline). */
  static async start(
    init: WorkerInit,
  ): Promise<{ worker: Worker; baseline: Memory }> {
    const child = fork(
      join(__dirname, '..', 'worker', 'refreshWorker.ts'),
      [],
      {
        execArgv: [
          '--expose-gc',
          // BENCH_CPU_PROF=<dir>: a CPU profile of each worker (open it in Chrome DevTools).
          ...(process.env.BENCH_CPU_PROF
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
            : []),
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        ],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const worker = new Worker(child);
    const baseline = await worker.send<Memory>({ type: 'init', init });
    return { worker, baseline };
  }

  send<T>(command: WorkerCommand): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, command });
    });
  }

  refresh(options: {
    freshGateway: boolean;
    measureWrites?: boolean;
    liveHeap?: boolean;
  }) {
    return this.send<RefreshResult>({ type: 'refresh', ...options });
  }

  naive() {
    return this.send<NaiveRunResult>({ type: 'naive' });
  }

  calls() {
    return this.send<Memory & { ms: number }>({ type: 'calls' });
  }

  async stop() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise(r => this.child.once('exit', r));
    await this.send({ type: 'exit' }).catch(() => undefined);
    await exited;
  }
}
