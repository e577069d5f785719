import { useMemo, useRef } from 'react';
import {
  CodeSnippet,
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import {
  Box,
  Button,
  LinearProgress,
  Paper,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Pagination } from '@material-ui/lab';
import {
  ClusterSummary,
  ClustersResponse,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { useClusterLink, useClusters, useOwnershipRefs } from '../shared';
import { ClusterCard, locationWords } from './ClusterCard';
import { ClusterFilters } from './ClusterFilters';
import { RefreshControl } from './RefreshControl';
import {
  CLEARED_FILTERS,
  ClusterListParams,
  hasFilters,
  toFilter,
  useClusterListParams,
} from './params';

/** Cluster cards per page: light enough for fleets of hundreds of clusters. */
export const CLUSTERS_PER_PAGE = 24;

const useStyles = makeStyles(theme => ({
  totals: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(4),
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    margin: 0,
    '& dt': { color: theme.palette.text.secondary, fontSize: '0.875rem' },
    '& dd': { margin: 0, fontSize: '1.5rem', fontWeight: 500 },
  },
  group: { marginBottom: theme.spacing(3) },
  /** As many cards per row as fit (at least 260px each): 1 on phones, 6+ on wide screens. */
  cards: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))',
    gap: theme.spacing(2),
    listStyle: 'none',
    padding: 0,
    margin: 0,
  },
}));

const CONFIG_EXAMPLE = `datadogEcs:
  locations:
    - accountId: '111111111111'
      name: production
      regions: [us-east-1, eu-west-1]

# Credentials per account (@backstage/integration-aws-node)
aws:
  accounts:
    - accountId: '111111111111'
      roleName: backstage-datadog-ecs-read`;

export const FleetTotals = (props: { totals: ClustersResponse['totals'] }) => {
  const classes = useStyles();
  const { totals } = props;
  return (
    <Paper variant="outlined">
      <dl className={classes.totals} aria-label="Fleet totals">
        <div>
          <dt>Clusters</dt>
          <dd>{totals.clusters}</dd>
        </div>
        <div>
          <dt>Container instances</dt>
          <dd>{totals.instances}</dd>
        </div>
        <div>
          <dt>Covered by the Agent</dt>
          <dd>{totals.covered}</dd>
        </div>
        <div>
          <dt>Coverage</dt>
          <dd>
            {totals.coveragePercent === null
              ? 'n/a'
              : `${totals.coveragePercent}%`}
          </dd>
        </div>
      </dl>
    </Paper>
  );
};

/** Failing locations and clusters, by name; everything else still renders. */
export const InventoryErrors = (props: { data: ClustersResponse }) => {
  const failedLocations = props.data.locations.filter(l => l.error);
  const failedClusters = props.data.clusters.filter(c => c.error);
  if (failedLocations.length === 0 && failedClusters.length === 0) return null;
  const count = failedLocations.length + failedClusters.length;
  return (
    <Box mb={2}>
      <WarningPanel
        title={`${count} part${
          count === 1 ? '' : 's'
        } of the inventory could not be refreshed`}
        message="The rest of the fleet is shown as of the latest refresh."
      >
        <ul>
          {failedLocations.map(l => (
            <li key={`${l.accountId}/${l.region}`}>
              <strong>Location {locationWords(l)}</strong> ({l.error!.kind}
              {l.error!.name ? `, ${l.error!.name}` : ''}): {l.error!.message}
            </li>
          ))}
          {failedClusters.map(c => (
            <li key={c.clusterArn}>
              <strong>
                Cluster {c.clusterName} in {locationWords(c)}
              </strong>{' '}
              ({c.error!.kind}): {c.error!.message}
            </li>
          ))}
        </ul>
      </WarningPanel>
    </Box>
  );
};

function compare(params: ClusterListParams) {
  return (a: ClusterSummary, b: ClusterSummary): number => {
    if (params.sort !== 'name') {
      // Clusters without instances (Fargate-only, failing) go last either way.
      const pa = a.coveragePercent;
      const pb = b.coveragePercent;
      if (pa !== pb) {
        if (pa === null) return 1;
        if (pb === null) return -1;
        return params.sort === 'coverage-asc' ? pa - pb : pb - pa;
      }
    }
    return a.clusterName.localeCompare(b.clusterName);
  };
}

const locationKey = (c: ClusterSummary) => `${c.accountId}/${c.region}`;

/** Sorted, and with grouping by location sorted by location first. */
export function arrange(
  clusters: ClusterSummary[],
  params: ClusterListParams,
): ClusterSummary[] {
  const sorted = [...clusters].sort(compare(params));
  if (params.group === 'flat') return sorted;
  return sorted.sort((a, b) => locationKey(a).localeCompare(locationKey(b)));
}

const NoLocations = () => (
  <EmptyState
    missing="field"
    title="No AWS accounts or regions configured"
    description={
      <>
        <Typography paragraph>
          List the AWS accounts and regions to inventory under{' '}
          <code>datadogEcs.locations</code> in <code>app-config.yaml</code>. The
          backend needs credentials for each account under{' '}
          <code>aws.accounts</code>: an IAM role it can assume with read-only
          ECS permissions (ecs:ListClusters, ecs:DescribeClusters,
          ecs:ListServices, ecs:DescribeServices, ecs:ListContainerInstances,
          ecs:DescribeContainerInstances, ecs:ListTasks, ecs:DescribeTasks,
          ecs:DescribeTaskDefinition).
        </Typography>
        <CodeSnippet language="yaml" text={CONFIG_EXAMPLE} showCopyCodeButton />
      </>
    }
  />
);

/**
 * The portal page's body: fleet totals, filters (in the URL), refresh, and the cluster cards grouped
 * by account and region.
 */
export const ClusterList = (props: { pollIntervalMs?: number }) => {
  const classes = useStyles();
  const [params, setParams] = useClusterListParams();
  const ownership = useOwnershipRefs(params.mine);
  // "My clusters" waits for the user's ownership refs: never a request that would show everything.
  const filter = useMemo(
    () =>
      params.mine && !ownership.value
        ? undefined
        : toFilter(params, ownership.value),
    [params, ownership.value],
  );
  const clusters = useClusters(filter);
  const { value, loading, retry } = clusters;
  const error = clusters.error ?? (params.mine ? ownership.error : undefined);
  const clusterLink = useClusterLink();

  // Keep showing the previous answer while filters change or a refresh is polled.
  const last = useRef<ClustersResponse>();
  if (value) last.current = value;
  const data = value ?? last.current;

  const arranged = useMemo(
    () => (data ? arrange(data.clusters, params) : []),
    [data, params],
  );

  if (!data) {
    if (error) return <ResponseErrorPanel error={error} />;
    return <Progress />;
  }

  if (data.locations.length === 0 && data.clusters.length === 0) {
    return <NoLocations />;
  }

  const pages = Math.max(1, Math.ceil(arranged.length / CLUSTERS_PER_PAGE));
  const page = Math.min(params.page, pages);
  const visible = arranged.slice(
    (page - 1) * CLUSTERS_PER_PAGE,
    page * CLUSTERS_PER_PAGE,
  );
  const groups: Array<{
    key: string;
    title?: string;
    clusters: ClusterSummary[];
  }> = [];
  for (const c of visible) {
    const key = params.group === 'flat' ? 'all' : locationKey(c);
    let group = groups.find(g => g.key === key);
    if (!group) {
      group = {
        key,
        title: params.group === 'flat' ? undefined : locationWords(c),
        clusters: [],
      };
      groups.push(group);
    }
    group.clusters.push(c);
  }
  const groupTotals = (key: string) => {
    const all = arranged.filter(c => locationKey(c) === key);
    const instances = all.reduce((n, c) => n + c.counts.instances, 0);
    const covered = all.reduce((n, c) => n + c.counts.covered, 0);
    return `${all.length} cluster${
      all.length === 1 ? '' : 's'
    }, ${covered} of ${instances} instances covered`;
  };

  return (
    <>
      <RefreshControl
        status={data.refresh}
        snapshotTakenAt={data.snapshotTakenAt}
        onPoll={retry}
        pollIntervalMs={props.pollIntervalMs}
      />
      {error && (
        <Box mb={2}>
          <ResponseErrorPanel error={error} />
        </Box>
      )}
      <InventoryErrors data={data} />
      <Box mb={2}>
        <FleetTotals totals={data.totals} />
      </Box>
      <ClusterFilters
        params={params}
        onChange={setParams}
        locations={data.locations}
      />
      <Box height={4} mb={1}>
        {loading && <LinearProgress aria-label="Loading clusters" />}
      </Box>
      {arranged.length === 0 ? (
        <EmptyState
          missing="data"
          title={
            hasFilters(params)
              ? 'No clusters match these filters'
              : 'No ECS clusters found'
          }
          description={
            hasFilters(params)
              ? 'Change or clear the filters to see more clusters.'
              : 'The configured accounts and regions have no ECS clusters, or the backend has not finished its first refresh.'
          }
          action={
            hasFilters(params) ? (
              <Button
                variant="outlined"
                color="primary"
                onClick={() => setParams(CLEARED_FILTERS)}
              >
                Clear filters
              </Button>
            ) : undefined
          }
        />
      ) : (
        <>
          <Typography variant="body2" color="textSecondary" gutterBottom>
            Showing {visible.length} of {arranged.length} cluster
            {arranged.length === 1 ? '' : 's'}
          </Typography>
          {groups.map(g => (
            <Box
              key={g.key}
              component="section"
              className={classes.group}
              aria-label={g.title ?? 'Clusters'}
            >
              {g.title && (
                <Typography variant="h5" component="h2" gutterBottom>
                  {g.title}{' '}
                  <Typography
                    variant="body2"
                    component="span"
                    color="textSecondary"
                  >
                    — {groupTotals(g.key)}
                  </Typography>
                </Typography>
              )}
              <ul className={classes.cards}>
                {g.clusters.map(c => (
                  <li key={c.clusterArn}>
                    <ClusterCard cluster={c} href={clusterLink?.(c)} />
                  </li>
                ))}
              </ul>
            </Box>
          ))}
          {pages > 1 && (
            <Box display="flex" justifyContent="center" mt={2}>
              <Pagination
                count={pages}
                page={page}
                onChange={(_, p) => setParams({ page: p })}
                getItemAriaLabel={(type, p, selected) =>
                  type === 'page'
                    ? `${selected ? 'Current page, ' : ''}page ${p}`
                    : `Go to ${type} page`
                }
              />
            </Box>
          )}
        </>
      )}
    </>
  );
};
