/**
 * Continuous percentile, like PostgreSQL's `percentile_cont`: the position p·(n−1) in the
 * ascending values, interpolated linearly between the two closest ranks.
 */

/**
 * The rank position of fraction `p` among `n` values. A p outside [0, 1] (or NaN) is a bug in
 * the caller (p95 passed as 95, say), refused as PostgreSQL refuses it rather than clamped to an
 * answer that looks right.
 */
export function percentilePosition(p: number, n: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile ${p} is not between 0 and 1`);
  return p * (n - 1);
}

/**
 * Percentile `p` (0 to 1) of `sorted` (ascending); NaN when there are no values. At an exact rank
 * the value itself (+ 0, so -0 reads 0), so an infinite value is not turned into NaN.
 */
export function percentileCont(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  const pos = percentilePosition(p, n);
  if (n === 0) return Number.NaN;
  const lo = Math.floor(pos);
  const a = sorted[lo] as number;
  if (pos === lo) return a + 0;
  return a + ((sorted[lo + 1] as number) - a) * (pos - lo);
}
