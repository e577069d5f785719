import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import {
  OperationPacer,
  PacedBackoff,
  pacedRetryStrategy,
  THROTTLE_RETRY_WINDOW_MS,
} from './pacing';

const THROTTLED = { errorType: 'THROTTLING' };
const OK = {};

/** A pacer on a clock the test moves; `slept` records each wait asked for. */
function pacer() {
  let now = 0;
  const slept: number[] = [];
  const p = new OperationPacer({
    now: () => now,
    sleep: async ms => {
      slept.push(ms);
      now += ms;
    },
  });
  return {
    p,
    slept,
    at(ms: number) {
      now = ms;
      return p;
    },
  };
}

describe('OperationPacer', () => {
  it('lets calls go unpaced until ECS throttles one', async () => {
    const { p, slept, at } = pacer();
    for (let t = 0; t < 50; t += 1) {
      await at(t).getSendToken();
      p.updateClientSendingRate(OK);
    }
    expect(slept).toEqual([]);
    expect(p.pace).toBeUndefined();
  });

  it('paces at the last second’s successes after the first throttle, the next call one interval later', async () => {
    const { p, slept, at } = pacer();
    // A burst of 10 successes within 100 ms, then a throttle.
    for (let t = 0; t < 100; t += 10) at(t).updateClientSendingRate(OK);
    at(120).updateClientSendingRate(THROTTLED);
    expect(p.pace).toBe(10);
    await at(120).getSendToken();
    await p.getSendToken();
    // The bucket is empty at 120: the first call waits one interval, the second one more.
    expect(slept).toEqual([100, 100]);
  });

  it('measures the refill rate between two throttles: what succeeded in between', () => {
    const { p, at } = pacer();
    for (let t = 0; t < 100; t += 10) at(t).updateClientSendingRate(OK);
    at(120).updateClientSendingRate(THROTTLED); // 10 per second, the burst included
    for (const t of [250, 380, 510, 640, 770, 900]) {
      at(t).updateClientSendingRate(OK);
    }
    // The pace climbed 5% a second by the clock meanwhile.
    expect(p.pace).toBeCloseTo(10 * 1.05 ** 0.78);
    at(920).updateClientSendingRate(THROTTLED);
    // 6 successes in the 800 ms between the two throttles: 7.5 per second.
    expect(p.pace).toBeCloseTo(7.5);
  });

  it('comes down by half at most at one throttle, and climbs back by the clock', () => {
    const { p, at } = pacer();
    for (let t = 0; t < 100; t += 10) at(t).updateClientSendingRate(OK);
    at(120).updateClientSendingRate(THROTTLED);
    // Nothing succeeded in the 500 ms between two throttles: 0 per second measured, 5 kept.
    at(620).updateClientSendingRate(THROTTLED);
    expect(p.pace).toBe(5);
    at(2620).updateClientSendingRate(OK);
    expect(p.pace).toBeCloseTo(5 * 1.05 ** 2);
  });

  it('learns nothing from calls throttled together, less than an interval after the last', () => {
    const { p, at } = pacer();
    for (let t = 0; t < 100; t += 10) at(t).updateClientSendingRate(OK);
    at(120).updateClientSendingRate(THROTTLED);
    at(125).updateClientSendingRate(THROTTLED);
    at(130).updateClientSendingRate(THROTTLED);
    expect(p.pace).toBe(10);
  });

  it('measures afresh from the last second after a long quiet spell (the bucket may have been full meanwhile)', () => {
    const { p, at } = pacer();
    for (let t = 0; t < 100; t += 10) at(t).updateClientSendingRate(OK);
    at(120).updateClientSendingRate(THROTTLED);
    // 20 s later, a burst of 4 within a second and a throttle: 4 per second, not 4 ÷ 20 s.
    for (const t of [20_000, 20_200, 20_400, 20_600]) {
      at(t).updateClientSendingRate(OK);
    }
    at(20_700).updateClientSendingRate(THROTTLED);
    expect(p.pace).toBeCloseTo(4);
  });

  it('never paces slower than its minimum, and ignores errors that are not throttling', () => {
    const { p, at } = pacer();
    at(0).updateClientSendingRate(THROTTLED);
    expect(p.pace).toBe(0.5);
    at(5_000).updateClientSendingRate({ errorType: 'TRANSIENT' });
    at(6_000).updateClientSendingRate({ errorType: 'SERVER_ERROR' });
    expect(p.pace).toBe(0.5);
  });

  it('is the rate limiter of the SDK’s adaptive retry strategy, whose backoff is a PacedBackoff', () => {
    const strategy = pacedRetryStrategy(6);
    expect(strategy).toBeInstanceOf(AdaptiveRetryStrategy);
    expect(
      (strategy as unknown as { rateLimiter: unknown }).rateLimiter,
    ).toBeInstanceOf(OperationPacer);
    expect(
      (
        strategy as unknown as {
          standardRetryStrategy: { retryBackoffStrategy: unknown };
        }
      ).standardRetryStrategy.retryBackoffStrategy,
    ).toBeInstanceOf(PacedBackoff);
  });
});

describe('PacedBackoff', () => {
  afterEach(() => jest.restoreAllMocks());

  it('spreads a throttle’s retry over 500 ms whatever the retry, not the SDK’s doubling base', () => {
    const backoff = new PacedBackoff();
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    backoff.setDelayBase(1000); // what the SDK sets before a throttle's retry (500 before 2026)
    expect([0, 1, 2, 5].map(i => backoff.computeNextBackoffDelay(i))).toEqual([
      499, 499, 499, 499,
    ]);
    backoff.setDelayBase(500); // the SDK's throttling base before 2026
    expect(backoff.computeNextBackoffDelay(3)).toBe(499);
    jest.spyOn(Math, 'random').mockReturnValue(0);
    expect(backoff.computeNextBackoffDelay(3)).toBe(0);
  });

  it('backs a transient error off as the SDK does: jittered, doubling per retry, at most 20 s', () => {
    const backoff = new PacedBackoff();
    jest.spyOn(Math, 'random').mockReturnValue(0.999);
    backoff.setDelayBase(100); // the SDK's base for transient errors (50 since 2026)
    expect([0, 1, 2, 3].map(i => backoff.computeNextBackoffDelay(i))).toEqual([
      99, 199, 399, 799,
    ]);
    expect(backoff.computeNextBackoffDelay(20)).toBe(19_980);
    // After a throttle, a transient error doubles again.
    backoff.setDelayBase(THROTTLE_RETRY_WINDOW_MS);
    backoff.setDelayBase(100);
    expect(backoff.computeNextBackoffDelay(2)).toBe(399);
  });
});
