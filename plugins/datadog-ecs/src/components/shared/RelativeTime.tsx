import useHarmonicIntervalFn from 'react-use/esm/useHarmonicIntervalFn';
import useUpdate from 'react-use/esm/useUpdate';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "5 minutes ago", "in 3 minutes". */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return 'unknown time';
  if (Math.abs(seconds) < 45)
    return seconds <= 0 ? 'just now' : 'in a few seconds';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(seconds, 'second');
}

/** An absolute date and time for people, in the browser's locale. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/**
 * How often a relative time is redrawn: every 10 s while under an hour old (minutes change), every
 * minute under a day, every hour beyond.
 */
export function tickMs(iso: string, now: number = Date.now()): number | null {
  const age = Math.abs(Date.parse(iso) - now);
  if (Number.isNaN(age)) return null;
  if (age < 3600_000) return 10_000;
  if (age < 24 * 3600_000) return 60_000;
  return 3600_000;
}

/**
 * A time as "5 minutes ago", with the exact time in a tooltip and the datetime attribute. It ticks:
 * every instance with the same period redraws on one shared timer (react-use's harmonic interval),
 * so hundreds of cards cost one timer per period.
 *
 * @public
 */
export const RelativeTime = (props: { value?: string; fallback?: string }) => {
  const update = useUpdate();
  useHarmonicIntervalFn(update, props.value ? tickMs(props.value) : null);
  if (!props.value) return <>{props.fallback ?? 'never'}</>;
  return (
    <time dateTime={props.value} title={formatDateTime(props.value)}>
      {formatRelative(props.value)}
    </time>
  );
};
