import { Box, Typography, makeStyles } from '@material-ui/core';
import {
  EntityClusterCoverage,
  EntityCoverageResponse,
  EntityServiceCoverage,
  ecsConsoleUrlForArn,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  ClusterCoverageGauge,
  CoverageStateLabel,
  FARGATE_NOT_APPLICABLE,
  FindingList,
  StatusLine,
  clusterStateWords,
} from '../shared';
import { ClusterConsoleLink, ConsoleLink } from '../shared/ConsoleLink';
import { ClusterHeading } from '../ClusterList/ClusterCard';
import { RolloutButton } from '../Rollout';

const useStyles = makeStyles(theme => ({
  service: {
    marginTop: theme.spacing(1),
    paddingLeft: theme.spacing(2),
    borderLeft: `3px solid ${theme.palette.divider}`,
  },
}));

/** "4 of 6 tasks run on instances without a working Agent". */
export function serviceCoverageWords(s: EntityServiceCoverage): string {
  if (!s.found) return 'Not found on this cluster in the latest inventory.';
  if (s.launchType === 'FARGATE') return FARGATE_NOT_APPLICABLE;
  if (s.tasks === 0) return 'No running tasks on container instances.';
  if (s.uncoveredTasks === 0) {
    return `All ${s.tasks} task${
      s.tasks === 1 ? '' : 's'
    } run on instances covered by the Agent.`;
  }
  return `${s.uncoveredTasks} of ${s.tasks} task${
    s.tasks === 1 ? '' : 's'
  } run on instances without a working Agent.`;
}

const ServiceCoverage = ({
  service,
  clusterName,
}: {
  service: EntityServiceCoverage;
  clusterName: string;
}) => {
  const classes = useStyles();
  let state: 'covered' | 'missing' | 'not-applicable' = 'covered';
  if (!service.found || service.launchType === 'FARGATE')
    state = 'not-applicable';
  else if (service.uncoveredTasks > 0) state = 'missing';
  return (
    <Box className={classes.service}>
      <Typography variant="subtitle2" component="h4">
        Service {service.serviceName}
        {service.found && (
          <>
            {' '}
            <ConsoleLink
              href={ecsConsoleUrlForArn(service.serviceArn, { clusterName })}
              what={`service ${service.serviceName}`}
            />
          </>
        )}
      </Typography>
      <StatusLine state={state}>{serviceCoverageWords(service)}</StatusLine>
      {service.findings.length > 0 && (
        <Box mt={1}>
          <FindingList findings={service.findings} flat />
        </Box>
      )}
    </Box>
  );
};

/** One cluster as seen from an entity: its coverage, and the entity's services on it. */
export const EntityClusterSummary = (props: {
  item: EntityClusterCoverage;
  href?: string;
  /** The page's entity: with it, a rollout button for the cluster (checked against the entity). */
  entityRef?: string;
  /** Reloads the entity's coverage after a rollout finished. */
  reload?: () => void;
}) => {
  const { cluster, services } = props.item;
  return (
    <Box>
      <ClusterHeading cluster={cluster} href={props.href} />
      <Typography variant="body2">
        <ClusterConsoleLink cluster={cluster} />
      </Typography>
      <CoverageStateLabel state={cluster.state} cluster>
        {clusterStateWords(cluster)}
      </CoverageStateLabel>
      <ClusterCoverageGauge cluster={cluster} />
      {services.map(s => (
        <ServiceCoverage
          key={s.serviceArn}
          service={s}
          clusterName={cluster.clusterName}
        />
      ))}
      {props.entityRef && !cluster.fargateOnly && (
        <Box mt={1}>
          <RolloutButton
            cluster={{
              accountId: cluster.accountId,
              region: cluster.region,
              clusterName: cluster.clusterName,
            }}
            entityRef={props.entityRef}
            owner={cluster.owner}
            reload={props.reload}
            nameCluster
          />
        </Box>
      )}
    </Box>
  );
};

/** ARNs from the annotations that match nothing, with the reason. */
export const UnmatchedArns = (props: {
  unmatched: EntityCoverageResponse['unmatched'];
}) => {
  if (props.unmatched.length === 0) return null;
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h3">
        Not found in the inventory
      </Typography>
      <ul>
        {props.unmatched.map(u => (
          <li key={u.arn}>
            <Typography variant="body2">
              <code>{u.arn}</code>: {u.reason}
            </Typography>
          </li>
        ))}
      </ul>
    </Box>
  );
};
