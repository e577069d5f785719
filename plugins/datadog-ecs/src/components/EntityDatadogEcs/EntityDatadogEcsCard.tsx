import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { Box, Divider, Typography } from '@material-ui/core';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ECS_SERVICE_ARN_ANNOTATION } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { isDatadogEcsAvailable } from '../../conditions';
import { RelativeTime, useClusterLink, useEntityCoverage } from '../shared';
import { EntityClusterSummary, UnmatchedArns } from './EntityClusterSummary';

const CardBody = () => {
  const { entity } = useEntity();
  const { value, loading, error, retry } = useEntityCoverage();
  const clusterLink = useClusterLink();
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return loading ? <Progress /> : null;
  if (value.clusters.length === 0 && value.unmatched.length === 0) {
    return (
      <Typography variant="body2">
        None of this entity’s ECS services or clusters are in the inventory yet.
      </Typography>
    );
  }
  return (
    <>
      {value.clusters.map((item, i) => (
        <Box key={item.cluster.clusterArn}>
          {i > 0 && <Divider style={{ margin: '16px 0' }} />}
          <EntityClusterSummary
            item={item}
            href={clusterLink?.(item.cluster)}
            entityRef={stringifyEntityRef(entity)}
            reload={retry}
          />
        </Box>
      ))}
      <UnmatchedArns unmatched={value.unmatched} />
      {value.snapshotTakenAt && (
        <Box mt={2}>
          <Typography variant="caption" color="textSecondary">
            Inventory taken <RelativeTime value={value.snapshotTakenAt} />
          </Typography>
        </Box>
      )}
    </>
  );
};

/** The entity card: Datadog Agent coverage of the clusters that run this entity's ECS services. */
export const EntityDatadogEcsCard = () => {
  const { entity } = useEntity();
  if (!isDatadogEcsAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState annotation={ECS_SERVICE_ARN_ANNOTATION} />
    );
  }
  return (
    <InfoCard title="Datadog Agent on ECS">
      <CardBody />
    </InfoCard>
  );
};
