import { Gauge } from '@backstage/core-components';
import {
  Box,
  Chip,
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
  FeatureResult,
  ecsConsoleUrlForArn,
  ecsServiceConsoleUrl,
  maskSecrets,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { ConsoleLink } from '../shared/ConsoleLink';
import {
  FeatureStateChip,
  JsonBlock,
  RelativeTime,
  coverageWords,
  formatDateTime,
  schedulingByCapacity,
} from '../shared';
import { revisionWords, schedulingWords } from '../ClusterList/ClusterCard';

// The cluster page's cards: coverage, features, events and task definitions.

const useStyles = makeStyles(theme => ({
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
  perCapacity: { listStyle: 'none', padding: 0, margin: 0 },
  feature: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  keywords: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  gaugeDescription: {
    display: 'block',
    fontSize: theme.typography.pxToRem(12),
    lineHeight: 1.3,
    textAlign: 'center',
    whiteSpace: 'nowrap',
  },
}));

const percentOf = (n: number, total: number) =>
  total ? `${Math.floor((n / total) * 100)}%` : 'n/a';

/**
 * What the gauge shows on hover in place of the percentage, short enough for the ring's hole at
 * any fleet size ECS allows ("5000 of 5000" / "covered"); the full sentence is under the gauge.
 */
const GaugeDescription = (props: { covered: number; total: number }) => {
  const classes = useStyles();
  return (
    <span className={classes.gaugeDescription}>
      {props.covered} of {props.total}
      <br />
      covered
    </span>
  );
};

const Counts = ({ cluster }: { cluster: ClusterDetails }) => {
  const classes = useStyles();
  const { counts } = cluster;
  const perCapacity = schedulingByCapacity(cluster);
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
      {cluster.agentScheduling && perCapacity.length === 0 && (
        <>
          <dt>Agent scheduling</dt>
          <dd>{schedulingWords(cluster)}</dd>
        </>
      )}
      {perCapacity.length > 0 && (
        <>
          <dt>Agent per capacity</dt>
          <dd>
            <ul className={classes.perCapacity} aria-label="Agent per capacity">
              {perCapacity.map(row => (
                <li key={row.capacity}>
                  {row.capacity}: {row.scheduling}
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
      {!!cluster.amazonLinuxGenerationUnknown && (
        <>
          <dt>Amazon Linux generation</dt>
          <dd>
            Unknown on {cluster.amazonLinuxGenerationUnknown} instance(s):
            custom AMI, or the AMI could not be read (a rollout asks)
          </dd>
        </>
      )}
      {cluster.agentServices.length > 0 && (
        <>
          <dt>Agent service</dt>
          <dd>
            {cluster.agentServices.map((s, i) => (
              <Box component="span" key={s.serviceArn}>
                {i > 0 && ', '}
                {s.serviceName} ({s.schedulingStrategy}){' '}
                <ConsoleLink
                  href={
                    ecsConsoleUrlForArn(s.serviceArn, {
                      clusterName: cluster.clusterName,
                    }) ??
                    ecsServiceConsoleUrl({
                      region: cluster.region,
                      clusterName: cluster.clusterName,
                      serviceName: s.serviceName,
                    })
                  }
                  what={`service ${s.serviceName}`}
                />
              </Box>
            ))}
          </dd>
        </>
      )}
    </dl>
  );
};

/**
 * The coverage card's body: the gauge (small, so "100%" fits inside the ring), the sentence, and
 * the counts.
 */
export const CoverageSummary = ({ cluster }: { cluster: ClusterDetails }) => (
  <>
    <Box width={160} mx="auto">
      <Gauge
        size="small"
        value={
          cluster.counts.instances
            ? cluster.counts.covered / cluster.counts.instances
            : 0
        }
        description={
          <GaugeDescription
            covered={cluster.counts.covered}
            total={cluster.counts.instances}
          />
        }
      />
    </Box>
    <Typography align="center" gutterBottom>
      {coverageWords(cluster.counts.covered, cluster.counts.instances)}
    </Typography>
    <Counts cluster={cluster} />
  </>
);

export const FeatureList = ({ features }: { features: FeatureResult[] }) => {
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

export const Events = ({ cluster }: { cluster: ClusterDetails }) => {
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

export const TaskDefinitions = ({ cluster }: { cluster: ClusterDetails }) => {
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
            {td.taskDefinitionArn && (
              <Box>
                <ConsoleLink
                  href={ecsConsoleUrlForArn(td.taskDefinitionArn)}
                  what={`task definition ${name}`}
                />
              </Box>
            )}
            <JsonBlock
              label={`Task definition ${name}`}
              text={JSON.stringify(maskSecrets(td), null, 2)}
            />
          </Box>
        );
      })}
    </>
  );
};
