/** The fleets and fault settings the benchmarks run. */
import type { BucketConfig } from '@ecs-agent-coverage/ecs-emulator';

/** Fleet sizes: 100 instances per cluster, 10–300 clusters over 1–4 account-regions. */
export const SIZES: Record<string, { fleet: string }> = {
  '1k': { fleet: 'scale:10x100@1' },
  '10k': { fleet: 'scale:100x100@2' },
  '30k': { fleet: 'scale:300x100@4' },
};

/** Tight enough that the buckets, not the machine, set the pace at every size. */
export const TIGHT_BUCKET: BucketConfig = { burst: 10, refillPerSecond: 5 };
/** ECS's documented cluster-read bucket (the emulator's default). */
export const ECS_BUCKET: BucketConfig = { burst: 50, refillPerSecond: 20 };
/** Injected per call: a realistic round trip to a remote AWS region. */
export const LATENCY_MS = 40;
