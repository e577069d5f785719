/*
 * The catalog module of datadog-ecs in a test backend wired like the app: the real catalog
 * (reading examples/*.yaml, plus one entity whose annotation names a service that does not exist),
 * the datadog-ecs plugin against the ECS emulator's demo fleet, and the module between them over
 * HTTP with a service token. After one inventory refresh and one run of the entity provider, the
 * catalog lists one `ecs-cluster` resource per inventoried cluster with its owner, and the services
 * the inventory confirms depend on their cluster's resource; the forged annotation links nothing.
 */
import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  ClusterSummary,
  ClustersResponse,
  clusterEntityName,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  DEMO_CREDENTIALS,
  startEcsEmulator,
} from '@ecs-agent-coverage/ecs-emulator';
import datadogEcsPlugin from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-backend';
import catalogModuleDatadogEcs from '@ecs-agent-coverage/backstage-plugin-catalog-backend-module-datadog-ecs';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(180_000);

const examples = path.resolve(__dirname, '../../../examples');
/** Who owns the clusters without an owner tag, per account (config). */
const DEFAULT_OWNER: Record<string, string> = {
  '111111111111': 'group:default/platform', // datadogEcs.locations[0].defaultOwner
  '222222222222': 'group:default/storefront', // datadogEcs.catalog.defaultOwner
};

/** The catalog's scheduler (the test backend's mock), to run the provider's task on demand. */
let scheduler: SchedulerService | undefined;
const captureScheduler = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-capture-scheduler',
  register(env) {
    env.registerInit({
      deps: { s: coreServices.scheduler },
      async init({ s }) {
        scheduler = s;
      },
    });
  },
});

let emu: Awaited<ReturnType<typeof startEcsEmulator>>;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let tmp: string;
let base = '';

const get = async (p: string) => {
  const res = await fetch(`${base}${p}`, {
    headers: { authorization: mockCredentials.user.header() },
  });
  if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
  return res.json();
};

/** Polls until `check` returns a value, or fails with what it saw last. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 300; i++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

const setup = (ok: boolean, what: string) => {
  if (!ok) throw new Error(`setup: ${what}`);
};

const clusterResources = async (): Promise<Entity[]> =>
  get('/api/catalog/entities?filter=kind=resource,spec.type=ecs-cluster');

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-clusters-'));
  // Owned by carol's team, annotated with a service prod-web does not run.
  fs.writeFileSync(
    path.join(tmp, 'forged.yaml'),
    `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: forged-payments
  annotations:
    aws.amazon.com/amazon-ecs-service-arn: arn:aws:ecs:us-east-1:111111111111:service/prod-web/payments-api
spec:
  type: service
  lifecycle: production
  owner: storefront
`,
  );
  emu = await startEcsEmulator({ fleet: 'demo', clock: { mode: 'manual' } });
  backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleDatadogEcs,
      captureScheduler,
      datadogEcsPlugin,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          catalog: {
            // Reprocess often, so that the relations follow the inventory within the test.
            processingInterval: { seconds: 1 },
            rules: [
              { allow: ['Component', 'System', 'API', 'Resource', 'Location'] },
            ],
            locations: [
              { type: 'file', target: path.join(examples, 'entities.yaml') },
              {
                type: 'file',
                target: path.join(examples, 'org.yaml'),
                rules: [{ allow: ['User', 'Group'] }],
              },
              { type: 'file', target: path.join(tmp, 'forged.yaml') },
            ],
          },
          aws: {
            accounts: [{ ...DEMO_CREDENTIALS[0] }, { ...DEMO_CREDENTIALS[1] }],
          },
          datadogEcs: {
            ecsEndpoint: emu.url,
            locations: [
              {
                accountId: '111111111111',
                regions: ['us-east-1', 'eu-west-1'],
                defaultOwner: DEFAULT_OWNER['111111111111'],
              },
              {
                accountId: '222222222222',
                regions: ['us-east-1', 'eu-west-1'],
              },
            ],
            catalog: { defaultOwner: DEFAULT_OWNER['222222222222'] },
            // No background refresh: it runs once, below.
            refresh: {
              schedule: {
                frequency: { hours: 24 },
                timeout: { minutes: 5 },
                initialDelay: { hours: 12 },
              },
              minIntervalSeconds: 1,
            },
          },
        },
      }),
    ],
  });
  base = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await backend?.stop();
  await emu?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('ECS clusters in the catalog', () => {
  let clusters: ClusterSummary[];

  beforeAll(async () => {
    // One inventory refresh (the mock scheduler runs it to its end before answering).
    const refresh = await fetch(`${base}/api/datadog-ecs/refresh`, {
      method: 'POST',
      headers: { authorization: mockCredentials.user.header() },
    });
    setup(
      refresh.status === 202,
      `the refresh was accepted (${refresh.status})`,
    );
    const inventory: ClustersResponse = await get('/api/datadog-ecs/clusters');
    clusters = inventory.clusters;
    setup(
      Boolean(inventory.snapshotTakenAt) && clusters.length > 5,
      'the snapshot is complete',
    );
    // Then one run of the entity provider.
    setup(scheduler !== undefined, 'the catalog scheduler was captured');
    await scheduler!.triggerTask('datadog-ecs-clusters:refresh');
  });

  it('lists one ecs-cluster resource per demo cluster, with its owner', async () => {
    const byName = new Map(clusters.map(c => [clusterEntityName(c), c]));
    const resources = await eventually(
      'one owned resource per cluster',
      async () => {
        const list = await clusterResources();
        const stitched = list.filter(e =>
          e.relations?.some(r => r.type === 'ownedBy'),
        );
        return stitched.length === clusters.length ? list : undefined;
      },
    );

    expect(resources.map(e => e.metadata.name).sort()).toEqual(
      [...byName.keys()].sort(),
    );
    for (const entity of resources) {
      const cluster = byName.get(entity.metadata.name)!;
      // The owner the inventory resolved (a tag, else the location's or the catalog default).
      expect(cluster.owner).toBeDefined();
      expect(entity.spec?.owner).toBe(cluster.owner);
      // From config, the configured owner of the cluster's account.
      expect(cluster.owner).toBe(
        cluster.ownerSource === 'config'
          ? DEFAULT_OWNER[cluster.accountId]
          : cluster.owner,
      );
      expect(entity.relations).toContainEqual(
        expect.objectContaining({ type: 'ownedBy', targetRef: cluster.owner }),
      );
      expect(entity.metadata.title).toBe(cluster.clusterName);
      expect(entity.metadata.annotations).toMatchObject({
        'aws.amazon.com/amazon-ecs-cluster-arn': cluster.clusterArn,
        'datadog-ecs/account-id': cluster.accountId,
        'datadog-ecs/region': cluster.region,
        'datadog-ecs/cluster-name': cluster.clusterName,
        'backstage.io/managed-by-location': `datadog-ecs:${cluster.accountId}/${cluster.region}`,
      });
      expect(entity.spec?.system).toBe(cluster.system);
    }
  });

  it('links a service the inventory confirms to its cluster, both ways; a forged annotation to nothing', async () => {
    const payments = `resource:default/${clusterEntityName({
      accountId: '111111111111',
      region: 'eu-west-1',
      clusterName: 'prod-eu-payments',
    })}`;
    const component = await eventually(
      'payments-api dependsOn its cluster',
      async () => {
        const e: Entity = await get(
          '/api/catalog/entities/by-name/component/default/payments-api',
        );
        return e.relations?.some(
          r => r.type === 'dependsOn' && r.targetRef === payments,
        )
          ? e
          : undefined;
      },
    );
    expect(component.relations?.filter(r => r.type === 'dependsOn')).toEqual([
      { type: 'dependsOn', targetRef: payments },
    ]);
    const cluster: Entity = await eventually(
      'the cluster lists its dependent',
      async () => {
        const e: Entity = await get(
          `/api/catalog/entities/by-name/resource/default/${
            payments.split('/')[1]
          }`,
        );
        return e.relations?.some(r => r.type === 'dependencyOf')
          ? e
          : undefined;
      },
    );
    expect(cluster.relations).toContainEqual({
      type: 'dependencyOf',
      targetRef: 'component:default/payments-api',
    });

    // prod-web runs checkout-api and storefront (examples/entities.yaml), not payments-api: the
    // entity that claims prod-web's payments-api depends on nothing, even after it has been
    // reprocessed several times since the inventory was read (every 1–1.5 s here).
    const prodWebRef = clusterEntityName({
      accountId: '111111111111',
      region: 'us-east-1',
      clusterName: 'prod-web',
    });
    const prodWeb = await eventually(
      'prod-web lists its two services',
      async () => {
        const e: Entity = await get(
          `/api/catalog/entities/by-name/resource/default/${prodWebRef}`,
        );
        const dependents = (e.relations ?? []).filter(
          r => r.type === 'dependencyOf',
        );
        return dependents.length >= 2 ? e : undefined;
      },
    );
    await new Promise(r => setTimeout(r, 4000));
    const forged: Entity = await get(
      '/api/catalog/entities/by-name/component/default/forged-payments',
    );
    expect(forged.relations).toContainEqual(
      expect.objectContaining({
        type: 'ownedBy',
        targetRef: 'group:default/storefront',
      }),
    );
    expect(forged.relations?.filter(r => r.type === 'dependsOn')).toEqual([]);
    const prodWebNow: Entity = await get(
      `/api/catalog/entities/by-name/resource/default/${prodWebRef}`,
    );
    for (const e of [prodWeb, prodWebNow]) {
      expect(
        e.relations
          ?.filter(r => r.type === 'dependencyOf')
          .map(r => r.targetRef)
          .sort(),
      ).toEqual([
        'component:default/checkout-api',
        'component:default/storefront',
      ]);
    }
  });
});
