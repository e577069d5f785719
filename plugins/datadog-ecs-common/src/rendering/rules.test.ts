/*
 * The rules come from the toggles' constraints in the registry; with several broken, they are
 * reported in the order the renderer has always used (it throws the first): every toggle's platform
 * rules in the registry's order, then minimum Agent versions, then the base's Windows CPU minimum.
 */
import { checkRenderRules, renderOptionsSchema } from './options';

describe('checkRenderRules', () => {
  it('reports platform rules, then versions, then the base', () => {
    const options = renderOptionsSchema.parse({
      variant: 'windows',
      external: true,
      cpu: 256,
      image: { tag: '7.16.0' },
      features: {
        resourceTags: true,
        fipsProxy: true,
        npm: true,
        apmSocket: true,
      },
      apiKey: { source: 'placeholder' },
    });
    expect(checkRenderRules(options)).toEqual([
      {
        rule: 'npm-linux-only',
        message: 'Network performance monitoring is only available for Linux',
      },
      {
        rule: 'npm-ecs-anywhere',
        message:
          'Network performance monitoring is documented for EC2 container instances only (its task definition requires EC2 compatibility), not for ECS Anywhere',
      },
      {
        rule: 'fips-proxy-linux-only',
        message: 'The FIPS proxy is only available for Linux',
      },
      {
        rule: 'fips-proxy-government-site',
        message:
          'The FIPS proxy is documented for the Datadog for Government site (ddog-gov.com) only, not datadoghq.com',
      },
      {
        rule: 'apm-socket-linux-only',
        message:
          'APM over a Unix domain socket (/var/run/datadog) is only available for Linux',
      },
      {
        rule: 'resource-tags-agent-version',
        message:
          'ECS resource tag collection requires Agent 6.17+ or 7.17+, but the image tag is 7.16.0',
      },
      {
        rule: 'windows-cpu-minimum',
        message: 'The Agent needs at least 512 CPU units on Windows, not 256',
      },
    ]);
  });

  it('reports a managed daemon’s platform rules first, its version after the toggles’, its sizes last', () => {
    const options = renderOptionsSchema.parse({
      target: 'managed-daemon',
      variant: 'windows',
      external: true,
      cpu: 128,
      image: { tag: '7.16.0' },
      features: { apm: true, npm: true, resourceTags: true },
      apiKey: { source: 'placeholder' },
    });
    expect(checkRenderRules(options).map(v => v.rule)).toEqual([
      'managed-daemon-linux-only',
      'managed-daemon-ecs-anywhere',
      'apm-managed-instances',
      'npm-linux-only',
      'npm-ecs-anywhere',
      'npm-managed-instances',
      'resource-tags-agent-version',
      'managed-daemon-agent-version',
      'windows-cpu-minimum',
      'managed-daemon-resources-minimum',
    ]);
    expect(
      checkRenderRules(
        renderOptionsSchema.parse({
          target: 'managed-daemon',
          variant: 'linux',
          cpu: 128,
          memory: 256,
          image: { tag: '7.76.0' },
          features: {},
          apiKey: { source: 'placeholder' },
        }),
      ),
    ).toEqual([
      {
        rule: 'managed-daemon-agent-version',
        message:
          'The Agent on ECS Managed Instances requires Agent 7.77.0 or later, but the image tag is 7.76.0',
      },
      {
        rule: 'managed-daemon-resources-minimum',
        message:
          "The Agent's daemon task needs at least 256 CPU units and 512 MiB of memory on ECS Managed Instances, not 128 CPU units and 256 MiB of memory",
      },
    ]);
  });

  it('leaves a DAEMON service’s rendering as it was: the default target', () => {
    const options = renderOptionsSchema.parse({
      variant: 'linux',
      cpu: 10,
      image: { tag: '7.60.0' },
      features: { apm: true, logs: true, npm: true },
      apiKey: { source: 'placeholder' },
    });
    expect(options.target).toBe('daemon-service');
    expect(checkRenderRules(options)).toEqual([]);
  });

  it('is empty for options the guide allows', () => {
    const options = renderOptionsSchema.parse({
      variant: 'linux',
      site: 'ddog-gov.com',
      image: { tag: '7.17.0' },
      features: { resourceTags: true, fipsProxy: true, npm: true },
      apiKey: { source: 'placeholder' },
    });
    expect(checkRenderRules(options)).toEqual([]);
  });
});
