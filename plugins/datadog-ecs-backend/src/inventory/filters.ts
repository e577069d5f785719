import {
  agentFeatureCatalog,
  ClusterSummary,
  ClustersResponse,
  COVERAGE_STATES_BEST_FIRST,
  CoverageState,
  FeatureState,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { z } from 'zod';
import {
  accountIdSchema,
  entityKindSchema,
  entityNameSchema,
  entityNamespaceSchema,
  regionSchema,
} from '../validation';

const FEATURE_STATES = [
  'on',
  'off',
  'misconfigured',
  'not-applicable',
] as const;
const FEATURE_IDS = agentFeatureCatalog.map(detector => detector.id);

/** At most this many owner refs in one `GET /clusters` (a user's groups; the document says it too). */
export const MAX_OWNER_REFS = 100;

/**
 * One full catalog entity ref, `kind:namespace/name`, by the catalog's rules for each part; as its
 * comparison key (entity refs are case-insensitive).
 */
const ownerRefSchema = z
  .string()
  .refine(value => {
    const m = /^([^:/]+):([^:/]+)\/([^:/]+)$/.exec(value);
    return Boolean(
      m &&
        entityKindSchema.safeParse(m[1]).success &&
        entityNamespaceSchema.safeParse(m[2]).success &&
        entityNameSchema.safeParse(m[3]).success,
    );
  }, 'must be full entity refs like group:default/payments')
  .transform(ref => ref.toLocaleLowerCase('en-US'));

/** `GET /clusters` query, validated; errors name the parameter. */
export const clusterQuerySchema = z
  .object({
    account: accountIdSchema.optional(),
    region: regionSchema.optional(),
    state: z
      .union([z.string(), z.array(z.string())])
      .transform(v => (Array.isArray(v) ? v : [v]))
      .pipe(
        z.array(
          z.enum(
            COVERAGE_STATES_BEST_FIRST as [CoverageState, ...CoverageState[]],
          ),
        ),
      )
      .optional(),
    feature: z
      .string()
      .regex(
        new RegExp(
          `^(${FEATURE_IDS.join('|')}):(${FEATURE_STATES.join('|')})$`,
        ),
        `must be <feature>:<state>, e.g. apm:off, with a feature among ${FEATURE_IDS.join(
          ', ',
        )} and a state among ${FEATURE_STATES.join(', ')}`,
      )
      .optional(),
    q: z.string().max(200, 'must be at most 200 characters').optional(),
    /** Repeated and/or comma-separated: `owner=group:default/a&owner=user:default/b,group:default/c`. */
    owner: z
      .union([z.string(), z.array(z.string())])
      .transform(v =>
        (Array.isArray(v) ? v : [v])
          .flatMap(part => part.split(','))
          .map(ref => ref.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(ownerRefSchema)
          .min(1, 'must name at least one entity ref')
          .max(
            MAX_OWNER_REFS,
            `must name at most ${MAX_OWNER_REFS} entity refs`,
          ),
      )
      .optional(),
  })
  .strict();

export type ClusterQuery = z.infer<typeof clusterQuerySchema>;

/** Applies `GET /clusters` filters. Pure. */
export function filterClusters(
  clusters: ClusterSummary[],
  query: ClusterQuery,
): ClusterSummary[] {
  const [featureId, featureState] = (query.feature?.split(':') ?? []) as [
    string?,
    FeatureState?,
  ];
  const text = query.q?.trim().toLocaleLowerCase('en-US');
  const owners = query.owner ? new Set(query.owner) : undefined;
  return clusters.filter(c => {
    if (owners && !(c.owner && owners.has(c.owner.toLocaleLowerCase('en-US'))))
      return false;
    if (query.account && c.accountId !== query.account) return false;
    if (query.region && c.region !== query.region) return false;
    if (query.state && !query.state.includes(c.state)) return false;
    if (featureId) {
      const chip = c.features.find(f => f.id === featureId);
      // A cluster without the Agent has every feature off.
      const state = chip?.state ?? 'off';
      if (state !== featureState) return false;
    }
    if (text) {
      const haystack = [
        c.clusterName,
        c.accountId,
        c.region,
        c.locationName ?? '',
      ]
        .join(' ')
        .toLocaleLowerCase('en-US');
      if (!haystack.includes(text)) return false;
    }
    return true;
  });
}

export function fleetTotals(
  clusters: ClusterSummary[],
): ClustersResponse['totals'] {
  const instances = clusters.reduce((n, c) => n + c.counts.instances, 0);
  const covered = clusters.reduce((n, c) => n + c.counts.covered, 0);
  return {
    clusters: clusters.length,
    instances,
    covered,
    coveragePercent:
      instances === 0 ? null : Math.floor((covered * 100) / instances),
  };
}
