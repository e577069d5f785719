import { Content, MissingAnnotationEmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ECS_SERVICE_ARN_ANNOTATION } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { isDatadogEcsAvailable } from '../../conditions';
import { EntityDatadogEcsCard } from './EntityDatadogEcsCard';

/** The entity tab: Datadog Agent coverage of the clusters that run this service. */
export const EntityDatadogEcsContent = () => {
  const { entity } = useEntity();
  if (!isDatadogEcsAvailable(entity)) {
    return <MissingAnnotationEmptyState annotation={ECS_SERVICE_ARN_ANNOTATION} />;
  }
  return (
    <Content>
      <EntityDatadogEcsCard />
    </Content>
  );
};
