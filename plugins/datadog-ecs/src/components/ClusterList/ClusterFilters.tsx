import { useEffect, useState } from 'react';
import {
  Box,
  Button,
  FormControlLabel,
  MenuItem,
  Switch,
  TextField,
  makeStyles,
} from '@material-ui/core';
import {
  AgentFeatureId,
  FeatureState,
  LocationStatus,
  agentFeatureCatalog,
} from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import useDebounce from 'react-use/esm/useDebounce';
import { OutlinedSelect } from '../shared';
import {
  CLEARED_FILTERS,
  ClusterListParams,
  Grouping,
  SortOrder,
  hasFilters,
} from './params';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 160 },
  search: { minWidth: 240 },
}));

export const FEATURES: Array<{ id: AgentFeatureId; title: string }> =
  agentFeatureCatalog.map(f => ({ id: f.id, title: f.title }));

const FEATURE_STATE_CHOICES: Array<{ value: FeatureState; label: string }> = [
  { value: 'off', label: 'off' },
  { value: 'misconfigured', label: 'misconfigured' },
  { value: 'on', label: 'on' },
];

/** The portal page's filters, sorting and grouping. */
export const ClusterFilters = (props: {
  params: ClusterListParams;
  onChange: (change: Partial<ClusterListParams>) => void;
  locations: LocationStatus[];
}) => {
  const classes = useStyles();
  const { params, onChange } = props;
  const [text, setText] = useState(params.q ?? '');

  // Follow the URL when it changes from elsewhere (back button, "Clear filters").
  useEffect(() => setText(params.q ?? ''), [params.q]);
  useDebounce(
    () => {
      if ((params.q ?? '') !== text) onChange({ q: text || undefined });
    },
    300,
    [text],
  );

  const accounts = [
    ...new Map(
      props.locations.map(l => [l.accountId, l.name] as const),
    ).entries(),
  ].sort((a, b) => a[0].localeCompare(b[0]));
  const regions = [
    ...new Set(
      props.locations
        .filter(l => !params.account || l.accountId === params.account)
        .map(l => l.region),
    ),
  ].sort();

  return (
    <Box className={classes.root} role="search" aria-label="Filter clusters">
      <TextField
        className={classes.search}
        label="Search clusters"
        placeholder="Name, account or region"
        variant="outlined"
        size="small"
        value={text}
        onChange={e => setText(e.target.value)}
        inputProps={{ 'aria-label': 'Search clusters' }}
      />
      <OutlinedSelect
        className={classes.select}
        labelId="dd-ecs-account-label"
        label="Account"
        value={params.account ?? ''}
        onChange={v =>
          onChange({ account: (v as string) || undefined, region: undefined })
        }
      >
        <MenuItem value="">All accounts</MenuItem>
        {accounts.map(([id, name]) => (
          <MenuItem key={id} value={id}>
            {name ? `${name} (${id})` : id}
          </MenuItem>
        ))}
      </OutlinedSelect>
      <OutlinedSelect
        className={classes.select}
        labelId="dd-ecs-region-label"
        label="Region"
        value={params.region ?? ''}
        onChange={v => onChange({ region: (v as string) || undefined })}
      >
        <MenuItem value="">All regions</MenuItem>
        {regions.map(r => (
          <MenuItem key={r} value={r}>
            {r}
          </MenuItem>
        ))}
      </OutlinedSelect>
      <OutlinedSelect
        className={classes.select}
        labelId="dd-ecs-feature-label"
        label="Feature"
        value={params.feature?.id ?? ''}
        onChange={v => {
          const id = v as AgentFeatureId | '';
          onChange({
            feature: id
              ? { id, state: params.feature?.state ?? 'off' }
              : undefined,
          });
        }}
      >
        <MenuItem value="">Any feature</MenuItem>
        {FEATURES.map(f => (
          <MenuItem key={f.id} value={f.id}>
            {f.title}
          </MenuItem>
        ))}
      </OutlinedSelect>
      {params.feature && (
        <OutlinedSelect
          className={classes.select}
          labelId="dd-ecs-feature-state-label"
          label="Feature is"
          value={params.feature.state}
          onChange={v =>
            onChange({
              feature: { id: params.feature!.id, state: v as FeatureState },
            })
          }
        >
          {FEATURE_STATE_CHOICES.map(s => (
            <MenuItem key={s.value} value={s.value}>
              {s.label}
            </MenuItem>
          ))}
        </OutlinedSelect>
      )}
      <FormControlLabel
        control={
          <Switch
            checked={params.uncovered}
            onChange={e => onChange({ uncovered: e.target.checked })}
            color="primary"
          />
        }
        label="Not fully covered"
      />
      <FormControlLabel
        control={
          <Switch
            checked={params.mine}
            onChange={e => onChange({ mine: e.target.checked })}
            color="primary"
          />
        }
        label="My clusters"
        title="Owned by you or one of your groups"
      />
      <OutlinedSelect
        className={classes.select}
        labelId="dd-ecs-sort-label"
        label="Sort by"
        value={params.sort}
        onChange={v => onChange({ sort: v as SortOrder })}
      >
        <MenuItem value="coverage-asc">Coverage, lowest first</MenuItem>
        <MenuItem value="coverage-desc">Coverage, highest first</MenuItem>
        <MenuItem value="name">Name</MenuItem>
      </OutlinedSelect>
      <OutlinedSelect
        className={classes.select}
        labelId="dd-ecs-group-label"
        label="Group"
        value={params.group}
        onChange={v => onChange({ group: v as Grouping })}
      >
        <MenuItem value="location">By account and region</MenuItem>
        <MenuItem value="flat">No grouping</MenuItem>
      </OutlinedSelect>
      {hasFilters(params) && (
        <Button onClick={() => onChange(CLEARED_FILTERS)}>Clear filters</Button>
      )}
    </Box>
  );
};
