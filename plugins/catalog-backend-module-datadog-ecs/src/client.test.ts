import { mockServices } from '@backstage/backend-test-utils';
import { createServiceClient, serviceTokenFetch } from './client';

describe('serviceTokenFetch', () => {
  it('sends a service token of the calling plugin for the datadog-ecs backend, keeping the other headers', async () => {
    const fetchImpl = jest.fn(async () => new Response('{}'));
    const fetchAsCatalog = serviceTokenFetch(
      mockServices.auth({ pluginId: 'catalog' }),
      fetchImpl as unknown as typeof fetch,
    );
    await fetchAsCatalog('http://backend/api/datadog-ecs/clusters', {
      headers: { 'Content-Type': 'application/json' },
    });
    const [, init] = fetchImpl.mock.calls[0] as unknown as [
      string,
      RequestInit,
    ];
    const headers = new Headers(init.headers);
    expect(headers.get('content-type')).toBe('application/json');
    const token = headers.get('authorization')!.replace(/^Bearer /, '');
    // The mock auth service's service token names the subject and the target plugin.
    expect(token).toMatch(/^mock-service-token:/);
    expect(JSON.parse(token.slice('mock-service-token:'.length))).toEqual({
      sub: 'plugin:catalog',
      target: 'datadog-ecs',
    });
  });
});

describe('createServiceClient', () => {
  const setup = (body: unknown, status = 200) => {
    const fetchImpl = jest.fn(
      async () =>
        new Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const client = createServiceClient({
      discovery: {
        getBaseUrl: async (id: string) => `http://backend:7007/api/${id}`,
        getExternalBaseUrl: async (id: string) =>
          `http://backend:7007/api/${id}`,
      },
      auth: mockServices.auth({ pluginId: 'catalog' }),
      fetchImpl: fetchImpl as unknown as typeof fetch,
    });
    const call = () =>
      fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    return { client, call };
  };

  it('reads GET /clusters of the datadog-ecs backend', async () => {
    const { client, call } = setup({ clusters: [], locations: [] });
    await expect(client.getClusters()).resolves.toEqual({
      clusters: [],
      locations: [],
    });
    expect(call()[0]).toBe('http://backend:7007/api/datadog-ecs/clusters');
    expect(new Headers(call()[1].headers).get('authorization')).toMatch(
      /^Bearer mock-service-token:/,
    );
  });

  it('posts the ARNs to POST /services/lookup', async () => {
    const { client, call } = setup({ services: [] });
    await client.lookupServices({ serviceArns: ['arn:a'] });
    expect(call()[0]).toBe(
      'http://backend:7007/api/datadog-ecs/services/lookup',
    );
    expect(call()[1].method).toBe('POST');
    expect(JSON.parse(String(call()[1].body))).toEqual({
      serviceArns: ['arn:a'],
    });
  });

  it('throws a ResponseError on an error status', async () => {
    const { client } = setup(
      {
        error: { name: 'NotAllowedError', message: 'no' },
        response: { statusCode: 403 },
      },
      403,
    );
    await expect(
      client.lookupServices({ serviceArns: ['arn:a'] }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});
