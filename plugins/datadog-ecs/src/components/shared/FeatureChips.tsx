import { Chip, Tooltip, makeStyles } from '@material-ui/core';
import CheckIcon from '@material-ui/icons/CheckCircleOutline';
import OffIcon from '@material-ui/icons/RemoveCircleOutline';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import NotApplicableIcon from '@material-ui/icons/Block';
import {
  FeatureChip,
  FeatureState,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** Each feature state in words. */
export const FEATURE_STATE_LABELS: Record<FeatureState, string> = {
  on: 'on',
  off: 'off',
  misconfigured: 'misconfigured',
  'not-applicable': 'not applicable',
};

const useStyles = makeStyles(theme => ({
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    listStyle: 'none',
    padding: 0,
    margin: 0,
  },
  on: { borderColor: theme.palette.success.main },
  off: {},
  misconfigured: {
    borderColor: theme.palette.warning.main,
    backgroundColor: theme.palette.type === 'dark' ? undefined : '#fff8e1',
  },
  na: { opacity: 0.7 },
}));

const ICONS: Record<FeatureState, JSX.Element> = {
  on: <CheckIcon />,
  off: <OffIcon />,
  misconfigured: <WarningIcon />,
  'not-applicable': <NotApplicableIcon />,
};

/** One feature as a chip: icon and "APM: on"; the top finding in a tooltip (focusable). */
export const FeatureStateChip = (props: {
  title: string;
  state: FeatureState;
  topFinding?: string;
  findingCount?: number;
}) => {
  const classes = useStyles();
  const { title, state, topFinding, findingCount = 0 } = props;
  const className = {
    on: classes.on,
    off: classes.off,
    misconfigured: classes.misconfigured,
    'not-applicable': classes.na,
  }[state];
  const label = `${title}: ${FEATURE_STATE_LABELS[state]}`;
  const tip = topFinding
    ? `${topFinding}${findingCount > 1 ? ` (+${findingCount - 1} more)` : ''}`
    : undefined;
  const chip = (
    <Chip
      size="small"
      variant="outlined"
      icon={ICONS[state]}
      label={label}
      className={className}
      tabIndex={tip ? 0 : undefined}
      aria-label={tip ? `${label}. ${tip}` : label}
    />
  );
  return tip ? <Tooltip title={tip}>{chip}</Tooltip> : chip;
};

/** A cluster's features as chips; `not-applicable` ones are left out unless asked for. */
export const FeatureChips = (props: {
  features: FeatureChip[];
  includeNotApplicable?: boolean;
}) => {
  const classes = useStyles();
  const features = props.includeNotApplicable
    ? props.features
    : props.features.filter(f => f.state !== 'not-applicable');
  if (features.length === 0) return null;
  return (
    <ul className={classes.list} aria-label="Agent features">
      {features.map(f => (
        <li key={f.id}>
          <FeatureStateChip
            title={f.title}
            state={f.state}
            topFinding={f.topFinding}
            findingCount={f.findingCount}
          />
        </li>
      ))}
    </ul>
  );
};
