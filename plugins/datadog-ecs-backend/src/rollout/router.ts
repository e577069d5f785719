import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ClusterRef } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import express, { Request } from 'express';
import { z } from 'zod';
import { createPluginRouter, namePathDecodeErrors } from '../http';
import { Redactor } from '../redaction';
import {
  clusterParamsSchema,
  parseRolloutRequest,
  parseStartRolloutRequest,
  rolloutIdSchema,
} from './request';
import { parseInput } from '../validation';
import { RolloutService } from './RolloutService';

/** The rollback takes no body fields. */
const emptyBodySchema = z.object({}).strict();
const idParamsSchema = z.object({ id: rolloutIdSchema });

export interface RolloutRouterOptions {
  httpAuth: HttpAuthService;
  rollouts: RolloutService;
  redactor: Redactor;
}

/**
 * The rollout routes, mounted next to the inventory router:
 *
 * - `POST /clusters/:accountId/:region/:clusterName/rollouts/preview`
 * - `POST /clusters/:accountId/:region/:clusterName/rollouts` (202, or 200 for a known clientToken)
 * - `GET  /clusters/:accountId/:region/:clusterName/rollouts`
 * - `POST /clusters/:accountId/:region/:clusterName/rollouts/:id/rollback` (202)
 * - `GET  /rollouts/:id`
 */
export async function createRolloutRouter(
  options: RolloutRouterOptions,
): Promise<express.Router> {
  const { httpAuth, rollouts } = options;
  const router = createPluginRouter(options.redactor);

  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const clusterOf = (req: Request): ClusterRef =>
    parseInput(
      clusterParamsSchema,
      {
        accountId: req.params.accountId,
        region: req.params.region,
        clusterName: req.params.clusterName,
      },
      'path',
    );

  const base = '/clusters/:accountId/:region/:clusterName/rollouts';

  router.post(`${base}/preview`, async (req, res) => {
    const credentials = await credentialsOf(req);
    const ref = clusterOf(req);
    const body = parseRolloutRequest(req.body);
    res.json(await rollouts.preview(ref, body, credentials, req));
  });

  router.post(base, async (req, res) => {
    const credentials = await credentialsOf(req);
    const ref = clusterOf(req);
    const body = parseStartRolloutRequest(req.body);
    const { rollout, created } = await rollouts.start(
      ref,
      body,
      credentials,
      req,
    );
    res.status(created ? 202 : 200).json(rollout);
  });

  router.get(base, async (req, res) => {
    const credentials = await credentialsOf(req);
    const ref = clusterOf(req);
    res.json(await rollouts.list(ref, credentials));
  });

  router.post(`${base}/:id/rollback`, async (req, res) => {
    const credentials = await credentialsOf(req);
    const ref = clusterOf(req);
    const { id } = parseInput(
      idParamsSchema,
      { id: req.params.id },
      'path',
    );
    parseInput(emptyBodySchema, req.body, 'body');
    res.status(202).json(await rollouts.rollback(ref, id, credentials, req));
  });

  router.get('/rollouts/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = parseInput(
      idParamsSchema,
      { id: req.params.id },
      'path',
    );
    res.json(await rollouts.get(id, credentials));
  });

  namePathDecodeErrors(router);
  return router;
}
