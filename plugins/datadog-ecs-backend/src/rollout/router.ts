import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ClusterRef } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { Request } from 'express';
import { DatadogEcsRouter } from '../schema/router';
import { parseRolloutRequest, parseStartRolloutRequest } from './request';
import { RolloutService } from './RolloutService';

export interface RolloutRouterOptions {
  httpAuth: HttpAuthService;
  rollouts: RolloutService;
}

/**
 * The rollout routes, on the plugin's router (their parameters and bodies are validated against the
 * OpenAPI document before they run):
 *
 * - `POST /clusters/:accountId/:region/:clusterName/rollouts/preview`
 * - `POST /clusters/:accountId/:region/:clusterName/rollouts` (202, or 200 for a known clientToken)
 * - `GET  /clusters/:accountId/:region/:clusterName/rollouts`
 * - `POST /clusters/:accountId/:region/:clusterName/rollouts/:id/rollback` (202)
 * - `POST /rollouts/:id/cancel` (200)
 * - `GET  /rollouts/:id`
 */
export function registerRolloutRoutes(
  router: DatadogEcsRouter,
  options: RolloutRouterOptions,
): void {
  const { httpAuth, rollouts } = options;

  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const clusterOf = (params: ClusterRef): ClusterRef => ({
    accountId: params.accountId,
    region: params.region,
    clusterName: params.clusterName,
  });

  router.post(
    '/clusters/:accountId/:region/:clusterName/rollouts/preview',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const body = parseRolloutRequest(req.body);
      res.json(
        await rollouts.preview(clusterOf(req.params), body, credentials, req),
      );
    },
  );

  router.post(
    '/clusters/:accountId/:region/:clusterName/rollouts',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const body = parseStartRolloutRequest(req.body);
      const { rollout, created } = await rollouts.start(
        clusterOf(req.params),
        body,
        credentials,
        req,
      );
      res.status(created ? 202 : 200).json(rollout);
    },
  );

  router.get(
    '/clusters/:accountId/:region/:clusterName/rollouts',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      res.json(await rollouts.list(clusterOf(req.params), credentials));
    },
  );

  router.post(
    '/clusters/:accountId/:region/:clusterName/rollouts/:id/rollback',
    async (req, res) => {
      const credentials = await credentialsOf(req);
      res
        .status(202)
        .json(
          await rollouts.rollback(
            clusterOf(req.params),
            req.params.id,
            credentials,
            req,
          ),
        );
    },
  );

  router.post('/rollouts/:id/cancel', async (req, res) => {
    const credentials = await credentialsOf(req);
    // The document validated the body: `{ rollback?: boolean }`, or none.
    const body = req.body ?? {};
    res.json(
      await rollouts.cancel(
        req.params.id,
        { rollback: body.rollback === true },
        credentials,
        req,
      ),
    );
  });

  router.get('/rollouts/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(await rollouts.get(req.params.id, credentials));
  });
}
