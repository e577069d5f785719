import { Chip, Tooltip, makeStyles } from '@material-ui/core';
import CheckIcon from '@material-ui/icons/CheckCircleOutline';
import OffIcon from '@material-ui/icons/RemoveCircleOutline';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import NotApplicableIcon from '@material-ui/icons/Block';
import {
  FeatureChip,
  FeatureState,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';

/** Short chip labels of the features, for compact cards. */
export const FEATURE_SHORT_LABELS: Record<FeatureChip['id'], string> = {
  core: 'Core',
  apiKey: 'API key',
  site: 'Site',
  image: 'Image',
  tags: 'Tags',
  apm: 'APM',
  dogstatsd: 'StatsD',
  logs: 'Logs',
  process: 'Process',
  npm: 'NPM',
  resourceTags: 'Res. tags',
  healthCheck: 'Health',
  ecsAnywhere: 'Anywhere',
  managedInstances: 'Managed inst.',
  fipsProxy: 'FIPS',
};

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
  /** Added to `list` for compact chips. */
  compactList: {
    '& > li': { display: 'inline-flex', minWidth: 0 },
  },
  compactChip: {
    height: 22,
    fontSize: '0.75rem',
    maxWidth: '100%',
    '& .MuiChip-icon': { fontSize: 16, marginLeft: 4 },
    '& .MuiChip-label': { paddingLeft: 4, paddingRight: 6 },
  },
  off_label: { textDecoration: 'line-through' },
}));

const ICONS: Record<FeatureState, JSX.Element> = {
  on: <CheckIcon />,
  off: <OffIcon />,
  misconfigured: <WarningIcon />,
  'not-applicable': <NotApplicableIcon />,
};

/**
 * One feature as a chip: icon and "APM: on"; the top finding in a tooltip (focusable).
 *
 * @public
 */
export const FeatureStateChip = (props: {
  title: string;
  state: FeatureState;
  topFinding?: string;
  findingCount?: number;
  /** Show this short label instead of "Title: state" (compact cards). */
  shortLabel?: string;
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
  if (props.shortLabel) {
    // Compact: icon and a short label; the full title, state and top finding in the tooltip and
    // the accessible name. The chip is focusable so the tooltip opens from the keyboard too.
    const full = tip ? `${label}. ${tip}` : label;
    return (
      <Tooltip title={full}>
        <Chip
          size="small"
          variant="outlined"
          icon={ICONS[state]}
          label={
            <span className={state === 'off' ? classes.off_label : undefined}>
              {props.shortLabel}
            </span>
          }
          className={`${className} ${classes.compactChip}`}
          tabIndex={0}
          aria-label={full}
          role="img"
        />
      </Tooltip>
    );
  }
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

/**
 * A cluster's features as chips; `not-applicable` ones are left out unless asked for.
 *
 * @public
 */
export const FeatureChips = (props: {
  features: FeatureChip[];
  includeNotApplicable?: boolean;
  /** Small chips with an icon and a short label, wrapping in rows (for cards). */
  compact?: boolean;
}) => {
  const classes = useStyles();
  const features = props.includeNotApplicable
    ? props.features
    : props.features.filter(f => f.state !== 'not-applicable');
  if (features.length === 0) return null;
  return (
    <ul
      className={
        props.compact ? `${classes.list} ${classes.compactList}` : classes.list
      }
      aria-label="Agent features"
    >
      {features.map(f => (
        <li key={f.id}>
          <FeatureStateChip
            title={f.title}
            state={f.state}
            topFinding={f.topFinding}
            findingCount={f.findingCount}
            shortLabel={
              props.compact ? FEATURE_SHORT_LABELS[f.id] ?? f.title : undefined
            }
          />
        </li>
      ))}
    </ul>
  );
};
