import {
  agentFeatureRegistry,
  BUILTIN_FEATURES,
  createFeatureRegistry,
  defaultFeatureToggles,
  defineFeature,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  DEFAULT_FEATURES,
  FEATURE_TOGGLES,
  featureToggles,
  featuresWords,
} from './words';

/** A toy feature known only to this test's registry. */
const toy = defineFeature({
  id: 'toy',
  toggle: {
    label: 'Toy receiver',
    help: '4317/tcp host port',
    constraints: {
      linuxOnly: { rule: 'toy-linux-only', message: 'Toy is Linux only' },
    },
    render: ctx => ctx.port(4317, 'tcp'),
    isOn: () => false,
  },
});

describe('the dialog’s feature toggles', () => {
  it('lists a feature added to the registry, after the built-in ones', () => {
    const toggles = featureToggles(
      createFeatureRegistry([...BUILTIN_FEATURES, toy]),
    );
    expect(toggles.map(t => t.id)).toEqual([
      ...FEATURE_TOGGLES.map(t => t.id),
      'toy',
    ]);
    expect(toggles.at(-1)).toMatchObject({
      id: 'toy',
      label: 'Toy receiver',
      help: '4317/tcp host port',
      linuxOnly: true,
    });
    // The built-in list is untouched.
    expect(FEATURE_TOGGLES.map(t => t.id)).not.toContain('toy');
  });

  it('are the built-in registry’s toggles, in its order and words', () => {
    expect(FEATURE_TOGGLES).toEqual(featureToggles(agentFeatureRegistry));
    expect(FEATURE_TOGGLES.map(t => [t.id, t.label])).toEqual([
      ['apm', 'APM (traces)'],
      ['dogstatsd', 'DogStatsD (custom metrics)'],
      ['logs', 'Log collection'],
      ['process', 'Live processes'],
      ['npm', 'Network performance monitoring'],
      ['resourceTags', 'ECS resource tags'],
      ['healthCheck', 'Container health check'],
      ['fipsProxy', 'FIPS proxy'],
      ['apmSocket', 'APM and DogStatsD over Unix sockets'],
    ]);
    expect(featuresWords({ apm: true, apmSocket: true, logs: true })).toBe(
      'APM (traces), Log collection, APM and DogStatsD over Unix sockets',
    );
  });

  it('start a cluster without an Agent on the registry’s defaults: APM, DogStatsD, logs, health check', () => {
    expect(DEFAULT_FEATURES).toEqual(
      defaultFeatureToggles(agentFeatureRegistry),
    );
    expect(
      FEATURE_TOGGLES.filter(t => DEFAULT_FEATURES[t.id]).map(t => t.id),
    ).toEqual(['apm', 'dogstatsd', 'logs', 'healthCheck']);
  });
});
