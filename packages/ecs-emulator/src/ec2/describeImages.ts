import { createHash } from 'node:crypto';
import { AMI_ID_RE, Ec2Image, ImageCatalog, visibleTo } from './catalog';
import { ec2Errors } from './errors';
import {
  QueryFilter,
  QueryParams,
  queryFilters,
  queryList,
  XmlValue,
} from './query';

// DescribeImages as the EC2 API reference describes it:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html

export interface Ec2Context {
  accountId: string;
  region: string;
  /** Simulated time (epoch ms), for deprecation. */
  now: number;
  images: ImageCatalog;
}

const MAX_RESULTS = { min: 5, max: 1000 };
const OWNER_ALIASES = ['amazon', 'aws-marketplace', 'aws-backup-vault'];
const ACCOUNT_RE = /^\d{12}$/;

/** The filters DescribeImages supports here, by name (values compared as text, `*` and `?` wildcards). */
const FILTERS: Record<string, (i: Ec2Image) => string | undefined> = {
  architecture: i => i.architecture,
  'boot-mode': i => i.bootMode,
  'creation-date': i => i.creationDate,
  'deprecation-time': i => i.deprecationTime,
  description: i => i.description,
  hypervisor: () => 'xen',
  'image-id': i => i.imageId,
  'image-type': () => 'machine',
  'imds-support': i => i.imdsSupport,
  'is-public': i => String(i.isPublic),
  name: i => i.name,
  'owner-alias': i => i.ownerAlias,
  'owner-id': i => i.ownerId,
  platform: i => i.platform,
  'platform-details': i => i.platformDetails,
  'root-device-name': i => i.rootDeviceName,
  'root-device-type': () => 'ebs',
  state: i => i.state,
  'usage-operation': i => i.usageOperation,
  'virtualization-type': () => 'hvm',
};

function wildcard(pattern: string): RegExp {
  const re = pattern
    .split('')
    .map(c => {
      if (c === '*') return '.*';
      if (c === '?') return '.';
      return c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${re}$`);
}

function matchesFilters(image: Ec2Image, filters: QueryFilter[]) {
  return filters.every(f => {
    const actual = FILTERS[f.name](image);
    return actual !== undefined && f.values.some(v => wildcard(v).test(actual));
  });
}

function matchesOwners(image: Ec2Image, owners: string[], accountId: string) {
  if (owners.length === 0) return true;
  return owners.some(o => {
    if (o === 'self') return image.ownerId === accountId;
    if (OWNER_ALIASES.includes(o)) return image.ownerAlias === o;
    return image.ownerId === o;
  });
}

function matchesExecutableBy(
  image: Ec2Image,
  users: string[],
  accountId: string,
) {
  if (users.length === 0) return true;
  return users.some(u => {
    if (u === 'all') return image.isPublic;
    const account = u === 'self' ? accountId : u;
    return image.ownerId === account || image.sharedWith.includes(account);
  });
}

function checkAccounts(values: string[], allowed: string[]) {
  for (const v of values) {
    if (!allowed.includes(v) && !ACCOUNT_RE.test(v)) {
      throw ec2Errors.userIdMalformed(v);
    }
  }
}

function pageOf(
  images: Ec2Image[],
  params: QueryParams,
  byIds: boolean,
): { page: Ec2Image[]; nextToken?: string } {
  const rawMax = params.get('MaxResults');
  const rawToken = params.get('NextToken');
  if (rawMax === undefined && !rawToken) return { page: images };
  if (byIds && rawMax !== undefined) {
    throw ec2Errors.invalidParameterCombination(
      'The parameter imageIdsSet cannot be used with the parameter maxResults',
    );
  }
  const max = rawMax === undefined ? MAX_RESULTS.max : Number(rawMax);
  if (
    !Number.isInteger(max) ||
    max < MAX_RESULTS.min ||
    max > MAX_RESULTS.max
  ) {
    throw ec2Errors.invalidParameterValue(
      `Value ( ${rawMax} ) for parameter maxResults is invalid. Expecting a value between ${MAX_RESULTS.min} and ${MAX_RESULTS.max}.`,
    );
  }
  let offset = 0;
  if (rawToken) {
    try {
      const decoded = JSON.parse(
        Buffer.from(rawToken, 'base64url').toString('utf8'),
      );
      offset = Number(decoded.o);
      if (!Number.isInteger(offset) || offset < 0) throw new Error('bad');
    } catch {
      throw ec2Errors.invalidPaginationToken(rawToken);
    }
  }
  const next = offset + max;
  return {
    page: images.slice(offset, next),
    nextToken:
      next < images.length
        ? Buffer.from(JSON.stringify({ o: next }), 'utf8').toString('base64url')
        : undefined,
  };
}

/** One `<item>` of `imagesSet`, with EC2's element names. */
export function serializeImage(i: Ec2Image): XmlValue {
  const snapshot = createHash('sha256')
    .update(`${i.region}/${i.imageId}`)
    .digest('hex')
    .slice(0, 17);
  return {
    imageId: i.imageId,
    imageLocation: `${i.ownerAlias ?? i.ownerId}/${i.name}`,
    imageState: i.state,
    imageOwnerId: i.ownerId,
    creationDate: i.creationDate,
    isPublic: i.isPublic,
    architecture: i.architecture,
    imageType: 'machine',
    platform: i.platform,
    platformDetails: i.platformDetails,
    usageOperation: i.usageOperation,
    imageOwnerAlias: i.ownerAlias,
    name: i.name,
    description: i.description,
    rootDeviceType: 'ebs',
    rootDeviceName: i.rootDeviceName,
    blockDeviceMapping: [
      {
        deviceName: i.rootDeviceName,
        ebs: {
          snapshotId: `snap-${snapshot}`,
          volumeSize: i.volumeSize,
          deleteOnTermination: true,
          volumeType: i.volumeType,
          encrypted: false,
        },
      },
    ],
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    enaSupport: true,
    sriovNetSupport: 'simple',
    bootMode: i.bootMode,
    deprecationTime: i.deprecationTime,
    imdsSupport: i.imdsSupport,
  };
}

/**
 * The images the caller may see, by `ImageId.N` (each must exist and be
 * visible, else InvalidAMIID.NotFound naming the missing ones) or by owners,
 * launch permissions and filters. Deprecated AMIs are left out unless asked
 * for by id or with `IncludeDeprecated`.
 */
export function describeImages(
  ctx: Ec2Context,
  params: QueryParams,
): Record<string, XmlValue> {
  const ids = queryList(params, 'ImageId');
  const owners = queryList(params, 'Owner');
  const executableBy = queryList(params, 'ExecutableBy');
  const filters = queryFilters(params);
  for (const id of ids) {
    if (!AMI_ID_RE.test(id)) throw ec2Errors.amiMalformed(id);
  }
  checkAccounts(owners, ['self', ...OWNER_ALIASES]);
  checkAccounts(executableBy, ['self', 'all']);
  for (const f of filters) {
    if (!FILTERS[f.name]) throw ec2Errors.invalidFilter(f.name);
  }
  const visible = ctx.images
    .images(ctx.region)
    .filter(i => visibleTo(i, ctx.accountId));
  let images: Ec2Image[];
  if (ids.length) {
    const byId = new Map(visible.map(i => [i.imageId, i]));
    const unique = [...new Set(ids)];
    const notFound = unique.filter(id => !byId.has(id));
    if (notFound.length) throw ec2Errors.amiNotFound(notFound);
    images = unique.map(id => byId.get(id)!);
  } else {
    const includeDeprecated = params.get('IncludeDeprecated') === 'true';
    images = visible.filter(
      i =>
        includeDeprecated ||
        !i.deprecationTime ||
        Date.parse(i.deprecationTime) > ctx.now,
    );
  }
  images = images.filter(
    i =>
      matchesOwners(i, owners, ctx.accountId) &&
      matchesExecutableBy(i, executableBy, ctx.accountId) &&
      matchesFilters(i, filters),
  );
  const { page, nextToken } = pageOf(images, params, ids.length > 0);
  return { imagesSet: page.map(serializeImage), nextToken };
}
