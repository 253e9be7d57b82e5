/**
 * The widget engine of the embedded backend: computes the body of
 * `POST /dashboards/widgets/preview_data/` (docs/cekura-api.md §3) over a CallStore.
 *
 * Queries arrive validated (src/widget/validate.ts, by the MCP tool in process, or by the loopback
 * listener): chart, field, combinations, bar arguments, group_by and filters are already right.
 * What is left here are the checks only the data can make: a metric id these calls do not hold,
 * and what that metric's type allows. Where upstream is silent the rules are ours; each is marked
 * ASSUMPTION where it is implemented and listed in ENGINE_ASSUMPTIONS for the documentation.
 */
import { ok, type Result } from "../shared/errors.js";
import {
  type Aggregation,
  type ChartType,
  type ConcreteDataType,
  findGroupByField,
  findPlotField,
  METRIC_VALUE_COMBINATIONS,
} from "../widget/catalogue.js";
import type { WidgetQuery } from "../widget/types.js";
import { type Bucketing, bucketingFor, intervalBucketing } from "./aggregate.js";
import { barData, type GroupView, groupView, lineData, pieData, statData } from "./charts.js";
import { badRequest, type EngineError, type PreviewResponseBody } from "./engine-answer.js";
import { compileFilters } from "./filter-eval.js";
import { type CallStore, type Column, callColumnOf } from "./store.js";

export type {
  BarItemOut,
  DrfErrorBody,
  EngineError,
  LinePointOut,
  PieSliceOut,
  PreviewResponseBody,
  StatOut,
} from "./engine-answer.js";
export { CallStore, createCallStore } from "./store.js";

/** The rules of this backend where upstream is silent, for the documentation. */
export const ENGINE_ASSUMPTIONS: readonly string[] = [
  "A comparison with a null field value is false, neq included (SQL); only isnull matches nulls.",
  "eq, neq and in on strings are case-sensitive exact matches; contains, startswith and endswith are case-insensitive; gt/gte/lt/lte on strings compare UTF-16 code units.",
  "Boolean metric values order false before true for gt/gte/lt/lte.",
  "Metadata values are compared, grouped and plotted as strings (String(value)); a missing key is null.",
  "metric_evaluations.value: the condition value is coerced to each evaluation's own type (number, boolean or string); where it cannot be, the row does not match (neq included).",
  "Outside same_row, a metric_evaluations.* condition holds when ANY evaluation of the call satisfies it; inside same_row all conditions (nested groups included) must hold on ONE evaluation row. A call without evaluations matches no metric_evaluations.* condition.",
  "A call-level condition inside same_row holds on every evaluation row of a call that passes it; a same_row group without any metric_evaluations.* condition is a plain and.",
  "A timestamp eq condition compares with the start form of its value (today = 00:00:00); timestamps are compared to the millisecond.",
  "When a call holds several evaluations of the plotted metric, its value is the first non-null one.",
  "Plotting a metric: binary → boolean, numeric and continuous_qualitative → numeric, enum → string (METRIC_VALUE_COMBINATIONS); a metric id not found in the call logs is a 400 on `metric`.",
  "The request's data_type is ignored: the data type always follows the field (and the metric's type).",
  "The request's dashboard id is ignored: the embedded backend has no saved dashboards.",
  "group_by applies to line and bar charts (can_group_by is true for them); on pie or stat it is a 400.",
  'group_by field: allowed fields are agent.id (alias agent_id), agent.agent_name, success, is_reviewed, call_ended_reason, dropoff_point, topic, customer_number and metadata.<key>; every item gains `group`, the value as a string ("true"/"false" for booleans); calls without a value form the group "null". Items are ordered by bucket (or timestamp, id) then group: numbers numerically, strings by code units, false before true, "null" last.',
  "group_by bucket {interval: N}: N is a whole number of milliseconds, at least 1000. On a bar chart it replaces time_period with buckets of N ms counted from the epoch; on a line chart the points become one per bucket {id: null, timestamp: bucket start, value} aggregated with aggregation_function (avg when not given).",
  "Line charts take numeric data only; line, bar and pie leave out calls whose plotted value is null.",
  "Bar value of count is the number of calls with a value in the bucket (= sample_count); avg of a boolean is the share of true; percentiles interpolate linearly (percentile_cont).",
  "Pie percentages are Math.round(count × 1000 / total) / 10 (halves round up).",
  'stat ignores field; total_calls counts the filtered calls; success_rate is over calls with a non-null success (null if none); avg_duration is over calls with a duration, in seconds (null if none); p95_latency is percentile_cont(0.95) of latency_ms over calls that have it (null if none). Its metadata is {display_name: "Calls", data_type: "numeric", filter_value: null}.',
  "aggregation_function and time_period are echoed only where they are used (bar; aggregation for a bucketed line), null otherwise.",
];

/** The plotted field: its column, the answer's metadata, and (for a metric) what its type allows. */
interface Plot {
  column: Column;
  dataType: ConcreteDataType;
  displayName: string;
  filterValue: number | null;
  /** For a metric value, known only from the data: its type's charts, aggregations and wording. */
  metric?: { charts: readonly ChartType[]; aggregations: readonly Aggregation[]; label: string };
}

/** A column the store lacks for a field the catalogue lists is a bug (a test pairs the two). */
function columnFor(store: CallStore, field: { name: string; column?: string }): Column {
  const name = callColumnOf(field);
  if (!name) throw new Error(`${field.name}: no call column in the store.`);
  return store.column(name);
}

function resolvePlot(
  store: CallStore,
  field: string,
  metricId: number | undefined,
): Result<Plot, EngineError> {
  const found = findPlotField(field);
  if (!found) throw new Error(`${field}: not a plot field (the validator refuses it).`);
  const { entry, key } = found;
  if (entry.requiresMetric) {
    const info = metricId === undefined ? undefined : store.metrics().get(metricId);
    if (!info) {
      const known = [...store.metrics().values()]
        .slice(0, 20)
        .map((m) => `${m.id} (${m.name})`)
        .join(", ");
      return badRequest(
        "metric",
        `No metric with id ${JSON.stringify(metricId ?? null)} in these call logs${known ? `; known metrics: ${known}` : ""}.`,
      );
    }
    const combo = METRIC_VALUE_COMBINATIONS[info.eval_type] ?? METRIC_VALUE_COMBINATIONS.numeric;
    return ok({
      column: store.metricValueColumn(info.id, combo.dataType),
      dataType: combo.dataType,
      displayName: info.name,
      filterValue: info.id,
      metric: {
        charts: combo.charts,
        aggregations: combo.aggregations,
        label: `Metric ${info.id} ("${info.name}") is a ${info.eval_type} metric (${combo.dataType} values)`,
      },
    });
  }
  const dataType = entry.dataType === "dynamic" ? "numeric" : entry.dataType;
  if (key !== undefined) {
    return ok({
      column: store.metadataColumn(key),
      dataType,
      displayName: `Metadata: ${key}`,
      filterValue: null,
    });
  }
  return ok({
    column: columnFor(store, entry),
    dataType,
    displayName: entry.label ?? field,
    filterValue: null,
  });
}

/** What a metric's type allows, checked once the data has told us the type. */
function checkMetric(plot: Plot, chart: ChartType, agg: Aggregation | undefined): Result<true, EngineError> {
  const m = plot.metric;
  if (!m) return ok(true);
  if (!m.charts.includes(chart)) {
    return badRequest(
      "metric",
      `${m.label}; its values support only ${m.charts.join(" or ")} charts, not ${chart}.`,
    );
  }
  if (agg !== undefined && !m.aggregations.includes(agg)) {
    const allowed = m.aggregations.length > 0 ? m.aggregations.join(", ") : "none";
    return badRequest("metric", `${m.label}; it cannot be aggregated with ${agg} (allowed: ${allowed}).`);
  }
  return ok(true);
}

type Grouping =
  | { kind: "none" }
  | { kind: "field"; view: GroupView }
  | { kind: "bucket"; bucketing: Bucketing };

function grouping(store: CallStore, query: WidgetQuery): Grouping {
  const g = query.group_by;
  if (g === undefined) return { kind: "none" };
  if (g.type === "bucket") return { kind: "bucket", bucketing: intervalBucketing(g.interval) };
  const found = findGroupByField(g.field);
  if (!found) throw new Error(`${g.field}: not a group_by field (the validator refuses it).`);
  const column = found.key !== undefined ? store.metadataColumn(found.key) : columnFor(store, found.entry);
  return { kind: "field", view: groupView(column) };
}

/**
 * Computes the preview_data body for a validated `query` over `store`; `now` (epoch ms) anchors
 * relative datetimes. Errors are the 400s only the data can reveal.
 */
export function computeWidget(
  store: CallStore,
  query: WidgetQuery,
  now: number,
): Result<PreviewResponseBody, EngineError> {
  const chart = query.chart_type;
  const cf = compileFilters(store, [query.filters, query.dashboard_filters], now);
  const g = grouping(store, query);

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

  const plot = resolvePlot(store, query.field ?? "", query.metric);
  if (!plot.ok) return plot;
  const p = plot.value;
  const bucketedLine = chart === "line" && g.kind === "bucket";
  const aggregation = chart === "bar" ? query.aggregation_function : bucketedLine ? "avg" : undefined;
  const allowed = checkMetric(p, chart, aggregation);
  if (!allowed.ok) return allowed;

  let data: PreviewResponseBody["data"];
  let timePeriod = null;
  const groupField = g.kind === "field" ? g.view : undefined;
  if (chart === "pie") {
    data = pieData(cf, p.column);
  } else if (chart === "line") {
    data =
      g.kind === "bucket"
        ? barData(store, cf, store.numericView(p.column), g.bucketing, "avg", undefined).map((b) => ({
            id: null,
            timestamp: b.time_interval,
            value: b.value,
          }))
        : lineData(store, cf, store.numericView(p.column), groupField);
  } else {
    // The validator requires aggregation_function and time_period on bar charts.
    const agg = query.aggregation_function ?? "count";
    timePeriod = query.time_period ?? null;
    const bucketing = g.kind === "bucket" ? g.bucketing : bucketingFor(query.time_period ?? "day");
    data = barData(store, cf, store.numericView(p.column), bucketing, agg, groupField);
  }

  return ok({
    widget_id: null,
    field_name: query.field ?? "",
    chart_type: chart,
    data,
    aggregation_function: aggregation ?? null,
    time_period: timePeriod,
    group_by: g.kind === "none" ? null : (query.group_by ?? null),
    can_group_by: chart === "bar" || chart === "line",
    metadata: { display_name: p.displayName, data_type: p.dataType, filter_value: p.filterValue },
  });
}
