import { AGENT_MINIMUM_VERSIONS } from '../agentImage';
import { isTrue } from '../inspect';
import { defineFeature } from '../module';
import { resourceTagsFeature } from './detector';

export { resourceTagsFeature };

/**
 * ECS resource tags: DD_ECS_COLLECT_RESOURCE_TAGS_EC2 (Agent 6.17+/7.17+).
 *
 * @public
 */
export const resourceTagsModule = defineFeature({
  id: 'resourceTags',
  detector: resourceTagsFeature,
  chip: true,
  toggle: {
    label: 'ECS resource tags',
    help: 'DD_ECS_COLLECT_RESOURCE_TAGS_EC2 (Agent 7.17+)',
    constraints: {
      minimumAgentVersion: {
        versions: AGENT_MINIMUM_VERSIONS.resourceTags,
        rule: 'resource-tags-agent-version',
        message: options =>
          `ECS resource tag collection requires Agent 6.17+ or 7.17+, but the image tag is ${options.image?.tag}`,
      },
    },
    render: ctx => ctx.env('DD_ECS_COLLECT_RESOURCE_TAGS_EC2', 'true'),
    isOn: ({ env }) => isTrue(env('DD_ECS_COLLECT_RESOURCE_TAGS_EC2')),
  },
});
