import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  AGENT_MINIMUM_VERSIONS,
  isAgentVersionAtLeast,
  parseAgentVersion,
} from '../features/agentImage';
import {
  DATADOG_SITES,
  DEFAULT_AGENT_REPOSITORY,
  DEFAULT_DATADOG_SITE,
  GOVERNMENT_DATADOG_SITE,
} from '../features/datadogDefaults';

const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A Datadog tag as DD_TAGS expects it: `key:value`, no whitespace (DD_TAGS is space-separated). */
const DD_TAG = /^[^\s:]+:\S+$/;

/**
 * The optional Agent features a rendered definition can switch on.
 *
 * @public
 */
export const agentFeatureTogglesSchema = z.object({
  /** 8126/tcp host port, DD_APM_ENABLED and DD_APM_NON_LOCAL_TRAFFIC. */
  apm: z.boolean().default(false),
  /** 8125/udp host port and DD_DOGSTATSD_NON_LOCAL_TRAFFIC. */
  dogstatsd: z.boolean().default(false),
  /** DD_LOGS_ENABLED, DD_LOGS_CONFIG_CONTAINER_COLLECT_ALL, the pointdir (and on Linux containers_root) mounts. */
  logs: z.boolean().default(false),
  /** DD_PROCESS_AGENT_ENABLED (and on Linux the /etc/passwd mount). */
  process: z.boolean().default(false),
  /** Network performance monitoring (system-probe), Linux only. */
  npm: z.boolean().default(false),
  /** DD_ECS_COLLECT_RESOURCE_TAGS_EC2 (Agent 6.17+/7.17+). */
  resourceTags: z.boolean().default(false),
  /** The guide's `agent health` container health check. */
  healthCheck: z.boolean().default(false),
  /** The fips-proxy sidecar for Datadog for Government, Linux only. */
  fipsProxy: z.boolean().default(false),
  /**
   * APM and DogStatsD over Unix domain sockets: shares the host's /var/run/datadog (volume dd-sockets)
   * with application containers, as Datadog's published datadog-agent-ecs-apm-uds.json does. Linux only.
   */
  apmSocket: z.boolean().default(false),
});

/**
 * Every feature toggle, resolved (as {@link featuresFromTaskDefinition} returns them).
 *
 * @public
 */
export type AgentFeatureToggles = z.output<typeof agentFeatureTogglesSchema>;

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
 * The schema of {@link RenderOptions}; the backend validates API input with it.
 * Cross-field rules (NPM on Windows, …) are checked by {@link checkRenderRules}.
 *
 * @public
 */
export const renderOptionsSchema = z.object({
  /** `linux` = Amazon Linux 2/2023 and other modern Linux; `amazon-linux-1` differs in its cgroup path. */
  variant: z.enum(['linux', 'amazon-linux-1', 'windows']),
  /** ECS Anywhere: the task becomes EXTERNAL-compatible. */
  external: z.boolean().default(false),
  features: agentFeatureTogglesSchema,
  site: z.enum(DATADOG_SITES).default(DEFAULT_DATADOG_SITE),
  /** DD_TAGS entries, each `key:value`. */
  tags: z
    .array(
      z
        .string()
        .regex(DD_TAG, { message: 'tags must be key:value without spaces' }),
    )
    .optional(),
  image: z
    .object({
      repository: z.string().min(1).optional(),
      tag: z.string().regex(IMAGE_TAG, { message: 'not a valid image tag' }),
    })
    .optional(),
  apiKey: apiKeySourceSchema,
  family: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,255}$/, {
      message: 'letters, digits, hyphens and underscores only',
    })
    .optional(),
  fipsProxyImageTag: z
    .string()
    .regex(IMAGE_TAG, { message: 'not a valid image tag' })
    .optional(),
  /** Agent container CPU units (default 100 on Linux, 512 on Windows). */
  cpu: z.number().int().positive().optional(),
  /** Agent container memory limit in MiB (default 512). */
  memory: z.number().int().positive().optional(),
});

/**
 * Options of {@link renderAgentTaskDefinition}, as callers write them (defaults may be omitted).
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
 * The cross-field rules a rendering must satisfy.
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
  | 'windows-cpu-minimum';

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

/**
 * Every rule of the guide the (schema-valid) options break; empty when rendering is allowed.
 *
 * Deliberately allowed: a plaintext API key (development only; the `apiKey` detector reports it as
 * critical on the rendered output) and Windows with ECS Anywhere (the guide's ECS Anywhere step
 * applies to all three base files and does not exclude Windows).
 *
 * @public
 */
export function checkRenderRules(
  options: ResolvedRenderOptions,
): RenderRuleViolation[] {
  const violations: RenderRuleViolation[] = [];
  const windows = options.variant === 'windows';
  const { features } = options;
  if (features.npm && windows) {
    violations.push({
      rule: 'npm-linux-only',
      message: 'Network performance monitoring is only available for Linux',
    });
  }
  if (features.npm && options.external) {
    // The guide's NPM overlay pins requiresCompatibilities to ["EC2"] while ECS Anywhere needs
    // ["EXTERNAL"]; it documents no definition that does both, so we do not invent one.
    violations.push({
      rule: 'npm-ecs-anywhere',
      message:
        'Network performance monitoring is documented for EC2 container instances only (its task definition requires EC2 compatibility), not for ECS Anywhere',
    });
  }
  if (features.fipsProxy && windows) {
    violations.push({
      rule: 'fips-proxy-linux-only',
      message: 'The FIPS proxy is only available for Linux',
    });
  }
  if (features.fipsProxy && options.site !== GOVERNMENT_DATADOG_SITE) {
    // The guide shows the FIPS proxy only for the "gov" site region ("to send data to the Datadog for Government site").
    violations.push({
      rule: 'fips-proxy-government-site',
      message: `The FIPS proxy is documented for the Datadog for Government site (${GOVERNMENT_DATADOG_SITE}) only, not ${options.site}`,
    });
  }
  if (features.apmSocket && windows) {
    violations.push({
      rule: 'apm-socket-linux-only',
      message:
        'APM over a Unix domain socket (/var/run/datadog) is only available for Linux',
    });
  }
  const version = parseAgentVersion(agentImageFor(options));
  if (
    features.resourceTags &&
    version &&
    !isAgentVersionAtLeast(version, AGENT_MINIMUM_VERSIONS.resourceTags)
  ) {
    violations.push({
      rule: 'resource-tags-agent-version',
      message: `ECS resource tag collection requires Agent 6.17+ or 7.17+, but the image tag is ${options.image?.tag}`,
    });
  }
  if (windows && options.cpu !== undefined && options.cpu < 512) {
    violations.push({
      rule: 'windows-cpu-minimum',
      message: `The Agent needs at least 512 CPU units on Windows, not ${options.cpu}`,
    });
  }
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
): ResolvedRenderOptions {
  const parsed = renderOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map(i => `${i.path.join('.') || '(options)'}: ${i.message}`)
      .join('; ');
    throw new RenderValidationError(
      'invalid-options',
      `Invalid render options: ${issues}`,
    );
  }
  const [violation] = checkRenderRules(parsed.data);
  if (violation) {
    throw new RenderValidationError(violation.rule, violation.message);
  }
  return parsed.data;
}
