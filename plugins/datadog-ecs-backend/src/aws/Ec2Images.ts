import { DescribeImagesCommand, EC2Client, Image } from '@aws-sdk/client-ec2';
import { chunk } from '../util/concurrency';
import { AmiImage, AmiImages } from './EcsGateway';

/**
 * AMI ids per DescribeImages call: EC2 accepts at most 200 values per filter in one call (more is
 * `FilterLimitExceeded`). Also the page size asked for, so one batch is usually one page.
 */
export const DESCRIBE_IMAGES_BATCH = 200;

/**
 * How long "this account cannot read the AMI" is remembered: an AMI can be shared with the account
 * later (or its owner can enable it again), so the answer is asked again after this, at most once
 * per hour per AMI. Images that were read are remembered for good: an AMI never changes.
 */
export const UNREADABLE_AMI_TTL_MS = 60 * 60 * 1000;

interface CacheEntry {
  image: Promise<AmiImage | null>;
  /** Set once the AMI turned out unreadable: when to ask again. */
  expiresAt?: number;
}

function amiImageOf(image: Image): AmiImage {
  return {
    imageId: image.ImageId!,
    ...(image.Name !== undefined ? { name: image.Name } : {}),
    ...(image.OwnerId !== undefined ? { ownerId: image.OwnerId } : {}),
    ...(image.ImageOwnerAlias !== undefined
      ? { ownerAlias: image.ImageOwnerAlias }
      : {}),
    ...(image.PlatformDetails !== undefined
      ? { platformDetails: image.PlatformDetails }
      : {}),
  };
}

/**
 * EC2 DescribeImages for one account-region, cached by AMI id. It asks with the `image-id` filter
 * (not `ImageIds`, which fails the whole call with `InvalidAMIID.NotFound` when one AMI is not
 * visible to the account): an AMI the account cannot read (deregistered, private to its owner, not
 * shared) is simply absent from the answer, and recorded as `null`. Deprecated and disabled AMIs
 * are included: ECS-optimized AMIs are deprecated two years after their release, and instances keep
 * running them. Batches of {@link DESCRIBE_IMAGES_BATCH} ids, one after the other, every page.
 * A failed call is not cached: the next refresh asks again.
 */
export class Ec2ImageReader {
  private readonly cache = new Map<string, CacheEntry>();
  /** The last batch sent, so that batches run one after the other. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: EC2Client,
    private readonly now: () => number = Date.now,
  ) {}

  async describeImages(amiIds: string[]): Promise<AmiImages> {
    const ids = [...new Set(amiIds.filter(Boolean))];
    const at = this.now();
    const toRead = ids.filter(id => {
      const entry = this.cache.get(id);
      return !entry || (entry.expiresAt !== undefined && entry.expiresAt <= at);
    });
    for (const batch of chunk(toRead, DESCRIBE_IMAGES_BATCH)) {
      const run = () => this.describeBatch(batch);
      const found = this.tail.then(run, run);
      this.tail = found;
      for (const id of batch) this.remember(id, found);
    }
    const entries = ids.map(id => [id, this.cache.get(id)!.image] as const);
    const images: AmiImages = {};
    for (const [id, image] of entries) images[id] = await image;
    return images;
  }

  private remember(id: string, found: Promise<Map<string, AmiImage>>) {
    const entry: CacheEntry = { image: found.then(m => m.get(id) ?? null) };
    this.cache.set(id, entry);
    entry.image.then(
      image => {
        if (image === null)
          entry.expiresAt = this.now() + UNREADABLE_AMI_TTL_MS;
      },
      () => {
        if (this.cache.get(id) === entry) this.cache.delete(id);
      },
    );
  }

  private async describeBatch(ids: string[]): Promise<Map<string, AmiImage>> {
    const found = new Map<string, AmiImage>();
    let nextToken: string | undefined;
    do {
      const r = await this.client.send(
        new DescribeImagesCommand({
          Filters: [{ Name: 'image-id', Values: ids }],
          IncludeDeprecated: true,
          IncludeDisabled: true,
          MaxResults: DESCRIBE_IMAGES_BATCH,
          NextToken: nextToken,
        }),
      );
      for (const image of r.Images ?? []) {
        if (image.ImageId && ids.includes(image.ImageId)) {
          found.set(image.ImageId, amiImageOf(image));
        }
      }
      nextToken = r.NextToken || undefined;
    } while (nextToken);
    return found;
  }
}
