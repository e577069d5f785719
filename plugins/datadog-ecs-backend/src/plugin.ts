import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { datadogEcsPermissions } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { ecsGatewayServiceRef } from './aws/ecsGatewayService';
import { readDatadogEcsConfig } from './config/config';
import { InventoryRefresher } from './inventory/InventoryRefresher';
import { migratePluginDatabase } from './migrate';
import { SnapshotStore } from './inventory/SnapshotStore';
import { redactingAuditor, redactingLogger, redactorForConfig } from './redaction';
import { createRouter, REFRESH_TASK_ID } from './router';
import { SnapshotReads } from './snapshotReads';
import { registerRolloutActions } from './rollout/actions';
import { RolloutService } from './rollout/RolloutService';
import { RolloutStore } from './rollout/RolloutStore';

/** The periodic task that picks up rollouts whose replica is gone (lease expired). */
export const ROLLOUT_RESUME_TASK_ID = 'datadog-ecs-rollout-resume';

/**
 * The datadog-ecs backend plugin: Datadog Agent coverage of Amazon ECS clusters.
 *
 * @public
 */
export const datadogEcsPlugin = createBackendPlugin({
  pluginId: 'datadog-ecs',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        gateway: ecsGatewayServiceRef,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const config = readDatadogEcsConfig(deps.rootConfig);
        deps.permissionsRegistry.addPermissions(datadogEcsPermissions);
        // One redactor for everything that leaves the plugin: responses, stored rows, audit events,
        // log lines and action outputs.
        const redactor = redactorForConfig(config);
        const logger = redactingLogger(deps.logger, redactor);
        const auditor = redactingAuditor(deps.auditor, redactor);

        // Several replicas may start at once on a new database: they migrate it one at a time
        // (see migrate.ts), the scheduler's tables (migrated by its first global task) included.
        const made: { store?: SnapshotStore; refresher?: InventoryRefresher } = {};
        const knex = await migratePluginDatabase(deps.database, logger, {
          whileLocked: async () => {
            const snapshots = await SnapshotStore.create({
              database: deps.database,
              redactor,
              skipMigrations: true,
            });
            const inventory = new InventoryRefresher({
              config,
              gateway: deps.gateway,
              store: snapshots,
              logger,
            });
            await deps.scheduler.scheduleTask({
              id: REFRESH_TASK_ID,
              ...config.refreshSchedule,
              fn: () => inventory.refreshAll(),
            });
            Object.assign(made, { store: snapshots, refresher: inventory });
          },
        });
        const { store, refresher } = made;
        if (!store || !refresher) throw new Error('datadog-ecs: the stores were not created');

        // Rollouts: their own store, service, actions, and the resume task.
        const rollouts = new RolloutService({
          config,
          gateway: deps.gateway,
          snapshots: store,
          store: new RolloutStore(knex, undefined, redactor),
          refresher,
          permissions: deps.permissions,
          catalog: deps.catalog,
          auditor,
          logger: logger.child({ component: 'rollout' }),
        });
        // One router for every route, typed and validated by the plugin's OpenAPI document.
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            auth: deps.auth,
            permissions: deps.permissions,
            logger,
            catalog: deps.catalog,
            scheduler: deps.scheduler,
            store,
            reads: new SnapshotReads(knex, store),
            config,
            redactor,
            rollouts,
          }),
        );
        deps.httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        registerRolloutActions({
          actionsRegistry: deps.actionsRegistry,
          rollouts,
          snapshots: store,
          redactor,
        });
        // Runs at start (picks up rollouts a stopped replica was running) and every leaseSeconds
        // (rollouts whose replica died: their lease expired). Local: each replica tries, the lease
        // decides (one claim wins; a held lease is never claimed, not even by its holder).
        await deps.scheduler.scheduleTask({
          id: ROLLOUT_RESUME_TASK_ID,
          scope: 'local',
          frequency: { seconds: config.rollout.leaseSeconds },
          timeout: { seconds: Math.max(30, config.rollout.leaseSeconds) },
          fn: () => rollouts.resumeUnfinished(),
        });
        deps.lifecycle.addShutdownHook(() => rollouts.shutdown());
      },
    });
  },
});
