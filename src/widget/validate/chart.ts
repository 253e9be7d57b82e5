/** Chart and field: the scalar arguments, the plotted field against the chart, and metric. */
import {
  AGGREGATIONS,
  type Aggregation,
  CHART_TYPES,
  type ChartType,
  combinationFor,
  DATA_TYPES,
  type DataType,
  displayName,
  findPlotField,
  METADATA_KEY,
  NAME_MAX_LENGTH,
  PLOT_FIELDS,
  TIME_PERIODS,
  type TimePeriod,
} from "../catalogue.js";
import { didYouMean } from "../suggest.js";
import { type Collector, type Dict, list, show } from "./issues.js";
import { enumValue, integerValue } from "./lenient.js";

/** The arguments read so far; undefined = absent or refused (an issue says which). */
export interface ChartArguments {
  chart?: ChartType;
  aggregation?: Aggregation;
  period?: TimePeriod;
  dataType?: DataType;
  metric?: number;
  dashboard?: number;
  name?: string;
  field?: string;
  /** The data type of the plotted field, once it is known to fit the chart. */
  plotType?: DataType;
}

export const QUERY_EXAMPLE = {
  chart_type: "bar",
  field: "success",
  aggregation_function: "avg",
  time_period: "day",
};

const PLOT_FIELD_NAMES = PLOT_FIELDS.map(displayName);

/** Reads chart_type, the enums, metric, dashboard, name and field, then checks them together. */
export function readChartAndField(a: Dict, c: Collector): ChartArguments {
  const s = readScalars(a, c);
  if (a.field !== undefined) {
    if (typeof a.field !== "string" || a.field.length > NAME_MAX_LENGTH) {
      c.add(
        "field",
        `field must be a string naming what to plot; got ${show(a.field)}.`,
        undefined,
        QUERY_EXAMPLE,
      );
    } else s.field = a.field.trim();
  }
  if (s.chart === "stat") {
    if (s.field !== undefined)
      c.add(
        "field",
        `stat charts take no field; they return total_calls, success_rate, avg_duration, p95_latency.`,
        "Leave field out.",
        { chart_type: "stat" },
      );
  } else if (s.chart !== undefined) {
    if (s.field === undefined) {
      c.add(
        "field",
        `${s.chart} charts need a field to plot: ${list(PLOT_FIELD_NAMES)}.`,
        undefined,
        QUERY_EXAMPLE,
      );
    } else checkPlotField(a, s, s.chart, s.field, c);
  }
  if (s.metric !== undefined && !(s.field !== undefined && findPlotField(s.field)?.entry.requiresMetric)) {
    c.add(
      "metric",
      `metric applies only with field metric_evaluations.value; field is ${s.field}.`,
      undefined,
      {
        chart_type: s.chart ?? "line",
        field: "metric_evaluations.value",
        metric: s.metric,
      },
    );
  }
  return s;
}

function readScalars(a: Dict, c: Collector): ChartArguments {
  const s: ChartArguments = {};
  if (a.chart_type === undefined) {
    c.add("chart_type", `chart_type is required: one of ${list(CHART_TYPES)}.`, undefined, QUERY_EXAMPLE);
  } else {
    s.chart = enumValue(a.chart_type, CHART_TYPES, "chart_type", c, QUERY_EXAMPLE);
  }
  if (a.aggregation_function !== undefined)
    s.aggregation = enumValue(a.aggregation_function, AGGREGATIONS, "aggregation_function", c, QUERY_EXAMPLE);
  if (a.time_period !== undefined)
    s.period = enumValue(a.time_period, TIME_PERIODS, "time_period", c, QUERY_EXAMPLE);
  if (a.data_type !== undefined)
    s.dataType = enumValue(a.data_type, DATA_TYPES, "data_type", c, QUERY_EXAMPLE);
  if (a.metric !== undefined)
    s.metric = integerValue(a.metric, "metric", c, { field: "metric_evaluations.value", metric: 101 });
  if (a.dashboard !== undefined) s.dashboard = integerValue(a.dashboard, "dashboard", c, { dashboard: 7 });
  if (a.name !== undefined) {
    if (typeof a.name === "string" && a.name.length <= NAME_MAX_LENGTH) s.name = a.name;
    else c.add("name", `name must be a string of at most ${NAME_MAX_LENGTH} characters.`);
  }
  return s;
}

/** The field of a line, bar or pie chart: known, a valid metadata key, and plottable as this chart. */
function checkPlotField(a: Dict, s: ChartArguments, chart: ChartType, field: string, c: Collector): void {
  const found = findPlotField(field);
  if (!found) {
    const hint = field.startsWith("agent")
      ? ' For the agent use "agent_id".'
      : didYouMean(field, PLOT_FIELD_NAMES);
    c.add("field", `Unknown field "${field}".${hint} Fields: ${list(PLOT_FIELD_NAMES)}.`);
    return;
  }
  if (found.key !== undefined && !METADATA_KEY.test(found.key)) {
    c.add(
      "field",
      found.key.includes(".")
        ? `"${field}": metadata keys are top-level only (metadata.a.b is refused).`
        : `"${field}": name one metadata key, e.g. metadata.region.`,
      undefined,
      { chart_type: "pie", field: "metadata.region" },
    );
    return;
  }
  const plotType = found.entry.dataType;
  s.plotType = plotType;
  if (found.entry.requiresMetric && s.metric === undefined && a.metric === undefined) {
    c.add("metric", `field ${field} needs metric: the id of the metric to plot.`, undefined, {
      chart_type: chart,
      field,
      metric: 101,
    });
  }
  const combo = combinationFor(plotType);
  if (!combo.charts.includes(chart)) {
    c.add(
      "chart_type",
      `${field} is ${plotType === "dynamic" ? "a metric value" : `${plotType} data`}; it plots as ${list(combo.charts)}, not ${chart}.`,
      undefined,
      combo.charts.includes("bar")
        ? { chart_type: "bar", field, aggregation_function: combo.aggregations[0], time_period: "day" }
        : { chart_type: combo.charts[0], field },
    );
  } else if (chart === "bar" && s.aggregation !== undefined && !combo.aggregations.includes(s.aggregation)) {
    c.add(
      "aggregation_function",
      `${s.aggregation} does not apply to ${field} (${plotType}); use ${list(combo.aggregations)}.`,
      undefined,
      {
        chart_type: "bar",
        field,
        aggregation_function: combo.aggregations.at(-1),
        time_period: s.period ?? "day",
      },
    );
  }
  if (s.dataType !== undefined && plotType !== "dynamic" && s.dataType !== plotType) {
    c.add(
      "data_type",
      `${field} is ${plotType} data, not ${s.dataType}.`,
      "Leave data_type out; the service infers it.",
    );
  }
}
