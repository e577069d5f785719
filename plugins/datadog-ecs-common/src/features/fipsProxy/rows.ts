/* The FIPS proxy. */
import {
  build,
  clean,
  cleanWindows,
  env,
  FeatureRows,
  Mutation,
  Row,
} from '../__fixtures__/rows';

const fipsSidecar: Mutation = td => {
  td.containerDefinitions!.push({
    name: 'fips-proxy',
    image: 'datadog/fips-proxy:1.1.3',
    essential: true,
    portMappings: [{ containerPort: 9803, protocol: 'tcp' }],
    environment: [
      { name: 'DD_FIPS_PORT_RANGE_START', value: '9803' },
      { name: 'DD_FIPS_LOCAL_ADDRESS', value: '127.0.0.1' },
    ],
  });
};
const fipsAgentEnv = env({
  DD_FIPS_ENABLED: 'true',
  DD_FIPS_PORT_RANGE_START: '9803',
  DD_FIPS_HTTPS: 'false',
});

const rows: Row[] = [
  {
    name: 'FIPS proxy as the guide documents it',
    taskDefinition: build(
      clean,
      env({ DD_SITE: 'ddog-gov.com' }),
      fipsAgentEnv,
      fipsSidecar,
    ),
    findings: [],
    states: { fipsProxy: 'on' },
  },
  {
    name: 'government site without the FIPS proxy',
    taskDefinition: build(clean, env({ DD_SITE: 'ddog-gov.com' })),
    findings: ['fipsProxy.government-site-without-proxy'],
    states: { fipsProxy: 'off' },
  },
  {
    name: 'FIPS proxy on a commercial site',
    taskDefinition: build(clean, fipsAgentEnv, fipsSidecar),
    findings: ['fipsProxy.non-government-site'],
    states: { fipsProxy: 'misconfigured' },
  },
  {
    name: 'FIPS proxy on Windows',
    taskDefinition: build(
      cleanWindows,
      env({ DD_SITE: 'ddog-gov.com' }),
      fipsAgentEnv,
      fipsSidecar,
    ),
    findings: ['fipsProxy.windows-unsupported'],
    states: { fipsProxy: 'misconfigured' },
  },
  {
    name: 'DD_FIPS_ENABLED without the sidecar',
    taskDefinition: build(
      clean,
      env({ DD_SITE: 'ddog-gov.com' }),
      fipsAgentEnv,
    ),
    findings: ['fipsProxy.missing-sidecar'],
    states: { fipsProxy: 'misconfigured' },
  },
  {
    name: 'FIPS sidecar the Agent does not use',
    taskDefinition: build(clean, env({ DD_SITE: 'ddog-gov.com' }), fipsSidecar),
    findings: ['fipsProxy.agent-not-using-proxy'],
    states: { fipsProxy: 'misconfigured' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'fipsProxy',
  findingIds: [
    'fipsProxy.non-government-site',
    'fipsProxy.windows-unsupported',
    'fipsProxy.missing-sidecar',
    'fipsProxy.agent-not-using-proxy',
    'fipsProxy.government-site-without-proxy',
  ],
  rows,
};
