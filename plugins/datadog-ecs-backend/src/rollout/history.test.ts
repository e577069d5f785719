import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import {
  CLUSTER,
  FakeRolloutStore,
  record,
  tdArn,
} from './__testUtils__/fakes';
import { RolloutHistory } from './history';

const credentials = mockCredentials.user();
const completed = (id: string) =>
  record({
    id,
    status: 'completed',
    step: 'deployed',
    oldTaskDefinitionArn: tdArn(1),
    newTaskDefinitionArn: tdArn(2),
    changedCluster: true,
  });

function setup(...records: ReturnType<typeof record>[]) {
  const authorizer = { authorizeRead: jest.fn(async (_c: unknown) => {}) };
  const store = new FakeRolloutStore(...records);
  const history = new RolloutHistory({
    store,
    authorizer,
    rollout: { enabled: true },
  });
  return { history, authorizer, store };
}

describe('RolloutHistory', () => {
  it('lists a cluster’s rollouts, newest first; only the latest finished one can be rolled back', async () => {
    const { history, authorizer } = setup(
      completed('old'),
      completed('new'),
      record({ id: 'running', status: 'in-progress' }),
    );
    const list = await history.list(CLUSTER, credentials);

    expect(authorizer.authorizeRead).toHaveBeenCalledWith(credentials);
    expect(list.rolloutEnabled).toBe(true);
    expect(list.activeRolloutId).toBe('running');
    expect(list.rollouts.map(r => [r.id, r.canRollback])).toEqual([
      ['running', false],
      ['new', true],
      ['old', false],
    ]);
  });

  it('has no activeRolloutId when nothing runs', async () => {
    const { history } = setup(completed('a'));
    expect(await history.list(CLUSTER, credentials)).not.toHaveProperty(
      'activeRolloutId',
    );
  });

  it('gets one rollout with its instances and events, 404 for an unknown id', async () => {
    const { history } = setup(completed('a'));
    expect(await history.get('a', credentials)).toMatchObject({
      id: 'a',
      canRollback: true,
      instances: [],
      events: [],
    });
    await expect(history.get('b', credentials)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'No rollout b',
    });
  });

  it('reads nothing without the read permission', async () => {
    const { history, authorizer, store } = setup(completed('a'));
    const get = jest.spyOn(store, 'get');
    const list = jest.spyOn(store, 'list');
    authorizer.authorizeRead.mockRejectedValue(new NotAllowedError('no'));
    await expect(history.get('a', credentials)).rejects.toThrow(
      NotAllowedError,
    );
    await expect(history.list(CLUSTER, credentials)).rejects.toThrow(
      NotAllowedError,
    );
    expect(get).not.toHaveBeenCalled();
    expect(list).not.toHaveBeenCalled();
  });
});
