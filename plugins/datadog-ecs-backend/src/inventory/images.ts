import { InventoryError } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { AmiImages, EcsLocationApi } from '../aws/EcsGateway';
import { errorAsData } from './errors';
import { amiIdsToRead, InventoriedInstance } from './instances';

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
  instances: readonly InventoriedInstance[],
  now: () => Date,
): Promise<ImagesObservation> {
  return describeAmis(api, amiIdsToRead(instances), now);
}

/** Describes AMIs by id (see {@link observeImages}). */
export async function describeAmis(
  api: EcsLocationApi,
  ids: readonly string[],
  now: () => Date,
): Promise<ImagesObservation> {
  if (ids.length === 0 || !api.describeImages) return {};
  try {
    return { images: await api.describeImages([...ids]) };
  } catch (error) {
    return { imagesError: errorAsData(error, now()) };
  }
}

/**
 * What concerns one cluster (its AMIs `ids`) in what EC2 said about the AMIs of several: those
 * images (`null` for one EC2 did not return), or the error; nothing for a cluster without AMIs.
 */
export function imagesFor(
  all: ImagesObservation,
  ids: readonly string[],
): ImagesObservation {
  if (ids.length === 0) return {};
  return {
    ...(all.imagesError ? { imagesError: all.imagesError } : {}),
    ...(all.images
      ? {
          images: Object.fromEntries(
            ids.map(id => [id, all.images![id] ?? null]),
          ),
        }
      : {}),
  };
}
