import {
  AGENT_MINIMUM_VERSIONS,
  formatAgentVersion,
  isAgentVersionAtLeast,
} from '../agentImage';
import { defineDetector, DetectorFinding, isTrue, stateFor } from '../inspect';

/**
 * ECS resource tags on metrics (tags of tasks, services and container instances).
 *
 * @public
 */
export const resourceTagsFeature = defineDetector({
  id: 'resourceTags',
  title: 'ECS resource tags',
  description:
    'Adds the tags of ECS tasks, services and container instances to the data (DD_ECS_COLLECT_RESOURCE_TAGS_EC2, Agent 6.17+/7.17+).',
  detect: ctx => {
    const { env, version } = ctx;
    const enabled = isTrue(env('DD_ECS_COLLECT_RESOURCE_TAGS_EC2'));
    const findings: DetectorFinding[] = [];
    if (
      enabled &&
      version &&
      !isAgentVersionAtLeast(version, AGENT_MINIMUM_VERSIONS.resourceTags)
    ) {
      findings.push({
        id: 'resourceTags.agent-too-old',
        severity: 'critical',
        title: 'Agent too old for ECS resource tags',
        explanation: `ECS resource tag collection needs Agent 6.17+ or 7.17+; this Agent is ${formatAgentVersion(
          version,
        )}, so the variable has no effect.`,
        remedy: 'Upgrade the Agent image to 7.17 or later.',
      });
    }
    return {
      state: stateFor(enabled, findings),
      summary: enabled
        ? 'The Agent adds ECS resource tags to its data; the container instances’ IAM role needs ecs:ListTagsForResource.'
        : 'ECS resource tags are not collected: metrics carry no task, service or container-instance tags.',
      findings,
    };
  },
});
