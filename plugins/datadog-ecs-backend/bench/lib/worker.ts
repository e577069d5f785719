/**
 * The parent's side of the backend-like child process (../worker/refreshWorker.ts): its commands
 * and answers, over a {@link Child}.
 */
import { join } from 'node:path';
import { Child } from './child';
import type { TableSize, TableWrites } from '../worker/storeProbe';
import type { EmulatorAccount } from './emulator';

export interface WorkerInit {
  url: string;
  accounts: EmulatorAccount[];
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
  /**
   * The refresh's calls alone, each as soon as what it needs is known, answers dropped (see
   * ../worker/callChain.ts); `diagnostics` says where the measured refresh looked stopped tasks up.
   */
  | { type: 'chain'; diagnostics: Record<string, number> }
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

/** The backend-like child (../worker/refreshWorker.ts), with a method per command. */
export class Worker {
  private constructor(private readonly child: Child<WorkerCommand>) {}

  /** Forks a worker and initialises it; resolves with its memory once idle (the baseline). */
  static async start(
    init: WorkerInit,
  ): Promise<{ worker: Worker; baseline: Memory }> {
    // BENCH_CPU_PROF=<dir>: a CPU profile of each worker (open it in Chrome DevTools).
    const child = Child.fork<WorkerCommand>(
      join(__dirname, '..', 'worker', 'refreshWorker.ts'),
      { profile: true },
    );
    const worker = new Worker(child);
    const baseline = await worker.send<Memory>({ type: 'init', init });
    return { worker, baseline };
  }

  send<T>(command: WorkerCommand): Promise<T> {
    return this.child.send<T>(command);
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

  chain(diagnostics: Record<string, number>) {
    return this.send<{ ms: number; cpuMs: number }>({
      type: 'chain',
      diagnostics,
    });
  }

  stop() {
    return this.child.stop();
  }
}
