/* eslint-disable no-console */
/**
 * Inventory benchmark: one full refresh of a generated fleet through the real SDK and the ECS
 * emulator, printing wall time, memory, and ECS calls per operation against the minimum the
 * fleet requires (batch limits 100 / DescribeServices 10), with and without ECS's documented
 * read throttling (50-token bucket refilled at 20/s).
 *
 *   yarn bench:inventory [--fleet scale:100x100] [--concurrency 4]
 */
import { ConfigReader } from '@backstage/config';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import { AwsEcsGateway } from '../src/aws/AwsEcsGateway';
import { observeLocation } from '../src/inventory/collect';
import { buildClusterView } from '../src/inventory/coverage';
import { mapWithConcurrency } from '../src/util/concurrency';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const fleet = arg('fleet', 'scale:100x100');
const concurrency = Number(arg('concurrency', '4'));
const ceil = (n: number, size: number) => Math.ceil(n / size);

type ThrottleSetting = { label: string; throttle?: { read: { burst: number; refillPerSecond: number } } };

async function run(setting: ThrottleSetting) {
  const emu = await startEcsEmulator({
    fleet,
    clock: { mode: 'manual' },
    faults: setting.throttle ? { throttle: { enabled: true, ...setting.throttle } } : {},
  });
  try {
    const accounts: string[] = [...new Set<string>(emu.core.fleet.accounts.map((a: any) => a.accountId))];
    const config = new ConfigReader({
      aws: { accounts: accounts.map(accountId => ({ accountId, ...emu.credentials(accountId) })) },
    });
    const gateway = new AwsEcsGateway({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
      endpoint: emu.url,
    });
    const locations = [...new Set<string>(emu.core.fleet.clusters.map((c: any) => `${c.accountId}/${c.region}`))].map(
      key => ({ accountId: key.split('/')[0], region: key.split('/')[1] }),
    );

    emu.control.resetCounters();
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    let clusters = 0;
    let instances = 0;
    let covered = 0;
    await mapWithConcurrency(locations, concurrency, async location => {
      const observation = await observeLocation(
        () => gateway.forLocation(location.accountId, location.region),
        location,
        { detection: { imageRepositories: [], taskDefinitionFamilies: [] }, clusterConcurrency: concurrency },
      );
      if (observation.error) throw new Error(observation.error.message);
      for (const o of observation.clusters) {
        const view = buildClusterView(o, {
          ...location,
          expectedSite: 'datadoghq.com',
          detection: { imageRepositories: [], taskDefinitionFamilies: [] },
        });
        clusters += 1;
        instances += view.details.counts.instances;
        covered += view.details.counts.covered;
      }
    });
    const ms = performance.now() - started;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    const counters = emu.control.counters();

    // The minimum calls for this fleet, from the emulator's own state.
    const minimum: Record<string, number> = {};
    const add = (op: string, n: number) => (minimum[op] = (minimum[op] ?? 0) + n);
    for (const location of locations) {
      const cs = emu.core.fleet.clusters.filter(
        (c: any) => c.accountId === location.accountId && c.region === location.region,
      ).length;
      add('ListClusters', Math.max(1, ceil(cs, 100)));
      add('DescribeClusters', ceil(cs, 100));
    }
    const world = emu.core.world;
    const taskDefinitionArns = new Set<string>();
    for (const cluster of world.allClusters()) {
      const ci = cluster.instances.size;
      const sv = cluster.services.size;
      const tk = [...cluster.live].filter(t => t.desiredStatus === 'RUNNING');
      if (ci) {
        add('ListContainerInstances', ceil(ci, 100));
        add('DescribeContainerInstances', ceil(ci, 100));
      }
      if (sv) {
        add('ListServices', ceil(sv, 100));
        add('DescribeServices', ceil(sv, 10));
      }
      if (tk.length) {
        add('ListTasks', ceil(tk.length, 100));
        add('DescribeTasks', ceil(tk.length, 100));
      }
      for (const t of tk) taskDefinitionArns.add(t.taskDefinition.arn);
    }
    if (taskDefinitionArns.size) add('DescribeTaskDefinition', taskDefinitionArns.size);
    // EC2: the distinct AMIs of each location's Linux EC2 instances, 200 per DescribeImages.
    for (const state of world.regions.values()) {
      const amis = new Set<string>();
      for (const cluster of state.clusters.values()) {
        for (const i of cluster.instances.values() as Iterable<any>) {
          const ami = i.attrMap.get('ecs.ami-id');
          if (ami && !i.external && i.attrMap.get('ecs.os-type') !== 'windows') amis.add(ami);
        }
      }
      if (amis.size) add('DescribeImages', ceil(amis.size, 200));
    }

    console.log(`\n${fleet}, ${setting.label}, concurrency ${concurrency}`);
    console.log(`  ${clusters} clusters, ${instances} instances, ${covered} covered`);
    console.log(`  wall time ${(ms / 1000).toFixed(2)} s; heap growth ${heapMb.toFixed(1)} MB`);
    console.log('  operation                      calls  minimum  ratio  throttled');
    const ops = new Set([...Object.keys(counters.operations), ...Object.keys(minimum)]);
    for (const op of [...ops].sort()) {
      const c = counters.operations[op] ?? { calls: 0, throttled: 0 };
      const min = minimum[op];
      console.log(
        `  ${op.padEnd(30)} ${String(c.calls).padStart(5)}  ${String(min ?? '?').padStart(7)}  ${
          min ? (c.calls / min).toFixed(2).padStart(5) : '    -'
        }  ${String(c.throttled).padStart(9)}`,
      );
    }
    const totalMin = Object.values(minimum).reduce((a, b) => a + b, 0);
    console.log(
      `  ${'total'.padEnd(30)} ${String(counters.total.calls).padStart(5)}  ${String(totalMin).padStart(7)}  ${(
        counters.total.calls / totalMin
      )
        .toFixed(2)
        .padStart(5)}  ${String(counters.total.throttled).padStart(9)}`,
    );
    return { ms, calls: counters.total.calls, throttled: counters.total.throttled };
  } finally {
    await emu.stop();
  }
}

async function main() {
  const free = await run({ label: 'no throttling' });
  for (const setting of [
    { label: "ECS's read bucket (50 burst, 20/s per operation)", throttle: { read: { burst: 50, refillPerSecond: 20 } } },
    { label: 'a tight bucket (10 burst, 5/s per operation)', throttle: { read: { burst: 10, refillPerSecond: 5 } } },
  ]) {
    const throttled = await run(setting);
    console.log(
      `  → ${(throttled.ms / free.ms).toFixed(2)}x the unthrottled wall time, ${(throttled.calls / free.calls).toFixed(
        2,
      )}x its calls (${throttled.throttled} throttled answers retried by the SDK's adaptive mode)`,
    );
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
