import { EcsTaskDefinition } from '../ecsTypes';
import { loadReference } from './__fixtures__/referenceTaskDefinitions';
import { diffTaskDefinitions, maskSecrets } from './diff';
import { normalizeTaskDefinition } from './normalize';
import { renderAgentTaskDefinition } from './render';
import { featuresFromTaskDefinition, variantFromInstances } from './reverse';

const KEY = '0123456789abcdef0123456789abcdef';
const render = (features: Record<string, boolean>, value = KEY) =>
  renderAgentTaskDefinition({
    variant: 'linux',
    features,
    image: { tag: '7.60.0' },
    apiKey: { source: 'plaintext', value },
  });

/** What DescribeTaskDefinition returns for a registered rendering: read-only fields, defaults, other order. */
function described(td: EcsTaskDefinition): EcsTaskDefinition {
  const copy = structuredClone(td);
  for (const c of copy.containerDefinitions ?? []) {
    c.environment = [...(c.environment ?? [])].reverse();
    c.mountPoints = c.mountPoints?.map(m => ({
      ...m,
      readOnly: m.readOnly ?? false,
    }));
    Object.assign(c, { volumesFrom: [], systemControls: [] });
  }
  copy.volumes = [...(copy.volumes ?? [])].reverse();
  return {
    ...copy,
    taskDefinitionArn:
      'arn:aws:ecs:us-east-1:123456789012:task-definition/datadog-agent-task:7',
    revision: 7,
    status: 'ACTIVE',
    registeredAt: new Date('2025-01-01T00:00:00Z'),
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/backstage/x',
    requiresAttributes: [
      { name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' },
    ],
    compatibilities: ['EC2', 'EXTERNAL'],
    networkMode: 'bridge',
    placementConstraints: [],
  };
}

describe('normalizeTaskDefinition', () => {
  it('makes a described revision equal to the rendering it came from', () => {
    const rendered = render({ apm: true, logs: true, npm: true });
    expect(normalizeTaskDefinition(described(rendered))).toEqual(
      normalizeTaskDefinition(rendered),
    );
    expect(diffTaskDefinitions(described(rendered), rendered)).toEqual([]);
  });

  it('drops read-only fields, nulls and empty arrays and sorts by identity', () => {
    const normalized = normalizeTaskDefinition(
      described(loadReference('datadog-agent-ecs.json')),
    );
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'registeredAt',
      'registeredBy',
      'requiresAttributes',
      'compatibilities',
      'placementConstraints',
      'networkMode',
    ]) {
      expect(normalized).not.toHaveProperty(field);
    }
    const agent = normalized.containerDefinitions![0];
    expect(agent).not.toHaveProperty('volumesFrom');
    expect(agent.mountPoints!.map(m => m.containerPath)).toEqual([
      '/host/proc',
      '/host/sys/fs/cgroup',
      '/var/run/docker.sock',
    ]);
    expect(agent.mountPoints!.every(m => !('readOnly' in m))).toBe(true);
    expect(agent.environment!.map(e => e.name)).toEqual([
      'DD_API_KEY',
      'DD_SITE',
    ]);
    expect(normalized.volumes!.map(v => v.name)).toEqual([
      'cgroup',
      'docker_sock',
      'proc',
    ]);
  });

  it('keeps a meaningful network mode and readOnly true', () => {
    const normalized = normalizeTaskDefinition({
      ...loadReference('datadog-agent-sysprobe-ecs.json'),
      networkMode: 'awsvpc',
    });
    expect(normalized.networkMode).toBe('awsvpc');
    expect(
      normalized.containerDefinitions![0].mountPoints!.filter(m => m.readOnly)
        .length,
    ).toBe(3);
  });
});

describe('diffTaskDefinitions', () => {
  it('names changes by container, variable, mount, port and volume', () => {
    const changes = diffTaskDefinitions(
      render({}),
      render({ apm: true, process: true }),
    );
    expect(changes).toEqual([
      {
        path: 'containerDefinitions[datadog-agent].environment.DD_APM_ENABLED',
        kind: 'added',
        after: 'true',
      },
      {
        path: 'containerDefinitions[datadog-agent].environment.DD_APM_NON_LOCAL_TRAFFIC',
        kind: 'added',
        after: 'true',
      },
      {
        path: 'containerDefinitions[datadog-agent].environment.DD_PROCESS_AGENT_ENABLED',
        kind: 'added',
        after: 'true',
      },
      {
        path: 'containerDefinitions[datadog-agent].mountPoints[/etc/passwd]',
        kind: 'added',
        after: {
          containerPath: '/etc/passwd',
          sourceVolume: 'passwd',
          readOnly: true,
        },
      },
      {
        path: 'containerDefinitions[datadog-agent].portMappings[8126/tcp]',
        kind: 'added',
        after: { hostPort: 8126, protocol: 'tcp', containerPort: 8126 },
      },
      {
        path: 'volumes[passwd]',
        kind: 'added',
        after: { host: { sourcePath: '/etc/passwd' }, name: 'passwd' },
      },
    ]);
  });

  it('reports removals and changed values', () => {
    const before = { ...render({ dogstatsd: true }), networkMode: 'awsvpc' };
    const changes = diffTaskDefinitions(before, render({}));
    expect(changes.map(c => [c.path, c.kind])).toEqual([
      [
        'containerDefinitions[datadog-agent].environment.DD_DOGSTATSD_NON_LOCAL_TRAFFIC',
        'removed',
      ],
      ['containerDefinitions[datadog-agent].portMappings[8125/udp]', 'removed'],
      ['networkMode', 'removed'],
    ]);
    const upgrade = diffTaskDefinitions(
      render({}),
      renderAgentTaskDefinition({
        variant: 'linux',
        features: {},
        image: { tag: '7.61.0' },
        apiKey: { source: 'plaintext', value: KEY },
      }),
    );
    expect(upgrade).toEqual([
      {
        path: 'containerDefinitions[datadog-agent].image',
        kind: 'changed',
        before: 'public.ecr.aws/datadog/agent:7.60.0',
        after: 'public.ecr.aws/datadog/agent:7.61.0',
      },
    ]);
  });

  it('lists each container and volume of a first rollout, with keys masked', () => {
    const changes = diffTaskDefinitions(undefined, render({}));
    expect(changes.map(c => [c.path, c.kind])).toEqual([
      ['containerDefinitions[datadog-agent]', 'added'],
      ['family', 'added'],
      ['volumes[cgroup]', 'added'],
      ['volumes[docker_sock]', 'added'],
      ['volumes[proc]', 'added'],
    ]);
    expect(JSON.stringify(changes)).not.toContain(KEY);
    expect(JSON.stringify(changes)).toContain('********');
  });

  it('reports a changed API key without showing it', () => {
    const changes = diffTaskDefinitions(
      render({}),
      render({}, 'fedcba9876543210fedcba9876543210'),
    );
    expect(changes).toEqual([
      {
        path: 'containerDefinitions[datadog-agent].environment.DD_API_KEY',
        kind: 'changed',
        before: '********',
        after: '********',
      },
    ]);
  });

  it('reports moving the key to Secrets Manager', () => {
    const secret = renderAgentTaskDefinition({
      variant: 'linux',
      features: {},
      image: { tag: '7.60.0' },
      apiKey: {
        source: 'secretsManager',
        secretArn:
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-AbCdEf',
        executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      },
    });
    expect(diffTaskDefinitions(render({}), secret)).toEqual([
      {
        path: 'containerDefinitions[datadog-agent].environment.DD_API_KEY',
        kind: 'removed',
        before: '********',
      },
      {
        path: 'containerDefinitions[datadog-agent].secrets.DD_API_KEY',
        kind: 'added',
        after: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dd-AbCdEf',
      },
      {
        path: 'executionRoleArn',
        kind: 'added',
        after: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
      },
    ]);
  });
});

describe('maskSecrets', () => {
  it('hides plaintext keys but keeps placeholders', () => {
    const masked = maskSecrets(render({}));
    expect(masked.containerDefinitions![0].environment).toContainEqual({
      name: 'DD_API_KEY',
      value: '********',
    });
    const published = maskSecrets(loadReference('datadog-agent-ecs.json'));
    expect(published.containerDefinitions![0].environment).toContainEqual({
      name: 'DD_API_KEY',
      value: '<YOUR_DATADOG_API_KEY>',
    });
  });
});

describe('featuresFromTaskDefinition', () => {
  it.each([
    ['datadog-agent-ecs.json', {}],
    ['datadog-agent-ecs-logs.json', { logs: true }],
    ['datadog-agent-sysprobe-ecs.json', { npm: true }],
    ['datadog-agent-ecs-apm-uds.json', { apmSocket: true }],
  ] as const)('reads %s', (file, on) => {
    expect(featuresFromTaskDefinition(loadReference(file))).toEqual({
      ...featuresFromTaskDefinition({}),
      ...on,
    });
  });

  it('counts a misconfigured feature as meant to be on', () => {
    const td = render({});
    td.containerDefinitions![0].portMappings = [
      { containerPort: 8125, hostPort: 8125, protocol: 'udp' },
    ];
    expect(featuresFromTaskDefinition(td).dogstatsd).toBe(true);
  });
});

describe('variantFromInstances', () => {
  it('defaults to Linux on EC2', () => {
    expect(variantFromInstances([])).toEqual({
      variant: 'linux',
      external: false,
      mixedFleet: false,
      mixedReasons: [],
      generationUnknown: 0,
    });
  });

  it('picks the majority and flags mixed fleets', () => {
    expect(
      variantFromInstances([
        { os: 'windows' },
        { os: 'windows' },
        { os: 'linux', amazonLinuxGeneration: 2 },
      ]),
    ).toMatchObject({
      variant: 'windows',
      mixedFleet: true,
    });
    expect(
      variantFromInstances([
        { os: 'linux', amazonLinuxGeneration: 1 },
        { os: 'linux', amazonLinuxGeneration: 1 },
      ]),
    ).toEqual({
      variant: 'amazon-linux-1',
      external: false,
      mixedFleet: false,
      mixedReasons: [],
      generationUnknown: 0,
    });
    const mixed = variantFromInstances([
      { os: 'linux', amazonLinuxGeneration: 1 },
      { os: 'linux', amazonLinuxGeneration: 2023, external: true },
      { os: 'linux', external: true },
    ]);
    expect(mixed.variant).toBe('linux');
    expect(mixed.external).toBe(true);
    expect(mixed.mixedReasons).toEqual([
      '1 Amazon Linux 1 and 2 other Linux instances (different cgroup paths)',
      '1 EC2 and 2 ECS Anywhere (EXTERNAL) instances',
    ]);
  });
});
