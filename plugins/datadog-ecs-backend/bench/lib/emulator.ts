/**
 * The emulator a benchmark runs against, instrumented from the outside: the calls that got past
 * authentication and throttling (a token taken), per account-region and operation, with the
 * diagnostic look-ups (stopped tasks) apart, and the peak number of calls in flight while latency
 * is injected. Throttled attempts come from the emulator's own counters.
 */
import {
  EcsEmulator,
  FaultOptions,
  startEcsEmulator,
} from '@ecs-agent-coverage/ecs-emulator';

type Json = any;

/** calls[location][operation] */
export type CallsByLocation = Record<string, Record<string, number>>;

export interface CallTally {
  /** Calls that took a token (answered, or refused by ECS itself), diagnostic ones included. */
  calls: CallsByLocation;
  /** Of those, the diagnostic look-ups: ListTasks desiredStatus STOPPED and their DescribeTasks. */
  diagnostic: CallsByLocation;
  /** Diagnostic calls per `location/cluster` (for the dependent chain). */
  diagnosticClusters: Record<string, number>;
  /** The most calls inside the injected latency at once. */
  peakInFlight: number;
}

/**
 * An emulator account and the static keys the emulator gives it (`aws.accounts[]` of a backend;
 * a type, not an interface, so that it is a JSON object for config).
 */
export type EmulatorAccount = {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
};

/** The accounts with their emulator keys. */
export function emulatorAccounts(
  emu: Pick<EcsEmulator, 'credentials'>,
  accountIds: string[],
): EmulatorAccount[] {
  return accountIds.map(accountId => ({ accountId, ...emu.credentials(accountId) }));
}

export interface BenchEmulator {
  emu: EcsEmulator;
  url: string;
  /** The fleet's account-regions that have clusters, `account/region`. */
  locations: Array<{ accountId: string; region: string }>;
  accounts: EmulatorAccount[];
  /** Zeroes the tally and the emulator's counters, and sets the faults of the next run. */
  beginRun(faults: FaultOptions): void;
  tally(): CallTally;
  /** Throttled attempts (answered ThrottlingException / RequestLimitExceeded) since beginRun. */
  throttled(): number;
  stop(): Promise<void>;
}

const add = (
  into: Record<string, Record<string, number>>,
  location: string,
  op: string,
  n = 1,
) => {
  const byOp = (into[location] ??= {});
  byOp[op] = (byOp[op] ?? 0) + n;
};

const lastPart = (ref: unknown) => {
  const s = String(ref ?? 'default');
  return s.slice(s.lastIndexOf('/') + 1);
};

export async function startBenchEmulator(
  fleet: string,
): Promise<BenchEmulator> {
  const emu = await startEcsEmulator({ fleet, clock: { mode: 'manual' } });
  const core = emu.core as Json;
  let tally: CallTally = fresh();
  let inFlight = 0;

  function fresh(): CallTally {
    return {
      calls: {},
      diagnostic: {},
      diagnosticClusters: {},
      peakInFlight: 0,
    };
  }

  const invoke = core.invoke.bind(core);
  core.invoke = (op: string, cred: Json, region: string, input: Json) => {
    const location = `${cred.accountId}/${region}`;
    add(tally.calls, location, op);
    let result: Json;
    try {
      result = invoke(op, cred, region, input);
      return result;
    } finally {
      const diagnostic =
        (op === 'ListTasks' && input?.desiredStatus === 'STOPPED') ||
        (op === 'DescribeTasks' &&
          result?.tasks?.length > 0 &&
          result.tasks.every((t: Json) => t.desiredStatus === 'STOPPED'));
      if (diagnostic) {
        add(tally.diagnostic, location, op);
        const key = `${location}/${lastPart(input?.cluster)}`;
        tally.diagnosticClusters[key] =
          (tally.diagnosticClusters[key] ?? 0) + 1;
      }
    }
  };
  const invokeEc2 = core.invokeEc2.bind(core);
  core.invokeEc2 = (
    action: string,
    cred: Json,
    region: string,
    params: Json,
  ) => {
    add(tally.calls, `${cred.accountId}/${region}`, action);
    return invokeEc2(action, cred, region, params);
  };
  const latency = core.faults.latency.bind(core.faults);
  core.faults.latency = (op: string) => {
    const ms = latency(op);
    if (ms > 0) {
      inFlight += 1;
      tally.peakInFlight = Math.max(tally.peakInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
      }, ms);
    }
    return ms;
  };

  const keys = [
    ...new Set<string>(
      core.fleet.clusters.map((c: Json) => `${c.accountId}/${c.region}`),
    ),
  ];
  return {
    emu,
    url: emu.url,
    locations: keys.map(key => {
      const [accountId, region] = key.split('/');
      return { accountId, region };
    }),
    accounts: emulatorAccounts(
      emu,
      core.fleet.accounts.map((a: Json) => a.accountId),
    ),
    beginRun(faults) {
      emu.control.setFaults(faults);
      emu.control.resetCounters();
      tally = fresh();
    },
    tally: () => structuredClone(tally),
    throttled: () => emu.control.counters().total.throttled,
    stop: () => emu.stop(),
  };
}

export const sumCalls = (calls: CallsByLocation, op?: string) =>
  Object.values(calls).reduce(
    (n, byOp) =>
      n +
      Object.entries(byOp)
        .filter(([o]) => !op || o === op)
        .reduce((m, [, c]) => m + c, 0),
    0,
  );

/** calls − diagnostic, per location and operation. */
export function withoutDiagnostic(tally: CallTally): CallsByLocation {
  const out: CallsByLocation = structuredClone(tally.calls);
  for (const [location, byOp] of Object.entries(tally.diagnostic)) {
    for (const [op, n] of Object.entries(byOp)) {
      out[location][op] -= n;
      if (out[location][op] === 0) delete out[location][op];
    }
  }
  return out;
}
