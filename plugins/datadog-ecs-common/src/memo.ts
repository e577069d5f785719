/**
 * `compute`, remembering its answers: for pure functions a hot path asks about the same few keys
 * (a view's property names, a fleet's images). At most `max` answers are kept; the memo starts
 * over when full, so keys from arbitrary input cannot grow it without bound.
 */
export function boundedMemo<K, V>(
  compute: (key: K) => V,
  max = 10_000,
): (key: K) => V {
  const answers = new Map<K, V>();
  return key => {
    if (answers.has(key)) return answers.get(key)!;
    const answer = compute(key);
    if (answers.size >= max) answers.clear();
    answers.set(key, answer);
    return answer;
  };
}
