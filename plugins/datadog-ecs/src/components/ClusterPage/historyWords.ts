import { CoveragePoint } from '@ecs-agent-coverage/backstage-plugin-datadog-ecs-common';
import { formatDateTime } from '../shared';

/*
 * The coverage history in words: what the chart's caption and label say, without the chart's code
 * (recharts), so that the page can show it before the chart's chunk has arrived.
 */

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

/** One sample in words, as the tooltip shows it. */
export function pointWords(p: CoveragePoint): string {
  return p.coveragePercent === null
    ? 'no container instances'
    : `${p.coveragePercent}% (${p.covered} of ${p.instances} instances)`;
}

/** Whether the history has enough known samples for a chart (two), rather than a sentence. */
export function isChartable(points: CoveragePoint[]): boolean {
  return points.filter(p => p.coveragePercent !== null).length >= 2;
}

/** The chart's height: the page keeps it for the chart while the chart's chunk loads. */
export const CHART_HEIGHT = 200;
