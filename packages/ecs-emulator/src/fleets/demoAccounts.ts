// The demo fleet's accounts, access keys and the golden AMI of staging-custom-ami.

/** @public */
export const DEMO_ACCOUNTS = {
  prod: '111111111111',
  staging: '222222222222',
} as const;

/** @public */
export const DEMO_CREDENTIALS = [
  {
    accountId: '111111111111',
    accessKeyId: 'AKIAEMULATOR111111111',
    secretAccessKey: 'emulator-secret-111',
  },
  {
    accountId: '222222222222',
    accessKeyId: 'AKIAEMULATOR222222222',
    secretAccessKey: 'emulator-secret-222',
  },
] as const;

/**
 * Read-only keys (Describe and List only) to exercise AccessDeniedException.
 *
 * @public
 */
export const DEMO_READONLY_CREDENTIALS = [
  {
    accountId: '111111111111',
    accessKeyId: 'AKIAEMULATORREADONLY1',
    secretAccessKey: 'emulator-readonly-111',
  },
  {
    accountId: '222222222222',
    accessKeyId: 'AKIAEMULATORREADONLY2',
    secretAccessKey: 'emulator-readonly-222',
  },
] as const;

/** What the read-only keys may call: ECS reads, and EC2 DescribeImages (the AMIs of the instances). */
export const READONLY_ACTIONS = [
  'ecs:Describe*',
  'ecs:List*',
  'ec2:DescribeImages',
];

/**
 * The account of the "shared services" team that builds the golden AMI of
 * `staging-custom-ami`. The AMI is private and no longer shared with the
 * staging account (its launch permission was removed after the instances
 * launched), so DescribeImages answers InvalidAMIID.NotFound for it.
 *
 * @public
 */
export const DEMO_GOLDEN_AMI_OWNER = '444444444444';
/**
 * The golden AMI `staging-custom-ami` boots from (222222222222 / us-east-1).
 *
 * @public
 */
export const DEMO_GOLDEN_AMI = {
  region: 'us-east-1',
  imageId: 'ami-0ac3e9a1d2b4c5f67',
  name: 'acme-golden-ecs-2024.10',
  description: 'ACME golden image for ECS (hardened, CIS level 1)',
  ownerId: DEMO_GOLDEN_AMI_OWNER,
  isPublic: false,
  sharedWith: [] as string[],
  creationDate: '2024-10-07T09:12:00.000Z',
};
