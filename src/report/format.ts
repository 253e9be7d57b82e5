/**
 * Text primitives of the report: compact numbers, safe markdown cells, bounded tables.
 * Everything that comes from user data (labels, metadata values, filter values) passes through
 * `cell` or `oneLine` before it reaches markdown.
 */
import { ANY_CONTROL, CONTROL_CHARS, cut } from "../shared/text.js";

/**
 * Rounds away float noise: 4 decimals for |x| >= 1, 4 significant digits below 1
 * (0.30000000000000004 → 0.3, 12.3456789 → 12.3457, 0.000123456 → 0.0001235).
 */
export function roundNum(x: number): number {
  if (x === 0) return 0; // also -0
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const r = Math.abs(x) >= 1 ? Number(x.toFixed(4)) : Number(x.toPrecision(4));
  return Object.is(r, -0) ? 0 : r;
}

export function fmtNum(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "n/a";
  return String(roundNum(x));
}

/** `12.5 s`, `3`; n/a for missing values. */
export function fmtWithUnit(x: number | null | undefined, unit: string | undefined): string {
  const s = fmtNum(x);
  return unit && s !== "n/a" ? `${s} ${unit}` : s;
}

/** A share as a percentage with one decimal: 0.8734 → "87.3%". */
export function fmtPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return "n/a";
  const p = Math.round(fraction * 1000) / 10;
  return `${Object.is(p, -0) ? 0 : p}%`;
}

/** The report cuts text the one way everything else does. */
export { cut };

const NEWLINES = /\r\n|\r|\n/g;

/** One line of plain text: newlines and control characters become spaces. */
export function oneLine(s: string, max = Number.POSITIVE_INFINITY): string {
  // Most text has nothing to replace: one scan instead of three replace passes.
  if (!ANY_CONTROL.test(s)) return cut(s, max);
  return cut(s.replace(NEWLINES, " ").replace(CONTROL_CHARS, " ").replace(/\t/g, " "), max);
}

export const CELL_MAX = 80;

/** A markdown table cell: cut first, then `|` escaped and newlines shown as `<br>`. */
export function cell(s: string, max = CELL_MAX): string {
  const c = cut(s, max);
  if (!ANY_CONTROL.test(c) && !c.includes("|")) return c;
  return c.replace(NEWLINES, "<br>").replace(CONTROL_CHARS, " ").replace(/\t/g, " ").replace(/\|/g, "\\|");
}

/** Any JSON value as a short cell: strings as they are, the rest JSON-ed. */
export function valueCell(v: unknown, max = 60): string {
  if (v === undefined) return "";
  if (typeof v === "string") return cell(v, max);
  if (typeof v === "number") return fmtNum(v);
  let json: string | undefined;
  try {
    json = JSON.stringify(v);
  } catch {
    json = String(v);
  }
  // Cut the raw JSON before anything else: a nested value may be huge.
  return cell(json === undefined ? String(v) : json.length > max ? cut(json, max) : json, max);
}

const row = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;

export interface TableSpec {
  headers: readonly string[];
  /** Number of body rows and a getter, so huge tables render only the rows shown. */
  rowCount: number;
  row: (i: number) => readonly string[];
  /** Rows always shown after the body (totals). */
  footer?: readonly (readonly string[])[];
  /** Characters the whole table may take, newlines included. */
  maxChars: number;
  /** "middle": keep the first and last rows and elide the middle; "tail": keep the first rows. */
  elide: "middle" | "tail";
  /** At most this many body rows, even when more would fit. */
  maxRows?: number;
}

/**
 * Renders a markdown table within `maxChars`. When the body does not fit, the elided rows are
 * replaced by one "... N rows ..." line. The header and footer are always shown.
 */
export function renderTable(spec: TableSpec): string {
  const width = spec.headers.length;
  const pad = (cells: readonly string[]): string[] => {
    const out = cells.slice(0, width);
    while (out.length < width) out.push("");
    return out;
  };
  const headLines = [row(spec.headers), row(spec.headers.map(() => "---"))];
  const footLines = (spec.footer ?? []).map((r) => row(pad(r)));
  let used = [...headLines, ...footLines].reduce((n, l) => n + l.length + 1, 0);
  const n = spec.rowCount;
  const limit = Math.min(n, spec.maxRows ?? n);
  const gap = (m: number): string =>
    row(pad([spec.elide === "middle" ? `... ${m} rows ...` : `... ${m} more rows (see the data)`]));
  const gapReserve = gap(n).length + 1;

  const head: string[] = [];
  const tail: string[] = [];
  let i = 0;
  let j = n - 1;
  let fromHead = true;
  while (head.length + tail.length < limit) {
    const takeHead = spec.elide === "tail" || fromHead;
    const idx = takeHead ? i : j;
    const line = row(pad(spec.row(idx)));
    const isLast = head.length + tail.length + 1 === n;
    if (used + line.length + 1 + (isLast ? 0 : gapReserve) > spec.maxChars) break;
    used += line.length + 1;
    if (takeHead) {
      head.push(line);
      i++;
    } else {
      tail.push(line);
      j--;
    }
    if (spec.elide === "middle") fromHead = !fromHead;
  }
  const shown = head.length + tail.length;
  const lines = [...headLines, ...head];
  if (shown < n) lines.push(gap(n - shown));
  lines.push(...tail.reverse(), ...footLines);
  return lines.join("\n");
}
