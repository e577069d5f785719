/**
 * The floors wall times are compared with, from the calls a run made and the fleet it ran on.
 */
import type { BucketConfig } from '@ecs-agent-coverage/ecs-emulator';
import { CallsByLocation } from './emulator';

/**
 * The least time the emulator's token buckets allow for these calls: buckets are per account,
 * region and operation, start full (`burst`) and refill at `refillPerSecond`, so a bucket that
 * answers n calls needs (n − burst) ÷ refill seconds; the buckets run side by side, the slowest
 * one is the floor.
 */
export function tokenBucketFloor(
  calls: CallsByLocation,
  bucket: BucketConfig,
): { ms: number; bucket: string; calls: number } {
  let worst = { ms: 0, bucket: '-', calls: 0 };
  for (const [location, byOp] of Object.entries(calls)) {
    for (const [op, n] of Object.entries(byOp)) {
      const ms =
        (Math.max(0, n - bucket.burst) / bucket.refillPerSecond) * 1000;
      if (ms > worst.ms) worst = { ms, bucket: `${location} ${op}`, calls: n };
    }
  }
  return worst;
}

/**
 * The least time `latencyMs` per call allows: the longest chain of calls that depend on each other
 * (one round trip each), or all the calls spread over the calls the configuration lets be in flight
 * at once, whichever is longer.
 */
export function latencyFloor(options: {
  chain: number;
  calls: number;
  concurrency: number;
  latencyMs: number;
}): { ms: number; chainMs: number; spreadMs: number } {
  const chainMs = options.chain * options.latencyMs;
  const spreadMs = (options.calls / options.concurrency) * options.latencyMs;
  return { ms: Math.max(chainMs, spreadMs), chainMs, spreadMs };
}
