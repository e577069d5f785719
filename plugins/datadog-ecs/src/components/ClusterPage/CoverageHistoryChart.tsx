import { useTheme } from '@material-ui/core';
import { Typography } from '@material-ui/core';
import { CoveragePoint } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { formatDateTime } from '../shared';

const WIDTH = 600;
const HEIGHT = 180;
const PAD = { top: 10, right: 10, bottom: 24, left: 40 };

/** The history in one or two sentences, for screen readers and everyone else. */
export function historySummary(points: CoveragePoint[]): string {
  const known = points.filter(p => p.coveragePercent !== null);
  if (known.length === 0) return 'No coverage history yet.';
  const first = known[0];
  const last = known[known.length - 1];
  if (known.length === 1) {
    return `Coverage was ${last.coveragePercent}% (${last.covered} of ${
      last.instances
    } instances) on ${formatDateTime(last.at)}.`;
  }
  const low = known.reduce((m, p) =>
    p.coveragePercent! < m.coveragePercent! ? p : m,
  );
  const high = known.reduce((m, p) =>
    p.coveragePercent! > m.coveragePercent! ? p : m,
  );
  return (
    `Coverage went from ${first.coveragePercent}% on ${formatDateTime(
      first.at,
    )} to ` +
    `${last.coveragePercent}% (${last.covered} of ${
      last.instances
    } instances) on ${formatDateTime(last.at)}; ` +
    `lowest ${low.coveragePercent}%, highest ${high.coveragePercent}% over ${known.length} samples.`
  );
}

/**
 * Coverage percent over time as an inline SVG area chart, with a text summary. Gaps (no instances)
 * break the line.
 */
export const CoverageHistoryChart = (props: { history: CoveragePoint[] }) => {
  const theme = useTheme();
  const points = [...props.history].sort(
    (a, b) => Date.parse(a.at) - Date.parse(b.at),
  );
  const summary = historySummary(points);
  if (points.filter(p => p.coveragePercent !== null).length < 2) {
    return <Typography variant="body2">{summary}</Typography>;
  }
  const t0 = Date.parse(points[0].at);
  const t1 = Date.parse(points[points.length - 1].at);
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (at: string) =>
    PAD.left + ((Date.parse(at) - t0) / Math.max(1, t1 - t0)) * innerW;
  const y = (percent: number) => PAD.top + (1 - percent / 100) * innerH;

  // Split into runs of known values.
  const runs: CoveragePoint[][] = [];
  let run: CoveragePoint[] = [];
  for (const p of points) {
    if (p.coveragePercent === null) {
      if (run.length) runs.push(run);
      run = [];
    } else {
      run.push(p);
    }
  }
  if (run.length) runs.push(run);

  const color = theme.palette.primary.main;
  const baseline = y(0);
  return (
    <figure style={{ margin: 0 }}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-label={`Coverage history chart. ${summary}`}
        style={{ maxHeight: 240 }}
      >
        {[0, 50, 100].map(v => (
          <g key={v}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(v)}
              y2={y(v)}
              stroke={theme.palette.divider}
              strokeDasharray={v === 0 ? undefined : '4 4'}
            />
            <text
              x={PAD.left - 6}
              y={y(v) + 4}
              textAnchor="end"
              fontSize="11"
              fill={theme.palette.text.secondary}
            >
              {v}%
            </text>
          </g>
        ))}
        {runs.map((r, i) => {
          const line = r
            .map(p => `${x(p.at)},${y(p.coveragePercent!)}`)
            .join(' L ');
          const area = `M ${x(r[0].at)},${baseline} L ${line} L ${x(
            r[r.length - 1].at,
          )},${baseline} Z`;
          return (
            <g key={i}>
              <path d={area} fill={color} fillOpacity={0.15} />
              <path
                d={`M ${line}`}
                fill="none"
                stroke={color}
                strokeWidth={2}
              />
              {r.map(p => (
                <circle
                  key={p.at}
                  cx={x(p.at)}
                  cy={y(p.coveragePercent!)}
                  r={3}
                  fill={color}
                >
                  <title>
                    {`${formatDateTime(p.at)}: ${p.coveragePercent}% (${
                      p.covered
                    } of ${p.instances} instances)`}
                  </title>
                </circle>
              ))}
            </g>
          );
        })}
        <text
          x={PAD.left}
          y={HEIGHT - 6}
          fontSize="11"
          fill={theme.palette.text.secondary}
        >
          {formatDateTime(points[0].at)}
        </text>
        <text
          x={WIDTH - PAD.right}
          y={HEIGHT - 6}
          fontSize="11"
          textAnchor="end"
          fill={theme.palette.text.secondary}
        >
          {formatDateTime(points[points.length - 1].at)}
        </text>
      </svg>
      <Typography component="figcaption" variant="body2">
        {summary}
      </Typography>
    </figure>
  );
};
