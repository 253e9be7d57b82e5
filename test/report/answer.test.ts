import { describe, expect, it } from "vitest";
import {
  type AnswerInput,
  answerSize,
  buildAnswer,
  errorAnswer,
  type ToolAnswer,
} from "../../src/report/index.js";
import type { PreviewResponse } from "../../src/widget/response.js";
import type { TimeWindow, WidgetQuery } from "../../src/widget/types.js";

const WINDOW: TimeWindow = {
  start: "2026-11-19T00:00:00.000Z",
  end: "2026-11-26T20:41:00Z",
  defaulted: false,
};
const WINDOW_TEXT = "2026-11-19T00:00:00Z to 2026-11-26T20:41:00Z";

function answer(query: WidgetQuery, data: unknown, more: Partial<AnswerInput> = {}): ToolAnswer {
  const response: PreviewResponse = {
    widget_id: null,
    field_name: query.field ?? "",
    chart_type: query.chart_type,
    data,
    aggregation_function: query.aggregation_function ?? null,
    time_period: query.time_period ?? null,
    group_by: null,
    can_group_by: [],
    metadata: { display_name: "x", data_type: "numeric", filter_value: null },
  };
  return buildAnswer({ query, window: WINDOW, response, source: { kind: "live" }, notes: [], ...more });
}

/** The JSON part of content[1] (after the leading truncation line, when there is one). */
function rawOf(a: ToolAnswer): Record<string, unknown> {
  const text = a.content[1].text;
  return JSON.parse(text.startsWith("{") ? text : text.slice(text.indexOf("\n") + 1));
}

const summaryOf = (a: ToolAnswer): string => a.content[0].text;
const tableRow = (text: string, first: string): string | undefined =>
  text.split("\n").find((l) => l.startsWith(`| ${first} |`));

const hour = (i: number): string =>
  new Date(Date.UTC(2026, 10, 19) + i * 3_600_000).toISOString().replace(".000Z", "Z");
const bucket = (i: number, value: number | null, sample_count: number) => ({
  time_interval: hour(i),
  value,
  sample_count,
});
const linePoints = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: 1000 + i, timestamp: hour(i), value: ((i * 7919) % 1000) / 7 }));

describe("the line saying what was asked", () => {
  const query: WidgetQuery = {
    chart_type: "bar",
    field: "duration",
    aggregation_function: "avg",
    time_period: "day",
    filters: {
      operator: "and",
      conditions: [
        { field: "timestamp", op: "gte", value: "now-7d" },
        { field: "agent.id", op: "in", value: [12, 13] },
        { field: "success", op: "eq", value: true },
      ],
    },
  };

  it("names field, chart, aggregation and period, filters in short and the absolute UTC window", () => {
    const first = summaryOf(answer(query, [bucket(0, 1, 1)])).split("\n")[0] ?? "";
    expect(first).toContain("bar of duration, avg per day");
    expect(first).toContain("filters: agent.id in [12, 13] AND success = true");
    expect(first).not.toContain("now-7d"); // the timestamp bound is the window, not a filter
    expect(first).toContain(`window ${WINDOW_TEXT}`);
  });

  it("writes ASCII: operators, the window arrow, separators and elisions (one wider character makes the whole answer UTF-16 in V8)", () => {
    const ops: WidgetQuery = {
      ...query,
      time_period: "hour",
      filters: {
        operator: "and",
        conditions: [
          { field: "duration", op: "gte", value: 10 },
          { field: "duration", op: "lte", value: 900 },
          { field: "agent.id", op: "neq", value: 3 },
          { field: "agent.id", op: "in", value: [1, 2, 3, 4, 5, 6, 7] },
        ],
      },
    };
    const rows = Array.from({ length: 720 }, (_, i) => bucket(i, i, 1));
    const a = answer(ops, rows);
    const first = summaryOf(a).split("\n")[0] ?? "";
    expect(first).toContain(
      "duration >= 10 AND duration <= 900 AND agent.id != 3 AND agent.id in [1, 2, 3, 4, 5, ... 2 more]",
    );
    expect(first).toContain("; window ");
    expect(summaryOf(a)).toMatch(/\| \.\.\. \d+ rows \.\.\. \|/);
    const wide = [...JSON.stringify(a)].filter((ch) => ch.charCodeAt(0) > 0x7e);
    expect(wide).toEqual([]);
  });

  it("says open for a missing end", () => {
    const a = buildAnswer({
      query,
      window: { start: "2026-11-19T00:00:00Z", end: null, defaulted: true },
      response: { data: [] },
      source: { kind: "live" },
      notes: [],
    });
    expect(summaryOf(a)).toContain("2026-11-19T00:00:00Z to open");
  });

  it("says the source plainly when it is not live, and shows the notes", () => {
    const note = "No start time was given, so timestamp gte now-7d was added.";
    const demo = answer(query, [], { source: { kind: "demo" }, notes: [note] });
    expect(summaryOf(demo)).toContain("Source: built-in DEMO data, not your Cekura account");
    expect(summaryOf(demo)).toContain(note);
    expect(demo.structuredContent.source).toBe("built-in DEMO data, not your Cekura account");
    const local = answer(query, [], { source: { kind: "file", label: "calls.json" } });
    expect(summaryOf(local)).toContain("Source: local file calls.json, not your live Cekura data");
    expect(summaryOf(answer(query, []))).not.toContain("Source:");
  });
});

describe("bar", () => {
  const q = (aggregation_function: WidgetQuery["aggregation_function"]): WidgetQuery => ({
    chart_type: "bar",
    field: "duration",
    aggregation_function,
    time_period: "day",
  });
  const data = [bucket(0, 10, 2), bucket(24, 40, 1), bucket(48, 4, 7)];

  it("avg: the overall is the sample-weighted mean; peak and trough", () => {
    const a = answer(q("avg"), data);
    const s = summaryOf(a);
    // (10·2 + 40·1 + 4·7) / 10 = 8.8
    expect(tableRow(s, "**overall** (sample-weighted mean)")).toBe(
      "| **overall** (sample-weighted mean) | 8.8 | 10 |",
    );
    expect(s).toContain("| avg of duration (s) |");
    expect(s).toContain("Peak: 2026-11-20T00:00:00Z at 40 s (1 sample)");
    expect(s).toContain("Trough: 2026-11-21T00:00:00Z at 4 s (7 samples)");
    expect(a.structuredContent.stats).toMatchObject({
      chart: "bar",
      buckets: 3,
      overall: { value: 8.8, samples: 10, method: "sample-weighted mean" },
      peak: { time_interval: "2026-11-20T00:00:00Z", value: 40 },
      trough: { time_interval: "2026-11-21T00:00:00Z", value: 4 },
    });
  });

  it("count, sum, min, max combine as their aggregation says", () => {
    expect(tableRow(summaryOf(answer(q("count"), data)), "**overall** (sum of counts)")).toBe(
      "| **overall** (sum of counts) | 54 | 10 |",
    );
    expect(tableRow(summaryOf(answer(q("sum"), data)), "**overall** (sum of sums)")).toContain("| 54 |");
    expect(tableRow(summaryOf(answer(q("min"), data)), "**overall** (min of mins)")).toContain("| 4 |");
    expect(tableRow(summaryOf(answer(q("max"), data)), "**overall** (max of maxes)")).toContain("| 40 |");
  });

  it("sums without float noise", () => {
    const a = answer(q("sum"), [bucket(0, 0.1, 1), bucket(1, 0.2, 1)]);
    expect(tableRow(summaryOf(a), "**overall** (sum of sums)")).toBe(
      "| **overall** (sum of sums) | 0.3 | 2 |",
    );
    expect(a.structuredContent.stats).toMatchObject({ overall: { value: 0.3 } });
  });

  it("p95: no overall, and says that percentiles don't combine", () => {
    const a = answer(q("p95"), data);
    const s = summaryOf(a);
    expect(tableRow(s, "**overall** (none)")).toBe("| **overall** (none) | n/a | 10 |");
    expect(s).toContain("percentiles don't combine");
    expect(a.structuredContent.stats).toMatchObject({ overall: { value: null } });
    expect(String(a.structuredContent.stats.overall_note)).toContain("percentiles don't combine");
  });

  it("shows all of 72 hourly rows when they fit", () => {
    const rows = Array.from({ length: 72 }, (_, i) => bucket(i, i + 1, 1));
    const s = summaryOf(answer({ ...q("count"), time_period: "hour" }, rows));
    expect(s).not.toContain("rows ...");
    for (const b of rows) expect(s).toContain(`| ${b.time_interval} |`);
  });

  it("elides the middle of a long table but computes overall, peak and trough over all rows", () => {
    // 720 hourly buckets; the peak (value 5000) sits in the elided middle
    const rows = Array.from({ length: 720 }, (_, i) => bucket(i, i === 400 ? 5000 : 2, 1));
    const whole = { start: hour(0), end: hour(720), defaulted: false };
    const a = answer({ ...q("count"), time_period: "hour" }, rows, {
      window: whole,
      now: Date.parse(hour(720)),
    });
    const s = summaryOf(a);
    expect(s).toMatch(/\| \.\.\. \d+ rows \.\.\. \|/);
    expect(s).toContain(`| ${hour(0)} |`);
    expect(s).toContain(`| ${hour(719)} |`);
    expect(s).not.toContain(`| ${hour(400)} |`);
    expect(tableRow(s, "**overall** (sum of counts)")).toBe(
      `| **overall** (sum of counts) | ${719 * 2 + 5000} | 720 |`,
    );
    expect(s).toContain(`Peak: ${hour(400)} at 5000`);
    const shownRows = s.split("\n").filter((l) => /^\| 2026-/.test(l)).length;
    const gap = Number(/\| \.\.\. (\d+) rows \.\.\. \|/.exec(s)?.[1]);
    expect(shownRows + gap).toBe(720);
  });

  it("grouped buckets become a ranking of every group and a pivot (rows buckets, columns groups)", () => {
    const grouped = [
      { ...bucket(0, 3, 3), group: "agent-1" },
      { ...bucket(0, 4, 4), group: "agent-2" },
      { ...bucket(24, 5, 5), group: "agent-1" },
    ];
    const a = answer({ ...q("count"), group_by: { type: "field", field: "agent.id" } }, grouped, {
      now: Date.parse(WINDOW.end as string),
    });
    const s = summaryOf(a);
    expect(s).not.toContain("shape this summary does not know");
    expect(tableRow(s, "1")).toBe("| 1 | agent-1 | 8 | 8 | 2 |");
    expect(tableRow(s, "2")).toBe("| 2 | agent-2 | 4 | 4 | 1 |");
    expect(s).toContain("| bucket start (UTC) | agent-1 | agent-2 |");
    expect(s).toContain(`| ${hour(0)} | 3 | 4 |`);
    expect(s).toContain(`| ${hour(24)} | 5 |  |`);
    expect(a.structuredContent.stats).toMatchObject({ grouped: true, groups_total: 2, other_groups: 0 });
  });
});

describe("pie", () => {
  // 14 labels, counts 10..140 step 10 → total 1050; given in a shuffled order
  const slices = Array.from({ length: 14 }, (_, i) => ({
    label: `t${i}`,
    value: (i + 1) * 10,
    percentage: 0,
  }));
  const shuffled = [...slices.slice(7), ...slices.slice(0, 7)];

  it("sorts by count, keeps the top 10, folds the rest into other, with shares of the total", () => {
    const a = answer({ chart_type: "pie", field: "topic" }, shuffled);
    const s = summaryOf(a);
    const rows = s.split("\n").filter((l) => l.startsWith("| t"));
    expect(rows.map((r) => r.split(" | ")[0])).toEqual([
      "| t13",
      "| t12",
      "| t11",
      "| t10",
      "| t9",
      "| t8",
      "| t7",
      "| t6",
      "| t5",
      "| t4",
    ]);
    expect(tableRow(s, "t13")).toBe("| t13 | 140 | 13.3% |"); // 140/1050
    // other: t0..t3 = 10+20+30+40 = 100 → 9.5%
    expect(tableRow(s, "other (4 labels)")).toBe("| other (4 labels) | 100 | 9.5% |");
    expect(tableRow(s, "**total**")).toBe("| **total** | 1050 | 100% |");
    expect(a.structuredContent.stats).toMatchObject({
      labels: 14,
      total: 1050,
      other: { labels: 4, count: 100, share_percent: 9.5 },
    });
    expect((a.structuredContent.stats.top as unknown[]).length).toBe(10);
  });

  it("escapes pipes and newlines of labels", () => {
    const s = summaryOf(
      answer({ chart_type: "pie", field: "metadata.note" }, [{ label: "a|b\nc", value: 2, percentage: 100 }]),
    );
    expect(s).toContain("| a\\|b<br>c | 2 | 100% |");
    expect(
      s
        .split("\n")
        .filter((l) => l.startsWith("|"))
        .every((l) => l.endsWith("|")),
    ).toBe(true);
  });
});

describe("line", () => {
  const pts = [
    { id: 7, timestamp: "2026-11-20T10:00:00Z", value: 4 },
    { id: 3, timestamp: "2026-11-19T08:00:00Z", value: 10 },
    { id: 9, timestamp: "2026-11-21T09:00:00Z", value: null },
    ...[1, 2, 3, 5, 6, 7, 8, 9].map((v, i) => ({
      id: 100 + i,
      timestamp: `2026-11-19T1${i}:00:00Z`,
      value: v,
    })),
  ];

  it("gives count, min, continuous p50/p95, mean, max with units, first/last time and the 3 highest", () => {
    const a = answer({ chart_type: "line", field: "duration" }, pts);
    const s = summaryOf(a);
    // values 1..10: p50 = 5.5, p95 = 9 + 0.55·(10 − 9) = 9.55, mean 5.5
    expect(tableRow(s, "count")).toBe("| count | 11 |");
    expect(tableRow(s, "points without a value")).toBe("| points without a value | 1 |");
    expect(tableRow(s, "min")).toBe("| min | 1 s |");
    expect(tableRow(s, "p50")).toBe("| p50 | 5.5 s |");
    expect(tableRow(s, "mean")).toBe("| mean | 5.5 s |");
    expect(tableRow(s, "p95")).toBe("| p95 | 9.55 s |");
    expect(tableRow(s, "max")).toBe("| max | 10 s |");
    expect(tableRow(s, "first time")).toBe("| first time | 2026-11-19T08:00:00Z |");
    expect(tableRow(s, "last time")).toBe("| last time | 2026-11-21T09:00:00Z |");
    expect(tableRow(s, "3")).toBe("| 3 | 2026-11-19T08:00:00Z | 10 s |");
    expect(tableRow(s, "107")).toBe("| 107 | 2026-11-19T17:00:00Z | 9 s |");
    expect(tableRow(s, "106")).toBe("| 106 | 2026-11-19T16:00:00Z | 8 s |");
    expect(a.structuredContent.stats).toMatchObject({
      count: 11,
      min: 1,
      p50: 5.5,
      p95: 9.55,
      max: 10,
    });
    expect((a.structuredContent.stats.highest as unknown[]).slice(0, 3)).toMatchObject([
      { id: 3 },
      { id: 107 },
      { id: 106 },
    ]);
  });

  it("finds first and last time across formats", () => {
    const mixed = [
      { id: 1, timestamp: "2026-11-19T10:00:00.500Z", value: 1 },
      { id: 2, timestamp: "2026-11-19T10:00:00Z", value: 2 },
      { id: 3, timestamp: "2026-11-19T09:00:00+00:00", value: 3 },
    ];
    const s = answer({ chart_type: "line", field: "duration" }, mixed).structuredContent.stats;
    expect(s).toMatchObject({
      first_time: "2026-11-19T09:00:00+00:00",
      last_time: "2026-11-19T10:00:00.500Z",
    });
  });

  it("has no unit for a field the catalogue gives none", () => {
    const s = summaryOf(answer({ chart_type: "line", field: "agent_id" }, pts));
    expect(tableRow(s, "max")).toBe("| max | 10 |");
  });
});

describe("stat", () => {
  it("shows the four figures with units", () => {
    const a = answer(
      { chart_type: "stat" },
      { total_calls: 1234, success_rate: 0.873, avg_duration: 45.2, p95_latency: 850 },
    );
    const s = summaryOf(a);
    expect(tableRow(s, "total_calls")).toBe("| total_calls | 1234 |");
    expect(tableRow(s, "success_rate")).toBe("| success_rate | 0.873 (87.3%) |");
    expect(tableRow(s, "avg_duration")).toBe("| avg_duration | 45.2 s |");
    expect(tableRow(s, "p95_latency")).toBe("| p95_latency | 850 ms |");
    expect(a.structuredContent.stats).toMatchObject({
      total_calls: 1234,
      success_rate: 0.873,
      p95_latency: 850,
    });
  });

  it("says n/a for null latency and shows a rate outside 0..1 as it is", () => {
    const s = summaryOf(
      answer(
        { chart_type: "stat" },
        { total_calls: 5, success_rate: 87, avg_duration: null, p95_latency: null },
      ),
    );
    expect(tableRow(s, "p95_latency")).toBe("| p95_latency | n/a (no latency data) |");
    expect(tableRow(s, "success_rate")).toBe("| success_rate | 87 |");
    expect(tableRow(s, "avg_duration")).toBe("| avg_duration | n/a |");
  });

  it("data of unknown keys becomes a key/value table", () => {
    const a = answer({ chart_type: "stat" }, { calls: 3, rate: { a: 1 } });
    const s = summaryOf(a);
    expect(s).toContain("shape this summary does not know");
    expect(tableRow(s, "rate")).toBe('| rate | {"a":1} |');
  });
});

describe("shapes it does not know", () => {
  it("an unknown chart type is a generic table, never an error", () => {
    const a = buildAnswer({
      query: { chart_type: "line", field: "duration" },
      window: WINDOW,
      response: {
        chart_type: "area",
        data: [
          { x: 1, y: { deep: [1, 2] } },
          { x: 2, z: "p|q" },
        ],
      },
      source: { kind: "live" },
      notes: [],
    });
    const s = summaryOf(a);
    expect(s).toContain('the chart type "area"');
    expect(s).toContain("| x | y | z |");
    expect(s).toContain('| 1 | {"deep":[1,2]} |  |');
    expect(s).toContain("| 2 |  | p\\|q |");
    expect(a.structuredContent.stats).toMatchObject({ shape: "generic", items: 2, keys: ["x", "y", "z"] });
  });

  it("items of unknown keys are a generic table of the first 30 rows", () => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      id: i,
      when: hour(i),
      amount: i,
      note: "x".repeat(300),
    }));
    const s = summaryOf(answer({ chart_type: "line", field: "duration" }, items));
    expect(s).toContain("| id | when | amount | note |");
    expect(s.split("\n").filter((l) => /^\| \d+ \|/.test(l))).toHaveLength(30);
    expect(s).toContain("... 20 more rows (see the data)");
    expect(Math.max(...s.split("\n").map((l) => l.length))).toBeLessThan(400);
  });

  it("line items with an extra key or a non-numeric value are a generic table", () => {
    const good = { id: 1, timestamp: hour(0), value: 1 };
    for (const odd of [
      { ...good, extra: "a" },
      { ...good, value: "2026-11-19T00:00:00Z" },
      { ...good, timestamp: 5 },
    ]) {
      const a = answer({ chart_type: "line", field: "duration" }, [good, odd]);
      expect(a.structuredContent.stats).toMatchObject({ shape: "generic", items: 2 });
    }
  });

  it("a list where stat data was expected is shown, not refused", () => {
    const s = summaryOf(answer({ chart_type: "stat" }, [{ total_calls: 1 }]));
    expect(s).toContain("| total_calls |");
  });
});

describe("empty data", () => {
  const cases: [string, WidgetQuery, unknown][] = [
    ["line", { chart_type: "line", field: "duration" }, []],
    ["bar", { chart_type: "bar", field: "duration", aggregation_function: "count", time_period: "day" }, []],
    ["pie", { chart_type: "pie", field: "topic" }, []],
    [
      "stat",
      { chart_type: "stat" },
      { total_calls: 0, success_rate: null, avg_duration: null, p95_latency: null },
    ],
  ];
  it.each(cases)("%s: says nothing matched, the window and the likely causes", (_, query, data) => {
    const a = answer(query, data);
    const s = summaryOf(a);
    expect(s).toContain("Nothing matched");
    expect(s).toContain(WINDOW_TEXT);
    expect(s).toContain("the window");
    // Causes this query cannot have are not listed.
    for (const cause of ["the filters", "metric id", "metadata key", "the agent"])
      expect(s).not.toContain(cause);
    expect(a.structuredContent.stats).toMatchObject({ empty: true });
    expect(a.structuredContent.truncated).toBeNull();
  });

  it("points at the parts of this query that may match nothing", () => {
    const s = summaryOf(
      answer(
        {
          chart_type: "pie",
          field: "metric_evaluations.value",
          metric: 42,
          filters: {
            operator: "and",
            conditions: [
              { field: "agent.id", op: "eq", value: 12 },
              { field: "metadata.region", op: "eq", value: "eu" },
            ],
          },
        },
        [],
      ),
    );
    expect(s).toContain("(metric 42)");
    expect(s).toContain('(metadata.region = "eu")');
    expect(s).toContain("(agent.id = 12)");
  });
});

describe("both channels and the budget", () => {
  it("small data is kept whole in both channels, and the summary is in both", () => {
    const data = linePoints(10);
    const a = answer({ chart_type: "line", field: "duration" }, data);
    expect(a.content[1].text).toBe(JSON.stringify(rawOf(a)));
    expect(rawOf(a).data).toEqual(data);
    expect(a.structuredContent.data).toEqual(data);
    expect(a.structuredContent.truncated).toBeNull();
    expect(a.structuredContent.summary).toBe(a.content[0].text);
    expect(a.structuredContent.window).toEqual(WINDOW);
    expect(rawOf(a)).toMatchObject({ widget_id: null, chart_type: "line", metadata: { display_name: "x" } });
  });

  it.each([10, 10_000, 100_000])("%i line points stay under the budget, cut to whole leading items", (n) => {
    const data = linePoints(n);
    for (const budget of [24_000, 8_000]) {
      const a = answer({ chart_type: "line", field: "duration" }, data, { budgetChars: budget });
      expect(answerSize(a)).toBeLessThanOrEqual(budget);
      expect(
        a.content[0].text.length + a.content[1].text.length + JSON.stringify(a.structuredContent).length,
      ).toBeLessThanOrEqual(budget);
      const kept = rawOf(a).data as unknown[];
      expect(kept).toEqual(data.slice(0, kept.length));
      expect(a.structuredContent.data).toEqual(kept);
      // the summary covers all points whatever was cut
      expect(a.structuredContent.stats).toMatchObject({ count: n });
      if (kept.length < n) {
        expect(kept.length).toBeGreaterThan(10);
        const t = a.structuredContent.truncated;
        expect(t).toMatchObject({ shown: kept.length, total: n, omitted: n - kept.length });
        expect(t?.hint).toMatch(/shorter window/);
        expect(t?.hint).toMatch(/bar chart with a time_period/);
        const note = `the first ${kept.length} of ${n} items are included (${n - kept.length} left out)`;
        expect(a.content[1].text.split("\n")[0]).toContain(note);
        expect(a.content[1].text.split("\n")[0]).toContain("shorter window");
        expect(a.content[0].text).toContain(note);
      } else {
        expect(a.structuredContent.truncated).toBeNull();
      }
    }
  });

  it("uses the budget: the cut leaves little room unused", () => {
    const a = answer({ chart_type: "line", field: "duration" }, linePoints(10_000));
    const oneItem = JSON.stringify(linePoints(1)[0]).length + 1;
    // Two copies of the data: at most two items' worth plus the reserved room for the counts.
    expect(24_000 - answerSize(a)).toBeLessThan(2 * oneItem + 100);
  });

  it("huge label strings stay under the budget", () => {
    const slices = Array.from({ length: 40 }, (_, i) => ({
      label: `${i}:${'é|\n"'.repeat(20_000)}`,
      value: 40 - i,
      percentage: 2.5,
    }));
    const a = answer({ chart_type: "pie", field: "topic" }, slices);
    expect(answerSize(a)).toBeLessThanOrEqual(24_000);
    expect(a.structuredContent.truncated).toMatchObject({ shown: 0, total: 40, omitted: 40 });
    expect(summaryOf(a)).toContain("| **total** | 820 | 100% |");
  });

  it("huge unknown fields beside data stay under the budget", () => {
    const a = buildAnswer({
      query: { chart_type: "bar", field: "duration", aggregation_function: "count", time_period: "day" },
      window: WINDOW,
      response: {
        data: [bucket(0, 1, 1)],
        can_group_by: "x".repeat(100_000),
        metadata: { huge: "y".repeat(50_000) },
      },
      source: { kind: "live" },
      notes: ["n".repeat(10_000)],
    });
    expect(answerSize(a)).toBeLessThanOrEqual(24_000);
    expect(rawOf(a).data).toEqual([bucket(0, 1, 1)]);
  });

  it("keeps under a small budget too", () => {
    const a = answer(
      { chart_type: "bar", field: "duration", aggregation_function: "avg", time_period: "hour" },
      [...Array.from({ length: 500 }, (_, i) => bucket(i, i, 2))],
      { budgetChars: 3_000 },
    );
    expect(answerSize(a)).toBeLessThanOrEqual(3_000);
  });
});

describe("errorAnswer", () => {
  it("is one text block starting with the category, without structuredContent", () => {
    const e = errorAnswer({ category: "validation", message: "chart_type is not valid." });
    expect(e).toEqual({
      isError: true,
      content: [{ type: "text", text: "validation: chart_type is not valid." }],
    });
  });
  it("adds a retry hint", () => {
    const e = errorAnswer({
      category: "rate_limited",
      message: "Too many requests.",
      retryAfterSeconds: 7.2,
    });
    expect(e.content[0].text).toBe("rate_limited: Too many requests.\nRetry after about 8 seconds.");
  });
});

describe("notes", () => {
  it("are bounded so that the tables keep their room", () => {
    const notes = Array.from({ length: 40 }, (_, i) => `note ${i} ${"n".repeat(200)}`);
    const a = answer(
      { chart_type: "stat" },
      { total_calls: 3, success_rate: 1, avg_duration: 2, p95_latency: 3 },
      { notes },
    );
    const s = summaryOf(a);
    expect(s).toContain("Note: note 0 ");
    expect(s).toMatch(/\(\d+ more notes left out\)/);
    expect(tableRow(s, "p95_latency")).toBe("| p95_latency | 3 ms |");
  });
});
