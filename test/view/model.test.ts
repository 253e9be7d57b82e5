/**
 * What the view draws from a tool result (src/view/model.ts, no DOM): each chart shape, grouped
 * data as one series per group, the header texts, defensive reading of shapes it does not know,
 * and the re-asked arguments for the 7/14/30-day buttons.
 */
import { describe, expect, it } from "vitest";
import {
  bucketLabel,
  currentDays,
  MAX_SERIES,
  type Panel,
  reaskArguments,
  viewModel,
} from "../../src/view/model.js";

const window = { start: "2026-11-23T10:00:00.000Z", end: "2026-11-30T10:00:00.000Z", defaulted: false };
const answer = (data: unknown, extra: Record<string, unknown> = {}) => ({
  content: [{ type: "text", text: "summary" }],
  structuredContent: {
    summary:
      "**Asked:** bar of success, avg per day; window 2026-11-23T10:00:00Z to 2026-11-30T10:00:00Z (UTC)\n**Source: built-in DEMO data, not your Cekura account.**\nNote: No start time was given.",
    window,
    stats: { chart: "bar", field: "success", aggregation: "avg", time_period: "day", unit: null },
    data,
    truncated: null,
    source: "built-in DEMO data, not your Cekura account",
    ...extra,
  },
});
const onlyPanel = (result: unknown, args?: unknown): Panel => {
  const m = viewModel(result, args);
  if (!m.ok) throw new Error(m.message);
  expect(m.panels).toHaveLength(1);
  return m.panels[0]!;
};

describe("viewModel", () => {
  it("reads the question, the window in UTC, the source and the notes", () => {
    const p = onlyPanel(answer([{ time_interval: "2026-11-23T00:00:00Z", value: 0.8, sample_count: 10 }]));
    expect(p.question).toBe("bar of success, avg per day");
    expect(p.window).toBe("2026-11-23 10:00 to 2026-11-30 10:00 UTC");
    expect(p.notLive).toBe(true);
    expect(p.notes).toEqual(["No start time was given."]);
    expect(p.truncation).toBeNull();
  });

  it("says a live answer is live", () => {
    const p = onlyPanel(answer([], { source: "live Cekura API" }));
    expect(p.notLive).toBe(false);
    expect(p.chart).toBeNull(); // nothing to draw; the table (empty) stays
  });

  it("draws bars in bucket order, with a gap where a bucket has no value", () => {
    const p = onlyPanel(
      answer([
        { time_interval: "2026-11-25T00:00:00Z", value: null, sample_count: 0 },
        { time_interval: "2026-11-24T00:00:00Z", value: 0.5, sample_count: 4 },
      ]),
    );
    expect(p.chart).toEqual({
      kind: "bar",
      yLabel: "avg of success",
      labels: ["2026-11-24", "2026-11-25"],
      series: [{ label: "avg of success", values: [0.5, null] }],
    });
  });

  it("draws grouped bars as one series per group, the largest groups first, the rest in the table", () => {
    const rows = [];
    for (let g = 1; g <= MAX_SERIES + 2; g++) {
      for (const day of ["2026-11-24", "2026-11-25"]) {
        rows.push({ time_interval: `${day}T00:00:00Z`, group: g, value: g, sample_count: g * 10 });
      }
    }
    const p = onlyPanel(answer(rows), { group_by: { type: "field", field: "agent.id" } });
    if (p.chart?.kind !== "bar") throw new Error("no bar chart");
    expect(p.chart.labels).toEqual(["2026-11-24", "2026-11-25"]);
    expect(p.chart.series).toHaveLength(MAX_SERIES);
    expect(p.chart.series[0]).toEqual({
      label: `agent.id ${MAX_SERIES + 2}`,
      values: [MAX_SERIES + 2, MAX_SERIES + 2],
    });
    expect(p.chartNotes).toEqual([
      "2 more groups (the ones with the fewest samples) are in the table, not drawn.",
    ]);
    expect(p.table.rows).toHaveLength(rows.length);
  });

  it("orders and names the groups as the report ranks them, when it does", () => {
    const rows = ["1", "2", "3"].map((g) => ({
      time_interval: "2026-11-24T00:00:00Z",
      group: g,
      value: 1,
      sample_count: 1,
    }));
    const stats = {
      chart: "bar",
      groups: [
        { group: "3", name: "Tech Support Agent" },
        { group: "1", name: "Billing" },
      ],
    };
    const p = onlyPanel(answer(rows, { stats }), { group_by: { type: "field", field: "agent.id" } });
    if (p.chart?.kind !== "bar") throw new Error("no bar chart");
    expect(p.chart.series.map((x) => x.label)).toEqual([
      "agent.id 3 (Tech Support Agent)",
      "agent.id 1 (Billing)",
      "agent.id 2",
    ]);
  });

  it("draws a line of points by time, and says when the data was cut", () => {
    const p = onlyPanel(
      answer(
        [
          { id: 2, timestamp: "2026-11-24T12:00:00Z", value: 30 },
          { id: 1, timestamp: "2026-11-24T11:00:00Z", value: 20 },
          { id: 3, timestamp: "2026-11-24T13:00:00Z", value: null },
        ],
        {
          stats: { chart: "line", field: "duration", unit: "s" },
          truncated: { shown: 3, total: 10, omitted: 7, hint: "narrow it" },
        },
      ),
    );
    expect(p.chart).toEqual({
      kind: "line",
      yLabel: "duration (s)",
      series: [
        {
          label: "duration (s)",
          points: [
            { x: Date.parse("2026-11-24T11:00:00Z"), y: 20 },
            { x: Date.parse("2026-11-24T12:00:00Z"), y: 30 },
          ],
        },
      ],
    });
    expect(p.truncation).toMatch(/the first 3 of 10 items are drawn \(7 left out\)/);
  });

  it("draws a pie of labels and counts", () => {
    const p = onlyPanel(
      answer([
        { label: "voicemail", value: 3, percentage: 60 },
        { label: null, value: 2, percentage: 40 },
      ]),
    );
    expect(p.chart).toEqual({ kind: "pie", labels: ["voicemail", "(none)"], values: [3, 2] });
  });

  it("shows the stat answer as cards with units and the rate in percent", () => {
    const p = onlyPanel(
      answer(
        { total_calls: 5061, success_rate: 0.81742, avg_duration: 188.76, p95_latency: null },
        { stats: { chart: "stat", units: { avg_duration: "s", p95_latency: "ms" } } },
      ),
    );
    expect(p.chart).toEqual({
      kind: "stat",
      cards: [
        { label: "Calls", value: "5,061" },
        { label: "Success rate", value: "81.7%" },
        { label: "Average duration", value: "188.8 s" },
        { label: "p95 latency", value: "n/a" },
      ],
    });
  });

  it("falls back to a table for a shape it does not know, and keys beyond the known ones", () => {
    const p = onlyPanel(answer([{ bucket: "a", n: 1, extra: { deep: true } }]));
    expect(p.chart).toBeNull();
    expect(p.table).toEqual({ columns: ["bucket", "n", "extra"], rows: [["a", "1", '{"deep":true}']] });
  });

  it("draws each answer of a result that holds several (one panel per widget, get_widget_data)", () => {
    const { summary: _, ...one } = answer([{ label: "a", value: 1 }], {
      stats: { chart: "pie", field: "topic" },
    }).structuredContent;
    const two = answer({ total_calls: 3 }).structuredContent;
    const m = viewModel({
      content: [],
      structuredContent: { summary: "two widgets", widgets: [{ widget_id: 7, name: "Topics", ...one }, two] },
    });
    if (!m.ok) throw new Error(m.message);
    expect(m.panels.map((p) => p.chart?.kind)).toEqual(["pie", "stat"]);
    expect(m.panels[0]!.question).toBe("Topics: pie of topic");
  });

  it("shows a refused call's message, and says so when there is nothing to draw", () => {
    expect(viewModel({ isError: true, content: [{ type: "text", text: "invalid_arguments: no" }] })).toEqual({
      ok: false,
      message: "invalid_arguments: no",
    });
    expect(viewModel({ content: [{ type: "text", text: "just text" }] })).toEqual({
      ok: false,
      message: "just text",
    });
    expect(viewModel(undefined).ok).toBe(false);
  });
});

describe("bucketLabel", () => {
  it("is as short as the period allows", () => {
    expect(bucketLabel("2026-11-02T05:00:00Z", "hour")).toBe("11-02 05:00");
    expect(bucketLabel("2026-11-02T00:00:00Z", "day")).toBe("2026-11-02");
    expect(bucketLabel("2026-11-02T00:00:00Z", "week")).toBe("week of 2026-11-02");
    expect(bucketLabel("2026-11-01T00:00:00Z", "month")).toBe("2026-11");
    expect(bucketLabel("not a time", "day")).toBe("not a time");
  });
});

describe("reaskArguments and currentDays", () => {
  const base = { chart_type: "bar", field: "success", aggregation_function: "avg", time_period: "day" };

  it("replaces a lone timestamp condition and keeps every other argument", () => {
    const args = { ...base, filters: { field: "timestamp", op: "gte", value: "today-7d" } };
    expect(currentDays(args)).toBe(7);
    const next = reaskArguments(args, 30);
    expect(next).toEqual({ ...base, filters: { field: "timestamp", op: "gte", value: "now-30d" } });
    expect(currentDays(next)).toBe(30);
    expect(args.filters.value).toBe("today-7d"); // not mutated
  });

  it("replaces every timestamp condition of a top-level and-group, keeping the others", () => {
    const agent = { field: "agent.id", op: "eq", value: 3 };
    const args = {
      ...base,
      filters: {
        operator: "and",
        conditions: [
          { field: "timestamp", op: "gte", value: "now-3d" },
          agent,
          { field: "timestamp", op: "lt", value: "now-1d" },
        ],
      },
    };
    expect(currentDays(args)).toBe(3);
    expect(reaskArguments(args, 14).filters).toEqual({
      operator: "and",
      conditions: [{ field: "timestamp", op: "gte", value: "now-14d" }, agent],
    });
  });

  it("adds a start to a call without filters, and ANDs it with any other filter", () => {
    expect(reaskArguments(base, 7).filters).toEqual({ field: "timestamp", op: "gte", value: "now-7d" });
    const or = { operator: "or", conditions: [{ field: "topic", op: "eq", value: "billing" }] };
    expect(reaskArguments({ ...base, filters: or }, 7).filters).toEqual({
      operator: "and",
      conditions: [{ field: "timestamp", op: "gte", value: "now-7d" }, or],
    });
    expect(currentDays({ ...base, filters: or })).toBeUndefined();
  });

  it("sets the window argument of a tool that has one", () => {
    const args = { widget_ids: [1, 2], window: "now-7d" };
    expect(currentDays(args)).toBe(7);
    expect(reaskArguments(args, 14)).toEqual({ widget_ids: [1, 2], window: "now-14d" });
    // Told that the tool takes a window (its input schema), a call without one gets one.
    expect(reaskArguments({ widget_ids: [3] }, 30, true)).toEqual({ widget_ids: [3], window: "now-30d" });
  });
});
