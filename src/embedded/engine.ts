/**
 * The widget engine of the embedded backend: computes the body of
 * `POST /dashboards/widgets/preview_data/` (docs/cekura-api.md §3) over a CallStore.
 *
 * Where upstream is silent the rules are ours; each is marked ASSUMPTION where it is implemented
 * and listed in ENGINE_ASSUMPTIONS for the documentation.
 */
import { err, ok, type Result } from "../shared/errors.js";
import {
  type Aggregation,
  CHART_TYPES,
  type ChartType,
  type ConcreteDataType,
  combinationFor,
  displayName,
  findPlotField,
  GROUP_BY_CHARTS,
  METADATA_KEY,
  METRIC_VALUE_COMBINATIONS,
  MIN_BUCKET_INTERVAL_MS,
  PLOT_FIELDS,
  type TimePeriod,
} from "../widget/catalogue.js";
import { toIso } from "../widget/time.js";
import type { GroupBy, WidgetQuery } from "../widget/types.js";
import {
  Accumulator,
  type Bucketing,
  bucketingFor,
  intervalBucketing,
  needsValues,
  percentileCont,
} from "./aggregate.js";
import { type CompiledFilter, compileFilters, FilterError } from "./filter-eval.js";
import type { CallColumnName, CallStore, Column } from "./store.js";

export { CallStore, createCallStore } from "./store.js";

// ---------------------------------------------------------------------------------------------
// Response and error shapes

export interface LinePointOut {
  /** The call's id; null for a bucketed line (group_by bucket), whose points are aggregates. */
  id: number | null;
  /** ISO UTC, YYYY-MM-DDTHH:MM:SSZ. */
  timestamp: string;
  value: number;
  group?: string;
}
export interface BarItemOut {
  time_interval: string;
  value: number;
  sample_count: number;
  group?: string;
}
export interface PieSliceOut {
  label: string;
  value: number;
  percentage: number;
}
export interface StatOut {
  total_calls: number;
  success_rate: number | null;
  avg_duration: number | null;
  p95_latency: number | null;
}

export interface PreviewResponseBody {
  widget_id: null;
  field_name: string;
  chart_type: ChartType;
  data: LinePointOut[] | BarItemOut[] | PieSliceOut[] | StatOut;
  aggregation_function: Aggregation | null;
  time_period: TimePeriod | null;
  group_by: GroupBy | null;
  can_group_by: boolean;
  metadata: { display_name: string; data_type: ConcreteDataType; filter_value: number | null };
}

/** DRF-style error bodies: `{detail}` or field errors `{"<field>": ["message"]}`. */
export type DrfErrorBody = { detail: string } | { [field: string]: string[] };

/** A semantic error only the data can reveal, as the HTTP answer the service would give. */
export interface EngineError {
  status: number;
  body: DrfErrorBody;
}

const badRequest = (field: string, message: string): { ok: false; error: EngineError } =>
  err({ status: 400, body: { [field]: [message] } });

/** The rules of this backend where upstream is silent, for the documentation. */
export const ENGINE_ASSUMPTIONS: readonly string[] = [
  "A comparison with a null field value is false, neq included (SQL); only isnull matches nulls.",
  "eq null means isnull true and neq null means isnull false (Django's rule for exact=None).",
  "Null elements of an `in` list match nothing (SQL's IN).",
  "eq, neq and in on strings are case-sensitive exact matches; contains, startswith and endswith are case-insensitive; gt/gte/lt/lte on strings compare UTF-16 code units.",
  "regex is a JavaScript regular expression, case-sensitive, matched anywhere in the value; text operators on numbers, booleans and timestamps test the value's text (true/false, 12.5, 2026-01-02T03:04:05Z).",
  'Booleans order false before true for gt/gte/lt/lte; boolean values may be given as true/false or "true"/"false"; numbers as numbers or numeric strings.',
  "Metadata values are compared, grouped and plotted as strings (String(value)); a missing key is null.",
  "metric_evaluations.value: the condition value is coerced to each evaluation's own type (number, boolean or string); where it cannot be, the row does not match (neq included).",
  "Outside same_row, a metric_evaluations.* condition holds when ANY evaluation of the call satisfies it; inside same_row all conditions (nested groups included) must hold on ONE evaluation row. A call without evaluations matches no metric_evaluations.* condition, isnull included.",
  "A call-level condition inside same_row holds on every evaluation row of a call that passes it; a same_row group without any metric_evaluations.* condition is a plain and.",
  "An empty group (and, or or same_row) imposes no condition.",
  "A timestamp eq condition compares with the start form of its value (today = 00:00:00); timestamps are compared to the millisecond.",
  "When a call holds several evaluations of the plotted metric, its value is the first non-null one.",
  "Plotting a metric: binary → boolean, numeric and continuous_qualitative → numeric, enum → string (METRIC_VALUE_COMBINATIONS); a metric id not found in the call logs is a 400 on `metric`.",
  "The request's data_type is ignored: the data type always follows the field (and the metric's type).",
  "The request's dashboard id is ignored: the local backend has no saved dashboards.",
  "group_by applies to line and bar charts (can_group_by is true for them); on pie or stat it is a 400.",
  'group_by field: allowed fields are agent.id (alias agent_id), agent.agent_name, success, is_reviewed, call_ended_reason, dropoff_point, topic, customer_number and metadata.<key>; every item gains `group`, the value as a string ("true"/"false" for booleans); calls without a value form the group "null". Items are ordered by bucket (or timestamp, id) then group: numbers numerically, strings by code units, false before true, "null" last.',
  "group_by bucket {interval: N}: N is a whole number of milliseconds, at least 1000. On a bar chart it replaces time_period with buckets of N ms counted from the epoch; on a line chart the points become one per bucket {id: null, timestamp: bucket start, value} aggregated with aggregation_function (avg when not given).",
  "Line charts take numeric data only; line, bar and pie leave out calls whose plotted value is null.",
  "Bar value of count is the number of calls with a value in the bucket (= sample_count); avg of a boolean is the share of true; percentiles interpolate linearly (percentile_cont).",
  "Pie percentages are Math.round(count × 1000 / total) / 10 (halves round up).",
  'stat ignores field; total_calls counts the filtered calls; success_rate is over calls with a non-null success (null if none); avg_duration is over calls with a duration, in seconds (null if none); p95_latency is percentile_cont(0.95) of latency_ms over calls that have it (null if none). Its metadata is {display_name: "Calls", data_type: "numeric", filter_value: null}.',
  "aggregation_function and time_period are echoed only where they are used (bar; aggregation for a bucketed line), null otherwise.",
];

// ---------------------------------------------------------------------------------------------
// The plotted field

interface Plot {
  column: Column;
  dataType: ConcreteDataType;
  displayName: string;
  filterValue: number | null;
  charts: readonly ChartType[];
  aggregations: readonly Aggregation[];
  /** Where a chart/aggregation mismatch is reported: the metric's type, or the chart itself. */
  metricLabel?: string;
}

const PLOT_COLUMNS: Record<string, CallColumnName> = {
  duration: "duration",
  success: "success",
  is_reviewed: "is_reviewed",
  call_ended_reason: "call_ended_reason",
  dropoff_point: "dropoff_point",
  topic: "topic",
  agent_id: "agent.id",
};

const DISPLAY_NAMES: Record<string, string> = {
  duration: "Duration (s)",
  success: "Success",
  is_reviewed: "Reviewed",
  call_ended_reason: "Call ended reason",
  dropoff_point: "Drop-off point",
  topic: "Topic",
  agent_id: "Agent ID",
};

const PLOTTABLE = PLOT_FIELDS.map(displayName).join(", ");

function resolvePlot(store: CallStore, query: WidgetQuery): Result<Plot, EngineError> {
  const field = query.field;
  if (typeof field !== "string" || field === "") {
    return badRequest(
      "field",
      `This field is required for ${query.chart_type} charts; use one of ${PLOTTABLE}.`,
    );
  }
  const found = findPlotField(field);
  if (!found)
    return badRequest("field", `"${field}" is not a field that can be plotted; use one of ${PLOTTABLE}.`);
  if (found.entry.requiresMetric) {
    const metricId = query.metric;
    if (metricId === undefined || metricId === null) {
      return badRequest("metric", `This field is required when field is ${field}: give the metric id.`);
    }
    const info = typeof metricId === "number" ? store.metrics().get(metricId) : undefined;
    if (!info) {
      const known = [...store.metrics().values()]
        .slice(0, 20)
        .map((m) => `${m.id} (${m.name})`)
        .join(", ");
      return badRequest(
        "metric",
        `No metric with id ${JSON.stringify(metricId)} in these call logs${known ? `; known metrics: ${known}` : ""}.`,
      );
    }
    const combo = METRIC_VALUE_COMBINATIONS[info.eval_type] ?? METRIC_VALUE_COMBINATIONS.numeric;
    return ok({
      column: store.metricValueColumn(info.id, combo.dataType),
      dataType: combo.dataType,
      displayName: info.name,
      filterValue: info.id,
      charts: combo.charts,
      aggregations: combo.aggregations,
      metricLabel: `Metric ${info.id} ("${info.name}") is a ${info.eval_type} metric (${combo.dataType} values)`,
    });
  }
  let column: Column;
  let name: string;
  if (found.entry.prefix) {
    const key = found.key ?? "";
    if (!METADATA_KEY.test(key)) {
      return badRequest(
        "field",
        `${field}: use one top-level metadata key of letters, digits, _ and -, e.g. metadata.region.`,
      );
    }
    column = store.metadataColumn(key);
    name = `Metadata: ${key}`;
  } else {
    const col = PLOT_COLUMNS[field];
    if (!col) return badRequest("field", `"${field}" cannot be plotted by the local backend.`);
    column = store.column(col);
    name = DISPLAY_NAMES[field] ?? field;
  }
  const dataType = found.entry.dataType === "dynamic" ? "numeric" : found.entry.dataType;
  const combo = combinationFor(dataType);
  return ok({ column, dataType, displayName: name, filterValue: null, ...combo });
}

function checkChart(plot: Plot, query: WidgetQuery): Result<true, EngineError> {
  const chart = query.chart_type;
  if (plot.charts.includes(chart)) return ok(true);
  const alternatives = plot.charts.join(" or ");
  if (plot.metricLabel) {
    return badRequest(
      "metric",
      `${plot.metricLabel}; its values support only ${alternatives} charts, not ${chart}.`,
    );
  }
  return badRequest(
    "chart_type",
    `A ${chart} chart cannot plot ${query.field} (${plot.dataType} data); use ${alternatives}.`,
  );
}

function checkAggregation(
  plot: Plot,
  query: WidgetQuery,
  agg: Aggregation | undefined,
): Result<Aggregation, EngineError> {
  if (agg === undefined || agg === null) {
    return badRequest(
      "aggregation_function",
      `This field is required for bar charts; use one of ${plot.aggregations.join(", ")}.`,
    );
  }
  if (plot.aggregations.includes(agg)) return ok(agg);
  const allowed = plot.aggregations.length > 0 ? plot.aggregations.join(", ") : "none";
  if (plot.metricLabel)
    return badRequest(
      "metric",
      `${plot.metricLabel}; it cannot be aggregated with ${agg} (allowed: ${allowed}).`,
    );
  return badRequest(
    "aggregation_function",
    `${agg} cannot aggregate ${query.field} (${plot.dataType} data); use ${allowed}.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Group views: a column as small integer codes (-1 = null) with labels and an order

interface GroupView {
  codes: ArrayLike<number>;
  labels: readonly string[];
  /** Orders two codes (null, -1, last). */
  compare(a: number, b: number): number;
}

const NULL_LABEL = "null";
const groupViews = new WeakMap<Column, GroupView>();

function groupView(column: Column): GroupView {
  const hit = groupViews.get(column);
  if (hit) return hit;
  let view: GroupView;
  const nullsLast = (cmp: (a: number, b: number) => number) => (a: number, b: number) =>
    a === b ? 0 : a < 0 ? 1 : b < 0 ? -1 : cmp(a, b);
  if (column.kind === "str") {
    const dict = column.dict;
    view = {
      codes: column.codes,
      labels: dict,
      compare: nullsLast((a, b) => (dict[a]! < dict[b]! ? -1 : dict[a]! > dict[b]! ? 1 : 0)),
    };
  } else if (column.kind === "bool") {
    view = { codes: column.values, labels: ["false", "true"], compare: nullsLast((a, b) => a - b) };
  } else {
    const src = column.values;
    const codes = new Int32Array(src.length);
    const index = new Map<number, number>();
    const values: number[] = [];
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      if (Number.isNaN(v)) {
        codes[i] = -1;
        continue;
      }
      let c = index.get(v);
      if (c === undefined) {
        c = values.length;
        values.push(v);
        index.set(v, c);
      }
      codes[i] = c;
    }
    view = { codes, labels: values.map(String), compare: nullsLast((a, b) => values[a]! - values[b]!) };
  }
  groupViews.set(column, view);
  return view;
}

const labelOf = (view: GroupView, code: number): string => (code < 0 ? NULL_LABEL : view.labels[code]!);

/** The column behind each non-prefixed entry of the catalogue's GROUP_BY_FIELDS (a test keeps them equal). */
export const GROUP_COLUMNS: Record<string, CallColumnName> = {
  "agent.id": "agent.id",
  agent_id: "agent.id",
  "agent.agent_name": "agent.agent_name",
  success: "success",
  is_reviewed: "is_reviewed",
  call_ended_reason: "call_ended_reason",
  dropoff_point: "dropoff_point",
  topic: "topic",
  customer_number: "customer_number",
};

type Grouping =
  | { kind: "none" }
  | { kind: "field"; view: GroupView }
  | { kind: "bucket"; bucketing: Bucketing };

function resolveGrouping(store: CallStore, query: WidgetQuery): Result<Grouping, EngineError> {
  const g = query.group_by as GroupBy | null | undefined;
  if (g === undefined || g === null) return ok({ kind: "none" });
  if (!GROUP_BY_CHARTS.includes(query.chart_type)) {
    return badRequest("group_by", `group_by applies to line and bar charts only, not ${query.chart_type}.`);
  }
  if (g.type === "bucket") {
    const ms = g.interval;
    if (typeof ms !== "number" || !Number.isInteger(ms) || ms < MIN_BUCKET_INTERVAL_MS) {
      return badRequest(
        "group_by",
        `interval must be a whole number of milliseconds, at least ${MIN_BUCKET_INTERVAL_MS}.`,
      );
    }
    return ok({ kind: "bucket", bucketing: intervalBucketing(ms) });
  }
  if (g.type === "field") {
    const field = g.field;
    const allowed = `${Object.keys(GROUP_COLUMNS).join(", ")}, metadata.<key>`;
    if (typeof field !== "string")
      return badRequest("group_by", `field is required for a field group_by; use one of ${allowed}.`);
    const col = GROUP_COLUMNS[field];
    if (col) return ok({ kind: "field", view: groupView(store.column(col)) });
    if (field.startsWith("metadata.")) {
      const key = field.slice("metadata.".length);
      if (METADATA_KEY.test(key)) return ok({ kind: "field", view: groupView(store.metadataColumn(key)) });
    }
    return badRequest("group_by", `"${field}" cannot be grouped by; use one of ${allowed}.`);
  }
  return badRequest("group_by", `type must be field or bucket.`);
}

// ---------------------------------------------------------------------------------------------
// Charts

/** The API's timestamp form: whole seconds, `YYYY-MM-DDTHH:MM:SSZ`. */
export const isoSeconds = (ms: number): string => toIso(Math.floor(ms / 1000) * 1000);

function barData(
  store: CallStore,
  cf: CompiledFilter,
  values: Float64Array,
  bucketing: Bucketing,
  agg: Aggregation,
  group: GroupView | undefined,
): BarItemOut[] {
  const out: BarItemOut[] = [];
  const ts = store.timestamps;
  const pred = cf.pred;
  const keep = needsValues(agg);
  let bucketStart = Number.NaN;
  let bucketEnd = Number.NEGATIVE_INFINITY;
  let acc: Accumulator | undefined;
  let groups: Map<number, Accumulator> | undefined;
  const flush = () => {
    if (acc)
      out.push({ time_interval: isoSeconds(bucketStart), value: acc.result(agg), sample_count: acc.count });
    if (groups && group) {
      const interval = isoSeconds(bucketStart);
      for (const code of [...groups.keys()].sort(group.compare)) {
        const a = groups.get(code)!;
        out.push({
          time_interval: interval,
          group: labelOf(group, code),
          value: a.result(agg),
          sample_count: a.count,
        });
      }
    }
  };
  const codes = group?.codes;
  for (let i = cf.lo; i < cf.hi; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (pred !== null && !pred(i)) continue;
    const t = ts[i]!;
    if (t >= bucketEnd) {
      flush();
      bucketStart = bucketing.start(t);
      bucketEnd = bucketing.next(bucketStart);
      if (codes) groups = new Map();
      else acc = new Accumulator(keep);
    }
    if (codes) {
      const c = codes[i]!;
      let a = groups!.get(c);
      if (!a) {
        a = new Accumulator(keep);
        groups!.set(c, a);
      }
      a.add(v);
    } else {
      acc!.add(v);
    }
  }
  flush();
  return out;
}

function lineData(
  store: CallStore,
  cf: CompiledFilter,
  values: Float64Array,
  group: GroupView | undefined,
): LinePointOut[] {
  const out: LinePointOut[] = [];
  const ts = store.timestamps;
  const rows = store.rows;
  const pred = cf.pred;
  let lastSecond = Number.NaN;
  let lastIso = "";
  for (let i = cf.lo; i < cf.hi; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (pred !== null && !pred(i)) continue;
    const second = Math.floor(ts[i]! / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      lastIso = toIso(second * 1000);
    }
    const point: LinePointOut = { id: rows[i]!.id, timestamp: lastIso, value: v };
    if (group) point.group = labelOf(group, group.codes[i]!);
    out.push(point);
  }
  return out;
}

function pieData(cf: CompiledFilter, column: Column): PieSliceOut[] {
  const view = groupView(column);
  const codes = view.codes;
  const counts = new Float64Array(view.labels.length);
  const pred = cf.pred;
  let total = 0;
  for (let i = cf.lo; i < cf.hi; i++) {
    const c = codes[i]!;
    if (c < 0) continue;
    if (pred !== null && !pred(i)) continue;
    counts[c]!++;
    total++;
  }
  const out: PieSliceOut[] = [];
  for (let c = 0; c < counts.length; c++) {
    const n = counts[c]!;
    if (n > 0)
      out.push({ label: view.labels[c]!, value: n, percentage: Math.round((n * 1000) / total) / 10 });
  }
  out.sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return out;
}

function statData(store: CallStore, cf: CompiledFilter): StatOut {
  const success = store.column("success");
  const duration = store.column("duration");
  const latency = store.column("latency_ms");
  const sv = store.numericView(success);
  const dv = store.numericView(duration);
  const lv = store.numericView(latency);
  const pred = cf.pred;
  let total = 0;
  let known = 0;
  let succeeded = 0;
  let durSum = 0;
  let durCount = 0;
  const latencies: number[] = [];
  for (let i = cf.lo; i < cf.hi; i++) {
    if (pred !== null && !pred(i)) continue;
    total++;
    const s = sv[i]!;
    if (!Number.isNaN(s)) {
      known++;
      succeeded += s;
    }
    const d = dv[i]!;
    if (!Number.isNaN(d)) {
      durSum += d;
      durCount++;
    }
    const l = lv[i]!;
    if (!Number.isNaN(l)) latencies.push(l);
  }
  return {
    total_calls: total,
    success_rate: known > 0 ? succeeded / known : null,
    avg_duration: durCount > 0 ? durSum / durCount : null,
    p95_latency: latencies.length > 0 ? percentileCont(Float64Array.from(latencies).sort(), 0.95) : null,
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Computes the preview_data body for `query` over `store`; `now` (epoch ms) anchors relative
 * datetimes. Errors are the 400s only the data can reveal; the query is expected to have passed
 * validateWidgetQuery, but nothing here relies on it beyond the types.
 */
export function computeWidget(
  store: CallStore,
  query: WidgetQuery,
  now: number,
): Result<PreviewResponseBody, EngineError> {
  const chart = query.chart_type;
  if (!CHART_TYPES.includes(chart)) {
    return badRequest("chart_type", `${JSON.stringify(chart)} is not a valid choice.`);
  }
  let cf: CompiledFilter;
  try {
    cf = compileFilters(
      store,
      [
        { source: "filters", filter: query.filters },
        { source: "dashboard_filters", filter: query.dashboard_filters },
      ],
      now,
    );
  } catch (e) {
    if (e instanceof FilterError) return badRequest(e.source, e.message);
    throw e;
  }

  const grouping = resolveGrouping(store, query);
  if (!grouping.ok) return grouping;
  const groupBy = grouping.value.kind === "none" ? null : (query.group_by ?? null);

  if (chart === "stat") {
    return ok({
      widget_id: null,
      field_name: query.field ?? "",
      chart_type: chart,
      data: statData(store, cf),
      aggregation_function: null,
      time_period: null,
      group_by: null,
      can_group_by: false,
      metadata: { display_name: "Calls", data_type: "numeric", filter_value: null },
    });
  }

  const plot = resolvePlot(store, query);
  if (!plot.ok) return plot;
  const p = plot.value;
  const chartOk = checkChart(p, query);
  if (!chartOk.ok) return chartOk;

  let data: PreviewResponseBody["data"];
  let aggregation: Aggregation | null = null;
  let timePeriod: TimePeriod | null = null;
  const g = grouping.value;
  const groupField = g.kind === "field" ? g.view : undefined;

  if (chart === "pie") {
    data = pieData(cf, p.column);
  } else if (chart === "line") {
    if (g.kind === "bucket") {
      const agg = checkAggregation(p, query, query.aggregation_function ?? "avg");
      if (!agg.ok) return agg;
      aggregation = agg.value;
      data = barData(store, cf, store.numericView(p.column), g.bucketing, agg.value, undefined).map((b) => ({
        id: null,
        timestamp: b.time_interval,
        value: b.value,
      }));
    } else {
      data = lineData(store, cf, store.numericView(p.column), groupField);
    }
  } else {
    const agg = checkAggregation(p, query, query.aggregation_function);
    if (!agg.ok) return agg;
    aggregation = agg.value;
    let bucketing: Bucketing;
    if (g.kind === "bucket") {
      bucketing = g.bucketing;
      timePeriod = query.time_period ?? null;
    } else {
      const period = query.time_period;
      if (period !== "hour" && period !== "day" && period !== "week" && period !== "month") {
        return badRequest(
          "time_period",
          "This field is required for bar charts; use hour, day, week or month.",
        );
      }
      bucketing = bucketingFor(period);
      timePeriod = period;
    }
    data = barData(store, cf, store.numericView(p.column), bucketing, agg.value, groupField);
  }

  return ok({
    widget_id: null,
    field_name: query.field ?? "",
    chart_type: chart,
    data,
    aggregation_function: aggregation,
    time_period: timePeriod,
    group_by: groupBy,
    can_group_by: chart === "bar" || chart === "line",
    metadata: { display_name: p.displayName, data_type: p.dataType, filter_value: p.filterValue },
  });
}
