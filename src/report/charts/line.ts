/** A line chart (one point per call): its figures, computed once, rendered as markdown and as stats. */
import { type LinePoint, readLinePoint } from "../../widget/response.js";
import { cell, cut, fmtWithUnit, renderTable, valueCell } from "../format.js";
import { percentilesCont } from "../stats.js";
import {
  boundId,
  figureTable,
  groupLabel,
  r,
  type SummaryContext,
  type SummaryPart,
  unitOf,
} from "./common.js";

/** How many of the highest, and of the lowest, points are listed. */
const TOP_POINTS = 10;
/** Share of the body the figure table may take: it has a fixed handful of rows, the rest is for the point list. */
const FIGURES_SHARE = 0.6;
/** Characters kept free after the point list for its "Highest N points:" heading and the blank lines. */
const POINTS_HEADING_RESERVE = 30;

interface LineScan {
  /** The values that are not null, in the order given (reordered later by selection). */
  values: Float64Array;
  sum: number;
  min: number;
  max: number;
  /** Indices of the highest values, highest first; earlier points win ties. */
  top: number[];
  /** Indices of the lowest values, lowest first; earlier points win ties. */
  bottom: number[];
  /** Whether any point carries a `group` (a grouped line). */
  grouped: boolean;
  first: number;
  last: number;
}

/**
 * One pass over a line's items: checks each is a point (`readLinePoint`, groups allowed) and
 * gathers the figures. Undefined as soon as an item is not a point. One pass, no copies: a line
 * may hold 100,000 points.
 */
export function scanLine(items: readonly unknown[]): LineScan | undefined {
  const n = items.length;
  const values = new Float64Array(n);
  let m = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const top: number[] = [];
  const topValues: number[] = [];
  const bottom: number[] = [];
  const bottomValues: number[] = [];
  let grouped = false;
  // ISO UTC strings of one length and format compare as text; Date.parse is the fallback.
  const t0 = n > 0 ? (items[0] as { timestamp?: unknown }).timestamp : undefined;
  const len0 = typeof t0 === "string" && t0.endsWith("Z") ? t0.length : -1;
  let sameFormat = len0 > 0;
  let firstTs = typeof t0 === "string" ? t0 : "";
  let lastTs = firstTs;
  let first = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const point = readLinePoint(items[i], true);
    if (point === undefined) return undefined;
    if (!grouped && "group" in point) grouped = true;
    const { timestamp: t, value: v } = point;
    if (sameFormat) {
      if (t.length !== len0 || t.charCodeAt(len0 - 1) !== 90 /* Z */) sameFormat = false;
      else if (t < firstTs) {
        firstTs = t;
        first = i;
      } else if (t > lastTs) {
        lastTs = t;
        last = i;
      }
    }
    if (v === null) continue;
    values[m++] = v;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (top.length < TOP_POINTS || v > (topValues[TOP_POINTS - 1] as number)) {
      let at = top.length;
      while (at > 0 && v > (topValues[at - 1] as number)) at--;
      top.splice(at, 0, i);
      topValues.splice(at, 0, v);
      if (top.length > TOP_POINTS) {
        top.pop();
        topValues.pop();
      }
    }
    if (bottom.length < TOP_POINTS || v < (bottomValues[TOP_POINTS - 1] as number)) {
      let at = bottom.length;
      while (at > 0 && v < (bottomValues[at - 1] as number)) at--;
      bottom.splice(at, 0, i);
      bottomValues.splice(at, 0, v);
      if (bottom.length > TOP_POINTS) {
        bottom.pop();
        bottomValues.pop();
      }
    }
  }
  if (!sameFormat && n > 0) {
    let firstMs = Number.POSITIVE_INFINITY;
    let lastMs = Number.NEGATIVE_INFINITY;
    first = -1;
    last = -1;
    for (let i = 0; i < n; i++) {
      const ms = Date.parse((items[i] as LinePoint).timestamp);
      if (ms < firstMs) {
        firstMs = ms;
        first = i;
      }
      if (ms > lastMs) {
        lastMs = ms;
        last = i;
      }
    }
    // Timestamps that do not parse: fall back to the order given.
    if (first < 0) first = 0;
    if (last < 0) last = n - 1;
  }
  return { values: values.subarray(0, m), sum, min, max, top, bottom, grouped, first, last };
}

type Point = LinePoint & { group?: unknown };

interface GroupLine {
  group: unknown;
  count: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  min: number | null;
  max: number | null;
}

interface LineFigures {
  field: string | undefined;
  unit: string | undefined;
  count: number;
  /** Points whose value is null. */
  nulls: number;
  min: number | null;
  p50: number | null;
  mean: number | null;
  p95: number | null;
  max: number | null;
  first: Point;
  last: Point;
  highest: Point[];
  lowest: Point[];
  /** Per group, highest mean first; undefined for a line without groups. */
  groups: GroupLine[] | undefined;
}

const groupKey = (g: unknown): string => (typeof g === "string" ? `s:${g}` : `j:${JSON.stringify(g)}`);

/** Each group's figures, highest mean first (then most points). */
function groupLines(points: readonly Point[]): GroupLine[] {
  const byGroup = new Map<string, { group: unknown; values: number[]; count: number }>();
  for (const p of points) {
    const key = groupKey(p.group);
    let g = byGroup.get(key);
    if (!g) {
      g = { group: p.group ?? null, values: [], count: 0 };
      byGroup.set(key, g);
    }
    g.count++;
    if (p.value !== null) g.values.push(p.value);
  }
  const out = [...byGroup.values()].map((g): GroupLine => {
    const n = g.values.length;
    if (n === 0)
      return { group: g.group, count: g.count, mean: null, p50: null, p95: null, min: null, max: null };
    const values = Float64Array.from(g.values);
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of values) {
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const [p50, p95] = percentilesCont(values, [0.5, 0.95]);
    return { group: g.group, count: g.count, mean: sum / n, p50: p50 ?? null, p95: p95 ?? null, min, max };
  });
  return out.sort(
    (a, b) =>
      (b.mean ?? Number.NEGATIVE_INFINITY) - (a.mean ?? Number.NEGATIVE_INFINITY) || b.count - a.count,
  );
}

function lineFigures(points: readonly Point[], scan: LineScan, ctx: SummaryContext): LineFigures {
  const m = scan.values.length;
  const has = m > 0;
  const [p50, p95] = has ? percentilesCont(scan.values, [0.5, 0.95]) : [null, null];
  return {
    field: ctx.field,
    unit: unitOf(ctx.field),
    count: points.length,
    nulls: points.length - m,
    min: has ? scan.min : null,
    p50: p50 ?? null,
    mean: has ? scan.sum / m : null,
    p95: p95 ?? null,
    max: has ? scan.max : null,
    first: points[scan.first] as Point,
    last: points[scan.last] as Point,
    highest: scan.top.map((i) => points[i] as Point),
    lowest: scan.bottom.map((i) => points[i] as Point),
    groups: scan.grouped ? groupLines(points) : undefined,
  };
}

/** Share of the body the per-group table of a grouped line may take. */
const GROUPS_SHARE = 0.35;

function groupTable(
  groups: readonly GroupLine[],
  unit: string | undefined,
  nameOf: SummaryContext["nameOf"],
  maxChars: number,
): string {
  const table = renderTable({
    headers: ["group", "points", "mean", "p50", "p95", "min", "max"],
    rowCount: groups.length,
    row: (i) => {
      const g = groups[i] as GroupLine;
      return [
        groupLabel(g.group, nameOf),
        String(g.count),
        fmtWithUnit(g.mean, unit),
        fmtWithUnit(g.p50, unit),
        fmtWithUnit(g.p95, unit),
        fmtWithUnit(g.min, unit),
        fmtWithUnit(g.max, unit),
      ];
    },
    maxChars,
    elide: "tail",
  });
  return `Per group (${groups.length}), highest mean first:\n${table}`;
}

function lineMarkdown(f: LineFigures, maxChars: number, nameOf: SummaryContext["nameOf"]): string {
  const { unit } = f;
  const rows: string[][] = [["count", String(f.count)]];
  if (f.nulls > 0) rows.push(["points without a value", String(f.nulls)]);
  rows.push(
    ["min", fmtWithUnit(f.min, unit)],
    ["p50", fmtWithUnit(f.p50, unit)],
    ["mean", fmtWithUnit(f.mean, unit)],
    ["p95", fmtWithUnit(f.p95, unit)],
    ["max", fmtWithUnit(f.max, unit)],
    ["first time", cell(f.first.timestamp, 40)],
    ["last time", cell(f.last.timestamp, 40)],
  );
  const valueHeader = `${cell(f.field ?? "value", 60)}${unit ? ` (${unit})` : ""}`;
  const intro =
    f.count > f.nulls
      ? "Percentiles are continuous (linear interpolation, like PostgreSQL percentile_cont)."
      : `None of the ${f.count} points has a value.`;
  const parts = [figureTable(rows, Math.floor(maxChars * FIGURES_SHARE), valueHeader), intro];
  if (f.groups) parts.push(groupTable(f.groups, unit, nameOf, Math.floor(maxChars * GROUPS_SHARE)));
  const grouped = f.groups !== undefined;
  for (const [name, list] of [
    ["Highest", f.highest],
    ["Lowest", f.lowest],
  ] as const) {
    if (list.length === 0) continue;
    const used = parts.reduce((n, p) => n + p.length + 2, 0);
    const room = maxChars - used - POINTS_HEADING_RESERVE;
    if (room <= 0) break;
    parts.push(
      `${name} ${list.length === 1 ? "point" : `${list.length} points`}:\n${renderPoints(list, valueHeader, unit, { grouped, nameOf }, room)}`,
    );
  }
  return cut(parts.join("\n\n"), maxChars);
}

function renderPoints(
  points: readonly Point[],
  valueHeader: string,
  unit: string | undefined,
  /** A grouped line has a group column, with names beside ids where known. */
  groups: { grouped: boolean; nameOf: SummaryContext["nameOf"] },
  maxChars: number,
): string {
  return renderTable({
    headers: ["call id", "time", valueHeader, ...(groups.grouped ? ["group"] : [])],
    rowCount: points.length,
    row: (i) => {
      const p = points[i] as Point;
      return [
        valueCell(p.id, 40),
        cell(p.timestamp, 40),
        fmtWithUnit(p.value, unit),
        ...(groups.grouped ? [groupLabel(p.group, groups.nameOf)] : []),
      ];
    },
    maxChars,
    elide: "tail",
  });
}

const pointFigure = (p: Point) => ({
  id: boundId(p.id),
  timestamp: cut(p.timestamp, 60),
  value: r(p.value),
  ...(p.group !== undefined ? { group: boundId(p.group) } : {}),
});

/** Groups listed in `stats`. */
const STATS_MAX_GROUPS = 30;

function lineStats(f: LineFigures): Record<string, unknown> {
  return {
    chart: "line",
    field: f.field ?? null,
    unit: f.unit ?? null,
    count: f.count,
    points_without_value: f.nulls,
    min: r(f.min),
    p50: r(f.p50),
    mean: r(f.mean),
    p95: r(f.p95),
    max: r(f.max),
    first_time: cut(f.first.timestamp, 60),
    last_time: cut(f.last.timestamp, 60),
    highest: f.highest.map(pointFigure),
    lowest: f.lowest.map(pointFigure),
    ...(f.groups
      ? {
          groups_total: f.groups.length,
          groups: f.groups.slice(0, STATS_MAX_GROUPS).map((g) => ({
            group: boundId(g.group),
            points: g.count,
            mean: r(g.mean),
            p50: r(g.p50),
            p95: r(g.p95),
            min: r(g.min),
            max: r(g.max),
          })),
        }
      : {}),
  };
}

export function lineSummary(points: readonly LinePoint[], scan: LineScan, ctx: SummaryContext): SummaryPart {
  const f = lineFigures(points, scan, ctx);
  // A bucketed line's points are aggregates, not calls: they say nothing about coverage.
  const perCall = ctx.query.group_by?.type !== "bucket";
  return {
    markdown: lineMarkdown(f, ctx.maxChars, ctx.nameOf),
    stats: lineStats(f),
    ...(perCall ? { covered: f.count - f.nulls } : {}),
  };
}
