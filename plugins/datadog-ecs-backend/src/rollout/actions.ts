import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { SnapshotStore } from '../inventory/SnapshotStore';
import { redactError, Redactor } from '../redaction';
import { filterClusters } from '../inventory/filters';
import { ActionZod, shapeFromSchema, zodFromSchema } from '../schema/zodFromSchema';
import { FEATURE_IDS, parseRolloutRequest, parseStartRolloutRequest } from './request';
import { RolloutService } from './RolloutService';

/*
 * The actions' input schemas are the REST API's, from its OpenAPI document (`shapeFromSchema`):
 * the framework validates an action's input against them first (the offending fields in its error's
 * cause); then the rules the document does not state (`request.ts`) run as for HTTP.
 */

const clusterInput = (z: ActionZod) => ({
  accountId: zodFromSchema(z, 'AccountId').describe('The 12-digit AWS account id'),
  region: zodFromSchema(z, 'Region').describe('The AWS region, e.g. eu-west-1'),
  clusterName: zodFromSchema(z, 'ClusterName').describe('The ECS cluster name'),
});

/** The feature toggles, by the registry's ids (the document leaves them open). */
const featuresInput = (z: ActionZod) =>
  z
    .object(Object.fromEntries(FEATURE_IDS.map(id => [id, z.boolean().optional()])))
    .strict()
    .describe(`Agent features to switch on: ${FEATURE_IDS.join(', ')}`);

/** A rollout action's input: the cluster and the REST request body (`schema`), nothing else. */
const rolloutInput = (z: ActionZod, schema: 'RolloutRequest' | 'StartRolloutRequest') =>
  z
    .object({
      ...clusterInput(z),
      ...shapeFromSchema(z, schema, { features: featuresInput(z) }),
    })
    .strict();

/** Drops undefined values so that the strict HTTP request schemas accept the action's input. */
const defined = (input: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

/** The cluster of an action's input (the framework validated it against `clusterInput`). */
const clusterOf = (input: { accountId?: string; region?: string; clusterName?: string }) => ({
  accountId: input.accountId!,
  region: input.region!,
  clusterName: input.clusterName!,
});

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

  actionsRegistry.register({
    name: 'get-coverage',
    title: 'Get Datadog Agent coverage of ECS clusters',
    description:
      'Lists ECS clusters with their Datadog Agent coverage (instances covered / total, worst state, Agent revisions, features), optionally filtered by account, region, coverage state or text.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          accountId: zodFromSchema(z, 'AccountId').optional().describe('Only this AWS account'),
          region: zodFromSchema(z, 'Region').optional().describe('Only this region'),
          state: z
            .array(zodFromSchema(z, 'CoverageState'))
            .optional()
            .describe('Only clusters whose worst instance state is one of these'),
          text: zodFromSchema(z, 'TextFilter')
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
      const clusters = filterClusters(await snapshots.listClusters(), {
        account: input.accountId,
        region: input.region,
        state: input.state as any,
        q: input.text,
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
      input: z => rolloutInput(z, 'RolloutRequest'),
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
      const request = parseRolloutRequest(defined(rest), 'input');
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
      input: z => rolloutInput(z, 'StartRolloutRequest'),
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
      const request = parseStartRolloutRequest(defined(rest), 'input');
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
