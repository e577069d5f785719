import { DatadogEcsClient } from './client';

describe('DatadogEcsClient rollout methods', () => {
  const ref = { accountId: '111111111111', region: 'eu-west-1', clusterName: 'prod-eu-payments' };
  const setup = () => {
    const fetch = jest.fn(
      async (_url: string, _init?: RequestInit) => new Response(JSON.stringify({ ok: true }), { status: 200 }),
    );
    const client = new DatadogEcsClient({
      discoveryApi: { getBaseUrl: async () => 'http://backstage/api/datadog-ecs' },
      fetchApi: { fetch: fetch as any },
    });
    return { client, fetch };
  };

  it('calls the rollout routes', async () => {
    const { client, fetch } = setup();
    await client.previewRollout(ref, { features: { apm: true } });
    await client.startRollout(ref, { clientToken: 't-1' });
    await client.listRollouts(ref);
    await client.getRollout('abc');
    await client.rollback(ref, 'abc');
    await client.cancelRollout('abc');
    await client.cancelRollout('abc', { rollback: true });
    const base = 'http://backstage/api/datadog-ecs/clusters/111111111111/eu-west-1/prod-eu-payments';
    expect(fetch.mock.calls.map(([url, init]) => [init?.method ?? 'GET', url, init?.body])).toEqual([
      ['POST', `${base}/rollouts/preview`, '{"features":{"apm":true}}'],
      ['POST', `${base}/rollouts`, '{"clientToken":"t-1"}'],
      ['GET', `${base}/rollouts`, undefined],
      ['GET', 'http://backstage/api/datadog-ecs/rollouts/abc', undefined],
      ['POST', `${base}/rollouts/abc/rollback`, '{}'],
      ['POST', 'http://backstage/api/datadog-ecs/rollouts/abc/cancel', '{}'],
      ['POST', 'http://backstage/api/datadog-ecs/rollouts/abc/cancel', '{"rollback":true}'],
    ]);
  });
});
