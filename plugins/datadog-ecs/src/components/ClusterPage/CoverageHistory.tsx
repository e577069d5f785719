import { lazy, Suspense } from 'react';
import { Typography } from '@material-ui/core';
import { CoveragePoint } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { CHART_HEIGHT, historySummary, isChartable } from './historyWords';

/** The chart's own chunk (recharts): the cluster page's rows do not wait for it. */
const CoverageHistoryChart = lazy(() =>
  import('./CoverageHistoryChart').then(m => ({
    default: m.CoverageHistoryChart,
  })),
);

/**
 * The cluster page's coverage history: a sentence while there are fewer than two samples, else
 * the chart, loaded on its own (its summary shown meanwhile, in the place the chart will take).
 */
export const CoverageHistory = (props: { history: CoveragePoint[] }) => {
  const summary = historySummary(
    [...props.history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
  );
  if (!isChartable(props.history)) {
    return <Typography variant="body2">{summary}</Typography>;
  }
  return (
    <Suspense
      fallback={
        <figure style={{ margin: 0 }}>
          <div style={{ height: CHART_HEIGHT }} />
          <Typography component="figcaption" variant="body2">
            {summary}
          </Typography>
        </figure>
      }
    >
      <CoverageHistoryChart history={props.history} />
    </Suspense>
  );
};
