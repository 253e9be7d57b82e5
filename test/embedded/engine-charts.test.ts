import { describe, expect, it } from "vitest";
import type { MetricEvaluation } from "../../src/embedded/calls.js";
import {
  computeWidget,
  createCallStore,
  type EngineError,
  type PreviewResponseBody,
} from "../../src/embedded/engine.js";
import type { CallStore } from "../../src/embedded/store.js";
import type { WidgetQuery } from "../../src/widget/types.js";
import { callLog } from "../helpers/call-log.js";

const NOW = Date.parse("2026-03-15T12:00:00Z");

const call = callLog;

function run(store: CallStore, query: WidgetQuery): PreviewResponseBody {
  const r = computeWidget(store, query, NOW);
  if (!r.ok) throw new Error(`unexpected error ${JSON.stringify(r.error)}`);
  return r.value;
}

function fail(store: CallStore, query: WidgetQuery): EngineError {
  const r = computeWidget(store, query, NOW);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

const bar = (
  field: string,
  aggregation_function: WidgetQuery["aggregation_function"],
  time_period: WidgetQuery["time_period"],
  extra: Partial<WidgetQuery> = {},
): WidgetQuery => ({
  chart_type: "bar",
  field,
  aggregation_function,
  time_period,
  ...extra,
});

describe("bar buckets at their edges (UTC)", () => {
  it("day: 23:59:59 and 00:00:00 fall in different days", () => {
    const s = createCallStore([
      call(1, "2026-03-09T23:59:59Z", { duration: 10 }),
      call(2, "2026-03-10T00:00:00Z", { duration: 20 }),
      call(3, "2026-03-10T12:00:00Z", { duration: 40 }),
    ]);
    expect(run(s, bar("duration", "avg", "day")).data).toEqual([
      { time_interval: "2026-03-09T00:00:00Z", value: 10, sample_count: 1 },
      { time_interval: "2026-03-10T00:00:00Z", value: 30, sample_count: 2 },
    ]);
  });

  it("hour", () => {
    const s = createCallStore([
      call(1, "2026-03-10T00:59:59Z", { duration: 1 }),
      call(2, "2026-03-10T01:00:00Z", { duration: 2 }),
    ]);
    expect(run(s, bar("duration", "sum", "hour")).data).toEqual([
      { time_interval: "2026-03-10T00:00:00Z", value: 1, sample_count: 1 },
      { time_interval: "2026-03-10T01:00:00Z", value: 2, sample_count: 1 },
    ]);
  });

  it("week starts on Monday 00:00", () => {
    const s = createCallStore([
      call(1, "2026-03-08T23:59:59Z", { duration: 5 }), // Sunday
      call(2, "2026-03-09T00:00:00Z", { duration: 7 }), // Monday
      call(3, "2026-03-15T23:59:59Z", { duration: 9 }), // Sunday, same week as Monday the 9th
    ]);
    expect(run(s, bar("duration", "count", "week")).data).toEqual([
      { time_interval: "2026-03-02T00:00:00Z", value: 1, sample_count: 1 },
      { time_interval: "2026-03-09T00:00:00Z", value: 2, sample_count: 2 },
    ]);
  });

  it("month starts on the 1st", () => {
    const s = createCallStore([
      call(1, "2026-02-28T23:59:59Z", { duration: 3 }),
      call(2, "2026-03-01T00:00:00Z", { duration: 4 }),
      call(3, "2026-03-31T23:59:59Z", { duration: 6 }),
      call(4, "2026-04-01T00:00:00Z", { duration: 8 }),
    ]);
    expect(run(s, bar("duration", "max", "month")).data).toEqual([
      { time_interval: "2026-02-01T00:00:00Z", value: 3, sample_count: 1 },
      { time_interval: "2026-03-01T00:00:00Z", value: 6, sample_count: 2 },
      { time_interval: "2026-04-01T00:00:00Z", value: 8, sample_count: 1 },
    ]);
  });

  it("omits empty buckets and calls without a value", () => {
    const s = createCallStore([
      call(1, "2026-03-01T10:00:00Z", { duration: 10 }),
      call(2, "2026-03-02T10:00:00Z", { duration: null }), // a bucket with only nulls
      call(3, "2026-03-03T10:00:00Z", { duration: 30 }),
      call(4, "2026-03-03T11:00:00Z", { duration: null }),
    ]);
    expect(run(s, bar("duration", "count", "day")).data).toEqual([
      { time_interval: "2026-03-01T00:00:00Z", value: 1, sample_count: 1 },
      { time_interval: "2026-03-03T00:00:00Z", value: 1, sample_count: 1 },
    ]);
  });
});

describe("aggregations", () => {
  const values = [4, 1, 10, 3, 2];
  const s = createCallStore(values.map((d, i) => call(i + 1, `2026-03-10T0${i}:00:00Z`, { duration: d })));
  const one = (agg: WidgetQuery["aggregation_function"]) => {
    const data = run(s, bar("duration", agg, "day")).data as { value: number; sample_count: number }[];
    expect(data).toHaveLength(1);
    expect(data[0]!.sample_count).toBe(5);
    return data[0]!.value;
  };

  it("count, sum, avg, min, max", () => {
    expect(one("count")).toBe(5);
    expect(one("sum")).toBe(20);
    expect(one("avg")).toBe(4);
    expect(one("min")).toBe(1);
    expect(one("max")).toBe(10);
  });

  it("percentiles interpolate linearly between the closest ranks (percentile_cont)", () => {
    // sorted 1 2 3 4 10: p50 rank 2 → 3; p95 rank 3.8 → 4 + 0.8 × 6; p99 rank 3.96 → 4 + 0.96 × 6
    expect(one("p50")).toBe(3);
    expect(one("p95")).toBeCloseTo(8.8, 10);
    expect(one("p99")).toBeCloseTo(9.76, 10);
  });

  it("p50 of an even count is the mean of the middle two", () => {
    const even = createCallStore(
      [1, 2, 3, 4].map((d, i) => call(i + 1, `2026-03-10T0${i}:00:00Z`, { duration: d })),
    );
    expect(run(even, bar("duration", "p50", "day")).data).toEqual([
      { time_interval: "2026-03-10T00:00:00Z", value: 2.5, sample_count: 4 },
    ]);
  });

  it("avg of a boolean is the share of true; count leaves out nulls", () => {
    const b = createCallStore([
      call(1, "2026-03-10T01:00:00Z", { success: true }),
      call(2, "2026-03-10T02:00:00Z", { success: false }),
      call(3, "2026-03-10T03:00:00Z", { success: true }),
      call(4, "2026-03-10T04:00:00Z", { success: null }),
    ]);
    const avg = run(b, bar("success", "avg", "day"));
    expect(avg.data).toEqual([{ time_interval: "2026-03-10T00:00:00Z", value: 2 / 3, sample_count: 3 }]);
    expect(avg.metadata.data_type).toBe("boolean");
    expect(run(b, bar("success", "count", "day")).data).toEqual([
      { time_interval: "2026-03-10T00:00:00Z", value: 3, sample_count: 3 },
    ]);
  });

  it("count of a string field counts the calls with a value", () => {
    const t = createCallStore([
      call(1, "2026-03-10T01:00:00Z", { topic: "a" }),
      call(2, "2026-03-10T02:00:00Z", { topic: null }),
      call(3, "2026-03-10T03:00:00Z", { topic: "b" }),
    ]);
    expect(run(t, bar("topic", "count", "day")).data).toEqual([
      { time_interval: "2026-03-10T00:00:00Z", value: 2, sample_count: 2 },
    ]);
  });
});

describe("group_by", () => {
  const s = createCallStore([
    call(1, "2026-03-10T01:00:00Z", {
      duration: 10,
      agent: { id: 10, agent_name: "J" },
      metadata: { region: "eu" },
    }),
    call(2, "2026-03-10T02:00:00Z", {
      duration: 20,
      agent: { id: 2, agent_name: "K" },
      metadata: { region: "us" },
    }),
    call(3, "2026-03-10T03:00:00Z", { duration: 30, agent: { id: 10, agent_name: "J" } }),
    call(4, "2026-03-10T04:00:00Z", { duration: 40, agent: null, metadata: { region: "eu" } }),
    call(5, "2026-03-11T01:00:00Z", {
      duration: 50,
      agent: { id: 2, agent_name: "K" },
      metadata: { region: "eu" },
    }),
  ]);

  it("field: items gain group, ordered by bucket then group (numbers numerically, null last)", () => {
    const r = run(s, bar("duration", "sum", "day", { group_by: { type: "field", field: "agent.id" } }));
    expect(r.data).toEqual([
      { time_interval: "2026-03-10T00:00:00Z", group: "2", value: 20, sample_count: 1 },
      { time_interval: "2026-03-10T00:00:00Z", group: "10", value: 40, sample_count: 2 },
      { time_interval: "2026-03-10T00:00:00Z", group: "null", value: 40, sample_count: 1 },
      { time_interval: "2026-03-11T00:00:00Z", group: "2", value: 50, sample_count: 1 },
    ]);
    expect(r.group_by).toEqual({ type: "field", field: "agent.id" });
    expect(r.can_group_by).toBe(true);
    // agent_id is the same grouping
    expect(
      run(s, bar("duration", "sum", "day", { group_by: { type: "field", field: "agent_id" } })).data,
    ).toEqual(r.data);
  });

  it("field: metadata keys group by their text", () => {
    const r = run(
      s,
      bar("duration", "count", "day", { group_by: { type: "field", field: "metadata.region" } }),
    );
    expect(r.data).toEqual([
      { time_interval: "2026-03-10T00:00:00Z", group: "eu", value: 2, sample_count: 2 },
      { time_interval: "2026-03-10T00:00:00Z", group: "us", value: 1, sample_count: 1 },
      { time_interval: "2026-03-10T00:00:00Z", group: "null", value: 1, sample_count: 1 },
      { time_interval: "2026-03-11T00:00:00Z", group: "eu", value: 1, sample_count: 1 },
    ]);
  });

  it("bucket on bar: buckets of that many ms from the epoch", () => {
    const r = run(
      s,
      bar("duration", "sum", "day", { group_by: { type: "bucket", interval: 2 * 3_600_000 } }),
    );
    expect(r.data).toEqual([
      { time_interval: "2026-03-10T00:00:00Z", value: 10, sample_count: 1 },
      { time_interval: "2026-03-10T02:00:00Z", value: 50, sample_count: 2 },
      { time_interval: "2026-03-10T04:00:00Z", value: 40, sample_count: 1 },
      { time_interval: "2026-03-11T00:00:00Z", value: 50, sample_count: 1 },
    ]);
  });

  it("bucket on line: one averaged point per bucket", () => {
    const r = run(s, {
      chart_type: "line",
      field: "duration",
      group_by: { type: "bucket", interval: 86_400_000 },
    });
    expect(r.data).toEqual([
      { id: null, timestamp: "2026-03-10T00:00:00Z", value: 25 },
      { id: null, timestamp: "2026-03-11T00:00:00Z", value: 50 },
    ]);
    expect(r.aggregation_function).toBe("avg");
  });

  it("field on line: each point gains its group", () => {
    const r = run(s, {
      chart_type: "line",
      field: "duration",
      group_by: { type: "field", field: "agent.agent_name" },
    });
    expect((r.data as { group?: string }[]).map((p) => p.group)).toEqual(["J", "K", "J", "null", "K"]);
  });
});

describe("line", () => {
  it("one point per call with a value, ordered by timestamp then id, ISO without milliseconds", () => {
    const s = createCallStore([
      call(7, "2026-03-10T10:00:00.500Z", { duration: 70 }),
      call(3, "2026-03-10T10:00:00.500Z", { duration: 30 }),
      call(1, "2026-03-10T11:00:00Z", { duration: null }),
      call(2, "2026-03-09T09:30:15Z", { duration: 20 }),
    ]);
    const r = run(s, { chart_type: "line", field: "duration" });
    expect(r.data).toEqual([
      { id: 2, timestamp: "2026-03-09T09:30:15Z", value: 20 },
      { id: 3, timestamp: "2026-03-10T10:00:00Z", value: 30 },
      { id: 7, timestamp: "2026-03-10T10:00:00Z", value: 70 },
    ]);
    expect(r).toMatchObject({
      widget_id: null,
      field_name: "duration",
      chart_type: "line",
      aggregation_function: null,
      time_period: null,
      group_by: null,
      can_group_by: true,
      metadata: { data_type: "numeric", filter_value: null },
    });
    expect(r.metadata.display_name).toMatch(/duration/i);
  });
});

describe("pie", () => {
  it("orders by count descending then label, percentages of calls with a value to one decimal", () => {
    const topics = ["b", "a", "c", "a", "b", "a", null, "d"];
    const s = createCallStore(topics.map((t, i) => call(i + 1, `2026-03-10T0${i}:00:00Z`, { topic: t })));
    expect(run(s, { chart_type: "pie", field: "topic" }).data).toEqual([
      { label: "a", value: 3, percentage: 42.9 },
      { label: "b", value: 2, percentage: 28.6 },
      { label: "c", value: 1, percentage: 14.3 },
      { label: "d", value: 1, percentage: 14.3 },
    ]);
  });

  it("rounds halves up (1/16 = 6.25 → 6.3, 1/8 = 12.5)", () => {
    const topics = ["x", "y", ...Array.from({ length: 14 }, () => "z")];
    const s = createCallStore(
      topics.map((t, i) => call(i + 1, `2026-03-10T${String(i).padStart(2, "0")}:00:00Z`, { topic: t })),
    );
    expect(run(s, { chart_type: "pie", field: "topic" }).data).toEqual([
      { label: "z", value: 14, percentage: 87.5 },
      { label: "x", value: 1, percentage: 6.3 },
      { label: "y", value: 1, percentage: 6.3 },
    ]);
  });

  it("booleans are labelled true and false; nulls are left out", () => {
    const s = createCallStore([
      call(1, "2026-03-10T01:00:00Z", { success: true }),
      call(2, "2026-03-10T02:00:00Z", { success: null }),
      call(3, "2026-03-10T03:00:00Z", { success: false }),
      call(4, "2026-03-10T04:00:00Z", { success: true }),
    ]);
    const r = run(s, { chart_type: "pie", field: "success" });
    expect(r.data).toEqual([
      { label: "true", value: 2, percentage: 66.7 },
      { label: "false", value: 1, percentage: 33.3 },
    ]);
    expect(r.metadata.data_type).toBe("boolean");
  });

  it("metadata keys, a missing key being no value", () => {
    const s = createCallStore([
      call(1, "2026-03-10T01:00:00Z", { metadata: { region: "eu" } }),
      call(2, "2026-03-10T02:00:00Z", { metadata: {} }),
      call(3, "2026-03-10T03:00:00Z", { metadata: { region: "us" } }),
    ]);
    const r = run(s, { chart_type: "pie", field: "metadata.region" });
    expect(r.data).toEqual([
      { label: "eu", value: 1, percentage: 50 },
      { label: "us", value: 1, percentage: 50 },
    ]);
    expect(r.metadata).toEqual({ display_name: "Metadata: region", data_type: "string", filter_value: null });
  });
});

describe("stat", () => {
  it("headline numbers over the filtered calls", () => {
    const s = createCallStore([
      call(1, "2026-03-10T01:00:00Z", { success: true, duration: 60, latency_ms: 100 }),
      call(2, "2026-03-10T02:00:00Z", { success: false, duration: 120, latency_ms: 200 }),
      call(3, "2026-03-10T03:00:00Z", { success: null, duration: null, latency_ms: 300 }),
      call(4, "2026-03-10T04:00:00Z", { success: true, duration: 30, latency_ms: 400 }),
      call(5, "2026-03-10T05:00:00Z", { success: true, duration: 90, latency_ms: 500 }),
      call(6, "2026-03-14T05:00:00Z", { success: false, duration: 1000, latency_ms: 9000 }),
    ]);
    const r = run(s, {
      chart_type: "stat",
      filters: { field: "timestamp", op: "lt", value: "2026-03-11T00:00:00Z" },
    });
    expect(r.data).toEqual({ total_calls: 5, success_rate: 0.75, avg_duration: 75, p95_latency: 480 });
    expect(r).toMatchObject({
      chart_type: "stat",
      aggregation_function: null,
      time_period: null,
      group_by: null,
    });
  });

  it("p95_latency is null when no call carries latency; rates null without data", () => {
    const s = createCallStore([call(1, "2026-03-10T01:00:00Z", { success: null, duration: null })]);
    expect(run(s, { chart_type: "stat" }).data).toEqual({
      total_calls: 1,
      success_rate: null,
      avg_duration: null,
      p95_latency: null,
    });
  });
});

describe("empty results", () => {
  const s = createCallStore([call(1, "2026-03-10T01:00:00Z", { duration: 10, success: true, topic: "a" })]);
  const none = { field: "timestamp", op: "gte", value: "today" } as const;
  it.each([
    [{ chart_type: "line", field: "duration" }, []],
    [{ chart_type: "bar", field: "duration", aggregation_function: "p95", time_period: "week" }, []],
    [{ chart_type: "pie", field: "topic" }, []],
    [{ chart_type: "stat" }, { total_calls: 0, success_rate: null, avg_duration: null, p95_latency: null }],
  ] as [WidgetQuery, unknown][])("%o", (query, expected) => {
    expect(run(s, { ...query, filters: none }).data).toEqual(expected);
  });
  it("an empty store", () => {
    expect(run(createCallStore([]), bar("duration", "avg", "day")).data).toEqual([]);
  });
});

describe("metric values", () => {
  const ACC = { id: 101, name: "accuracy", eval_type: "numeric" } as const;
  const SENT = { id: 102, name: "sentiment", eval_type: "enum" } as const;
  const RES = { id: 104, name: "resolved", eval_type: "binary" } as const;
  const RATE = { id: 105, name: "rating", eval_type: "continuous_qualitative" } as const;
  const ev = (metric: MetricEvaluation["metric"], value: MetricEvaluation["value"]): MetricEvaluation => ({
    metric,
    value,
  });
  const s = createCallStore([
    call(1, "2026-03-10T01:00:00Z", {
      metric_evaluations: [ev(ACC, 0.5), ev(SENT, "positive"), ev(RES, true)],
    }),
    call(2, "2026-03-10T02:00:00Z", {
      metric_evaluations: [ev(ACC, 1), ev(SENT, "negative"), ev(RES, false), ev(RATE, 4)],
    }),
    call(3, "2026-03-11T02:00:00Z", {
      metric_evaluations: [ev(ACC, null), ev(ACC, 0.75), ev(SENT, "positive"), ev(RES, true)],
    }),
    call(4, "2026-03-11T03:00:00Z", { metric_evaluations: [] }),
  ]);
  const mv = (
    chart_type: WidgetQuery["chart_type"],
    metric: number,
    extra: Partial<WidgetQuery> = {},
  ): WidgetQuery => ({
    chart_type,
    field: "metric_evaluations.value",
    metric,
    ...extra,
  });

  it("a numeric metric: bar of its values, metadata from the metric", () => {
    const r = run(s, mv("bar", 101, { aggregation_function: "avg", time_period: "day" }));
    expect(r.data).toEqual([
      { time_interval: "2026-03-10T00:00:00Z", value: 0.75, sample_count: 2 },
      { time_interval: "2026-03-11T00:00:00Z", value: 0.75, sample_count: 1 },
    ]);
    expect(r.metadata).toEqual({ display_name: "accuracy", data_type: "numeric", filter_value: 101 });
    expect(r.field_name).toBe("metric_evaluations.value");
  });

  it("a numeric metric: line and pie", () => {
    expect(run(s, mv("line", 101)).data).toEqual([
      { id: 1, timestamp: "2026-03-10T01:00:00Z", value: 0.5 },
      { id: 2, timestamp: "2026-03-10T02:00:00Z", value: 1 },
      { id: 3, timestamp: "2026-03-11T02:00:00Z", value: 0.75 },
    ]);
    expect(run(s, mv("pie", 105)).data).toEqual([{ label: "4", value: 1, percentage: 100 }]);
  });

  it("an enum metric plots as a pie of strings only", () => {
    expect(run(s, mv("pie", 102)).data).toEqual([
      { label: "positive", value: 2, percentage: 66.7 },
      { label: "negative", value: 1, percentage: 33.3 },
    ]);
    const e = fail(s, mv("bar", 102, { aggregation_function: "count", time_period: "day" }));
    expect(e.status).toBe(400);
    expect(Object.keys(e.body)).toEqual(["metric"]);
    expect(JSON.stringify(e.body)).toContain("enum");
  });

  it("a binary metric is boolean: avg is the share of true, pie labels true/false, no line", () => {
    expect(run(s, mv("bar", 104, { aggregation_function: "avg", time_period: "month" })).data).toEqual([
      { time_interval: "2026-03-01T00:00:00Z", value: 2 / 3, sample_count: 3 },
    ]);
    const pie = run(s, mv("pie", 104));
    expect(pie.data).toEqual([
      { label: "true", value: 2, percentage: 66.7 },
      { label: "false", value: 1, percentage: 33.3 },
    ]);
    expect(pie.metadata.data_type).toBe("boolean");
    expect(Object.keys(fail(s, mv("line", 104)).body)).toEqual(["metric"]);
    expect(
      Object.keys(fail(s, mv("bar", 104, { aggregation_function: "sum", time_period: "day" })).body),
    ).toEqual(["metric"]);
  });

  it("an unknown metric id or a missing metric is a 400 on metric", () => {
    const e = fail(s, mv("line", 999));
    expect(e.status).toBe(400);
    expect(Object.keys(e.body)).toEqual(["metric"]);
    expect(JSON.stringify(e.body)).toContain("999");
    expect(Object.keys(fail(s, { chart_type: "line", field: "metric_evaluations.value" }).body)).toEqual([
      "metric",
    ]);
  });
});
