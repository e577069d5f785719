import { DATADOG_SITES, DEFAULT_DATADOG_SITE } from '../datadogDefaults';
import { defineDetector, DetectorFinding } from '../inspect';

/**
 * The Datadog site the Agent reports to.
 *
 * @public
 */
export const siteFeature = defineDetector({
  id: 'site',
  title: 'Datadog site',
  description:
    'Which Datadog site receives the data (DD_SITE, default datadoghq.com).',
  detect: ctx => {
    const configured = ctx.env('DD_SITE')?.trim();
    const site = configured || DEFAULT_DATADOG_SITE;
    const expected = ctx.input.expectedSite?.trim();
    const findings: DetectorFinding[] = [];
    if (
      configured &&
      !(DATADOG_SITES as readonly string[]).includes(configured)
    ) {
      findings.push({
        id: 'site.unknown',
        severity: 'warning',
        title: 'Unknown Datadog site',
        explanation: `DD_SITE is "${configured}", which is not a Datadog site, so the Agent cannot deliver data.`,
        remedy: `Set DD_SITE to one of ${DATADOG_SITES.join(', ')}.`,
      });
    }
    if (expected && site !== expected) {
      findings.push(
        configured
          ? {
              id: 'site.mismatch',
              severity: 'critical',
              title: 'Agent reports to the wrong Datadog site',
              explanation: `DD_SITE is ${configured} but the organization uses ${expected}; the data goes to an account nobody looks at (or is rejected).`,
              remedy: `Set DD_SITE=${expected} on the Agent container.`,
            }
          : {
              id: 'site.missing-defaults-to-us1',
              severity: 'critical',
              title: 'DD_SITE missing: the Agent reports to datadoghq.com',
              explanation: `Without DD_SITE the Agent sends to the default US1 site datadoghq.com, but the organization uses ${expected}.`,
              remedy: `Add DD_SITE=${expected} to the Agent container.`,
            },
      );
    }
    return {
      state: findings.some(f => f.severity !== 'info') ? 'misconfigured' : 'on',
      summary: `The Agent sends its data to ${site}${
        configured ? '' : ' (default, DD_SITE not set)'
      }.`,
      findings,
      details: { site },
    };
  },
});
