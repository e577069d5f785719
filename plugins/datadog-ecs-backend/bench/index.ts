/* eslint-disable no-console */
/**
 * `yarn bench`: runs the benchmarks against the ECS emulator on this machine and prints one table,
 * every figure with its ratio to a floor or a peer measured in the same run (docs/benchmarks.md).
 *
 *   yarn bench [--only inventory,storage,api,browser] [--sizes 1k,10k,30k] [--no-peer]
 *              [--peer-latency 1k,10k] [--json results.json]
 *              [--reuse-build] [--browser-runs 5]   (the browser benchmark)
 *              [--memory]   (the inventory's memory figures only: no latency, no throttling)
 *
 * A benchmark is a module exporting a {@link Benchmark} (name, description, run → rows); add it
 * to BENCHMARKS below.
 */
import { writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { apiBenchmark } from './benchmarks/api';
import { browserBenchmark } from './benchmarks/browser';
import { inventoryBenchmark } from './benchmarks/inventory';
import { storageBenchmark } from './benchmarks/storage';
import { SIZES } from './lib/scenarios';
import {
  Benchmark,
  BenchOptions,
  metOf,
  printRows,
  ratioOf,
  Row,
} from './lib/table';

export const BENCHMARKS: Benchmark[] = [
  inventoryBenchmark,
  storageBenchmark,
  apiBenchmark,
  browserBenchmark,
];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const list = (value: string | undefined, fallback: string[]) =>
  value === undefined ? fallback : value.split(',').filter(Boolean);

async function main() {
  const only = list(
    arg('only'),
    BENCHMARKS.map(b => b.name),
  );
  const sizes = list(arg('sizes'), Object.keys(SIZES));
  for (const size of sizes) {
    if (!SIZES[size])
      throw new Error(
        `unknown size ${size} (${Object.keys(SIZES).join(', ')})`,
      );
  }
  const unknown = only.filter(n => !BENCHMARKS.some(b => b.name === n));
  if (unknown.length) {
    throw new Error(
      `unknown benchmark ${unknown.join(', ')} (${BENCHMARKS.map(
        b => b.name,
      ).join(', ')})`,
    );
  }
  const started = Date.now();
  const options: BenchOptions = {
    sizes,
    peer: !process.argv.includes('--no-peer'),
    peerLatencySizes: list(arg('peer-latency'), ['1k', '10k']),
    memoryOnly: process.argv.includes('--memory'),
    log: message =>
      console.error(
        `[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${message}`,
      ),
  };
  const machine = {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    freeGb: Math.round(freemem() / 2 ** 30),
    node: process.version,
  };
  const rows: Row[] = [];
  for (const benchmark of BENCHMARKS.filter(b => only.includes(b.name))) {
    options.log(`${benchmark.name}: ${benchmark.description}`);
    rows.push(...(await benchmark.run(options)));
  }
  console.log(
    `\n${machine.date} · ${machine.cpus} CPUs (${machine.cpu}) · ${
      machine.memoryGb
    } GB RAM (${machine.freeGb} free) · node ${machine.node} · ${(
      (Date.now() - started) /
      1000
    ).toFixed(0)} s\n`,
  );
  printRows(rows);
  const withTarget = rows.filter(r => metOf(r) !== undefined);
  console.log(
    `\n${withTarget.filter(r => metOf(r)).length} of ${
      withTarget.length
    } targets met`,
  );
  const json = arg('json');
  if (json) {
    writeFileSync(
      json,
      JSON.stringify(
        {
          machine,
          rows: rows.map(r => ({ ...r, ratio: ratioOf(r), met: metOf(r) })),
        },
        null,
        2,
      ),
    );
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
