import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { combineBuckets, peakAndTrough, percentilesCont } from "../../src/report/stats.js";
import { percentileCont } from "../../src/shared/percentile.js";
import type { BarBucket } from "../../src/widget/response.js";
import { propertyRuns } from "../helpers/property.js";

const b = (value: number | null, sample_count?: number): BarBucket => ({
  time_interval: "2026-11-19T00:00:00Z",
  value,
  sample_count,
});

describe("percentileCont", () => {
  it("selection gives the same answers as sorting", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), {
          minLength: 1,
          maxLength: 300,
        }),
        (xs) => {
          const sorted = [...xs].sort((p, q) => p - q);
          const [p50, p95] = percentilesCont(Float64Array.from(xs), [0.5, 0.95]);
          expect(p50).toBe(percentileCont(sorted, 0.5));
          expect(p95).toBe(percentileCont(sorted, 0.95));
        },
      ),
      propertyRuns(300, 20_261_127),
    );
  });
});

describe("combineBuckets", () => {
  const buckets = [b(10, 2), b(40, 1), b(4, 7)];
  it("count: sum of counts; sum: sum of sums", () => {
    expect(combineBuckets([b(3, 3), b(5, 5)], "count")).toMatchObject({
      value: 8,
      samples: 8,
      method: "sum of counts",
    });
    expect(combineBuckets(buckets, "sum")).toMatchObject({ value: 54, samples: 10, method: "sum of sums" });
  });
  it("avg: sample-weighted mean, not the mean of means", () => {
    // (10·2 + 40·1 + 4·7) / 10 = 8.8, whereas the plain mean of means is 18
    expect(combineBuckets(buckets, "avg").value).toBeCloseTo(8.8, 12);
  });
  it("min of mins, max of maxes", () => {
    expect(combineBuckets(buckets, "min").value).toBe(4);
    expect(combineBuckets(buckets, "max").value).toBe(40);
  });
  it("no overall for percentiles, and says why", () => {
    const o = combineBuckets(buckets, "p95");
    expect(o.value).toBeNull();
    expect(o.samples).toBe(10);
    expect(o.reason).toContain("percentiles don't combine");
  });
  it("no weighted mean without sample counts; nulls are skipped", () => {
    expect(combineBuckets([b(1), b(2)], "avg").value).toBeNull();
    expect(combineBuckets([b(null, 0), b(2, 2)], "avg").value).toBe(2);
  });
  it("finds peak and trough, first on ties", () => {
    expect(peakAndTrough([b(1), b(5), b(null), b(5), b(1)])).toEqual({ peak: 1, trough: 0 });
    expect(peakAndTrough([b(null)])).toEqual({ peak: -1, trough: -1 });
  });
});
