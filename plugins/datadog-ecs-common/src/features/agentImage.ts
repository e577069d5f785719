import { EcsContainerDefinition, EcsTaskDefinition } from '../ecsTypes';
import { AGENT_CONTAINER_NAME } from './datadogDefaults';
import { boundedMemo } from '../memo';

/**
 * A container image reference split into its parts.
 *
 * @public
 */
export interface ImageReference {
  /** The registry host (`public.ecr.aws`, `gcr.io`, …); absent for Docker Hub short names. */
  registry?: string;
  /** The repository path without the registry (`datadog/agent`). */
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Splits `registry/repository:tag@digest` into its parts.
 *
 * @public
 */
export function parseImageReference(image: string): ImageReference {
  const [withoutDigest, digest] = image.trim().split('@', 2);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  // A colon before the last slash belongs to a registry port (`host:5000/agent`), not to a tag.
  const hasTag = lastColon > lastSlash;
  const name = hasTag ? withoutDigest.slice(0, lastColon) : withoutDigest;
  const tag = hasTag ? withoutDigest.slice(lastColon + 1) : undefined;
  const segments = name.split('/');
  const first = segments[0];
  const hasRegistry =
    segments.length > 1 &&
    (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    registry: hasRegistry ? first : undefined,
    repository: hasRegistry ? segments.slice(1).join('/') : name,
    tag: tag || undefined,
    digest: digest || undefined,
  };
}

/** Registries where Datadog publishes the Agent as a top-level `agent` repository. */
const DATADOG_REGISTRIES_WITH_TOP_LEVEL_AGENT = [
  'registry.datadoghq.com',
  'datadoghq.azurecr.io',
];

/** Repository suffixes of the Agent on Docker Hub, ECR Public, GCR and mirrors of them (ECR pull-through caches). */
const AGENT_REPOSITORY_SUFFIXES = ['datadog/agent', 'datadoghq/agent'];

const NO_EXTRA_REPOSITORIES: readonly string[] = [];
/** {@link isAgentImage} remembered per list of extra repositories (never modified). */
const answersFor = new WeakMap<readonly string[], (image: string) => boolean>();

/**
 * Whether an image is the Datadog Agent, on any registry or mirror.
 *
 * Matches repositories ending in `datadog/agent` or `datadoghq/agent` (Docker Hub, `public.ecr.aws`,
 * `gcr.io`, `eu.gcr.io`, private ECR mirrors and pull-through caches) and `agent` on Datadog's own
 * registries. Deliberately not `datadog/agent-*`, `datadog/cluster-agent`, `datadog/dogstatsd` or
 * `datadog/docker-dd-agent`: those are other products (or Agent 5) and are not the node Agent the
 * guide deploys as a daemon. Private repositories can be added with `extraRepositories`
 * (`registry/path`, compared without tag).
 *
 * @public
 */
export function isAgentImage(
  image: string | undefined,
  extraRepositories: readonly string[] = NO_EXTRA_REPOSITORIES,
): boolean {
  if (!image) {
    return false;
  }
  // A refresh asks about the same few images for every instance, with the configured list.
  let answers = answersFor.get(extraRepositories);
  if (!answers) {
    answers = boundedMemo(i => isAgentImageAnew(i, extraRepositories));
    answersFor.set(extraRepositories, answers);
  }
  return answers(image);
}

function isAgentImageAnew(
  image: string,
  extraRepositories: readonly string[],
): boolean {
  const ref = parseImageReference(image.toLowerCase());
  const fullName = ref.registry
    ? `${ref.registry}/${ref.repository}`
    : ref.repository;
  for (const extra of extraRepositories) {
    const extraRef = parseImageReference(extra.toLowerCase());
    const extraName = extraRef.registry
      ? `${extraRef.registry}/${extraRef.repository}`
      : extraRef.repository;
    if (extraName === fullName || extraName === ref.repository) {
      return true;
    }
  }
  if (
    ref.registry &&
    DATADOG_REGISTRIES_WITH_TOP_LEVEL_AGENT.includes(ref.registry) &&
    ref.repository === 'agent'
  ) {
    return true;
  }
  return AGENT_REPOSITORY_SUFFIXES.some(
    suffix =>
      ref.repository === suffix || ref.repository.endsWith(`/${suffix}`),
  );
}

/**
 * The Agent container of a task definition: the first container running an Agent image, otherwise the
 * container named `datadog-agent` (covers private images the image check cannot recognize).
 *
 * @public
 */
export function findAgentContainer(
  taskDefinition: EcsTaskDefinition,
  extraRepositories: readonly string[] = [],
): EcsContainerDefinition | undefined {
  const containers = taskDefinition.containerDefinitions ?? [];
  return (
    containers.find(c => isAgentImage(c.image, extraRepositories)) ??
    containers.find(c => c.name === AGENT_CONTAINER_NAME)
  );
}

/**
 * A released Agent version.
 *
 * @public
 */
export interface AgentVersion {
  major: number;
  minor: number;
  patch: number;
}

const VERSION_TAG = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+._][0-9a-z.-]*)?$/i;

/**
 * The Agent version an image tag pins, e.g. `7.60.0`, `7.60.0-jmx`, `6.15.0`, `7.60`.
 *
 * Returns `undefined` when the tag does not pin a version: `latest`, no tag, a digest without a tag,
 * or a major-only floating tag such as `7` or `7-jmx` (it tracks the newest 7.x, so treating it as
 * 7.0.0 would raise false "too old" findings).
 *
 * @public
 */
export function parseAgentVersion(
  image: string | undefined,
): AgentVersion | undefined {
  if (!image) {
    return undefined;
  }
  const { tag } = parseImageReference(image);
  const match = tag ? VERSION_TAG.exec(tag) : null;
  if (!match) {
    return undefined;
  }
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: match[3] === undefined ? 0 : Number(match[3]),
  };
}

/**
 * Orders two Agent versions: negative when `a` is older, 0 when equal, positive when newer.
 *
 * @public
 */
export function compareAgentVersions(a: AgentVersion, b: AgentVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * Whether `version` satisfies a per-major minimum such as "6.17+ or 7.17+": it must reach the minimum
 * of its own major line; a major newer than every listed minimum passes, an older one fails.
 *
 * @public
 */
export function isAgentVersionAtLeast(
  version: AgentVersion,
  minimums: readonly AgentVersion[],
): boolean {
  const sameMajor = minimums.find(m => m.major === version.major);
  if (sameMajor) {
    return compareAgentVersions(version, sameMajor) >= 0;
  }
  return minimums.every(m => version.major > m.major);
}

/**
 * Formats an Agent version as `major.minor.patch`.
 *
 * @public
 */
export function formatAgentVersion(version: AgentVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}

/**
 * Minimum Agent versions the guide states for features.
 *
 * @public
 */
export const AGENT_MINIMUM_VERSIONS = {
  /** ECS resource tags: "Agent 6.17+ or 7.17+". */
  resourceTags: [
    { major: 6, minor: 17, patch: 0 },
    { major: 7, minor: 17, patch: 0 },
  ],
  /** awsvpc network mode: "Agent 6.10 and later". */
  awsvpc: [{ major: 6, minor: 10, patch: 0 }],
  /** From these versions `DD_APM_NON_LOCAL_TRAFFIC` is no longer required (the guide: "required for Agent ≤ 7.17"). */
  apmNonLocalTrafficDefault: [
    { major: 6, minor: 18, patch: 0 },
    { major: 7, minor: 18, patch: 0 },
  ],
  /** The Agent as an ECS Managed Daemon on Managed Instances: "This setup requires Datadog Agent 7.77.0+". */
  managedInstances: [{ major: 7, minor: 77, patch: 0 }],
} as const satisfies Record<string, readonly AgentVersion[]>;
