import { useMemo } from 'react';
import { useParams } from 'react-router-dom';
import {
  ContentHeader,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, Grid, Typography, makeStyles } from '@material-ui/core';
import {
  ClusterDetails,
  ClusterRef,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { rootRouteRef } from '../../routes';
import {
  ClusterCatalogLink,
  ClusterOwner,
  CoverageStateLabel,
  FARGATE_NOT_APPLICABLE,
  FindingCounts,
  FindingList,
  InstanceTable,
  RelativeTime,
  clusterStateWords,
  hasManagedInstances,
  useCluster,
} from '../shared';
import { ClusterConsoleLink } from '../shared/ConsoleLink';
import { locationWords } from '../ClusterList/ClusterCard';
import { CoverageHistory } from './CoverageHistory';
import { ManagedDaemons } from './ManagedDaemons';
import {
  CoverageSummary,
  Events,
  FeatureList,
  TaskDefinitions,
} from './sections';
import { ClusterPageContextProvider, ClusterPageSlot } from './extensions';
import { RolloutButton, RolloutHistory } from '../Rollout';

/**
 * The cluster page's default header action: the "Roll out the Agent" button and its dialog.
 *
 * @public
 */
export const defaultClusterPageActions: ClusterPageSlot = ({
  cluster,
  reload,
}) => <RolloutButton cluster={cluster} details={cluster} reload={reload} />;

/**
 * The cluster page's default section: the rollout history.
 *
 * @public
 */
export const defaultClusterPageSections: ClusterPageSlot = ({
  cluster,
  reload,
}) => <RolloutHistory cluster={cluster} reload={reload} />;

const useStyles = makeStyles(theme => ({
  meta: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
}));

function useRootLink(): string | undefined {
  try {
    return useRouteRef(rootRouteRef)();
  } catch {
    return undefined;
  }
}

/** The body of the cluster page, for a loaded cluster. */
export const ClusterView = (props: {
  cluster: ClusterDetails;
  reload: () => void;
  actions?: ClusterPageSlot | null;
  sections?: ClusterPageSlot | null;
  /** Link to the cluster's catalog resource when the catalog has it (not on that resource's page). */
  catalogLink?: boolean;
}) => {
  const classes = useStyles();
  const { cluster, reload } = props;
  const context = useMemo(() => ({ cluster, reload }), [cluster, reload]);
  const rootLink = useRootLink();
  return (
    <ClusterPageContextProvider value={context}>
      <ContentHeader
        title={cluster.clusterName}
        description={`ECS cluster ${cluster.clusterArn}`}
      >
        {props.actions?.(context)}
      </ContentHeader>
      <Box className={classes.meta}>
        {rootLink && <Link to={rootLink}>← All clusters</Link>}
        <Typography variant="body1">
          Account and region: {locationWords(cluster)}
        </Typography>
        <CoverageStateLabel state={cluster.state} cluster>
          {clusterStateWords(cluster)}
        </CoverageStateLabel>
        <Typography variant="body2" color="textSecondary">
          Refreshed <RelativeTime value={cluster.refreshedAt} />
        </Typography>
        <ClusterConsoleLink cluster={cluster} />
        <ClusterOwner cluster={cluster} source />
        {props.catalogLink !== false && (
          <ClusterCatalogLink cluster={cluster} />
        )}
      </Box>
      {cluster.error && (
        <Box mb={2}>
          <WarningPanel
            title="The latest refresh of this cluster failed"
            message={`${cluster.error.kind}${
              cluster.error.name ? ` (${cluster.error.name})` : ''
            }: ${cluster.error.message}`}
          />
        </Box>
      )}
      <Grid container spacing={3} alignItems="stretch">
        <Grid item xs={12} md={4}>
          <InfoCard title="Coverage">
            {cluster.fargateOnly ? (
              <Typography>{FARGATE_NOT_APPLICABLE}</Typography>
            ) : (
              <CoverageSummary cluster={cluster} />
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={8}>
          <InfoCard title="Coverage history">
            <CoverageHistory history={cluster.history} />
          </InfoCard>
        </Grid>
        {!cluster.fargateOnly && (
          <Grid item xs={12}>
            <InstanceTable
              instances={cluster.instances}
              clusterName={cluster.clusterName}
            />
          </Grid>
        )}
        {hasManagedInstances(cluster) && (
          <Grid item xs={12}>
            <InfoCard title="Managed daemons">
              <ManagedDaemons cluster={cluster} />
            </InfoCard>
          </Grid>
        )}
        <Grid item xs={12} md={6}>
          <InfoCard
            title="Agent features"
            subheader={
              cluster.featureRevision
                ? `As running: ${cluster.featureRevision}`
                : undefined
            }
          >
            <FeatureList features={cluster.featureResults} />
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title="Findings">
            {cluster.findings.length > 0 && (
              <Box mb={2}>
                <FindingCounts counts={cluster.findingCounts} />
              </Box>
            )}
            <FindingList findings={cluster.findings} />
          </InfoCard>
        </Grid>
        {props.sections && (
          <Grid item xs={12}>
            {props.sections(context)}
          </Grid>
        )}
        <Grid item xs={12}>
          <InfoCard title="Recent Agent events">
            <Events cluster={cluster} />
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Agent task definitions">
            <TaskDefinitions cluster={cluster} />
          </InfoCard>
        </Grid>
      </Grid>
    </ClusterPageContextProvider>
  );
};

/**
 * One cluster's page: coverage, instances, features and findings, events, task definitions and
 * history. The cluster comes from `clusterRef`, or from the route's `:accountId/:region/:clusterName`.
 *
 * @public
 */
export const ClusterPage = (props: {
  clusterRef?: ClusterRef;
  /**
   * Slot in the header; defaults to {@link defaultClusterPageActions} (the rollout button). Pass
   * `null` for none.
   */
  actions?: ClusterPageSlot | null;
  /**
   * Slot for full-width sections after the findings; defaults to {@link defaultClusterPageSections}
   * (the rollout history). Pass `null` for none.
   */
  sections?: ClusterPageSlot | null;
  /**
   * Link to the cluster's `ecs-cluster` resource in the catalog when the catalog has it (default
   * true; the resource's own "Datadog Agent" tab passes false).
   */
  catalogLink?: boolean;
}) => {
  const params = useParams();
  const ref: ClusterRef = props.clusterRef ?? {
    accountId: params.accountId ?? '',
    region: params.region ?? '',
    clusterName: params.clusterName ?? '',
  };
  const { value, loading, error, retry } = useCluster(ref);
  if (error) {
    return (
      <>
        <ContentHeader title={ref.clusterName} />
        <ResponseErrorPanel error={error} />
      </>
    );
  }
  if (!value) return loading ? <Progress /> : null;
  return (
    <ClusterView
      cluster={value}
      reload={retry}
      actions={
        props.actions === undefined ? defaultClusterPageActions : props.actions
      }
      sections={
        props.sections === undefined
          ? defaultClusterPageSections
          : props.sections
      }
      catalogLink={props.catalogLink}
    />
  );
};
