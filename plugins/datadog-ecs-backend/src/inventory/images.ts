import { InventoryError } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  AmiImages,
  ContainerInstance,
  EcsLocationApi,
} from '../aws/EcsGateway';
import { errorAsData } from './errors';
import { amiIdsToRead } from './instances';

/** What EC2 said about a cluster's AMIs: the images, or why they could not be read. */
export interface ImagesObservation {
  /** By AMI id, those of the Linux EC2 instances (`null`: the account cannot read it). */
  images?: AmiImages;
  /** DescribeImages failed: the Amazon Linux generations are unknown, and the cluster says why. */
  imagesError?: InventoryError;
}

/**
 * Describes the distinct AMIs (`ecs.ami-id`) of the Linux EC2 instances given, in one go (the
 * gateway batches and caches them). A failure is data, never thrown: the generations are unknown
 * and the error says why. No call without AMIs, or with a gateway that does not describe images.
 */
export async function observeImages(
  api: EcsLocationApi,
  instances: readonly ContainerInstance[],
  now: () => Date,
): Promise<ImagesObservation> {
  const ids = amiIdsToRead(instances);
  if (ids.length === 0 || !api.describeImages) return {};
  try {
    return { images: await api.describeImages(ids) };
  } catch (error) {
    return { imagesError: errorAsData(error, now()) };
  }
}

/**
 * Describes the AMIs of several clusters of one location at once (one DescribeImages per 200
 * distinct AMIs, whatever the number of clusters) and gives each cluster what concerns it.
 */
export async function attachImages<
  T extends { instances: ContainerInstance[] } & ImagesObservation,
>(api: EcsLocationApi, observations: T[], now: () => Date): Promise<T[]> {
  const all = await observeImages(
    api,
    observations.flatMap(o => o.instances),
    now,
  );
  for (const observation of observations) {
    const ids = amiIdsToRead(observation.instances);
    if (ids.length === 0) continue;
    if (all.imagesError) observation.imagesError = all.imagesError;
    if (all.images) {
      observation.images = Object.fromEntries(
        ids.map(id => [id, all.images![id] ?? null]),
      );
    }
  }
  return observations;
}
