/**
 * The time grammar of timestamp filter values (docs/cekura-api.md §2): `now`, `today`, either
 * followed by `-N<unit>` with unit one of s m h d w M y (case-sensitive: m minutes, M months), or
 * ISO 8601.
 * All in UTC. `today` is 00:00:00 of the day as a start (gt/gte/eq) and 23:59:59 as an end
 * (lt/lte); `today-7d` shifts that day back with the same rule.
 *
 * ASSUMPTIONS (upstream is silent): months and years move by calendar units, clamped to the end
 * of a shorter month (Mar 31 - 1M = Feb 28/29); an ISO timestamp without a zone is UTC; a date
 * alone is 00:00:00 UTC of that day; `today-3h` subtracts from the day's boundary.
 */
import { END_OPERATORS, type Operator, START_OPERATORS } from "./catalogue.js";

export const RELATIVE_DATETIME = /^(now|today)(?:-(\d{1,6})([smhdwMy]))?$/;
const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export type RelativeUnit = "s" | "m" | "h" | "d" | "w" | "M" | "y";
const FIXED_MS: Record<Exclude<RelativeUnit, "M" | "y">, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** The largest epoch offset a Date can hold (±100,000,000 days). */
const MAX_DATE_MS = 8.64e15;

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Subtract calendar months, clamping the day to the target month's length. */
export function subtractMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() - months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(
    targetYear,
    targetMonth,
    day,
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

export type TimeRole = "start" | "end";

/** Whether an operator makes its timestamp value a window start, a window end, or neither. */
export function roleOf(op: Operator): TimeRole | undefined {
  if (START_OPERATORS.includes(op)) return "start";
  if (END_OPERATORS.includes(op)) return "end";
  return undefined;
}

export function isRelativeDatetime(value: string): boolean {
  return RELATIVE_DATETIME.test(value);
}

/** Parses ISO 8601 (date, or date-time with optional zone); undefined when not valid. */
export function parseIsoDatetime(value: string): number | undefined {
  const m = ISO_DATETIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > lastDay) return undefined;
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  // Date.UTC maps years 0-99 to 1900-1999; setting the year separately keeps 0050 as 50 AD.
  let t = Date.UTC(2000, month - 1, day, hour, minute, second, ms);
  t = new Date(t).setUTCFullYear(year);
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const zh = Number(digits.slice(0, 2));
    const zm = Number(digits.slice(2, 4));
    if (zh > 23 || zm > 59) return undefined;
    t -= sign * (zh * 60 + zm) * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}

/**
 * Resolves a timestamp filter value to epoch milliseconds, given the instant `now` and whether the
 * value bounds the start or the end of a window (it matters for `today`). Undefined when the value
 * follows neither grammar.
 */
export function resolveDatetime(value: string, now: number, role: TimeRole = "start"): number | undefined {
  const rel = RELATIVE_DATETIME.exec(value);
  if (!rel) return parseIsoDatetime(value);
  const [, anchor, amount, unit] = rel;
  let base = now;
  if (anchor === "today") {
    base = startOfUtcDay(now);
    if (role === "end") base += DAY_MS - 1000; // 23:59:59
  }
  if (amount === undefined || unit === undefined) return base;
  const n = Number(amount);
  let t: number;
  switch (unit as RelativeUnit) {
    case "M":
      t = subtractMonths(base, n);
      break;
    case "y":
      t = subtractMonths(base, 12 * n);
      break;
    default:
      t = base - n * FIXED_MS[unit as keyof typeof FIXED_MS];
  }
  // now-999999y is grammatical but lies outside what a Date can hold (toIso would throw).
  return Number.isFinite(t) && Math.abs(t) <= MAX_DATE_MS ? t : undefined;
}

export const toIso = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/** What the grammar accepts, for error messages. */
export const DATETIME_GRAMMAR_HINT =
  "use now, today, now-<N><unit> or today-<N><unit> with unit s, m, h, d, w, M (months) or y, e.g. now-7d, today-1M; or ISO 8601 such as 2026-11-01T00:00:00Z";
