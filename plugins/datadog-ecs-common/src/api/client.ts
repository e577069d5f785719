import { ResponseError } from '@backstage/errors';
import {
  ClusterDetails,
  ClusterRef,
  ClustersResponse,
  CoverageState,
  EntityCoverageResponse,
  RefreshStatus,
} from './types';
import { FeatureState, AgentFeatureId } from '../features/types';
import {
  CancelRolloutRequest,
  Rollout,
  RolloutListResponse,
  RolloutPreview,
  RolloutRequest,
  StartRolloutRequest,
} from './rollouts';

/**
 * Filters of `GET /clusters`; every one optional, combined with AND.
 *
 * @public
 */
export interface ClusterFilter {
  accountId?: string;
  region?: string;
  /** Clusters whose worst-of state is one of these. */
  state?: CoverageState[];
  /** `feature=apm:off` — clusters whose Agent has this feature in this state. */
  feature?: { id: AgentFeatureId; state: FeatureState };
  /** Case-insensitive substring of the cluster name, account name or id, or region. */
  text?: string;
  /** Clusters owned by one of these full entity refs (at most 100), e.g. the user's ownership refs. */
  owner?: string[];
}

/**
 * Typed access to the datadog-ecs REST API (its OpenAPI document: `datadogEcsApiSpec`), for
 * browsers and backends alike. A failed call throws a `ResponseError`; read the fields of its body
 * with `errorFieldsOf`.
 *
 * @public
 */
export interface DatadogEcsApi {
  getClusters(filter?: ClusterFilter): Promise<ClustersResponse>;
  getCluster(ref: ClusterRef): Promise<ClusterDetails>;
  getEntityCoverage(entityRef: {
    kind: string;
    namespace: string;
    name: string;
  }): Promise<EntityCoverageResponse>;
  /** Starts a refresh now; rate-limited (429 with `retryAfterSeconds` and `nextAllowedAt`). */
  refresh(): Promise<RefreshStatus>;
  /** What a rollout of the Agent daemon to the cluster would do (read-only). */
  previewRollout(
    ref: ClusterRef,
    body: RolloutRequest,
  ): Promise<RolloutPreview>;
  /**
   * Starts a rollout (202); with a `clientToken` already used on this cluster, returns that rollout.
   * A 409 carries the active rollout's id (`activeRolloutId`), a broken rule of the guide a 400 with `rule`.
   */
  startRollout(ref: ClusterRef, body: StartRolloutRequest): Promise<Rollout>;
  /** One rollout with its per-instance progress and events; poll it while it runs. */
  getRollout(id: string): Promise<Rollout>;
  /** A cluster's rollouts, newest first. */
  listRollouts(ref: ClusterRef): Promise<RolloutListResponse>;
  /** Rolls a rollout back to the revision it replaced, as a new rollout of kind `rollback`. */
  rollback(ref: ClusterRef, id: string): Promise<Rollout>;
  /**
   * Cancels a pending or in-progress rollout (stops following it, frees the cluster); with
   * `rollback: true` ECS also stops the deployment and rolls the service back. A 409 carries
   * `reason` (`rollout-finished`, `ecs-refused`).
   */
  cancelRollout(id: string, body?: CancelRolloutRequest): Promise<Rollout>;
}

/**
 * The parts of Backstage's discovery and fetch APIs the client needs.
 *
 * @public
 */
export interface DatadogEcsClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
}

/**
 * {@link DatadogEcsApi} over HTTP.
 *
 * @public
 */
export class DatadogEcsClient implements DatadogEcsApi {
  private readonly discoveryApi: DatadogEcsClientOptions['discoveryApi'];
  private readonly fetchImpl: typeof fetch;

  constructor(options: DatadogEcsClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchImpl = options.fetchApi?.fetch ?? ((...args) => fetch(...args));
  }

  async getClusters(filter: ClusterFilter = {}): Promise<ClustersResponse> {
    const query = new URLSearchParams();
    if (filter.accountId) query.set('account', filter.accountId);
    if (filter.region) query.set('region', filter.region);
    for (const state of filter.state ?? []) query.append('state', state);
    if (filter.feature)
      query.set('feature', `${filter.feature.id}:${filter.feature.state}`);
    if (filter.text) query.set('q', filter.text);
    for (const ref of filter.owner ?? []) query.append('owner', ref);
    const qs = query.toString();
    return this.request(`/clusters${qs ? `?${qs}` : ''}`);
  }

  getCluster(ref: ClusterRef): Promise<ClusterDetails> {
    return this.request(`/clusters/${clusterPath(ref)}`);
  }

  getEntityCoverage(entityRef: {
    kind: string;
    namespace: string;
    name: string;
  }): Promise<EntityCoverageResponse> {
    const { namespace, kind, name } = entityRef;
    return this.request(
      `/entity/${[namespace, kind, name].map(encodeURIComponent).join('/')}`,
    );
  }

  refresh(): Promise<RefreshStatus> {
    return this.request('/refresh', { method: 'POST' });
  }

  previewRollout(
    ref: ClusterRef,
    body: RolloutRequest,
  ): Promise<RolloutPreview> {
    return this.request(`/clusters/${clusterPath(ref)}/rollouts/preview`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
  }

  startRollout(ref: ClusterRef, body: StartRolloutRequest): Promise<Rollout> {
    return this.request(`/clusters/${clusterPath(ref)}/rollouts`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
  }

  getRollout(id: string): Promise<Rollout> {
    return this.request(`/rollouts/${encodeURIComponent(id)}`);
  }

  listRollouts(ref: ClusterRef): Promise<RolloutListResponse> {
    return this.request(`/clusters/${clusterPath(ref)}/rollouts`);
  }

  rollback(ref: ClusterRef, id: string): Promise<Rollout> {
    return this.request(
      `/clusters/${clusterPath(ref)}/rollouts/${encodeURIComponent(
        id,
      )}/rollback`,
      { method: 'POST', body: '{}' },
    );
  }

  cancelRollout(id: string, body: CancelRolloutRequest = {}): Promise<Rollout> {
    return this.request(`/rollouts/${encodeURIComponent(id)}/cancel`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
  }

  protected async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('datadog-ecs');
    const response = await this.fetchImpl(`${baseUrl}${path}`, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(init?.headers ?? {}) },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/**
 * The URL path of a cluster: `account/region/cluster`, each part encoded.
 *
 * @public
 */
export function clusterPath(ref: ClusterRef): string {
  return [ref.accountId, ref.region, ref.clusterName]
    .map(encodeURIComponent)
    .join('/');
}
