import { BAKE_TIME_LIMITS, DRAIN_PERCENT_LIMITS } from './limits';
import {
  DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS,
  managedDaemonRolloutOptionsSchema,
  planManagedDaemonReplacement,
  resolveManagedDaemonRolloutOptions,
} from './managedDaemonDeployment';
import { RenderValidationError } from './rendering/options';
import { datadogEcsApiSpec } from './schema';

const errorOf = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    return e as RenderValidationError;
  }
  throw new Error('did not throw');
};

describe('a managed daemon’s rollout options', () => {
  it('default to the documented values: critical, 25% drained at a time, no bake time', () => {
    expect(DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS).toEqual({
      critical: true,
      drainPercent: 25,
      bakeTimeInMinutes: 0,
    });
    expect(resolveManagedDaemonRolloutOptions(undefined)).toEqual(
      DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS,
    );
    expect(resolveManagedDaemonRolloutOptions({})).toEqual(
      DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS,
    );
    expect(
      resolveManagedDaemonRolloutOptions({
        critical: false,
        bakeTimeInMinutes: 10,
      }),
    ).toEqual({ critical: false, drainPercent: 25, bakeTimeInMinutes: 10 });
  });

  it('take the API’s ranges, read from the OpenAPI document, which states the defaults', () => {
    expect(DRAIN_PERCENT_LIMITS).toEqual({ min: 0, max: 100 });
    expect(BAKE_TIME_LIMITS).toEqual({ min: 0, max: 1440 });
    const { schemas } = datadogEcsApiSpec.components;
    expect(schemas.DrainPercent.description).toContain('default 25');
    expect(schemas.BakeTimeInMinutes.description).toContain('default 0');
    expect(
      schemas.ManagedDaemonRolloutOptions.properties.critical.description,
    ).toContain('default true');
    expect(
      resolveManagedDaemonRolloutOptions({
        drainPercent: 0,
        bakeTimeInMinutes: 1440,
      }),
    ).toMatchObject({ drainPercent: 0, bakeTimeInMinutes: 1440 });
    expect(
      resolveManagedDaemonRolloutOptions({ drainPercent: 12.5 }).drainPercent,
    ).toBe(12.5);
  });

  it.each<[string, object]>([
    ['a drain percent over 100', { drainPercent: 101 }],
    ['a negative drain percent', { drainPercent: -1 }],
    ['a bake time over a day', { bakeTimeInMinutes: 1441 }],
    ['a bake time in fractions of a minute', { bakeTimeInMinutes: 1.5 }],
    ['a criticality that is not a boolean', { critical: 'yes' }],
    ['an unknown field', { alarms: ['x'] }],
  ])('refuses %s, naming the field', (_name, options) => {
    const error = errorOf(() =>
      resolveManagedDaemonRolloutOptions(options as never),
    );
    expect(error).toBeInstanceOf(RenderValidationError);
    expect(error.rule).toBe('invalid-options');
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(/managedDaemon(\.\w+)?: /);
    expect(managedDaemonRolloutOptionsSchema.safeParse(options).success).toBe(
      false,
    );
  });

  it('refuses them for a DAEMON service', () => {
    const error = errorOf(() =>
      resolveManagedDaemonRolloutOptions({ critical: false }, 'daemon-service'),
    );
    expect(error.rule).toBe('managed-daemon-options-target');
    expect(
      resolveManagedDaemonRolloutOptions(undefined, 'daemon-service'),
    ).toEqual(DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS);
  });
});

describe('planManagedDaemonReplacement', () => {
  it.each<[number, number, number, number, number, string]>([
    [
      4,
      25,
      0,
      1,
      4,
      '4 instances replaced in 4 batches of up to 1 (25% drained at a time), no bake time between batches.',
    ],
    [
      10,
      25,
      10,
      3,
      4,
      '10 instances replaced in 4 batches of up to 3 (25% drained at a time), 10 minutes of bake time after each batch.',
    ],
    [
      3,
      100,
      1,
      3,
      1,
      '3 instances replaced in 1 batch of up to 3 (100% drained at a time), 1 minute of bake time after each batch.',
    ],
    [
      1,
      25,
      0,
      1,
      1,
      '1 instance replaced in 1 batch of up to 1 (25% drained at a time), no bake time between batches.',
    ],
    // 0% still moves: at least one instance a batch.
    [
      2,
      0,
      5,
      1,
      2,
      '2 instances replaced in 2 batches of up to 1 (0% drained at a time), 5 minutes of bake time after each batch.',
    ],
  ])(
    '%i instances at %i% with %i minutes: batches of %i, %i batches',
    (
      instances,
      drainPercent,
      bakeTimeInMinutes,
      batchSize,
      batches,
      summary,
    ) => {
      expect(
        planManagedDaemonReplacement(instances, {
          drainPercent,
          bakeTimeInMinutes,
        }),
      ).toEqual({
        instances,
        drainPercent,
        batchSize,
        batches,
        bakeTimeInMinutes,
        summary,
      });
    },
  );

  it('says when there is nothing to replace', () => {
    expect(
      planManagedDaemonReplacement(0, DEFAULT_MANAGED_DAEMON_ROLLOUT_OPTIONS),
    ).toEqual({
      instances: 0,
      drainPercent: 25,
      batchSize: 0,
      batches: 0,
      bakeTimeInMinutes: 0,
      summary:
        'No instance to replace now: ECS starts the daemon on the instances the capacity providers launch.',
    });
  });
});
