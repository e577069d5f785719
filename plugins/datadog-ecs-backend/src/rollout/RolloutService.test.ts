import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { storedCluster } from '../inventory/__fixtures__/stored';
import {
  CLUSTER,
  FakeEcs,
  fakeGateway,
  FakeRolloutStore,
  rolloutConfig,
} from './__testUtils__/fakes';
import { RolloutParts } from './parts';
import { RolloutService } from './RolloutService';

const credentials = mockCredentials.user();
const ACTOR = 'user:default/mock';

/** Parts that answer with their names, the audit running what it wraps. */
function fakeParts() {
  const parts = {
    lease: { owner: 'replica-a', ttlMs: 42_000 },
    audit: {
      preview: jest.fn((_c: any, _r: any, run: () => Promise<any>) => run()),
      start: jest.fn((_c: any, _r: any, run: () => Promise<any>) => run()),
      rollback: jest.fn((_c: any, _id: string, run: () => Promise<any>) =>
        run(),
      ),
      cancel: jest.fn(
        (_c: any, _id: string, _rb: boolean, run: () => Promise<any>) => run(),
      ),
    },
    authorizer: { authorizeRead: jest.fn(async (_c: unknown) => {}) },
    planner: { preview: jest.fn(async () => 'preview' as any) },
    starter: { start: jest.fn(async () => 'started' as any) },
    rollbacks: { rollback: jest.fn(async () => 'rolled back' as any) },
    cancels: { cancel: jest.fn(async () => 'cancelled' as any) },
    history: {
      get: jest.fn(async () => 'one' as any),
      list: jest.fn(async () => 'list' as any),
    },
    runner: {
      resumeUnfinished: jest.fn(async () => {}),
      shutdown: jest.fn(async () => {}),
      idle: jest.fn(async () => {}),
    },
  };
  return {
    parts,
    service: new RolloutService({ parts: parts as RolloutParts }),
  };
}

describe('RolloutService, a facade over its parts', () => {
  it('previews inside the audit event: the read permission first, then the planner', async () => {
    const { parts, service } = fakeParts();
    expect(await service.preview(CLUSTER, { tags: ['a:b'] }, credentials)).toBe(
      'preview',
    );
    expect(parts.audit.preview).toHaveBeenCalledWith(
      { ref: CLUSTER, actor: ACTOR, httpRequest: undefined },
      { tags: ['a:b'] },
      expect.any(Function),
    );
    expect(parts.authorizer.authorizeRead).toHaveBeenCalledWith(credentials);
    expect(parts.planner.preview).toHaveBeenCalledWith(CLUSTER, {
      tags: ['a:b'],
    });

    parts.authorizer.authorizeRead.mockRejectedValueOnce(
      new NotAllowedError('no'),
    );
    parts.planner.preview.mockClear();
    await expect(service.preview(CLUSTER, {}, credentials)).rejects.toThrow(
      NotAllowedError,
    );
    expect(parts.planner.preview).not.toHaveBeenCalled();
  });

  it('starts and rolls back inside their audit events, with the actor', async () => {
    const { parts, service } = fakeParts();
    const httpRequest = {} as any;
    expect(
      await service.start(
        CLUSTER,
        { clientToken: 't' },
        credentials,
        httpRequest,
      ),
    ).toBe('started');
    expect(parts.audit.start).toHaveBeenCalledWith(
      { ref: CLUSTER, actor: ACTOR, httpRequest },
      { clientToken: 't' },
      expect.any(Function),
    );
    expect(parts.starter.start).toHaveBeenCalledWith(
      CLUSTER,
      { clientToken: 't' },
      credentials,
      ACTOR,
    );

    expect(await service.rollback(CLUSTER, 'r1', credentials)).toBe(
      'rolled back',
    );
    expect(parts.audit.rollback).toHaveBeenCalledWith(
      { ref: CLUSTER, actor: ACTOR, httpRequest: undefined },
      'r1',
      expect.any(Function),
    );
    expect(parts.rollbacks.rollback).toHaveBeenCalledWith(
      CLUSTER,
      'r1',
      credentials,
      ACTOR,
    );
  });

  it('cancels inside the audit event', async () => {
    const { parts, service } = fakeParts();
    expect(await service.cancel('r1', { rollback: true }, credentials)).toBe(
      'cancelled',
    );
    expect(parts.audit.cancel).toHaveBeenCalledWith(
      { actor: ACTOR, httpRequest: undefined },
      'r1',
      true,
      expect.any(Function),
    );
    expect(parts.cancels.cancel).toHaveBeenCalledWith(
      'r1',
      { rollback: true },
      credentials,
      ACTOR,
    );
  });

  it('hands reads and the lifecycle to the history and the runner', async () => {
    const { parts, service } = fakeParts();
    expect(await service.get('r1', credentials)).toBe('one');
    expect(await service.list(CLUSTER, credentials)).toBe('list');
    await service.authorizeRead(credentials);
    await service.resumeUnfinished();
    await service.shutdown();
    await service.idle();
    expect(parts.history.get).toHaveBeenCalledWith('r1', credentials);
    expect(parts.history.list).toHaveBeenCalledWith(CLUSTER, credentials);
    expect(parts.authorizer.authorizeRead).toHaveBeenCalledWith(credentials);
    expect(parts.runner.resumeUnfinished).toHaveBeenCalled();
    expect(parts.runner.shutdown).toHaveBeenCalled();
    expect(parts.runner.idle).toHaveBeenCalled();
    expect(service.leaseTtlMs).toBe(42_000);
  });
});

describe('RolloutService from its options (the default parts)', () => {
  function setup(
    options: {
      deny?: string[];
      pollIntervalSeconds?: number;
      leaseSeconds?: number;
    } = {},
  ) {
    const ecs = new FakeEcs();
    // The deployment completes as soon as ECS starts it.
    const create = ecs.createService.bind(ecs);
    ecs.createService = async input => {
      const service = await create(input);
      service.deployments![0].rolloutState = 'COMPLETED';
      return service;
    };
    const gateway = fakeGateway(ecs);
    const store = new FakeRolloutStore();
    const details = storedCluster({
      accountId: CLUSTER.accountId,
      region: CLUSTER.region,
      clusterName: 'prod',
    }).details;
    const snapshots = {
      getCluster: jest.fn(async () => details),
      getAgentFamily: jest.fn(async () => undefined),
      getClusterServices: jest.fn(async () => []),
      listClustersWithServices: jest.fn(async () => []),
    };
    const refresher = { refreshCluster: jest.fn(async () => {}) };
    const service = new RolloutService({
      config: {
        site: 'datadoghq.com',
        locations: [{ accountId: CLUSTER.accountId, region: CLUSTER.region }],
        agentImageRepositories: [],
        rollout: rolloutConfig({
          pollIntervalSeconds: options.pollIntervalSeconds ?? 5,
          leaseSeconds: options.leaseSeconds ?? 30,
        }),
      } as any,
      gateway,
      snapshots: snapshots as any,
      store: store as any,
      refresher,
      permissions: {
        authorize: async (requests: any[]) =>
          requests.map(r => ({
            result: options.deny?.includes(r.permission.name)
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
          })),
      } as any,
      catalog: { getEntityByRef: jest.fn() } as any,
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
      replicaId: 'replica-x',
    });
    return { service, ecs, gateway, store, snapshots, refresher };
  }

  it('wires the parts: a start writes to ECS, is followed to its end under this replica’s lease', async () => {
    const { service, ecs, store, refresher } = setup();
    const { rollout, created } = await service.start(CLUSTER, {}, credentials);
    expect(created).toBe(true);
    expect(rollout).toMatchObject({
      status: 'in-progress',
      createdBy: ACTOR,
      source: 'portal',
    });
    expect(store.records.get(rollout.id)!.leaseOwner).toBe('replica-x');
    await service.idle();

    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'CreateService']);
    expect(refresher.refreshCluster).toHaveBeenCalledWith(CLUSTER);
    expect(await service.get(rollout.id, credentials)).toMatchObject({
      status: 'completed',
      canRollback: false,
    });
  });

  it('a denied start makes no gateway call and reads and writes nothing', async () => {
    const { service, gateway, store, snapshots } = setup({
      deny: ['datadog-ecs.cluster.rollout', 'datadog-ecs.rollout'],
    });
    await expect(service.start(CLUSTER, {}, credentials)).rejects.toThrow(
      'You may not roll the Datadog Agent out to 111111111111/eu-west-1/prod',
    );
    expect(gateway.forLocation).not.toHaveBeenCalled();
    expect(snapshots.getCluster).not.toHaveBeenCalled();
    expect(store.records.size).toBe(0);
  });

  it('holds its lease for datadogEcs.rollout.leaseSeconds, whatever the poll interval', () => {
    expect(setup({ pollIntervalSeconds: 5 }).service.leaseTtlMs).toBe(30_000);
    expect(
      setup({ pollIntervalSeconds: 60, leaseSeconds: 240 }).service.leaseTtlMs,
    ).toBe(240_000);
    expect(
      setup({ pollIntervalSeconds: 60, leaseSeconds: 2 }).service.leaseTtlMs,
    ).toBe(2_000);
  });
});
