import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  isAgentVersionAtLeast,
  parseAgentVersion,
} from '../features/agentImage';
import { AgentFeatureRegistry } from '../features/createRegistry';
import {
  DATADOG_SITES,
  DEFAULT_AGENT_REPOSITORY,
  DEFAULT_DATADOG_SITE,
} from '../features/datadogDefaults';
import { FeatureRule } from '../features/module';
import { agentFeatureRegistry } from '../features/registry';
import {
  AgentFeatureToggles,
  agentFeatureTogglesSchema,
  featureTogglesSchema,
} from '../features/toggles';
import { DD_TAG_PATTERN, ECS_NAME_PATTERN, IMAGE_TAG_PATTERN } from '../limits';
import {
  ManagedDaemonRuleId,
  managedDaemonRuleViolations,
} from './managedDaemonRules';

export { agentFeatureTogglesSchema };
export type { AgentFeatureToggles };

/**
 * Where the rendered Agent gets its API key.
 *
 * @public
 */
export const apiKeySourceSchema = z.discriminatedUnion('source', [
  z.object({
    /** Recommended: a secrets[] entry read by the task execution role. */
    source: z.literal('secretsManager'),
    secretArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:\d{12}:\S+$/, {
        message: 'must be a Secrets Manager (or SSM parameter) ARN',
      }),
    executionRoleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/, {
        message: 'must be an IAM role ARN',
      }),
  }),
  z.object({
    /** For development only: the key ends up readable by anyone who can describe the task definition. */
    source: z.literal('plaintext'),
    value: z.string().min(1),
  }),
  z.object({
    /** A documentation placeholder (default `<YOUR_DATADOG_API_KEY>`) to be filled in by hand. */
    source: z.literal('placeholder'),
    placeholder: z.string().min(1).optional(),
  }),
]);

/**
 * What a rendering is for:
 *
 * - `daemon-service` (the default): the task definition of a DAEMON service, for EC2 and ECS
 *   Anywhere container instances (`RegisterTaskDefinition`);
 * - `managed-daemon`: the daemon task definition of an ECS Managed Daemon, for ECS Managed Instances
 *   (`RegisterDaemonTaskDefinition`), as Datadog's datadog-agent-ecs-managed-instances-daemon.json.
 *
 * @public
 */
export const RENDER_TARGETS = ['daemon-service', 'managed-daemon'] as const;

/**
 * One of {@link RENDER_TARGETS}.
 *
 * @public
 */
export type RenderTarget = (typeof RENDER_TARGETS)[number];

/** The render options' schema around a `features` schema (that of a registry). */
const renderOptionsSchemaWith = <F extends z.ZodType>(features: F) =>
  z.object({
    /** A DAEMON service's task definition (default) or a managed daemon's (Managed Instances). */
    target: z.enum(RENDER_TARGETS).default('daemon-service'),
    /**
     * `linux` = Amazon Linux 2/2023 and other modern Linux; `amazon-linux-1` differs in its cgroup
     * path. A managed daemon is Linux only.
     */
    variant: z.enum(['linux', 'amazon-linux-1', 'windows']),
    /** ECS Anywhere: the task becomes EXTERNAL-compatible. */
    external: z.boolean().default(false),
    features,
    site: z.enum(DATADOG_SITES).default(DEFAULT_DATADOG_SITE),
    /** DD_TAGS entries, each `key:value`. */
    tags: z
      .array(
        z.string().regex(DD_TAG_PATTERN, {
          message: 'tags must be key:value without spaces',
        }),
      )
      .optional(),
    image: z
      .object({
        repository: z.string().min(1).optional(),
        tag: z
          .string()
          .regex(IMAGE_TAG_PATTERN, { message: 'not a valid image tag' }),
      })
      .optional(),
    apiKey: apiKeySourceSchema,
    family: z
      .string()
      .regex(ECS_NAME_PATTERN, {
        message: 'letters, digits, hyphens and underscores only',
      })
      .optional(),
    fipsProxyImageTag: z
      .string()
      .regex(IMAGE_TAG_PATTERN, { message: 'not a valid image tag' })
      .optional(),
    /**
     * Agent container CPU units (default 100 on Linux, 512 on Windows); for a managed daemon the
     * daemon task's CPU units (default and minimum 256).
     */
    cpu: z.number().int().positive().optional(),
    /**
     * Agent container memory limit in MiB (default 512); for a managed daemon the daemon task's
     * memory (default and minimum 512).
     */
    memory: z.number().int().positive().optional(),
  });

/**
 * The schema of {@link RenderOptions}; the backend validates API input with it.
 * Cross-field rules (NPM on Windows, …) are checked by
 * {@link (checkRenderRules:1) | checkRenderRules}.
 *
 * @public
 */
export const renderOptionsSchema = renderOptionsSchemaWith(
  agentFeatureTogglesSchema,
);

/**
 * The schema of the render options of another registry (its toggles as `features`).
 *
 * @public
 */
export function renderOptionsSchemaFor<T extends string>(
  registry: AgentFeatureRegistry<T>,
) {
  return renderOptionsSchemaWith(featureTogglesSchema(registry));
}

/**
 * Options of {@link (renderAgentTaskDefinition:1) | renderAgentTaskDefinition}, as callers write
 * them (defaults may be omitted).
 *
 * @public
 */
export type RenderOptions = z.input<typeof renderOptionsSchema>;

/**
 * {@link RenderOptions} after validation, with every default applied.
 *
 * @public
 */
export type ResolvedRenderOptions = z.output<typeof renderOptionsSchema>;

/**
 * {@link RenderOptions} for a registry with other toggles.
 *
 * @public
 */
export type RenderOptionsWith<T extends string> = Omit<
  RenderOptions,
  'features'
> & { features: Partial<Record<T, boolean>> };

/**
 * {@link ResolvedRenderOptions} for a registry with other toggles.
 *
 * @public
 */
export type ResolvedRenderOptionsWith<T extends string> = Omit<
  ResolvedRenderOptions,
  'features'
> & { features: Record<T, boolean> };

/**
 * The cross-field rules a rendering must satisfy: the base's and the built-in features' (each
 * feature module names its own, see `FeatureToggleConstraints`; a module added through the registry
 * may name others).
 *
 * @public
 */
export type RenderRuleId =
  | 'invalid-options'
  | 'npm-linux-only'
  | 'npm-ecs-anywhere'
  | 'fips-proxy-linux-only'
  | 'fips-proxy-government-site'
  | 'apm-socket-linux-only'
  | 'resource-tags-agent-version'
  | 'windows-cpu-minimum'
  | 'apm-managed-instances'
  | 'dogstatsd-managed-instances'
  | 'logs-managed-instances'
  | 'npm-managed-instances'
  | 'fips-proxy-managed-instances'
  | ManagedDaemonRuleId
  | (string & {});

/**
 * A rule a set of render options breaks.
 *
 * @public
 */
export interface RenderRuleViolation {
  rule: RenderRuleId;
  message: string;
}

/**
 * Thrown when render options are invalid or break a rule of the guide. It is an `InputError`, so
 * Backstage's error handler answers 400.
 *
 * @public
 */
export class RenderValidationError extends InputError {
  readonly rule: RenderRuleId;

  constructor(rule: RenderRuleId, message: string) {
    super(`${message} (rule ${rule})`);
    this.rule = rule;
  }
}

/**
 * The image the Agent container will run.
 *
 * @public
 */
export function agentImageFor(
  options: Pick<ResolvedRenderOptions, 'image'>,
): string {
  return `${options.image?.repository ?? DEFAULT_AGENT_REPOSITORY}:${
    options.image?.tag ?? 'latest'
  }`;
}

const violationOf = (
  { rule, message }: FeatureRule,
  options: ResolvedRenderOptionsWith<string>,
): RenderRuleViolation => ({
  rule,
  message: typeof message === 'string' ? message : message(options),
});

/**
 * Every rule of the guide the (schema-valid) options break; empty when rendering is allowed. The
 * rules are, in this order: a managed daemon's platform rules (Linux, not ECS Anywhere), the
 * toggles' constraints (every toggle's platform rules first, then minimum Agent versions, in the
 * registry's order), a managed daemon's minimum Agent version, and the base's sizes (the Windows CPU
 * minimum, a managed daemon's task cpu and memory minimums).
 *
 * Deliberately allowed: a plaintext API key (development only; the `apiKey` detector reports it as
 * critical on the rendered output) and Windows with ECS Anywhere (the guide's ECS Anywhere step
 * applies to all three base files and does not exclude Windows).
 *
 * @public
 */
export function checkRenderRules(
  options: ResolvedRenderOptions,
): RenderRuleViolation[];
/** @public */
export function checkRenderRules<T extends string>(
  options: ResolvedRenderOptionsWith<NoInfer<T>>,
  registry: AgentFeatureRegistry<T>,
): RenderRuleViolation[];
export function checkRenderRules(
  options: ResolvedRenderOptionsWith<string>,
  registry: AgentFeatureRegistry = agentFeatureRegistry,
): RenderRuleViolation[] {
  const windows = options.variant === 'windows';
  const managedDaemon = options.target === 'managed-daemon';
  const version = parseAgentVersion(agentImageFor(options));
  const daemonRules = managedDaemonRuleViolations(options, version);
  const violations: RenderRuleViolation[] = [...daemonRules.platform];
  const on = registry.toggles.filter(m => options.features[m.id]);
  for (const { toggle } of on) {
    const c = toggle.constraints ?? {};
    const broken = [
      windows ? c.linuxOnly : undefined,
      options.external ? c.notOnEcsAnywhere : undefined,
      managedDaemon ? c.notOnManagedInstances : undefined,
      c.requiresSite && options.site !== c.requiresSite.site
        ? c.requiresSite
        : undefined,
      c.requiresFeatures?.features.some(f => !options.features[f])
        ? c.requiresFeatures
        : undefined,
    ];
    for (const rule of broken) {
      if (rule) violations.push(violationOf(rule, options));
    }
  }
  for (const { toggle } of on) {
    const minimum = toggle.constraints?.minimumAgentVersion;
    if (
      minimum &&
      version &&
      !isAgentVersionAtLeast(version, minimum.versions)
    ) {
      violations.push(violationOf(minimum, options));
    }
  }
  violations.push(...daemonRules.version);
  if (windows && options.cpu !== undefined && options.cpu < 512) {
    violations.push({
      rule: 'windows-cpu-minimum',
      message: `The Agent needs at least 512 CPU units on Windows, not ${options.cpu}`,
    });
  }
  violations.push(...daemonRules.sizes);
  return violations;
}

/**
 * Validates render options against the schema and the rules; throws {@link RenderValidationError}
 * for the first problem.
 *
 * @public
 */
export function resolveRenderOptions(
  options: RenderOptions,
): ResolvedRenderOptions;
/** @public */
export function resolveRenderOptions<T extends string>(
  options: RenderOptionsWith<NoInfer<T>>,
  registry: AgentFeatureRegistry<T>,
): ResolvedRenderOptionsWith<T>;
export function resolveRenderOptions(
  options: RenderOptionsWith<string>,
  registry?: AgentFeatureRegistry,
): ResolvedRenderOptionsWith<string> {
  const schema =
    registry && registry !== agentFeatureRegistry
      ? renderOptionsSchemaFor(registry)
      : renderOptionsSchema;
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map(i => `${i.path.join('.') || '(options)'}: ${i.message}`)
      .join('; ');
    throw new RenderValidationError(
      'invalid-options',
      `Invalid render options: ${issues}`,
    );
  }
  const [violation] = checkRenderRules(
    parsed.data as ResolvedRenderOptionsWith<string>,
    registry ?? agentFeatureRegistry,
  );
  if (violation) {
    throw new RenderValidationError(violation.rule, violation.message);
  }
  return parsed.data as ResolvedRenderOptionsWith<string>;
}
