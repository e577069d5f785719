import { datadogAgentManagedDaemon } from './datadogManaged';
import { DEMO_ACCOUNTS } from './demoAccounts';
import {
  FleetCapacityProvider,
  FleetCluster,
  FleetDaemonTaskDefinition,
} from './spec';

// The demo's Amazon ECS Managed Instances clusters: one without the Agent, one whose managed
// daemon runs an Agent older than 7.77 (the first version Datadog documents for Managed
// Instances), and one mixing an Auto Scaling group (Agent as a DAEMON service) with Managed
// Instances (Agent as a managed daemon).

const P = DEMO_ACCOUNTS.prod;
const S = DEMO_ACCOUNTS.staging;

/** A Managed Instances capacity provider of the demo (CreateCapacityProvider without `cluster`). */
function managedInstances(
  accountId: string,
  region: string,
  name: string,
): FleetCapacityProvider {
  const subnet = region === 'us-east-1' ? 'a1' : 'b2';
  return {
    name,
    managedInstancesProvider: {
      infrastructureRoleArn: `arn:aws:iam::${accountId}:role/ecsInfrastructureRole`,
      instanceLaunchTemplate: {
        ec2InstanceProfileArn: `arn:aws:iam::${accountId}:instance-profile/ecsInstanceRole`,
        networkConfiguration: {
          subnets: [
            `subnet-0${subnet}00000000000001`,
            `subnet-0${subnet}00000000000002`,
          ],
          securityGroups: ['sg-0c0ffee0000000001'],
        },
        instanceRequirements: {
          vCpuCount: { min: 2, max: 4 },
          memoryMiB: { min: 4096 },
          allowedInstanceTypes: ['m6i.large', 'm5.xlarge'],
        },
      },
      propagateTags: 'CAPACITY_PROVIDER',
    },
    tags: [{ key: 'capacity', value: 'managed-instances' }],
  };
}

/** The daemon task definitions of the demo, by account and region. */
export function demoDaemonTaskDefinitions(): FleetDaemonTaskDefinition[] {
  const td = (accountId: string, region: string, image: string) => ({
    accountId,
    region,
    daemonTaskDefinition: datadogAgentManagedDaemon({
      accountId,
      region,
      image,
    }),
  });
  return [
    // prod-managed: Agent 7.65.0, older than the 7.77.0 Managed Instances need.
    td(P, 'us-east-1', 'public.ecr.aws/datadog/agent:7.65.0'),
    // prod-mixed: a current Agent.
    td(P, 'eu-west-1', 'public.ecr.aws/datadog/agent:7.78.0'),
  ];
}

const tags = (env: string, cluster: string) => [
  { key: 'env', value: env },
  { key: 'cluster', value: cluster },
];

const mi = (
  count: number,
  capacityProviderName: string,
  instanceType = 'm6i.large',
) => ({
  count,
  profile: 'managed-instances' as const,
  instanceType,
  capacityProviderName,
});

export function demoManagedClusters(): FleetCluster[] {
  return [
    {
      // Managed Instances without the Agent: the managed-daemon rollout target (0 → 100%).
      accountId: S,
      region: 'us-east-1',
      name: 'staging-managed',
      tags: tags('staging', 'staging-managed'),
      capacityProviders: [
        managedInstances(S, 'us-east-1', 'staging-managed-mi'),
      ],
      instances: [mi(3, 'staging-managed-mi')],
    },
    {
      // Managed Instances whose daemon runs Agent 7.65.0 (older than 7.77): covered, outdated.
      accountId: P,
      region: 'us-east-1',
      name: 'prod-managed',
      tags: tags('prod', 'prod-managed'),
      capacityProviders: [managedInstances(P, 'us-east-1', 'prod-managed-mi')],
      instances: [
        mi(3, 'prod-managed-mi'),
        mi(1, 'prod-managed-mi', 'm5.xlarge'),
      ],
      daemons: [
        {
          daemonName: 'datadog-agent',
          daemonTaskDefinitionArn: 'datadog-agent-daemon:1',
          capacityProviderArns: ['prod-managed-mi'],
          tags: [{ key: 'team', value: 'observability' }],
        },
      ],
    },
    {
      // An Auto Scaling group with the Agent as a DAEMON service, and Managed Instances with the
      // Agent as a managed daemon (non-critical).
      accountId: P,
      region: 'eu-west-1',
      name: 'prod-mixed',
      tags: tags('prod', 'prod-mixed'),
      capacityProviders: [
        {
          name: 'prod-mixed-asg',
          autoScalingGroupProvider: {
            autoScalingGroupArn: `arn:aws:autoscaling:eu-west-1:${P}:autoScalingGroup:7c1e0d3a-5b2f-4e8a-9c6d-1f2e3a4b5c6d:autoScalingGroupName/prod-mixed-asg`,
            managedTerminationProtection: 'DISABLED',
          },
        },
        managedInstances(P, 'eu-west-1', 'prod-mixed-mi'),
      ],
      instances: [
        {
          count: 2,
          profile: 'al2023',
          instanceType: 'm5.large',
          capacityProviderName: 'prod-mixed-asg',
        },
        mi(3, 'prod-mixed-mi'),
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
          desiredCount: 2,
          launchType: 'EC2',
        },
      ],
      daemons: [
        {
          daemonName: 'datadog-agent',
          daemonTaskDefinitionArn: 'datadog-agent-daemon:1',
          capacityProviderArns: ['prod-mixed-mi'],
          critical: false,
          deploymentConfiguration: { drainPercent: 50, bakeTimeInMinutes: 2 },
        },
      ],
    },
  ];
}
