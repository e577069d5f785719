import { chunk, Limiter, mapWithConcurrency, SharedRead } from './concurrency';

/** A promise and its settlers, to end work when a test says so. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, ko) => {
    resolve = ok;
    reject = ko;
  });
  return { promise, resolve, reject };
}
const tick = () => new Promise(resolve => setImmediate(resolve));

describe('Limiter', () => {
  it('runs at most its limit at once, the others in the order given as slots free up', async () => {
    const limiter = new Limiter(2);
    const gates = [0, 1, 2, 3, 4].map(() => deferred<number>());
    const started: number[] = [];
    const results = gates.map((gate, i) =>
      limiter.run(() => {
        started.push(i);
        return gate.promise;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limiter.running).toBe(2);
    gates[1].resolve(1);
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve(0);
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(limiter.running).toBe(2);
    gates[2].resolve(2);
    gates[3].resolve(3);
    gates[4].resolve(4);
    await expect(Promise.all(results)).resolves.toEqual([0, 1, 2, 3, 4]);
    expect(limiter.running).toBe(0);
  });

  it('frees the slot of a function that fails, and passes its error on', async () => {
    const limiter = new Limiter(1);
    const failed = limiter.run(async () => {
      throw new Error('boom');
    });
    const next = limiter.run(async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    expect(limiter.running).toBe(0);
  });

  it('starts the waiting function of highest priority first, equal priorities in the order given', async () => {
    const limiter = new Limiter(1);
    const gates = [0, 1, 2, 3, 4].map(() => deferred<number>());
    const started: string[] = [];
    const run = (name: string, gate: number, priority?: number) =>
      limiter.run(() => {
        started.push(name);
        return gates[gate].promise;
      }, priority);
    const all = [
      run('running', 0),
      run('read 1', 1),
      run('read 2', 2),
      run('write', 3, 1),
      run('read 3', 4, 0),
    ];
    expect(limiter.queued).toBe(4);
    for (const gate of gates) {
      gate.resolve(0);
      await tick();
    }
    await Promise.all(all);
    expect(started).toEqual(['running', 'write', 'read 1', 'read 2', 'read 3']);
    expect(limiter.queued).toBe(0);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new Limiter(0)).toThrow(RangeError);
    expect(() => new Limiter(1.5)).toThrow(RangeError);
  });
});

describe('mapWithConcurrency', () => {
  it('keeps the input order whatever order the calls end in, with at most `limit` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapWithConcurrency([30, 10, 20, 0, 5], 2, async ms => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise(resolve => setTimeout(resolve, ms));
      inFlight -= 1;
      return ms * 2;
    });
    expect(out).toEqual([60, 20, 40, 0, 10]);
    expect(peak).toBe(2);
  });
});

describe('chunk', () => {
  it('splits into arrays of at most the size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});

describe('SharedRead', () => {
  const counted = () => {
    const reads: Array<ReturnType<typeof deferred<number>>> = [];
    const shared = new SharedRead(() => {
      const read = deferred<number>();
      reads.push(read);
      return read.promise;
    });
    return { reads, shared };
  };

  it('starts one read for the callers of one turn of the event loop, once it has ended', async () => {
    const { reads, shared } = counted();
    const together = [shared.get(), shared.get(), shared.get()];
    expect(reads).toHaveLength(0); // not before the turn they asked in ends
    await tick();
    expect(reads).toHaveLength(1);
    reads[0].resolve(1);
    await expect(Promise.all(together)).resolves.toEqual([1, 1, 1]);
    expect(shared.idle).toBe(true);
  });

  it('gives the callers that ask while a read is under way the next read, which they share', async () => {
    const { reads, shared } = counted();
    const first = shared.get();
    await tick();
    expect(reads).toHaveLength(1);
    // Asked while the first read is under way: they wait for the next, not the first.
    const second = shared.get();
    const third = shared.get();
    await tick();
    expect(reads).toHaveLength(1);
    reads[0].resolve(1);
    await expect(first).resolves.toBe(1);
    await tick();
    expect(reads).toHaveLength(2); // as soon as the first ended
    // Asked while the second is under way: a third read.
    const fourth = shared.get();
    reads[1].resolve(2);
    await expect(second).resolves.toBe(2);
    await expect(third).resolves.toBe(2);
    await tick();
    expect(reads).toHaveLength(3);
    reads[2].resolve(3);
    await expect(fourth).resolves.toBe(3);
    expect(shared.idle).toBe(true);
  });

  it('fails the callers of a failed read only; the next read goes on', async () => {
    const { reads, shared } = counted();
    const first = shared.get();
    await tick();
    const second = shared.get();
    reads[0].reject(new Error('database gone'));
    await expect(first).rejects.toThrow('database gone');
    await tick();
    reads[1].resolve(2);
    await expect(second).resolves.toBe(2);
    // A read that throws at once fails its callers too.
    const throwing = new SharedRead<number>(() => {
      throw new Error('no connection');
    });
    await expect(throwing.get()).rejects.toThrow('no connection');
    expect(throwing.idle).toBe(true);
  });
});
