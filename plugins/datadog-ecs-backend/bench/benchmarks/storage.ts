/**
 * Issue 15, item 3 (storage): what the SnapshotStore keeps and writes on SQLite for a
 * 10,000-instance fleet — the rows and bytes a refresh where nothing changed writes (beyond what
 * records the refresh itself: the refresh status, the locations' refresh times and one coverage
 * point per cluster), and the stored size of the snapshot with the history the default settings
 * keep (`history.retentionDays` of refreshes every `refresh.schedule.frequency`).
 */
import { ConfigReader } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { readDatadogEcsConfig } from '../../src/config/config';
import { startBenchEmulator, sumCalls } from '../lib/emulator';
import { fleetModel } from '../lib/fleetModel';
import { Benchmark, Row } from '../lib/table';
import { RefreshResult, StorageResult, Worker } from '../lib/worker';
import type { TableWrites } from '../worker/storeProbe';
import { SIZES } from '../lib/scenarios';

const MB = 1024 * 1024;
/** The snapshot proper; the other tables record refreshes. */
const SNAPSHOT = 'datadog_ecs_clusters';
const RECORDS = [
  'datadog_ecs_refresh',
  'datadog_ecs_locations',
  'datadog_ecs_coverage_history',
];

const rowsOf = (w: TableWrites) => w.inserted + w.updated + w.deleted;
const sum = (
  writes: Record<string, TableWrites>,
  tables: string[],
  f: (w: TableWrites) => number,
) => tables.reduce((n, t) => n + f(writes[t]), 0);

/** The default refresh period and history retention, as the plugin reads them. */
export function historyDefaults() {
  const config = readDatadogEcsConfig(new ConfigReader({}));
  const frequency = config.refreshSchedule.frequency as HumanDuration;
  return {
    periodMinutes: durationToMilliseconds(frequency) / 60_000,
    days: config.historyRetentionDays,
  };
}

export const storageBenchmark: Benchmark = {
  name: 'storage',
  description:
    'SQLite: writes of an unchanged refresh, stored size of 10k instances with 30 days of history',
  async run(options) {
    const { fleet } = SIZES['10k'];
    const bench = await startBenchEmulator(fleet);
    const rows: Row[] = [];
    try {
      const model = fleetModel(bench);
      const { periodMinutes, days } = historyDefaults();
      const section = `storage: ${fleet} on SQLite (${
        model.clusters
      } clusters, ${model.instances.toLocaleString(
        'en-US',
      )} instances), ${days} days of history every ${periodMinutes} min`;
      const row = (r: Omit<Row, 'section'>) => rows.push({ section, ...r });
      const { worker } = await Worker.start({
        url: bench.url,
        accounts: bench.accounts,
        locations: bench.locations,
      });
      let first: RefreshResult;
      let again: RefreshResult;
      let againCalls: number;
      let storage: StorageResult;
      let points: number;
      try {
        options.log('storage: first refresh');
        bench.beginRun({});
        first = await worker.refresh({
          freshGateway: true,
          measureWrites: true,
        });
        const firstCalls = sumCalls(bench.tally().calls);
        options.log('storage: a refresh where nothing changed');
        bench.beginRun({});
        again = await worker.refresh({
          freshGateway: false,
          measureWrites: true,
        });
        againCalls = sumCalls(bench.tally().calls);
        row({
          figure: 'calls of a refresh where nothing changed (warm caches)',
          value: againCalls,
          unit: 'calls',
          reference: { label: 'first refresh', value: firstCalls },
          note: 'task definitions (immutable) and AMIs come from the gateway caches',
        });
        options.log(`storage: ${days} days of coverage history`);
        points = (
          await worker.send<{ points: number }>({
            type: 'history',
            days,
            periodMinutes,
          })
        ).points;
        storage = await worker.send<StorageResult>({ type: 'storage' });
      } finally {
        await worker.stop();
      }
      const w1 = first.writes!;
      const w2 = again.writes!;
      row({
        figure: 'snapshot rows rewritten when nothing changed',
        value: rowsOf(w2[SNAPSHOT]),
        unit: 'rows',
        reference: { label: 'first refresh', value: rowsOf(w1[SNAPSHOT]) },
        target: 0,
        note: `${SNAPSHOT}: ${w2[SNAPSHOT].deleted} deleted, ${w2[SNAPSHOT].inserted} inserted, ${w2[SNAPSHOT].updated} updated`,
      });
      row({
        figure: 'snapshot bytes rewritten when nothing changed',
        value: w2[SNAPSHOT].bytes / MB,
        unit: 'MB',
        reference: { label: 'first refresh', value: w1[SNAPSHOT].bytes / MB },
        target: 0,
      });
      const locations = model.locations.length;
      row({
        figure: 'rows recording the refresh itself',
        value: sum(w2, RECORDS, rowsOf),
        unit: 'rows',
        reference: {
          label: 'a point per cluster, a row per location, status',
          value: model.clusters + locations + (2 + locations),
        },
        note: `${
          w2.datadog_ecs_coverage_history.inserted
        } coverage points, ${rowsOf(
          w2.datadog_ecs_locations,
        )} location rows, ${rowsOf(w2.datadog_ecs_refresh)} status updates; ${(
          sum(w2, RECORDS, x => x.bytes) / 1024
        ).toFixed(0)} KB`,
      });
      const t = storage.tables;
      const snapshotTables = ['datadog_ecs_clusters', 'datadog_ecs_locations'];
      const stored = (names: string[]) =>
        names.reduce((n, x) => n + t[x].storedBytes, 0);
      const values = (names: string[]) =>
        names.reduce((n, x) => n + t[x].valueBytes, 0);
      row({
        figure: `stored snapshot of ${model.instances.toLocaleString(
          'en-US',
        )} instances`,
        value: stored(snapshotTables) / MB,
        unit: 'MB',
        reference: { label: 'its values', value: values(snapshotTables) / MB },
        note: `${(stored(snapshotTables) / model.instances / 1024).toFixed(
          1,
        )} KB per instance; JSON documents per cluster (summary, details, services)`,
      });
      const history = 'datadog_ecs_coverage_history';
      row({
        figure: `stored history, ${days} days (${t[history].rows.toLocaleString(
          'en-US',
        )} points)`,
        value: t[history].storedBytes / MB,
        unit: 'MB',
        reference: { label: 'its values', value: t[history].valueBytes / MB },
        note: `${(t[history].storedBytes / t[history].rows).toFixed(
          0,
        )} bytes per point with its two indexes; ${points.toLocaleString(
          'en-US',
        )} added = ${model.clusters} clusters × ${Math.floor(
          (days * 1440) / periodMinutes,
        )} refreshes`,
      });
      row({
        figure: 'SQLite file (snapshot + history, after VACUUM)',
        value: storage.fileBytes / MB,
        unit: 'MB',
        reference: { label: 'all values', value: values(Object.keys(t)) / MB },
      });
    } finally {
      await bench.stop();
    }
    return rows;
  },
};
