/*
 * The API's cached reads with two backend replicas on one database: what one replica serves (and
 * keeps, built, redacted and gzipped) is replaced by the snapshot the other replica's refresh
 * writes from the next request on, on every cached route, with new validators. The real SDK
 * against the emulator's demo fleet, the real router, SQLite files shared by both.
 */
import { Entity } from '@backstage/catalog-model';
import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  Emulator,
  payments,
  refreshSnapshot,
  Server,
  sleep,
  startBackend,
} from './__testUtils__/integration';

jest.setTimeout(60_000);

const API = '/api/datadog-ecs';
const PROD = '111111111111';
const WEB = `${API}/clusters/${PROD}/us-east-1/prod-web`;
const ENTITY = `${API}/entity/default/component/web`;

/** A component whose cluster is prod-web (4 instances, all covered in the demo fleet). */
const web: Entity = {
  ...payments,
  metadata: {
    name: 'web',
    namespace: 'default',
    annotations: {
      'aws.amazon.com/amazon-ecs-cluster-arn': `arn:aws:ecs:us-east-1:${PROD}:cluster/prod-web`,
    },
  },
};

/** Asks `server` for a refresh and waits until its snapshot replaced the one taken at `takenAt`. */
async function refreshAfter(server: Server['server'], takenAt: string) {
  for (let i = 0; i < 50; i++) {
    const r = await request(server).post(`${API}/refresh`);
    if (r.status === 202) break;
    expect(r.status).toBe(429);
    await sleep(100);
  }
  for (let i = 0; i < 200; i++) {
    const { body } = await request(server).get(`${API}/clusters`);
    if (body.snapshotTakenAt !== takenAt && !body.refresh.running) return;
    await sleep(25);
  }
  throw new Error('no new snapshot');
}

describe('cached reads with two replicas on one database', () => {
  let emu: Emulator;
  let dbDir: string;
  const backends: Server[] = [];

  beforeEach(async () => {
    emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-replicas-'));
  });

  afterEach(async () => {
    for (const backend of backends.splice(0)) await backend.stop();
    await emu.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  it('serves the snapshot the other replica wrote from the next request on, with new ETags', async () => {
    const a = await startBackend(emu, { dbDir, entities: [payments, web] });
    backends.push(a);
    const b = await startBackend(emu, { dbDir, entities: [payments, web] });
    backends.push(b);
    await refreshSnapshot(a.server);

    const get = (server: Server['server'], route: string, etag?: string) => {
      const r = request(server).get(route).set('Accept-Encoding', 'gzip');
      return etag ? r.set('If-None-Match', etag) : r;
    };
    // Replica b serves the snapshot replica a took, gzipped, and keeps it.
    const before: Record<string, request.Response> = {};
    for (const route of [`${API}/clusters`, WEB, ENTITY]) {
      before[route] = await get(b.server, route);
      expect(before[route].status).toBe(200);
      expect(before[route].headers['content-encoding']).toBe('gzip');
      expect(before[route].headers.etag).toMatch(/^W\//);
      const again = await get(b.server, route);
      expect(again.headers.etag).toBe(before[route].headers.etag);
      expect(again.body).toEqual(before[route].body);
      expect(
        (await get(b.server, route, before[route].headers.etag)).status,
      ).toBe(304);
    }
    const takenAt = before[`${API}/clusters`].body.snapshotTakenAt;
    const webBefore = before[`${API}/clusters`].body.clusters.find(
      (c: { clusterName: string }) => c.clusterName === 'prod-web',
    );
    expect(webBefore).toMatchObject({
      state: 'covered',
      counts: { instances: 4, covered: 4 },
    });
    expect(before[ENTITY].body.clusters[0].cluster).toMatchObject({
      state: 'covered',
    });

    // An instance of prod-web is drained in ECS; replica a's refresh writes the new snapshot.
    const drained = before[WEB].body.instances[0].containerInstanceArn;
    emu.control.drain({
      accountId: PROD,
      region: 'us-east-1',
      cluster: 'prod-web',
      containerInstance: drained,
    });
    emu.control.advance(120_000);
    await refreshAfter(a.server, takenAt);

    // Replica b's next answers are the new snapshot; the old validators no longer match.
    const clusters = await get(
      b.server,
      `${API}/clusters`,
      before[`${API}/clusters`].headers.etag,
    );
    expect(clusters.status).toBe(200);
    expect(clusters.body.snapshotTakenAt).not.toBe(takenAt);
    expect(
      clusters.body.clusters.find(
        (c: { clusterName: string }) => c.clusterName === 'prod-web',
      ),
    ).toMatchObject({ state: 'missing', counts: { instances: 4, covered: 3 } });
    expect(clusters.body.totals.covered).toBe(
      before[`${API}/clusters`].body.totals.covered - 1,
    );

    const details = await get(b.server, WEB, before[WEB].headers.etag);
    expect(details.status).toBe(200);
    expect(details.headers.etag).not.toBe(before[WEB].headers.etag);
    expect(
      details.body.instances.find(
        (i: { containerInstanceArn: string }) =>
          i.containerInstanceArn === drained,
      ),
    ).toMatchObject({ status: 'DRAINING', state: 'missing' });
    expect(details.body.history.length).toBe(
      before[WEB].body.history.length + 1,
    );

    const entity = await get(b.server, ENTITY, before[ENTITY].headers.etag);
    expect(entity.status).toBe(200);
    expect(entity.body.snapshotTakenAt).toBe(clusters.body.snapshotTakenAt);
    expect(entity.body.clusters[0].cluster).toMatchObject({ state: 'missing' });

    // Both replicas answer the same bytes for the same snapshot.
    for (const route of [`${API}/clusters`, WEB, ENTITY]) {
      const fromA = await get(a.server, route);
      const fromB = await get(b.server, route);
      expect(fromA.headers.etag).toBe(fromB.headers.etag);
      expect(fromA.body).toEqual(fromB.body);
    }
  });

  it('answers each filter of GET /clusters from its own body, identity to a client without gzip', async () => {
    const a = await startBackend(emu, { dbDir });
    backends.push(a);
    await refreshSnapshot(a.server);
    const all = await request(a.server)
      .get(`${API}/clusters`)
      .set('Accept-Encoding', 'identity');
    expect(all.headers['content-encoding']).toBeUndefined();
    expect(all.headers['content-type']).toBe('application/json; charset=utf-8');
    const missing = await request(a.server).get(
      `${API}/clusters?state=missing`,
    );
    expect(missing.body.clusters.length).toBeGreaterThan(0);
    expect(missing.body.clusters.length).toBeLessThan(all.body.clusters.length);
    expect(
      missing.body.clusters.every(
        (c: { state: string }) => c.state === 'missing',
      ),
    ).toBe(true);
    expect(missing.headers.etag).not.toBe(all.headers.etag);
    expect((await request(a.server).get(`${API}/clusters`)).body).toEqual(
      all.body,
    );
    expect(
      (
        await request(a.server)
          .get(`${API}/clusters?state=missing`)
          .set('If-None-Match', all.headers.etag)
      ).status,
    ).toBe(200);
  });
});
