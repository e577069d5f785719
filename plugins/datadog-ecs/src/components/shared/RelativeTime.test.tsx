import { act, render, screen } from '@testing-library/react';
import { RelativeTime, formatRelative, tickMs } from './RelativeTime';

describe('RelativeTime', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2026-01-01T12:00:00Z') });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('ticks as time passes', () => {
    render(<RelativeTime value="2026-01-01T12:00:00Z" />);
    const time = screen.getByText('just now');
    expect(time.tagName).toBe('TIME');
    expect(time).toHaveAttribute('datetime', '2026-01-01T12:00:00Z');

    act(() => {
      jest.advanceTimersByTime(60_000);
    });
    expect(screen.getByText('1 minute ago')).toBe(time);

    act(() => {
      jest.advanceTimersByTime(4 * 60_000);
    });
    expect(screen.getByText('5 minutes ago')).toBe(time);
  });

  it('shows the fallback without a value, and sets no timer', () => {
    render(<RelativeTime fallback="not yet" />);
    expect(screen.getByText('not yet')).toBeInTheDocument();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ticks less often for older times', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(tickMs('2026-01-01T11:59:00Z', now)).toBe(10_000);
    expect(tickMs('2026-01-01T12:30:00Z', now)).toBe(10_000);
    expect(tickMs('2026-01-01T09:00:00Z', now)).toBe(60_000);
    expect(tickMs('2025-12-01T12:00:00Z', now)).toBe(3600_000);
    expect(tickMs('not a date', now)).toBeNull();
  });

  it('words past and future times', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatRelative('2026-01-01T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-01-01T12:03:00Z', now)).toBe('in 3 minutes');
    expect(formatRelative('2026-01-01T12:00:20Z', now)).toBe(
      'in a few seconds',
    );
    expect(formatRelative('nope', now)).toBe('unknown time');
  });
});
