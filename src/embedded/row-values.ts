/**
 * Scalar fields of an exported call log (ids, timestamps, durations, booleans, strings,
 * latency), read leniently in the ways src/embedded/rows.ts lists; a value that cannot be read
 * throws RowError with the reason, which rows.ts turns into the row's skip reason.
 */
import { cut } from "../shared/text.js";
import { parseIsoDatetime } from "../widget/time.js";

/** Thrown inside normalisation only, caught in normaliseRow: carries the reason text. */
export class RowError extends Error {}

export const describe = (v: unknown): string => {
  if (v === undefined) return "nothing";
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return cut(s, 40);
};

export const fail = (field: string, expected: string, got: unknown): never => {
  throw new RowError(`${field}: expected ${expected}, got ${describe(got)}`);
};

/** A decimal number written as text (not hex, binary or octal, not "Infinity", not blank). */
export function numericText(s: string): number | undefined {
  if (s.length === 0 || s.length > 40) return undefined;
  const c = s.charCodeAt(0);
  // digits, "-", "+", "."
  if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) return undefined;
  // "0x1f", "0b1", "0o7": Number() reads other bases
  if (c === 48 && s.length > 2 && (s.charCodeAt(1) | 0x20) >= 0x61 && (s.charCodeAt(1) | 0x20) !== 0x65)
    return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export function integerField(field: string, v: unknown): number {
  let n: number | undefined;
  if (typeof v === "number") n = v;
  else if (typeof v === "string") n = numericText(v);
  if (n === undefined || !Number.isSafeInteger(n)) return fail(field, "an integer", v);
  return n;
}

export const MAX_EPOCH_MS = 8.64e15;

export function timestampField(field: string, v: unknown): number {
  let ms: number | undefined;
  if (typeof v === "number") ms = epochToMs(v);
  else if (typeof v === "string") {
    ms = fastIso(v);
    if (ms === undefined) {
      const n = numericText(v); // "2024-03-15" is not a number: only all-numeric text is an epoch
      ms = n !== undefined ? epochToMs(n) : parseIsoDatetime(v.trim());
    }
  }
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) {
    return fail(field, "an ISO 8601 date-time or epoch seconds/milliseconds", v);
  }
  return Math.round(ms);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two decimal digits at i, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The common export form "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM)" without a regex (it runs once per
 * row); undefined for anything else, which then goes to the general ISO parser.
 */
export function fastIso(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  const sec = twoDigits(s, 17);
  if (
    y1 < 0 ||
    y2 < 0 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 59
  ) {
    return undefined;
  }
  const year = y1 * 100 + y2;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] as number))) return undefined;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    let scale = 100;
    const from = ++i;
    for (let c = s.charCodeAt(i) - 48; c >= 0 && c <= 9; c = s.charCodeAt(++i) - 48) {
      ms += c * scale;
      scale /= 10;
    }
    if (i === from) return undefined;
    ms = Math.floor(ms);
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && i === n - 1) offsetMin = 0;
  else if ((z === 43 || z === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    const oh = twoDigits(s, i + 1);
    const om = twoDigits(s, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else return undefined;
  return (daysFromCivil(year, mo, d) * 86_400 + h * 3600 + mi * 60 + sec) * 1000 + ms - offsetMin * 60_000;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; cheaper than Date.UTC). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export const epochToMs = (n: number): number => (Math.abs(n) < 1e11 ? n * 1000 : n);

/** "MM:SS", "H:MM:SS", with optional fractional seconds; minutes may exceed 59 in "MM:SS". */
function clockSeconds(s: string): number | undefined {
  const parts = s.split(":");
  if (parts.length < 2 || parts.length > 3) return undefined;
  let total = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = (parts[i] as string).trim();
    const last = i === parts.length - 1;
    if (p.length === 0) return undefined;
    for (let k = 0; k < p.length; k++) {
      const c = p.charCodeAt(k);
      if (!((c >= 48 && c <= 57) || (last && c === 46))) return undefined;
    }
    const n = Number(p);
    if (!Number.isFinite(n) || (i > 0 && n >= 60)) return undefined;
    total = total * 60 + n;
  }
  return total;
}

export function durationField(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  let n: number | undefined;
  if (typeof v === "number") n = v;
  else if (typeof v === "string") n = v.includes(":") ? clockSeconds(v) : numericText(v.trim());
  if (n === undefined || !Number.isFinite(n) || n < 0) {
    return fail("duration", 'seconds or "MM:SS" / "H:MM:SS"', v);
  }
  return n;
}

export function booleanLike(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true" || s === "1" || s === "yes") return true;
    if (s === "false" || s === "0" || s === "no") return false;
  }
  return undefined;
}

export function successField(v: unknown, status: unknown): boolean | null {
  if (v === null || v === "") return null;
  if (v === undefined) {
    if (status === "success" || status === "reviewed_success") return true;
    if (status === "failure" || status === "reviewed_failure") return false;
    return null;
  }
  const b = booleanLike(v);
  return b === undefined ? fail("success", "true, false or null", v) : b;
}

export function reviewedField(v: unknown, status: unknown): boolean {
  if (v === null || v === undefined || v === "") {
    return status === "reviewed_success" || status === "reviewed_failure";
  }
  const b = booleanLike(v);
  return b === undefined ? fail("is_reviewed", "true or false", v) : b;
}

export function stringField(field: string, v: unknown): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return fail(field, "a string or null", v);
}

export function latencyField(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : typeof v === "string" ? numericText(v.trim()) : undefined;
  return n === undefined || !Number.isFinite(n) || n < 0 ? fail("latency_ms", "milliseconds or null", v) : n;
}
