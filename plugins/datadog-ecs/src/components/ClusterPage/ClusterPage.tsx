import { useMemo } from 'react';
import { useParams } from 'react-router-dom';
import {
  CodeSnippet,
  ContentHeader,
  Gauge,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  Box,
  Chip,
  Grid,
  Table as MuiTable,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import {
  ClusterDetails,
  ClusterRef,
  FeatureResult,
  maskSecrets,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { rootRouteRef } from '../../routes';
import {
  CoverageStateLabel,
  FARGATE_NOT_APPLICABLE,
  FeatureStateChip,
  FindingCounts,
  FindingList,
  InstanceTable,
  RelativeTime,
  clusterStateWords,
  coverageWords,
  formatDateTime,
  useCluster,
} from '../shared';
import { locationWords, revisionWords } from '../ClusterList/ClusterCard';
import { CoverageHistoryChart } from './CoverageHistoryChart';
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
  counts: {
    margin: 0,
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0 },
  },
  features: { listStyle: 'none', padding: 0, margin: 0 },
  feature: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  keywords: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
}));

function useRootLink(): string | undefined {
  try {
    return useRouteRef(rootRouteRef)();
  } catch {
    return undefined;
  }
}

const percentOf = (n: number, total: number) =>
  total ? `${Math.floor((n / total) * 100)}%` : 'n/a';

const Counts = ({ cluster }: { cluster: ClusterDetails }) => {
  const classes = useStyles();
  const { counts } = cluster;
  const rows: Array<[string, number]> = [
    ['Desired Agent tasks', counts.desired],
    ['Running', counts.running],
    ['Healthy', counts.healthy],
    ['Up to date', counts.upToDate],
  ];
  return (
    <dl className={classes.counts}>
      <dt>Container instances</dt>
      <dd>{counts.instances}</dd>
      {rows.map(([label, n]) => (
        <Box component="div" key={label} display="contents">
          <dt>{label}</dt>
          <dd>
            {n} ({percentOf(n, counts.instances)} of instances)
          </dd>
        </Box>
      ))}
      <dt>Agent revision</dt>
      <dd>{revisionWords(cluster)}</dd>
    </dl>
  );
};

const FeatureList = ({ features }: { features: FeatureResult[] }) => {
  const classes = useStyles();
  if (features.length === 0) {
    return (
      <Typography variant="body2">
        No Agent task definition on this cluster, so no features to show.
      </Typography>
    );
  }
  return (
    <ul className={classes.features}>
      {features.map(f => (
        <li key={f.id} className={classes.feature}>
          <FeatureStateChip
            title={f.title}
            state={f.state}
            topFinding={f.findings[0]?.title}
            findingCount={f.findings.length}
          />
          <Typography variant="body2">{f.summary}</Typography>
          {f.findings.length > 0 && (
            <Typography variant="caption" color="textSecondary">
              {f.findings.length} finding{f.findings.length === 1 ? '' : 's'}:{' '}
              {f.findings.map(x => x.title).join('; ')}
            </Typography>
          )}
        </li>
      ))}
    </ul>
  );
};

const Events = ({ cluster }: { cluster: ClusterDetails }) => {
  const classes = useStyles();
  if (cluster.events.length === 0) {
    return (
      <Typography variant="body2">
        No recent Agent service events worth surfacing.
      </Typography>
    );
  }
  const events = [...cluster.events].sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt),
  );
  return (
    <MuiTable size="small" aria-label="Recent Agent events">
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Service</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>Keywords</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {events.map(e => (
          <TableRow key={e.id}>
            <TableCell>
              <RelativeTime value={e.createdAt} />
            </TableCell>
            <TableCell>{e.serviceName}</TableCell>
            <TableCell>{e.message}</TableCell>
            <TableCell>
              <Box className={classes.keywords}>
                {e.keywords.map(k => (
                  <Chip key={k} size="small" label={k} />
                ))}
              </Box>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </MuiTable>
  );
};

const TaskDefinitions = ({ cluster }: { cluster: ClusterDetails }) => {
  if (cluster.taskDefinitions.length === 0) {
    return (
      <Typography variant="body2">No Agent task definition in use.</Typography>
    );
  }
  return (
    <>
      {cluster.taskDefinitions.map((td, i) => {
        const name = `${td.family ?? 'task definition'}${
          td.revision ? `:${td.revision}` : ''
        }`;
        return (
          <Box key={td.taskDefinitionArn ?? i} mb={2}>
            <Typography variant="h6" component="h3">
              {name}
              {i === 0 ? ' (current)' : ''}
            </Typography>
            {td.registeredAt && (
              <Typography variant="caption" color="textSecondary">
                Registered {formatDateTime(String(td.registeredAt))}
              </Typography>
            )}
            <CodeSnippet
              language="json"
              text={JSON.stringify(maskSecrets(td), null, 2)}
              showCopyCodeButton
              showLineNumbers
              customStyle={{ maxHeight: 480, overflow: 'auto' }}
            />
          </Box>
        );
      })}
    </>
  );
};

/** The body of the cluster page, for a loaded cluster. */
export const ClusterView = (props: {
  cluster: ClusterDetails;
  reload: () => void;
  actions?: ClusterPageSlot | null;
  sections?: ClusterPageSlot | null;
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
              <>
                <Box maxWidth={160} mx="auto">
                  <Gauge
                    value={
                      cluster.counts.instances
                        ? cluster.counts.covered / cluster.counts.instances
                        : 0
                    }
                    description={coverageWords(
                      cluster.counts.covered,
                      cluster.counts.instances,
                    )}
                  />
                </Box>
                <Typography align="center" gutterBottom>
                  {coverageWords(
                    cluster.counts.covered,
                    cluster.counts.instances,
                  )}
                </Typography>
                <Counts cluster={cluster} />
              </>
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={8}>
          <InfoCard title="Coverage history">
            <CoverageHistoryChart history={cluster.history} />
          </InfoCard>
        </Grid>
        {!cluster.fargateOnly && (
          <Grid item xs={12}>
            <InstanceTable instances={cluster.instances} />
          </Grid>
        )}
        <Grid item xs={12} md={6}>
          <InfoCard title="Agent features">
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
    />
  );
};
