/**
 * A backend-like child process: the plugin's InventoryRefresher, AwsEcsGateway and SnapshotStore
 * on SQLite (a file, as in the portal) against the emulator the parent runs; or the naive peer.
 * The parent sends commands over IPC; each answer carries the process's peak RSS so far
 * (getrusage), so the first refresh of a fresh worker measures that refresh's peak.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigReader } from '@backstage/config';
import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import knexFactory, { Knex } from 'knex';
import { AwsEcsGateway } from '../../src/aws/AwsEcsGateway';
import {
  DatadogEcsConfig,
  readDatadogEcsConfig,
} from '../../src/config/config';
import { InventoryRefresher } from '../../src/inventory/InventoryRefresher';
import { SnapshotStore } from '../../src/inventory/SnapshotStore';
import { mapWithConcurrency } from '../../src/util/concurrency';
import { naiveInventory } from '../naive/naiveInventory';
import { callChain } from './callChain';
import { countWrites, fillHistory, measureStorage } from './storeProbe';
import type { WorkerCommand, WorkerInit } from '../lib/worker';
import { serveCommands } from '../lib/child';

const MB = 1024 * 1024;
let init: WorkerInit;
let knex: Knex;
let store: SnapshotStore;
let dir: string;
let gateway: AwsEcsGateway | undefined;

const logger: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return logger;
  },
};

const memory = () => ({
  maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
  rssMb: process.memoryUsage().rss / MB,
  heapUsedMb: process.memoryUsage().heapUsed / MB,
});

function newGateway() {
  return new AwsEcsGateway({
    credentialsManager: DefaultAwsCredentialsManager.fromConfig(
      new ConfigReader({ aws: { accounts: init.accounts } }),
    ),
    endpoint: init.url,
    callsInFlight: benchConfig().callsInFlight,
  });
}

/** The largest heap left after a full GC, sampled every `everyMs` until stopped. */
function sampleLiveHeap(everyMs: number) {
  let peak = 0;
  const sample = () => {
    global.gc?.();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, everyMs);
  return () => {
    clearInterval(timer);
    sample();
    return peak / MB;
  };
}

function benchConfig(): DatadogEcsConfig {
  return readDatadogEcsConfig(
    new ConfigReader({
      datadogEcs: {
        ecsEndpoint: init.url,
        locations: init.locations.map(l => ({
          accountId: l.accountId,
          regions: [l.region],
        })),
        ...(init.refresh ? { refresh: init.refresh } : {}),
      },
    }),
    { env: 'development' },
  );
}

/**
 * The floor of the refresh's memory: the same List/Describe calls of every cluster's instances,
 * services and tasks, as many at once (locations × clusters × the three listings), through the same
 * gateway, each answer dropped as it comes. What the SDK needs to read this fleet at all.
 */
async function callsAlone() {
  const config = benchConfig();
  const api = newGateway();
  const started = performance.now();
  await mapWithConcurrency(
    config.locations,
    config.locationConcurrency,
    async location => {
      const ecs = await api.forLocation(location.accountId, location.region);
      const clusters = await ecs.describeClusters(await ecs.listClusterArns());
      await mapWithConcurrency(
        clusters,
        config.clusterConcurrency,
        async ({ clusterArn }) => {
          const arn = clusterArn!;
          await Promise.all([
            ecs
              .listContainerInstanceArns(arn)
              .then(a =>
                a.length ? ecs.describeContainerInstances(arn, a) : [],
              )
              .then(d => d.length),
            ecs
              .listServiceArns(arn)
              .then(a => (a.length ? ecs.describeServices(arn, a) : []))
              .then(d => d.length),
            ecs
              .listTaskArns(arn)
              .then(a => (a.length ? ecs.describeTasks(arn, a) : []))
              .then(d => d.length),
          ]);
        },
      );
    },
  );
  return { ms: performance.now() - started, ...memory() };
}

async function refresh(
  freshGateway: boolean,
  measureWrites: boolean,
  liveHeap: boolean,
) {
  const config = benchConfig();
  if (freshGateway || !gateway) gateway = newGateway();
  const refresher = new InventoryRefresher({ config, gateway, store, logger });
  const writes = measureWrites ? await countWrites(knex) : undefined;
  const stopSampling = liveHeap ? sampleLiveHeap(250) : undefined;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await refresher.refreshAll();
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  const liveHeapPeakMb = stopSampling?.();
  const written = await writes?.stop();
  const clusters = await store.listClusters();
  const peak = memory();
  global.gc?.();
  return {
    ms,
    cpuMs: (user + system) / 1000,
    ...peak,
    retainedHeapMb: process.memoryUsage().heapUsed / MB,
    ...(liveHeapPeakMb !== undefined ? { liveHeapPeakMb } : {}),
    clusters: clusters.length,
    instances: clusters.reduce((n, c) => n + c.counts.instances, 0),
    covered: clusters.reduce((n, c) => n + c.counts.covered, 0),
    errors: clusters.filter(c => c.error).length,
    writes: written,
  };
}

async function handle(command: WorkerCommand): Promise<unknown> {
  switch (command.type) {
    case 'init': {
      init = command.init;
      dir = mkdtempSync(join(tmpdir(), 'ddecs-bench-'));
      knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: join(dir, 'datadog-ecs.sqlite') },
        useNullAsDefault: true,
      });
      store = await SnapshotStore.create({
        database: { getClient: async () => knex } as DatabaseService,
      });
      global.gc?.();
      return memory();
    }
    case 'refresh':
      return refresh(
        command.freshGateway,
        command.measureWrites ?? false,
        command.liveHeap ?? false,
      );
    case 'calls':
      return callsAlone();
    case 'chain': {
      const cpu = process.cpuUsage();
      const started = performance.now();
      await callChain(newGateway(), benchConfig(), command.diagnostics);
      const ms = performance.now() - started;
      const { user, system } = process.cpuUsage(cpu);
      return { ms, cpuMs: (user + system) / 1000 };
    }
    case 'naive': {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = await naiveInventory(init);
      const ms = performance.now() - started;
      const { user, system } = process.cpuUsage(cpu);
      return { ms, cpuMs: (user + system) / 1000, ...memory(), ...result };
    }
    case 'history': {
      const started = performance.now();
      const points = await fillHistory(knex, {
        days: command.days,
        periodMinutes: command.periodMinutes,
        now: new Date(),
      });
      return { points, ms: performance.now() - started };
    }
    case 'storage':
      return measureStorage(knex, join(dir, 'datadog-ecs.sqlite'));
    default:
      throw new Error(`unknown command ${(command as { type: string }).type}`);
  }
}

// `exit`, or the parent gone (crashed, interrupted): nothing is left to answer.
serveCommands<WorkerCommand>(handle, async () => {
  await knex?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
