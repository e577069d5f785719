import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AgentFeatureToggles,
  DATADOG_SITES,
  RolloutRequest,
  StartRolloutRequest,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { z } from 'zod';
import {
  entityKindSchema,
  entityNameSchema,
  entityNamespaceSchema,
  parseInput,
} from '../validation';

const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DD_TAG = /^[^\s:]+:\S+$/;

/** Every feature toggle a request may set (the keys of `AgentFeatureToggles`). */
export const FEATURE_IDS = [
  'apm',
  'dogstatsd',
  'logs',
  'process',
  'npm',
  'resourceTags',
  'healthCheck',
  'fipsProxy',
  'apmSocket',
] as const satisfies ReadonlyArray<keyof AgentFeatureToggles>;

const featuresSchema = z
  .object(
    Object.fromEntries(
      FEATURE_IDS.map(id => [id, z.boolean().optional()]),
    ) as Record<(typeof FEATURE_IDS)[number], z.ZodOptional<z.ZodBoolean>>,
  )
  .strict();

const entityRefSchema = z
  .string()
  .min(1)
  .max(512)
  .transform((value, ctx) => {
    try {
      const ref = parseEntityRef(value, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      });
      // The catalog's rules for each part: no traversal, NUL, non-ASCII or smuggled separators.
      const parts = z
        .object({
          kind: entityKindSchema,
          namespace: entityNamespaceSchema,
          name: entityNameSchema,
        })
        .safeParse(ref);
      if (!parts.success) throw new Error('not an entity ref');
      return stringifyEntityRef(ref);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an entity ref like component:default/name',
      });
      return z.NEVER;
    }
  });

/** The body of `POST …/rollouts/preview` (and the `preview-rollout` action). Unknown fields are refused. */
export const rolloutRequestSchema = z
  .object({
    variant: z.enum(['linux', 'amazon-linux-1', 'windows']).optional(),
    external: z.boolean().optional(),
    features: featuresSchema.optional(),
    site: z.enum(DATADOG_SITES).optional(),
    tags: z
      .array(z.string().regex(DD_TAG, 'must be key:value without spaces'))
      .max(50, 'at most 50 tags')
      .optional(),
    imageTag: z
      .string()
      .regex(IMAGE_TAG, 'must be a valid image tag')
      .optional(),
    entityRef: entityRefSchema.optional(),
  })
  .strict();

/** The body of `POST …/rollouts`: the preview body plus an idempotency `clientToken`. */
export const startRolloutRequestSchema = rolloutRequestSchema
  .extend({
    clientToken: z
      .string()
      .regex(
        /^[\x21-\x7e]{1,64}$/,
        'must be 1 to 64 printable ASCII characters without spaces',
      )
      .optional(),
  })
  .strict();

export { clusterParamsSchema } from '../validation';

export const rolloutIdSchema = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'must be a rollout id (a UUID)',
  );

/** Typed parsers. */
export const parseRolloutRequest = (body: unknown): RolloutRequest =>
  parseInput(rolloutRequestSchema, body, 'body');
export const parseStartRolloutRequest = (body: unknown): StartRolloutRequest =>
  parseInput(startRolloutRequestSchema, body, 'body');
