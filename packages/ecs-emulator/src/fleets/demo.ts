import {
  appTaskDefinition,
  datadogAgentExternal,
  datadogAgentLegacy,
  datadogAgentLinux,
  datadogAgentMisconfigured,
  datadogAgentWindows,
} from './datadog';
import { FleetSpec, FleetTaskDefinition } from './spec';

export const DEMO_ACCOUNTS = {
  prod: '111111111111',
  staging: '222222222222',
} as const;

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

/** Read-only keys (Describe and List only) to exercise AccessDeniedException. */
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

const P = DEMO_ACCOUNTS.prod;
const S = DEMO_ACCOUNTS.staging;

function td(
  accountId: string,
  region: string,
  taskDefinition: FleetTaskDefinition['taskDefinition'],
): FleetTaskDefinition {
  return { accountId, region, taskDefinition };
}

const ddTrace = (service: string, env: string, version: string) => [
  { name: 'DD_SERVICE', value: service },
  { name: 'DD_ENV', value: env },
  { name: 'DD_VERSION', value: version },
];

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

/** The demo fleet: 2 accounts × 2 regions, 10 clusters, one story each. */
export function demoFleet(): FleetSpec {
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
            allowedActions: ['ecs:Describe*', 'ecs:List*'],
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
            allowedActions: ['ecs:Describe*', 'ecs:List*'],
          },
        ],
      },
    ],
    taskDefinitions: [
      // 111111111111 / us-east-1
      td(
        P,
        'us-east-1',
        datadogAgentLinux({ accountId: P, region: 'us-east-1' }),
      ),
      td(
        P,
        'us-east-1',
        appTaskDefinition({
          family: 'checkout-api',
          image: `${P}.dkr.ecr.us-east-1.amazonaws.com/checkout-api:1.14.2`,
          cpu: 256,
          memory: 1024,
          port: 8080,
          environment: [
            // The docker0 bridge gateway reaches the agent's host ports in bridge mode.
            { name: 'DD_AGENT_HOST', value: '172.17.0.1' },
            { name: 'DD_TRACE_AGENT_PORT', value: '8126' },
            { name: 'DD_DOGSTATSD_PORT', value: '8125' },
            ...ddTrace('checkout-api', 'prod', '1.14.2'),
          ],
        }),
      ),
      td(
        P,
        'us-east-1',
        appTaskDefinition({
          family: 'storefront',
          image: `${P}.dkr.ecr.us-east-1.amazonaws.com/storefront:3.2.0`,
          cpu: 256,
          memory: 512,
          port: 3000,
          environment: ddTrace('storefront', 'prod', '3.2.0'),
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/ecs/storefront',
              'awslogs-region': 'us-east-1',
              'awslogs-stream-prefix': 'storefront',
            },
          },
        }),
      ),
      td(
        P,
        'us-east-1',
        appTaskDefinition({
          family: 'batch-worker',
          image: `${P}.dkr.ecr.us-east-1.amazonaws.com/batch-worker:2024.12.1`,
          cpu: 512,
          memory: 900,
        }),
      ),
      // 111111111111 / eu-west-1
      td(
        P,
        'eu-west-1',
        datadogAgentLegacy({ accountId: P, region: 'eu-west-1' }),
      ),
      td(
        P,
        'eu-west-1',
        datadogAgentLinux({ accountId: P, region: 'eu-west-1' }),
      ),
      td(
        P,
        'eu-west-1',
        appTaskDefinition({
          family: 'payments-api',
          image: `${P}.dkr.ecr.eu-west-1.amazonaws.com/payments-api:5.0.3`,
          cpu: 512,
          memory: 1024,
          port: 8443,
          environment: ddTrace('payments-api', 'prod', '5.0.3'),
        }),
      ),
      td(
        P,
        'eu-west-1',
        appTaskDefinition({
          family: 'legacy-reports',
          image: `${P}.dkr.ecr.eu-west-1.amazonaws.com/legacy-reports:0.9.7`,
          cpu: 256,
          memory: 768,
        }),
      ),
      // 222222222222 / us-east-1
      td(
        S,
        'us-east-1',
        datadogAgentLinux({ accountId: S, region: 'us-east-1' }),
      ),
      td(
        S,
        'us-east-1',
        datadogAgentMisconfigured({ accountId: S, region: 'us-east-1' }),
      ),
      td(
        S,
        'us-east-1',
        appTaskDefinition({
          family: 'search-api',
          image: `${S}.dkr.ecr.us-east-1.amazonaws.com/search-api:0.31.0`,
          cpu: 512,
          memory: 1024,
          port: 9200,
          environment: ddTrace('search-api', 'staging', '0.31.0'),
        }),
      ),
      td(
        S,
        'us-east-1',
        appTaskDefinition({
          family: 'notifications',
          image: `${S}.dkr.ecr.us-east-1.amazonaws.com/notifications:1.2.0`,
          cpu: 256,
          memory: 512,
        }),
      ),
      td(
        S,
        'us-east-1',
        appTaskDefinition({
          family: 'web-frontend',
          image: `${S}.dkr.ecr.us-east-1.amazonaws.com/web-frontend:4.7.1`,
          cpu: 512,
          memory: 1024,
          port: 80,
          fargate: true,
        }),
      ),
      // 222222222222 / eu-west-1
      td(
        S,
        'eu-west-1',
        datadogAgentWindows({ accountId: S, region: 'eu-west-1' }),
      ),
      td(
        S,
        'eu-west-1',
        datadogAgentExternal({ accountId: S, region: 'eu-west-1' }),
      ),
      td(
        S,
        'eu-west-1',
        appTaskDefinition({
          family: 'dotnet-api',
          image: `${S}.dkr.ecr.eu-west-1.amazonaws.com/dotnet-api:8.0.11-ltsc2022`,
          cpu: 1024,
          memory: 2048,
          port: 5000,
          runtimePlatform: {
            operatingSystemFamily: 'WINDOWS_SERVER_2022_CORE',
            cpuArchitecture: 'X86_64',
          },
        }),
      ),
    ],
    clusters: [
      {
        accountId: P,
        region: 'us-east-1',
        name: 'prod-web',
        tags: prodTags('prod-web'),
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
        tags: prodTags('prod-eu-payments'),
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
        tags: prodTags('prod-eu-legacy'),
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
    ],
  };
}
