import {
  DEFAULT_DATADOG_SITE,
  FIPS_PROXY,
  GOVERNMENT_DATADOG_SITE,
} from '../datadogDefaults';
import { defineDetector, DetectorFinding, isTrue } from '../inspect';

/**
 * The FIPS proxy sidecar for Datadog for Government.
 *
 * @public
 */
export const fipsProxyFeature = defineDetector({
  id: 'fipsProxy',
  title: 'FIPS proxy',
  description:
    'Sends the Agent’s traffic through the fips-proxy sidecar to the Datadog for Government site (Linux only).',
  detect: ctx => {
    const { env, taskDefinition, windows } = ctx;
    const sidecar = (taskDefinition.containerDefinitions ?? []).find(
      c =>
        c.name === FIPS_PROXY.containerName ||
        (c.image ?? '').split(/[:@]/)[0].endsWith(FIPS_PROXY.repository),
    );
    const agentUsesProxy = isTrue(env('DD_FIPS_ENABLED'));
    const site = env('DD_SITE') || DEFAULT_DATADOG_SITE;
    const enabled = !!sidecar || agentUsesProxy;
    const findings: DetectorFinding[] = [];
    if (!enabled) {
      const government = site === GOVERNMENT_DATADOG_SITE;
      if (government) {
        findings.push({
          id: 'fipsProxy.government-site-without-proxy',
          severity: 'info',
          title: 'Government site without the FIPS proxy',
          explanation:
            'The Agent reports to Datadog for Government, and the guide sends that traffic through the fips-proxy sidecar.',
          remedy:
            'Add the fips-proxy container (datadog/fips-proxy, ports 9803-9818/tcp) and DD_FIPS_ENABLED=true, DD_FIPS_PORT_RANGE_START=9803, DD_FIPS_HTTPS=false on the Agent.',
        });
      }
      return {
        state: government ? 'off' : 'not-applicable',
        summary: 'The Agent sends its data directly, without the FIPS proxy.',
        findings,
      };
    }
    if (site !== GOVERNMENT_DATADOG_SITE) {
      findings.push({
        id: 'fipsProxy.non-government-site',
        severity: 'critical',
        title: 'FIPS proxy with a non-government site',
        explanation: `The FIPS proxy is documented only for the Datadog for Government site (ddog-gov.com); this Agent reports to ${site}.`,
        remedy:
          'Remove the fips-proxy container and DD_FIPS_* variables, or set DD_SITE=ddog-gov.com.',
      });
    }
    if (windows) {
      findings.push({
        id: 'fipsProxy.windows-unsupported',
        severity: 'critical',
        title: 'FIPS proxy on Windows',
        explanation: 'The guide documents the FIPS proxy for Linux only.',
        remedy:
          'Remove the fips-proxy container and DD_FIPS_* variables from the Windows definition.',
      });
    }
    if (agentUsesProxy && !sidecar) {
      findings.push({
        id: 'fipsProxy.missing-sidecar',
        severity: 'critical',
        title: 'DD_FIPS_ENABLED without the fips-proxy container',
        explanation:
          'The Agent sends its data to a local FIPS proxy that is not part of the task, so nothing reaches Datadog.',
        remedy:
          'Add the fips-proxy container (image datadog/fips-proxy, ports 9803-9818/tcp, essential).',
      });
    }
    if (sidecar && !agentUsesProxy) {
      findings.push({
        id: 'fipsProxy.agent-not-using-proxy',
        severity: 'warning',
        title: 'fips-proxy container unused',
        explanation:
          'The fips-proxy sidecar runs, but the Agent does not send through it, so its traffic is not FIPS-protected.',
        remedy:
          'Add DD_FIPS_ENABLED=true, DD_FIPS_PORT_RANGE_START=9803 and DD_FIPS_HTTPS=false to the Agent container.',
      });
    }
    return {
      state: findings.some(f => f.severity !== 'info') ? 'misconfigured' : 'on',
      summary: 'The Agent sends its data through the FIPS proxy sidecar.',
      findings,
      details: sidecar?.image ? { image: sidecar.image } : undefined,
    };
  },
});
