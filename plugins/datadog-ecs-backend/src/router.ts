import {
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRef,
  ClustersResponse,
  CoverageState,
  ECS_CLUSTER_ARN_ANNOTATION,
  ECS_SERVICE_ARN_ANNOTATION,
  ServiceLookupResponse,
  splitArnAnnotation,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import express, { Request } from 'express';
import { z } from 'zod';
import { DatadogEcsConfig } from './config/config';
import { entityCoverage, lookupServices } from './inventory/entityCoverage';
import { clusterQuerySchema, filterClusters, fleetTotals } from './inventory/filters';
import { SnapshotStore } from './inventory/SnapshotStore';
import { TooManyRequestsError } from './errors';
import { requireRead } from './permissions';
import { PreparedBodies, sendPrepared } from './readCache';
import { Redactor } from './redaction';
import { registerRolloutRoutes } from './rollout/router';
import { RolloutService } from './rollout/RolloutService';
import { createDatadogEcsRouter, DatadogEcsRouter, finishRouter } from './schema/router';
import { SnapshotReads } from './snapshotReads';
import {
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
  /** The stored snapshot's version, what the routes many users call at once are cached under. */
  reads: SnapshotReads;
  config: DatadogEcsConfig;
  redactor: Redactor;
  rollouts: RolloutService;
}

/** The catalog's own rules for the parts of an entity ref (the document bounds their length). */
const entityParamsSchema = z.object({
  namespace: entityNamespaceSchema,
  kind: entityKindSchema,
  name: entityNameSchema,
});

/** How much the router keeps of the bodies it serves from the snapshot (JSON and compressed). */
const PREPARED_BODIES_BYTES = 64 * 1024 * 1024;

/**
 * The plugin's router: every route, typed and validated by the OpenAPI document (`-common`'s
 * `src/schema/openapi.yaml`), which it also serves at `/openapi.json`.
 */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const router = createDatadogEcsRouter(options.redactor);
  registerInventoryRoutes(router, options);
  registerRolloutRoutes(router, options);
  finishRouter(router);
  return router;
}

/**
 * `GET /health`, `GET /clusters`, `GET /clusters/…/:clusterName`, `GET /entity/…`,
 * `POST /services/lookup`, `POST /refresh`.
 */
function registerInventoryRoutes(router: DatadogEcsRouter, options: RouterOptions): void {
  const { httpAuth, permissions, store, reads, config, catalog, scheduler } = options;
  // `GET /clusters`, a cluster's details and entity pages are built, redacted, serialised and
  // compressed once per version of what they are built from (their key: the snapshot's version,
  // the refresh status's included, and what else they show), not per request. Every request is
  // still authorized, and reads the version (whichever replica wrote the snapshot) for its key,
  // sharing the query with the requests that came in together (SnapshotReads).
  const bodies = new PreparedBodies(options.redactor, PREPARED_BODIES_BYTES);

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  /** Authenticates the caller and checks the read permission; every inventory route does. */
  const authorizeRead = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    await requireRead(permissions, credentials);
    return credentials;
  };

  /** When `POST /refresh` next starts one, given when the last was requested. */
  const nextAllowedAt = (requestedAt?: string) =>
    requestedAt
      ? new Date(new Date(requestedAt).getTime() + config.refreshMinIntervalSeconds * 1000)
      : undefined;

  const snapshotTakenAt = async () => {
    const status = await store.getRefreshStatus();
    return status.finishedAt;
  };

  router.get('/clusters', async (req, res) => {
    await authorizeRead(req);
    const query = parseInput(clusterQuerySchema, req.query, 'query');
    const key = JSON.stringify(['clusters', await reads.version(), query]);
    const prepared = await bodies.get(key, async (): Promise<ClustersResponse> => {
      const [all, locations, refresh] = await Promise.all([
        store.listClusters(),
        store.listLocations(),
        store.getRefreshStatus(),
      ]);
      const clusters = filterClusters(all, query);
      const { requestedAt, ...refreshStatus } = refresh;
      return {
        clusters,
        locations: locations.map(l => ({
          ...l,
          name: l.name ?? config.locations.find(c => c.accountId === l.accountId)?.name,
        })),
        snapshotTakenAt: refresh.finishedAt,
        refresh: { ...refreshStatus, nextAllowedAt: nextAllowedAt(requestedAt)?.toISOString() },
        totals: fleetTotals(clusters),
      };
    });
    sendPrepared(req, res, prepared);
  });

  router.get('/clusters/:accountId/:region/:clusterName', async (req, res) => {
    await authorizeRead(req);
    const { accountId, region, clusterName } = req.params;
    const ref: ClusterRef = { accountId, region, clusterName };
    // The history is read per request (its points are pruned apart from the snapshot's writes).
    const [version, history] = await Promise.all([
      reads.locationVersion(ref),
      store.getHistory(ref),
    ]);
    const key = JSON.stringify(['cluster', version, clusterName, history]);
    const prepared = await bodies.get(key, async () => {
      const details = await store.getCluster(ref);
      if (!details) {
        throw new NotFoundError(
          `No cluster ${ref.clusterName} in ${ref.accountId}/${ref.region} in the inventory`,
        );
      }
      return { ...details, history };
    });
    sendPrepared(req, res, prepared);
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

    const version = await reads.version();
    const key = JSON.stringify(['entity', version, entityRef, serviceArns, clusterArns]);
    const prepared = await bodies.get(key, async () => {
      const [clusters, takenAt] = await Promise.all([
        reads.clustersWithServices(version),
        snapshotTakenAt(),
      ]);
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
      return entityCoverage({
        entityRef,
        serviceArns,
        clusterArns,
        clusters,
        instanceStates: c => states.get(keyOf(c)) ?? new Map(),
        snapshotTakenAt: takenAt,
      });
    });
    sendPrepared(req, res, prepared);
  });

  router.post('/services/lookup', async (req, res) => {
    await authorizeRead(req);
    // The document bounds the body (1–100 ARNs); it is read from the snapshot, never from AWS.
    const { serviceArns } = req.body;
    const body: ServiceLookupResponse = {
      services: lookupServices(
        await reads.clustersWithServices(await reads.version()),
        serviceArns,
      ),
      snapshotTakenAt: await snapshotTakenAt(),
    };
    res.json(body);
  });

  router.post('/refresh', async (req, res) => {
    await authorizeRead(req);
    const now = new Date();
    const claimed = await store.claimRefreshRequest(now, config.refreshMinIntervalSeconds * 1000);
    const next = nextAllowedAt((await store.getRefreshStatus()).requestedAt);
    if (!claimed) {
      throw new TooManyRequestsError(
        `A refresh was requested less than ${config.refreshMinIntervalSeconds}s ago; the next one is allowed at ${next?.toISOString()}`,
        next ?? now,
        now,
      );
    }
    try {
      await scheduler.triggerTask(REFRESH_TASK_ID);
    } catch (error) {
      // Already running: the caller follows that one.
      if ((error as Error).name !== 'ConflictError') throw error;
    }
    const { requestedAt: _requestedAt, ...refresh } = await store.getRefreshStatus();
    res.status(202).json({ ...refresh, running: true, nextAllowedAt: next?.toISOString() });
  });
}
