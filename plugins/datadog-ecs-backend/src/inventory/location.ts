import { deserialize, serialize } from 'node:v8';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { Cluster, EcsLocationApi, Failure } from '../aws/EcsGateway';
import { mapWithConcurrency } from '../util/concurrency';
import {
  AgentDetection,
  ClusterObservation,
  clusterNameOf,
  DescribedInstances,
  describeInstancesOf,
  FailedClusterObservation,
  LocationObservation,
  missingClusters,
  observeCluster,
} from './collect';
import { errorAsData } from './errors';
import { describeAmis, ImagesObservation, imagesFor } from './images';
import { amiIdsToRead } from './instances';

/**
 * An observation whose pass ended before its location's AMIs were described, kept until they are:
 * serialised as V8 structured clone (Dates stay Dates; no replacer or reviver to call on every
 * value) and deflated, about a tenth of its size in memory. So passes never wait for the AMIs,
 * and the raw observations held at once are those of the passes in flight. (The coverage
 * functions look task definitions up by ARN, never by identity.)
 */
function park(observation: ClusterObservation): () => ClusterObservation {
  const packed = deflateRawSync(serialize(observation), {
    level: constants.Z_BEST_SPEED,
  });
  return () => deserialize(inflateRawSync(packed));
}

/** Options of {@link observeLocation}. */
export interface ObserveLocationOptions<T> {
  detection: AgentDetection;
  /**
   * Cluster passes at once, and as many clusters having their instances listed ahead of them. What
   * bounds the calls is the gateway (`datadogEcs.callsInFlight` per account-region); this bounds
   * the raw observations held at once.
   */
  clusterConcurrency: number;
  now?: () => Date;
  /**
   * What to keep of a cluster's observation, called as its pass ends (the refresher: the stored
   * row of its view); the observation itself is dropped then. Default: the observation.
   */
  build?: (observation: ClusterObservation) => T;
  /**
   * Called once the location's clusters are listed and described (not when that failed), before
   * their passes: the caller's own reads of the location start alongside them.
   */
  onClustersListed?: (api: EcsLocationApi) => void;
}

/**
 * One pass over one account-region: its clusters (or the configured subset), each failure kept as
 * data on the cluster or the location, never thrown past it. The AMIs of all its clusters are
 * described at once (one DescribeImages per 200 distinct AMIs, whatever the number of clusters),
 * yet no cluster's observation waits for the others':
 *
 * 1. the container instances of every cluster (ListContainerInstances, DescribeContainerInstances),
 *    `clusterConcurrency` clusters at a time, each instance kept as what the inventory reads of it
 *    (`InventoriedInstance`: 7 of its ~70 attributes) until its cluster's pass, with its AMI ids;
 * 2. once they are all read, one DescribeImages for the location's AMIs;
 * 3. meanwhile each cluster's pass (services and tasks at once, then task definitions and stopped
 *    Agent tasks; its instances from step 1, awaited only where needed), `clusterConcurrency` at a
 *    time; as its AMIs are known, `build` makes
 *    what the caller keeps of the observation (the refresher: the stored row of its view) and the
 *    observation is dropped. One whose pass ends before step 2 waits for it packed (`park`) while
 *    the next pass starts: under throttling the instances of a large location take a while to
 *    read (at 30,000 instances and 5 calls/s, a fifth of its passes end before).
 *
 * So a refresh holds the location's instances until their passes, the observations of the passes
 * in flight (the others packed until step 2) and what `build` returned: never every observation
 * of the location at once.
 */
export async function observeLocation<T = ClusterObservation>(
  getApi: () => Promise<EcsLocationApi>,
  location: { accountId: string; region: string; clusters?: string[] },
  options: ObserveLocationOptions<T>,
): Promise<LocationObservation<T>> {
  const now = options.now ?? (() => new Date());
  const build = options.build ?? ((o: ClusterObservation) => o as unknown as T);
  const base = { accountId: location.accountId, region: location.region };
  let clusters: Cluster[];
  let api: EcsLocationApi;
  const clusterFailures: Failure[] = [];
  try {
    api = await getApi();
    const arns = location.clusters?.length
      ? location.clusters
      : await api.listClusterArns();
    clusters = arns.length
      ? await api.describeClusters(arns, clusterFailures)
      : [];
  } catch (error) {
    return {
      ...base,
      clusters: [],
      failedClusters: [],
      error: errorAsData(error, now()),
      observedAt: now().toISOString(),
    };
  }

  options.onClustersListed?.(api);
  const active = clusters.filter(c => c.status !== 'INACTIVE');
  const failed = new Array<FailedClusterObservation | undefined>(active.length);
  const fail = (index: number, error: unknown) => {
    const cluster = active[index];
    failed[index] = {
      clusterArn: cluster.clusterArn!,
      clusterName: cluster.clusterName ?? clusterNameOf(cluster.clusterArn!),
      error: errorAsData(error, now()),
    };
  };

  // 1. Every cluster's instances (listed whatever its counts say: they lag), ahead of its pass,
  //    which takes them from `described` (rejected when they could not be read) and drops them
  //    there.
  const settle: Array<{
    resolve(d: DescribedInstances): void;
    reject(error: unknown): void;
  }> = [];
  const described: Array<Promise<DescribedInstances> | undefined> = active.map(
    (_, index) => {
      const promise = new Promise<DescribedInstances>((resolve, reject) => {
        settle[index] = { resolve, reject };
      });
      // Handled by its pass, which may not have started yet when it is rejected.
      promise.catch(() => undefined);
      return promise;
    },
  );
  const amiIds: string[][] = active.map(() => []);
  const instancesRead = mapWithConcurrency(
    active,
    options.clusterConcurrency,
    async (cluster, index) => {
      const failures: Failure[] = [];
      try {
        const instances = await describeInstancesOf(
          api,
          cluster.clusterArn!,
          failures,
        );
        amiIds[index] = amiIdsToRead(instances);
        settle[index].resolve({ instances, failures });
      } catch (error) {
        settle[index].reject(error);
      }
    },
  );

  // 2. Their AMIs, in one go once all are known.
  const images = instancesRead.then(() =>
    describeAmis(api, [...new Set(amiIds.flat())], now),
  );

  // 3. The rest of each pass; what the caller keeps of it once its AMIs are known.
  let imagesKnown = false;
  images.then(() => {
    imagesKnown = true;
  });
  const built: Array<{ value: T } | Promise<{ value: T }> | undefined> = [];
  await mapWithConcurrency(
    active,
    options.clusterConcurrency,
    async (cluster, index) => {
      const instances = described[index]!;
      described[index] = undefined;
      let observation: ClusterObservation;
      try {
        observation = await observeCluster(
          api,
          cluster,
          options.detection,
          now,
          {
            instances,
            readImages: false,
          },
        );
      } catch (error) {
        fail(index, error);
        return;
      }
      // Built from its arguments only, so that a parked observation is not kept by this closure.
      const withImages = (o: ClusterObservation, all: ImagesObservation) => ({
        value: build({ ...o, ...imagesFor(all, amiIds[index]) }),
      });
      if (imagesKnown) {
        built[index] = withImages(observation, await images);
        return;
      }
      const parked = park(observation);
      const later = images.then(all => withImages(parked(), all));
      // Awaited once every pass is done: a rejection then fails the location as a pass's would,
      // and is not an unhandled one meanwhile.
      later.catch(() => undefined);
      built[index] = later;
    },
  );
  await instancesRead;
  const clustersBuilt = await Promise.all(built);

  return {
    ...base,
    clusters: clustersBuilt.flatMap(b => (b ? [b.value] : [])),
    failedClusters: [
      ...missingClusters(
        clusterFailures,
        Boolean(location.clusters?.length),
        now(),
      ),
      ...failed.filter((f): f is FailedClusterObservation => Boolean(f)),
    ],
    observedAt: now().toISOString(),
  };
}
