import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { createRedactor } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import express from 'express';
import request from 'supertest';
import { createDatadogEcsRouter, finishRouter } from '../schema/router';
import { registerRolloutRoutes } from './router';
import { RolloutService } from './RolloutService';

/*
 * The rollout routes against a mocked service: what each hands it, and the status it answers with.
 * (What the OpenAPI document refuses before a handler runs: `src/schema/router.test.ts`.)
 */

const API = '/api/datadog-ecs';
const PAYMENTS = `${API}/clusters/111111111111/eu-west-1/prod-eu-payments`;
const REF = {
  accountId: '111111111111',
  region: 'eu-west-1',
  clusterName: 'prod-eu-payments',
};
const ID = '7b0c2f9e-4a1d-4e3b-9c8a-5d6e7f8a9b0c';
const USER = expect.objectContaining({
  principal: expect.objectContaining({ userEntityRef: 'user:default/mock' }),
});

function setup() {
  const rollouts = {
    preview: jest.fn(async () => ({ preview: true })),
    start: jest.fn(async () => ({ rollout: { id: ID }, created: true })),
    list: jest.fn(async () => ({ rollouts: [], rolloutEnabled: true })),
    rollback: jest.fn(async () => ({ id: 'rollback' })),
    cancel: jest.fn(async () => ({ id: ID, status: 'cancelled' })),
    get: jest.fn(async () => ({ id: ID })),
  };
  const router = createDatadogEcsRouter(createRedactor());
  registerRolloutRoutes(router, {
    httpAuth: mockServices.httpAuth(),
    rollouts: rollouts as unknown as RolloutService,
  });
  finishRouter(router);
  const app = express().use(API, router);
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error(),
  );
  return { app, rollouts };
}

describe('the rollout routes', () => {
  it('POST …/rollouts/preview: 200 with the preview', async () => {
    const { app, rollouts } = setup();
    const res = await request(app)
      .post(`${PAYMENTS}/rollouts/preview`)
      .send({ features: { apm: true } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ preview: true });
    expect(rollouts.preview).toHaveBeenCalledWith(
      REF,
      { features: { apm: true } },
      USER,
      expect.anything(),
    );
  });

  it('POST …/rollouts: 202 for a new rollout, 200 for a known client token', async () => {
    const { app, rollouts } = setup();
    const body = {
      clientToken: 'tok-1',
      entityRef: 'Component:default/payments-api',
    };
    const created = await request(app).post(`${PAYMENTS}/rollouts`).send(body);
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ id: ID });
    expect(rollouts.start).toHaveBeenCalledWith(
      REF,
      { clientToken: 'tok-1', entityRef: 'component:default/payments-api' },
      USER,
      expect.anything(),
    );

    rollouts.start.mockResolvedValueOnce({
      rollout: { id: ID },
      created: false,
    });
    expect(
      (await request(app).post(`${PAYMENTS}/rollouts`).send(body)).status,
    ).toBe(200);
  });

  it('GET …/rollouts: the cluster’s list', async () => {
    const { app, rollouts } = setup();
    const res = await request(app).get(`${PAYMENTS}/rollouts`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ rollouts: [], rolloutEnabled: true });
    expect(rollouts.list).toHaveBeenCalledWith(REF, USER);
  });

  it('POST …/rollouts/:id/rollback: 202 with the rollback', async () => {
    const { app, rollouts } = setup();
    const res = await request(app).post(`${PAYMENTS}/rollouts/${ID}/rollback`);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: 'rollback' });
    expect(rollouts.rollback).toHaveBeenCalledWith(
      REF,
      ID,
      USER,
      expect.anything(),
    );
  });

  it('POST /rollouts/:id/cancel: 200 with the cancelled rollout; rollback only when asked', async () => {
    const { app, rollouts } = setup();
    const res = await request(app)
      .post(`${API}/rollouts/${ID}/cancel`)
      .send({ rollback: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ID, status: 'cancelled' });
    expect(rollouts.cancel).toHaveBeenCalledWith(
      ID,
      { rollback: true },
      USER,
      expect.anything(),
    );
    expect(
      (await request(app).post(`${API}/rollouts/${ID}/cancel`)).status,
    ).toBe(200);
    expect(rollouts.cancel).toHaveBeenLastCalledWith(
      ID,
      { rollback: false },
      USER,
      expect.anything(),
    );
    // What the document refuses never reaches the service.
    const bad = await request(app)
      .post(`${API}/rollouts/${ID}/cancel`)
      .send({ rollback: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("body field 'rollback'");
    const unknown = await request(app)
      .post(`${API}/rollouts/${ID}/cancel`)
      .send({ force: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("'force'");
    expect(rollouts.cancel).toHaveBeenCalledTimes(2);
  });

  it('GET /rollouts/:id: one rollout', async () => {
    const { app, rollouts } = setup();
    const res = await request(app).get(`${API}/rollouts/${ID}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ID });
    expect(rollouts.get).toHaveBeenCalledWith(ID, USER);
  });

  it('answers with the status of what the service throws', async () => {
    const { app, rollouts } = setup();
    rollouts.get.mockRejectedValueOnce(new NotFoundError(`No rollout ${ID}`));
    rollouts.list.mockRejectedValueOnce(
      new NotAllowedError('You may not read the Datadog ECS inventory'),
    );
    const missing = await request(app).get(`${API}/rollouts/${ID}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({
      name: 'NotFoundError',
      message: `No rollout ${ID}`,
    });
    expect((await request(app).get(`${PAYMENTS}/rollouts`)).status).toBe(403);
  });

  it('passes the cluster name percent-decoded', async () => {
    const { app, rollouts } = setup();
    await request(app).get(
      `${API}/clusters/111111111111/eu-west-1/prod%2Deu/rollouts`,
    );
    expect(rollouts.list).toHaveBeenCalledWith(
      { ...REF, clusterName: 'prod-eu' },
      USER,
    );
  });
});
