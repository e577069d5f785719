import { useMemo } from 'react';
import {
  Content,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { Box, Grid, Typography } from '@material-ui/core';
import { EntityClusterCoverage } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  FeatureChips,
  FindingCounts,
  FindingList,
  InstanceTable,
  useCluster,
} from '../shared';
import {
  EntityCoverageLoader,
  LoadedEntityCoverage,
  RequireEcsAnnotation,
} from './EntityCoverageGate';
import { EntityClusterSummary, UnmatchedArns } from './EntityClusterSummary';

/** The cluster's instances that run the entity's tasks, and the cluster's features and findings. */
const ClusterDetailsSection = (props: {
  item: EntityClusterCoverage;
  href?: string;
}) => {
  const { cluster, services } = props.item;
  const { value, loading, error } = useCluster(cluster);
  const arns = useMemo(
    () =>
      new Set(
        services.flatMap(s => s.instances.map(i => i.containerInstanceArn)),
      ),
    [services],
  );
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading || !value) return <Progress />;
  const instances = value.instances.filter(i =>
    arns.has(i.containerInstanceArn),
  );
  const important = value.findings.filter(f => f.severity !== 'info');
  return (
    <>
      {!cluster.fargateOnly && (
        <Box mb={2}>
          <InstanceTable
            title="Instances running this service’s tasks"
            instances={instances}
          />
        </Box>
      )}
      <Typography variant="subtitle1" component="h4">
        Cluster Agent features
      </Typography>
      <FeatureChips features={value.features} />
      <Box my={1}>
        <FindingCounts counts={value.findingCounts} />
      </Box>
      {important.length > 0 && <FindingList findings={important} />}
      {props.href && (
        <Typography variant="body2">
          <Link to={props.href}>
            Open the cluster page for all instances, events and task definitions
          </Link>
        </Typography>
      )}
    </>
  );
};

const ContentBody = ({
  value,
  retry,
  entityRef,
  clusterLink,
}: LoadedEntityCoverage) => (
  <Grid container spacing={3}>
    {value.unmatched.length > 0 && (
      <Grid item xs={12}>
        <WarningPanel
          severity="info"
          title="Some annotated ARNs are not in the inventory"
        >
          <UnmatchedArns unmatched={value.unmatched} />
        </WarningPanel>
      </Grid>
    )}
    {value.clusters.length === 0 && (
      <Grid item xs={12}>
        <Typography>
          None of this entity’s ECS services or clusters are in the inventory
          yet.
        </Typography>
      </Grid>
    )}
    {value.clusters.map(item => {
      const href = clusterLink?.(item.cluster);
      return (
        <Grid item xs={12} key={item.cluster.clusterArn}>
          <InfoCard title={`Cluster ${item.cluster.clusterName}`}>
            <Grid container spacing={3}>
              <Grid item xs={12} md={4}>
                <EntityClusterSummary
                  item={item}
                  href={href}
                  entityRef={entityRef}
                  reload={retry}
                />
              </Grid>
              <Grid item xs={12} md={8}>
                <ClusterDetailsSection item={item} href={href} />
              </Grid>
            </Grid>
          </InfoCard>
        </Grid>
      );
    })}
  </Grid>
);

/** The entity tab: Datadog Agent coverage of the clusters that run this service. */
export const EntityDatadogEcsContent = () => (
  <RequireEcsAnnotation>
    <Content>
      <EntityCoverageLoader>
        {loaded => <ContentBody {...loaded} />}
      </EntityCoverageLoader>
    </Content>
  </RequireEcsAnnotation>
);
