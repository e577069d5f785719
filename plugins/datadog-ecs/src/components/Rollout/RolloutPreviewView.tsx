import { CodeSnippet } from '@backstage/core-components';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import AddIcon from '@material-ui/icons/AddCircleOutline';
import RemoveIcon from '@material-ui/icons/RemoveCircleOutline';
import ChangeIcon from '@material-ui/icons/SwapHorizontalCircleOutlined';
import {
  RolloutPreview,
  TaskDefinitionChange,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { CoverageStateLabel, RelativeTime } from '../shared';
import { CHANGE_KIND_LABELS, VARIANT_LABELS, valueWords } from './words';
import { ManagedDaemonPreviewView } from './ManagedDaemonPreviewView';

const useStyles = makeStyles(theme => ({
  value: {
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    wordBreak: 'break-all',
    whiteSpace: 'pre-wrap',
    maxWidth: 320,
  },
  path: { fontFamily: 'monospace', fontSize: '0.8rem', wordBreak: 'break-all' },
  kind: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
  added: { color: theme.palette.success.main },
  removed: { color: theme.palette.error.main },
  changed: { color: theme.palette.info.main },
  section: { marginTop: theme.spacing(2) },
}));

const ChangeKind = ({ kind }: { kind: TaskDefinitionChange['kind'] }) => {
  const classes = useStyles();
  const Icon = { added: AddIcon, removed: RemoveIcon, changed: ChangeIcon }[
    kind
  ];
  return (
    <span className={classes.kind}>
      <Icon fontSize="small" className={classes[kind]} aria-hidden />
      {CHANGE_KIND_LABELS[kind]}
    </span>
  );
};

/** What a rollout would do: the diff, the ECS calls, the instances, warnings and the full JSON. */
export const RolloutPreviewView = (props: { preview: RolloutPreview }) => {
  const classes = useStyles();
  const p = props.preview;
  const managed = p.target === 'managed-daemon';
  const definition = managed ? 'Daemon task definition' : 'Task definition';
  return (
    <Box>
      <Typography variant="body2">
        Image <code>{p.image}</code> · {VARIANT_LABELS[p.variant]}
        {p.external ? ' on ECS Anywhere' : ''} (
        {p.variantSource === 'instances'
          ? 'chosen from the instances'
          : 'chosen by you'}
        ) · {managed ? 'managed daemon' : 'service'} {p.serviceName}
        {p.current && ` · now ${p.current.revision}`}
        {!p.current && (managed ? ' · no managed daemon yet' : ' · no Agent daemon yet')}
      </Typography>
      {p.basedOn && (
        <Typography variant="body2" color="textSecondary">
          From the inventory of <RelativeTime value={p.basedOn.snapshotTakenAt} />: ECS is read
          again before anything is written.
        </Typography>
      )}
      {p.warnings.length > 0 && (
        <Box className={classes.section}>
          <Alert severity="warning" aria-label="Warnings">
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {p.warnings.map(w => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </Alert>
        </Box>
      )}

      {managed && p.managedDaemon && (
        <Box className={classes.section}>
          <ManagedDaemonPreviewView managedDaemon={p.managedDaemon} />
        </Box>
      )}

      <Box className={classes.section}>
        <Typography variant="subtitle2" component="h3">
          {definition} changes
          {p.current ? ` from ${p.current.revision}` : ' (new definition)'}
        </Typography>
        {p.diff.length === 0 ? (
          <Typography variant="body2">
            No change: the rendered definition matches the running one
            {p.registerNeeded ? '' : ', and no new revision is needed'}.
          </Typography>
        ) : (
          <Table size="small" aria-label="Task definition changes">
            <TableHead>
              <TableRow>
                <TableCell>Change</TableCell>
                <TableCell>Path</TableCell>
                <TableCell>Before</TableCell>
                <TableCell>After</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {p.diff.map(c => (
                <TableRow key={`${c.kind}:${c.path}`}>
                  <TableCell>
                    <ChangeKind kind={c.kind} />
                  </TableCell>
                  <TableCell className={classes.path}>{c.path}</TableCell>
                  <TableCell className={classes.value}>
                    {c.kind === 'added' ? '—' : valueWords(c.before)}
                  </TableCell>
                  <TableCell className={classes.value}>
                    {c.kind === 'removed' ? '—' : `→ ${valueWords(c.after)}`}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>

      <Box className={classes.section}>
        <Typography variant="subtitle2" component="h3">
          ECS calls, in order
        </Typography>
        {p.calls.length === 0 ? (
          <Typography variant="body2">None: nothing to do.</Typography>
        ) : (
          <ol aria-label="ECS calls">
            {p.calls.map((c, i) => (
              <li key={`${i}-${c.operation}`}>
                <Typography variant="body2">
                  <strong>{c.operation}</strong>: {c.summary}
                </Typography>
              </li>
            ))}
          </ol>
        )}
      </Box>

      <Box className={classes.section}>
        <Typography variant="subtitle2" component="h3">
          Instances affected ({p.instancesAffected.length})
        </Typography>
        {p.instancesAffected.length === 0 ? (
          <Typography variant="body2">
            No container instance: ECS places the daemon when instances join.
          </Typography>
        ) : (
          <Table size="small" aria-label="Instances affected">
            <TableHead>
              <TableRow>
                <TableCell>Instance</TableCell>
                <TableCell>Agent now</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {p.instancesAffected.map(i => (
                <TableRow key={i.containerInstanceArn}>
                  <TableCell>{i.instanceId}</TableCell>
                  <TableCell>
                    <CoverageStateLabel state={i.state} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>

      <Box className={classes.section}>
        <Accordion TransitionProps={{ unmountOnExit: true }}>
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>
            <Typography variant="subtitle2" component="h3">
              Rendered {definition.toLocaleLowerCase('en-US')} (JSON, API key masked)
            </Typography>
          </AccordionSummary>
          <AccordionDetails style={{ display: 'block' }}>
            <CodeSnippet
              language="json"
              text={JSON.stringify(p.taskDefinition, null, 2)}
              showCopyCodeButton
              customStyle={{ maxHeight: 400, overflow: 'auto' }}
            />
          </AccordionDetails>
        </Accordion>
      </Box>
    </Box>
  );
};
