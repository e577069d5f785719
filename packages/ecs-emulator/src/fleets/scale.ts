import { InstanceSpec } from '../model/instances';
import { IdGenerator } from '../model/ids';
import { appTaskDefinition, datadogAgentLinux } from './datadog';
import { DEMO_CREDENTIALS } from './demo';
import { FleetCluster, FleetSpec, FleetTaskDefinition } from './spec';

export const SCALE_REGIONS = ['us-east-1', 'eu-west-1'];

/**
 * `scale:<clusters>x<instances>`: clusters spread round-robin over the two demo
 * accounts × two regions; each has a DAEMON agent, two app services and a
 * deterministic ~3% of t3.nano instances too small for the agent (uncovered).
 */
export function scaleFleet(
  clusters: number,
  instancesPerCluster: number,
): FleetSpec {
  const accounts = DEMO_CREDENTIALS.map(c => c.accountId);
  const combos = accounts.flatMap(a =>
    SCALE_REGIONS.map(r => ({ accountId: a, region: r })),
  );
  const taskDefinitions: FleetTaskDefinition[] = [];
  for (const { accountId, region } of combos) {
    taskDefinitions.push(
      {
        accountId,
        region,
        taskDefinition: datadogAgentLinux({ accountId, region }),
      },
      {
        accountId,
        region,
        taskDefinition: appTaskDefinition({
          family: 'api',
          image: 'nginx:1.27',
          cpu: 128,
          memory: 256,
          port: 80,
        }),
      },
      {
        accountId,
        region,
        taskDefinition: appTaskDefinition({
          family: 'worker',
          image: 'busybox:1.36',
          cpu: 128,
          memory: 256,
        }),
      },
    );
  }
  const width = Math.max(4, String(clusters).length);
  const out: FleetCluster[] = [];
  const seed = `scale:${clusters}x${instancesPerCluster}`;
  for (let i = 0; i < clusters; i++) {
    const { accountId, region } = combos[i % combos.length];
    const name = `scale-${String(i + 1).padStart(width, '0')}`;
    let small = 0;
    for (let j = 0; j < instancesPerCluster; j++) {
      if (IdGenerator.fraction(seed, `${name}/${j}`) < 0.03) small++;
    }
    const instances: InstanceSpec[] = [
      {
        count: instancesPerCluster - small,
        profile: 'al2023',
        instanceType: 'm5.large',
      },
    ];
    if (small > 0)
      instances.push({
        count: small,
        profile: 'al2023',
        instanceType: 't3.nano',
      });
    out.push({
      accountId,
      region,
      name,
      tags: [{ key: 'fleet', value: 'scale' }],
      instances,
      services: [
        {
          serviceName: 'datadog-agent',
          taskDefinition: 'datadog-agent-task:1',
          schedulingStrategy: 'DAEMON',
          launchType: 'EC2',
        },
        {
          serviceName: 'api',
          taskDefinition: 'api:1',
          desiredCount: Math.ceil(instancesPerCluster / 2),
          launchType: 'EC2',
        },
        {
          serviceName: 'worker',
          taskDefinition: 'worker:1',
          desiredCount: Math.ceil(instancesPerCluster / 4),
          launchType: 'EC2',
        },
      ],
    });
  }
  return {
    name: seed,
    accounts: DEMO_CREDENTIALS.map(c => ({
      accountId: c.accountId,
      accessKeys: [
        { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey },
      ],
    })),
    taskDefinitions,
    clusters: out,
  };
}
