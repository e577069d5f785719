/* eslint-disable no-console */

import { readFileSync } from 'node:fs';
import { ClockOptions } from './clock';
import { PolicyDocument } from './iam/policy';
import { FaultOptions } from './protocol/faults';
import { startEcsEmulator } from './index';

const USAGE = `Usage: ecs-emulator [options]

  --port <n>               Port to listen on (default 4566; 0 = random)
  --host <addr>            Interface (default 127.0.0.1)
  --fleet <f>              demo | scale:<clusters>x<instances> | <path to fleet JSON> (default demo)
  --clock <mode>           realtime (default) | manual
  --speed <x>              Realtime speed multiplier (default 1)
  --throttle               Enable token-bucket throttling of Describe*/List* (50 burst, 20/s)
  --throttle-burst <n>     Read bucket size (implies --throttle)
  --throttle-rate <n>      Read bucket refill per second (implies --throttle)
  --throttle-op <Op=burst/rate>  Bucket for one operation, repeatable (e.g. CreateService=5/1)
  --latency <ms>           Added latency per API call
  --latency-jitter <ms>    Extra random latency in [0, ms)
  --error-rate <0..1>      Fraction of calls answered 500/503
  --reset-rate <0..1>      Fraction of calls whose connection is reset
  --fault-ops <A,B>        Restrict latency/errors/resets to these operations
  --fault-seed <n>         Seed of the fault random sequence
  --policy <key>=<file>    IAM policy (JSON file) of an access key, repeatable
  -h, --help               Show this help
`;

class HelpRequested extends Error {}

/** @internal The command line's options (exported for the tests). */
export function parseArgs(argv: string[]) {
  const opts: {
    port: number;
    host: string;
    fleet: string;
    clock: ClockOptions;
    faults: FaultOptions;
    /** Policy files by access key id (read by main). */
    policyFiles: Record<string, string>;
  } = {
    port: 4566,
    host: '127.0.0.1',
    fleet: 'demo',
    clock: { mode: 'realtime', speed: 1 },
    faults: {},
    policyFiles: {},
  };
  let speed = 1;
  let mode: 'realtime' | 'manual' = 'realtime';
  const read: { burst?: number; refillPerSecond?: number } = {};
  const perOp: Record<string, { burst: number; refillPerSecond: number }> = {};
  let throttle = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const num = () => {
      const v = Number(value());
      if (!Number.isFinite(v)) throw new Error(`${flag} needs a number`);
      return v;
    };
    switch (flag) {
      case '--port':
        opts.port = num();
        break;
      case '--host':
        opts.host = value();
        break;
      case '--fleet':
        opts.fleet = value();
        break;
      case '--clock': {
        const m = value();
        if (m !== 'realtime' && m !== 'manual')
          throw new Error('--clock must be realtime or manual');
        mode = m;
        break;
      }
      case '--speed':
        speed = num();
        break;
      case '--throttle':
        throttle = true;
        break;
      case '--throttle-burst':
        throttle = true;
        read.burst = num();
        break;
      case '--throttle-rate':
        throttle = true;
        read.refillPerSecond = num();
        break;
      case '--throttle-op': {
        const m = /^([A-Za-z]+)=(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(
          value(),
        );
        if (!m) throw new Error('--throttle-op expects Operation=burst/rate');
        throttle = true;
        perOp[m[1]] = { burst: Number(m[2]), refillPerSecond: Number(m[3]) };
        break;
      }
      case '--latency':
        opts.faults.latencyMs = num();
        break;
      case '--latency-jitter':
        opts.faults.latencyJitterMs = num();
        break;
      case '--error-rate':
        opts.faults.errorRate = num();
        break;
      case '--reset-rate':
        opts.faults.resetRate = num();
        break;
      case '--fault-ops':
        opts.faults.operations = value()
          .split(',')
          .map(s => s.trim())
          .filter(Boolean);
        break;
      case '--fault-seed':
        opts.faults.seed = num();
        break;
      case '--policy': {
        const v = value();
        const eq = v.indexOf('=');
        if (eq <= 0 || eq === v.length - 1)
          throw new Error('--policy expects <accessKeyId>=<file.json>');
        opts.policyFiles[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case '-h':
      case '--help':
        throw new HelpRequested();
      default:
        throw new Error(`Unknown option ${arg}`);
    }
  }
  if (throttle) {
    opts.faults.throttle = {
      read: {
        burst: read.burst ?? 50,
        refillPerSecond: read.refillPerSecond ?? 20,
      },
      operations: Object.keys(perOp).length ? perOp : undefined,
    };
  }
  opts.clock = mode === 'manual' ? { mode } : { mode, speed };
  return opts;
}

/**
 * Runs the `ecs-emulator` command with these arguments (what the package's bin does).
 *
 * @public
 */
export async function main(argv: string[]) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof HelpRequested) {
      console.log(USAGE);
      return;
    }
    console.error(`ecs-emulator: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const policies: Record<string, PolicyDocument> = {};
  try {
    for (const [id, file] of Object.entries(opts.policyFiles)) {
      policies[id] = JSON.parse(readFileSync(file, 'utf8'));
    }
  } catch (e) {
    console.error(`ecs-emulator: --policy: ${(e as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  let emu;
  try {
    emu = await startEcsEmulator({ ...opts, policies });
  } catch (e) {
    console.error(`ecs-emulator: ${(e as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const fleet = emu.core.fleet;
  console.log(
    `ECS emulator listening on ${emu.url}  (fleet ${fleet.name}, ${
      fleet.clusters.length
    } clusters, started in ${Date.now() - started} ms)`,
  );
  console.log(
    `Clock: ${opts.clock.mode}${
      opts.clock.mode === 'realtime' ? ` x${opts.clock.speed}` : ''
    }; control API: ${emu.url}/_emulator/`,
  );
  console.log('Credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY):');
  for (const a of fleet.accounts) {
    for (const k of a.accessKeys) {
      let scope = k.allowedActions ? `  [${k.allowedActions.join(', ')}]` : '';
      if (emu.core.credentials.get(k.accessKeyId)?.policy)
        scope = '  [IAM policy]';
      console.log(
        `  account ${a.accountId}: ${k.accessKeyId} / ${
          k.secretAccessKey ?? '(any secret)'
        }${scope}`,
      );
    }
  }
  const regions = [...new Set(fleet.clusters.map(c => c.region))].join(', ');
  console.log(`Regions: ${regions}`);
  console.log(
    `Example: AWS_ACCESS_KEY_ID=${
      fleet.accounts[0].accessKeys[0].accessKeyId
    } AWS_SECRET_ACCESS_KEY=${
      fleet.accounts[0].accessKeys[0].secretAccessKey ?? 'x'
    } aws ecs list-clusters --endpoint-url ${emu.url} --region ${
      fleet.clusters[0]?.region ?? 'us-east-1'
    }`,
  );
  const shutdown = () => {
    emu.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch(e => {
    console.error(e);
    process.exit(1);
  });
}
