/**
 * Time buckets against the window and the clock: which buckets are partial, what a week bucket
 * starts on, and profiles (hour of day, weekdays against weekends) built from buckets already fetched.
 */
import type { BarBucket } from "../widget/response.js";
import type { TimeWindow } from "../widget/types.js";
import { r } from "./charts/common.js";
import { fmtNum, renderTable } from "./format.js";
import { combineBuckets } from "./stats.js";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** A window's end given to the second (lte 23:59:59) still covers the rest of that second. */
const END_SLACK_MS = 1_000;

/** Where a bucket ends: hour, day and week by their length, month by the calendar, an interval by its ms. */
export function bucketEnd(
  startMs: number,
  period: string | undefined,
  intervalMs?: number,
): number | undefined {
  if (intervalMs !== undefined) return startMs + intervalMs;
  switch (period) {
    case "hour":
      return startMs + HOUR_MS;
    case "day":
      return startMs + DAY_MS;
    case "week":
      return startMs + 7 * DAY_MS;
    case "month": {
      const d = new Date(startMs);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
    default:
      return undefined;
  }
}

export interface BucketClock {
  window: TimeWindow;
  now: number;
  period: string | undefined;
  intervalMs?: number;
}

/**
 * Per bucket, whether it is partial: it starts before the window's start, or ends after the
 * window's end or after now (still filling). Unknown bucket lengths are never called partial.
 */
export function partialBuckets(starts: readonly string[], clock: BucketClock): boolean[] {
  const winStart = clock.window.start === null ? Number.NEGATIVE_INFINITY : Date.parse(clock.window.start);
  const winEnd = clock.window.end === null ? Number.POSITIVE_INFINITY : Date.parse(clock.window.end);
  const limit = Math.min(Number.isNaN(winEnd) ? Number.POSITIVE_INFINITY : winEnd + END_SLACK_MS, clock.now);
  return starts.map((s) => {
    const start = Date.parse(s);
    if (Number.isNaN(start)) return false;
    const end = bucketEnd(start, clock.period, clock.intervalMs);
    if (end === undefined) return false;
    return start < winStart || end > limit;
  });
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "Week buckets start on Monday 00:00 UTC", from the buckets themselves; undefined when they disagree. */
export function weekStartNote(starts: readonly string[]): string | undefined {
  const days = new Set<number>();
  for (const s of starts) {
    const ms = Date.parse(s);
    if (!Number.isNaN(ms)) days.add(new Date(ms).getUTCDay());
  }
  if (days.size !== 1) return undefined;
  return `Week buckets start on ${WEEKDAYS[[...days][0] as number]} 00:00 UTC; each row is the week from that day.`;
}

/** Says how many buckets are partial and what that means. */
export const partialSentence = (partials: number, buckets: number): string =>
  `${partials} of the ${buckets} buckets ${partials === 1 ? "is" : "are"} partial (marked): ${partials === 1 ? "it holds" : "they hold"} only part of ${partials === 1 ? "its" : "their"} time, because the window starts after the bucket's start or ends (or now is) before the bucket's end.`;

export const partialMark = (label: string, partial: boolean | undefined): string =>
  partial ? `${label} (partial)` : label;

/** Aggregations whose buckets add up (a total, and a mean per bucket, make sense). */
const ADDITIVE = new Set(["count", "sum"]);

interface ProfileRow {
  label: string;
  buckets: BarBucket[];
}

/** One table row per slice of the buckets: the combined figure, or total and mean per bucket for counts and sums. */
function profileTable(
  rows: readonly ProfileRow[],
  aggregation: string,
  perWhat: string,
  maxChars: number,
): { table: string; values: (number | null)[] } {
  const additive = ADDITIVE.has(aggregation);
  const figures = rows.map((r) => {
    const o = combineBuckets(r.buckets, aggregation);
    const mean = additive && o.value !== null && r.buckets.length > 0 ? o.value / r.buckets.length : null;
    return { o, mean, n: r.buckets.length };
  });
  const table = renderTable({
    headers: additive
      ? ["", `mean ${aggregation} per ${perWhat}`, "total", `${perWhat}s`]
      : ["", `${aggregation} (${figures[0]?.o.method ?? ""})`, "samples", `${perWhat}s`],
    rowCount: rows.length,
    row: (i) => {
      const f = figures[i] as (typeof figures)[number];
      const label = (rows[i] as ProfileRow).label;
      return additive
        ? [label, fmtNum(f.mean), fmtNum(f.o.value), String(f.n)]
        : [label, fmtNum(f.o.value), f.o.samples === null ? "" : fmtNum(f.o.samples), String(f.n)];
    },
    maxChars,
    elide: "tail",
  });
  return { table, values: figures.map((f) => (additive ? f.mean : f.o.value)) };
}

const PERCENTILE = /^p\d{1,2}$/;

export interface Profile {
  markdown: string;
  stats: Record<string, unknown>;
}

/**
 * The complete buckets sorted into one row per slot (`slotOf` their start), empty rows dropped;
 * undefined when the profile does not apply: percentiles (they do not combine), or buckets that
 * span less than `minSpanMs`.
 */
function slotted(
  buckets: readonly BarBucket[],
  partial: readonly boolean[],
  aggregation: string | undefined,
  minSpanMs: number,
  labels: readonly string[],
  slotOf: (ms: number) => number,
): { rows: ProfileRow[]; aggregation: string } | undefined {
  if (!aggregation || PERCENTILE.test(aggregation) || buckets.length < 2) return undefined;
  const first = Date.parse((buckets[0] as BarBucket).time_interval);
  const last = Date.parse((buckets[buckets.length - 1] as BarBucket).time_interval);
  if (!(last - first >= minSpanMs)) return undefined;
  const rows: ProfileRow[] = labels.map((label) => ({ label, buckets: [] }));
  buckets.forEach((b, i) => {
    const ms = Date.parse(b.time_interval);
    if (!partial[i] && !Number.isNaN(ms)) rows[slotOf(ms)]?.buckets.push(b);
  });
  const shown = rows.filter((r) => r.buckets.length > 0);
  return shown.length === 0 ? undefined : { rows: shown, aggregation };
}

const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, "0")}:00`);

/**
 * Hour of day (UTC) over hourly buckets that span more than one day; complete buckets only, so
 * the hour still filling does not pull its mean down.
 */
export function hourOfDayProfile(
  buckets: readonly BarBucket[],
  partial: readonly boolean[],
  aggregation: string | undefined,
  maxChars: number,
): Profile | undefined {
  const sl = slotted(buckets, partial, aggregation, DAY_MS, HOURS, (ms) => new Date(ms).getUTCHours());
  if (!sl) return undefined;
  const { rows } = sl;
  const { table, values } = profileTable(rows, sl.aggregation, "day", maxChars);
  const ext = extremes(values);
  const top =
    ext &&
    `Highest hour: ${rows[ext.hi]?.label} UTC (${fmtNum(values[ext.hi])}); lowest: ${rows[ext.lo]?.label} UTC (${fmtNum(values[ext.lo])}).`;
  return {
    markdown: `By hour of day (UTC, complete hours only):\n${table}${top ? `\n${top}` : ""}`,
    stats: {
      hours: rows.map((row, i) => ({ hour: row.label, value: r(values[i]), buckets: row.buckets.length })),
    },
  };
}

/** Weekdays (Monday to Friday) against weekends over daily buckets spanning at least 7 days; complete days only. */
export function weekdayProfile(
  buckets: readonly BarBucket[],
  partial: readonly boolean[],
  aggregation: string | undefined,
  maxChars: number,
): Profile | undefined {
  const weekend = (ms: number) => (new Date(ms).getUTCDay() % 6 === 0 ? 1 : 0);
  const labels = ["weekdays (Mon-Fri)", "weekends (Sat-Sun)"];
  const sl = slotted(buckets, partial, aggregation, 6 * DAY_MS, labels, weekend);
  if (!sl) return undefined;
  const { table, values } = profileTable(sl.rows, sl.aggregation, "day", maxChars);
  return {
    markdown: `Weekdays against weekends (UTC days, complete days only):\n${table}`,
    stats: {
      weekdays_vs_weekends: sl.rows.map((row, i) => ({
        days: row.label,
        value: r(values[i]),
        buckets: row.buckets.length,
      })),
    },
  };
}

/** Indices of the highest and lowest non-null values (first on ties). */
export function extremes(values: readonly (number | null)[]): { hi: number; lo: number } | undefined {
  let hi = -1;
  let lo = -1;
  values.forEach((v, i) => {
    if (v === null) return;
    if (hi < 0 || v > (values[hi] as number)) hi = i;
    if (lo < 0 || v < (values[lo] as number)) lo = i;
  });
  return hi < 0 ? undefined : { hi, lo };
}
