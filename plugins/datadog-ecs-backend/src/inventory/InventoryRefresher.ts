import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterRef } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { EcsGateway, Failure } from '../aws/EcsGateway';
import { DatadogEcsConfig, InventoryLocation } from '../config/config';
import { mapWithConcurrency } from '../util/concurrency';
import {
  AgentDetection,
  agentDetectionOf,
  FailedClusterObservation,
  missingClusters,
  observeCluster,
} from './collect';
import { buildClusterView, CoverageContext } from './coverage';
import { errorAsData } from './errors';
import { withFailureFindings } from './failures';
import { observeLocation } from './location';
import {
  AgentFamilySnapshot,
  PreparedCluster,
  SnapshotStore,
  StoredCluster,
} from './SnapshotStore';
import { EcsLocationApi } from '../aws/EcsGateway';
import { EcsTaskDefinition } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/**
 * Runs inventory passes and writes them to the {@link SnapshotStore}: all locations (the
 * scheduled task), or one cluster (after a rollout).
 */
export class InventoryRefresher {
  private readonly detection: AgentDetection;

  constructor(
    private readonly options: {
      config: DatadogEcsConfig;
      gateway: EcsGateway;
      store: SnapshotStore;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.detection = agentDetectionOf(options.config);
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }

  /** What the pure coverage functions need for one location's clusters. */
  private contextFor(location: InventoryLocation): CoverageContext {
    const { config } = this.options;
    return {
      accountId: location.accountId,
      region: location.region,
      locationName: location.name,
      expectedSite: config.site,
      detection: this.detection,
      ownership: {
        ownerTag: config.ownership.ownerTag,
        systemTag: config.ownership.systemTag,
        defaultOwner: location.defaultOwner ?? config.ownership.defaultOwner,
      },
    };
  }

  /** One pass over every configured location; each location's result is written as it lands. */
  async refreshAll(): Promise<void> {
    const { config, store, logger } = this.options;
    const startedAt = this.now();
    const total = config.locations.length;
    let done = 0;
    await store.updateRefreshStatus({
      running: true,
      startedAt: startedAt.toISOString(),
      progress: { done, total },
    });
    try {
      await store.retainLocations(config.locations);
      await mapWithConcurrency(
        config.locations,
        config.locationConcurrency,
        async location => {
          await this.refreshLocation(location);
          done += 1;
          await store.updateRefreshStatus({ progress: { done, total } });
        },
      );
      const retention = new Date(
        startedAt.getTime() - config.historyRetentionDays * 86_400_000,
      );
      await store.pruneHistory(retention);
      logger.info(
        `Inventory refreshed: ${total} location(s) in ${
          this.now().getTime() - startedAt.getTime()
        } ms`,
      );
    } finally {
      await store.updateRefreshStatus({
        running: false,
        finishedAt: this.now().toISOString(),
      });
    }
  }

  /**
   * One location: each cluster's view is built, redacted and serialized as its pass ends (the raw
   * observation dropped), then the location is written at once (only its changed rows).
   */
  async refreshLocation(location: InventoryLocation): Promise<void> {
    const { config, gateway, store, logger } = this.options;
    const context = this.contextFor(location);
    // The rollout family's latest revision depends on nothing the clusters' passes read: read
    // alongside them once the location answers (errors are data).
    let agentFamilyRead: Promise<AgentFamilySnapshot | undefined> | undefined;
    const observation = await observeLocation(
      () => gateway.forLocation(location.accountId, location.region),
      location,
      {
        detection: this.detection,
        clusterConcurrency: config.clusterConcurrency,
        now: () => this.now(),
        build: o =>
          store.prepareCluster(
            withFailureFindings(buildClusterView(o, context), o.failures ?? []),
          ),
        onClustersListed: api => {
          agentFamilyRead = this.readAgentFamily(api);
        },
      },
    );
    if (observation.error) {
      logger.warn(
        `Inventory of ${location.accountId}/${location.region} failed: ${observation.error.kind}: ${observation.error.message}`,
      );
      await store.writeLocation({
        accountId: location.accountId,
        region: location.region,
        name: location.name,
        refreshedAt: observation.observedAt,
        error: observation.error,
      });
      return;
    }
    const clusters: Array<StoredCluster | PreparedCluster> = [
      ...observation.clusters,
    ];
    for (const failed of observation.failedClusters) {
      clusters.push(await this.failedCluster(location, failed));
    }
    const agentFamily = await agentFamilyRead;
    await store.writeLocation({
      accountId: location.accountId,
      region: location.region,
      name: location.name,
      refreshedAt: observation.observedAt,
      clusters,
      agentFamily,
    });
  }

  /**
   * The latest revision of the rollout's family in a location (one ListTaskDefinitions page,
   * usually; its definition from the by-ARN cache): what previews compare with. An error is data.
   */
  async readAgentFamily(
    api: EcsLocationApi,
  ): Promise<AgentFamilySnapshot | undefined> {
    const { family } = this.options.config.rollout;
    if (!api.latestTaskDefinitionArn) return undefined;
    const readAt = this.now().toISOString();
    try {
      const arn = await api.latestTaskDefinitionArn(family);
      if (!arn) return { family, readAt };
      const latest = await api.describeTaskDefinition(arn);
      return {
        family,
        readAt,
        latestTaskDefinitionArn: arn,
        latestTaskDefinition: latest as EcsTaskDefinition,
      };
    } catch (error) {
      return { family, readAt, error: errorAsData(error, this.now()) };
    }
  }

  /** Observes one cluster again and replaces it in the snapshot. */
  async refreshCluster(ref: ClusterRef): Promise<void> {
    const { config, gateway, store } = this.options;
    const location = config.locations.find(
      l => l.accountId === ref.accountId && l.region === ref.region,
    );
    if (!location) return;
    const api = await gateway.forLocation(ref.accountId, ref.region);
    const context = this.contextFor(location);
    try {
      const clusterFailures: Failure[] = [];
      const [cluster] = await api.describeClusters(
        [ref.clusterName],
        clusterFailures,
      );
      if (!cluster) {
        const [missing] = missingClusters(
          clusterFailures.length
            ? clusterFailures
            : [{ arn: ref.clusterName, reason: 'MISSING' }],
          Boolean(location.clusters?.includes(ref.clusterName)),
          this.now(),
        );
        await store.writeCluster(
          await this.failedCluster(location, {
            ...missing,
            clusterName: ref.clusterName,
          }),
        );
        return;
      }
      const observation = await observeCluster(
        api,
        cluster,
        this.detection,
        () => this.now(),
      );
      await store.writeCluster(
        withFailureFindings(
          buildClusterView(observation, context),
          observation.failures ?? [],
        ),
      );
      const agentFamily = await this.readAgentFamily(api);
      if (agentFamily) await store.writeAgentFamily(ref, agentFamily);
    } catch (error) {
      await store.writeCluster(
        await this.failedCluster(location, {
          clusterArn: `arn:aws:ecs:${ref.region}:${ref.accountId}:cluster/${ref.clusterName}`,
          clusterName: ref.clusterName,
          error: errorAsData(error, this.now()),
        }),
      );
    }
  }

  /** A cluster whose calls failed: its last good view with the error attached, or an empty one. */
  private async failedCluster(
    location: InventoryLocation,
    failed: FailedClusterObservation,
  ): Promise<StoredCluster> {
    const ref = {
      accountId: location.accountId,
      region: location.region,
      clusterName: failed.clusterName,
    };
    const previous = await this.options.store.getCluster(ref);
    const previousServices = await this.options.store.getClusterServices(ref);
    if (previous) {
      return {
        details: { ...previous, error: failed.error },
        services: previousServices,
      };
    }
    return {
      details: {
        ...ref,
        clusterArn: failed.clusterArn,
        locationName: location.name,
        state: 'not-applicable',
        counts: {
          instances: 0,
          desired: 0,
          running: 0,
          healthy: 0,
          upToDate: 0,
          covered: 0,
          pending: 0,
          unhealthy: 0,
          stopped: 0,
          missing: 0,
        },
        coveragePercent: null,
        fargateOnly: false,
        agentServices: [],
        agentRevisions: [],
        outdatedInstances: 0,
        features: [],
        findingCounts: { critical: 0, warning: 0, info: 0 },
        refreshedAt: failed.error.at,
        error: failed.error,
        instances: [],
        featureResults: [],
        findings: [],
        events: [],
        taskDefinitions: [],
      },
      services: [],
    };
  }
}
