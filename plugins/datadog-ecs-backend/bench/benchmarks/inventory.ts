/**
 * Issue 15, items 1–3 (memory): one full refresh of generated fleets of 1,000, 10,000 and 30,000
 * instances by the plugin's InventoryRefresher in a backend-like child process, against the
 * emulator in this process: calls against the fleet's minimum, wall time against the token-bucket
 * floor (a tight bucket, so that it dominates) and against the latency floor (40 ms per call),
 * peak RSS and live heap, per-instance figures for growth, and the naive peer on the same fleet in
 * the same run. The rows are built in inventoryRows.ts.
 */
import { CallTally, startBenchEmulator } from '../lib/emulator';
import { fleetModel, FleetModel } from '../lib/fleetModel';
import { LATENCY_MS, SIZES, TIGHT_BUCKET } from '../lib/scenarios';
import { Benchmark, BenchOptions, Row } from '../lib/table';
import { Memory, NaiveRunResult, RefreshResult, Worker } from '../lib/worker';
import { inventoryRows, SizeResult } from './inventoryRows';

/** A run of our refresher: its result, the calls the emulator saw, the emulator's CPU time. */
export interface Run {
  result: RefreshResult;
  tally: CallTally;
  emulatorCpuMs: number;
  throttled: number;
}

export interface ChainRun {
  ms: number;
  cpuMs: number;
  tally: CallTally;
}

export interface PeerRun {
  result: NaiveRunResult;
  tally: CallTally;
}

/** Everything measured for one fleet size. */
export interface SizeMeasurements {
  size: string;
  fleet: string;
  /** The fleet's requirements; `chained` has the chain of the diagnostics made in the latency run. */
  model: FleetModel;
  chained: FleetModel;
  baseline: Memory;
  free: Run;
  /** Absent with `--memory` (only the figures of memory). */
  latency?: Run;
  /** Without faults again, its code loaded: what this machine's CPU takes for the refresh. */
  warm?: Run;
  throttled?: Run;
  live: RefreshResult;
  /** The same List/Describe calls alone, answers dropped, in a fresh process: the memory floor. */
  callsAlone: Memory & { ms: number };
  /**
   * The refresh's calls alone in the order their dependencies allow, answers dropped, without
   * faults (after a first such run) and with the latency: the floor of this machine and the SDK.
   */
  chain?: { free: ChainRun; latency: ChainRun };
  peer?: { free: PeerRun; latency?: PeerRun };
}

async function measureSize(
  size: string,
  options: BenchOptions,
): Promise<SizeMeasurements> {
  const { fleet } = SIZES[size];
  const bench = await startBenchEmulator(fleet);
  try {
    const init = {
      url: bench.url,
      accounts: bench.accounts,
      locations: bench.locations,
    };
    // A fresh process per size: its first refresh sets its peak RSS.
    const { worker, baseline } = await Worker.start(init);
    const ours = async (
      label: string,
      faults: object,
      opts: { liveHeap?: boolean } = {},
    ) => {
      options.log(`${size}: ${label}`);
      bench.beginRun(faults);
      const cpu = process.cpuUsage();
      const result = await worker.refresh({ freshGateway: true, ...opts });
      const { user, system } = process.cpuUsage(cpu);
      return {
        result,
        tally: bench.tally(),
        emulatorCpuMs: (user + system) / 1000,
        throttled: bench.throttled(),
      };
    };
    let free: Run;
    let latency: Run | undefined;
    let warm: Run | undefined;
    let throttled: Run | undefined;
    let live: Run;
    try {
      free = await ours('refresh without faults', {});
      if (!options.memoryOnly) {
        warm = await ours('refresh without faults, warm', {});
        latency = await ours(`refresh with ${LATENCY_MS} ms per call`, {
          latencyMs: LATENCY_MS,
        });
        throttled = await ours(
          `refresh under a ${TIGHT_BUCKET.burst}/${TIGHT_BUCKET.refillPerSecond} token bucket`,
          { throttle: { enabled: true, read: TIGHT_BUCKET } },
        );
      }
      live = await ours(
        'refresh sampling the live heap',
        {},
        { liveHeap: true },
      );
    } finally {
      await worker.stop();
    }

    // The memory floor: the same calls alone, in a fresh process like ours.
    const floor = await Worker.start(init);
    let callsAlone: SizeMeasurements['callsAlone'];
    let chain: SizeMeasurements['chain'];
    try {
      options.log(`${size}: the same calls alone, answers dropped`);
      bench.beginRun({});
      callsAlone = await floor.worker.calls();
      if (latency) {
        const diagnostics = latency.tally.diagnosticClusters;
        const chainRun = async (faults: object) => {
          bench.beginRun(faults);
          const r = await floor.worker.chain(diagnostics);
          return { ...r, tally: bench.tally() };
        };
        options.log(`${size}: the refresh's calls alone, in their order`);
        await chainRun({}); // its code loaded, as the refresh's warm run
        const chainFree = await chainRun({});
        options.log(
          `${size}: the refresh's calls alone, ${LATENCY_MS} ms per call`,
        );
        chain = {
          free: chainFree,
          latency: await chainRun({ latencyMs: LATENCY_MS }),
        };
      }
    } finally {
      await floor.worker.stop();
    }

    let peer: SizeMeasurements['peer'];
    if (options.peer) {
      // The naive peer: same fleet, same emulator, its own fresh process.
      const started = await Worker.start(init);
      try {
        options.log(`${size}: naive peer without faults`);
        bench.beginRun({});
        const result = await started.worker.naive();
        peer = { free: { result, tally: bench.tally() } };
        if (options.peerLatencySizes.includes(size)) {
          options.log(`${size}: naive peer with ${LATENCY_MS} ms per call`);
          bench.beginRun({ latencyMs: LATENCY_MS });
          const slow = await started.worker.naive();
          peer.latency = { result: slow, tally: bench.tally() };
        }
      } finally {
        await started.worker.stop();
      }
    }
    return {
      size,
      fleet,
      model: fleetModel(bench),
      chained: fleetModel(bench, (latency ?? free).tally.diagnosticClusters),
      baseline,
      free,
      latency,
      warm,
      throttled,
      live: live.result,
      callsAlone,
      chain,
      peer,
    };
  } finally {
    await bench.stop();
  }
}

export const inventoryBenchmark: Benchmark = {
  name: 'inventory',
  description:
    'inventory calls, time and memory at 1k/10k/30k instances, with the naive peer',
  async run(options) {
    const rows: Row[] = [];
    let smallest: SizeResult | undefined;
    for (const size of options.sizes) {
      const out = inventoryRows(await measureSize(size, options), smallest);
      rows.push(...out.rows);
      smallest ??= out.result;
    }
    return rows;
  },
};
