import { InfoCard, MissingAnnotationEmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';
import {
  ECS_CLUSTER_ARN_ANNOTATION,
  ECS_SERVICE_ARN_ANNOTATION,
  splitArnAnnotation,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { isDatadogEcsAvailable } from '../../conditions';

/** The entity card: which ECS services and clusters this entity runs on. */
export const EntityDatadogEcsCard = () => {
  const { entity } = useEntity();
  if (!isDatadogEcsAvailable(entity)) {
    return <MissingAnnotationEmptyState annotation={ECS_SERVICE_ARN_ANNOTATION} />;
  }
  const annotations = entity.metadata.annotations ?? {};
  const arns = [
    ...splitArnAnnotation(annotations[ECS_SERVICE_ARN_ANNOTATION]),
    ...splitArnAnnotation(annotations[ECS_CLUSTER_ARN_ANNOTATION]),
  ];
  return (
    <InfoCard title="Datadog Agent on ECS">
      {arns.map(arn => (
        <Typography key={arn} variant="body2">
          {arn}
        </Typography>
      ))}
    </InfoCard>
  );
};
