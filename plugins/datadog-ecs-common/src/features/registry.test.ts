/*
 * The registry is the only list of features: a toy feature added to a test-scoped registry shows up
 * in rendering, the rules, detection, the reverse mapping, the request schema, the chips and the
 * toggle metadata, while the built-in registry stays as it is.
 */
import { EcsTaskDefinition } from '../ecsTypes';
import { RenderValidationError } from '../rendering/options';
import { renderAgentTaskDefinition } from '../rendering/render';
import { featuresFromTaskDefinition } from '../rendering/reverse';
import { detectAgentFeatures } from './catalog';
import { createFeatureRegistry } from './createRegistry';
import {
  defineDetector,
  DetectorFinding,
  findPortMapping,
  isTrue,
  stateFor,
} from './inspect';
import { defineFeature } from './module';
import {
  agentFeatureRegistry,
  BUILTIN_FEATURES,
  CHIP_FEATURE_IDS,
  FEATURE_TOGGLE_IDS,
} from './registry';
import {
  defaultFeatureToggles,
  featureToggleMetadata,
  featureTogglesRequestSchema,
} from './toggles';

/** A toy OTLP receiver: 4317/tcp and one variable, Linux only, needs APM and Agent 7.35+. */
const toyDetector = defineDetector({
  id: 'toy',
  title: 'Toy OTLP receiver',
  description: 'Receives OTLP traces on 4317/tcp.',
  detect: ({ agent, env }) => {
    const enabled = isTrue(env('DD_TOY_ENABLED'));
    const port = findPortMapping(agent, 4317, 'tcp');
    const findings: DetectorFinding[] = [];
    if (port && !enabled) {
      findings.push({
        id: 'toy.port-without-variable',
        severity: 'warning',
        title: 'OTLP port without DD_TOY_ENABLED',
        explanation: 'The port is mapped but the receiver is off.',
        remedy: 'Add DD_TOY_ENABLED=true.',
      });
    }
    return {
      state: stateFor(enabled, findings),
      summary: enabled ? 'Receives OTLP.' : 'No OTLP.',
      findings,
    };
  },
});

const toyModule = defineFeature({
  id: 'toy',
  detector: toyDetector,
  chip: true,
  toggle: {
    label: 'Toy OTLP receiver',
    help: '4317/tcp host port and DD_TOY_ENABLED',
    constraints: {
      linuxOnly: { rule: 'toy-linux-only', message: 'Toy is Linux only' },
      requiresFeatures: {
        features: ['apm'],
        rule: 'toy-needs-apm',
        message: 'Toy needs APM',
      },
      minimumAgentVersion: {
        versions: [{ major: 7, minor: 35, patch: 0 }],
        rule: 'toy-agent-version',
        message: o => `Toy needs Agent 7.35+, not ${o.image?.tag}`,
      },
    },
    render: ctx => {
      ctx.port(4317, 'tcp');
      ctx.env('DD_TOY_ENABLED', 'true');
    },
    isOn: ({ env }) => isTrue(env('DD_TOY_ENABLED')),
  },
});

const registry = createFeatureRegistry([...BUILTIN_FEATURES, toyModule]);
const placeholder = { source: 'placeholder' } as const;
const agentOf = (td: EcsTaskDefinition) => td.containerDefinitions![0];

describe('a feature added through the registry alone', () => {
  const rendered = renderAgentTaskDefinition(
    {
      variant: 'linux',
      features: { apm: true, toy: true },
      apiKey: placeholder,
    },
    registry,
  );

  it('is a toggle and a chip of its registry only', () => {
    expect(registry.toggleIds).toEqual([...FEATURE_TOGGLE_IDS, 'toy']);
    expect(registry.chipIds).toEqual([...CHIP_FEATURE_IDS, 'toy']);
    expect(registry.detectors.map(d => d.id)).toContain('toy');
    expect(agentFeatureRegistry.toggleIds).not.toContain('toy');
    expect(agentFeatureRegistry.detectors.map(d => d.id)).not.toContain('toy');
  });

  it('is rendered', () => {
    expect(agentOf(rendered).environment).toContainEqual({
      name: 'DD_TOY_ENABLED',
      value: 'true',
    });
    expect(agentOf(rendered).portMappings).toEqual([
      { hostPort: 8126, protocol: 'tcp', containerPort: 8126 },
      { hostPort: 4317, protocol: 'tcp', containerPort: 4317 },
    ]);
    // The built-in renderer does not know it: the unknown key is dropped.
    const builtin = renderAgentTaskDefinition({
      variant: 'linux',
      features: { apm: true, toy: true } as never,
      apiKey: placeholder,
    });
    expect(agentOf(builtin).environment!.map(e => e.name)).not.toContain(
      'DD_TOY_ENABLED',
    );
  });

  it.each([
    [
      'on Windows',
      { variant: 'windows', features: { apm: true, toy: true } },
      'toy-linux-only',
    ],
    [
      'without APM',
      { variant: 'linux', features: { toy: true } },
      'toy-needs-apm',
    ],
    [
      'on Agent 7.30',
      {
        variant: 'linux',
        features: { apm: true, toy: true },
        image: { tag: '7.30.0' },
      },
      'toy-agent-version',
    ],
  ] as const)('has its rules: refused %s', (_name, options, rule) => {
    let error: unknown;
    try {
      renderAgentTaskDefinition({ ...options, apiKey: placeholder }, registry);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RenderValidationError);
    expect((error as RenderValidationError).rule).toBe(rule);
  });

  it('is detected, with its findings', () => {
    const results = detectAgentFeatures({ taskDefinition: rendered }, registry);
    expect(results.map(r => r.id)).toEqual(registry.detectors.map(d => d.id));
    expect(results.find(r => r.id === 'toy')).toMatchObject({
      state: 'on',
      findings: [],
    });
    const portOnly = structuredClone(rendered);
    agentOf(portOnly).environment = agentOf(portOnly).environment!.filter(
      e => e.name !== 'DD_TOY_ENABLED',
    );
    const toy = detectAgentFeatures(
      { taskDefinition: portOnly },
      registry,
    ).find(r => r.id === 'toy')!;
    expect(toy.state).toBe('misconfigured');
    expect(toy.findings.map(f => [f.id, f.feature])).toEqual([
      ['toy.port-without-variable', 'toy'],
    ]);
    expect(
      detectAgentFeatures({ taskDefinition: rendered }).map(r => r.id),
    ).not.toContain('toy');
  });

  it('is read back from a running definition', () => {
    expect(featuresFromTaskDefinition(rendered, undefined, registry)).toEqual({
      ...Object.fromEntries(registry.toggleIds.map(id => [id, false])),
      apm: true,
      toy: true,
    });
    expect(featuresFromTaskDefinition(rendered)).not.toHaveProperty('toy');
  });

  it('is accepted by its request schema only', () => {
    expect(
      featureTogglesRequestSchema(registry).parse({ toy: true, apm: false }),
    ).toEqual({ toy: true, apm: false });
    expect(
      featureTogglesRequestSchema(agentFeatureRegistry).safeParse({ toy: true })
        .success,
    ).toBe(false);
    expect(
      featureTogglesRequestSchema(registry).safeParse({ toy: 'yes' }).success,
    ).toBe(false);
  });

  it('is refused on a managed daemon when its overlay adds a port, naming it', () => {
    // A toggle that says nothing about Managed Instances but maps a port: the builder refuses it.
    const portToy = defineFeature({
      id: 'portToy',
      toggle: { ...toyModule.toggle, constraints: {} },
    });
    let error: unknown;
    try {
      renderAgentTaskDefinition(
        {
          target: 'managed-daemon',
          variant: 'linux',
          features: { portToy: true },
          apiKey: placeholder,
        },
        createFeatureRegistry([...BUILTIN_FEATURES, portToy]),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RenderValidationError);
    expect((error as RenderValidationError).rule).toBe(
      'managed-daemon-port-mapping',
    );
    expect((error as Error).message).toContain(
      'The portToy overlay adds host port 4317/tcp',
    );
  });

  it('is in the toggle list with its words and constraints', () => {
    expect(featureToggleMetadata(registry).at(-1)).toEqual({
      id: 'toy',
      label: 'Toy OTLP receiver',
      help: '4317/tcp host port and DD_TOY_ENABLED',
      defaultOn: false,
      linuxOnly: true,
      notOnEcsAnywhere: false,
      notOnManagedInstances: false,
      notOnManagedInstancesReason: undefined,
      requiresSite: undefined,
      requiresFeatures: ['apm'],
      minimumAgentVersion: '7.35+',
    });
  });
});

describe('createFeatureRegistry', () => {
  it.each([
    ['a duplicate id', [toyModule, toyModule], 'registered twice'],
    [
      'a detector of another feature',
      [{ id: 'other', detector: toyDetector }],
      'has the detector of "toy"',
    ],
    [
      'a chip without a detector',
      [{ id: 'chip', chip: true }],
      'chip without a detector',
    ],
    [
      'a required feature without a toggle',
      [{ id: 'needy', toggle: { ...toyModule.toggle } }],
      'requires "apm", which has no toggle',
    ],
  ])('refuses %s', (_name, modules, message) => {
    expect(() => createFeatureRegistry(modules as never)).toThrow(message);
  });
});

describe('the built-in registry', () => {
  it('derives the lists the backend and the dialog used to write by hand', () => {
    expect(FEATURE_TOGGLE_IDS).toEqual([
      'apm',
      'dogstatsd',
      'logs',
      'process',
      'npm',
      'resourceTags',
      'healthCheck',
      'fipsProxy',
      'apmSocket',
    ]);
    expect(CHIP_FEATURE_IDS).toEqual([
      'apm',
      'dogstatsd',
      'logs',
      'process',
      'npm',
      'resourceTags',
      'healthCheck',
      'ecsAnywhere',
      'fipsProxy',
    ]);
    expect(defaultFeatureToggles(agentFeatureRegistry)).toEqual({
      apm: true,
      dogstatsd: true,
      logs: true,
      process: false,
      npm: false,
      resourceTags: false,
      healthCheck: true,
      fipsProxy: false,
      apmSocket: false,
    });
    // On Managed Instances only the defaults that apply there: the health check.
    expect(
      defaultFeatureToggles(agentFeatureRegistry, { target: 'managed-daemon' }),
    ).toEqual({
      apm: false,
      dogstatsd: false,
      logs: false,
      process: false,
      npm: false,
      resourceTags: false,
      healthCheck: true,
      fipsProxy: false,
      apmSocket: false,
    });
    expect(
      defaultFeatureToggles(agentFeatureRegistry, { target: 'daemon-service' }),
    ).toEqual(defaultFeatureToggles(agentFeatureRegistry));
  });

  it('keeps the dialog’s words and states each toggle’s constraints', () => {
    expect(
      featureToggleMetadata(agentFeatureRegistry).map(t => [
        t.id,
        t.label,
        t.help,
      ]),
    ).toEqual([
      [
        'apm',
        'APM (traces)',
        '8126/tcp host port, DD_APM_ENABLED and DD_APM_NON_LOCAL_TRAFFIC',
      ],
      [
        'dogstatsd',
        'DogStatsD (custom metrics)',
        '8125/udp host port and DD_DOGSTATSD_NON_LOCAL_TRAFFIC',
      ],
      [
        'logs',
        'Log collection',
        'DD_LOGS_ENABLED, collect all containers, the pointdir mount',
      ],
      ['process', 'Live processes', 'DD_PROCESS_AGENT_ENABLED'],
      [
        'npm',
        'Network performance monitoring',
        'system-probe; Linux on EC2 only',
      ],
      [
        'resourceTags',
        'ECS resource tags',
        'DD_ECS_COLLECT_RESOURCE_TAGS_EC2 (Agent 7.17+)',
      ],
      [
        'healthCheck',
        'Container health check',
        'The guide’s `agent health` health check',
      ],
      [
        'fipsProxy',
        'FIPS proxy',
        'Datadog for Government (ddog-gov.com), Linux only',
      ],
      [
        'apmSocket',
        'APM and DogStatsD over Unix sockets',
        'Shares /var/run/datadog with applications; Linux only',
      ],
    ]);
    const byId = Object.fromEntries(
      featureToggleMetadata(agentFeatureRegistry).map(t => [t.id, t]),
    );
    expect(
      Object.values(byId)
        .filter(t => t.linuxOnly)
        .map(t => t.id),
    ).toEqual(['npm', 'fipsProxy', 'apmSocket']);
    expect(byId.npm.notOnEcsAnywhere).toBe(true);
    // What the dialog hides or disables for a managed daemon (ECS Managed Instances), and why.
    expect(
      Object.values(byId)
        .filter(t => t.notOnManagedInstances)
        .map(t => [t.id, t.notOnManagedInstancesReason?.length ? 'why' : '']),
    ).toEqual([
      ['apm', 'why'],
      ['dogstatsd', 'why'],
      ['logs', 'why'],
      ['npm', 'why'],
      ['fipsProxy', 'why'],
    ]);
    expect(byId.apm.notOnManagedInstancesReason).toContain(
      'datadog-agent-ecs-managed-instances-daemon-apm.json',
    );
    expect(byId.fipsProxy.requiresSite).toBe('ddog-gov.com');
    expect(byId.resourceTags.minimumAgentVersion).toBe('6.17+ or 7.17+');
  });
});
