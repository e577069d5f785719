import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRef,
  ClustersResponse,
  CoverageState,
  datadogEcsReadPermission,
  ECS_CLUSTER_ARN_ANNOTATION,
  ECS_SERVICE_ARN_ANNOTATION,
  splitArnAnnotation,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import express, { Request } from 'express';
import { z } from 'zod';
import { DatadogEcsConfig } from './config/config';
import { entityCoverage } from './inventory/entityCoverage';
import { clusterQuerySchema, filterClusters, fleetTotals } from './inventory/filters';
import { SnapshotStore } from './inventory/SnapshotStore';
import { createPluginRouter, namePathDecodeErrors } from './http';
import { Redactor } from './redaction';
import {
  clusterParamsSchema,
  entityKindSchema,
  entityNameSchema,
  entityNamespaceSchema,
  parseInput,
} from './validation';

export const REFRESH_TASK_ID = 'datadog-ecs-refresh';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
  logger: LoggerService;
  catalog: CatalogService;
  scheduler: SchedulerService;
  store: SnapshotStore;
  config: DatadogEcsConfig;
  redactor: Redactor;
}

const entityParamsSchema = z.object({
  namespace: entityNamespaceSchema,
  kind: entityKindSchema,
  name: entityNameSchema,
});

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { httpAuth, permissions, store, config, catalog, scheduler } = options;
  const router = createPluginRouter(options.redactor);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  /** Authenticates the caller and checks the read permission; every inventory route does. */
  const authorizeRead = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const [decision] = await permissions.authorize(
      [{ permission: datadogEcsReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('You may not read the Datadog ECS inventory');
    }
    return credentials;
  };

  const snapshotTakenAt = async () => {
    const status = await store.getRefreshStatus();
    return status.finishedAt;
  };

  router.get('/clusters', async (req, res) => {
    await authorizeRead(req);
    const query = parseInput(clusterQuerySchema, req.query, 'query');
    const [all, locations, refresh] = await Promise.all([
      store.listClusters(),
      store.listLocations(),
      store.getRefreshStatus(),
    ]);
    const clusters = filterClusters(all, query);
    const { requestedAt, ...refreshStatus } = refresh;
    const body: ClustersResponse = {
      clusters,
      locations: locations.map(l => ({
        ...l,
        name: l.name ?? config.locations.find(c => c.accountId === l.accountId)?.name,
      })),
      snapshotTakenAt: refresh.finishedAt,
      refresh: {
        ...refreshStatus,
        nextAllowedAt: requestedAt
          ? new Date(
              new Date(requestedAt).getTime() + config.refreshMinIntervalSeconds * 1000,
            ).toISOString()
          : undefined,
      },
      totals: fleetTotals(clusters),
    };
    res.json(body);
  });

  router.get('/clusters/:accountId/:region/:clusterName', async (req, res) => {
    await authorizeRead(req);
    const ref: ClusterRef = parseInput(clusterParamsSchema, req.params, 'path');
    const details = await store.getCluster(ref);
    if (!details) {
      throw new NotFoundError(
        `No cluster ${ref.clusterName} in ${ref.accountId}/${ref.region} in the inventory`,
      );
    }
    res.json({ ...details, history: await store.getHistory(ref) });
  });

  router.get('/entity/:namespace/:kind/:name', async (req, res) => {
    const credentials = await authorizeRead(req);
    const params = parseInput(entityParamsSchema, req.params, 'path');
    const entityRef = stringifyEntityRef(params);
    // The entity is read on behalf of the caller: what they cannot see, they cannot ask about.
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    const annotations = entity.metadata.annotations ?? {};
    const serviceArns = splitArnAnnotation(annotations[ECS_SERVICE_ARN_ANNOTATION]);
    const clusterArns = splitArnAnnotation(annotations[ECS_CLUSTER_ARN_ANNOTATION]);

    const clusters = await store.listClustersWithServices();
    const takenAt = await snapshotTakenAt();
    const keyOf = (c: ClusterRef) => `${c.accountId}/${c.region}/${c.clusterName}`;
    // First pass: which clusters the annotations match. Then read only those clusters' instances.
    const matched = entityCoverage({
      entityRef,
      serviceArns,
      clusterArns,
      clusters,
      instanceStates: () => new Map(),
    }).clusters.map(c => c.cluster);
    const states = new Map<string, Map<string, { instanceId: string; state: CoverageState }>>();
    for (const cluster of matched) {
      const details = await store.getCluster(cluster);
      states.set(
        keyOf(cluster),
        new Map(
          (details?.instances ?? []).map(i => [
            i.containerInstanceArn,
            { instanceId: i.instanceId, state: i.state },
          ]),
        ),
      );
    }
    res.json(
      entityCoverage({
        entityRef,
        serviceArns,
        clusterArns,
        clusters,
        instanceStates: c => states.get(keyOf(c)) ?? new Map(),
        snapshotTakenAt: takenAt,
      }),
    );
  });

  router.post('/refresh', async (req, res) => {
    await authorizeRead(req);
    const now = new Date();
    const claimed = await store.claimRefreshRequest(now, config.refreshMinIntervalSeconds * 1000);
    const status = await store.getRefreshStatus();
    const nextAllowedAt = status.requestedAt
      ? new Date(
          new Date(status.requestedAt).getTime() + config.refreshMinIntervalSeconds * 1000,
        ).toISOString()
      : undefined;
    if (!claimed) {
      res.setHeader(
        'Retry-After',
        String(Math.max(1, Math.ceil((new Date(nextAllowedAt!).getTime() - now.getTime()) / 1000))),
      );
      res.status(429).json({
        error: {
          name: 'TooManyRequestsError',
          message: `A refresh was requested less than ${config.refreshMinIntervalSeconds}s ago; the next one is allowed at ${nextAllowedAt}`,
        },
        response: { statusCode: 429 },
        refresh: { ...status, nextAllowedAt },
      });
      return;
    }
    try {
      await scheduler.triggerTask(REFRESH_TASK_ID);
    } catch (error) {
      // Already running: the caller follows that one.
      if ((error as Error).name !== 'ConflictError') throw error;
    }
    const { requestedAt: _requestedAt, ...refresh } = await store.getRefreshStatus();
    res.status(202).json({ ...refresh, running: true, nextAllowedAt });
  });

  namePathDecodeErrors(router);
  return router;
}
