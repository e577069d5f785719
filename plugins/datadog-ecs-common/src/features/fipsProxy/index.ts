import { EcsContainerDefinition, EcsPortMapping } from '../../ecsTypes';
import { FIPS_PROXY, GOVERNMENT_DATADOG_SITE } from '../datadogDefaults';
import { isTrue } from '../inspect';
import { defineFeature } from '../module';
import { fipsProxyFeature } from './detector';

export { fipsProxyFeature };

function fipsProxyContainer(tag: string): EcsContainerDefinition {
  const portMappings: EcsPortMapping[] = [];
  for (
    let port = FIPS_PROXY.portRangeStart;
    port <= FIPS_PROXY.portRangeEnd;
    port++
  ) {
    portMappings.push({ containerPort: port, protocol: 'tcp' });
  }
  // Exactly the guide's sidecar. It sets no cpu/memory: on EC2 without task-level memory ECS asks for
  // memory or memoryReservation on every container, so registration may need one added.
  return {
    name: FIPS_PROXY.containerName,
    image: `${FIPS_PROXY.repository}:${tag}`,
    portMappings,
    essential: true,
    environment: [
      {
        name: 'DD_FIPS_PORT_RANGE_START',
        value: String(FIPS_PROXY.portRangeStart),
      },
      { name: 'DD_FIPS_LOCAL_ADDRESS', value: '127.0.0.1' },
    ],
  };
}

/**
 * The fips-proxy sidecar for Datadog for Government, Linux only.
 *
 * @public
 */
export const fipsProxyModule = defineFeature({
  id: 'fipsProxy',
  detector: fipsProxyFeature,
  chip: true,
  toggle: {
    label: 'FIPS proxy',
    help: 'Datadog for Government (ddog-gov.com), Linux only',
    constraints: {
      linuxOnly: {
        rule: 'fips-proxy-linux-only',
        message: 'The FIPS proxy is only available for Linux',
      },
      notOnManagedInstances: {
        rule: 'fips-proxy-managed-instances',
        message:
          'The FIPS proxy sidecar needs port mappings (9803-9818/tcp), which a daemon task definition cannot have: it is not documented for ECS Managed Instances',
      },
      // The guide shows the FIPS proxy only for the "gov" site region ("to send data to the Datadog for Government site").
      requiresSite: {
        site: GOVERNMENT_DATADOG_SITE,
        rule: 'fips-proxy-government-site',
        message: options =>
          `The FIPS proxy is documented for the Datadog for Government site (${GOVERNMENT_DATADOG_SITE}) only, not ${options.site}`,
      },
    },
    render: ctx => {
      ctx.env('DD_FIPS_ENABLED', 'true');
      ctx.env('DD_FIPS_PORT_RANGE_START', String(FIPS_PROXY.portRangeStart));
      ctx.env('DD_FIPS_HTTPS', 'false');
      ctx.sidecar(
        fipsProxyContainer(
          ctx.options.fipsProxyImageTag ?? FIPS_PROXY.defaultTag,
        ),
      );
    },
    isOn: ({ env, taskDefinition }) =>
      isTrue(env('DD_FIPS_ENABLED')) ||
      !!taskDefinition.containerDefinitions?.some(
        c => c.name === FIPS_PROXY.containerName,
      ),
  },
});
