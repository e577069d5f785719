import { InfoCard } from '@backstage/core-components';
import { Box, Divider, Typography } from '@material-ui/core';
import { RelativeTime } from '../shared';
import {
  EntityCoverageLoader,
  LoadedEntityCoverage,
  RequireEcsAnnotation,
} from './EntityCoverageGate';
import { EntityClusterSummary, UnmatchedArns } from './EntityClusterSummary';

const CardBody = ({
  value,
  retry,
  entityRef,
  clusterLink,
}: LoadedEntityCoverage) => {
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
            entityRef={entityRef}
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
export const EntityDatadogEcsCard = () => (
  <RequireEcsAnnotation>
    <InfoCard title="Datadog Agent on ECS">
      <EntityCoverageLoader>
        {loaded => <CardBody {...loaded} />}
      </EntityCoverageLoader>
    </InfoCard>
  </RequireEcsAnnotation>
);
