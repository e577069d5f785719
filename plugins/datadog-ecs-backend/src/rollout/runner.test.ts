import { initDatabase, migrate } from '../__testUtils__/databases';
import {
  CLUSTER,
  FakeEcs,
  fakeGateway,
  logger,
  OPTIONS,
  rolloutConfig,
  tdArn,
} from './__testUtils__/fakes';
import { RolloutExecutor } from './execution';
import { RolloutFollower } from './following';
import { LeaseToken, RolloutStore } from './RolloutStore';
import { classifyStepError, RolloutRunner } from './runner';

jest.setTimeout(30_000);

const ID = '00000000-0000-4000-8000-000000000001';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** A door a fake call waits behind: `entered` once the call arrived, `open()` lets it through. */
function door() {
  let open!: () => void;
  let arrived!: () => void;
  const opened = new Promise<void>(r => {
    open = r;
  });
  const entered = new Promise<void>(r => {
    arrived = r;
  });
  return { open, opened, entered, arrive: () => arrived() };
}

/** ECS whose deployments complete as soon as they start. */
function completingEcs() {
  const ecs = new FakeEcs();
  const create = ecs.createService.bind(ecs);
  ecs.createService = async input => {
    const service = await create(input);
    service.deployments![0].rolloutState = 'COMPLETED';
    return service;
  };
  return ecs;
}

async function setup(options: { ttlMs?: number; deadlineInMs?: number } = {}) {
  const knex = await initDatabase('SQLITE_3');
  await migrate(knex);
  const store = new RolloutStore(knex);
  const ecs = completingEcs();
  const ttlMs = options.ttlMs ?? 30_000;
  const rollout = rolloutConfig({ pollIntervalSeconds: 0.02 });
  const replica = (owner: string, replicaStore = store) => {
    const log = logger();
    const runner = new RolloutRunner({
      store: replicaStore,
      gateway: fakeGateway(ecs),
      rollout,
      executor: new RolloutExecutor({
        store: replicaStore,
        rollout,
        logger: log,
      }),
      follower: new RolloutFollower({
        store: replicaStore,
        rollout,
        refresher: { refreshCluster: async () => {} },
        logger: log,
      }),
      logger: log,
      lease: { owner, ttlMs },
    });
    return { runner, log };
  };
  const now = Date.now();
  const insert = (over: Record<string, unknown> = {}): Promise<LeaseToken> =>
    store.insert(
      {
        id: ID,
        kind: 'rollout',
        cluster: CLUSTER,
        status: 'pending',
        createdBy: 'user:default/sam',
        source: 'portal',
        createdAt: new Date(now).toISOString(),
        deadlineAt: new Date(
          now + (options.deadlineInMs ?? 30 * 60_000),
        ).toISOString(),
        serviceName: 'datadog-agent',
        createdService: true,
        registered: false,
        step: 'none',
        options: OPTIONS,
        ...over,
      },
      { owner: 'replica-a', ttlMs },
    );
  return { knex, store, ecs, replica, insert };
}

/** Makes a rollout deployed (its deployment under way), under its lease. */
async function deployed(store: RolloutStore, token: LeaseToken) {
  await store.update(
    ID,
    {
      status: 'in-progress',
      step: 'deployed',
      changedCluster: true,
      newTaskDefinitionArn: tdArn(1),
      deployment: { id: 'ecs-svc/1', status: 'PRIMARY' },
    },
    token,
  );
}

const awsError = (name: string, message = 'no') =>
  Object.assign(new Error(message), { name, $metadata: {} });

describe('RolloutRunner: one executor per rollout', () => {
  it('the resume task running during a start starts no second executor, in this replica or another', async () => {
    const { store, ecs, replica, insert } = await setup();
    const token = await insert();
    const a = replica('replica-a');
    const b = replica('replica-b');
    const gate = door();
    const register = ecs.registerTaskDefinition.bind(ecs);
    ecs.registerTaskDefinition = async input => {
      gate.arrive();
      await gate.opened;
      return register(input);
    };

    const settled = a.runner.begin(ID, token);
    await gate.entered;
    // Before: the resume tick skipped only rollouts it followed — not one a start was still
    // executing — and claimLease succeeded again for the lease's own holder.
    await a.runner.resumeUnfinished();
    await b.runner.resumeUnfinished();
    void a.runner.begin(ID, token);
    gate.open();
    await settled;
    await a.runner.idle();
    await b.runner.idle();

    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'CreateService']);
    expect(await store.get(ID)).toMatchObject({
      status: 'completed',
      leaseEpoch: 2,
    });
  });

  it('renews the lease while a call is in flight: a slow call hands the rollout to no other replica', async () => {
    const { store, ecs, replica, insert } = await setup({ ttlMs: 300 });
    const token = await insert();
    const a = replica('replica-a');
    const b = replica('replica-b');
    const gate = door();
    const register = ecs.registerTaskDefinition.bind(ecs);
    ecs.registerTaskDefinition = async input => {
      gate.arrive();
      await gate.opened;
      return register(input);
    };
    void a.runner.begin(ID, token);
    await gate.entered;
    // Four lease durations: without renewals, b would claim it and register a second time.
    for (let i = 0; i < 12; i++) {
      await sleep(100);
      await b.runner.resumeUnfinished();
    }
    expect(b.runner.isRunning(ID)).toBe(false);
    gate.open();
    await a.runner.idle();
    await b.runner.idle();
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'CreateService']);
    expect(await store.get(ID)).toMatchObject({ status: 'completed' });
  });

  it('a replica that lost the lease mid-step stops without touching the record or the lock', async () => {
    const { store, ecs, replica, insert, knex } = await setup({ ttlMs: 300 });
    const token = await insert();
    // replica-a cannot reach the database to renew (its writes would fail the same way).
    const aStore = new RolloutStore(knex);
    aStore.renewLease = async () => {
      throw new Error('connection terminated');
    };
    const a = replica('replica-a', aStore);
    const gate = door();
    const register = ecs.registerTaskDefinition.bind(ecs);
    ecs.registerTaskDefinition = async input => {
      gate.arrive();
      await gate.opened;
      return register(input);
    };
    void a.runner.begin(ID, token);
    await gate.entered;
    await sleep(450);
    // The lease expired: replica-b claims it.
    const claimed = await store.claimLease(ID, 'replica-b', 30_000);
    expect(claimed).toMatchObject({ owner: 'replica-b', epoch: 2 });
    gate.open();
    await a.runner.idle();

    // Before: "Lost the lease" was recorded as the rollout's failure, without an owner, and the
    // cluster's lock deleted while replica-b ran it.
    expect(await store.get(ID)).toMatchObject({
      status: 'pending',
      step: 'none',
      leaseOwner: 'replica-b',
      leaseEpoch: 2,
    });
    expect((await store.get(ID))!.failureReason).toBeUndefined();
    expect(await store.getActive(CLUSTER)).toMatchObject({ rolloutId: ID });
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition']);
    expect(a.log.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Rollout .*: stopping, not renewed within 300 ms/),
    );
  });
});

describe('RolloutRunner: deadlines that hold', () => {
  it('polls that keep failing do not keep a rollout in progress past its deadline (before: they only renewed the lease)', async () => {
    const { store, ecs, replica, insert } = await setup({ deadlineInMs: 400 });
    const token = await insert();
    await deployed(store, token);
    ecs.describeServices = async () => {
      throw awsError('ThrottlingException', 'Rate exceeded');
    };
    const a = replica('replica-a');
    void a.runner.begin(ID, token);
    await a.runner.idle();

    const r = (await store.get(ID))!;
    expect(r).toMatchObject({ status: 'failed', failureKind: 'timeout' });
    expect(r.failureReason).toContain(
      'did not finish within 30 minute(s) of its start',
    );
    expect(r.failureReason).toContain(
      'The last attempt failed: ThrottlingException: Rate exceeded',
    );
    expect(await store.getActive(CLUSTER)).toBeUndefined();
  });

  it('a call that never returns is abandoned at the deadline and the rollout fails', async () => {
    const { store, ecs, replica, insert } = await setup({ deadlineInMs: 300 });
    const token = await insert();
    await deployed(store, token);
    ecs.describeServices = () => new Promise(() => {});
    const a = replica('replica-a');
    const started = Date.now();
    void a.runner.begin(ID, token);
    await a.runner.idle();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await store.get(ID)).toMatchObject({
      status: 'failed',
      failureKind: 'timeout',
    });
    expect(await store.getActive(CLUSTER)).toBeUndefined();
  });

  it.each([
    ['ClusterNotFoundException', 'Cluster not found.'],
    ['ServiceNotFoundException', 'Service not found.'],
    [
      'AccessDeniedException',
      'User is not authorized to perform: ecs:DescribeServices',
    ],
  ])(
    'a persistent %s fails the rollout at once, with the reason',
    async (name, message) => {
      const { store, ecs, replica, insert } = await setup();
      const token = await insert();
      await deployed(store, token);
      ecs.describeServices = async () => {
        throw awsError(name, message);
      };
      const a = replica('replica-a');
      void a.runner.begin(ID, token);
      await a.runner.idle();
      expect(await store.get(ID)).toMatchObject({
        status: 'failed',
        failureKind: 'aws-error',
        failureReason: `${name}: ${message}`,
      });
      expect(await store.getActive(CLUSTER)).toBeUndefined();
    },
  );

  it('a rollout past its deadline when a replica resumes it fails at once, without an ECS call', async () => {
    const { store, ecs, replica, insert } = await setup({
      deadlineInMs: -1000,
    });
    await insert();
    await store.releaseLease(ID, { owner: 'replica-a', epoch: 1, ttlMs: 0 });
    const b = replica('replica-b');
    await b.runner.resumeUnfinished();
    await b.runner.idle();
    expect(await store.get(ID)).toMatchObject({
      status: 'failed',
      failureKind: 'timeout',
    });
    expect((await store.get(ID))!.failureReason).toContain(
      'its deployment never started',
    );
    expect(ecs.calls).toEqual([]);
  });

  it('waits for a DRAINING service, saying so, then creates it once INACTIVE', async () => {
    const { store, ecs, replica, insert } = await setup();
    const token = await insert();
    ecs.services.set('datadog-agent', {
      serviceName: 'datadog-agent',
      status: 'DRAINING',
      schedulingStrategy: 'DAEMON',
    });
    const a = replica('replica-a');
    await a.runner.begin(ID, token);
    expect(await store.get(ID)).toMatchObject({
      status: 'pending',
      step: 'none',
    });
    expect((await store.get(ID))!.note).toContain('DRAINING');
    expect(ecs.writes()).toEqual([]);
    ecs.services.get('datadog-agent')!.status = 'INACTIVE';
    await a.runner.idle();
    expect(ecs.writes()).toEqual(['RegisterTaskDefinition', 'CreateService']);
    expect(await store.get(ID)).toMatchObject({ status: 'completed' });
    expect((await store.get(ID))!.note).toBeUndefined();
  });
});

describe('classifyStepError', () => {
  it.each([
    [awsError('AccessDeniedException'), true, 'aws-error'],
    [awsError('ClusterNotFoundException'), true, 'aws-error'],
    [awsError('InvalidParameterException'), true, 'aws-error'],
    [
      Object.assign(awsError('ThrottlingException'), { $retryable: {} }),
      false,
      'unknown',
    ],
    [
      Object.assign(awsError('ServerException'), { $fault: 'server' }),
      false,
      'unknown',
    ],
    [
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      false,
      'unknown',
    ],
    [
      Object.assign(new Error('No key'), { name: 'InputError' }),
      true,
      'unknown',
    ],
    [
      Object.assign(new Error('moved'), { name: 'SupersededError' }),
      true,
      'superseded',
    ],
    [new Error('database is locked'), false, 'unknown'],
  ])('%p: permanent %p, kind %p', (error, permanent, kind) => {
    expect(classifyStepError(error)).toMatchObject({ permanent, kind });
  });
});
