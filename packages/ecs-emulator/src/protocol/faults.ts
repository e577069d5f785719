/**
 * A token bucket: `burst` tokens, refilled at `refillPerSecond`.
 *
 * @public
 */
export interface BucketConfig {
  burst: number;
  refillPerSecond: number;
}

/** @public */
export interface ThrottleOptions {
  /** Default true when a throttle object is given. */
  enabled?: boolean;
  /** Bucket for Describe and List operations (ECS cluster-read bucket: 50 / 20 per second). */
  read?: BucketConfig;
  /** Per-operation buckets; also how writes (RegisterTaskDefinition, CreateService…) get throttled. */
  operations?: Record<string, BucketConfig>;
}

/** @public */
export interface FaultOptions {
  /** `true` enables the default read buckets; an object configures them. */
  throttle?: boolean | ThrottleOptions;
  /** Added latency per API call (ms). */
  latencyMs?: number;
  /** Extra random latency in [0, latencyJitterMs). */
  latencyJitterMs?: number;
  /** Fraction (0..1) of calls answered with 500 ServerException / 503 ServiceUnavailableException. */
  errorRate?: number;
  /** Fraction (0..1) of calls whose connection is destroyed without an answer. */
  resetRate?: number;
  /** Restrict latency, errors and resets to these operations (default: all). */
  operations?: string[];
  /** Seed of the fault random sequence (deterministic runs). */
  seed?: number;
}

/** @public */
export const DEFAULT_READ_BUCKET: BucketConfig = {
  burst: 50,
  refillPerSecond: 20,
};

interface Bucket {
  tokens: number;
  last: number;
  config: BucketConfig;
}

/** @public */
export interface OperationCounter {
  calls: number;
  throttled: number;
  errors: number;
  resets: number;
}

/** @public */
export interface Counters {
  since: string;
  total: OperationCounter;
  operations: Record<string, OperationCounter>;
  accounts: Record<string, OperationCounter>;
}

const empty = (): OperationCounter => ({
  calls: 0,
  throttled: 0,
  errors: 0,
  resets: 0,
});

/** Faults (throttling, latency, errors, resets) and per-operation counters. */
export class FaultInjector {
  private options: FaultOptions = {};
  private buckets = new Map<string, Bucket>();
  private rng: () => number = Math.random;
  private counters: Counters = this.freshCounters();

  constructor(
    options: FaultOptions = {},
    private readonly realNow: () => number = () => performance.now(),
  ) {
    this.set(options);
  }

  private freshCounters(): Counters {
    return {
      since: new Date().toISOString(),
      total: empty(),
      operations: {},
      accounts: {},
    };
  }

  get(): FaultOptions {
    return structuredClone(this.options);
  }

  set(options: FaultOptions) {
    this.options = structuredClone(options);
    this.buckets.clear();
    let seed = (options.seed ?? 42) >>> 0;
    // mulberry32
    this.rng = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  merge(options: FaultOptions) {
    this.set({ ...this.options, ...options });
  }

  private applies(op: string) {
    const ops = this.options.operations;
    return !ops || ops.length === 0 || ops.includes(op);
  }

  latency(op: string): number {
    if (!this.applies(op)) return 0;
    const base = this.options.latencyMs ?? 0;
    const jitter = this.options.latencyJitterMs ?? 0;
    return base + (jitter > 0 ? Math.floor(this.rng() * jitter) : 0);
  }

  shouldReset(op: string): boolean {
    const rate = this.options.resetRate ?? 0;
    return rate > 0 && this.applies(op) && this.rng() < rate;
  }

  /** undefined, or the error to answer with. */
  injectedError(
    op: string,
  ): { code: string; message: string; status: number } | undefined {
    const rate = this.options.errorRate ?? 0;
    if (!(rate > 0 && this.applies(op) && this.rng() < rate)) return undefined;
    return this.rng() < 0.5
      ? {
          code: 'ServerException',
          message: 'Service encountered an internal error.',
          status: 500,
        }
      : {
          code: 'ServiceUnavailableException',
          message: 'Service is unavailable. Please try again later.',
          status: 503,
        };
  }

  private bucketConfig(op: string): BucketConfig | undefined {
    const t = this.options.throttle;
    if (!t) return undefined;
    const opts: ThrottleOptions = t === true ? {} : t;
    if (opts.enabled === false) return undefined;
    if (opts.operations?.[op]) return opts.operations[op];
    if (/^(Describe|List)/.test(op)) return opts.read ?? DEFAULT_READ_BUCKET;
    return undefined;
  }

  /** Takes a token; false when the caller is throttled. Buckets are per account, region and operation. */
  take(op: string, accountId: string, region: string): boolean {
    const config = this.bucketConfig(op);
    if (!config) return true;
    const key = `${accountId}/${region}/${op}`;
    const now = this.realNow();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: config.burst, last: now, config };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(
      config.burst,
      b.tokens + ((now - b.last) / 1000) * config.refillPerSecond,
    );
    b.last = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  count(
    op: string,
    accountKey: string | undefined,
    field: keyof OperationCounter,
  ) {
    const c = this.counters;
    c.total[field]++;
    (c.operations[op] ??= empty())[field]++;
    if (accountKey) (c.accounts[accountKey] ??= empty())[field]++;
  }

  getCounters(): Counters {
    return structuredClone(this.counters);
  }

  resetCounters() {
    this.counters = this.freshCounters();
  }
}
