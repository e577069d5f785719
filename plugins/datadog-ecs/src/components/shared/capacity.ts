import {
  AgentScheduling,
  ClusterSummary,
  InstanceCapacity,
  InstanceCoverage,
  ManagedDaemonSummary,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/*
 * Which capacity each container instance belongs to (EC2 Auto Scaling, ECS Managed Instances, ECS
 * Anywhere), and how the Agent gets there: a DAEMON service serves EC2 and ECS Anywhere, only a
 * managed daemon serves Managed Instances.
 */

/** The capacity of an instance in words: its kind, and the capacity provider when it has one. */
export interface CapacityWords {
  kind: string;
  provider?: string;
}

/** The capacity of an instance (absent in older snapshots: ECS Anywhere is still told by `external`). */
export function capacityOf(
  instance: Pick<InstanceCoverage, 'capacity' | 'external'>,
): InstanceCapacity | undefined {
  if (instance.capacity) return instance.capacity;
  return instance.external ? { kind: 'external' } : undefined;
}

/** "EC2 Auto Scaling" / "Managed Instances" / "ECS Anywhere" / "EC2", with the capacity provider. */
export function capacityWords(
  instance: Pick<InstanceCoverage, 'capacity' | 'external'>,
): CapacityWords | undefined {
  const capacity = capacityOf(instance);
  if (!capacity) return undefined;
  const provider = capacity.capacityProviderName;
  switch (capacity.kind) {
    case 'managed-instances':
      return { kind: 'Managed Instances', provider };
    case 'external':
      return { kind: 'ECS Anywhere', provider };
    case 'ec2-asg':
      return provider
        ? { kind: 'EC2 Auto Scaling', provider }
        : { kind: 'EC2' };
    default:
      return { kind: 'Unknown capacity', provider };
  }
}

/** The capacity in one line, for search: "Managed Instances prod-mixed-mi". */
export function capacityText(
  instance: Pick<InstanceCoverage, 'capacity' | 'external'>,
): string {
  const words = capacityWords(instance);
  return words ? [words.kind, words.provider].filter(Boolean).join(' ') : '';
}

export const isManagedInstance = (i: Pick<InstanceCoverage, 'capacity'>) =>
  i.capacity?.kind === 'managed-instances';

/** What a cluster's page or card knows: a summary, with its instances when it is the details. */
type ClusterLike = ClusterSummary & { instances?: InstanceCoverage[] };

/** The cluster's Managed Instances capacity providers by name: described, on instances, or in daemons. */
export function managedInstancesProviderNames(c: ClusterLike): string[] {
  const names = [
    ...(c.managedInstancesCapacityProviders ?? []).map(p => p.name),
    ...(c.instances ?? []).flatMap(i =>
      isManagedInstance(i) && i.capacity?.capacityProviderName
        ? [i.capacity.capacityProviderName]
        : [],
    ),
    ...(c.managedDaemons ?? []).flatMap(d =>
      d.capacityProviders.map(p => p.name),
    ),
  ];
  return [...new Set(names)];
}

/** Whether the cluster has ECS Managed Instances capacity (which only a managed daemon serves). */
export function hasManagedInstances(c: ClusterLike): boolean {
  return (
    managedInstancesProviderNames(c).length > 0 ||
    (c.instances ?? []).some(isManagedInstance) ||
    (c.managedDaemons?.length ?? 0) > 0
  );
}

/** Instances of the cluster in the Managed Instances capacity providers. */
export function managedInstanceCount(c: ClusterLike): number {
  if (c.instances) return c.instances.filter(isManagedInstance).length;
  return (c.managedInstancesCapacityProviders ?? []).reduce(
    (n, p) => n + p.instances,
    0,
  );
}

/**
 * Whether the cluster has instances a DAEMON service serves (EC2, ECS Anywhere): from its
 * instances, else from its counts less its Managed Instances.
 */
export function hasDaemonServiceCapacity(c: ClusterLike): boolean {
  if (c.fargateOnly) return false;
  if (c.instances) {
    return c.instances.some(
      i => !isManagedInstance(i) && i.state !== 'not-applicable',
    );
  }
  return c.counts.instances > managedInstanceCount(c);
}

/** "managed daemon datadog-agent", "(not critical)" when it is not. */
export function managedDaemonWords(d: ManagedDaemonSummary): string {
  return `managed daemon ${d.daemonName}${d.critical ? '' : ' (not critical)'}`;
}

/** The criticality of a managed daemon, and what it means for an instance whose daemon fails. */
export function criticalWords(critical: boolean): string {
  return critical
    ? 'Critical: an instance whose Agent task fails is drained and replaced'
    : 'Not critical: an instance whose Agent task fails keeps running without the Agent';
}

/** The managed daemons serving one Managed Instances capacity provider. */
export const daemonsOfProvider = (c: ClusterLike, provider: string) =>
  (c.managedDaemons ?? []).filter(d =>
    d.capacityProviders.some(p => p.name === provider),
  );

/**
 * The ways the Agent is scheduled, in words: "DAEMON service datadog-agent", "REPLICA service x",
 * "3 standalone tasks (started by ecs-user-data)", and, unless `servicesOnly`, "managed daemon y".
 */
export function schedulingParts(
  s: AgentScheduling,
  options: { servicesOnly?: boolean } = {},
): string[] {
  const parts = [
    ...s.daemonServices.map(name => `DAEMON service ${name}`),
    ...(options.servicesOnly
      ? []
      : (s.managedDaemons ?? []).map(name => `managed daemon ${name}`)),
    ...s.otherServices.map(name => `REPLICA service ${name}`),
  ];
  if (s.standaloneTasks > 0) {
    let by = '';
    if (s.startedBy.length > 2)
      by = ` (started by ${s.startedBy.length} callers)`;
    else if (s.startedBy.length) by = ` (started by ${s.startedBy.join(', ')})`;
    parts.push(
      `${s.standaloneTasks} standalone task${
        s.standaloneTasks === 1 ? '' : 's'
      }${by}`,
    );
  }
  return parts;
}

/** How the Agent gets onto the EC2 / ECS Anywhere instances: services and standalone tasks. */
export function serviceSchedulingWords(
  s: AgentScheduling | undefined,
  agentServices: ClusterSummary['agentServices'] = [],
): string {
  const parts = s
    ? schedulingParts(s, { servicesOnly: true })
    : agentServices.map(
        a =>
          `${
            a.schedulingStrategy === 'DAEMON' ? 'DAEMON' : 'REPLICA'
          } service ${a.serviceName}`,
      );
  return parts.length ? parts.join(' + ') : 'no Agent service';
}

/** The label of the capacity a DAEMON service serves: "EC2", "ECS Anywhere" or both. */
function daemonServiceCapacityLabel(c: ClusterLike): string {
  if (!c.instances) return 'EC2';
  const served = c.instances.filter(i => !isManagedInstance(i));
  const external = served.some(i => capacityOf(i)?.kind === 'external');
  const ec2 = served.some(i => capacityOf(i)?.kind !== 'external');
  if (external && ec2) return 'EC2 / ECS Anywhere';
  return external ? 'ECS Anywhere' : 'EC2';
}

/** One capacity of a cluster and how the Agent is scheduled there. */
export interface CapacityScheduling {
  capacity: string;
  scheduling: string;
}

/**
 * Per capacity, how the Agent is scheduled: "EC2: DAEMON service datadog-agent", "Managed Instances
 * prod-mixed-mi: managed daemon datadog-agent (not critical)". Empty for a cluster without Managed
 * Instances (one way only: the cluster's scheduling says it).
 */
export function schedulingByCapacity(c: ClusterLike): CapacityScheduling[] {
  if (!hasManagedInstances(c)) return [];
  const rows: CapacityScheduling[] = [];
  if (hasDaemonServiceCapacity(c)) {
    rows.push({
      capacity: daemonServiceCapacityLabel(c),
      scheduling: serviceSchedulingWords(c.agentScheduling, c.agentServices),
    });
  }
  for (const provider of managedInstancesProviderNames(c)) {
    const daemons = daemonsOfProvider(c, provider);
    rows.push({
      capacity: `Managed Instances ${provider}`,
      scheduling: daemons.length
        ? daemons.map(managedDaemonWords).join(', ')
        : 'no managed daemon',
    });
  }
  return rows;
}

/**
 * A card's line on Managed Instances: "Managed Instances: managed daemon datadog-agent", "…: no
 * managed daemon", with the providers left without one and the instances running without it.
 * Undefined for a cluster without Managed Instances.
 */
export function managedInstancesWords(c: ClusterLike): string | undefined {
  if (!hasManagedInstances(c)) return undefined;
  const daemons = c.managedDaemons ?? [];
  if (daemons.length === 0) return 'Managed Instances: no managed daemon';
  const parts = [daemons.map(managedDaemonWords).join(', ')];
  const uncovered = managedInstancesProviderNames(c).filter(
    p => daemonsOfProvider(c, p).length === 0,
  );
  if (uncovered.length)
    parts.push(`no managed daemon on ${uncovered.join(', ')}`);
  const without = daemons.reduce((n, d) => n + d.withoutDaemonCount, 0);
  if (without > 0) {
    parts.push(
      `${without} instance${without === 1 ? '' : 's'} running without it`,
    );
  }
  return `Managed Instances: ${parts.join('; ')}`;
}
