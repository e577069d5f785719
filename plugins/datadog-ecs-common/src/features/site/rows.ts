/* Datadog site: missing, mismatched, unknown. */
import { loadReference } from '../../rendering/__fixtures__/referenceTaskDefinitions';
import {
  build,
  clean,
  env,
  FeatureRows,
  PUBLISHED,
  Row,
} from '../__fixtures__/rows';

const rows: Row[] = [
  {
    name: 'published logs file (no DD_SITE) for an EU organization',
    taskDefinition: loadReference('datadog-agent-ecs-logs.json'),
    expectedSite: 'datadoghq.eu',
    findings: [
      ...PUBLISHED,
      'core.cpu-10-units-or-fewer',
      'logs.missing-containers-root-mount',
      'site.missing-defaults-to-us1',
    ],
    states: { site: 'misconfigured' },
  },
  {
    name: 'published Managed Instances daemon (site placeholder)',
    taskDefinition: loadReference(
      'datadog-agent-ecs-managed-instances-daemon.json',
    ),
    findings: [...PUBLISHED, 'site.unknown'],
    states: { core: 'on', site: 'misconfigured' },
  },
  {
    name: 'DD_SITE missing, organization on US1',
    taskDefinition: build(clean, env({ DD_SITE: undefined })),
    expectedSite: 'datadoghq.com',
    findings: [],
    states: { site: 'on' },
  },
  {
    name: 'DD_SITE differs from the organization site',
    taskDefinition: clean,
    expectedSite: 'datadoghq.eu',
    findings: ['site.mismatch'],
    states: { site: 'misconfigured' },
  },
  {
    name: 'DD_SITE not a Datadog site',
    taskDefinition: build(clean, env({ DD_SITE: 'datadoghq.co' })),
    findings: ['site.unknown'],
    states: { site: 'misconfigured' },
  },
];

export const featureRows: FeatureRows = {
  feature: 'site',
  findingIds: ['site.mismatch', 'site.missing-defaults-to-us1', 'site.unknown'],
  rows,
};
