import { formatAgentVersion, parseImageReference } from '../agentImage';
import { defineDetector, DetectorFinding } from '../inspect';

/**
 * The Agent image and the version it pins.
 *
 * @public
 */
export const imageFeature = defineDetector({
  id: 'image',
  title: 'Agent image and version',
  description:
    'Which Agent image and version runs; the version gates features (resource tags, awsvpc).',
  detect: ctx => {
    const image = ctx.agent.image ?? '';
    const ref = parseImageReference(image);
    const findings: DetectorFinding[] = [];
    if (!ref.digest && (!ref.tag || ref.tag === 'latest')) {
      findings.push({
        id: 'image.unpinned-latest',
        severity: 'info',
        title: 'Agent image is not pinned',
        explanation: `The image ${image} follows "latest", so each new task can start a different Agent version and version-dependent checks cannot be evaluated.`,
        remedy: 'Pin a version tag, e.g. public.ecr.aws/datadog/agent:7.60.0.',
      });
    }
    if (ctx.version && ctx.version.major < 6) {
      findings.push({
        id: 'image.unsupported-major',
        severity: 'warning',
        title: 'Agent 5 or older',
        explanation: `Agent ${formatAgentVersion(
          ctx.version,
        )} predates the containerized Agent v6 the guide documents.`,
        remedy: 'Use public.ecr.aws/datadog/agent with a 7.x tag.',
      });
    }
    const details: Record<string, string> = {
      image,
      repository: ref.registry
        ? `${ref.registry}/${ref.repository}`
        : ref.repository,
      version: ctx.version ? formatAgentVersion(ctx.version) : 'unknown',
    };
    if (ref.tag) details.tag = ref.tag;
    if (ref.digest) details.digest = ref.digest;
    return {
      state: findings.some(f => f.severity !== 'info') ? 'misconfigured' : 'on',
      summary: ctx.version
        ? `The Agent runs version ${formatAgentVersion(ctx.version)}.`
        : `The Agent runs ${image}; its version cannot be told from the tag.`,
      findings,
      details,
    };
  },
});
