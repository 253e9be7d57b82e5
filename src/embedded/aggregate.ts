/**
 * Time buckets and aggregations of the embedded backend (docs/cekura-api.md §3, its "Our rule"
 * list): UTC buckets (hour and day at :00/00:00, week on Monday 00:00, month on the 1st 00:00),
 * and count/sum/avg/min/max plus continuous percentiles like PostgreSQL's percentile_cont.
 */
import { percentileCont } from "../shared/percentile.js";
import type { Aggregation, TimePeriod } from "../widget/catalogue.js";
import { DAY_MS, HOUR_MS } from "../widget/time.js";

const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05T00:00:00Z, the first Monday after the epoch. */
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** A bucket scheme: where the bucket holding t starts, and where the next one starts. */
export interface Bucketing {
  start(t: number): number;
  next(start: number): number;
}

const fixed = (size: number, origin = 0): Bucketing => ({
  start: (t) => Math.floor((t - origin) / size) * size + origin,
  next: (s) => s + size,
});

const MONTHS: Bucketing = {
  start: (t) => {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  },
  next: (s) => {
    const d = new Date(s);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  },
};

export function bucketingFor(period: TimePeriod): Bucketing {
  switch (period) {
    case "hour":
      return fixed(HOUR_MS);
    case "day":
      return fixed(DAY_MS);
    case "week":
      return fixed(WEEK_MS, FIRST_MONDAY_MS);
    case "month":
      return MONTHS;
  }
}

/** ASSUMPTION: a bucket group_by of N ms means buckets of N ms counted from the epoch (UTC). */
export const intervalBucketing = (ms: number): Bucketing => fixed(ms);

const PERCENTILE_OF: Partial<Record<Aggregation, number>> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/** Running aggregate of one bucket (or one bucket × group). Values are numbers; booleans 0/1. */
export class Accumulator {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  values: number[] | undefined;

  constructor(keepValues: boolean) {
    if (keepValues) this.values = [];
  }

  add(v: number): void {
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.values?.push(v);
  }

  result(agg: Aggregation): number {
    switch (agg) {
      case "count":
        return this.count;
      case "sum":
        return this.sum;
      case "avg":
        return this.sum / this.count;
      case "min":
        return this.min;
      case "max":
        return this.max;
      default: {
        const sorted = Float64Array.from(this.values ?? []).sort();
        return percentileCont(sorted, PERCENTILE_OF[agg] ?? 0.5);
      }
    }
  }
}

export const needsValues = (agg: Aggregation): boolean => PERCENTILE_OF[agg] !== undefined;
