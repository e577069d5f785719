import { mockServices } from '@backstage/backend-test-utils';
import { CLUSTER } from './__testUtils__/fakes';
import { RolloutAudit } from './audit';

/** An auditor that keeps each event with its outcome. */
function setup() {
  const events: Array<{
    options: any;
    outcome?: string;
    meta?: any;
    error?: Error;
  }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: jest.fn(async options => {
      const event: (typeof events)[number] = { options };
      events.push(event);
      return {
        success: async (arg?: { meta?: any }) => {
          Object.assign(event, { outcome: 'success', meta: arg?.meta });
        },
        fail: async (arg: { error: Error; meta?: any }) => {
          Object.assign(event, {
            outcome: 'fail',
            error: arg.error,
            meta: arg.meta,
          });
        },
      };
    }),
  });
  return { audit: new RolloutAudit(auditor), events };
}

const context = { ref: CLUSTER, actor: 'user:default/sam' };
const rollout = (over: object = {}) =>
  ({
    id: 'r1',
    status: 'in-progress',
    oldRevision: 'f:1',
    newRevision: 'f:2',
    ...over,
  } as any);

describe('RolloutAudit', () => {
  it('a preview: low severity, then what it would call', async () => {
    const { audit, events } = setup();
    const preview = {
      registerNeeded: true,
      calls: [
        { operation: 'RegisterTaskDefinition' },
        { operation: 'CreateService' },
      ],
    };
    expect(
      await audit.preview(
        context,
        { entityRef: 'component:default/x' },
        async () => preview as any,
      ),
    ).toBe(preview);
    expect(events).toEqual([
      {
        options: {
          eventId: 'rollout-preview',
          severityLevel: 'low',
          request: undefined,
          meta: {
            cluster: '111111111111/eu-west-1/prod',
            actor: 'user:default/sam',
            entityRef: 'component:default/x',
          },
        },
        outcome: 'success',
        meta: {
          target: 'daemon-service',
          registerNeeded: true,
          calls: ['RegisterTaskDefinition', 'CreateService'],
        },
      },
    ]);
  });

  it('a start: high severity, the client token, then the rollout and its revisions', async () => {
    const { audit, events } = setup();
    await audit.start(context, { clientToken: 'tok' }, async () => ({
      rollout: rollout(),
      created: true,
    }));
    expect(events[0].options).toMatchObject({
      eventId: 'rollout',
      severityLevel: 'high',
      meta: {
        cluster: '111111111111/eu-west-1/prod',
        actor: 'user:default/sam',
        entityRef: null,
        clientToken: 'tok',
      },
    });
    expect(events[0]).toMatchObject({
      outcome: 'success',
      meta: {
        rolloutId: 'r1',
        target: 'daemon-service',
        status: 'in-progress',
        created: true,
        oldRevision: 'f:1',
        newRevision: 'f:2',
      },
    });
  });

  it('a start whose rollout was recorded but failed: the response is the rollout, the event a failure', async () => {
    const { audit, events } = setup();
    const failed = {
      rollout: rollout({
        status: 'failed',
        failureReason: 'AccessDeniedException: no',
      }),
      created: true,
    };
    expect(await audit.start(context, {}, async () => failed)).toBe(failed);
    expect(events[0]).toMatchObject({
      outcome: 'fail',
      meta: { rolloutId: 'r1', status: 'failed' },
    });
    expect(events[0].error).toMatchObject({
      name: 'RolloutFailedError',
      message: 'AccessDeniedException: no',
    });
  });

  it('a known client token whose rollout failed is no new failure', async () => {
    const { audit, events } = setup();
    await audit.start(context, {}, async () => ({
      rollout: rollout({ status: 'failed' }),
      created: false,
    }));
    expect(events[0]).toMatchObject({
      outcome: 'success',
      meta: { created: false },
    });
  });

  it('a rollback: high severity, what it rolls back, then the new rollout', async () => {
    const { audit, events } = setup();
    await audit.rollback(context, 'orig', async () =>
      rollout({ id: 'rb', newRevision: undefined }),
    );
    expect(events[0]).toMatchObject({
      options: {
        eventId: 'rollout-rollback',
        severityLevel: 'high',
        meta: { rollbackOf: 'orig', actor: 'user:default/sam' },
      },
      outcome: 'success',
      meta: { rolloutId: 'rb', newRevision: null },
    });
  });

  it('an error fails the event and reaches the caller', async () => {
    const { audit, events } = setup();
    const error = new Error('denied');
    await expect(
      audit.rollback(context, 'orig', async () => Promise.reject(error)),
    ).rejects.toBe(error);
    expect(events[0]).toMatchObject({ outcome: 'fail', error });
  });
});
