/** The request body: the checked arguments in the API's field order, absent ones left out (no nulls, no ""). */
import { REQUEST_FIELDS, type RequestField } from "../catalogue.js";
import type { Filter, GroupBy, WidgetQuery } from "../types.js";
import type { ChartArguments } from "./chart.js";

export function assembleBody(
  s: ChartArguments,
  parts: { filters: Filter | undefined; dashboardFilters: Filter | undefined; groupBy: GroupBy | undefined },
): WidgetQuery {
  const values: Partial<Record<RequestField, unknown>> = {
    chart_type: s.chart,
    field: s.field,
    filters: parts.filters,
    dashboard_filters: parts.dashboardFilters,
    aggregation_function: s.aggregation,
    time_period: s.period,
    metric: s.metric,
    group_by: parts.groupBy,
    data_type: s.dataType,
    dashboard: s.dashboard,
    name: s.name,
  };
  const out: Record<string, unknown> = {};
  for (const key of REQUEST_FIELDS) if (values[key] !== undefined) out[key] = values[key];
  return out as unknown as WidgetQuery;
}
