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
