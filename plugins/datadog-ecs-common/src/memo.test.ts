import { boundedMemo } from './memo';

describe('boundedMemo', () => {
  it('computes each key once, and starts over when full', () => {
    const compute = jest.fn((n: number) => n * 2);
    const double = boundedMemo(compute, 2);
    expect([double(1), double(1), double(2)]).toEqual([2, 2, 4]);
    expect(compute).toHaveBeenCalledTimes(2);
    // Full: the third key clears the memo, so 1 is computed again.
    expect(double(3)).toBe(6);
    expect(double(1)).toBe(2);
    expect(compute).toHaveBeenCalledTimes(4);
  });

  it('remembers an answer of undefined or false too', () => {
    const compute = jest.fn((_: string) => false);
    const no = boundedMemo(compute);
    expect([no('a'), no('a')]).toEqual([false, false]);
    expect(compute).toHaveBeenCalledTimes(1);
  });
});
