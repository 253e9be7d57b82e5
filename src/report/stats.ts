/** The arithmetic of the report: percentiles and how bar buckets combine into an overall figure. */
import { percentilePosition } from "../shared/percentile.js";
import type { BarBucket } from "../widget/response.js";

export interface Overall {
  /** The figure for the whole window; null when it cannot be computed (see `reason`). */
  value: number | null;
  /** Sum of the buckets' sample counts; null when no bucket said. */
  samples: number | null;
  /** How the buckets were combined, for the row label: "sum of counts", "sample-weighted mean", ... */
  method: string;
  reason?: string;
}

const PERCENTILE_RE = /^p(\d{1,2})$/;

/**
 * Combines buckets into the figure for the whole window, as the aggregation allows:
 * count → sum of counts; sum → sum of sums; avg → mean weighted by sample_count;
 * min → min of mins; max → max of maxes. Percentiles do not combine.
 */
export function combineBuckets(buckets: readonly BarBucket[], aggregation: string | undefined): Overall {
  let samples: number | null = null;
  for (const b of buckets) if (b.sample_count !== undefined) samples = (samples ?? 0) + b.sample_count;
  const values = buckets.filter((b) => b.value !== null) as (BarBucket & { value: number })[];
  const none = (method: string, reason: string): Overall => ({ value: null, samples, method, reason });
  if (aggregation === undefined)
    return none("unknown", "the aggregation is not known, so the buckets cannot be combined");
  if (PERCENTILE_RE.test(aggregation) && !(buckets.length === 1 && values.length === 1)) {
    return none(
      "none",
      `percentiles don't combine: the ${aggregation} of each bucket says nothing exact about the ${aggregation} of the whole window; ask a line chart of the same field for the window's percentiles`,
    );
  }
  if (values.length === 0) return none(aggregation, "no bucket has a value");
  // One bucket covers the whole window: its figure is the overall one, percentiles included.
  if (buckets.length === 1 && values.length === 1) {
    return { value: (values[0] as { value: number }).value, samples, method: "the only bucket" };
  }
  switch (aggregation) {
    case "count":
      return { value: values.reduce((s, b) => s + b.value, 0), samples, method: "sum of counts" };
    case "sum":
      return { value: values.reduce((s, b) => s + b.value, 0), samples, method: "sum of sums" };
    case "min":
      return {
        value: values.reduce((m, b) => Math.min(m, b.value), Number.POSITIVE_INFINITY),
        samples,
        method: "min of mins",
      };
    case "max":
      return {
        value: values.reduce((m, b) => Math.max(m, b.value), Number.NEGATIVE_INFINITY),
        samples,
        method: "max of maxes",
      };
    case "avg": {
      let weight = 0;
      let total = 0;
      for (const b of values) {
        if (b.sample_count === undefined) {
          return none(
            "sample-weighted mean",
            "a bucket has no sample_count, so the averages cannot be weighted",
          );
        }
        weight += b.sample_count;
        total += b.value * b.sample_count;
      }
      if (weight === 0) return none("sample-weighted mean", "the buckets hold no samples");
      return { value: total / weight, samples, method: "sample-weighted mean" };
    }
    default:
      return none("unknown", `the aggregation "${aggregation}" is not one this report knows how to combine`);
  }
}

/** Index of the highest and lowest value (first one on ties), skipping `excluded` indices; -1 when no value. */
export function peakAndTrough(
  buckets: readonly BarBucket[],
  excluded?: readonly boolean[],
): { peak: number; trough: number } {
  let peak = -1;
  let trough = -1;
  for (let i = 0; i < buckets.length; i++) {
    if (excluded?.[i]) continue;
    const v = buckets[i]?.value;
    if (v === null || v === undefined) continue;
    if (peak < 0 || v > (buckets[peak]?.value as number)) peak = i;
    if (trough < 0 || v < (buckets[trough]?.value as number)) trough = i;
  }
  return { peak, trough };
}

/** Moves the k-th smallest of a[left..right] to index k, smaller ones before it and larger ones after (Hoare). */
function selectInPlace(a: Float64Array, k: number, left: number, right: number): void {
  let lo = left;
  let hi = right;
  while (hi > lo) {
    // Median of three as the pivot keeps sorted and reversed input linear.
    const mid = lo + ((hi - lo) >> 1);
    const x = a[lo] as number;
    const y = a[mid] as number;
    const z = a[hi] as number;
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * `percentile_cont` for several p at once in O(n) by selection instead of a full sort.
 * Reorders `values` in place; `ps` ascending.
 */
export function percentilesCont(values: Float64Array, ps: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return ps.map(() => Number.NaN);
  let left = 0;
  return ps.map((p) => {
    const pos = percentilePosition(p, n);
    const lo = Math.floor(pos);
    selectInPlace(values, lo, left, n - 1);
    left = lo; // everything before lo is ≤ values[lo]: later (larger) p need not look there
    const a = values[lo] as number;
    // + 0 as in percentileCont (src/shared/percentile.ts): -0 reads 0, so both agree to the bit.
    if (pos === lo) return a + 0;
    let b = Number.POSITIVE_INFINITY;
    for (let i = lo + 1; i < n; i++) if ((values[i] as number) < b) b = values[i] as number;
    return a + (b - a) * (pos - lo);
  });
}
