import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  agentFeatureRegistry,
  FEATURE_TOGGLE_IDS,
  featureTogglesRequestSchema,
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

/** Every feature toggle a request may set (the keys of `AgentFeatureToggles`), from the feature registry. */
export const FEATURE_IDS = FEATURE_TOGGLE_IDS;

const featuresSchema = featureTogglesRequestSchema(agentFeatureRegistry);

/** The catalog's rules for each part of the ref; the canonical ref comes out. */
const entityRefSchema = z
  .string()
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

/**
 * The rules of a rollout request that the OpenAPI document does not state, checked after it (for
 * HTTP by the typed router, for actions by their input schema, derived from the document): the
 * feature registry's toggle ids, and the catalog's rules for the entity ref, which comes out in its
 * canonical form. The other fields pass on as the document validated them.
 */
export const rolloutRequestSchema = z
  .object({
    features: featuresSchema.optional(),
    entityRef: entityRefSchema.optional(),
  })
  .passthrough();

/** Typed parsers of a body (or an action's input) the document validated already. */
export const parseRolloutRequest = (
  body: unknown,
  where: 'body' | 'input' = 'body',
): RolloutRequest => parseInput(rolloutRequestSchema, body, where) as RolloutRequest;
export const parseStartRolloutRequest = (
  body: unknown,
  where: 'body' | 'input' = 'body',
): StartRolloutRequest =>
  parseInput(rolloutRequestSchema, body, where) as StartRolloutRequest;
