import { Typography, useTheme } from '@material-ui/core';
import {
  Area,
  AreaChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { CoveragePoint } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { formatDateTime } from '../shared';
import {
  CHART_HEIGHT,
  historySummary,
  isChartable,
  pointWords,
} from './historyWords';

export { historySummary, pointWords } from './historyWords';

const HEIGHT = CHART_HEIGHT;
/** The size drawn until the container is measured (and where nothing measures, as in jsdom). */
const INITIAL = { width: 600, height: HEIGHT };

type Datum = CoveragePoint & { t: number };

const shortDateTime = (t: number) =>
  new Date(t).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/**
 * Coverage percent over time as an area chart (recharts), with a tooltip per sample (pointer or
 * arrow keys once the chart has focus) and a text summary. Gaps (no instances) break the line.
 */
export const CoverageHistoryChart = (props: { history: CoveragePoint[] }) => {
  const theme = useTheme();
  const points: Datum[] = props.history
    .map(p => ({ ...p, t: Date.parse(p.at) }))
    .sort((a, b) => a.t - b.t);
  const summary = historySummary(points);
  if (!isChartable(points)) {
    return <Typography variant="body2">{summary}</Typography>;
  }
  const color = theme.palette.primary.main;
  const tick = { fill: theme.palette.text.secondary, fontSize: 12 };
  return (
    <figure style={{ margin: 0 }}>
      <ResponsiveContainer
        width="100%"
        height={HEIGHT}
        initialDimension={INITIAL}
      >
        <AreaChart
          data={points}
          margin={{ top: 10, right: 16, bottom: 0, left: 0 }}
          role="img"
          aria-label={`Coverage history chart. ${summary}`}
        >
          <CartesianGrid
            stroke={theme.palette.divider}
            strokeDasharray="4 4"
            vertical={false}
          />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={shortDateTime}
            tick={tick}
            minTickGap={24}
            interval="preserveStartEnd"
          />
          <YAxis
            domain={[0, 100]}
            ticks={[0, 50, 100]}
            tickFormatter={v => `${v}%`}
            tick={tick}
            width={44}
          />
          <Tooltip
            labelFormatter={(_label, payload) =>
              payload?.[0]
                ? formatDateTime((payload[0].payload as Datum).at)
                : ''
            }
            formatter={(_value, _name, item) => [
              pointWords(item.payload as Datum),
              'Coverage',
            ]}
            contentStyle={{
              background: theme.palette.background.paper,
              borderColor: theme.palette.divider,
              color: theme.palette.text.primary,
            }}
          />
          <Area
            type="linear"
            dataKey="coveragePercent"
            name="Coverage"
            stroke={color}
            strokeWidth={2}
            fill={color}
            fillOpacity={0.15}
            dot={{ r: 3, fill: color }}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
      <Typography component="figcaption" variant="body2">
        {summary}
      </Typography>
    </figure>
  );
};
