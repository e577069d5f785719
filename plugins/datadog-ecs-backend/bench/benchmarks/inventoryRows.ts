/**
 * The rows of the inventory benchmark, from its measurements: each figure with its floor (the
 * fleet's minimum, the token-bucket floor, the latency floor), its peer (the naive inventory) or,
 * for per-instance figures, the same figure at the smallest size run.
 */
import { CallTally, sumCalls, withoutDiagnostic } from '../lib/emulator';
import { DEFAULT_CALLS_IN_FLIGHT } from '../../src/aws/AwsEcsGateway';
import { FleetModel } from '../lib/fleetModel';
import { latencyFloor, tokenBucketFloor } from '../lib/floors';
import { Row } from '../lib/table';
import { cpus } from 'node:os';
import { ECS_BUCKET, LATENCY_MS, TIGHT_BUCKET } from '../lib/scenarios';
import type { SizeMeasurements } from './inventory';

/** The plugin's default (datadogEcs.refresh.locationConcurrency): locations refreshed at once. */
const LOCATION_CONCURRENCY = 4;
/** The 30,000-instance peak RSS target. */
const RSS_TARGET_MB = 400;

export interface SizeResult {
  size: string;
  callsPerInstance: number;
  msPerInstance: number;
  mbPerInstance: number;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const n = (v: number) => v.toLocaleString('en-US');

/**
 * The latency floor: per location, its chain of dependent calls or its calls spread over what may
 * be in flight there (the gateway's calls-in-flight limit per account-region); for the refresh,
 * the slowest location or all calls over every location in flight, whichever is longer.
 */
export function latencyFloorOf(model: FleetModel, tally: CallTally) {
  const perLocation = model.locations.map(l => {
    const concurrency = DEFAULT_CALLS_IN_FLIGHT;
    const calls = sumCalls({ [l.key]: tally.calls[l.key] ?? {} });
    const f = latencyFloor({
      chain: l.chain,
      calls,
      concurrency,
      latencyMs: LATENCY_MS,
    });
    return { ...f, key: l.key, chain: l.chain, calls, concurrency };
  });
  const worst = perLocation.reduce((a, b) => (b.ms > a.ms ? b : a));
  const concurrency =
    Math.min(model.locations.length, LOCATION_CONCURRENCY) *
    DEFAULT_CALLS_IN_FLIGHT;
  const all = latencyFloor({
    chain: 0,
    calls: sumCalls(tally.calls),
    concurrency,
    latencyMs: LATENCY_MS,
  });
  const note =
    all.ms > worst.ms
      ? `floor = ${n(
          sumCalls(tally.calls),
        )} calls ÷ ${concurrency} in flight × ${LATENCY_MS} ms`
      : `floor = ${worst.key}: max(chain ${
          worst.chain
        } calls × ${LATENCY_MS} ms = ${s(worst.chainMs)}, ${n(
          worst.calls,
        )} calls ÷ ${worst.concurrency} in flight × ${LATENCY_MS} ms = ${s(
          worst.spreadMs,
        )})`;
  return { ms: Math.max(all.ms, worst.ms), note };
}

/** Operations whose calls differ from the minimum, as `Op made/minimum`. */
function offMinimum(
  calls: Record<string, Record<string, number>>,
  minimum: FleetModel['minimum'],
) {
  const byOp = (m: Record<string, Record<string, number>>) => {
    const out: Record<string, number> = {};
    for (const ops of Object.values(m)) {
      for (const [op, c] of Object.entries(ops)) out[op] = (out[op] ?? 0) + c;
    }
    return out;
  };
  const made = byOp(calls);
  const min = byOp(minimum);
  return [...new Set([...Object.keys(made), ...Object.keys(min)])]
    .filter(op => (made[op] ?? 0) !== (min[op] ?? 0))
    .map(op => `${op} ${made[op] ?? 0}/${min[op] ?? 0}`);
}

export function inventoryRows(
  m: SizeMeasurements,
  smallest: SizeResult | undefined,
): { rows: Row[]; result: SizeResult } {
  const { model, free, latency, warm, throttled, peer } = m;
  const section = `inventory ${m.size}: ${m.fleet} (${
    model.clusters
  } clusters, ${n(model.instances)} instances, ${n(model.tasks)} tasks, ${
    model.locations.length
  } account-region${model.locations.length > 1 ? 's' : ''})`;
  const rows: Row[] = [];
  const row = (r: Omit<Row, 'section'>) => rows.push({ section, ...r });
  const allCalls = sumCalls(free.tally.calls);
  const off = offMinimum(withoutDiagnostic(free.tally), model.minimum);

  row({
    figure: 'ECS + EC2 calls (without diagnostics)',
    value: sumCalls(withoutDiagnostic(free.tally)),
    unit: 'calls',
    reference: { label: 'minimum', value: sumCalls(model.minimum) },
    target: 1.05,
    note: off.length
      ? `off the minimum: ${off.join(', ')}`
      : 'every operation at its minimum',
  });
  row({
    figure: 'diagnostic calls (stopped Agent tasks)',
    value: sumCalls(free.tally.diagnostic),
    unit: 'calls',
    reference: { label: 'bound', value: sumCalls(model.diagnosticBound) },
    target: 1,
    note: 'ListTasks(STOPPED) per Agent family and DescribeTasks of those found, in clusters with an uncovered instance',
  });
  if (throttled) {
    const tb = tokenBucketFloor(throttled.tally.calls, TIGHT_BUCKET);
    row({
      figure: `wall time, ${TIGHT_BUCKET.burst}-token buckets refilled ${TIGHT_BUCKET.refillPerSecond}/s`,
      value: throttled.result.ms / 1000,
      unit: 's',
      reference: { label: 'token-bucket floor', value: tb.ms / 1000 },
      target: 1.2,
      note: `slowest bucket ${tb.bucket} (${tb.calls} calls); ${
        throttled.throttled
      } throttled answers retried by the SDK, paced per operation; at ECS's ${
        ECS_BUCKET.burst
      }/${ECS_BUCKET.refillPerSecond} buckets these calls' floor is ${s(
        tokenBucketFloor(free.tally.calls, ECS_BUCKET).ms,
      )}`,
    });
  }
  if (latency) {
    const lf = latencyFloorOf(m.chained, latency.tally);
    row({
      figure: `wall time, ${LATENCY_MS} ms per call`,
      value: latency.result.ms / 1000,
      unit: 's',
      reference: { label: 'latency floor', value: lf.ms / 1000 },
      target: 1.2,
      note: `${lf.note}; peak in flight ${latency.tally.peakInFlight}`,
    });
    if (m.chain) {
      const { chain } = m;
      const diff = offMinimum(chain.latency.tally.calls, latency.tally.calls);
      row({
        figure: `wall time, ${LATENCY_MS} ms per call (again)`,
        value: latency.result.ms / 1000,
        unit: 's',
        reference: {
          label: `its calls alone, in order, ${LATENCY_MS} ms`,
          value: chain.latency.ms / 1000,
        },
        target: 1.2,
        note: `the floor of this machine and the SDK: the refresh's ${n(
          sumCalls(chain.latency.tally.calls),
        )} calls (${
          diff.length ? `off ours: ${diff.join(', ')}` : 'the same as ours'
        }), each as soon as what it needs is answered, through the same gateway (${DEFAULT_CALLS_IN_FLIGHT} in flight per account-region), every answer read by the SDK and dropped: none of the plugin's own work (CPU ${s(
          chain.latency.cpuMs,
        )}; ours ${s(latency.result.cpuMs)})`,
      });
    }
    if (warm && m.chain) {
      row({
        figure: 'wall time, no faults, warm',
        value: warm.result.ms / 1000,
        unit: 's',
        reference: {
          label: 'its calls alone, in order',
          value: m.chain.free.ms / 1000,
        },
        note: `what the plugin's own work (coverage, views, redaction, storage) adds to its calls on this machine: CPU ${s(
          warm.result.cpuMs,
        )}, the calls alone ${s(m.chain.free.cpuMs)}; the latency floor is ${s(
          lf.ms,
        )}`,
      });
    }
  }
  row({
    figure: 'wall time, no faults',
    value: free.result.ms / 1000,
    unit: 's',
    ...(peer
      ? {
          reference: { label: 'naive peer', value: peer.free.result.ms / 1000 },
        }
      : {}),
    note: `CPU: refresher ${s(free.result.cpuMs)}, emulator ${s(
      free.emulatorCpuMs,
    )} (two processes, ${cpus().length} cores)`,
  });
  row({
    figure: 'peak RSS of the refreshing process',
    value: free.result.maxRssMb,
    unit: 'MB',
    ...(peer
      ? { reference: { label: 'naive peer', value: peer.free.result.maxRssMb } }
      : {}),
    ...(m.size === '30k' ? { target: RSS_TARGET_MB, absolute: true } : {}),
    note: `idle ${m.baseline.maxRssMb.toFixed(
      0,
    )} MB RSS / ${m.baseline.heapUsedMb.toFixed(
      0,
    )} MB heap (modules, SQLite); live heap peak ${m.live.liveHeapPeakMb?.toFixed(
      0,
    )} MB (full GC every 250 ms); ${free.result.retainedHeapMb.toFixed(
      0,
    )} MB retained after the refresh`,
  });
  row({
    figure: 'peak RSS of the same calls alone (answers dropped)',
    value: m.callsAlone.maxRssMb,
    unit: 'MB',
    reference: { label: 'our refresh', value: free.result.maxRssMb },
    note: `the memory floor: every cluster's List/Describe of instances, services and tasks, as many at once, through the same SDK and gateway in a fresh process like ours, nothing kept (${s(
      m.callsAlone.ms,
    )})`,
  });
  const result: SizeResult = {
    size: m.size,
    callsPerInstance: allCalls / model.instances,
    msPerInstance: free.result.ms / model.instances,
    mbPerInstance:
      ((m.live.liveHeapPeakMb ?? 0) - m.baseline.heapUsedMb) / model.instances,
  };
  const growth = (figure: string, value: number, unit: string, of?: number) =>
    row({
      figure,
      value,
      unit,
      ...(smallest && of !== undefined
        ? {
            reference: { label: `${smallest.size} figure`, value: of },
            target: 1.2,
          }
        : {}),
    });
  growth(
    'calls per instance (all)',
    result.callsPerInstance,
    'calls',
    smallest?.callsPerInstance,
  );
  growth(
    'ms per instance (no faults)',
    result.msPerInstance,
    'ms',
    smallest?.msPerInstance,
  );
  growth(
    'MB per instance (live heap peak − idle heap)',
    result.mbPerInstance,
    'MB',
    smallest?.mbPerInstance,
  );
  if (peer) {
    row({
      figure: 'our calls vs the naive peer’s',
      value: allCalls,
      unit: 'calls',
      reference: {
        label: 'naive peer',
        value: sumCalls(peer.free.tally.calls),
      },
      note: `at ECS's ${ECS_BUCKET.burst}/${
        ECS_BUCKET.refillPerSecond
      } buckets the peer's calls need at least ${(
        tokenBucketFloor(peer.free.tally.calls, ECS_BUCKET).ms / 1000
      ).toFixed(0)} s, ours ${s(
        tokenBucketFloor(free.tally.calls, ECS_BUCKET).ms,
      )}; peer CPU ${s(peer.free.result.cpuMs)}`,
    });
    if (peer.latency && latency) {
      row({
        figure: `our wall time vs the peer’s, ${LATENCY_MS} ms per call`,
        value: latency.result.ms / 1000,
        unit: 's',
        reference: {
          label: 'naive peer',
          value: peer.latency.result.ms / 1000,
        },
        note: `the peer's peak in flight ${peer.latency.tally.peakInFlight} (the SDK's 50 sockets)`,
      });
    }
    row({
      figure: 'covered instances (same inventory?)',
      value: free.result.covered,
      unit: '',
      reference: { label: 'naive peer', value: peer.free.result.covered },
      target: 1,
      note: `instances seen: ours ${n(free.result.instances)}, the peer's ${n(
        peer.free.result.instances,
      )}; ${free.result.errors} cluster errors`,
    });
  }
  return { rows, result };
}
