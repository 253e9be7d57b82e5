/**
 * What the chart view shows, computed from a tool result without the DOM (so it runs in tests
 * too). The result is read defensively: `structuredContent` is whatever the tool answered
 * (src/report/answer.ts today; a grouped answer may gain a pivot, another tool may answer
 * several widgets), so every field is checked and anything unknown falls back to a table.
 */

type Obj = Record<string, unknown>;

export type ChartSpec =
  | { kind: "line"; yLabel: string; series: { label: string; points: { x: number; y: number }[] }[] }
  | { kind: "bar"; yLabel: string; labels: string[]; series: { label: string; values: (number | null)[] }[] }
  | { kind: "pie"; labels: string[]; values: number[] }
  | { kind: "stat"; cards: { label: string; value: string }[] };

export interface Panel {
  /** The question in words, from the answer's "Asked:" line. */
  question: string;
  /** The window in UTC, e.g. "2026-11-25 02:43 to 2026-12-02 02:43 UTC". */
  window: string;
  source: string;
  /** Demo or local data: said as prominently as the text answer says it. */
  notLive: boolean;
  truncation: string | null;
  notes: string[];
  chart: ChartSpec | null;
  /** Lines about what the chart leaves out (more groups than it draws). */
  chartNotes: string[];
  table: { columns: string[]; rows: string[][] };
}

export type ViewModel = { ok: true; panels: Panel[] } | { ok: false; message: string };

/** Groups drawn as separate series; the rest stay in the table (a chart with more is unreadable). */
export const MAX_SERIES = 10;
const MAX_PANELS = 10;
const MAX_TABLE_ROWS = 2_000;
const MAX_COLUMNS = 12;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** An answer as src/report/answer.ts builds it: data plus at least one of its companions. */
function isAnswer(v: unknown): v is Obj {
  return isObj(v) && "data" in v && ("summary" in v || "stats" in v || "window" in v);
}

/** "2026-11-25 02:43" from an ISO instant; the text as given when it is not one. */
export function utcMinute(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso.slice(0, 40);
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

function windowText(w: unknown): string {
  if (!isObj(w)) return "not stated";
  const start = str(w.start);
  const end = str(w.end);
  if (!start && !end) return "whole data set";
  return `${start ? utcMinute(start) : "open"} to ${end ? utcMinute(end) : "open"} UTC`;
}

/** The "**Asked:** ..." line without markdown and without its window part (shown on its own). */
function questionOf(summary: string | undefined, fallback: string): string {
  const line = summary?.split("\n").find((l) => l.startsWith("**Asked:**"));
  if (!line) return fallback;
  return line
    .replace(/^\*\*Asked:\*\*\s*/, "")
    .replace(/; window .*$/, "")
    .replaceAll("**", "")
    .trim();
}

function notesOf(summary: string | undefined): string[] {
  return (summary ?? "")
    .split("\n")
    .filter((l) => l.startsWith("Note: "))
    .map((l) => l.slice(6))
    .slice(0, 6);
}

function truncationText(t: unknown, data: unknown): string | null {
  if (!isObj(t)) return null;
  const shown = num(t.shown);
  const total = num(t.total);
  if (shown === null || total === null) return "The data was cut to fit the answer.";
  const units = Array.isArray(data) ? "items" : "entries";
  return `Data cut to fit the answer: the first ${shown} of ${total} ${units} are drawn (${total - shown} left out); the summary's figures cover all ${total}.`;
}

const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });

export function formatNumber(v: number): string {
  return fmt.format(v);
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return v.length > 200 ? `${v.slice(0, 200)}...` : v;
  const json = JSON.stringify(v) ?? "";
  return json.length > 200 ? `${json.slice(0, 200)}...` : json;
}

export function tableOf(data: unknown): Panel["table"] {
  if (Array.isArray(data)) {
    const columns: string[] = [];
    for (const item of data.slice(0, 50)) {
      if (!isObj(item)) continue;
      for (const k of Object.keys(item))
        if (!columns.includes(k) && columns.length < MAX_COLUMNS) columns.push(k);
    }
    if (columns.length === 0)
      return { columns: ["value"], rows: data.slice(0, MAX_TABLE_ROWS).map((v) => [cell(v)]) };
    const rows = data
      .slice(0, MAX_TABLE_ROWS)
      .map((item) => columns.map((c) => (isObj(item) ? cell(item[c]) : "")));
    return { columns, rows };
  }
  if (isObj(data)) {
    return {
      columns: ["figure", "value"],
      rows: Object.entries(data)
        .slice(0, MAX_TABLE_ROWS)
        .map(([k, v]) => [k, cell(v)]),
    };
  }
  return { columns: ["value"], rows: data === null || data === undefined ? [] : [[cell(data)]] };
}

/** Bucket labels as short as the period allows; the tooltip shows the same label. */
export function bucketLabel(iso: string, period: string | undefined): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso.slice(0, 40);
  const s = new Date(ms).toISOString();
  switch (period) {
    case "month":
      return s.slice(0, 7);
    case "week":
      return `week of ${s.slice(0, 10)}`;
    case "hour":
      return `${s.slice(5, 10)} ${s.slice(11, 16)}`;
    case "day":
      return s.slice(0, 10);
    default:
      return s.slice(11, 19) === "00:00:00" ? s.slice(0, 10) : `${s.slice(0, 10)} ${s.slice(11, 16)}`;
  }
}

interface Context {
  /** From the report's ranking of groups (stats.groups), when it has one: names and order. */
  groups: { key: string; name: string | undefined }[];
  chart: string | undefined;
  field: string | undefined;
  aggregation: string | undefined;
  period: string | undefined;
  unit: string | undefined;
  groupBy: string | undefined;
}

function yLabelOf(c: Context): string {
  const what = c.field ?? "value";
  const agg = c.aggregation ? `${c.aggregation} of ${what}` : what;
  return c.unit ? `${agg} (${c.unit})` : agg;
}

function groupLabel(g: unknown, c: Context): string {
  if (g === null || g === undefined) return "(none)";
  const name = c.groups.find((x) => x.key === String(g))?.name;
  const label = c.groupBy ? `${c.groupBy} ${cell(g)}` : cell(g);
  return name ? `${label} (${name})` : label;
}

/**
 * Series keyed by group, in the report's ranking when it gives one, else by how many samples (or
 * points) each has; at most MAX_SERIES.
 */
function rankGroups<T>(items: T[], groupOf: (t: T) => unknown, weight: (t: T) => number, c: Context) {
  const totals = new Map<string, { key: unknown; weight: number }>();
  for (const it of items) {
    const g = groupOf(it);
    const k = JSON.stringify(g ?? null);
    const entry = totals.get(k) ?? { key: g, weight: 0 };
    entry.weight += weight(it);
    totals.set(k, entry);
  }
  const rank = (e: { key: unknown }) => {
    const i = c.groups.findIndex((x) => x.key === String(e.key));
    return i < 0 ? c.groups.length : i;
  };
  const ranked = [...totals.entries()].sort((a, b) => rank(a[1]) - rank(b[1]) || b[1].weight - a[1].weight);
  return { kept: ranked.slice(0, MAX_SERIES), cut: Math.max(0, ranked.length - MAX_SERIES) };
}

function barChart(rows: Obj[], c: Context): { chart: ChartSpec; notes: string[] } {
  const times = [...new Set(rows.map((r) => String(r.time_interval)))].sort();
  const labels = times.map((t) => bucketLabel(t, c.period));
  const index = new Map(times.map((t, i) => [t, i]));
  const grouped = rows.some((r) => "group" in r);
  if (!grouped) {
    const values: (number | null)[] = times.map(() => null);
    for (const r of rows) values[index.get(String(r.time_interval))!] = num(r.value);
    return {
      chart: { kind: "bar", yLabel: yLabelOf(c), labels, series: [{ label: yLabelOf(c), values }] },
      notes: [],
    };
  }
  const { kept, cut } = rankGroups(
    rows,
    (r) => r.group,
    (r) => num(r.sample_count) ?? 1,
    c,
  );
  const series = kept.map(([k, g]) => {
    const values: (number | null)[] = times.map(() => null);
    for (const r of rows)
      if (JSON.stringify(r.group ?? null) === k) values[index.get(String(r.time_interval))!] = num(r.value);
    return { label: groupLabel(g.key, c), values };
  });
  const notes =
    cut > 0 ? [`${cut} more groups (the ones with the fewest samples) are in the table, not drawn.`] : [];
  return { chart: { kind: "bar", yLabel: yLabelOf(c), labels, series }, notes };
}

function lineChart(rows: Obj[], c: Context): { chart: ChartSpec; notes: string[] } {
  const point = (r: Obj) => {
    const x = typeof r.timestamp === "string" ? Date.parse(r.timestamp) : Number.NaN;
    const y = num(r.value);
    return Number.isNaN(x) || y === null ? null : { x, y };
  };
  const grouped = rows.some((r) => "group" in r);
  const { kept, cut } = grouped
    ? rankGroups(
        rows,
        (r) => r.group,
        () => 1,
        c,
      )
    : {
        kept: [["null", { key: undefined, weight: rows.length }]] as [
          string,
          { key: unknown; weight: number },
        ][],
        cut: 0,
      };
  const series = kept.map(([k, g]) => ({
    label: grouped ? groupLabel(g.key, c) : yLabelOf(c),
    points: rows
      .filter((r) => !grouped || JSON.stringify(r.group ?? null) === k)
      .map(point)
      .filter((p): p is { x: number; y: number } => p !== null)
      .sort((a, b) => a.x - b.x),
  }));
  const notes = cut > 0 ? [`${cut} more groups are in the table, not drawn.`] : [];
  return { chart: { kind: "line", yLabel: yLabelOf(c), series }, notes };
}

function pieChart(rows: Obj[]): ChartSpec {
  return {
    kind: "pie",
    labels: rows.map((r) => cell(r.label ?? "(none)")),
    values: rows.map((r) => num(r.value) ?? 0),
  };
}

const STAT_LABELS: Record<string, string> = {
  total_calls: "Calls",
  success_rate: "Success rate",
  avg_duration: "Average duration",
  p95_latency: "p95 latency",
};

export function statCards(data: Obj, units: unknown): ChartSpec {
  const u = isObj(units) ? units : {};
  const cards = Object.entries(data)
    .slice(0, 12)
    .map(([k, v]) => {
      const label = STAT_LABELS[k] ?? k.replaceAll("_", " ");
      const n = num(v);
      if (n === null) return { label, value: v === null || v === undefined ? "n/a" : cell(v) };
      if (/rate$/.test(k) && n >= 0 && n <= 1) return { label, value: `${(n * 100).toFixed(1)}%` };
      const unit = str(u[k]);
      const shown = Math.abs(n) >= 100 ? Math.round(n * 10) / 10 : Math.round(n * 1000) / 1000;
      return { label, value: unit ? `${formatNumber(shown)} ${unit}` : formatNumber(shown) };
    });
  return { kind: "stat", cards };
}

function contextOf(answer: Obj, args: Obj | undefined): Context {
  const stats = isObj(answer.stats) ? answer.stats : {};
  const groupBy = isObj(args?.group_by) ? (str(args.group_by.field) ?? "bucket") : undefined;
  const groups = (Array.isArray(stats.groups) ? stats.groups : [])
    .filter((g): g is Obj => isObj(g) && g.group !== undefined && g.group !== null)
    .map((g) => ({ key: String(g.group), name: str(g.name) }));
  return {
    groups,
    chart: str(stats.chart) ?? str(args?.chart_type),
    field: str(stats.field) ?? str(args?.field),
    aggregation: str(stats.aggregation) ?? str(args?.aggregation_function),
    period: str(stats.time_period) ?? str(args?.time_period),
    unit: str(stats.unit),
    groupBy,
  };
}

/** The chart a data shape calls for; null when the shape is not one Cekura answers with. */
function chartFor(data: unknown, c: Context, stats: Obj): { chart: ChartSpec | null; notes: string[] } {
  if (isObj(data)) return { chart: statCards(data, stats.units), notes: [] };
  if (!Array.isArray(data) || data.length === 0 || !data.every(isObj)) return { chart: null, notes: [] };
  const first = data[0] as Obj;
  if ("time_interval" in first && "value" in first) return barChart(data as Obj[], c);
  if ("timestamp" in first && "value" in first) return lineChart(data as Obj[], c);
  if ("label" in first && "value" in first) return { chart: pieChart(data as Obj[]), notes: [] };
  return { chart: null, notes: [] };
}

function panelOf(answer: Obj, args: Obj | undefined): Panel {
  const summary = str(answer.summary);
  const c = contextOf(answer, args);
  const stats = isObj(answer.stats) ? answer.stats : {};
  const source = str(answer.source) ?? "not stated";
  const { chart, notes } = chartFor(answer.data, c, stats);
  return {
    question: questionOf(
      summary,
      [str(answer.name), c.chart ? `${c.chart} of ${c.field ?? "calls"}` : "Cekura answer"]
        .filter(Boolean)
        .join(": "),
    ),
    window: windowText(answer.window),
    source,
    notLive: !/^live\b/i.test(source),
    truncation: truncationText(answer.truncated, answer.data),
    notes: notesOf(summary),
    chart,
    chartNotes: notes,
    table: tableOf(answer.data),
  };
}

/** The result as panels (one per answer it holds), or the message of a failed call. */
export function viewModel(result: unknown, args?: unknown): ViewModel {
  if (!isObj(result)) return { ok: false, message: "The tool sent no result." };
  const text = Array.isArray(result.content)
    ? result.content
        .map((c) => (isObj(c) && typeof c.text === "string" ? c.text : ""))
        .filter(Boolean)
        .join("\n")
    : "";
  if (result.isError === true) return { ok: false, message: text || "The call failed." };
  const sc = result.structuredContent;
  const answers: Obj[] = [];
  if (isAnswer(sc)) answers.push(sc);
  else if (isObj(sc)) {
    for (const v of Object.values(sc)) {
      if (isAnswer(v)) answers.push(v);
      else if (Array.isArray(v)) for (const x of v) if (isAnswer(x)) answers.push(x);
    }
  }
  if (answers.length === 0) {
    return { ok: false, message: text || "The answer holds no data this view can draw." };
  }
  const a = isObj(args) ? args : undefined;
  return {
    ok: true,
    panels: answers.slice(0, MAX_PANELS).map((x) => panelOf(x, answers.length === 1 ? a : undefined)),
  };
}

const RELATIVE_START = /^(now|today)-(\d+)d$/;

function isTimestampStart(f: unknown): f is Obj {
  return isObj(f) && f.field === "timestamp" && (f.op === "gte" || f.op === "gt");
}

/** The whole days of the current window when it starts `now-Nd` / `today-Nd`; else undefined. */
export function currentDays(args: unknown): number | undefined {
  if (!isObj(args)) return undefined;
  const win = str(args.window);
  if (win) {
    const m = RELATIVE_START.exec(win);
    return m ? Number(m[2]) : undefined;
  }
  const f = args.filters;
  const conds = isObj(f) && Array.isArray(f.conditions) && f.operator === "and" ? f.conditions : [f];
  for (const c of conds) {
    if (isTimestampStart(c) && typeof c.value === "string") {
      const m = RELATIVE_START.exec(c.value);
      if (m) return Number(m[2]);
    }
  }
  return undefined;
}

/**
 * The same call over the last `days` days (`now-Nd`: `today-30d` would start more than 30 days
 * ago, past Cekura's limit). A tool with a `window` argument (get_widget_data: its `filters` are
 * ANDed into each widget's own) gets it set; otherwise the timestamp conditions at the top of
 * `filters` (a condition, or an `and` group) are replaced by one `timestamp gte now-Nd`, and any
 * other filter is kept and ANDed with it.
 */
export function reaskArguments(args: unknown, days: number, hasWindowArgument = false): Obj {
  const a: Obj = isObj(args) ? { ...args } : {};
  const start = { field: "timestamp", op: "gte", value: `now-${days}d` };
  if (hasWindowArgument || typeof a.window === "string") {
    a.window = `now-${days}d`;
    return a;
  }
  const f = a.filters;
  const isTime = (c: unknown) => isObj(c) && c.field === "timestamp";
  if (f === undefined || f === null || isTime(f)) a.filters = start;
  else if (isObj(f) && f.operator === "and" && Array.isArray(f.conditions)) {
    const rest = f.conditions.filter((c) => !isTime(c));
    a.filters = { ...f, conditions: [start, ...rest] };
  } else a.filters = { operator: "and", conditions: [start, f] };
  return a;
}
