import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ClusterRef,
  Rollout,
  RolloutListResponse,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { RolloutConfig } from '../config/config';
import { RolloutAuthorizer } from './authorization';
import { rollbackRefusal } from './rollbackRules';
import { RolloutRecord, RolloutStore } from './RolloutStore';
import { toRollout, toSummary } from './rolloutViews';

export interface RolloutHistoryDeps {
  /** Whether rollouts are switched on, for the list. */
  rollout: Pick<RolloutConfig, 'enabled'>;
  authorizer: Pick<RolloutAuthorizer, 'authorizeRead'>;
  store: Pick<RolloutStore, 'get' | 'list' | 'getActive' | 'latestChange'>;
}

/** The rollouts as the API shows them: one, a cluster's list, each saying whether it can be rolled back. */
export class RolloutHistory {
  constructor(private readonly deps: RolloutHistoryDeps) {}

  async view(record: RolloutRecord): Promise<Rollout> {
    const latest = await this.deps.store.latestChange(record.cluster);
    return toRollout(record, !rollbackRefusal(record, latest));
  }

  async get(id: string, credentials: BackstageCredentials): Promise<Rollout> {
    await this.deps.authorizer.authorizeRead(credentials);
    const record = await this.deps.store.get(id);
    if (!record) throw new NotFoundError(`No rollout ${id}`);
    return this.view(record);
  }

  async list(
    ref: ClusterRef,
    credentials: BackstageCredentials,
  ): Promise<RolloutListResponse> {
    await this.deps.authorizer.authorizeRead(credentials);
    const { store } = this.deps;
    const [records, active, latest] = await Promise.all([
      store.list(ref),
      store.getActive(ref),
      store.latestChange(ref),
    ]);
    const response: RolloutListResponse = {
      rollouts: records.map(r => toSummary(r, !rollbackRefusal(r, latest))),
      rolloutEnabled: this.deps.rollout.enabled,
    };
    if (active) response.activeRolloutId = active.rolloutId;
    return response;
  }
}
