import type { Aggregation, ChartType, DataType, GroupOperator, Operator, TimePeriod } from "./catalogue.js";

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };

export interface Condition {
  field: string;
  op: Operator;
  value: JsonValue;
}

export interface Group {
  operator: GroupOperator;
  conditions: Filter[];
}

export type Filter = Condition | Group;

export const isGroup = (f: Filter): f is Group => "conditions" in f;

export type GroupBy = { type: "field"; field: string } | { type: "bucket"; interval: number };

/** A validated, normalised widget query: exactly the body sent to preview_data. */
export interface WidgetQuery {
  chart_type: ChartType;
  field?: string;
  filters?: Filter;
  dashboard_filters?: Filter;
  aggregation_function?: Aggregation;
  time_period?: TimePeriod;
  metric?: number;
  group_by?: GroupBy;
  data_type?: DataType;
  dashboard?: number;
  name?: string;
}

/** The time window a query covers, resolved to absolute UTC instants. */
export interface TimeWindow {
  /** ISO 8601 UTC, or null when unbounded. */
  start: string | null;
  end: string | null;
  /** True when we added `timestamp gte <default>` because the call had no start. */
  defaulted: boolean;
  /** The condition values as given, e.g. "now-7d"; for messages. */
  startExpression?: string;
  endExpression?: string;
}
