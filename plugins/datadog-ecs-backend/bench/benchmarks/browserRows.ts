/**
 * The rows of the browser benchmark (browser.ts): page loads and searches against their floors
 * (docs/benchmarks.md, item 5), and the bundle's sizes against the whole app's.
 */
import { Bundle, filesSize } from '../lib/bundle';
import type { DriverOutput, LoadRun } from '../lib/browserTypes';
import { Row } from '../lib/table';

export interface BrowserRowsInput {
  out: DriverOutput;
  bundle: Bundle;
  /** The app's build time; undefined when a previous build was reused. */
  buildMs?: number;
  /** How long the backend took to settle before the pages were timed. */
  idleMs: number;
  fleetName: string;
  clusters: number;
  bigInstances: number;
  /** The text typed into "Search clusters". */
  search: string;
  searchDebounceMs: number;
  /** The cluster whose page and filter are the table's floor. */
  smallInstances: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
const s = (ms: number) => ms / 1000;
const kb = (bytes: number) =>
  `${Math.round(bytes / 1024).toLocaleString('en-US')} KB`;
const range = (values: number[]) =>
  `${values.length} runs ${s(Math.min(...values)).toFixed(2)}–${s(
    Math.max(...values),
  ).toFixed(2)} s`;

/** The page's data call (the first one whose path starts with `path`), medians over the runs. */
function apiNote(runs: LoadRun[], path: string): string {
  const calls = runs
    .map(r => r.api.find(a => a.name.startsWith(path)))
    .filter((a): a is NonNullable<typeof a> => !!a);
  if (!calls.length) return `no ${path} call seen`;
  return `GET ${path}: sent at ${s(median(calls.map(c => c.startTime))).toFixed(
    2,
  )} s, server ${Math.round(median(calls.map(c => c.ttfbMs)))} ms, ${kb(
    median(calls.map(c => c.decodedBytes)),
  )} (${kb(
    median(calls.map(c => c.transferBytes)),
  )} over the wire), done at ${s(
    median(calls.map(c => c.startTime + c.durationMs)),
  ).toFixed(2)} s`;
}

const longTaskNote = (
  runs: Array<{ longTasks: { count: number; ms: number } }>,
) =>
  `long tasks ${Math.round(
    median(runs.map(r => r.longTasks.count)),
  )} (${Math.round(median(runs.map(r => r.longTasks.ms)))} ms)`;

export function browserRows(i: BrowserRowsInput): Row[] {
  const rows: Row[] = [];
  const section = `browser: production build in headless Chromium, ${i.clusters} clusters (${i.fleetName}), signed in as guest, cold cache`;
  const row = (r: Omit<Row, 'section'>) => rows.push({ section, ...r });
  const ms = (runs: LoadRun[]) => runs.map(r => r.ms);
  const trivial = median(ms(i.out.trivial));
  const trivialRef = {
    label: 'trivial page (404), same build',
    value: s(trivial),
  };
  for (const page of ['portal', 'cluster'] as const) {
    const runs = i.out[page];
    const what =
      page === 'portal'
        ? 'portal page: first cluster cards visible'
        : `cluster page (${i.bigInstances.toLocaleString(
            'en-US',
          )} instances): first rows visible`;
    row({
      figure: what,
      value: s(median(ms(runs))),
      unit: 's',
      reference: trivialRef,
      target: 1.5,
      absolute: true,
      note: `${range(ms(runs))}; ${apiNote(
        runs,
        page === 'portal'
          ? '/api/datadog-ecs/clusters'
          : '/api/datadog-ecs/clusters/',
      )}; JS ${kb(
        median(runs.map(r => r.scriptDecodedBytes)),
      )} (the 404 page: ${kb(
        median(i.out.trivial.map(r => r.scriptDecodedBytes)),
      )}); ${longTaskNote(runs)}`,
    });
    const searches = runs.map(r => r.search!);
    const searchMs = searches.map(x => x.ms);
    let floor: number;
    let floorLabel: string;
    let apiWords = '';
    if (page === 'portal') {
      const trips = searches
        .map(x => x.api.find(a => /[?&]q=/.test(a.name)))
        .filter((a): a is NonNullable<typeof a> => !!a)
        .map(a => a.durationMs);
      const trip = trips.length ? median(trips) : 0;
      floor = i.searchDebounceMs + trip;
      floorLabel = `${i.searchDebounceMs} ms debounce + GET /clusters?q=`;
      apiWords = `; the filtered GET /clusters took ${Math.round(trip)} ms`;
    } else {
      floor = median(i.out.small.map(r => r.search!.ms));
      floorLabel = `the same on a ${i.smallInstances}-instance cluster`;
      apiWords = `; the ${
        i.smallInstances
      }-instance cluster's page shows its first rows in ${s(
        median(ms(i.out.small)),
      ).toFixed(2)} s`;
    }
    row({
      figure:
        page === 'portal'
          ? `portal page: "${i.search}" typed → the list shows it alone`
          : 'cluster page: an instance id pasted in the filter → its row alone',
      value: s(median(searchMs)),
      unit: 's',
      reference: { label: floorLabel, value: s(floor) },
      target: 2,
      absolute: true,
      note: `from the ${
        page === 'portal' ? 'last keystroke' : 'paste'
      }; ${range(
        searchMs,
      )}${apiWords}; slowest keystroke → next frame ${Math.round(
        median(searches.map(x => x.maxKeystrokeMs)),
      )} ms; ${longTaskNote(searches)}`,
    });
  }
  const bundleSection = `browser: bundle of packages/app/dist${
    i.buildMs === undefined
      ? ' (reused build)'
      : `, built in ${Math.round(s(i.buildMs))} s`
  }`;
  const bundleRow = (r: Omit<Row, 'section'>) =>
    rows.push({ section: bundleSection, ...r });
  const { bundle } = i;
  const appGzip = { label: 'whole app', value: bundle.app.gzip / 1024 };
  bundleRow({
    figure: "the plugin's lazy chunks, raw",
    value: bundle.plugin.raw / 1024,
    unit: 'KB',
    reference: { label: 'whole app', value: bundle.app.raw / 1024 },
    note: `${bundle.plugin.chunks} chunks with a source of plugins/datadog-ecs or -common (a module several lazy imports need is in each of their chunks); the initial chunks hold ${bundle.pluginSources.initialFiles} of its ${bundle.pluginSources.files} source files (the plugin's registration)`,
  });
  bundleRow({
    figure: "the plugin's lazy chunks, gzip",
    value: bundle.plugin.gzip / 1024,
    unit: 'KB',
    reference: appGzip,
  });
  // The chunk files the browser fetched (the first timed run of each page).
  const scripts = (runs: LoadRun[]) => new Set(runs[0]?.scripts ?? []);
  const minus = (a: Set<string>, b: Set<string>) =>
    [...a].filter(x => !b.has(x));
  const trivialFiles = scripts(i.out.trivial);
  const portalFiles = scripts(i.out.portal);
  const pages = [
    {
      figure: 'what opening the portal page loads beyond the 404 page, gzip',
      files: filesSize(bundle, minus(portalFiles, trivialFiles)),
    },
    {
      figure: 'what opening the cluster page adds to the portal page, gzip',
      files: filesSize(bundle, minus(scripts(i.out.cluster), portalFiles)),
    },
  ];
  for (const { figure, files } of pages) {
    bundleRow({
      figure,
      value: files.gzip / 1024,
      unit: 'KB',
      reference: appGzip,
      note: `${files.files} chunk files as the browser fetched them, raw ${kb(
        files.raw,
      )}; the largest packages in them (source size): ${files.largest}`,
    });
  }
  bundleRow({
    figure: "the plugin's source files in the bundle, as written",
    value: bundle.pluginSources.bytes / 1024,
    unit: 'KB',
    reference: {
      label: 'all sources',
      value: [...bundle.sourceBytes.values()].reduce((n, b) => n + b, 0) / 1024,
    },
    note: `${
      bundle.pluginSources.files
    } files of plugins/datadog-ecs/src and plugins/datadog-ecs-common/src (from the source maps); waited ${Math.round(
      s(i.idleMs),
    )} s for the backend to settle before timing the pages`,
  });
  return rows;
}
