import { createHash } from 'node:crypto';

/**
 * The AMIs DescribeImages knows: the public Amazon ECS-optimized AMIs the
 * instance profiles boot from (one id per region, as AMIs are regional), plus
 * the images a fleet declares (`FleetSpec.images`, e.g. a private golden AMI).
 *
 * Names, owners and descriptions follow the ECS-optimized AMIs as EC2 lists
 * them (owner 591542846629, alias `amazon`, for Linux; 801119661308 for
 * Windows): https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_AMI.html
 */

/**
 * An image as DescribeImages returns it (the fields this emulator fills).
 *
 * @public
 */
export interface Ec2Image {
  imageId: string;
  region: string;
  name: string;
  description?: string;
  ownerId: string;
  /** `amazon` for Amazon's images; absent for customers' images. */
  ownerAlias?: string;
  isPublic: boolean;
  /** Accounts with explicit launch permissions (private images). */
  sharedWith: string[];
  architecture: 'x86_64' | 'arm64';
  platform?: 'windows';
  platformDetails: string;
  usageOperation: string;
  /** ISO 8601. */
  creationDate: string;
  deprecationTime?: string;
  rootDeviceName: string;
  volumeSize: number;
  volumeType: 'gp2' | 'gp3';
  bootMode?: 'legacy-bios' | 'uefi' | 'uefi-preferred';
  imdsSupport?: 'v2.0';
  state: 'available' | 'deprecated' | 'disabled';
}

/**
 * A built-in image: the same AMI in every region, under a regional id.
 *
 * @public
 */
export interface EcsOptimizedAmi extends Omit<Ec2Image, 'imageId' | 'region'> {
  /** Ids by region; other regions get an id derived from the name. */
  ids: Record<string, string>;
}

/**
 * Owner of the Amazon ECS-optimized Linux AMIs.
 *
 * @public
 */
export const AMAZON_ECS_AMI_OWNER = '591542846629';
/**
 * Owner of Amazon's Windows AMIs, ECS-optimized ones included.
 *
 * @public
 */
export const AMAZON_WINDOWS_AMI_OWNER = '801119661308';

const linux = (
  name: string,
  description: string,
  creationDate: string,
  ids: Record<string, string>,
  extra: Partial<EcsOptimizedAmi> = {},
): EcsOptimizedAmi => ({
  name,
  description,
  ownerId: AMAZON_ECS_AMI_OWNER,
  ownerAlias: 'amazon',
  isPublic: true,
  sharedWith: [],
  architecture: 'x86_64',
  platformDetails: 'Linux/UNIX',
  usageOperation: 'RunInstances',
  creationDate,
  deprecationTime: twoYearsAfter(creationDate),
  rootDeviceName: '/dev/xvda',
  volumeSize: 30,
  volumeType: 'gp2',
  state: 'available',
  ids,
  ...extra,
});

function twoYearsAfter(iso: string) {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + 2);
  return d.toISOString();
}

/**
 * The ECS-optimized AMIs of the instance profiles (keys are profile names).
 * Amazon Linux 2 AMIs shipped Docker 18.06, 18.09 and 19.03 before 20.10:
 * `al2-docker19` is one of those (Docker 19.03.13-ce).
 *
 * @public
 */
export const ECS_OPTIMIZED_AMIS: Record<string, EcsOptimizedAmi> = {
  al2023: linux(
    'al2023-ami-ecs-hvm-2023.0.20241115-kernel-6.1-x86_64',
    'Amazon Linux AMI 2023.0.20241115 x86_64 ECS HVM EBS',
    '2024-11-15T21:04:18.000Z',
    {
      'us-east-1': 'ami-0c7a4976cb6e06ff5',
      'eu-west-1': 'ami-0d1e5b4a3c2f70e18',
    },
    { bootMode: 'uefi-preferred', imdsSupport: 'v2.0', volumeType: 'gp3' },
  ),
  al2: linux(
    'amzn2-ami-ecs-hvm-2.0.20240903-x86_64-ebs',
    'Amazon Linux AMI 2.0.20240903 x86_64 ECS HVM GP2',
    '2024-09-04T18:31:52.000Z',
    {
      'us-east-1': 'ami-05cfa0ca0d4e1e6b2',
      'eu-west-1': 'ami-0a8b7c6d5e4f30291',
    },
  ),
  'al2-docker19': linux(
    'amzn2-ami-ecs-hvm-2.0.20210331-x86_64-ebs',
    'Amazon Linux AMI 2.0.20210331 x86_64 ECS HVM GP2',
    '2021-04-01T00:12:44.000Z',
    {
      'us-east-1': 'ami-0ec7896dee795dfa9',
      'eu-west-1': 'ami-01f5c3a8b2d4e6079',
    },
  ),
  al1: linux(
    'amzn-ami-2018.03.20210219-amazon-ecs-optimized',
    'Amazon Linux AMI 2018.03.20210219 x86_64 ECS HVM GP2',
    '2021-02-20T01:22:39.000Z',
    {
      'us-east-1': 'ami-0bb4a9d1f5ec0b4c2',
      'eu-west-1': 'ami-0e4c2a8f6b1d3e957',
    },
    { volumeSize: 8 },
  ),
  // The AWS-managed Bottlerocket image of Amazon ECS Managed Instances (owner as the
  // ECS-optimized AMIs: the publisher of the images ECS launches for Managed Instances is not
  // documented).
  bottlerocket: linux(
    'bottlerocket-aws-ecs-2-x86_64-v1.28.0-9b4a5f2e',
    'bottlerocket-aws-ecs-2-x86_64-v1.28.0-9b4a5f2e',
    '2024-11-20T18:22:41.000Z',
    {
      'us-east-1': 'ami-0e3b5d7f9a1c24680',
      'eu-west-1': 'ami-07a9c1e3b5d2f4068',
    },
    { bootMode: 'uefi-preferred', imdsSupport: 'v2.0', volumeType: 'gp3' },
  ),
  windows2022: {
    ...linux(
      'Windows_Server-2022-English-Core-ECS_Optimized-2024.11.13',
      'Microsoft Windows Server 2022 Core optimized for ECS and provided by Amazon',
      '2024-11-13T19:40:05.000Z',
      {
        'us-east-1': 'ami-0f1e1d2c3b4a59687',
        'eu-west-1': 'ami-0b9a8c7d6e5f41230',
      },
    ),
    ownerId: AMAZON_WINDOWS_AMI_OWNER,
    platform: 'windows',
    platformDetails: 'Windows',
    usageOperation: 'RunInstances:0002',
    rootDeviceName: '/dev/sda1',
  },
};

/** An AMI id in EC2's format: `ami-` and 8 or 17 hexadecimal digits. */
export const AMI_ID_RE = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * The id of a built-in AMI in a region (derived from the name for regions without a fixed one).
 *
 * @public
 */
export function ecsOptimizedAmiId(key: string, region: string): string {
  const entry = ECS_OPTIMIZED_AMIS[key];
  if (!entry) throw new Error(`Unknown ECS-optimized AMI '${key}'`);
  return (
    entry.ids[region] ??
    `ami-0${createHash('sha256')
      .update(`${entry.name}/${region}`)
      .digest('hex')
      .slice(0, 16)}`
  );
}

/** Images by region and id: the built-in ones (in every region asked for) and the added ones. */
export class ImageCatalog {
  private readonly added = new Map<string, Map<string, Ec2Image>>();

  /** Adds (or replaces) an image in its region. */
  add(image: Ec2Image) {
    if (!AMI_ID_RE.test(image.imageId)) {
      throw new Error(`Invalid AMI id '${image.imageId}'`);
    }
    let byId = this.added.get(image.region);
    if (!byId) {
      byId = new Map();
      this.added.set(image.region, byId);
    }
    byId.set(image.imageId, structuredClone(image));
  }

  /** Every image of a region, visible or not. */
  images(region: string): Ec2Image[] {
    const out = new Map<string, Ec2Image>();
    for (const [key, entry] of Object.entries(ECS_OPTIMIZED_AMIS)) {
      const { ids, ...image } = entry;
      void ids;
      const imageId = ecsOptimizedAmiId(key, region);
      out.set(imageId, { ...image, imageId, region });
    }
    for (const image of this.added.get(region)?.values() ?? []) {
      out.set(image.imageId, image);
    }
    return [...out.values()];
  }
}

/**
 * Whether an account can describe an image: public images, its own, and
 * private images shared with it (DescribeImages: "public images, private
 * images that you own, and private images owned by other Amazon Web Services
 * accounts for which you have explicit launch permissions").
 */
export function visibleTo(image: Ec2Image, accountId: string): boolean {
  return (
    image.isPublic ||
    image.ownerId === accountId ||
    image.sharedWith.includes(accountId)
  );
}
