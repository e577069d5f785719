import {
  DEMO_ACCOUNTS,
  DEMO_CREDENTIALS,
  DEMO_GOLDEN_AMI,
  DEMO_READONLY_CREDENTIALS,
  READONLY_ACTIONS,
} from './demoAccounts';
import { demoDaemonTaskDefinitions, demoManagedClusters } from './demoManaged';
import { demoTaskDefinitions } from './demoTaskDefinitions';
import { FleetSpec } from './spec';

export {
  DEMO_ACCOUNTS,
  DEMO_CREDENTIALS,
  DEMO_GOLDEN_AMI,
  DEMO_GOLDEN_AMI_OWNER,
  DEMO_READONLY_CREDENTIALS,
} from './demoAccounts';

const P = DEMO_ACCOUNTS.prod;
const S = DEMO_ACCOUNTS.staging;

const subnets = (region: string) => ({
  awsvpcConfiguration: {
    subnets: [
      `subnet-0${region === 'us-east-1' ? 'a1' : 'b2'}00000000000001`,
      `subnet-0${region === 'us-east-1' ? 'a1' : 'b2'}00000000000002`,
    ],
    securityGroups: ['sg-0c0ffee0000000001'],
    assignPublicIp: 'DISABLED',
  },
});

/**
 * The demo fleet: 2 accounts × 2 regions, 13 clusters (16 with `managed`), one story each.
 *
 * @public
 */
export function demoFleet(
  options: {
    /**
     * Also the Managed Instances clusters (staging-managed, prod-managed, prod-mixed): fleet
     * `demo+managed`. Off in `demo` until the portal inventories managed daemons (issue 14).
     */
    managed?: boolean;
  } = {},
): FleetSpec {
  const prodTags = (cluster: string) => [
    { key: 'env', value: 'prod' },
    { key: 'cluster', value: cluster },
  ];
  const stagingTags = (cluster: string) => [
    { key: 'env', value: 'staging' },
    { key: 'cluster', value: cluster },
  ];
  return {
    name: 'demo',
    accounts: [
      {
        accountId: P,
        accessKeys: [
          {
            accessKeyId: DEMO_CREDENTIALS[0].accessKeyId,
            secretAccessKey: DEMO_CREDENTIALS[0].secretAccessKey,
          },
          {
            accessKeyId: DEMO_READONLY_CREDENTIALS[0].accessKeyId,
            secretAccessKey: DEMO_READONLY_CREDENTIALS[0].secretAccessKey,
            principal: 'readonly',
            allowedActions: READONLY_ACTIONS,
          },
        ],
      },
      {
        accountId: S,
        accessKeys: [
          {
            accessKeyId: DEMO_CREDENTIALS[1].accessKeyId,
            secretAccessKey: DEMO_CREDENTIALS[1].secretAccessKey,
          },
          {
            accessKeyId: DEMO_READONLY_CREDENTIALS[1].accessKeyId,
            secretAccessKey: DEMO_READONLY_CREDENTIALS[1].secretAccessKey,
            principal: 'readonly',
            allowedActions: READONLY_ACTIONS,
          },
        ],
      },
    ],
    taskDefinitions: demoTaskDefinitions(),
    daemonTaskDefinitions: options.managed ? demoDaemonTaskDefinitions() : [],
    images: [DEMO_GOLDEN_AMI],
    clusters: [
      {
        accountId: P,
        region: 'us-east-1',
        name: 'prod-web',
        // Owned by the storefront team (the portal reads the `owner` tag); the others by config.
        tags: [...prodTags('prod-web'), { key: 'owner', value: 'storefront' }],
        settings: [{ name: 'containerInsights', value: 'enabled' }],
        instances: [{ count: 4, profile: 'al2023', instanceType: 'm5.large' }],
        services: [
          {
            serviceName: 'datadog-agent',
            taskDefinition: 'datadog-agent-task:1',
            schedulingStrategy: 'DAEMON',
            launchType: 'EC2',
          },
          {
            serviceName: 'checkout-api',
            taskDefinition: 'checkout-api:1',
            desiredCount: 4,
            launchType: 'EC2',
            tags: [{ key: 'service', value: 'checkout-api' }],
          },
          {
            serviceName: 'storefront',
            taskDefinition: 'storefront:1',
            desiredCount: 3,
            launchType: 'EC2',
            tags: [{ key: 'service', value: 'storefront' }],
          },
        ],
      },
      {
        accountId: P,
        region: 'us-east-1',
        name: 'prod-batch',
        tags: prodTags('prod-batch'),
        instances: [
          { count: 3, profile: 'al2023', instanceType: 't3.small' },
          { count: 2, profile: 'al2023', instanceType: 'm5.large' },
        ],
        services: [
          {
            serviceName: 'batch-worker',
            taskDefinition: 'batch-worker:1',
            desiredCount: 6,
            launchType: 'EC2',
            placementStrategy: [{ type: 'binpack', field: 'memory' }],
          },
          {
            serviceName: 'datadog-agent',
            taskDefinition: 'datadog-agent-task:1',
            schedulingStrategy: 'DAEMON',
            launchType: 'EC2',
          },
        ],
      },
      {
        accountId: P,
        region: 'eu-west-1',
        name: 'prod-eu-payments',
        tags: [
          ...prodTags('prod-eu-payments'),
          { key: 'owner', value: 'payments' },
          { key: 'system', value: 'payments' },
        ],
        instances: [{ count: 3, profile: 'al2023', instanceType: 'm5.large' }],
        services: [
          {
            serviceName: 'payments-api',
            taskDefinition: 'payments-api:1',
            desiredCount: 3,
            launchType: 'EC2',
          },
        ],
      },
      {
        accountId: P,
        region: 'eu-west-1',
        name: 'prod-eu-legacy',
        tags: [
          ...prodTags('prod-eu-legacy'),
          { key: 'owner', value: 'payments' },
        ],
        instances: [
          { count: 2, profile: 'al1', instanceType: 'm5.large' },
          {
            count: 1,
            profile: 'al1',
            instanceType: 'm5.large',
            status: 'DRAINING',
          },
          {
            count: 1,
            profile: 'al1',
            instanceType: 'm5.large',
            agentConnected: false,
          },
        ],
        services: [
          {
            serviceName: 'datadog-agent',
            taskDefinition: 'datadog-agent-task:1',
            schedulingStrategy: 'DAEMON',
            launchType: 'EC2',
          },
          {
            serviceName: 'legacy-reports',
            taskDefinition: 'legacy-reports:1',
            desiredCount: 2,
            launchType: 'EC2',
          },
        ],
      },
      {
        accountId: S,
        region: 'us-east-1',
        name: 'staging-replica',
        tags: stagingTags('staging-replica'),
        instances: [{ count: 3, profile: 'al2023', instanceType: 'm5.large' }],
        services: [
          {
            serviceName: 'datadog-agent',
            taskDefinition: 'datadog-agent-task:1',
            desiredCount: 2,
            launchType: 'EC2',
            placementConstraints: [{ type: 'distinctInstance' }],
          },
          {
            serviceName: 'search-api',
            taskDefinition: 'search-api:1',
            desiredCount: 3,
            launchType: 'EC2',
          },
        ],
      },
      {
        accountId: S,
        region: 'us-east-1',
        name: 'staging-misconfigured',
        tags: stagingTags('staging-misconfigured'),
        instances: [{ count: 3, profile: 'al2023', instanceType: 'm5.large' }],
        services: [
          {
            serviceName: 'datadog-agent',
            taskDefinition: 'datadog-agent-staging:1',
            schedulingStrategy: 'DAEMON',
            launchType: 'EC2',
            networkConfiguration: subnets('us-east-1'),
          },
          {
            serviceName: 'notifications',
            taskDefinition: 'notifications:1',
            desiredCount: 2,
            launchType: 'EC2',
          },
        ],
      },
      {
        accountId: S,
        region: 'eu-west-1',
        name: 'staging-windows',
        tags: stagingTags('staging-windows'),
        instances: [
          { count: 2, profile: 'windows2022', instanceType: 'm5.xlarge' },
        ],
        services: [
          {
            serviceName: 'datadog-agent',
            taskDefinition: 'datadog-agent-task-windows:1',
            schedulingStrategy: 'DAEMON',
            launchType: 'EC2',
          },
          {
            serviceName: 'dotnet-api',
            taskDefinition: 'dotnet-api:1',
            desiredCount: 2,
            launchType: 'EC2',
          },
        ],
      },
      {
        accountId: S,
        region: 'eu-west-1',
        name: 'edge-anywhere',
        tags: stagingTags('edge-anywhere'),
        instances: [{ count: 3, profile: 'external' }],
        services: [
          {
            serviceName: 'datadog-agent',
            taskDefinition: 'datadog-agent-task-external:1',
            schedulingStrategy: 'DAEMON',
            launchType: 'EXTERNAL',
          },
        ],
      },
      {
        accountId: S,
        region: 'us-east-1',
        name: 'staging-fargate',
        tags: stagingTags('staging-fargate'),
        services: [
          {
            serviceName: 'web-frontend',
            taskDefinition: 'web-frontend:1',
            desiredCount: 2,
            launchType: 'FARGATE',
            networkConfiguration: subnets('us-east-1'),
          },
        ],
      },
      {
        accountId: P,
        region: 'us-east-1',
        name: 'sandbox',
        tags: [{ key: 'env', value: 'sandbox' }],
        instances: [{ count: 2, profile: 'al2023', instanceType: 'm5.large' }],
        unpullableImages: ['public.ecr.aws/datadog/agent:*', 'datadog/agent:*'],
      },
      {
        // The Agent runs as standalone tasks: each instance's user data calls StartTask (group
        // family:datadog-agent-task, startedBy the container instance id), no Agent service.
        accountId: S,
        region: 'eu-west-1',
        name: 'staging-standalone',
        tags: stagingTags('staging-standalone'),
        instances: [{ count: 3, profile: 'al2023', instanceType: 'm5.large' }],
        startTasks: [{ taskDefinition: 'datadog-agent-task:1' }],
        services: [
          {
            serviceName: 'events-worker',
            taskDefinition: 'events-worker:1',
            desiredCount: 3,
            launchType: 'EC2',
          },
        ],
      },
      {
        // Amazon Linux 2 on a 2021 ECS-optimized AMI whose Docker is 19.03 (like Amazon Linux 1's):
        // only the AMI tells the generation. Agent DAEMON on the current revision: full coverage.
        accountId: P,
        region: 'eu-west-1',
        name: 'prod-al2-docker19',
        tags: prodTags('prod-al2-docker19'),
        instances: [
          { count: 3, profile: 'al2-docker19', instanceType: 'm5.large' },
        ],
        services: [
          {
            serviceName: 'datadog-agent',
            taskDefinition: 'datadog-agent-task:2',
            schedulingStrategy: 'DAEMON',
            launchType: 'EC2',
          },
          {
            serviceName: 'ledger-api',
            taskDefinition: 'ledger-api:1',
            desiredCount: 3,
            launchType: 'EC2',
          },
        ],
      },
      {
        // Linux instances on a private golden AMI the account cannot describe: the Amazon Linux
        // generation is unknown (DescribeImages answers InvalidAMIID.NotFound). Agent DAEMON.
        accountId: S,
        region: 'us-east-1',
        name: 'staging-custom-ami',
        tags: stagingTags('staging-custom-ami'),
        instances: [
          {
            count: 3,
            profile: 'al2',
            instanceType: 'm5.large',
            amiId: DEMO_GOLDEN_AMI.imageId,
          },
        ],
        services: [
          {
            serviceName: 'datadog-agent',
            taskDefinition: 'datadog-agent-task:1',
            schedulingStrategy: 'DAEMON',
            launchType: 'EC2',
          },
          {
            serviceName: 'image-resizer',
            taskDefinition: 'image-resizer:1',
            desiredCount: 3,
            launchType: 'EC2',
          },
        ],
      },
      // Amazon ECS Managed Instances (fleets/demoManaged.ts), in `demo+managed` only.
      ...(options.managed ? demoManagedClusters() : []),
    ],
  };
}
