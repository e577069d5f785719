import {
  createRedactor,
  InstanceCoverage,
  ManagedDaemonSummary,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { storedCluster } from '../inventory/__fixtures__/stored';
import {
  DAEMON_ARN,
  DAEMON_FAMILY,
  DAEMON_OPTIONS,
  dtdArn,
  MI_PROVIDER,
} from './__testUtils__/daemonFakes';
import { CLUSTER, rolloutConfig } from './__testUtils__/fakes';
import {
  chooseTarget,
  planDaemonCalls,
  renderForManagedDaemon,
  resolveManagedDaemonOptions,
  snapshotCapacity,
} from './daemonPlan';
import { resolveFeatures } from './plan';
import { RolloutPlanner } from './planning';

type Details = ReturnType<typeof storedCluster>['details'];

const mi = (i: InstanceCoverage): InstanceCoverage => ({
  ...i,
  capacity: { kind: 'managed-instances', capacityProviderName: MI_PROVIDER },
});
const asg = (i: InstanceCoverage): InstanceCoverage => ({
  ...i,
  capacity: { kind: 'ec2-asg', capacityProviderName: 'prod-asg' },
});

/** A snapshot with `managed` Managed Instances and `ec2` EC2 instances. */
function snapshot(
  managed: number,
  ec2 = 0,
  over: Partial<Details> = {},
): Details {
  const base = storedCluster({
    accountId: CLUSTER.accountId,
    region: CLUSTER.region,
    clusterName: CLUSTER.clusterName,
    instanceStates: Array.from({ length: managed + ec2 }, (_, n) => ({
      id: String(n + 1),
      state: 'missing' as const,
    })),
  }).details;
  return {
    ...base,
    instances: base.instances.map((i, n) => (n < managed ? mi(i) : asg(i))),
    managedInstancesCapacityProviders: managed
      ? [{ name: MI_PROVIDER, status: 'ACTIVE', instances: managed }]
      : undefined,
    ...over,
  };
}

const daemon = (
  over: Partial<ManagedDaemonSummary> = {},
): ManagedDaemonSummary => ({
  daemonArn: DAEMON_ARN,
  daemonName: 'datadog-agent',
  status: 'ACTIVE',
  critical: true,
  revision: 'datadog-agent-daemon:1',
  taskDefinitionArn: dtdArn(1),
  capacityProviders: [],
  runningCount: 4,
  withoutDaemonCount: 0,
  ...over,
});

const config = rolloutConfig();
const key = config.apiKeys.get(CLUSTER.accountId);

function planner(details: Details) {
  const snapshots = {
    getCluster: jest.fn(async () => details),
    getAgentFamily: jest.fn(async () => undefined),
    getClusterServices: jest.fn(async () => []),
  };
  return new RolloutPlanner({
    config: {
      site: 'datadoghq.com',
      rollout: config,
      locations: [{ accountId: CLUSTER.accountId, region: CLUSTER.region }],
      agentImageRepositories: ['public.ecr.aws/datadog/agent'],
    },
    snapshots,
    redactor: createRedactor(),
  });
}

describe('the target of a rollout', () => {
  it('is a managed daemon when the cluster has only Managed Instances capacity, else a DAEMON service', () => {
    expect(chooseTarget({}, snapshot(3))).toBe('managed-daemon');
    expect(chooseTarget({}, snapshot(3, 2))).toBe('daemon-service');
    expect(chooseTarget({}, snapshot(0, 2))).toBe('daemon-service');
    expect(chooseTarget({}, snapshot(0))).toBe('daemon-service');
    expect(chooseTarget({ target: 'managed-daemon' }, snapshot(3, 2))).toBe(
      'managed-daemon',
    );
    expect(chooseTarget({ target: 'daemon-service' }, snapshot(3))).toBe(
      'daemon-service',
    );
  });

  it("reads the capacity providers from the snapshot's list, else from the instances", () => {
    const fromInstances = snapshot(2, 0, {
      managedInstancesCapacityProviders: undefined,
    });
    expect(snapshotCapacity(fromInstances).providers).toEqual([MI_PROVIDER]);
    const inactive = snapshot(0, 1, {
      managedInstancesCapacityProviders: [
        { name: 'old', status: 'INACTIVE', instances: 0 },
      ],
    });
    expect(snapshotCapacity(inactive).providers).toEqual([]);
    // A Managed Instances provider without instances yet still calls for a daemon.
    expect(
      chooseTarget(
        {},
        snapshot(0, 0, {
          managedInstancesCapacityProviders: [
            { name: MI_PROVIDER, instances: 0 },
          ],
        }),
      ),
    ).toBe('managed-daemon');
  });
});

describe('resolveManagedDaemonOptions', () => {
  it('applies the documented defaults and the managed-daemon image tag', () => {
    const r = resolveManagedDaemonOptions(
      { features: { apmSocket: true } },
      3,
      {
        site: 'datadoghq.eu',
        imageTag: '7.77.0',
      },
    );
    expect(r.options).toMatchObject({
      variant: 'linux',
      external: false,
      site: 'datadoghq.eu',
      imageTag: '7.77.0',
      target: 'managed-daemon',
      managedDaemon: { critical: true, drainPercent: 25, bakeTimeInMinutes: 0 },
    });
    expect(r.options.features.apmSocket).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it('refuses options out of range naming the field (400)', () => {
    expect(() =>
      resolveManagedDaemonOptions({ managedDaemon: { drainPercent: 101 } }, 3, {
        site: 'datadoghq.com',
        imageTag: '7.77.0',
      }),
    ).toThrow(/managedDaemon\.drainPercent/);
  });

  it('renders the daemon task definition, refusing an Agent older than 7.77.0', () => {
    expect(
      renderForManagedDaemon(DAEMON_OPTIONS, key, DAEMON_FAMILY),
    ).toMatchObject({
      family: DAEMON_FAMILY,
      cpu: '256',
      memory: '512',
    });
    expect(() =>
      renderForManagedDaemon(
        { ...DAEMON_OPTIONS, imageTag: '7.65.0' },
        key,
        DAEMON_FAMILY,
      ),
    ).toThrow(
      expect.objectContaining({ rule: 'managed-daemon-agent-version' }),
    );
  });
});

describe('planDaemonCalls', () => {
  it('says what CreateDaemon and UpdateDaemon will do, with the replacement in batches', () => {
    const replacement = {
      instances: 4,
      drainPercent: 50,
      batchSize: 2,
      batches: 2,
      bakeTimeInMinutes: 2,
      summary:
        '4 instances replaced in 2 batches of up to 2 (50% drained at a time), 2 minutes of bake time after each batch.',
    };
    const options = { critical: false, drainPercent: 50, bakeTimeInMinutes: 2 };
    const [register, update] = planDaemonCalls({
      clusterName: 'prod',
      family: DAEMON_FAMILY,
      registerNeeded: true,
      target: {
        action: 'update',
        daemonName: 'datadog-agent',
        currentTaskDefinitionArn: dtdArn(1),
      },
      capacityProviders: [MI_PROVIDER],
      options,
      replacement,
    });
    expect(register.operation).toBe('RegisterDaemonTaskDefinition');
    expect(update).toEqual({
      operation: 'UpdateDaemon',
      summary: `Update the managed daemon datadog-agent from datadog-agent-daemon:1 to datadog-agent-daemon:<next revision> on the capacity providers ${MI_PROVIDER} (not critical, drainPercent 50, bake time 2 min: ${replacement.summary})`,
    });
    const [create] = planDaemonCalls({
      clusterName: 'prod',
      family: DAEMON_FAMILY,
      registerNeeded: false,
      latestRevision: 'datadog-agent-daemon:3',
      target: { action: 'create', daemonName: 'datadog-agent' },
      capacityProviders: [MI_PROVIDER],
      options,
      replacement,
    });
    expect(create.operation).toBe('CreateDaemon');
    expect(create.summary).toContain('running datadog-agent-daemon:3');
  });
});

describe('RolloutPlanner, the managed-daemon target (from the snapshot, no AWS call)', () => {
  it('previews a CreateDaemon on a Managed Instances cluster without the Agent', async () => {
    const preview = await planner(snapshot(3)).preview(CLUSTER, {
      managedDaemon: { drainPercent: 50, bakeTimeInMinutes: 5 },
    });
    expect(preview).toMatchObject({
      target: 'managed-daemon',
      serviceName: 'datadog-agent',
      registerNeeded: true,
      image: 'public.ecr.aws/datadog/agent:7.77.0',
      managedDaemon: {
        daemonName: 'datadog-agent',
        action: 'create',
        capacityProviders: [MI_PROVIDER],
        options: { critical: true, drainPercent: 50, bakeTimeInMinutes: 5 },
        replacement: {
          instances: 3,
          batchSize: 2,
          batches: 2,
          bakeTimeInMinutes: 5,
        },
      },
    });
    expect(preview.managedDaemon!.daemonArn).toBeUndefined();
    expect(preview.calls.map(c => c.operation)).toEqual([
      'RegisterDaemonTaskDefinition',
      'CreateDaemon',
    ]);
    expect(preview.instancesAffected).toHaveLength(3);
    expect(preview.current).toBeUndefined();
    expect(preview.warnings.join(' ')).toContain(
      'reads the latest ACTIVE revision of datadog-agent-daemon',
    );
  });

  it('previews an UpdateDaemon against the daemon it runs: the diff, the current revision, only the Managed Instances', async () => {
    const old = {
      ...renderForManagedDaemon(
        { ...DAEMON_OPTIONS, features: resolveFeatures({}) },
        key,
        DAEMON_FAMILY,
      ),
      taskDefinitionArn: dtdArn(1),
    };
    const details = snapshot(2, 1, {
      managedDaemons: [daemon()],
      taskDefinitions: [old as any],
    });
    const preview = await planner(details).preview(CLUSTER, {
      target: 'managed-daemon',
      features: { apmSocket: true },
    });
    expect(preview.managedDaemon).toMatchObject({
      action: 'update',
      daemonArn: DAEMON_ARN,
    });
    expect(preview.calls.map(c => c.operation)).toEqual([
      'RegisterDaemonTaskDefinition',
      'UpdateDaemon',
    ]);
    expect(preview.current).toMatchObject({
      revision: 'datadog-agent-daemon:1',
      taskDefinitionArn: dtdArn(1),
      daemonArn: DAEMON_ARN,
    });
    expect(preview.diff.length).toBeGreaterThan(0);
    expect(preview.instancesAffected.map(i => i.instanceId)).toEqual([
      'i-1',
      'i-2',
    ]);
    expect(preview.warnings.join(' ')).toContain(
      '1 instance(s) of the cluster are not ECS Managed Instances',
    );
  });

  it('registers nothing when the daemon runs the rendered definition', async () => {
    const same = {
      ...renderForManagedDaemon(DAEMON_OPTIONS, key, DAEMON_FAMILY),
      taskDefinitionArn: dtdArn(4),
    };
    const preview = await planner(
      snapshot(2, 0, {
        managedDaemons: [
          daemon({
            taskDefinitionArn: dtdArn(4),
            revision: 'datadog-agent-daemon:4',
          }),
        ],
        taskDefinitions: [same as any],
      }),
    ).preview(CLUSTER, { features: { apmSocket: true } });
    expect(preview.registerNeeded).toBe(false);
    expect(preview.latestRevision).toBe('datadog-agent-daemon:4');
    expect(preview.calls.map(c => c.operation)).toEqual(['UpdateDaemon']);
    expect(preview.diff).toEqual([]);
  });

  it('says a daemon being deleted blocks the rollout', async () => {
    const preview = await planner(
      snapshot(2, 0, {
        managedDaemons: [daemon({ status: 'DELETE_IN_PROGRESS' })],
      }),
    ).preview(CLUSTER, {});
    expect(preview.blocked).toMatchObject({ reason: 'service-draining' });
    expect(preview.managedDaemon!.action).toBe('create');
  });

  it('refuses the managed-daemon target without Managed Instances capacity, naming target (400)', async () => {
    for (const call of [
      (p: RolloutPlanner) => p.preview(CLUSTER, { target: 'managed-daemon' }),
      (p: RolloutPlanner) => p.planStart(CLUSTER, { target: 'managed-daemon' }),
    ]) {
      await expect(call(planner(snapshot(0, 2)))).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /^target: managed-daemon needs ECS Managed Instances capacity/,
        ),
      });
    }
  });

  it('refuses managed-daemon options for a DAEMON service (400 with the rule)', async () => {
    await expect(
      planner(snapshot(2, 2)).planStart(CLUSTER, {
        managedDaemon: { critical: false },
      }),
    ).rejects.toMatchObject({ rule: 'managed-daemon-options-target' });
  });

  it('plans the start: the target, the daemon it replaces, the options with their defaults', async () => {
    const plan = await planner(
      snapshot(2, 0, { managedDaemons: [daemon()] }),
    ).planStart(CLUSTER, { features: { apmSocket: true } });
    expect(plan).toMatchObject({
      target: 'managed-daemon',
      serviceName: 'datadog-agent',
      createdService: false,
      oldTaskDefinitionArn: dtdArn(1),
      daemonArn: DAEMON_ARN,
      options: {
        target: 'managed-daemon',
        imageTag: '7.77.0',
        managedDaemon: {
          critical: true,
          drainPercent: 25,
          bakeTimeInMinutes: 0,
        },
      },
    });
  });

  it('a DAEMON service on a mixed cluster: its own half only, and a warning for the other', async () => {
    const preview = await planner(snapshot(2, 1)).preview(CLUSTER, {});
    expect(preview.target).toBe('daemon-service');
    expect(preview.instancesAffected.map(i => i.instanceId)).toEqual(['i-3']);
    expect(preview.warnings.join(' ')).toContain(
      '2 instance(s) of the cluster are ECS Managed Instances',
    );
  });
});
