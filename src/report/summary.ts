/**
 * The summary of one response: a markdown body (tables and sentences) within a character budget,
 * and the same figures as a JSON object. Figures are always computed over ALL the data, whatever
 * the tables or the raw data show.
 */
import { isPlainObject } from "../shared/json.js";
import { findPlotField } from "../widget/catalogue.js";
import {
  type BarBucket,
  type GroupedBarBucket,
  type LinePoint,
  type PieSlice,
  readAll,
  readBarBucket,
  readGroupedBarBucket,
  readPieSlice,
  readStatData,
  STAT_KEYS,
  type StatData,
} from "../widget/response.js";
import type { TimeWindow, WidgetQuery } from "../widget/types.js";
import { describeEmpty } from "./describe.js";
import {
  cell,
  cut,
  fmtNum,
  fmtPercent,
  fmtWithUnit,
  oneLine,
  renderTable,
  roundNum,
  valueCell,
} from "./format.js";
import { combineBuckets, peakAndTrough, percentilesCont } from "./stats.js";

export interface SummaryContext {
  /** The chart type the data is read as: the response's own when it says, else the query's. */
  chart: string;
  field: string | undefined;
  aggregation: string | undefined;
  period: string | undefined;
  query: WidgetQuery;
  window: TimeWindow;
  /** Characters the markdown body may take. */
  maxChars: number;
}

export interface SummaryPart {
  markdown: string;
  stats: Record<string, unknown>;
}

/** Rounded for the stats object, so JSON carries no float noise either. */
const r = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : roundNum(x);

const unitOf = (field: string | undefined): string | undefined =>
  field ? findPlotField(field)?.entry.unit : undefined;

/** Items with more keys than this many show the rest as one JSON column. */
const GENERIC_MAX_COLUMNS = 10;
const GENERIC_MAX_ROWS = 30;
const TOP_SLICES = 10;
const TOP_POINTS = 3;
const STATS_LABEL_MAX = 100;

export function summarise(data: unknown, ctx: SummaryContext): SummaryPart {
  const { chart } = ctx;
  if (Array.isArray(data) && data.length === 0 && chart !== "stat") return empty(ctx);
  switch (chart) {
    case "line": {
      if (!Array.isArray(data)) return generic(data, ctx, "a line chart's data should be a list");
      const scan = scanLine(data);
      return scan
        ? lineSummary(data as LinePoint[], scan, ctx)
        : generic(data, ctx, "the points are not {id, timestamp, value}");
    }
    case "bar": {
      if (!Array.isArray(data)) return generic(data, ctx, "a bar chart's data should be a list");
      const buckets = readAll(data, readBarBucket);
      if (buckets) return barSummary(buckets, ctx);
      const grouped = readAll(data, readGroupedBarBucket);
      if (grouped) return groupedBarSummary(data, grouped, ctx);
      return generic(data, ctx, "the buckets are not {time_interval, value, sample_count}");
    }
    case "pie": {
      if (!Array.isArray(data)) return generic(data, ctx, "a pie chart's data should be a list");
      const slices = readAll(data, readPieSlice);
      return slices
        ? pieSummary(slices, ctx)
        : generic(data, ctx, "the slices are not {label, value, percentage}");
    }
    case "stat": {
      const stat = readStatData(data);
      return stat
        ? statSummary(stat, ctx)
        : generic(data, ctx, `stat data should be an object with ${STAT_KEYS.join(", ")}`);
    }
    default:
      return generic(data, ctx, `the chart type "${oneLine(chart, 40)}" is not one this summary knows`);
  }
}

function empty(ctx: SummaryContext): SummaryPart {
  return {
    markdown: cut(describeEmpty(ctx.query, ctx.window), ctx.maxChars),
    stats: { chart: ctx.chart, empty: true, items: 0 },
  };
}

function figureTable(rows: string[][], maxChars: number, header = "value"): string {
  return renderTable({
    headers: ["figure", header],
    rowCount: rows.length,
    row: (i) => rows[i] ?? [],
    maxChars,
    elide: "tail",
  });
}

// ---------------------------------------------------------------------------------------------- line

interface LineScan {
  /** The values that are not null, in the order given (reordered later by selection). */
  values: Float64Array;
  sum: number;
  min: number;
  max: number;
  /** Indices of the highest values, highest first; earlier points win ties. */
  top: number[];
  first: number;
  last: number;
}

/**
 * One pass over a line's items: checks each is a point (as `readLinePoint`) and gathers the
 * figures. Undefined as soon as an item is not a point. One pass, no copies: a line may hold
 * 100,000 points and the first call of a process runs this loop before the JIT has warmed up.
 */
function scanLine(items: readonly unknown[]): LineScan | undefined {
  const n = items.length;
  const values = new Float64Array(n);
  let m = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const top: number[] = [];
  const topValues: number[] = [];
  // ISO UTC strings of one length and format compare as text; Date.parse is the fallback.
  const t0 = n > 0 ? (items[0] as { timestamp?: unknown }).timestamp : undefined;
  const len0 = typeof t0 === "string" && t0.endsWith("Z") ? t0.length : -1;
  let sameFormat = len0 > 0;
  let firstTs = typeof t0 === "string" ? t0 : "";
  let lastTs = firstTs;
  let first = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    // The checks of readLinePoint, inlined: this loop is the hot path of a 100,000-point line
    // (Object.keys, not for-in: without TurboFan, for-in is the slowest step of it).
    const item = items[i];
    if (typeof item !== "object" || item === null || Array.isArray(item)) return undefined;
    const keys = Object.keys(item);
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j];
      if (k !== "id" && k !== "timestamp" && k !== "value") return undefined;
    }
    const t = (item as LinePoint).timestamp;
    const v = (item as LinePoint).value;
    if (typeof t !== "string" || (v !== null && (typeof v !== "number" || !Number.isFinite(v))))
      return undefined;
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
  return { values: values.subarray(0, m), sum, min, max, top, first, last };
}

function lineSummary(points: readonly LinePoint[], scan: LineScan, ctx: SummaryContext): SummaryPart {
  const unit = unitOf(ctx.field);
  const m = scan.values.length;
  const has = m > 0;
  const [p50, p95] = has ? percentilesCont(scan.values, [0.5, 0.95]) : [null, null];
  const fig = {
    min: has ? scan.min : null,
    p50: p50 ?? null,
    mean: has ? scan.sum / m : null,
    p95: p95 ?? null,
    max: has ? scan.max : null,
  };
  const first = points[scan.first] as LinePoint;
  const last = points[scan.last] as LinePoint;
  const highest = scan.top.map((i) => points[i] as LinePoint);
  const nulls = points.length - m;

  const rows: string[][] = [["count", String(points.length)]];
  if (nulls > 0) rows.push(["points without a value", String(nulls)]);
  rows.push(
    ["min", fmtWithUnit(fig.min, unit)],
    ["p50", fmtWithUnit(fig.p50, unit)],
    ["mean", fmtWithUnit(fig.mean, unit)],
    ["p95", fmtWithUnit(fig.p95, unit)],
    ["max", fmtWithUnit(fig.max, unit)],
    ["first time", cell(first.timestamp, 40)],
    ["last time", cell(last.timestamp, 40)],
  );
  const valueHeader = `${cell(ctx.field ?? "value", 60)}${unit ? ` (${unit})` : ""}`;
  const intro = has
    ? "Percentiles are continuous (linear interpolation, like PostgreSQL percentile_cont)."
    : `None of the ${points.length} points has a value.`;
  const parts = [figureTable(rows, Math.floor(ctx.maxChars * 0.6), valueHeader), intro];
  if (highest.length > 0) {
    const used = parts.reduce((n, p) => n + p.length + 2, 0);
    parts.push(
      `Highest ${highest.length === 1 ? "point" : `${highest.length} points`}:\n${renderTable({
        headers: ["call id", "time", valueHeader],
        rowCount: highest.length,
        row: (i) => {
          const p = highest[i] as LinePoint;
          return [valueCell(p.id, 40), cell(p.timestamp, 40), fmtWithUnit(p.value, unit)];
        },
        maxChars: ctx.maxChars - used - 30,
        elide: "tail",
      })}`,
    );
  }
  return {
    markdown: cut(parts.join("\n\n"), ctx.maxChars),
    stats: {
      chart: "line",
      field: ctx.field ?? null,
      unit: unit ?? null,
      count: points.length,
      points_without_value: nulls,
      min: r(fig.min),
      p50: r(fig.p50),
      mean: r(fig.mean),
      p95: r(fig.p95),
      max: r(fig.max),
      first_time: cut(first.timestamp, 60),
      last_time: cut(last.timestamp, 60),
      highest: highest.map((p) => ({
        id: boundId(p.id),
        timestamp: cut(p.timestamp, 60),
        value: r(p.value),
      })),
    },
  };
}

const boundId = (id: unknown): unknown =>
  typeof id === "string" ? cut(id, 60) : typeof id === "number" || id === null ? id : valueCell(id, 60);

// ----------------------------------------------------------------------------------------------- bar

function bucketFigure(b: BarBucket | undefined): Record<string, unknown> | null {
  return b
    ? { time_interval: cut(b.time_interval, 60), value: r(b.value), sample_count: b.sample_count ?? null }
    : null;
}

const samplesText = (b: BarBucket): string =>
  b.sample_count === undefined ? "" : ` (${fmtNum(b.sample_count)} sample${b.sample_count === 1 ? "" : "s"})`;

function barSummary(buckets: readonly BarBucket[], ctx: SummaryContext): SummaryPart {
  const agg = ctx.aggregation;
  const unit = agg === "count" ? undefined : unitOf(ctx.field);
  const overall = combineBuckets(buckets, agg);
  const { peak, trough } = peakAndTrough(buckets);
  const peakB = buckets[peak];
  const troughB = buckets[trough];

  const sentences: string[] = [];
  if (overall.value === null && overall.reason) sentences.push(`No overall figure: ${overall.reason}.`);
  if (peakB && troughB) {
    sentences.push(
      `Peak: ${cell(peakB.time_interval, 40)} at ${fmtWithUnit(peakB.value, unit)}${samplesText(peakB)}. ` +
        `Trough: ${cell(troughB.time_interval, 40)} at ${fmtWithUnit(troughB.value, unit)}${samplesText(troughB)}.`,
    );
  } else {
    sentences.push("No bucket has a value.");
  }
  const tail = sentences.join("\n");
  const valueHeader = `${cell(agg ?? "value", 20)} of ${cell(ctx.field ?? "value", 60)}${unit ? ` (${unit})` : ""}`;
  const table = renderTable({
    headers: ["bucket start (UTC)", valueHeader, "samples"],
    rowCount: buckets.length,
    row: (i) => {
      const b = buckets[i] as BarBucket;
      return [
        cell(b.time_interval, 40),
        fmtNum(b.value),
        b.sample_count === undefined ? "" : fmtNum(b.sample_count),
      ];
    },
    footer: [
      [
        `**overall** (${overall.method})`,
        overall.value === null ? "n/a" : fmtNum(overall.value),
        overall.samples === null ? "" : fmtNum(overall.samples),
      ],
    ],
    maxChars: ctx.maxChars - tail.length - 2,
    elide: "middle",
  });
  return {
    markdown: cut(`${table}\n\n${tail}`, ctx.maxChars),
    stats: {
      chart: "bar",
      field: ctx.field ?? null,
      unit: unit ?? null,
      aggregation: agg ?? null,
      time_period: ctx.period ?? null,
      buckets: buckets.length,
      overall: { value: r(overall.value), samples: overall.samples, method: overall.method },
      ...(overall.reason ? { overall_note: overall.reason } : {}),
      peak: bucketFigure(peakB),
      trough: bucketFigure(troughB),
    },
  };
}

const MAX_GROUPS = 15;

function groupedBarSummary(
  items: readonly unknown[],
  buckets: readonly GroupedBarBucket[],
  ctx: SummaryContext,
): SummaryPart {
  const groups = new Map<string, { group: unknown; buckets: GroupedBarBucket[] }>();
  for (const b of buckets) {
    const key = typeof b.group === "string" ? `s:${b.group}` : `j:${JSON.stringify(b.group)}`;
    let g = groups.get(key);
    if (!g) {
      g = { group: b.group, buckets: [] };
      groups.set(key, g);
    }
    g.buckets.push(b);
  }
  const perGroup = [...groups.values()].map((g) => ({
    group: g.group,
    buckets: g.buckets.length,
    overall: combineBuckets(g.buckets, ctx.aggregation),
  }));
  const groupTable = renderTable({
    headers: ["group", "buckets", `overall ${cell(ctx.aggregation ?? "value", 20)}`, "samples"],
    rowCount: perGroup.length,
    row: (i) => {
      const g = perGroup[i] as (typeof perGroup)[number];
      return [
        valueCell(g.group, 40),
        String(g.buckets),
        g.overall.value === null ? "n/a" : fmtNum(g.overall.value),
        g.overall.samples === null ? "" : fmtNum(g.overall.samples),
      ];
    },
    maxChars: Math.floor(ctx.maxChars * 0.35),
    maxRows: MAX_GROUPS,
    elide: "tail",
  });
  const reason = perGroup[0]?.overall.reason;
  const groupPart = `Per group (${perGroup.length} group${perGroup.length === 1 ? "" : "s"}; ${perGroup[0]?.overall.method ?? ""}):\n${groupTable}${reason ? `\nNo overall figure: ${reason}.` : ""}`;
  const base = generic(
    items,
    { ...ctx, maxChars: ctx.maxChars - groupPart.length - 2 },
    "the buckets carry a `group` key",
  );
  return {
    markdown: cut(`${base.markdown}\n\n${groupPart}`, ctx.maxChars),
    stats: {
      ...base.stats,
      chart: "bar",
      aggregation: ctx.aggregation ?? null,
      time_period: ctx.period ?? null,
      groups_total: perGroup.length,
      groups: perGroup.slice(0, MAX_GROUPS).map((g) => ({
        group: typeof g.group === "string" ? cut(g.group, STATS_LABEL_MAX) : boundId(g.group),
        buckets: g.buckets,
        overall: r(g.overall.value),
        samples: g.overall.samples,
      })),
    },
  };
}

// ----------------------------------------------------------------------------------------------- pie

function pieSummary(slices: readonly PieSlice[], ctx: SummaryContext): SummaryPart {
  const sorted = [...slices].sort(
    (a, b) => b.value - a.value || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  const total = sorted.reduce((s, x) => s + x.value, 0);
  const share = (count: number): number | null => (total > 0 ? count / total : null);
  const top = sorted.slice(0, TOP_SLICES);
  const rest = sorted.slice(TOP_SLICES);
  const restCount = rest.reduce((s, x) => s + x.value, 0);
  const shareText = (count: number): string => {
    const s = share(count);
    return s === null ? "n/a" : fmtPercent(s);
  };
  const footer: string[][] = [];
  if (rest.length > 0)
    footer.push([`other (${rest.length} labels)`, fmtNum(restCount), shareText(restCount)]);
  footer.push(["**total**", fmtNum(total), total > 0 ? "100%" : "n/a"]);
  const table = renderTable({
    headers: [`value of ${cell(ctx.field ?? "field", 60)}`, "calls", "share"],
    rowCount: top.length,
    row: (i) => {
      const s = top[i] as PieSlice;
      return [cell(s.label), fmtNum(s.value), shareText(s.value)];
    },
    footer,
    maxChars: ctx.maxChars,
    elide: "tail",
  });
  const pct = (count: number): number | null => {
    const s = share(count);
    return s === null ? null : Math.round(s * 1000) / 10;
  };
  return {
    markdown: cut(table, ctx.maxChars),
    stats: {
      chart: "pie",
      field: ctx.field ?? null,
      labels: slices.length,
      total: r(total),
      top: top.map((s) => ({
        label: cut(s.label, STATS_LABEL_MAX),
        count: r(s.value),
        share_percent: pct(s.value),
      })),
      other:
        rest.length > 0 ? { labels: rest.length, count: r(restCount), share_percent: pct(restCount) } : null,
    },
  };
}

// ---------------------------------------------------------------------------------------------- stat

function statSummary(stat: StatData, ctx: SummaryContext): SummaryPart {
  // ASSUMPTION (docs/cekura-api.md §3, our rule; undocumented upstream): success_rate is a
  // fraction 0..1 and p95_latency is in milliseconds. The percentage is shown only when in 0..1.
  const durationUnit = unitOf("duration");
  const missing = "not in the response";
  const show = (v: number | null | undefined, f: (x: number) => string, nullText = "n/a"): string =>
    v === undefined ? missing : v === null ? nullText : f(v);
  const rate = stat.success_rate;
  const rows: string[][] = [
    ["total_calls", show(stat.total_calls, fmtNum)],
    ["success_rate", show(rate, (x) => (x >= 0 && x <= 1 ? `${fmtNum(x)} (${fmtPercent(x)})` : fmtNum(x)))],
    ["avg_duration", show(stat.avg_duration, (x) => fmtWithUnit(x, durationUnit))],
    ["p95_latency", show(stat.p95_latency, (x) => `${fmtNum(x)} ms`, "n/a (no latency data)")],
  ];
  const extraKeys = Object.keys(stat.extra);
  for (const k of extraKeys) rows.push([cell(k, 40), valueCell(stat.extra[k])]);
  const isEmpty = stat.total_calls === 0;
  const intro = isEmpty ? `${describeEmpty(ctx.query, ctx.window)}\n\n` : "";
  const table = renderTable({
    headers: ["figure", "value"],
    rowCount: rows.length,
    row: (i) => rows[i] ?? [],
    maxChars: ctx.maxChars - intro.length,
    maxRows: 4 + GENERIC_MAX_ROWS,
    elide: "tail",
  });
  return {
    markdown: cut(intro + table, ctx.maxChars),
    stats: {
      chart: "stat",
      ...(isEmpty ? { empty: true } : {}),
      total_calls: r(stat.total_calls),
      success_rate: r(stat.success_rate),
      avg_duration: r(stat.avg_duration),
      p95_latency: r(stat.p95_latency),
      units: { avg_duration: durationUnit ?? null, p95_latency: "ms" },
      ...(extraKeys.length > 0 ? { extra_keys: extraKeys.slice(0, 30).map((k) => cut(k, 60)) } : {}),
    },
  };
}

// ------------------------------------------------------------------------------------------- generic

/** Any data as a table of its keys: never an error. */
function generic(data: unknown, ctx: SummaryContext, reason: string): SummaryPart {
  const intro = `The data has a shape this summary does not know (${reason}), so it is shown as a table of its keys.`;
  const budget = ctx.maxChars - intro.length - 2;
  const base = { chart: ctx.chart, shape: "generic", reason };
  if (Array.isArray(data)) {
    const sample = data.slice(0, GENERIC_MAX_ROWS);
    const keys: string[] = [];
    const seen = new Set<string>();
    let scalars = false;
    for (const item of sample) {
      if (isPlainObject(item)) {
        for (const k of Object.keys(item)) {
          if (!seen.has(k)) {
            seen.add(k);
            keys.push(k);
          }
        }
      } else {
        scalars = true;
      }
    }
    const columns = keys.slice(0, GENERIC_MAX_COLUMNS);
    const restKeys = keys.length > columns.length;
    const headers = [
      ...columns.map((k) => cell(k, 30)),
      ...(restKeys ? ["other keys"] : []),
      ...(scalars || columns.length === 0 ? ["value"] : []),
    ];
    const table = renderTable({
      headers,
      rowCount: data.length,
      row: (i) => {
        const item = data[i];
        if (!isPlainObject(item)) {
          return [...columns.map(() => ""), ...(restKeys ? [""] : []), valueCell(item)];
        }
        const cells = columns.map((k) => valueCell(item[k]));
        if (restKeys) {
          const rest: Record<string, unknown> = {};
          for (const k of Object.keys(item)) if (!columns.includes(k)) rest[k] = item[k];
          cells.push(valueCell(rest));
        }
        if (scalars || columns.length === 0) cells.push("");
        return cells;
      },
      maxChars: budget,
      maxRows: GENERIC_MAX_ROWS,
      elide: "tail",
    });
    return {
      markdown: cut(`${intro}\n\n${table}`, ctx.maxChars),
      stats: { ...base, items: data.length, keys: keys.slice(0, 30).map((k) => cut(k, 60)) },
    };
  }
  if (isPlainObject(data)) {
    const keys = Object.keys(data);
    const table = renderTable({
      headers: ["key", "value"],
      rowCount: keys.length,
      row: (i) => {
        const k = keys[i] as string;
        return [cell(k, 40), valueCell(data[k])];
      },
      maxChars: budget,
      maxRows: GENERIC_MAX_ROWS,
      elide: "tail",
    });
    return {
      markdown: cut(`${intro}\n\n${table}`, ctx.maxChars),
      stats: { ...base, keys: keys.slice(0, 30).map((k) => cut(k, 60)), key_count: keys.length },
    };
  }
  return {
    markdown: cut(`${intro}\n\ndata: ${valueCell(data, 200)}`, ctx.maxChars),
    stats: { ...base, value: typeof data === "string" ? cut(data, 200) : valueCell(data, 200) },
  };
}
