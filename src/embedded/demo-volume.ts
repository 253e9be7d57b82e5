/**
 * The demo dataset's randomness and volume: a seeded PRNG, weighted choices, and the timeline
 * that places calls by business hours in each region's local time, weekdays and slow growth.
 */
import { DAY_MS, HOUR_MS, startOfUtcDay } from "../widget/time.js";
import { DEMO_REGIONS, type DemoRegion } from "./demo-story.js";

// ---------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: tiny, fast, good enough for synthetic data; period 2^32. Plus normal and pick. */
export class Rng {
  private a: number;
  private spare = Number.NaN;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) | 0;
    let t = Math.imul(this.a ^ (this.a >>> 15), 1 | this.a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/** Cumulative weights for weighted choice; `choose` takes u in [0, 1). */
export class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cum: number[] = [];
  constructor(entries: Iterable<readonly [T, number]>) {
    let total = 0;
    for (const [item, w] of entries) {
      if (w <= 0) continue;
      total += w;
      this.items.push(item);
      this.cum.push(total);
    }
    for (let i = 0; i < this.cum.length; i++) this.cum[i] = (this.cum[i] as number) / total;
  }
  choose(u: number): T {
    const { cum, items } = this;
    for (let i = 0; i < cum.length - 1; i++) if (u < (cum[i] as number)) return items[i] as T;
    return items[items.length - 1] as T;
  }
}

// ---------------------------------------------------------------------------------------------
// Volume: when calls happen, and from which region

const REGION_SHARE: Record<DemoRegion, number> = { "us-east": 0.4, "us-west": 0.25, eu: 0.2, apac: 0.15 };
/** Hours from UTC to each region's local time (no daylight saving: it is synthetic). */
const REGION_UTC_OFFSET: Record<DemoRegion, number> = { "us-east": -5, "us-west": -8, eu: 1, apac: 8 };
/** Relative call rate by local hour: business hours, a lunch dip, quiet nights. */
const LOCAL_HOUR_RATE = [
  0.05, 0.04, 0.03, 0.03, 0.04, 0.06, 0.12, 0.3, 0.7, 1.0, 1.0, 0.95, 0.8, 0.9, 1.0, 0.95, 0.85, 0.65, 0.45,
  0.32, 0.25, 0.18, 0.12, 0.08,
];
/** By UTC weekday, Sunday first. */
const WEEKDAY_RATE = [0.32, 1.0, 1.02, 1.0, 0.98, 0.92, 0.45];

function localRate(region: DemoRegion, utcHour: number): number {
  return LOCAL_HOUR_RATE[(((utcHour + REGION_UTC_OFFSET[region]) % 24) + 24) % 24] as number;
}

const RATE_BY_UTC_HOUR: number[] = [];
/** Which region (index in DEMO_REGIONS) a call at each UTC hour comes from. */
export const REGION_BY_UTC_HOUR: Weighted<number>[] = [];
for (let h = 0; h < 24; h++) {
  let rate = 0;
  for (const r of DEMO_REGIONS) rate += REGION_SHARE[r] * localRate(r, h);
  RATE_BY_UTC_HOUR.push(rate);
  REGION_BY_UTC_HOUR.push(
    new Weighted(DEMO_REGIONS.map((r, i) => [i, REGION_SHARE[r] * localRate(r, h)] as const)),
  );
}

/**
 * Timestamps by stratified sampling of the volume curve: call i takes the quantile
 * (i + u) / count of the cumulative rate, so timestamps rise with i, ids follow time, and the
 * hourly counts follow the curve (with a little day and hour noise from the seed).
 */
export class Timeline {
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly cum: number[] = [];
  private readonly total: number;
  private slot = 0;

  constructor(
    private readonly windowStart: number,
    private readonly now: number,
    rng: Rng,
  ) {
    const firstDay = startOfUtcDay(windowStart);
    const dayNoise: number[] = [];
    const days = Math.ceil((now - firstDay) / DAY_MS) + 1;
    for (let d = 0; d < days; d++) dayNoise.push(Math.max(0.7, 1 + 0.08 * rng.normal()));
    let total = 0;
    let t = windowStart;
    while (t < now) {
      const end = Math.min(now, (Math.floor(t / HOUR_MS) + 1) * HOUR_MS);
      const hour = Math.floor(t / HOUR_MS) % 24;
      const dayIndex = Math.floor((t - firstDay) / DAY_MS);
      const weekday = new Date(t).getUTCDay();
      const growth = 1 + (0.25 * (t - windowStart)) / Math.max(1, now - windowStart);
      const hourNoise = Math.max(0.5, 1 + 0.1 * rng.normal());
      const rate =
        (RATE_BY_UTC_HOUR[hour] as number) *
        (WEEKDAY_RATE[weekday] as number) *
        (dayNoise[dayIndex] as number) *
        growth *
        hourNoise;
      total += rate * (end - t);
      this.starts.push(t);
      this.lengths.push(end - t);
      this.cum.push(total);
      t = end;
    }
    this.total = total;
  }

  /** q in [0, 1), non-decreasing between calls. */
  at(q: number): number {
    if (this.starts.length === 0) return this.now;
    const target = q * this.total;
    const { cum } = this;
    while (this.slot < cum.length - 1 && (cum[this.slot] as number) <= target) this.slot++;
    const before = this.slot === 0 ? 0 : (cum[this.slot - 1] as number);
    const width = (cum[this.slot] as number) - before;
    const frac = width > 0 ? Math.min(1, Math.max(0, (target - before) / width)) : 0;
    const t = Math.floor((this.starts[this.slot] as number) + frac * (this.lengths[this.slot] as number));
    return Math.min(this.now, Math.max(this.windowStart + 1, t));
  }
}
