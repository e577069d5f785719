import {
  compareAgentVersions,
  findAgentContainer,
  isAgentImage,
  isAgentVersionAtLeast,
  parseAgentVersion,
  parseImageReference,
  AGENT_MINIMUM_VERSIONS,
} from './agentImage';

describe('isAgentImage', () => {
  it.each([
    'public.ecr.aws/datadog/agent:7.60.0',
    'gcr.io/datadoghq/agent:7',
    'eu.gcr.io/datadoghq/agent:latest',
    'datadog/agent:latest',
    'datadog/agent',
    'datadoghq/agent:7.60.0-jmx',
    'docker.io/datadog/agent:7.60.0',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/datadog/agent:7.60.0',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/docker-hub/datadog/agent:7.60.0',
    'registry.datadoghq.com/agent:7.60.0',
    `public.ecr.aws/datadog/agent@sha256:${'0'.repeat(64)}`,
  ])('recognizes %s', image => {
    expect(isAgentImage(image)).toBe(true);
  });

  it.each([
    'datadog/cluster-agent:7.60.0',
    'datadog/dogstatsd:7.60.0',
    'datadog/agent-dev:nightly',
    'datadog/docker-dd-agent:latest',
    'datadog/fips-proxy:1.1.3',
    'nginx:1.27',
    'example.com/agent:1',
    undefined,
  ])('does not take %s for the node Agent', image => {
    expect(isAgentImage(image)).toBe(false);
  });

  it('accepts extra repositories', () => {
    expect(
      isAgentImage('registry.example.com/platform/dd:7.60.0', [
        'registry.example.com/platform/dd',
      ]),
    ).toBe(true);
  });

  it('falls back to the container named datadog-agent', () => {
    const td = {
      containerDefinitions: [
        { name: 'web', image: 'nginx' },
        { name: 'datadog-agent', image: 'registry.example.com/dd:7' },
      ],
    };
    expect(findAgentContainer(td)?.name).toBe('datadog-agent');
    expect(
      findAgentContainer({
        containerDefinitions: [{ name: 'web', image: 'nginx' }],
      }),
    ).toBeUndefined();
  });
});

describe('parseImageReference', () => {
  it('splits registry with port, repository, tag and digest', () => {
    expect(
      parseImageReference('localhost:5000/datadog/agent:7.60.0@sha256:abc'),
    ).toEqual({
      registry: 'localhost:5000',
      repository: 'datadog/agent',
      tag: '7.60.0',
      digest: 'sha256:abc',
    });
    expect(parseImageReference('datadog/agent')).toEqual({
      repository: 'datadog/agent',
    });
  });
});

describe('parseAgentVersion', () => {
  it.each([
    ['public.ecr.aws/datadog/agent:7.60.0', { major: 7, minor: 60, patch: 0 }],
    [
      'public.ecr.aws/datadog/agent:7.60.1-jmx',
      { major: 7, minor: 60, patch: 1 },
    ],
    ['datadog/agent:6.15.0', { major: 6, minor: 15, patch: 0 }],
    ['datadog/agent:7.60', { major: 7, minor: 60, patch: 0 }],
    ['datadog/agent:7.61.0-rc.3', { major: 7, minor: 61, patch: 0 }],
    [
      'datadog/agent:7.60.0-servercore-ltsc2022',
      { major: 7, minor: 60, patch: 0 },
    ],
    ['datadog/agent:latest', undefined],
    ['datadog/agent:latest-jmx', undefined],
    ['datadog/agent:7', undefined],
    ['datadog/agent:7-jmx', undefined],
    ['datadog/agent', undefined],
    [`datadog/agent@sha256:${'0'.repeat(64)}`, undefined],
  ])('%s', (image, expected) => {
    expect(parseAgentVersion(image)).toEqual(expected);
  });

  it('compares versions and per-major minimums', () => {
    const v = (major: number, minor: number, patch = 0) => ({
      major,
      minor,
      patch,
    });
    expect(compareAgentVersions(v(7, 17, 0), v(7, 9, 9))).toBeGreaterThan(0);
    expect(compareAgentVersions(v(6, 17), v(6, 17))).toBe(0);
    const tags = AGENT_MINIMUM_VERSIONS.resourceTags;
    expect(isAgentVersionAtLeast(v(6, 17), tags)).toBe(true);
    expect(isAgentVersionAtLeast(v(6, 16, 9), tags)).toBe(false);
    expect(isAgentVersionAtLeast(v(7, 16), tags)).toBe(false);
    expect(isAgentVersionAtLeast(v(8, 0), tags)).toBe(true);
    expect(isAgentVersionAtLeast(v(5, 32), tags)).toBe(false);
    expect(isAgentVersionAtLeast(v(7, 0), AGENT_MINIMUM_VERSIONS.awsvpc)).toBe(
      true,
    );
    expect(isAgentVersionAtLeast(v(6, 9), AGENT_MINIMUM_VERSIONS.awsvpc)).toBe(
      false,
    );
  });
});
