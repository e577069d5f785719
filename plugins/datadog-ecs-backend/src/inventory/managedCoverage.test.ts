/*
 * buildClusterView on clusters with ECS Managed Instances: EC2 instances judged against the DAEMON
 * service, Managed Instances against the Agent managed daemon of their capacity provider, and the
 * features and findings of both halves.
 */
import {
  agentTaskDefinition,
  CONTEXT,
  instance,
  observation,
  service,
  task,
} from './__fixtures__/ecs';
import {
  agentDaemonDefinition,
  capacityProvider,
  observedAgentDaemon,
} from './__fixtures__/managedDaemons';
import { buildClusterView } from './coverage';

const EC2_AGENT = agentTaskDefinition();
/** The daemon's Agent is older than the 7.77.0 Datadog supports on Managed Instances. */
const DAEMON_AGENT = agentDaemonDefinition({
  image: 'public.ecr.aws/datadog/agent:7.60.0',
});
const EC2_ARN = EC2_AGENT.taskDefinitionArn!;
const DAEMON_ARN = DAEMON_AGENT.taskDefinitionArn!;

const ec2Task = (id: string, on: string) =>
  task(id, EC2_ARN, { on, group: 'service:datadog-agent' });
const daemonTask = (id: string, on: string) =>
  task(id, DAEMON_ARN, { on, group: 'daemon:datadog-agent' });

/**
 * A mixed cluster: EC2 instances `ec2` (Auto Scaling group provider asg-cp) under the DAEMON
 * service datadog-agent, Managed Instances `mi` (provider mi-cp) under the managed daemon
 * datadog-agent, and `gpu` (provider mi-gpu) that no managed daemon serves. Each instance runs its
 * half's Agent unless listed in `bare`.
 */
function mixed(parts: {
  ec2: string[];
  mi: string[];
  gpu?: string[];
  bare?: string[];
}) {
  const bare = new Set(parts.bare ?? []);
  const gpu = parts.gpu ?? [];
  return observation({
    instances: [
      ...parts.ec2.map(id => instance(id, { capacityProviderName: 'asg-cp' })),
      ...parts.mi.map(id => instance(id, { capacityProviderName: 'mi-cp' })),
      ...gpu.map(id => instance(id, { capacityProviderName: 'mi-gpu' })),
    ],
    services: [
      service('datadog-agent', EC2_ARN, {
        strategy: 'DAEMON',
        desiredCount: parts.ec2.length,
      }),
    ],
    tasks: [
      ...parts.ec2
        .filter(id => !bare.has(id))
        .map(id => ec2Task(`t-${id}`, id)),
      ...parts.mi
        .filter(id => !bare.has(id))
        .map(id => daemonTask(`t-${id}`, id)),
    ],
    taskDefinitions: [EC2_AGENT, DAEMON_AGENT],
    capacityProviders: [
      capacityProvider('asg-cp', 'EC2_AUTOSCALING'),
      capacityProvider('mi-cp'),
      capacityProvider('mi-gpu'),
    ],
    daemons: [
      observedAgentDaemon({
        taskDefinition: DAEMON_ARN,
        providers: ['mi-cp'],
        running: parts.mi.length,
      }),
    ],
  });
}

describe('buildClusterView on a cluster with Managed Instances', () => {
  it('judges EC2 instances against the DAEMON service and Managed Instances against the managed daemon', () => {
    const { details } = buildClusterView(
      mixed({ ec2: ['a', 'b', 'c'], mi: ['m1', 'm2'], gpu: ['g1'] }),
      CONTEXT,
    );
    expect(
      details.instances.map(i => [
        i.instanceId,
        i.capacity?.kind,
        i.state,
        i.reason?.code,
        i.agentTask?.taskDefinitionArn,
        i.agentTask?.upToDate,
      ]),
    ).toEqual([
      ['i-a', 'ec2-asg', 'covered', undefined, EC2_ARN, true],
      ['i-b', 'ec2-asg', 'covered', undefined, EC2_ARN, true],
      ['i-c', 'ec2-asg', 'covered', undefined, EC2_ARN, true],
      ['i-m1', 'managed-instances', 'covered', undefined, DAEMON_ARN, true],
      ['i-m2', 'managed-instances', 'covered', undefined, DAEMON_ARN, true],
      [
        'i-g1',
        'managed-instances',
        'missing',
        'no-managed-daemon',
        undefined,
        undefined,
      ],
    ]);
    expect(details.instances[5].reason?.message).toBe(
      'No ECS Managed Daemon runs the Agent on the Managed Instances capacity provider mi-gpu; the DAEMON service datadog-agent does not place tasks on Managed Instances.',
    );
    // The DAEMON service's desired count, plus one task per Managed Instance a managed daemon serves.
    expect(details.counts).toMatchObject({
      instances: 6,
      desired: 3 + 2,
      running: 5,
      covered: 5,
      missing: 1,
      upToDate: 5,
    });
    expect(details.agentScheduling).toEqual({
      mode: 'mixed',
      daemonServices: ['datadog-agent'],
      managedDaemons: ['datadog-agent'],
      otherServices: [],
      standaloneTasks: 0,
      startedBy: [],
    });
    expect(details.findings.map(f => f.id)).not.toContain(
      'cluster.agent-standalone-tasks',
    );
    expect(details.currentRevision).toBe('datadog-agent-task:1');
    expect(details.managedDaemons).toEqual([
      expect.objectContaining({
        daemonName: 'datadog-agent',
        critical: true,
        revision: 'datadog-agent-daemon:1',
        runningCount: 2,
      }),
    ]);
    expect(details.managedInstancesCapacityProviders).toEqual([
      expect.objectContaining({ name: 'mi-cp', instances: 2 }),
      expect.objectContaining({ name: 'mi-gpu', instances: 1 }),
    ]);
    expect(
      details.taskDefinitions.map(d => d.taskDefinitionArn).sort(),
    ).toEqual([DAEMON_ARN, EC2_ARN].sort());
  });

  it('a Managed Instance is judged against the managed daemon’s revision, whatever Agent task runs there', () => {
    const obs = mixed({ ec2: ['a'], mi: ['m1'], bare: ['m1'] });
    obs.tasks.push(ec2Task('stray', 'm1'));
    const { details } = buildClusterView(obs, CONTEXT);
    const m1 = details.instances.find(i => i.instanceId === 'i-m1')!;
    // Judged against the managed daemon: the EC2 definition is not its current revision.
    expect(m1.state).toBe('covered');
    expect(m1.reason).toEqual({
      code: 'outdated-revision',
      message:
        "Runs datadog-agent-task:1, not the managed daemon's current revision datadog-agent-daemon:1.",
    });
  });

  it('shows the features of the definition on most instances, and the other half’s own findings under its revision', () => {
    const ec2Most = buildClusterView(
      mixed({ ec2: ['a', 'b', 'c'], mi: ['m1', 'm2'] }),
      CONTEXT,
    ).details;
    expect(ec2Most.featureRevision).toBe('datadog-agent-task:1');
    const tooOld = ec2Most.findings.filter(
      f => f.id === 'managedInstances.agent-too-old',
    );
    expect(tooOld).toHaveLength(1);
    expect(tooOld[0].title).toBe(
      'datadog-agent-daemon:1: Agent older than 7.77 on Managed Instances',
    );
    expect(
      ec2Most.featureResults.find(r => r.id === 'managedInstances')?.state,
    ).toBe('not-applicable');
    // Only the other half's own findings, prefixed; one both halves have is shown once, unprefixed.
    const prefixed = (details: typeof ec2Most, revision: string) =>
      details.findings
        .filter(f => f.title.startsWith(`${revision}: `))
        .map(f => f.id);
    expect(prefixed(ec2Most, 'datadog-agent-daemon:1')).toEqual([
      'managedInstances.agent-too-old',
    ]);
    const shared = ec2Most.findings.filter(
      f => f.id === 'apiKey.secret-without-execution-role',
    );
    expect(shared.map(f => f.title)).toEqual([
      'API key secret without a task execution role',
    ]);

    const miMost = buildClusterView(
      mixed({ ec2: ['a'], mi: ['m1', 'm2', 'm3'] }),
      CONTEXT,
    ).details;
    expect(miMost.featureRevision).toBe('datadog-agent-daemon:1');
    expect(
      miMost.featureResults.find(r => r.id === 'managedInstances')?.state,
    ).toBe('misconfigured');
    const unprefixed = miMost.findings.find(
      f => f.id === 'managedInstances.agent-too-old',
    );
    expect(unprefixed?.title).toBe(
      'Agent older than 7.77 on Managed Instances',
    );
    // The EC2 definition's logs findings (its mounts), not the daemon's: under the EC2 revision.
    expect(prefixed(miMost, 'datadog-agent-task:1').sort()).toEqual([
      'logs.missing-containers-root-mount',
      'logs.missing-pointdir-mount',
    ]);
    expect(
      miMost.findings.filter(
        f => f.id === 'apiKey.secret-without-execution-role',
      ),
    ).toHaveLength(1);
  });

  it('a cluster with only a managed daemon: mode managed-daemon, its revision current', () => {
    const obs = mixed({ ec2: [], mi: ['m1', 'm2'] });
    obs.services = [];
    const { details } = buildClusterView(obs, CONTEXT);
    expect(details.agentScheduling?.mode).toBe('managed-daemon');
    expect(details.counts).toMatchObject({ desired: 2, covered: 2 });
    expect(details.currentRevision).toBe('datadog-agent-daemon:1');
    expect(details.featureRevision).toBe('datadog-agent-daemon:1');
    expect(details.findings.map(f => f.id)).not.toContain(
      'cluster.agent-standalone-tasks',
    );
  });

  it('an error reading the Managed Instances becomes the cluster’s finding; undescribed providers are unknown', () => {
    const obs = mixed({ ec2: ['a'], mi: ['m1'], bare: ['m1'] });
    obs.capacityProviders = undefined;
    obs.daemons = undefined;
    obs.managedInstancesError = {
      kind: 'access-denied',
      name: 'AccessDeniedException',
      message: 'not authorized to perform: ecs:ListDaemons',
      at: '2026-01-15T10:00:00.000Z',
    };
    const { details } = buildClusterView(obs, CONTEXT);
    const finding = details.findings.find(
      f => f.id === 'cluster.managed-daemons-unreadable',
    );
    expect(finding).toMatchObject({ severity: 'warning' });
    expect(finding?.explanation).toContain(
      'not authorized to perform: ecs:ListDaemons',
    );
    expect(details.instances.map(i => i.capacity)).toEqual([
      { kind: 'unknown', capacityProviderName: 'asg-cp' },
      { kind: 'unknown', capacityProviderName: 'mi-cp' },
    ]);
    expect(details.managedDaemons).toBeUndefined();
    expect(details.managedInstancesCapacityProviders).toBeUndefined();
    expect(
      buildClusterView(
        mixed({ ec2: ['a'], mi: ['m1'] }),
        CONTEXT,
      ).details.findings.map(f => f.id),
    ).not.toContain('cluster.managed-daemons-unreadable');
  });

  it('daemon task definitions that could not be read are named in a finding', () => {
    const obs = mixed({ ec2: ['a'], mi: ['m1'] });
    obs.daemonTaskDefinitionArns = [DAEMON_ARN];
    const { details } = buildClusterView(obs, CONTEXT);
    const finding = details.findings.find(
      f => f.id === 'cluster.managed-daemons-not-inventoried',
    );
    expect(finding?.explanation).toContain('datadog-agent-daemon:1');
  });
});
