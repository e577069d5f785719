import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { ActiveRolloutError, ServiceDrainingError } from '../errors';
import {
  CLUSTER,
  FakeRolloutStore,
  LEASE,
  logger,
  OPTIONS,
  record,
} from './__testUtils__/fakes';
import { ActiveRolloutExistsError, ClientTokenUsedError } from './RolloutStore';
import { RolloutStarter } from './starting';

const credentials = mockCredentials.user();
const ENTITY = 'component:default/payments-api';
const ACTOR = 'user:default/sam';

/** A starter whose parts log what they are asked, in order. */
function setup(
  options: {
    enabled?: boolean;
    records?: ReturnType<typeof record>[];
    /** What DescribeServices answers for the daemon's name. */
    services?: () => Promise<any[]>;
  } = {},
) {
  const calls: string[] = [];
  const log = <A extends unknown[], R>(
    name: string,
    fn: (...args: A) => Promise<R>,
  ) =>
    jest.fn(async (...args: A) => {
      calls.push(name);
      return fn(...args);
    });
  const store = new FakeRolloutStore(...(options.records ?? []));
  const insert = store.insert.bind(store);
  const parts = {
    authorizer: {
      authorizeRollout: log('authorizeRollout', async () => {}),
      checkEntityPointsAtCluster: log(
        'checkEntityPointsAtCluster',
        async () => {},
      ),
    },
    planner: {
      planStart: log('planStart', async () => ({
        target: 'daemon-service' as const,
        options: OPTIONS,
        serviceName: 'datadog-agent',
        createdService: false,
        oldTaskDefinitionArn: 'td:1',
      })),
    },
    runner: { begin: log('begin', async (_id: string, _token: any) => {}) },
    gateway: {
      forLocation: jest.fn(async () => ({
        describeServices: log(
          'describeServices',
          options.services ?? (async () => []),
        ),
      })) as any,
    },
    history: {
      view: log(
        'view',
        async (r: any) => ({ id: r.id, status: r.status } as any),
      ),
    },
  };
  store.insert = log('insert', insert);
  const starter = new RolloutStarter({
    ...parts,
    store,
    rollout: {
      enabled: options.enabled ?? true,
      deploymentTimeoutMinutes: 30,
    },
    logger: logger(),
    lease: LEASE,
  });
  const start = (request: { entityRef?: string; clientToken?: string } = {}) =>
    starter.start(CLUSTER, request, credentials, ACTOR);
  /** The next call of `mock` (logged as `name`) throws `error`. */
  const refuse = (mock: jest.Mock, name: string, error: Error) =>
    mock.mockImplementationOnce(async () => {
      calls.push(name);
      throw error;
    });
  return { ...parts, store, calls, start, refuse };
}

describe('RolloutStarter', () => {
  it('authorizes, checks, plans, reads the service, records under the lease, then runs it (following in the background)', async () => {
    const { start, calls, store, authorizer, runner } = setup();
    const result = await start({ entityRef: ENTITY, clientToken: 'tok-1' });

    expect(calls).toEqual([
      'authorizeRollout',
      'checkEntityPointsAtCluster',
      'planStart',
      'describeServices',
      'insert',
      'begin',
      'view',
    ]);
    expect(authorizer.authorizeRollout).toHaveBeenCalledWith(
      credentials,
      ENTITY,
      CLUSTER,
    );
    expect(authorizer.checkEntityPointsAtCluster).toHaveBeenCalledWith(
      ENTITY,
      CLUSTER,
      credentials,
    );
    const [id] = [...store.records.keys()];
    // The runner gets the lease token of the insert: the first claim, epoch 1.
    expect(runner.begin).toHaveBeenCalledWith(id, { ...LEASE, epoch: 1 });
    const stored = store.records.get(id)!;
    expect(
      new Date(stored.deadlineAt!).getTime() -
        new Date(stored.createdAt).getTime(),
    ).toBe(30 * 60_000);
    expect(store.records.get(id)).toMatchObject({
      kind: 'rollout',
      status: 'pending',
      step: 'none',
      registered: false,
      source: 'entity',
      entityRef: ENTITY,
      clientToken: 'tok-1',
      createdBy: ACTOR,
      serviceName: 'datadog-agent',
      createdService: false,
      oldTaskDefinitionArn: 'td:1',
      options: OPTIONS,
      leaseOwner: LEASE.owner,
    });
    expect(result).toEqual({
      rollout: { id, status: 'pending' },
      created: true,
    });
  });

  it('from the portal: the cluster permission, no entity check', async () => {
    const { start, calls, store, authorizer } = setup();
    await start();
    expect(authorizer.authorizeRollout).toHaveBeenCalledWith(
      credentials,
      undefined,
      CLUSTER,
    );
    expect(calls).not.toContain('checkEntityPointsAtCluster');
    expect([...store.records.values()][0].source).toBe('portal');
  });

  it('a denial stops it before anything else happens', async () => {
    const { start, calls, authorizer, refuse } = setup();
    refuse(
      authorizer.authorizeRollout,
      'authorizeRollout',
      new NotAllowedError('no'),
    );
    await expect(start({ entityRef: ENTITY })).rejects.toThrow(NotAllowedError);
    expect(calls).toEqual(['authorizeRollout']);
  });

  it('an entity that does not point at the cluster stops it before the plan', async () => {
    const { start, calls, authorizer, refuse } = setup();
    refuse(
      authorizer.checkEntityPointsAtCluster,
      'checkEntityPointsAtCluster',
      new Error('not this cluster'),
    );
    await expect(start({ entityRef: ENTITY })).rejects.toThrow(
      'not this cluster',
    );
    expect(calls).toEqual(['authorizeRollout', 'checkEntityPointsAtCluster']);
  });

  it('is refused while rollouts are switched off, after the permission', async () => {
    const { start, calls } = setup({ enabled: false });
    await expect(start()).rejects.toThrow(
      new NotAllowedError(
        'Rollouts are switched off in this portal (datadogEcs.rollout.enabled is false)',
      ),
    );
    expect(calls).toEqual(['authorizeRollout']);
  });

  it('returns the rollout of a known client token without planning or writing', async () => {
    const { start, calls } = setup({
      records: [record({ id: 'known', clientToken: 'tok-1' })],
    });
    expect(await start({ clientToken: 'tok-1' })).toEqual({
      rollout: { id: 'known', status: 'pending' },
      created: false,
    });
    expect(calls).toEqual(['authorizeRollout', 'view']);
  });

  it('returns the rollout of a client token another request used meanwhile', async () => {
    const { start, calls, store } = setup();
    store.insert = jest.fn(async () => {
      store.records.set('raced', record({ id: 'raced', clientToken: 'tok-1' }));
      throw new ClientTokenUsedError();
    });
    expect(await start({ clientToken: 'tok-1' })).toMatchObject({
      rollout: { id: 'raced' },
      created: false,
    });
    expect(calls).not.toContain('begin');
  });

  it('a service of that name DRAINING: 409 naming the reason, nothing recorded, no ECS write', async () => {
    const { start, calls, store } = setup({
      services: async () => [
        { serviceName: 'datadog-agent', status: 'DRAINING' },
      ],
    });
    const error = await start().catch(e => e);
    expect(error).toBeInstanceOf(ServiceDrainingError);
    expect(error.reason).toBe('service-draining');
    expect(error.message).toContain('INACTIVE');
    expect(calls).not.toContain('insert');
    expect(store.records.size).toBe(0);
  });

  it('a failed read of the service refuses nothing (the execution reads it again)', async () => {
    const { start, calls } = setup({
      services: async () => {
        throw new Error('throttled');
      },
    });
    await start();
    expect(calls).toContain('begin');
  });

  it('a cluster with an active rollout: 409 with its id, and no ECS call', async () => {
    const { start, calls, store } = setup();
    store.insert = jest.fn(async () => {
      throw new ActiveRolloutExistsError({
        rolloutId: 'busy',
        createdBy: ACTOR,
        createdAt: 'then',
      });
    });
    const error = await start().catch(e => e);
    expect(error).toBeInstanceOf(ActiveRolloutError);
    expect(error.activeRolloutId).toBe('busy');
    expect(error.reason).toBe('active-rollout');
    expect(calls).not.toContain('begin');
  });
});
