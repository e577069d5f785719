import { Box, Chip, Typography, makeStyles } from '@material-ui/core';
import ErrorIcon from '@material-ui/icons/ErrorOutline';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import InfoIcon from '@material-ui/icons/InfoOutlined';
import {
  Finding,
  FindingSeverity,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

export const SEVERITIES: FindingSeverity[] = ['critical', 'warning', 'info'];

export const SEVERITY_LABELS: Record<FindingSeverity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Info',
};

const useStyles = makeStyles(theme => ({
  critical: { color: theme.palette.error.main },
  warning: { color: theme.palette.warning.dark },
  info: { color: theme.palette.info.main },
  list: { listStyle: 'none', padding: 0, margin: 0 },
  item: {
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
  title: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  counts: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
}));

const SEVERITY_ICONS: Record<FindingSeverity, typeof ErrorIcon> = {
  critical: ErrorIcon,
  warning: WarningIcon,
  info: InfoIcon,
};

export const SeverityIcon = (props: { severity: FindingSeverity }) => {
  const classes = useStyles();
  const Icon = SEVERITY_ICONS[props.severity];
  return (
    <Icon fontSize="small" className={classes[props.severity]} aria-hidden />
  );
};

/**
 * "2 critical, 1 warning" as small chips; nothing when there are no findings.
 *
 * @public
 */
export const FindingCounts = (props: {
  counts: Record<FindingSeverity, number>;
}) => {
  const classes = useStyles();
  const present = SEVERITIES.filter(s => props.counts[s] > 0);
  if (present.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No findings
      </Typography>
    );
  }
  return (
    <Box className={classes.counts}>
      {present.map(s => (
        <Chip
          key={s}
          size="small"
          icon={<SeverityIcon severity={s} />}
          label={`${props.counts[s]} ${s}`}
          variant="outlined"
        />
      ))}
    </Box>
  );
};

const FindingItem = (props: {
  finding: Finding;
  headingLevel: 'h4' | 'h5' | 'h6';
}) => {
  const classes = useStyles();
  const { finding } = props;
  return (
    <li className={classes.item}>
      <Typography
        variant="subtitle2"
        component={props.headingLevel}
        className={classes.title}
      >
        <SeverityIcon severity={finding.severity} />
        <span>
          {SEVERITY_LABELS[finding.severity]}: {finding.title}
        </span>
      </Typography>
      <Typography variant="body2">{finding.explanation}</Typography>
      <Typography variant="body2">
        <strong>Remedy:</strong> {finding.remedy}
      </Typography>
    </li>
  );
};

/**
 * Findings with their explanations and remedies, grouped by severity (most severe first).
 *
 * @public
 */
export const FindingList = (props: {
  findings: Finding[];
  /** Do not group by severity (short lists). */
  flat?: boolean;
  emptyText?: string;
}) => {
  const classes = useStyles();
  const { findings } = props;
  if (findings.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.emptyText ?? 'No findings.'}
      </Typography>
    );
  }
  if (props.flat) {
    const sorted = [...findings].sort(
      (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity),
    );
    return (
      <ul className={classes.list}>
        {sorted.map((f, i) => (
          <FindingItem key={`${f.id}-${i}`} finding={f} headingLevel="h4" />
        ))}
      </ul>
    );
  }
  return (
    <>
      {SEVERITIES.filter(s => findings.some(f => f.severity === s)).map(s => {
        const group = findings.filter(f => f.severity === s);
        return (
          <Box
            key={s}
            mb={2}
            component="section"
            aria-label={`${SEVERITY_LABELS[s]} findings`}
          >
            <Typography variant="h6" component="h3" className={classes.title}>
              <SeverityIcon severity={s} />
              {SEVERITY_LABELS[s]} ({group.length})
            </Typography>
            <ul className={classes.list}>
              {group.map((f, i) => (
                <FindingItem
                  key={`${f.id}-${i}`}
                  finding={f}
                  headingLevel="h4"
                />
              ))}
            </ul>
          </Box>
        );
      })}
    </>
  );
};
