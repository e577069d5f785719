import {
  appTaskDefinition,
  datadogAgentExternal,
  datadogAgentLegacy,
  datadogAgentLinux,
  datadogAgentMisconfigured,
  datadogAgentWindows,
} from './datadog';
import { DEMO_ACCOUNTS } from './demoAccounts';
import { FleetTaskDefinition } from './spec';

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

/**
 * The demo fleet's task definitions, by account and region (registered in
 * this order: revisions and registration times follow it).
 */
export function demoTaskDefinitions(): FleetTaskDefinition[] {
  return [
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
    // Added after the first ten clusters (kept last so earlier registrations keep their times).
    td(
      S,
      'eu-west-1',
      datadogAgentLinux({ accountId: S, region: 'eu-west-1' }),
    ),
    td(
      S,
      'eu-west-1',
      appTaskDefinition({
        family: 'events-worker',
        image: `${S}.dkr.ecr.eu-west-1.amazonaws.com/events-worker:1.8.4`,
        cpu: 256,
        memory: 512,
      }),
    ),
    td(
      P,
      'eu-west-1',
      appTaskDefinition({
        family: 'ledger-api',
        image: `${P}.dkr.ecr.eu-west-1.amazonaws.com/ledger-api:3.1.0`,
        cpu: 256,
        memory: 768,
        port: 8080,
        environment: ddTrace('ledger-api', 'prod', '3.1.0'),
      }),
    ),
    td(
      S,
      'us-east-1',
      appTaskDefinition({
        family: 'image-resizer',
        image: `${S}.dkr.ecr.us-east-1.amazonaws.com/image-resizer:2.3.0`,
        cpu: 256,
        memory: 512,
      }),
    ),
  ];
}
