import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentilesCont } from "../../src/report/stats.js";
import { percentileCont } from "../../src/shared/percentile.js";
import { propertyRuns } from "../helpers/property.js";

describe("percentileCont: one copy for the report and the embedded engine", () => {
  it("interpolates linearly between the closest ranks like PostgreSQL", () => {
    // PostgreSQL: percentile_cont(0.5) over (1,2,3,4) = 2.5; 0.95 over 1..10 = 9.55
    expect(percentileCont([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileCont([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBeCloseTo(9.55, 12);
    expect(percentileCont([7], 0.95)).toBe(7);
    expect(percentileCont([10, 20], 0.95)).toBeCloseTo(19.5, 12);
  });

  it("p 0 and 1 are the smallest and largest values; no values is NaN", () => {
    expect(percentileCont([3, 5, 9], 0)).toBe(3);
    expect(percentileCont([3, 5, 9], 1)).toBe(9);
    expect(percentileCont([], 0.5)).toBeNaN();
  });

  it("refuses a p outside [0, 1] instead of clamping it (p95 passed as 95 is a bug, not the maximum)", () => {
    for (const p of [-0.01, 1.01, 95, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => percentileCont([1, 2, 3], p)).toThrow(RangeError);
      expect(() => percentileCont([], p)).toThrow(RangeError);
      expect(() => percentilesCont(Float64Array.from([1, 2, 3]), [p])).toThrow(RangeError);
    }
  });

  it("an exact rank is the value itself: an infinite value stays infinite, -0 reads 0", () => {
    expect(percentileCont([Number.POSITIVE_INFINITY], 0.5)).toBe(Number.POSITIVE_INFINITY);
    expect(percentileCont([1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY], 0.5)).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(Object.is(percentileCont([-0], 0.5), 0)).toBe(true);
  });

  it("lies between the two closest ranks, and never decreases as p grows", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, p, q) => {
          const sorted = Float64Array.from(xs).sort();
          const v = percentileCont(sorted, p);
          const pos = p * (sorted.length - 1);
          expect(v).toBeGreaterThanOrEqual(sorted[Math.floor(pos)]!);
          expect(v).toBeLessThanOrEqual(sorted[Math.ceil(pos)]!);
          const [lo, hi] = p <= q ? [p, q] : [q, p];
          expect(percentileCont(sorted, lo)).toBeLessThanOrEqual(percentileCont(sorted, hi));
        },
      ),
      propertyRuns(300, 20_261_202),
    );
  });
});
