import { memo } from 'react';
import { Link } from '@backstage/core-components';
import {
  Box,
  Card,
  CardContent,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { ClusterSummary } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  ClusterCoverageGauge,
  CoverageStateLabel,
  FeatureChips,
  FindingCounts,
  ClusterOwner,
  RelativeTime,
  clusterStateWords,
} from '../shared';
import { ClusterConsoleLink } from '../shared/ConsoleLink';
import { managedInstancesWords, schedulingParts } from '../shared/capacity';

const useStyles = makeStyles(theme => ({
  card: { height: '100%', display: 'flex', flexDirection: 'column' },
  content: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    flex: 1,
  },
  title: { wordBreak: 'break-all' },
  error: { color: theme.palette.error.main },
}));

/** "Production (111111111111) · us-east-1". */
export function locationWords(c: {
  accountId: string;
  region: string;
  locationName?: string;
  name?: string;
}): string {
  const name = c.locationName ?? c.name;
  return `${name ? `${name} (${c.accountId})` : c.accountId} · ${c.region}`;
}

/** A cluster's name (a link when given one) over its account and region. */
export const ClusterHeading = (props: {
  cluster: ClusterSummary;
  href?: string;
  titleClassName?: string;
}) => (
  <>
    <Typography variant="h6" component="h3" className={props.titleClassName}>
      {props.href ? (
        <Link to={props.href}>{props.cluster.clusterName}</Link>
      ) : (
        props.cluster.clusterName
      )}
    </Typography>
    <Typography variant="body2" color="textSecondary">
      {locationWords(props.cluster)}
    </Typography>
  </>
);

/** "datadog-agent-task:7 · 1 outdated"; a managed daemon's revision when no service runs one. */
export function revisionWords(c: ClusterSummary): string {
  const daemonRevisions = (c.managedDaemons ?? []).flatMap(d =>
    d.revision ? [d.revision] : [],
  );
  let revision = c.currentRevision;
  if (!revision && c.agentRevisions.length) {
    revision = c.agentRevisions.join(', ');
  }
  if (!revision && daemonRevisions.length) {
    revision = daemonRevisions.join(', ');
  }
  if (!revision) return 'No Agent daemon';
  return c.outdatedInstances > 0
    ? `${revision} · ${c.outdatedInstances} outdated`
    : revision;
}

/**
 * How the Agent gets onto the instances: "DAEMON service datadog-agent", "managed daemon
 * datadog-agent", "3 standalone tasks (started by ecs-user-data)", "REPLICA service dd-replica",
 * several joined by " + ", or undefined when the snapshot predates the field.
 */
export function schedulingWords(c: ClusterSummary): string | undefined {
  const s = c.agentScheduling;
  if (!s) return undefined;
  if (s.mode === 'none') return 'Not scheduled: no Agent service or task';
  return schedulingParts(s).join(' + ');
}

/**
 * Whether a card should say how the Agent is scheduled: not for the documented ways (a DAEMON
 * service, a managed daemon — the Managed Instances line says that — or both), nor for none.
 */
function unusualScheduling(c: ClusterSummary): boolean {
  const s = c.agentScheduling;
  if (!s || ['daemon-service', 'managed-daemon', 'none'].includes(s.mode)) {
    return false;
  }
  return s.mode !== 'mixed' || s.otherServices.length > 0 || s.standaloneTasks > 0;
}

/**
 * What a card says about a cluster: its state, a failed refresh, coverage, features, findings, the
 * Agent's revision and scheduling, and its owner. The portal's cards and the cluster resource's
 * entity card show it.
 */
export const ClusterSummaryFacts = (props: { cluster: ClusterSummary }) => {
  const classes = useStyles();
  const c = props.cluster;
  const managedInstances = managedInstancesWords(c);
  return (
    <>
      <ClusterOwner cluster={c} />
      <CoverageStateLabel state={c.state} cluster>
        {clusterStateWords(c)}
      </CoverageStateLabel>
      {c.error && (
        <Typography variant="body2" className={classes.error}>
          Refresh failed ({c.error.kind}): {c.error.message}
        </Typography>
      )}
      <ClusterCoverageGauge cluster={c} />
      <FeatureChips features={c.features} compact />
      <FindingCounts counts={c.findingCounts} />
      {!c.fargateOnly && (
        <Typography variant="body2">
          Agent revision: {revisionWords(c)}
        </Typography>
      )}
      {unusualScheduling(c) && (
        <Typography variant="body2">
          Scheduled as: {schedulingWords(c)}
        </Typography>
      )}
      {managedInstances && (
        <Typography variant="body2">{managedInstances}</Typography>
      )}
    </>
  );
};

/** One compact cluster card of the portal page. */
export const ClusterCard = memo(
  (props: { cluster: ClusterSummary; href?: string }) => {
    const classes = useStyles();
    const c = props.cluster;
    return (
      <Card
        className={classes.card}
        variant="outlined"
        component="article"
        aria-label={`Cluster ${c.clusterName}`}
      >
        <CardContent className={classes.content}>
          <Box>
            <ClusterHeading
              cluster={c}
              href={props.href}
              titleClassName={classes.title}
            />
          </Box>
          <ClusterSummaryFacts cluster={c} />
          <Typography variant="caption" color="textSecondary">
            Refreshed <RelativeTime value={c.refreshedAt} /> ·{' '}
            <ClusterConsoleLink cluster={c} />
          </Typography>
        </CardContent>
      </Card>
    );
  },
);
