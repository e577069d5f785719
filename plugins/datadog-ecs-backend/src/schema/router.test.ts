import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createRedactor,
  datadogEcsApiSpec,
  RenderValidationError,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import express from 'express';
import request from 'supertest';
import { ActiveRolloutError } from '../errors';
import { FEATURE_IDS } from '../rollout/request';
import { RolloutService } from '../rollout/RolloutService';
import { createRouter, RouterOptions } from '../router';

/*
 * The plugin's router against fakes: what the OpenAPI document makes of requests before any handler
 * runs (the words of its 400s), and the fields errors carry to the client.
 */

const API = '/api/datadog-ecs';
const PAYMENTS = `${API}/clusters/111111111111/eu-west-1/prod-eu-payments`;
const ROLLOUT_ID = '7b0c2f9e-4a1d-4e3b-9c8a-5d6e7f8a9b0c';

async function setup() {
  const rollouts = {
    preview: jest.fn(async () => ({ preview: true })),
    start: jest.fn(async () => ({ rollout: { id: ROLLOUT_ID }, created: true })),
    list: jest.fn(async () => ({ rollouts: [] })),
    rollback: jest.fn(async () => ({ id: ROLLOUT_ID })),
    get: jest.fn(async () => ({ id: ROLLOUT_ID })),
  };
  const store = {
    claimRefreshRequest: jest.fn(async () => false),
    getRefreshStatus: jest.fn(async () => ({
      running: false,
      requestedAt: new Date(Date.now() - 10_000).toISOString(),
    })),
    listClusters: jest.fn(async () => []),
    listLocations: jest.fn(async () => []),
    getCluster: jest.fn(async () => undefined),
  };
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    permissions: {
      authorize: async (requests: unknown[]) =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    },
    store,
    config: { refreshMinIntervalSeconds: 60, locations: [] },
    redactor: createRedactor(),
    rollouts: rollouts as unknown as RolloutService,
  } as unknown as RouterOptions);
  const app = express();
  app.use(API, router);
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error(),
  );
  return { app, router, rollouts, store };
}

describe('the plugin router', () => {
  it('serves every route of the OpenAPI document, and no other', async () => {
    const { router } = await setup();
    const served = (router as any).stack
      .filter((layer: any) => layer.route && layer.route.path !== '/openapi.json')
      .flatMap((layer: any) =>
        Object.keys(layer.route.methods).map(
          m => `${m.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`,
        ),
      )
      .sort();
    const documented = Object.entries(datadogEcsApiSpec.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map(m => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(served).toEqual(documented);
  });

  it('serves the document at /openapi.json, the feature toggles completed from the registry', async () => {
    const { app } = await setup();
    const res = await request(app).get(`${API}/openapi.json`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toContain(`${API}/clusters/{accountId}/{region}/{clusterName}`);
    expect(res.body.components.schemas.FeatureToggles).toMatchObject({
      additionalProperties: false,
    });
    expect(Object.keys(res.body.components.schemas.FeatureToggles.properties)).toEqual([
      ...FEATURE_IDS,
    ]);
  });

  describe('refuses what the document does not allow, naming the field', () => {
    const post = async (path: string, body: unknown) => {
      const { app, rollouts } = await setup();
      const res = await request(app).post(path).send(body as object);
      // A 400 (InputError) before any handler ran.
      expect({ status: res.status, name: res.body.error?.name }).toEqual({
        status: 400,
        name: 'InputError',
      });
      return { message: res.body.error?.message as string, rollouts };
    };
    const preview = (body: unknown) => post(`${PAYMENTS}/rollouts/preview`, body);
    const start = (body: unknown) => post(`${PAYMENTS}/rollouts`, body);

    it('names the invalid body field', async () => {
      expect((await start({ variant: 'solaris' })).message).toContain("body field 'variant'");
      expect((await start({ site: 'example.com' })).message).toContain("body field 'site'");
      expect((await start({ tags: ['ok:1', 'not a tag'] })).message).toContain(
        "body field 'tags.1' must be key:value",
      );
      expect((await start({ imageTag: 'bad tag' })).message).toContain(
        "body field 'imageTag' must be a valid image tag",
      );
      expect((await start({ clientToken: 'with space' })).message).toContain(
        "body field 'clientToken'",
      );
      expect((await start({ features: { apm: 'yes' } })).message).toContain(
        "body field 'features.apm' must be boolean",
      );
      expect((await start({ tags: Array.from({ length: 51 }, (_, i) => `k${i}:v`) })).message).toContain(
        "body field 'tags' at most 50 tags",
      );
      expect((await preview([1, 2])).message).toContain("body field '(root)'");
    });

    it('names unknown fields, nested ones by their path, all of them', async () => {
      const refused = await start({ apiKey: 'abc', features: { apm: true, tracing: true } });
      expect(refused.message).toContain("unknown body field(s) 'apiKey'");
      expect(refused.message).toContain("unknown body field(s) 'features.tracing'");
      expect(refused.rollouts.start).not.toHaveBeenCalled();
    });

    it('refuses a clientToken in a preview', async () => {
      const refused = await preview({ clientToken: 'x' });
      expect(refused.message).toContain("unknown body field(s) 'clientToken'");
      expect(refused.rollouts.preview).not.toHaveBeenCalled();
    });

    it('refuses a body field in a rollback', async () => {
      expect((await post(`${PAYMENTS}/rollouts/${ROLLOUT_ID}/rollback`, { force: true })).message).toBe(
        "Invalid request: unknown body field(s) 'force'",
      );
    });

    it('names the path and query parameter', async () => {
      const { app } = await setup();
      const get = async (path: string) => (await request(app).get(path)).body.error?.message;
      expect(await get(`${API}/clusters/11111111111/eu-west-1/prod-eu-payments`)).toBe(
        "Invalid request: path parameter 'accountId' must be a 12-digit AWS account id",
      );
      expect(await get(`${API}/clusters/111111111111/EU-WEST-1/x/rollouts`)).toBe(
        "Invalid request: path parameter 'region' must be an AWS region like eu-west-1",
      );
      expect(await get(`${API}/clusters/111111111111/eu-west-1/prod%E0%A4%A`)).toBe(
        "Invalid request: path parameter 'clusterName' is not valid percent-encoding",
      );
      expect(await get(`${API}/rollouts/not-a-uuid`)).toBe(
        "Invalid request: path parameter 'id' must be a rollout id (a UUID)",
      );
      expect(await get(`${API}/clusters?limit=1`)).toBe(
        "Invalid request: unknown query parameter(s) 'limit'",
      );
      expect(await get(`${API}/clusters?state=pwned`)).toContain("query parameter 'state.0'");
      expect(await get(`${API}/clusters?state[$ne]=covered`)).toContain("query parameter 'state'");
      expect(await get(`${API}/clusters?account=111111111111&account=222222222222`)).toContain(
        "query parameter 'account'",
      );
      expect(await get(`${API}/clusters?q=${'q'.repeat(201)}`)).toBe(
        "Invalid request: query parameter 'q' must be at most 200 characters",
      );
    });

    it('keeps the 413 and 415 of the middleware (not the 400 the library would make of them)', async () => {
      const { app } = await setup();
      const tooLarge = await request(app)
        .post(`${PAYMENTS}/rollouts/preview`)
        .send({ tags: ['a:'.padEnd(120_000, 'x')] });
      expect(tooLarge.status).toBe(413);
      const notJson = await request(app)
        .post(`${PAYMENTS}/rollouts/preview`)
        .set('content-type', 'text/plain')
        .send('{}');
      expect(notJson.status).toBe(415);
      expect(notJson.body.error.message).toContain('application/json');
    });
  });

  it('hands a valid body to the service, the entity ref in its canonical form', async () => {
    const { app, rollouts } = await setup();
    const res = await request(app)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({ features: { apm: true }, tags: ['env:prod'], entityRef: 'Component:default/payments-api' });
    expect(res.status).toBe(200);
    expect(rollouts.preview).toHaveBeenCalledWith(
      { accountId: '111111111111', region: 'eu-west-1', clusterName: 'prod-eu-payments' },
      { features: { apm: true }, tags: ['env:prod'], entityRef: 'component:default/payments-api' },
      expect.anything(),
      expect.anything(),
    );
  });

  describe('errors carry their fields', () => {
    it('429 of POST /refresh: retryAfterSeconds, nextAllowedAt and Retry-After', async () => {
      const { app } = await setup();
      const res = await request(app).post(`${API}/refresh`);
      expect(res.status).toBe(429);
      expect(res.body.error).toMatchObject({
        name: 'TooManyRequestsError',
        retryAfterSeconds: expect.any(Number),
        nextAllowedAt: expect.any(String),
      });
      expect(res.body.error.retryAfterSeconds).toBeGreaterThanOrEqual(49);
      expect(res.body.error.retryAfterSeconds).toBeLessThanOrEqual(51);
      expect(res.headers['retry-after']).toBe(String(res.body.error.retryAfterSeconds));
      expect(res.body.error.message).toContain('A refresh was requested less than 60s ago');
    });

    it('409 of an active rollout: activeRolloutId', async () => {
      const { app, rollouts } = await setup();
      rollouts.start.mockRejectedValueOnce(
        new ActiveRolloutError({
          rolloutId: ROLLOUT_ID,
          createdBy: 'user:default/sam',
          createdAt: '2026-01-15T10:00:00.000Z',
        }),
      );
      const res = await request(app).post(`${PAYMENTS}/rollouts`).send({});
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ name: 'ConflictError', activeRolloutId: ROLLOUT_ID });
    });

    it('400 of a rendering rule: rule', async () => {
      const { app, rollouts } = await setup();
      rollouts.preview.mockRejectedValueOnce(
        new RenderValidationError('npm-linux-only', 'Network performance monitoring is only available for Linux'),
      );
      const res = await request(app).post(`${PAYMENTS}/rollouts/preview`).send({});
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ name: 'InputError', rule: 'npm-linux-only' });
    });
  });
});
