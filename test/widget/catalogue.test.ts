/**
 * The catalogue against the contract (docs/cekura-api.md §1 and §2). Expectations are restated here on
 * purpose: a test that reads its expectations from the table under test cannot fail.
 */
import { describe, expect, it } from "vitest";
import {
  AGGREGATIONS,
  CHART_TYPES,
  COMBINATIONS,
  combinationFor,
  DATA_TYPES,
  displayName,
  FILTER_FIELDS,
  findFilterField,
  findPlotField,
  GROUP_BY_TYPES,
  GROUP_OPERATORS,
  METADATA_KEY,
  METRIC_VALUE_COMBINATIONS,
  OPERATORS,
  PLOT_FIELDS,
  REQUEST_FIELDS,
  TEXT_OPERATORS,
  TIME_PERIODS,
  UPSTREAM_MAX_WINDOW_DAYS,
} from "../../src/widget/catalogue.js";

describe("enums", () => {
  it("match the request body's enums", () => {
    expect(CHART_TYPES).toEqual(["line", "bar", "pie", "stat"]);
    expect(AGGREGATIONS).toEqual(["count", "sum", "avg", "min", "max", "p50", "p95", "p99"]);
    expect(TIME_PERIODS).toEqual(["hour", "day", "week", "month"]);
    expect(DATA_TYPES).toEqual(["numeric", "boolean", "string", "datetime", "dynamic"]);
    expect(GROUP_OPERATORS).toEqual(["and", "or", "same_row"]);
    expect(GROUP_BY_TYPES).toEqual(["field", "bucket"]);
    expect([...OPERATORS].sort()).toEqual(
      ["eq", "neq", "gt", "gte", "lt", "lte", "contains", "startswith", "endswith", "in", "isnull"].sort(),
    );
    expect([...TEXT_OPERATORS].sort()).toEqual(["contains", "endswith", "startswith"]);
  });

  it("REQUEST_FIELDS are the writable body fields, without front-end metadata or read-only fields", () => {
    expect([...REQUEST_FIELDS].sort()).toEqual(
      [
        "chart_type",
        "field",
        "filters",
        "dashboard_filters",
        "aggregation_function",
        "time_period",
        "metric",
        "data_type",
        "group_by",
        "dashboard",
        "name",
      ].sort(),
    );
  });

  it("the window limit is the API's 30 days", () => {
    expect(UPSTREAM_MAX_WINDOW_DAYS).toBe(30);
  });
});

describe("plot fields and combinations", () => {
  it("give each plot field its data type", () => {
    const types = Object.fromEntries(PLOT_FIELDS.map((f) => [displayName(f), f.dataType]));
    expect(types).toEqual({
      duration: "numeric",
      success: "boolean",
      is_reviewed: "boolean",
      call_ended_reason: "string",
      dropoff_point: "string",
      topic: "string",
      agent_id: "numeric",
      "metadata.<key>": "string",
      "metric_evaluations.value": "dynamic",
    });
    expect(PLOT_FIELDS.filter((f) => f.requiresMetric).map((f) => f.name)).toEqual([
      "metric_evaluations.value",
    ]);
  });

  it("allow the documented charts and aggregations per data type", () => {
    const sorted = (xs: readonly string[]) => [...xs].sort();
    expect(sorted(COMBINATIONS.numeric.charts)).toEqual(["bar", "line"]);
    expect(sorted(COMBINATIONS.numeric.aggregations)).toEqual(
      sorted(["count", "sum", "avg", "min", "max", "p50", "p95", "p99"]),
    );
    expect(sorted(COMBINATIONS.boolean.charts)).toEqual(["bar", "pie"]);
    expect(sorted(COMBINATIONS.boolean.aggregations)).toEqual(["avg", "count"]);
    expect(sorted(COMBINATIONS.string.charts)).toEqual(["bar", "pie"]);
    expect(sorted(COMBINATIONS.string.aggregations)).toEqual(["count"]);
    expect(sorted(COMBINATIONS.datetime.charts)).toEqual(["bar", "line"]);
    expect(sorted(COMBINATIONS.datetime.aggregations)).toEqual(["count", "max", "min"]);
  });

  it("no chart type but stat is left without a plottable data type", () => {
    for (const chart of ["line", "bar", "pie"]) {
      expect(Object.values(COMBINATIONS).some((c) => (c.charts as readonly string[]).includes(chart))).toBe(
        true,
      );
    }
  });

  it("metric values: enum plots only as pie; numeric metrics as line, bar and pie", () => {
    expect(METRIC_VALUE_COMBINATIONS.enum.charts).toEqual(["pie"]);
    expect([...METRIC_VALUE_COMBINATIONS.numeric.charts].sort()).toEqual(["bar", "line", "pie"]);
    expect(METRIC_VALUE_COMBINATIONS.binary.dataType).toBe("boolean");
    expect(METRIC_VALUE_COMBINATIONS.continuous_qualitative.dataType).toBe("numeric");
  });

  it("a metric value, before its type is known, allows the union of every metric type's combinations", () => {
    const dyn = combinationFor("dynamic");
    const union = <K extends "charts" | "aggregations">(k: K) =>
      [...new Set(Object.values(METRIC_VALUE_COMBINATIONS).flatMap((c) => [...c[k]]))].sort();
    expect([...dyn.charts].sort()).toEqual(union("charts"));
    expect([...dyn.aggregations].sort()).toEqual(union("aggregations"));
    expect(combinationFor("boolean")).toBe(COMBINATIONS.boolean);
  });
});

describe("filter fields", () => {
  it("give each field its value type and the operators the guide allows", () => {
    const table = Object.fromEntries(
      FILTER_FIELDS.map((f) => [displayName(f), { type: f.valueType, ops: [...f.operators].sort() }]),
    );
    const row = (type: string, ops: string[]) => ({ type, ops: [...ops].sort() });
    expect(table).toEqual({
      id: row("integer", ["eq", "in", "gt", "gte", "lt", "lte"]),
      success: row("boolean", ["eq", "neq", "isnull"]),
      duration: row("number", ["eq", "gt", "gte", "lt", "lte"]),
      customer_number: row("string", ["eq", "neq", "contains", "startswith", "in"]),
      call_ended_reason: row("string", ["eq", "neq", "contains", "in"]),
      dropoff_point: row("string", ["eq", "neq", "contains", "in", "isnull"]),
      topic: row("string", ["eq", "neq", "contains", "in", "isnull"]),
      timestamp: row("datetime", ["eq", "gt", "gte", "lt", "lte"]),
      is_reviewed: row("boolean", ["eq"]),
      "agent.id": row("integer", ["eq", "neq", "in"]),
      "agent.agent_name": row("string", ["eq", "neq", "contains", "in"]),
      "metadata.<key>": row("string", ["eq", "neq", "contains", "startswith", "endswith", "in", "isnull"]),
      "metric_evaluations.value": row("dynamic", ["eq", "neq", "gt", "gte", "lt", "lte"]),
      "metric_evaluations.metric.id": row("integer", ["eq", "in"]),
      "metric_evaluations.metric.name": row("string", ["eq", "neq", "contains", "in"]),
    });
  });

  it("marks our own rules as assumptions where the guide is silent", () => {
    const assumed = FILTER_FIELDS.filter((f) => f.assumption).map((f) => f.name);
    expect(assumed.sort()).toEqual(["agent.agent_name", "agent.id"]);
  });

  it("only metric_evaluations fields may appear in same_row", () => {
    const rowFields = FILTER_FIELDS.filter((f) => f.metricRow).map((f) => f.name);
    expect(rowFields.sort()).toEqual([
      "metric_evaluations.metric.id",
      "metric_evaluations.metric.name",
      "metric_evaluations.value",
    ]);
  });

  it("every operator a field allows is a known operator", () => {
    for (const f of FILTER_FIELDS) for (const op of f.operators) expect(OPERATORS).toContain(op);
  });
});

describe("lookups", () => {
  it("find exact names and prefixed families, returning the family key", () => {
    expect(findPlotField("duration")).toEqual({ entry: expect.objectContaining({ name: "duration" }) });
    expect(findPlotField("metadata.region")).toEqual({
      entry: expect.objectContaining({ name: "metadata." }),
      key: "region",
    });
    expect(findFilterField("metadata.a.b")?.key).toBe("a.b");
    expect(findFilterField("agent.id")?.entry.valueType).toBe("integer");
  });

  it("find nothing for near misses", () => {
    for (const name of [
      "metadata",
      "Duration",
      "duration ",
      "agent.idx",
      "agent",
      "metric_evaluations",
      "",
    ]) {
      expect(findFilterField(name), name).toBeUndefined();
      expect(findPlotField(name), name).toBeUndefined();
    }
    expect(findPlotField("agent.id")).toBeUndefined();
    expect(findFilterField("agent_id")).toBeUndefined();
  });

  it("METADATA_KEY takes one top-level key of letters, digits, _ and -", () => {
    for (const key of ["region", "plan_tier", "utm-source", "A1"])
      expect(METADATA_KEY.test(key), key).toBe(true);
    for (const key of ["", "a.b", "a b", "région", "a/b", "a\nb"])
      expect(METADATA_KEY.test(key), key).toBe(false);
  });
});
