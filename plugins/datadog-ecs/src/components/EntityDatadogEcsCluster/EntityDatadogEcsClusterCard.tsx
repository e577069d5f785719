import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { ClusterRef } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { RelativeTime, useCluster, useClusterLink } from '../shared';
import { ClusterConsoleLink } from '../shared/ConsoleLink';
import { ClusterSummaryFacts, locationWords } from '../ClusterList/ClusterCard';
import { defaultClusterPageActions } from '../ClusterPage';
import { ClusterResourceGate } from './ClusterResourceGate';

const useStyles = makeStyles(theme => ({
  body: { display: 'flex', flexDirection: 'column', gap: theme.spacing(1) },
}));

const CardBody = (props: { clusterRef: ClusterRef }) => {
  const classes = useStyles();
  const { value, loading, error, retry } = useCluster(props.clusterRef);
  const clusterLink = useClusterLink();
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return loading ? <Progress /> : null;
  return (
    <Box className={classes.body}>
      <Typography variant="body2" color="textSecondary">
        {locationWords(value)}
      </Typography>
      <ClusterSummaryFacts cluster={value} />
      <Typography variant="caption" color="textSecondary">
        Refreshed <RelativeTime value={value.refreshedAt} /> ·{' '}
        <ClusterConsoleLink cluster={value} />
        {clusterLink && (
          <>
            {' · '}
            <Link to={clusterLink(value)}>Cluster page</Link>
          </>
        )}
      </Typography>
      <Box mt={1}>
        {defaultClusterPageActions({ cluster: value, reload: retry })}
      </Box>
    </Box>
  );
};

/** The overview card of an `ecs-cluster` resource: the cluster's Agent coverage and a rollout button. */
export const EntityDatadogEcsClusterCard = () => (
  <InfoCard title="Datadog Agent on ECS">
    <ClusterResourceGate>
      {ref => <CardBody clusterRef={ref} />}
    </ClusterResourceGate>
  </InfoCard>
);
