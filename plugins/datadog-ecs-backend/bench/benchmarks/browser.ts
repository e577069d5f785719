/**
 * Issue 15, item 5 (the portal in a browser): the app's production build, served by the backend,
 * in headless Chromium, on a fleet of 500 clusters of which one has 1,000 container instances:
 *
 * - the portal page: navigation start → the first cluster cards visible (target ≤ 1.5 s), and the
 *   last keystroke in "Search clusters" → the list showing the one match (target ≤ 2 s);
 * - the 1,000-instance cluster's page: → the first instance rows visible (≤ 1.5 s), and an
 *   instance id pasted into the instance table's filter → the table showing its row alone (≤ 2 s);
 * - the plugin's bundle: its chunks raw and gzipped, against the whole app's.
 *
 * Floors, from the same run: for a page load, the same measure on a trivial page of the same build
 * (the app's "page not found" page: the app shell, sign-in included, with no plugin page and no
 * API call) — what any page of this app costs before its own code and data; for the portal's
 * search, the plugin's 300 ms debounce plus the round trip of the filtered `GET /clusters`
 * (measured in the page) — the search cannot answer sooner without a client-side filter; for the
 * instance table's filter, the same paste on the page of a 20-instance cluster (the same component
 * and page, without the 1,000 rows).
 *
 *   yarn bench --only browser [--reuse-build] [--browser-runs 5]
 *
 * `--reuse-build` times the build already in packages/app/dist (from a previous run).
 */
import { fork } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FleetSpec,
  scaleFleet,
  startEcsEmulator,
} from '@ecs-agent-coverage/ecs-emulator';
import type {
  ClustersResponse,
  RefreshStatus,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import type { DriverInput, DriverOutput } from '../lib/browserTypes';
import { readBundle } from '../lib/bundle';
import { emulatorAccounts } from '../lib/emulator';
import {
  APP_DIR,
  REPO,
  buildApp,
  startPortal,
  waitForIdle,
} from '../lib/portal';
import { Benchmark } from '../lib/table';
import { browserRows } from './browserRows';

const CLUSTERS = 500;
const BIG = { name: 'scale-big', instances: 1000 };
/** The floor of the instance table's filter: the same page and filter on a small table. */
const SMALL = { name: 'scale-small', instances: 20 };
/** The search typed on the portal page: one cluster's name. */
const SEARCH = 'scale-0250';
/** The portal's debounce of "Search clusters" (ClusterFilters.tsx). */
const SEARCH_DEBOUNCE_MS = 300;
const LOCATION_NAMES: Record<string, string> = {
  '111111111111': 'production',
  '222222222222': 'staging',
};

/**
 * 498 clusters of 2 instances over the 4 scale locations, one of 20 and one of 1,000 (both in the
 * first location).
 */
export function browserFleet(): FleetSpec {
  const base = scaleFleet(CLUSTERS - 2, 2, 4);
  const one = (c: { name: string; instances: number }) => ({
    ...scaleFleet(1, c.instances, 1).clusters[0],
    name: c.name,
  });
  return {
    ...base,
    name: `browser:${CLUSTERS - 2}x2+1x${SMALL.instances}+1x${BIG.instances}`,
    clusters: [...base.clusters, one(SMALL), one(BIG)],
  };
}

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

function runDriver(input: DriverInput): Promise<DriverOutput> {
  const child = fork(join(REPO, 'e2e', 'bench', 'portalTimings.ts'), [], {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((done, fail) => {
    // (The TypeScript transform also sends messages, `{ type: 'watch' }`: not ours.)
    child.on('message', (m: { result?: DriverOutput; error?: string }) => {
      if (m.error) fail(new Error(m.error));
      else if (m.result) done(m.result);
    });
    child.once('exit', code =>
      fail(new Error(`the browser driver exited (${code})`)),
    );
    child.send(input);
  });
}

export const browserBenchmark: Benchmark = {
  name: 'browser',
  description: `production build in headless Chromium: portal page with ${CLUSTERS} clusters, a ${BIG.instances}-instance cluster page, bundle size`,
  async run(options) {
    const reuse =
      process.argv.includes('--reuse-build') &&
      existsSync(join(APP_DIR, 'dist', 'index.html'));
    const buildMs = reuse ? undefined : await buildApp(options.log);
    const bundle = readBundle(join(APP_DIR, 'dist'));

    const fleet = browserFleet();
    const emu = await startEcsEmulator({ fleet, clock: { mode: 'manual' } });
    const core = emu.core as any;
    const where = fleet.clusters.at(-1)!; // scale-small and scale-big's location
    /** An instance id of the cluster, far from the table's first page. */
    const instanceOf = (name: string) => {
      const ids: string[] = [
        ...core.world
          .region(where.accountId, where.region)
          .clusters.get(name)
          .instances.values(),
      ]
        .map((i: any) => i.ec2InstanceId)
        .filter(Boolean)
        .sort();
      return ids[Math.floor(ids.length * 0.77)];
    };
    const locations = [
      ...new Map(
        fleet.clusters.map(c => [`${c.accountId}/${c.region}`, c] as const),
      ).values(),
    ].map(c => ({
      accountId: c.accountId,
      region: c.region,
      name: LOCATION_NAMES[c.accountId] ?? c.accountId,
    }));
    options.log(
      `browser: emulator ${fleet.name} (${fleet.clusters.length} clusters), backend with the app's dist`,
    );
    const portal = await startPortal({
      emulatorUrl: emu.url,
      accounts: emulatorAccounts(
        emu,
        fleet.accounts.map(a => a.accountId),
      ),
      locations,
    });
    let out: DriverOutput;
    let idleMs: number;
    try {
      options.log('browser: waiting for the first refresh and the catalog');
      const deadline = Date.now() + 300_000;
      for (;;) {
        const clusters = await portal
          .get<ClustersResponse>('/api/datadog-ecs/clusters')
          .catch(() => undefined);
        const refresh: RefreshStatus | undefined = clusters?.refresh;
        if (clusters?.totals.clusters === CLUSTERS && !refresh?.running) break;
        if (Date.now() > deadline) {
          throw new Error(
            `the inventory did not reach ${CLUSTERS} clusters in 300 s (${clusters?.totals.clusters}); see ${portal.log}`,
          );
        }
        await new Promise(r => setTimeout(r, 1000));
      }
      // The catalog ingests the clusters as Resource entities (one per cluster); then the backend
      // settles (processing, stitching) before anything is timed.
      for (;;) {
        const page = await portal
          .get<{ totalItems: number }>(
            '/api/catalog/entities/by-query?filter=kind=resource,spec.type=ecs-cluster&limit=1',
          )
          .catch(() => undefined);
        if ((page?.totalItems ?? 0) >= CLUSTERS || Date.now() > deadline) break;
        await new Promise(r => setTimeout(r, 1000));
      }
      idleMs = await waitForIdle(portal.pid);
      const clusterPath = (name: string) =>
        `/datadog-ecs/clusters/${where.accountId}/${where.region}/${name}`;
      /** A cluster page, and an instance id pasted (one input event), not typed: a prefix would
       * already narrow the table to one row. */
      const clusterLoad = (name: string) => {
        const wanted = instanceOf(name);
        return {
          path: clusterPath(name),
          until: 'row',
          search: {
            box: 'Search',
            text: wanted,
            until: `rows:1:${wanted}`,
            paste: true,
          },
        };
      };
      options.log('browser: timing the pages in Chromium');
      out = await runDriver({
        baseUrl: portal.url,
        executablePath:
          process.env.CHROMIUM_PATH ??
          (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
        runs: Number(arg('browser-runs') ?? 5),
        ready: {
          path: '/datadog-ecs',
          until: `dd:Clusters:${CLUSTERS}`,
          timeoutMs: 60_000,
        },
        loads: {
          trivial: {
            path: '/bench-no-such-page',
            until: 'css:[data-testid="error"]',
          },
          portal: {
            path: '/datadog-ecs',
            until: 'card',
            search: {
              box: 'Search clusters',
              text: SEARCH,
              until: `cards:1:${SEARCH}`,
            },
          },
          cluster: clusterLoad(BIG.name),
          small: clusterLoad(SMALL.name),
        },
      });
    } finally {
      await portal.stop();
      await emu.stop();
    }
    // BENCH_BROWSER_RAW=<file>: every run's timings, API calls and long tasks, as the driver sent them.
    if (process.env.BENCH_BROWSER_RAW) {
      writeFileSync(
        process.env.BENCH_BROWSER_RAW,
        JSON.stringify(out, null, 2),
      );
    }

    return browserRows({
      out,
      bundle,
      buildMs,
      idleMs,
      fleetName: fleet.name,
      clusters: CLUSTERS,
      bigInstances: BIG.instances,
      smallInstances: SMALL.instances,
      search: SEARCH,
      searchDebounceMs: SEARCH_DEBOUNCE_MS,
    });
  },
};
