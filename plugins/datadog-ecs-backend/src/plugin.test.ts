import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { datadogEcsPlugin } from './plugin';

describe('datadogEcsPlugin', () => {
  it('answers its health check without credentials', async () => {
    const { server } = await startTestBackend({ features: [datadogEcsPlugin] });
    const response = await request(server).get('/api/datadog-ecs/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});
