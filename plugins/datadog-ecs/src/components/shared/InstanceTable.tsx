import { useMemo, useState } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { Box, Chip, MenuItem, Typography, makeStyles } from '@material-ui/core';
import {
  COVERAGE_STATES_BEST_FIRST,
  CoverageState,
  InstanceCoverage,
  ecsConsoleUrlForArn,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import {
  COVERAGE_STATE_LABELS,
  CoverageStateLabel,
  REASON_LABELS,
} from './coverageState';
import { OutlinedSelect } from './OutlinedSelect';
import { ConsoleLink } from './ConsoleLink';
import { capacityText, capacityWords } from './capacity';

const useStyles = makeStyles(theme => ({
  evidence: {
    marginTop: theme.spacing(0.5),
    '& summary': { cursor: 'pointer', color: theme.palette.text.secondary },
    '& code': { whiteSpace: 'pre-wrap', fontSize: '0.8rem' },
  },
  filter: { minWidth: 220, marginBottom: theme.spacing(1) },
  consoleLink: { display: 'inline-block', fontSize: '0.75rem' },
}));

/** The last part of an ARN: a task's or a container instance's id. */
const idOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * "Amazon Linux 2023", "Linux · Amazon Linux generation unknown", "Windows (WINDOWS_SERVER_2022_CORE)",
 * "… · EXTERNAL (ECS Anywhere)".
 */
export function osWords(instance: InstanceCoverage): string {
  const parts: string[] = [];
  if (instance.os === 'linux') {
    if (instance.amazonLinuxGeneration) {
      parts.push(`Amazon Linux ${instance.amazonLinuxGeneration}`);
    } else if (instance.amazonLinuxGenerationSource === 'unknown') {
      parts.push('Linux', 'Amazon Linux generation unknown');
    } else {
      parts.push('Linux');
    }
  } else if (instance.os === 'windows') {
    parts.push(
      instance.osFamily ? `Windows (${instance.osFamily})` : 'Windows',
    );
  } else {
    parts.push('Unknown OS');
  }
  if (instance.external) parts.push('EXTERNAL (ECS Anywhere)');
  return parts.join(' · ');
}

/** The AMI in words (its name, when EC2 could read it, and its id), for the table's search. */
export function amiWords(instance: InstanceCoverage): string {
  return [instance.amiName, instance.amiId].filter(Boolean).join(' ');
}

const AmiCell = ({ instance: i }: { instance: InstanceCoverage }) => {
  if (!i.amiId) {
    return (
      <Typography variant="body2" color="textSecondary">
        —
      </Typography>
    );
  }
  let note: string | undefined;
  if (i.amazonLinuxGenerationSource === 'attribute') {
    note = 'Generation from the datadog.amazon-linux-generation attribute';
  } else if (i.amazonLinuxGenerationSource === 'unknown') {
    note = i.amiName
      ? 'Not an Amazon Linux AMI by its name: generation unknown'
      : 'AMI not readable: generation unknown';
  }
  return (
    <Box>
      <Typography variant="body2">{i.amiName ?? i.amiId}</Typography>
      {i.amiName && (
        <Typography variant="caption" color="textSecondary" display="block">
          {i.amiId}
        </Typography>
      )}
      {note && (
        <Typography variant="caption" color="textSecondary" display="block">
          {note}
        </Typography>
      )}
    </Box>
  );
};

const CoverageCell = ({ instance }: { instance: InstanceCoverage }) => {
  const classes = useStyles();
  const { reason } = instance;
  return (
    <Box>
      <CoverageStateLabel state={instance.state} />
      {reason && (
        <Typography variant="body2">
          <strong>{REASON_LABELS[reason.code] ?? reason.code}:</strong>{' '}
          {reason.message}
        </Typography>
      )}
      {reason?.evidence && (
        <details className={classes.evidence}>
          <summary>ECS evidence</summary>
          <code>{reason.evidence}</code>
        </details>
      )}
    </Box>
  );
};

/** The capacity the instance belongs to: its kind over its capacity provider. */
const CapacityCell = ({ instance }: { instance: InstanceCoverage }) => {
  const words = capacityWords(instance);
  if (!words) {
    return (
      <Typography variant="body2" color="textSecondary">
        —
      </Typography>
    );
  }
  return (
    <Box>
      <Typography variant="body2">{words.kind}</Typography>
      {words.provider && (
        <Typography variant="caption" color="textSecondary" display="block">
          {words.provider}
        </Typography>
      )}
    </Box>
  );
};

const AgentTaskCell = ({
  instance,
  clusterName,
}: {
  instance: InstanceCoverage;
  clusterName?: string;
}) => {
  const classes = useStyles();
  const task = instance.agentTask;
  if (!task) {
    return (
      <Typography variant="body2" color="textSecondary">
        No Agent task
      </Typography>
    );
  }
  return (
    <Box>
      <Typography variant="body2" component="div">
        {task.revision}{' '}
        {!task.upToDate && (
          <Chip size="small" label="outdated" variant="outlined" />
        )}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {task.lastStatus}
        {task.lastStatus !== task.desiredStatus && ` → ${task.desiredStatus}`}
        {task.exitCode !== undefined && ` · exit code ${task.exitCode}`}
        {task.stoppedReason && ` · ${task.stoppedReason}`}
      </Typography>
      <Box>
        <ConsoleLink
          className={classes.consoleLink}
          href={ecsConsoleUrlForArn(task.taskArn, { clusterName })}
          what={`Agent task ${idOf(task.taskArn)} on ${instance.instanceId}`}
        />
      </Box>
    </Box>
  );
};

const InstanceCell = ({
  instance: i,
  clusterName,
}: {
  instance: InstanceCoverage;
  clusterName?: string;
}) => {
  const classes = useStyles();
  return (
    <Box>
      <Typography variant="body2">{i.instanceId}</Typography>
      <ConsoleLink
        className={classes.consoleLink}
        href={ecsConsoleUrlForArn(i.containerInstanceArn, { clusterName })}
        what={`container instance ${i.instanceId}`}
      />
      {i.status !== 'ACTIVE' && (
        <Chip size="small" label={i.status} variant="outlined" />
      )}
      {!i.agentConnected && (
        <Typography variant="caption" color="error" component="p">
          ECS container agent disconnected
        </Typography>
      )}
    </Box>
  );
};

const columnsFor = (clusterName?: string): TableColumn<InstanceCoverage>[] => [
  {
    title: 'Instance',
    field: 'instanceId',
    highlight: true,
    render: i => <InstanceCell instance={i} clusterName={clusterName} />,
  },
  { title: 'Type', field: 'instanceType', emptyValue: '—' },
  {
    title: 'Capacity',
    customFilterAndSearch: (term, i) =>
      capacityText(i)
        .toLocaleLowerCase()
        .includes(String(term).toLocaleLowerCase()),
    customSort: (a, b) => capacityText(a).localeCompare(capacityText(b)),
    render: i => <CapacityCell instance={i} />,
  },
  { title: 'Availability zone', field: 'availabilityZone', emptyValue: '—' },
  {
    title: 'OS',
    customFilterAndSearch: (term, i) =>
      osWords(i).toLocaleLowerCase().includes(String(term).toLocaleLowerCase()),
    render: i => osWords(i),
  },
  {
    title: 'AMI',
    customFilterAndSearch: (term, i) =>
      amiWords(i).toLocaleLowerCase().includes(String(term).toLocaleLowerCase()),
    render: i => <AmiCell instance={i} />,
  },
  {
    title: 'Coverage',
    field: 'state',
    customSort: (a, b) =>
      COVERAGE_STATES_BEST_FIRST.indexOf(b.state) -
      COVERAGE_STATES_BEST_FIRST.indexOf(a.state),
    render: i => <CoverageCell instance={i} />,
  },
  {
    title: 'Agent task',
    customFilterAndSearch: (term, i) =>
      (i.agentTask?.revision ?? '').includes(String(term)),
    render: i => <AgentTaskCell instance={i} clusterName={clusterName} />,
  },
  {
    title: 'Health',
    render: i => i.agentTask?.healthStatus ?? '—',
  },
];

/**
 * The container instances of a cluster with their Agent coverage; filterable by state.
 */
export const InstanceTable = (props: {
  instances: InstanceCoverage[];
  title?: string;
  /** Rows per page (default 20). */
  pageSize?: number;
  /**
   * The cluster's name, for console links from ARNs in the old format (without the cluster's
   * name).
   */
  clusterName?: string;
}) => {
  const classes = useStyles();
  const [state, setState] = useState<CoverageState | 'all'>('all');
  const present = useMemo(
    () =>
      COVERAGE_STATES_BEST_FIRST.filter(s =>
        props.instances.some(i => i.state === s),
      ),
    [props.instances],
  );
  const rows = useMemo(
    () =>
      state === 'all'
        ? props.instances
        : props.instances.filter(i => i.state === state),
    [props.instances, state],
  );
  const pageSize = props.pageSize ?? 20;
  const columns = useMemo(
    () => columnsFor(props.clusterName),
    [props.clusterName],
  );
  return (
    <Box>
      <OutlinedSelect
        className={classes.filter}
        labelId="instance-state-filter-label"
        label="Coverage state"
        value={state}
        onChange={v => setState(v as CoverageState | 'all')}
      >
        <MenuItem value="all">All ({props.instances.length})</MenuItem>
        {present.map(s => (
          <MenuItem key={s} value={s}>
            {COVERAGE_STATE_LABELS[s]} (
            {props.instances.filter(i => i.state === s).length})
          </MenuItem>
        ))}
      </OutlinedSelect>
      <Table<InstanceCoverage>
        title={props.title ?? 'Container instances'}
        columns={columns}
        data={rows}
        options={{
          paging: rows.length > pageSize,
          pageSize,
          padding: 'dense',
          search: rows.length > 10,
          // Draggable headers nest a focusable drag handle in each sort button (axe:
          // nested-interactive); columns keep their order.
          draggable: false,
        }}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              No container instances in this state.
            </Typography>
          </Box>
        }
      />
    </Box>
  );
};
