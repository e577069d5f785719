import { InstanceSpec } from '../model/instances';
import { IdGenerator } from '../model/ids';
import { appTaskDefinition, datadogAgentLinux } from './datadog';
import { DEMO_CREDENTIALS } from './demo';
import { FleetCluster, FleetSpec, FleetTaskDefinition } from './spec';

export const SCALE_REGIONS = ['us-east-1', 'eu-west-1'];

/**
 * The account-regions of scale fleets, in the order clusters are dealt to them: the demo accounts
 * × {@link SCALE_REGIONS} (the locations the portal's app-config inventories).
 */
export const SCALE_LOCATIONS: ReadonlyArray<{
  accountId: string;
  region: string;
}> = DEMO_CREDENTIALS.flatMap(c =>
  SCALE_REGIONS.map(region => ({ accountId: c.accountId, region })),
);

/**
 * The name of the one large cluster of `scale:<C>x<I>[@<L>]+<B>`.
 *
 * @public
 */
export const SCALE_BIG_CLUSTER = 'scale-big';

/**
 * `scale:<clusters>x<instances>[@<locations>][+<big>]`: clusters spread round-robin over the first
 * `locations` (1 to 4, default 4) of `SCALE_LOCATIONS` (the two demo accounts × two
 * regions); each has a DAEMON agent, two app services and a deterministic ~3% of t3.nano
 * instances too small for the agent (uncovered). `big` adds one more cluster,
 * {@link SCALE_BIG_CLUSTER}, of that many instances, built the same way, in the first location
 * (e.g. `scale:90x100@2+1000`: 10,000 instances, one cluster of 1,000). Every demo account is in
 * the fleet, with or without clusters.
 *
 * @public
 */
export function scaleFleet(
  clusters: number,
  instancesPerCluster: number,
  locations: number = SCALE_LOCATIONS.length,
  big?: number,
): FleetSpec {
  if (
    !Number.isInteger(locations) ||
    locations < 1 ||
    locations > SCALE_LOCATIONS.length
  ) {
    throw new Error(
      `A scale fleet spreads over 1 to ${SCALE_LOCATIONS.length} account-regions, not ${locations}`,
    );
  }
  const combos = SCALE_LOCATIONS.slice(0, locations);
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
  // The default keeps its historical name (and so its generated ids).
  const seed = `scale:${clusters}x${instancesPerCluster}${
    locations === SCALE_LOCATIONS.length ? '' : `@${locations}`
  }${big === undefined ? '' : `+${big}`}`;
  const cluster = (
    name: string,
    location: { accountId: string; region: string },
    count: number,
  ): FleetCluster => {
    let small = 0;
    for (let j = 0; j < count; j++) {
      if (IdGenerator.fraction(seed, `${name}/${j}`) < 0.03) small++;
    }
    const instances: InstanceSpec[] = [
      { count: count - small, profile: 'al2023', instanceType: 'm5.large' },
    ];
    if (small > 0)
      instances.push({
        count: small,
        profile: 'al2023',
        instanceType: 't3.nano',
      });
    return {
      accountId: location.accountId,
      region: location.region,
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
          desiredCount: Math.ceil(count / 2),
          launchType: 'EC2',
        },
        {
          serviceName: 'worker',
          taskDefinition: 'worker:1',
          desiredCount: Math.ceil(count / 4),
          launchType: 'EC2',
        },
      ],
    };
  };
  for (let i = 0; i < clusters; i++) {
    const name = `scale-${String(i + 1).padStart(width, '0')}`;
    out.push(cluster(name, combos[i % combos.length], instancesPerCluster));
  }
  if (big !== undefined) out.push(cluster(SCALE_BIG_CLUSTER, combos[0], big));
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
