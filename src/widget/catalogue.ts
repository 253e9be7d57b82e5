/**
 * The one table of the widget domain: chart types, aggregations, plot fields with their data
 * types, filter fields with their value types and operators, and the valid combinations.
 *
 * Everything else reads it: the zod input schema and its JSON Schema, the validation rules and
 * their messages, the reference resource, and the embedded engine. Do not restate any of it
 * elsewhere. Source: docs/cekura-api.md; entries marked ASSUMPTION are our rules where the
 * upstream documentation is silent ("Our rule" there).
 */

export const CHART_TYPES = ["line", "bar", "pie", "stat"] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export const AGGREGATIONS = ["count", "sum", "avg", "min", "max", "p50", "p95", "p99"] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
export const PERCENTILES: readonly Aggregation[] = ["p50", "p95", "p99"];

export const TIME_PERIODS = ["hour", "day", "week", "month"] as const;
export type TimePeriod = (typeof TIME_PERIODS)[number];

export const DATA_TYPES = ["numeric", "boolean", "string", "datetime", "dynamic"] as const;
export type DataType = (typeof DATA_TYPES)[number];
export type ConcreteDataType = Exclude<DataType, "dynamic">;

/** The operators some field allows (upstream also lists `regex`, which no field takes). */
export const OPERATORS = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "contains",
  "startswith",
  "endswith",
  "in",
  "isnull",
] as const;
export type Operator = (typeof OPERATORS)[number];

export const GROUP_OPERATORS = ["and", "or", "same_row"] as const;
export type GroupOperator = (typeof GROUP_OPERATORS)[number];

export const GROUP_BY_TYPES = ["field", "bucket"] as const;
export type GroupByType = (typeof GROUP_BY_TYPES)[number];

/** Which charts and aggregations a plotted data type allows (docs/cekura-api.md §1, "Valid combinations"). */
export const COMBINATIONS: Record<
  ConcreteDataType,
  { charts: readonly ChartType[]; aggregations: readonly Aggregation[] }
> = {
  // ASSUMPTION: percentiles are allowed for numeric data only.
  numeric: {
    charts: ["line", "bar"],
    aggregations: ["count", "sum", "avg", "min", "max", "p50", "p95", "p99"],
  },
  boolean: { charts: ["pie", "bar"], aggregations: ["count", "avg"] },
  string: { charts: ["pie", "bar"], aggregations: ["count"] },
  datetime: { charts: ["line", "bar"], aggregations: ["count", "min", "max"] },
};

/**
 * Metric evaluation types and the data type their values plot as. ASSUMPTION: the guide does not
 * say how binary and rating map; binary is boolean, a rating (continuous_qualitative) numeric.
 */
export const METRIC_EVAL_TYPES = ["binary", "numeric", "continuous_qualitative", "enum"] as const;
export type MetricEvalType = (typeof METRIC_EVAL_TYPES)[number];
export const METRIC_VALUE_COMBINATIONS: Record<
  MetricEvalType,
  { dataType: ConcreteDataType; charts: readonly ChartType[]; aggregations: readonly Aggregation[] }
> = {
  binary: { dataType: "boolean", ...COMBINATIONS.boolean },
  numeric: {
    dataType: "numeric",
    charts: ["line", "bar", "pie"],
    aggregations: COMBINATIONS.numeric.aggregations,
  },
  continuous_qualitative: {
    dataType: "numeric",
    charts: ["line", "bar", "pie"],
    aggregations: COMBINATIONS.numeric.aggregations,
  },
  enum: { dataType: "string", charts: ["pie"], aggregations: [] },
};

/** What a metric value allows before we know the metric's type: the union of every type's. */
export const DYNAMIC_COMBINATION = {
  charts: ["line", "bar", "pie"] as readonly ChartType[],
  aggregations: AGGREGATIONS as readonly Aggregation[],
};

export interface PlotField {
  /** Exact field name, or a prefix ending in "." for families such as `metadata.`. */
  name: string;
  prefix?: boolean;
  dataType: DataType;
  /** Unit of the plotted value, where known. */
  unit?: string;
  description: string;
  /** `metric` (a metric id) must be given with this field. */
  requiresMetric?: boolean;
  /** How an answer names the plotted value (metadata and metric values are named by their key or metric). */
  label?: string;
  /** The call-log column behind the field where it is not the field's name (the embedded engine reads it). */
  column?: string;
}

export const PLOT_FIELDS: readonly PlotField[] = [
  {
    name: "duration",
    dataType: "numeric",
    unit: "s",
    description: "call duration in seconds",
    label: "Duration (s)",
  },
  { name: "success", dataType: "boolean", description: "whether the call succeeded", label: "Success" },
  {
    name: "is_reviewed",
    dataType: "boolean",
    description: "whether someone reviewed the call",
    label: "Reviewed",
  },
  {
    name: "call_ended_reason",
    dataType: "string",
    description: "why the call ended",
    label: "Call ended reason",
  },
  {
    name: "dropoff_point",
    dataType: "string",
    description: "where in the flow the caller dropped off",
    label: "Drop-off point",
  },
  { name: "topic", dataType: "string", description: "the call's topic", label: "Topic" },
  {
    name: "agent_id",
    dataType: "numeric",
    description: "the id of the agent that took the call",
    label: "Agent ID",
    column: "agent.id",
  },
  {
    name: "metadata.",
    prefix: true,
    dataType: "string",
    description: "a top-level key of the call's metadata, e.g. metadata.region",
  },
  {
    name: "metric_evaluations.value",
    dataType: "dynamic",
    requiresMetric: true,
    description: "the value of one metric's evaluation; set `metric` to the metric id",
  },
];

/** Value types of filter fields. `datetime` values are relative (now-7d, today) or ISO 8601 strings. */
export type ValueType = "integer" | "number" | "boolean" | "string" | "datetime" | "dynamic";

export interface FilterField {
  name: string;
  prefix?: boolean;
  valueType: ValueType;
  operators: readonly Operator[];
  description: string;
  /** Marks rules that are ours because the guide is silent. */
  assumption?: string;
  /** Fields that may appear inside a `same_row` group. */
  metricRow?: boolean;
}

const COMPARISONS: readonly Operator[] = ["eq", "neq", "gt", "gte", "lt", "lte"];

export const FILTER_FIELDS: readonly FilterField[] = [
  {
    name: "id",
    valueType: "integer",
    operators: ["eq", "in", "gt", "gte", "lt", "lte"],
    description: "call id",
  },
  {
    name: "success",
    valueType: "boolean",
    operators: ["eq", "neq", "isnull"],
    description: "call succeeded",
  },
  {
    name: "duration",
    valueType: "number",
    operators: ["eq", "gt", "gte", "lt", "lte"],
    description: "duration in seconds",
  },
  {
    name: "customer_number",
    valueType: "string",
    operators: ["eq", "neq", "contains", "startswith", "in"],
    description: "caller's phone number",
  },
  {
    name: "call_ended_reason",
    valueType: "string",
    operators: ["eq", "neq", "contains", "in"],
    description: "why the call ended",
  },
  {
    name: "dropoff_point",
    valueType: "string",
    operators: ["eq", "neq", "contains", "in", "isnull"],
    description: "where the caller dropped off",
  },
  {
    name: "topic",
    valueType: "string",
    operators: ["eq", "neq", "contains", "in", "isnull"],
    description: "call topic",
  },
  {
    name: "timestamp",
    valueType: "datetime",
    operators: ["eq", "gt", "gte", "lt", "lte"],
    description: "call start (UTC): now, today, now-7d, today-1M or ISO 8601",
  },
  { name: "is_reviewed", valueType: "boolean", operators: ["eq"], description: "call was reviewed" },
  {
    name: "agent.id",
    valueType: "integer",
    operators: ["eq", "neq", "in"],
    description: "agent id",
    assumption: "operators not listed upstream; we allow eq, neq, in",
  },
  {
    name: "agent.agent_name",
    valueType: "string",
    operators: ["eq", "neq", "contains", "in"],
    description: "agent name",
    assumption: "operators not listed upstream; we allow eq, neq, contains, in",
  },
  {
    name: "metadata.",
    prefix: true,
    valueType: "string",
    operators: ["eq", "neq", "contains", "startswith", "endswith", "in", "isnull"],
    description: "a top-level metadata key, e.g. metadata.region",
  },
  {
    name: "metric_evaluations.value",
    valueType: "dynamic",
    operators: COMPARISONS,
    description: "a metric evaluation's value (number, boolean or string)",
    metricRow: true,
  },
  {
    name: "metric_evaluations.metric.id",
    valueType: "integer",
    operators: ["eq", "in"],
    description: "the evaluated metric's id",
    metricRow: true,
  },
  {
    name: "metric_evaluations.metric.name",
    valueType: "string",
    operators: ["eq", "neq", "contains", "in"],
    description: "the evaluated metric's name",
    metricRow: true,
  },
];

/**
 * group_by (newer upstream, undocumented). ASSUMPTION, shared by validation and the embedded engine:
 * it applies to line and bar charts; a field group takes one of these fields (or metadata.<key>);
 * a bucket group takes an interval of whole milliseconds, at least MIN_BUCKET_INTERVAL_MS.
 */
export const GROUP_BY_CHARTS: readonly ChartType[] = ["line", "bar"];
export const GROUP_BY_FIELDS: readonly { name: string; prefix?: boolean; column?: string }[] = [
  { name: "agent.id" },
  { name: "agent_id", column: "agent.id" },
  { name: "agent.agent_name" },
  { name: "success" },
  { name: "is_reviewed" },
  { name: "call_ended_reason" },
  { name: "dropoff_point" },
  { name: "topic" },
  { name: "customer_number" },
  { name: "metadata.", prefix: true },
];
export const MIN_BUCKET_INTERVAL_MS = 1000;
export const findGroupByField = (name: string) => lookup(GROUP_BY_FIELDS, name);

/** Words models use for enum values, mapped to the API's (a hint in the error, never applied silently). */
export const ENUM_ALIASES: Record<string, string> = {
  average: "avg",
  mean: "avg",
  median: "p50",
  total: "sum",
  minimum: "min",
  maximum: "max",
  daily: "day",
  hourly: "hour",
  weekly: "week",
  monthly: "month",
  equals: "eq",
  "=": "eq",
  "==": "eq",
  "!=": "neq",
  ">": "gt",
  ">=": "gte",
  "<": "lt",
  "<=": "lte",
  is_null: "isnull",
  starts_with: "startswith",
  ends_with: "endswith",
};

/** Operators whose value is a string pattern, whatever the field's type. */
export const TEXT_OPERATORS: readonly Operator[] = ["contains", "startswith", "endswith"];
/** Operators that open a time window when used on `timestamp`. */
export const START_OPERATORS: readonly Operator[] = ["gt", "gte"];
export const END_OPERATORS: readonly Operator[] = ["lt", "lte"];

/** The request body fields the API knows (docs/cekura-api.md §1), in the order we send them. */
export const REQUEST_FIELDS = [
  "chart_type",
  "field",
  "filters",
  "dashboard_filters",
  "aggregation_function",
  "time_period",
  "metric",
  "group_by",
  "data_type",
  "dashboard",
  "name",
] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

/** A saved widget's own fields: a request's, less the dashboard-level ones (docs/cekura-api.md §6). */
export const WIDGET_FIELDS: readonly RequestField[] = REQUEST_FIELDS.filter(
  (f) => f !== "dashboard_filters" && f !== "dashboard",
);

/** Metadata keys: one top-level key of letters, digits, `_` and `-` (`metadata.a.b` is refused upstream). */
export const METADATA_KEY = /^[A-Za-z0-9_-]+$/;

export const NAME_MAX_LENGTH = 255;
export const MAX_FILTER_DEPTH = 8;
export const MAX_CONDITIONS = 200;
/** Longest text a filter compares with (contains, eq on a string, a metric value as text). */
export const TEXT_VALUE_MAX_LENGTH = 1000;
/** Most values one `in` condition lists. */
export const IN_LIST_MAX_VALUES = 1000;
/** The API refuses windows that start more than this many days ago. */
export const UPSTREAM_MAX_WINDOW_DAYS = 30;

function lookup<T extends { name: string; prefix?: boolean }>(
  table: readonly T[],
  name: string,
): { entry: T; key?: string } | undefined {
  for (const entry of table) {
    if (entry.prefix) {
      if (name.startsWith(entry.name)) return { entry, key: name.slice(entry.name.length) };
    } else if (entry.name === name) {
      return { entry };
    }
  }
  return undefined;
}

/** The plot field spec for `name`; `key` is set for prefixed families (the metadata key). */
export const findPlotField = (name: string) => lookup(PLOT_FIELDS, name);
export const findFilterField = (name: string) => lookup(FILTER_FIELDS, name);

/** Names a person or model can type, with `<key>` for families. */
export const displayName = (f: { name: string; prefix?: boolean }): string =>
  f.prefix ? `${f.name}<key>` : f.name;

/** Charts and aggregations allowed for a plotted data type. */
export function combinationFor(dataType: DataType): {
  charts: readonly ChartType[];
  aggregations: readonly Aggregation[];
} {
  return dataType === "dynamic" ? DYNAMIC_COMBINATION : COMBINATIONS[dataType];
}
