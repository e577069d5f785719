import {
  BAKE_TIME_LIMITS,
  DRAIN_PERCENT_LIMITS,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  coveredCluster,
  customAmiCluster,
  hybridCluster,
  managedInstancesCluster,
} from '../../__fixtures__';
import {
  initialTargetForm,
  managedDaemonErrors,
  targetOptionsOf,
  targetsOf,
} from './rolloutTargets';
import {
  initialForm,
  managedDaemonFeatures,
  requestOf,
  variantOfInstances,
} from './useRolloutForm';

describe('the rollout targets of a cluster', () => {
  it('asks nothing without Managed Instances, the managed daemon with them only, both halves on a mixed cluster', () => {
    expect(targetOptionsOf(coveredCluster)).toEqual({
      asks: false,
      daemonService: true,
      managedDaemon: false,
    });
    expect(targetOptionsOf(managedInstancesCluster)).toEqual({
      asks: true,
      daemonService: false,
      managedDaemon: true,
      initial: 'managed-daemon',
    });
    expect(targetOptionsOf(hybridCluster)).toEqual({
      asks: true,
      daemonService: true,
      managedDaemon: true,
      initial: 'both',
    });
    expect(targetsOf('both')).toEqual(['daemon-service', 'managed-daemon']);
    expect(targetsOf(undefined)).toEqual([undefined]);
  });

  it('starts from the documented defaults, keeping an existing daemon’s criticality', () => {
    expect(initialTargetForm(managedInstancesCluster).managedDaemon).toEqual({
      critical: true,
      drainPercent: '25',
      bakeTimeInMinutes: '0',
    });
    expect(initialTargetForm(hybridCluster).managedDaemon.critical).toBe(false);
  });

  it('checks the drain percent and the bake time against the API’s limits', () => {
    const errors = (drainPercent: string, bakeTimeInMinutes: string) =>
      managedDaemonErrors({ critical: true, drainPercent, bakeTimeInMinutes });
    expect(DRAIN_PERCENT_LIMITS).toEqual({ min: 0, max: 100 });
    expect(BAKE_TIME_LIMITS).toEqual({ min: 0, max: 1440 });
    expect(errors('0', '0')).toEqual({});
    expect(errors('100', '1440')).toEqual({});
    expect(errors('12.5', '30')).toEqual({});
    for (const bad of ['-1', '100.5', '', 'abc']) {
      expect(errors(bad, '0').drainPercent).toBe('A percentage from 0 to 100');
    }
    for (const bad of ['-1', '1441', '1.5', '']) {
      expect(errors('25', bad).bakeTimeInMinutes).toBe(
        'Whole minutes from 0 to 1440',
      );
    }
  });

  it('sends the target, a managed daemon’s options, and no ECS Anywhere choice for a managed daemon', () => {
    const form = {
      ...initialForm(hybridCluster),
      variant: 'linux' as const,
      external: true,
    };
    expect(
      requestOf(form, [], undefined, hybridCluster, {
        target: 'managed-daemon',
        managedDaemon: {
          critical: false,
          drainPercent: 10,
          bakeTimeInMinutes: 5,
        },
      }),
    ).toEqual({
      features: managedDaemonFeatures(form.features),
      tags: [],
      site: 'datadoghq.com',
      variant: 'linux',
      target: 'managed-daemon',
      managedDaemon: {
        critical: false,
        drainPercent: 10,
        bakeTimeInMinutes: 5,
      },
    });
    expect(
      requestOf(form, [], undefined, hybridCluster, {
        target: 'daemon-service',
      }),
    ).toEqual({
      features: form.features,
      tags: [],
      site: 'datadoghq.com',
      variant: 'linux',
      external: true,
      target: 'daemon-service',
    });
  });

  it('chooses the variant from the instances of the target only', () => {
    const mixed = {
      ...customAmiCluster,
      instances: [
        ...customAmiCluster.instances,
        ...managedInstancesCluster.instances,
      ],
    };
    // The custom AMIs are the DAEMON service's; the Managed Instances' OS is ECS's.
    expect(
      variantOfInstances(mixed, 'linux', 'daemon-service').generationUnknown,
    ).toBe(2);
    expect(
      variantOfInstances(mixed, 'linux', 'managed-daemon').generationUnknown,
    ).toBe(0);
    expect(
      requestOf(initialForm(mixed), [], undefined, mixed, {
        target: 'managed-daemon',
      }).variant,
    ).toBeUndefined();
    expect(
      requestOf(initialForm(mixed), [], undefined, mixed, {
        target: 'daemon-service',
      }).variant,
    ).toBe('linux');
  });
});

describe("a managed daemon's features", () => {
  it('leaves out what a daemon task definition cannot have on Managed Instances, and keeps the rest', () => {
    const form = initialForm(undefined);
    expect(form.features.apm).toBe(true);
    const managed = requestOf(form, [], undefined, hybridCluster, {
      target: 'managed-daemon',
    });
    expect(managed.features).toMatchObject({
      apm: false,
      dogstatsd: false,
      logs: false,
      healthCheck: form.features.healthCheck,
    });
    // The DAEMON service's half keeps them.
    const service = requestOf(form, [], undefined, hybridCluster, {
      target: 'daemon-service',
    });
    expect(service.features).toMatchObject({ apm: true, dogstatsd: true });
  });
});
