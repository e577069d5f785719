/*
 * A fleet with ECS Managed Daemons (the emulator's `demo+managed`): the inventory does not read
 * managed daemons yet, but their tasks (whose daemon task definitions DescribeTaskDefinition
 * refuses) must not break a cluster's inventory, and the cluster says they are not inventoried.
 */
import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  Emulator,
  Server,
  refreshSnapshot,
  startBackend,
} from './__testUtils__/integration';

jest.setTimeout(60_000);

const API = '/api/datadog-ecs';

describe('clusters with ECS Managed Daemons (demo+managed, real SDK)', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;

  beforeAll(async () => {
    emu = await startEcsEmulator({
      fleet: 'demo+managed',
      clock: { mode: 'manual' },
    });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-managed-'));
    backend = await startBackend(emu, { dbDir });
    await refreshSnapshot(backend.server);
  });
  afterAll(async () => {
    await backend?.stop();
    await emu?.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  it('inventories the mixed cluster and says its managed daemon is not inventoried', async () => {
    const res = await request(backend!.server).get(
      `${API}/clusters/111111111111/eu-west-1/prod-mixed`,
    );
    expect(res.status).toBe(200);
    expect(res.body.error).toBeUndefined();
    const finding = res.body.findings.find(
      (f: any) => f.id === 'cluster.managed-daemons-not-inventoried',
    );
    expect(finding?.explanation).toContain('datadog-agent-daemon:1');
    // Its Auto Scaling half is still covered by the Agent's DAEMON service.
    expect(res.body.agentServices.map((s: any) => s.schedulingStrategy)).toEqual([
      'DAEMON',
    ]);
    expect(res.body.counts.covered).toBeGreaterThanOrEqual(2);
  });

  it('fails no cluster of the fleet, and never asks DescribeTaskDefinition for a daemon task definition', async () => {
    const { clusters } = (await request(backend!.server).get(`${API}/clusters`))
      .body;
    expect(clusters.filter((c: any) => c.error)).toEqual([]);
    const managed = clusters.find((c: any) => c.clusterName === 'prod-managed');
    expect(managed).toBeDefined();
    expect(
      emu.control.counters().total.errors,
    ).toBe(0);
  });
});
