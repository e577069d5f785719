import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  COVERAGE_STATES_BEST_FIRST,
  DATADOG_SITES,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { SnapshotStore } from '../inventory/SnapshotStore';
import { redactError, Redactor } from '../redaction';
import { z as zod } from 'zod';
import {
  accountIdSchema,
  clusterParamsSchema,
  parseInput,
  regionSchema,
} from '../validation';
import { filterClusters } from '../inventory/filters';
import { rolloutRequestSchema, startRolloutRequestSchema } from './request';
import { RolloutService } from './RolloutService';
import { FEATURE_IDS } from './request';

type Zod = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

const clusterInput = (z: Zod) => ({
  accountId: z
    .string()
    .regex(/^\d{12}$/)
    .describe('The 12-digit AWS account id'),
  region: z.string().describe('The AWS region, e.g. eu-west-1'),
  clusterName: z.string().describe('The ECS cluster name'),
});

const requestInput = (z: Zod) => ({
  variant: z
    .enum(['linux', 'amazon-linux-1', 'windows'])
    .optional()
    .describe('Overrides the variant chosen from the cluster instances'),
  external: z
    .boolean()
    .optional()
    .describe('ECS Anywhere (EXTERNAL); chosen from the instances by default'),
  features: z
    .object(
      Object.fromEntries(FEATURE_IDS.map(id => [id, z.boolean().optional()])),
    )
    .strict()
    .optional()
    .describe(`Agent features to switch on: ${FEATURE_IDS.join(', ')}`),
  site: z
    .enum(DATADOG_SITES)
    .optional()
    .describe('DD_SITE; the portal default when absent'),
  tags: z
    .array(z.string())
    .optional()
    .describe('DD_TAGS entries, each key:value'),
  imageTag: z
    .string()
    .optional()
    .describe('The Agent image tag; the portal default when absent'),
  entityRef: z
    .string()
    .optional()
    .describe(
      'The catalog entity the rollout is for (its owners may roll out); portal-wide permission otherwise',
    ),
});

/** The filters of `get-coverage`, checked as `GET /clusters` checks its query. */
const coverageFiltersSchema = zod.object({
  accountId: accountIdSchema.optional(),
  region: regionSchema.optional(),
  state: zod.array(zod.string()).optional(),
  text: zod.string().max(200, 'must be at most 200 characters').optional(),
});

/** Drops undefined values so that the strict HTTP request schemas accept the action's input. */
const defined = (input: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

/**
 * Registers the plugin's actions (for MCP clients and other plugins): `get-coverage`,
 * `preview-rollout` (both read-only) and `rollout` (destructive). Each checks the same permissions
 * as the REST API, with the action's credentials.
 */
export function registerRolloutActions(options: {
  actionsRegistry: ActionsRegistryService;
  rollouts: RolloutService;
  snapshots: SnapshotStore;
  redactor: Redactor;
}): void {
  const { rollouts, snapshots, redactor } = options;
  // Every action's output and error goes through the redactor, as every HTTP response does.
  const actionsRegistry = {
    register: ((action: any) =>
      options.actionsRegistry.register({
        ...action,
        action: async (context: any) => {
          try {
            const result = await action.action(context);
            return result && { ...result, output: redactor.value(result.output) };
          } catch (error) {
            throw redactError(redactor, error);
          }
        },
      })) as ActionsRegistryService['register'],
  };
  /** The cluster of an action's input, validated as the REST routes validate their path. */
  const clusterOf = (input: { accountId: string; region: string; clusterName: string }) =>
    parseInput(
      clusterParamsSchema,
      { accountId: input.accountId, region: input.region, clusterName: input.clusterName },
      'input',
    );

  actionsRegistry.register({
    name: 'get-coverage',
    title: 'Get Datadog Agent coverage of ECS clusters',
    description:
      'Lists ECS clusters with their Datadog Agent coverage (instances covered / total, worst state, Agent revisions, features), optionally filtered by account, region, coverage state or text.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          accountId: z.string().optional().describe('Only this AWS account'),
          region: z.string().optional().describe('Only this region'),
          state: z
            .array(
              z.enum(
                COVERAGE_STATES_BEST_FIRST as unknown as [string, ...string[]],
              ),
            )
            .optional()
            .describe(
              'Only clusters whose worst instance state is one of these',
            ),
          text: z
            .string()
            .optional()
            .describe('Substring of the cluster name, account or region'),
        })
        .strict(),
      output: z =>
        z.object({
          clusters: z.array(
            z.object({
              accountId: z.string(),
              region: z.string(),
              clusterName: z.string(),
              state: z.string(),
              coveragePercent: z.number().nullable(),
              instances: z.number(),
              covered: z.number(),
              currentRevision: z.string().optional(),
              outdatedInstances: z.number(),
              features: z.array(
                z.object({ id: z.string(), state: z.string() }),
              ),
            }),
          ),
          totals: z.object({
            clusters: z.number(),
            instances: z.number(),
            covered: z.number(),
          }),
        }),
    },
    action: async ({ input, credentials }) => {
      await rollouts.authorizeRead(credentials);
      // Validated as the REST query is (`GET /clusters`), errors naming the input field.
      const filters = parseInput(coverageFiltersSchema, defined(input), 'input');
      const clusters = filterClusters(await snapshots.listClusters(), {
        account: filters.accountId,
        region: filters.region,
        state: input.state as any,
        q: filters.text,
      });
      return {
        output: {
          clusters: clusters.map(c => ({
            accountId: c.accountId,
            region: c.region,
            clusterName: c.clusterName,
            state: c.state,
            coveragePercent: c.coveragePercent,
            instances: c.counts.instances,
            covered: c.counts.covered,
            ...(c.currentRevision
              ? { currentRevision: c.currentRevision }
              : {}),
            outdatedInstances: c.outdatedInstances,
            features: c.features.map(f => ({ id: f.id, state: f.state })),
          })),
          totals: {
            clusters: clusters.length,
            instances: clusters.reduce((n, c) => n + c.counts.instances, 0),
            covered: clusters.reduce((n, c) => n + c.counts.covered, 0),
          },
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'preview-rollout',
    title: 'Preview a Datadog Agent rollout to an ECS cluster',
    description:
      "Renders Datadog's documented Agent daemon task definition for a cluster and shows what a rollout would change (diff against the running daemon), which ECS calls it would make and which instances it affects. Makes no change.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ ...clusterInput(z), ...requestInput(z) }).strict(),
      output: z =>
        z.object({
          variant: z.string(),
          external: z.boolean(),
          image: z.string(),
          registerNeeded: z.boolean(),
          calls: z.array(
            z.object({ operation: z.string(), summary: z.string() }),
          ),
          diff: z.array(
            z.object({
              path: z.string(),
              kind: z.string(),
              before: z.unknown(),
              after: z.unknown(),
            }),
          ),
          instancesAffected: z.array(
            z.object({ instanceId: z.string(), state: z.string() }),
          ),
          currentRevision: z.string().optional(),
          warnings: z.array(z.string()),
          rolloutEnabled: z.boolean(),
        }),
    },
    action: async ({ input, credentials }) => {
      const { accountId, region, clusterName, ...rest } = input;
      const ref = clusterOf(input);
      const request = parseInput(rolloutRequestSchema, defined(rest), 'input');
      const preview = await rollouts.preview(
        ref,
        request,
        credentials,
      );
      return {
        output: {
          variant: preview.variant,
          external: preview.external,
          image: preview.image,
          registerNeeded: preview.registerNeeded,
          calls: preview.calls,
          diff: preview.diff.map(d => ({
            path: d.path,
            kind: d.kind,
            before: d.before,
            after: d.after,
          })),
          instancesAffected: preview.instancesAffected.map(i => ({
            instanceId: i.instanceId,
            state: i.state,
          })),
          ...(preview.current
            ? { currentRevision: preview.current.revision }
            : {}),
          warnings: preview.warnings,
          rolloutEnabled: preview.rolloutEnabled,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'rollout',
    title: 'Roll the Datadog Agent out to an ECS cluster',
    description:
      "Deploys Datadog's documented Agent daemon to a cluster: registers the task definition if needed and creates or updates the DAEMON service. Checks the same permissions as the portal, needs datadogEcs.rollout.enabled, allows one rollout per cluster at a time. Returns the rollout; follow it with its id in the portal.",
    attributes: { readOnly: false, destructive: true, idempotent: false },
    schema: {
      input: z =>
        z.object({
          ...clusterInput(z),
          ...requestInput(z),
          clientToken: z
            .string()
            .optional()
            .describe(
              'Idempotency key: the same token on the same cluster returns the same rollout',
            ),
        })
        .strict(),
      output: z =>
        z.object({
          id: z.string(),
          status: z.string(),
          created: z.boolean(),
          oldRevision: z.string().optional(),
          newRevision: z.string().optional(),
          failureReason: z.string().optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const { accountId, region, clusterName, ...rest } = input;
      const ref = clusterOf(input);
      const request = parseInput(startRolloutRequestSchema, defined(rest), 'input');
      const { rollout, created } = await rollouts.start(
        ref,
        request,
        credentials,
      );
      return {
        output: {
          id: rollout.id,
          status: rollout.status,
          created,
          ...(rollout.oldRevision ? { oldRevision: rollout.oldRevision } : {}),
          ...(rollout.newRevision ? { newRevision: rollout.newRevision } : {}),
          ...(rollout.failureReason
            ? { failureReason: rollout.failureReason }
            : {}),
        },
      };
    },
  });
}
