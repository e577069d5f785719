/*
 * The Amazon Linux generation from the instances' AMIs, end to end: the real AWS SDK (ECS and EC2
 * DescribeImages, the EC2 Query API) against the emulator's demo fleet, the real router over HTTP.
 */
import { startEcsEmulator } from '@ecs-agent-coverage/ecs-emulator';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  Emulator,
  LEGACY,
  Server,
  refreshSnapshot,
  sleep,
  startBackend,
} from './__testUtils__/integration';

jest.setTimeout(60_000);

const API = '/api/datadog-ecs';
const DOCKER19 = `${API}/clusters/111111111111/eu-west-1/prod-al2-docker19`;
const CUSTOM_AMI = `${API}/clusters/222222222222/us-east-1/staging-custom-ami`;
/** The private golden AMI of staging-custom-ami: not shared with its account. */
const GOLDEN_AMI = 'ami-0ac3e9a1d2b4c5f67';

const describeImagesCalls = (emu: Emulator) =>
  emu.control.counters().operations.DescribeImages?.calls ?? 0;

/** The host path of the rendered definition's cgroup volume. */
const cgroupPathOf = (taskDefinition: any) =>
  (taskDefinition.volumes as any[]).find(v => v.name === 'cgroup')?.host
    ?.sourcePath;

describe('the Amazon Linux generation from the AMI (demo fleet, real SDK)', () => {
  let emu: Emulator;
  let dbDir: string;
  let backend: Server | undefined;
  let firstRefreshDescribeImages: number;

  beforeAll(async () => {
    emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-amis-'));
    emu.control.resetCounters();
    // Three locations (111111111111 × us-east-1, eu-west-1; 222222222222 × us-east-1), each with
    // several clusters of Linux EC2 instances, most sharing their AMIs.
    backend = await startBackend(emu, { dbDir });
    await refreshSnapshot(backend.server);
    firstRefreshDescribeImages = describeImagesCalls(emu);
  });
  afterAll(async () => {
    await backend?.stop();
    await emu?.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  it('reads Amazon Linux 2 hosts running Docker 19.03 as Amazon Linux 2, and previews the Linux variant', async () => {
    const { server } = backend!;
    const cluster = await request(server).get(DOCKER19);
    expect(cluster.status).toBe(200);
    expect(cluster.body.instances.length).toBe(3);
    for (const i of cluster.body.instances) {
      expect(i).toMatchObject({
        os: 'linux',
        amazonLinuxGeneration: 2,
        amazonLinuxGenerationSource: 'ami',
        amiId: expect.stringMatching(/^ami-/),
        amiName: 'amzn2-ami-ecs-hvm-2.0.20210331-x86_64-ebs',
      });
    }
    expect(cluster.body.amazonLinuxGenerationUnknown).toBe(0);
    const findingIds = (cluster.body.findings as any[]).map(f => f.id);
    expect(findingIds).not.toContain('cluster.amazon-linux-generation-unknown');
    expect(findingIds).not.toContain('cluster.ami-unreadable');

    const preview = await request(server)
      .post(`${DOCKER19}/rollouts/preview`)
      .send({});
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      variant: 'linux',
      variantSource: 'instances',
    });
    expect(cgroupPathOf(preview.body.taskDefinition)).toBe('/sys/fs/cgroup/');
    expect(JSON.stringify(preview.body.taskDefinition)).not.toContain(
      '"sourcePath":"/cgroup/"',
    );
    expect(
      (preview.body.warnings as string[]).filter(w => /generation/.test(w)),
    ).toEqual([]);
  });

  it('keeps Amazon Linux 1 where the AMI says so (prod-eu-legacy)', async () => {
    const { server } = backend!;
    const legacy = await request(server).get(LEGACY);
    const ec2 = (legacy.body.instances as any[]).filter(i => !i.external);
    expect(ec2.length).toBeGreaterThan(0);
    for (const i of ec2) {
      expect(i).toMatchObject({
        amazonLinuxGeneration: 1,
        amazonLinuxGenerationSource: 'ami',
        amiName: 'amzn-ami-2018.03.20210219-amazon-ecs-optimized',
      });
    }
    const preview = await request(server)
      .post(`${LEGACY}/rollouts/preview`)
      .send({});
    expect(preview.body.variant).toBe('amazon-linux-1');
    expect(cgroupPathOf(preview.body.taskDefinition)).toBe('/cgroup/');
  });

  it('reports the custom-AMI instances as unknown, and the preview assumes Amazon Linux 2 / 2023 with a warning', async () => {
    const { server } = backend!;
    const cluster = await request(server).get(CUSTOM_AMI);
    expect(cluster.status).toBe(200);
    expect(cluster.body.error).toBeUndefined();
    const unknown = (cluster.body.instances as any[]).filter(
      i => i.amazonLinuxGenerationSource === 'unknown',
    );
    expect(unknown.length).toBeGreaterThan(0);
    for (const i of unknown) {
      expect(i.amiId).toBe(GOLDEN_AMI);
      expect(i.amiName).toBeUndefined();
      expect(i.amazonLinuxGeneration).toBeUndefined();
    }
    expect(cluster.body.amazonLinuxGenerationUnknown).toBe(unknown.length);
    const finding = (cluster.body.findings as any[]).find(
      f => f.id === 'cluster.amazon-linux-generation-unknown',
    );
    expect(finding).toBeDefined();
    expect(finding.explanation).toContain(GOLDEN_AMI);
    for (const i of unknown) expect(finding.explanation).toContain(i.instanceId);

    // The card says so too.
    const list = await request(server).get(`${API}/clusters`);
    const card = (list.body.clusters as any[]).find(
      c => c.clusterName === 'staging-custom-ami',
    );
    expect(card.amazonLinuxGenerationUnknown).toBe(unknown.length);

    const assumed = await request(server)
      .post(`${CUSTOM_AMI}/rollouts/preview`)
      .send({});
    expect(assumed.status).toBe(200);
    expect(assumed.body.variant).toBe('linux');
    expect(cgroupPathOf(assumed.body.taskDefinition)).toBe('/sys/fs/cgroup/');
    expect(assumed.body.warnings).toContain(
      `The Amazon Linux generation of ${unknown.length} instance(s) is unknown (custom AMI, or its AMI could not be read): the Amazon Linux 2 / 2023 variant (cgroup /sys/fs/cgroup/) was assumed; choose the Amazon Linux 1 variant (cgroup /cgroup/) if they run Amazon Linux 1`,
    );

    // What the dialog sends when the user answers "Amazon Linux 1".
    const chosen = await request(server)
      .post(`${CUSTOM_AMI}/rollouts/preview`)
      .send({ variant: 'amazon-linux-1', external: false });
    expect(chosen.body.variant).toBe('amazon-linux-1');
    expect(cgroupPathOf(chosen.body.taskDefinition)).toBe('/cgroup/');
    expect(chosen.body.warnings).toContain(
      `The Amazon Linux generation of ${unknown.length} instance(s) is unknown (custom AMI, or its AMI could not be read): the Amazon Linux 1 variant (cgroup /cgroup/) was chosen for them`,
    );
  });

  it('made one DescribeImages per location for all its clusters, and none on the next refresh', async () => {
    const { server } = backend!;
    const clusters = (await request(server).get(`${API}/clusters`)).body
      .clusters as any[];
    // Several clusters per location share their AMIs (us-east-1 of 111111111111: three on one).
    const perLocation = new Map<string, number>();
    for (const c of clusters) {
      const key = `${c.accountId}/${c.region}`;
      perLocation.set(key, (perLocation.get(key) ?? 0) + 1);
    }
    expect([...perLocation.keys()].sort()).toEqual([
      '111111111111/eu-west-1',
      '111111111111/us-east-1',
      '222222222222/us-east-1',
    ]);
    expect([...perLocation.values()].every(n => n >= 3)).toBe(true);
    expect(firstRefreshDescribeImages).toBe(perLocation.size);

    // The AMIs are cached (images for good, "cannot read" for an hour): no call at all.
    await sleep(1100);
    emu.control.resetCounters();
    await refreshSnapshot(server);
    expect(emu.control.counters().operations.DescribeContainerInstances?.calls).toBeGreaterThan(0);
    expect(describeImagesCalls(emu)).toBe(0);
  });

  it('makes one DescribeImages for a single location of several clusters, from a fresh gateway', async () => {
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadog-ecs-amis-'));
    emu.control.resetCounters();
    const single = await startBackend(emu, {
      dbDir: otherDir,
      datadogEcs: {
        locations: [{ accountId: '111111111111', regions: ['eu-west-1'] }],
      },
    });
    try {
      await refreshSnapshot(single.server);
      const clusters = (await request(single.server).get(`${API}/clusters`))
        .body.clusters as any[];
      expect(clusters.map(c => c.clusterName).sort()).toEqual(
        expect.arrayContaining(['prod-al2-docker19', 'prod-eu-legacy', 'prod-eu-payments']),
      );
      expect(describeImagesCalls(emu)).toBe(1);
      expect(emu.control.counters().operations.DescribeImages?.errors ?? 0).toBe(0);
    } finally {
      await single.stop();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
