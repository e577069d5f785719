import {
  AuditorService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRef,
  createRedactor,
  Redactor,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { EcsGateway } from '../aws/EcsGateway';
import { DatadogEcsConfig } from '../config/config';
import { SnapshotStore } from '../inventory/SnapshotStore';
import { RolloutAudit } from './audit';
import { RolloutAuthorizer } from './authorization';
import { RolloutCancels } from './cancel';
import { RolloutLease, rolloutLease } from './common';
import { RolloutExecutor } from './execution';
import { RolloutFollower } from './following';
import { RolloutHistory } from './history';
import { RolloutPlanner } from './planning';
import { RolloutRollbacks } from './rollback';
import { RolloutStore } from './RolloutStore';
import { RolloutRunner } from './runner';
import { RolloutStarter } from './starting';

/** What the rollout service is built from (see {@link createRolloutParts}). */
export interface RolloutServiceOptions {
  config: DatadogEcsConfig;
  gateway: EcsGateway;
  snapshots: SnapshotStore;
  store: RolloutStore;
  refresher: { refreshCluster(ref: ClusterRef): Promise<void> };
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
  logger: LoggerService;
  /** Identifies this replica in leases; random by default. */
  replicaId?: string;
  /** What stored definitions were redacted with (the name rules by default). */
  redactor?: Redactor;
}

/** The parts the rollout service's facade hands each operation to. */
export interface RolloutParts {
  lease: RolloutLease;
  audit: Pick<RolloutAudit, 'preview' | 'start' | 'rollback' | 'cancel'>;
  authorizer: Pick<RolloutAuthorizer, 'authorizeRead'>;
  planner: Pick<RolloutPlanner, 'preview'>;
  starter: Pick<RolloutStarter, 'start'>;
  rollbacks: Pick<RolloutRollbacks, 'rollback'>;
  cancels: Pick<RolloutCancels, 'cancel'>;
  history: Pick<RolloutHistory, 'get' | 'list'>;
  runner: Pick<RolloutRunner, 'resumeUnfinished' | 'shutdown' | 'idle'>;
}

/** The default parts, wired from the service's options. */
export function createRolloutParts(
  options: RolloutServiceOptions,
): RolloutParts {
  const { config, gateway, snapshots, store, logger } = options;
  const rollout = config.rollout;
  const lease = rolloutLease(rollout.leaseSeconds, options.replicaId);
  const authorizer = new RolloutAuthorizer({
    permissions: options.permissions,
    catalog: options.catalog,
    snapshots,
  });
  const planner = new RolloutPlanner({
    config,
    snapshots,
    redactor: options.redactor ?? createRedactor(),
  });
  const history = new RolloutHistory({ store, authorizer, rollout });
  const executor = new RolloutExecutor({ store, rollout, logger });
  const follower = new RolloutFollower({
    store,
    rollout,
    refresher: options.refresher,
    logger,
  });
  const runner = new RolloutRunner({
    store,
    gateway,
    rollout,
    executor,
    follower,
    logger,
    lease,
  });
  const running = { store, authorizer, runner, history, lease, gateway };
  return {
    lease,
    audit: new RolloutAudit(options.auditor),
    authorizer,
    planner,
    history,
    runner,
    starter: new RolloutStarter({ ...running, planner, rollout, logger }),
    rollbacks: new RolloutRollbacks({ ...running, config }),
    cancels: new RolloutCancels({ ...running, rollout, logger }),
  };
}
