import {
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import {
  ClusterDetails,
  ManagedDaemonSummary,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  ManagedDaemonDeploymentFacts,
  criticalWords,
  daemonsOfProvider,
  managedInstancesProviderNames,
} from '../shared';

/** Instances of a Managed Instances capacity provider, as the snapshot has them. */
function providerInstances(
  cluster: ClusterDetails,
  name: string,
): number | undefined {
  const described = cluster.managedInstancesCapacityProviders?.find(
    p => p.name === name,
  );
  if (described) return described.instances;
  const seen = cluster.instances.filter(
    i =>
      i.capacity?.kind === 'managed-instances' &&
      i.capacity.capacityProviderName === name,
  ).length;
  return seen || undefined;
}

const providerStatus = (cluster: ClusterDetails, name: string) =>
  cluster.managedInstancesCapacityProviders?.find(p => p.name === name)?.status;

const Daemon = (props: {
  cluster: ClusterDetails;
  daemon: ManagedDaemonSummary;
}) => {
  const { cluster, daemon: d } = props;
  const headingId = `managed-daemon-${d.daemonName}`;
  return (
    <Box component="section" aria-labelledby={headingId} mb={3}>
      <Typography variant="h6" component="h3" id={headingId}>
        Managed daemon {d.daemonName}
      </Typography>
      <Typography variant="body2">
        Status {d.status}
        {d.revision ? ` · revision ${d.revision}` : ''} · {d.runningCount}{' '}
        running · {d.withoutDaemonCount} instance
        {d.withoutDaemonCount === 1 ? '' : 's'} without the daemon
      </Typography>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        {criticalWords(d.critical)}
      </Typography>
      <Table size="small" aria-label={`Capacity providers of ${d.daemonName}`}>
        <TableHead>
          <TableRow>
            <TableCell>Capacity provider</TableCell>
            <TableCell>Instances</TableCell>
            <TableCell>Running the daemon</TableCell>
            <TableCell>Without the daemon</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {d.capacityProviders.map(p => {
            const status = providerStatus(cluster, p.name);
            return (
              <TableRow key={p.arn || p.name}>
                <TableCell>
                  {p.name}
                  {status && status !== 'ACTIVE' ? ` (${status})` : ''}
                </TableCell>
                <TableCell>
                  {providerInstances(cluster, p.name) ?? '—'}
                </TableCell>
                <TableCell>{p.runningCount}</TableCell>
                <TableCell>{p.withoutDaemonCount}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Box mt={2}>
        <Typography variant="subtitle2" component="h4">
          Current deployment
        </Typography>
        {d.currentDeployment ? (
          <ManagedDaemonDeploymentFacts
            deployment={d.currentDeployment}
            label={`Current deployment of ${d.daemonName}`}
          />
        ) : (
          <Typography variant="body2">No deployment reported.</Typography>
        )}
      </Box>
    </Box>
  );
};

/**
 * The cluster's ECS Managed Daemons that run the Agent on its Managed Instances capacity
 * providers: status, revision, criticality, per capacity provider the instances running the daemon
 * and those without it, the current deployment; and the providers no daemon serves.
 */
export const ManagedDaemons = ({ cluster }: { cluster: ClusterDetails }) => {
  const daemons = cluster.managedDaemons ?? [];
  const uncovered = managedInstancesProviderNames(cluster).filter(
    p => daemonsOfProvider(cluster, p).length === 0,
  );
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        On ECS Managed Instances only a managed daemon runs the Agent: a DAEMON
        service does not place tasks there.
      </Typography>
      {daemons.map(d => (
        <Daemon key={d.daemonArn} cluster={cluster} daemon={d} />
      ))}
      {uncovered.length > 0 && (
        <ul aria-label="Capacity providers without a managed daemon">
          {uncovered.map(p => {
            const n = providerInstances(cluster, p);
            return (
              <li key={p}>
                <Typography variant="body2">
                  No managed daemon on {p}
                  {n !== undefined
                    ? ` (${n} instance${n === 1 ? '' : 's'})`
                    : ''}
                  : the Agent does not run there. Roll out to create one.
                </Typography>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
};
