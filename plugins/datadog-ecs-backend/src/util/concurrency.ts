/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the input order.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker),
  );
  return results;
}

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    chunks.push(items.slice(i, i + size));
  return chunks;
}

interface Waiting {
  priority: number;
  order: number;
  start(): void;
}

/**
 * Runs at most `limit` of the functions given to {@link Limiter.run} at once; the others wait. As
 * slots free up, the waiting function of highest priority starts, and among equal priorities the
 * one given first.
 */
export class Limiter {
  private active = 0;
  private given = 0;
  private readonly waiting: Waiting[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`a limit is a positive integer, got ${limit}`);
    }
  }

  /** How many functions are running now. */
  get running(): number {
    return this.active;
  }

  /** How many functions wait for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** @param priority - higher starts first (default 0) */
  run<T>(fn: () => Promise<T>, priority = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        priority,
        order: this.given++,
        start: () => {
          new Promise<T>(ran => ran(fn())).then(resolve, reject).finally(() => {
            this.active -= 1;
            this.startNow();
          });
        },
      });
      this.startNow();
    });
  }

  private startNow() {
    while (this.active < this.limit && this.waiting.length) {
      let next = 0;
      for (let i = 1; i < this.waiting.length; i++) {
        const w = this.waiting[i];
        const best = this.waiting[next];
        if (
          w.priority > best.priority ||
          (w.priority === best.priority && w.order < best.order)
        ) {
          next = i;
        }
      }
      const [chosen] = this.waiting.splice(next, 1);
      this.active += 1;
      chosen.start();
    }
  }
}

/**
 * One read for the callers that ask for it at about the same time, none of them given a read that
 * started before it asked: a read starts once the turn of the event loop the first caller asked
 * in has ended (the requests that came in together share it) and, while one is under way, the
 * callers that ask wait for the next, which starts as soon as it ends and which they all share.
 * So what a caller gets is as fresh as if it had read alone (a read under way may predate a write
 * the caller saw end), and the reads made are at most one under way and one waiting, however many
 * callers ask at once. An error goes to the callers of that read only.
 */
export class SharedRead<T> {
  private running?: Promise<T>;
  private waiting?: Promise<T>;

  constructor(private readonly read: () => Promise<T>) {}

  /** No read under way nor waiting. */
  get idle(): boolean {
    return !this.running && !this.waiting;
  }

  get(): Promise<T> {
    this.waiting ??= (
      this.running ?? new Promise<void>(resolve => setImmediate(resolve))
    ).then(
      () => this.start(),
      () => this.start(),
    );
    return this.waiting;
  }

  private start(): Promise<T> {
    this.waiting = undefined;
    const read = new Promise<T>(resolve => resolve(this.read()));
    this.running = read;
    const done = () => {
      if (this.running === read) this.running = undefined;
    };
    read.then(done, done);
    return read;
  }
}
