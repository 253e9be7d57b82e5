/** Bar arguments: a bar chart needs aggregation_function and time_period; the others take neither. */
import { AGGREGATIONS, combinationFor, TIME_PERIODS } from "../catalogue.js";
import type { ChartArguments } from "./chart.js";
import { type Collector, type Dict, list } from "./issues.js";

export function checkBarArguments(a: Dict, s: ChartArguments, c: Collector): void {
  const { chart, field, period, aggregation } = s;
  if (chart === "bar") {
    if (a.aggregation_function === undefined) {
      const aggs = s.plotType ? combinationFor(s.plotType).aggregations : AGGREGATIONS;
      c.add("aggregation_function", `bar charts need aggregation_function: ${list(aggs)}.`, undefined, {
        chart_type: "bar",
        field: field ?? "success",
        aggregation_function: aggs.at(-1),
        time_period: period ?? "day",
      });
    }
    if (a.time_period === undefined) {
      c.add("time_period", `bar charts need time_period: ${list(TIME_PERIODS)}.`, undefined, {
        chart_type: "bar",
        field: field ?? "success",
        aggregation_function: aggregation ?? "count",
        time_period: "day",
      });
    }
    return;
  }
  if (chart === undefined) return;
  for (const key of ["aggregation_function", "time_period"] as const) {
    if (a[key] !== undefined) {
      c.add(
        key,
        `${chart} charts take no ${key}; only bar charts aggregate per time bucket.`,
        `Leave ${key} out, or use chart_type bar.`,
        chart === "stat" ? { chart_type: "stat" } : { chart_type: chart, field: field ?? "duration" },
      );
    }
  }
}
