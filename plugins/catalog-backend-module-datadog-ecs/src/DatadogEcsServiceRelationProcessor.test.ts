import { CacheService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import {
  ServiceLookupRequest,
  ServiceLookupResponse,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { DatadogEcsServiceRelationProcessor } from './DatadogEcsServiceRelationProcessor';

const PAYMENTS_API =
  'arn:aws:ecs:eu-west-1:111111111111:service/prod-eu-payments/payments-api';
const PAYMENTS_WORKER =
  'arn:aws:ecs:eu-west-1:111111111111:service/prod-eu-payments/payments-worker';
const FORGED =
  'arn:aws:ecs:us-east-1:111111111111:service/prod-web/payments-api';
const CLUSTER_REF = {
  kind: 'resource',
  namespace: 'default',
  name: 'prod-eu-payments-eu-west-1-111111111111',
};

/** An in-memory cache with TTLs against a settable clock. */
function memoryCache(now: () => number): CacheService {
  const store = new Map<string, { value: unknown; until: number }>();
  const cache: CacheService = {
    async get(key) {
      const hit = store.get(key);
      return hit && hit.until > now() ? (hit.value as any) : undefined;
    },
    async set(key, value, options) {
      const ttl = typeof options?.ttl === 'number' ? options.ttl : Infinity;
      store.set(key, {
        value: JSON.parse(JSON.stringify(value)),
        until: now() + ttl,
      });
    },
    async delete(key) {
      store.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}

/** The inventory: payments-api and payments-worker run on prod-eu-payments. */
function inventory(body: ServiceLookupRequest): ServiceLookupResponse {
  return {
    services: body.serviceArns.map(serviceArn =>
      serviceArn === PAYMENTS_API || serviceArn === PAYMENTS_WORKER
        ? {
            serviceArn,
            found: true,
            accountId: '111111111111',
            region: 'eu-west-1',
            clusterName: 'prod-eu-payments',
            clusterArn:
              'arn:aws:ecs:eu-west-1:111111111111:cluster/prod-eu-payments',
          }
        : {
            serviceArn,
            found: false,
            reason: 'No such service in the inventory',
          },
    ),
    snapshotTakenAt: '2025-01-01T00:00:00.000Z',
  };
}

type Lookup = (body: ServiceLookupRequest) => Promise<ServiceLookupResponse>;

function setup(
  lookup: jest.Mock<ReturnType<Lookup>, Parameters<Lookup>> = jest.fn(
    async body => inventory(body),
  ),
) {
  let clock = 0;
  const logger = mockServices.logger.mock();
  const processor = new DatadogEcsServiceRelationProcessor({
    client: { lookupServices: lookup },
    cache: memoryCache(() => clock),
    logger,
  });
  const run = async (entity: Entity) => {
    const emitted: CatalogProcessorResult[] = [];
    const result = await processor.postProcessEntity(
      entity,
      { type: 'url', target: 'https://example.com/catalog-info.yaml' },
      r => emitted.push(r),
    );
    expect(result).toBe(entity);
    return emitted;
  };
  return {
    processor,
    lookup,
    logger,
    run,
    tick: (ms: number) => (clock += ms),
  };
}

const component = (arns?: string, name = 'payments-api'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    ...(arns !== undefined
      ? { annotations: { 'aws.amazon.com/amazon-ecs-service-arn': arns } }
      : {}),
  },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
});

describe('DatadogEcsServiceRelationProcessor', () => {
  it('has a name', () => {
    expect(setup().processor.getProcessorName()).toBe(
      'DatadogEcsServiceRelationProcessor',
    );
  });

  it('a service the inventory confirms: dependsOn to its cluster and dependencyOf back', async () => {
    const { run, lookup } = setup();
    const emitted = await run(component(PAYMENTS_API));
    const self = {
      kind: 'Component',
      namespace: 'default',
      name: 'payments-api',
    };
    expect(emitted).toEqual([
      {
        type: 'relation',
        relation: { source: self, type: 'dependsOn', target: CLUSTER_REF },
      },
      {
        type: 'relation',
        relation: { source: CLUSTER_REF, type: 'dependencyOf', target: self },
      },
    ]);
    expect(lookup).toHaveBeenCalledWith({ serviceArns: [PAYMENTS_API] });
  });

  it('two services on one cluster: one pair of relations', async () => {
    const { run } = setup();
    const emitted = await run(component(`${PAYMENTS_API}, ${PAYMENTS_WORKER}`));
    expect(emitted).toHaveLength(2);
  });

  it('an ARN the inventory does not have (a forged annotation) links nothing', async () => {
    const { run, lookup } = setup();
    expect(await run(component(FORGED))).toEqual([]);
    expect(lookup).toHaveBeenCalledTimes(1);
    // Next to a confirmed one, only the confirmed one links.
    const emitted = await run(component(`${FORGED},${PAYMENTS_API}`));
    expect(emitted.map(e => (e as any).relation.target)).toEqual([
      CLUSTER_REF,
      { kind: 'Component', namespace: 'default', name: 'payments-api' },
    ]);
  });

  it('never trusts an answer about an ARN it did not ask for', async () => {
    const { run } = setup(
      jest.fn(async (_body: ServiceLookupRequest) => ({
        services: [
          { ...inventory({ serviceArns: [PAYMENTS_API] }).services[0] },
          { serviceArn: FORGED, found: false },
        ],
        snapshotTakenAt: '2025-01-01T00:00:00.000Z',
      })),
    );
    expect(await run(component(FORGED))).toEqual([]);
  });

  it('a failed lookup links nothing, fails nothing, and warns', async () => {
    const { run, logger } = setup(
      jest.fn(
        async (_body: ServiceLookupRequest): Promise<ServiceLookupResponse> => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
        },
      ),
    );
    expect(await run(component(PAYMENTS_API))).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/component:default\/payments-api.*ECONNREFUSED/),
    );
  });

  it('asks once per set of ARNs within the TTL (in any order), again after it', async () => {
    const { run, lookup, tick } = setup();
    await run(component(`${PAYMENTS_API},${PAYMENTS_WORKER}`));
    const again = await run(
      component(`${PAYMENTS_WORKER} ${PAYMENTS_API}`, 'payments-api-2'),
    );
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(again).toHaveLength(2); // served from the cache
    tick(5 * 60_000 + 1);
    await run(component(`${PAYMENTS_API},${PAYMENTS_WORKER}`));
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('does not cache a failure, nor an answer given before the inventory’s first snapshot', async () => {
    let fail = true;
    const lookup = jest.fn(async (body: ServiceLookupRequest) => {
      if (fail) throw new Error('down');
      return { ...inventory(body), snapshotTakenAt: undefined };
    });
    const { run } = setup(lookup);
    await run(component(PAYMENTS_API));
    fail = false;
    expect(await run(component(PAYMENTS_API))).toHaveLength(2);
    await run(component(PAYMENTS_API));
    expect(lookup).toHaveBeenCalledTimes(3);
  });

  it('asks only about what can be an ECS service ARN, at most 100 at a time', async () => {
    const { run, lookup } = setup();
    expect(await run(component(''))).toEqual([]);
    expect(
      await run(
        component(
          'not-an-arn, arn:aws:ecs:eu-west-1:111111111111:cluster/prod',
        ),
      ),
    ).toEqual([]);
    expect(lookup).not.toHaveBeenCalled();

    const many = Array.from(
      { length: 150 },
      (_, i) =>
        `arn:aws:ecs:eu-west-1:111111111111:service/prod-eu-payments/svc-${i}`,
    );
    await run(component([...many, PAYMENTS_API].join(',')));
    expect(lookup.mock.calls.map(([body]) => body.serviceArns.length)).toEqual([
      100, 51,
    ]);
  });

  it('leaves entities without the annotation and the cluster resources alone', async () => {
    const { run, lookup } = setup();
    expect(await run(component())).toEqual([]);
    const cluster: Entity = {
      ...component(PAYMENTS_API, 'prod-eu-payments-eu-west-1-111111111111'),
      kind: 'Resource',
      spec: { type: 'ecs-cluster', owner: 'group:default/payments' },
    };
    expect(await run(cluster)).toEqual([]);
    expect(lookup).not.toHaveBeenCalled();
    // Any other kind with the annotation is linked (a System, a Resource of another type).
    const system: Entity = {
      ...component(PAYMENTS_API, 'payments'),
      kind: 'System',
      spec: {},
    };
    expect(await run(system)).toHaveLength(2);
  });
});
