/**
 * Answers an analyst would give, end to end: each call goes through the tool handler to the
 * embedded demo backend, and the answer is read as the model reads it (the summary) and as a
 * program reads it (stats). Live mode's extra request is counted against a loopback upstream.
 */
import { afterAll, describe, expect, it } from "vitest";
import { TOOL_DESCRIPTION } from "../src/server/model-texts.js";
import { handlePreviewWidgetData } from "../src/server/tools/preview-widget-data.js";
import { ok } from "../src/shared/errors.js";
import { createRedactor, secretForms } from "../src/shared/redact.js";
import { createUpstreamClient } from "../src/upstream/client.js";
import { demoDeps } from "./helpers/demo-deps.js";
import { startLoopbackServer } from "./helpers/loopback-server.js";

const deps = demoDeps();
const { backend } = deps;
afterAll(() => backend.close());

type Answer = { summary: string; stats: Record<string, unknown>; data: unknown };
async function ask(args: Record<string, unknown>): Promise<Answer> {
  const r = await handlePreviewWidgetData(deps, args);
  const text = r.content.map((c) => c.text).join("\n");
  expect(r.isError, text).toBeFalsy();
  expect(JSON.stringify(r).length).toBeLessThanOrEqual(24_000);
  return r.structuredContent as Answer;
}
async function refusal(args: Record<string, unknown>): Promise<string> {
  const r = await handlePreviewWidgetData(deps, args);
  expect(r.isError).toBe(true);
  return r.content.map((c) => c.text).join("\n");
}

const since = (value: string) => ({ field: "timestamp", op: "gte", value });
const until = (value: string) => ({ field: "timestamp", op: "lte", value });
const and = (...conditions: unknown[]) => ({ operator: "and", conditions });
const BY_AGENT = { type: "field", field: "agent.id" };
const rows = (summary: string, first: RegExp) => summary.split("\n").filter((l) => first.test(l));

describe("grouped results as a pivot", () => {
  it("'which agent is worst over 30 days' in one call: every agent ranked, the worst named", async () => {
    const a = await ask({
      chart_type: "bar",
      field: "success",
      aggregation_function: "avg",
      time_period: "week",
      group_by: BY_AGENT,
      filters: since("today-30d"),
    });
    expect(a.summary).not.toMatch(/shape this summary does not know/);
    expect(a.summary).toMatch(/All 5 groups ranked by avg over the whole window \(sample-weighted mean\)/);
    // The demo's story: agent 4 is clearly the worst.
    expect(a.summary).toMatch(/lowest: 4 \(Tech Support Agent\) at 0\.\d+/);
    expect(a.summary).toContain("| bucket start (UTC) |");
    const groups = a.stats.groups as { group: string; value: number; samples: number }[];
    expect(groups.map((g) => g.group).sort()).toEqual(["1", "2", "3", "4", "5"]);
    expect(groups.at(-1)?.group).toBe("4");
    // Ranked: highest first.
    for (let i = 1; i < groups.length; i++)
      expect(groups[i - 1]!.value).toBeGreaterThanOrEqual(groups[i]!.value);
    // The window-wide figure is the sample-weighted mean of the group's buckets.
    const data = a.data as { group: string; value: number; sample_count: number }[];
    const four = data.filter((d) => d.group === "4");
    const mean =
      four.reduce((s, d) => s + d.value * d.sample_count, 0) / four.reduce((s, d) => s + d.sample_count, 0);
    expect(groups.find((g) => g.group === "4")?.value).toBeCloseTo(mean, 3);
  });

  it("more than 8 groups: 8 columns and an honest 'other', and every group still ranked", async () => {
    const a = await ask({
      chart_type: "bar",
      field: "is_reviewed",
      aggregation_function: "count",
      time_period: "week",
      group_by: { type: "field", field: "topic" },
      filters: since("today-14d"),
    });
    const total = a.stats.groups_total as number;
    expect(total).toBeGreaterThan(8);
    expect(a.stats.columns).toHaveLength(8);
    expect(a.stats.other_groups).toBe(total - 8);
    expect(a.summary).toContain(`other (${total - 8} groups)`);
    // Every group has a ranking row: no group silently left out.
    expect(rows(a.summary, /^\| \d+ \| /)).toHaveLength(total);
    // Totals for counts: the ranking's figures add up to every call in the data.
    const groups = a.stats.groups as { value: number }[];
    const sum = (a.data as { value: number }[]).reduce((s, d) => s + d.value, 0);
    expect(groups.reduce((s, g) => s + g.value, 0)).toBe(sum);
  });

  it("a grouped line gets per-group figures, not a table of keys", async () => {
    const a = await ask({
      chart_type: "line",
      field: "duration",
      group_by: BY_AGENT,
      filters: since("now-1d"),
    });
    expect(a.summary).not.toMatch(/shape this summary does not know/);
    expect(a.summary).toMatch(/Per group \(5\), highest mean first/);
    expect(a.stats.groups_total).toBe(5);
  });
});

describe("windows that cannot mislead", () => {
  it("an end after now gets a note, and lt today a hint for yesterday", async () => {
    const a = await ask({
      chart_type: "bar",
      field: "is_reviewed",
      aggregation_function: "count",
      time_period: "hour",
      filters: and(since("today-1d"), { field: "timestamp", op: "lt", value: "today" }),
    });
    expect(a.summary).toMatch(/Note: The window ends at \S+T23:59:59Z, after now/);
    expect(a.summary).toMatch(/for yesterday ask gte today-1d with lte today-1d/);
  });

  it("partial buckets are marked, and peak and trough are never one of them", async () => {
    const a = await ask({
      chart_type: "bar",
      field: "is_reviewed",
      aggregation_function: "count",
      time_period: "hour",
      filters: since("now-2d"),
    });
    const partial = a.stats.partial_buckets as string[];
    // now-2d starts inside an hour and now is inside one: the first and last buckets.
    expect(partial.length).toBeGreaterThanOrEqual(1);
    for (const t of partial) expect(a.summary).toContain(`| ${t} (partial) |`);
    const peak = a.stats.peak as { time_interval: string };
    const trough = a.stats.trough as { time_interval: string };
    expect(partial).not.toContain(peak.time_interval);
    expect(partial).not.toContain(trough.time_interval);
  });

  it("week buckets say they start on Monday (UTC)", async () => {
    const a = await ask({
      chart_type: "bar",
      field: "duration",
      aggregation_function: "avg",
      time_period: "week",
      filters: since("today-28d"),
    });
    expect(a.summary).toContain("Week buckets start on Monday 00:00 UTC");
    for (const b of a.data as { time_interval: string }[])
      expect(new Date(b.time_interval).getUTCDay()).toBe(1);
  });

  it("one bucket: no peak or trough, and its value is the overall figure, percentiles included", async () => {
    const a = await ask({
      chart_type: "bar",
      field: "duration",
      aggregation_function: "p95",
      time_period: "day",
      filters: and(since("today-1d"), until("today-1d")),
    });
    expect(a.data).toHaveLength(1);
    expect(a.summary).not.toMatch(/Peak:|Trough:/);
    expect(a.summary).not.toMatch(/percentiles don't combine/);
    const only = (a.data as { value: number }[])[0]!.value;
    expect((a.stats.overall as { value: number }).value).toBeCloseTo(only, 3);
  });
});

describe("coverage", () => {
  it("a pie of success says how many calls have no success value, against the stat's total", async () => {
    const window = since("today-7d");
    const [pie, stat] = await Promise.all([
      ask({ chart_type: "pie", field: "success", filters: window }),
      ask({ chart_type: "stat", filters: window }),
    ]);
    const counted = (pie.data as { value: number }[]).reduce((s, d) => s + d.value, 0);
    const total = stat.stats.total_calls as number;
    // Demo calls follow the clock: a call may land between the two requests.
    expect(Math.abs((pie.stats.coverage as { calls: number }).calls - total)).toBeLessThanOrEqual(5);
    expect(counted).toBeLessThan(total);
    expect(pie.summary).toMatch(
      new RegExp(
        `Coverage: ${counted} of the \\d+ calls that match the filters have a value for success; \\d+ \\(\\d`,
      ),
    );
  });

  it("a bar of durations says so too; the stat says what its success rate is a share of", async () => {
    const bar = await ask({
      chart_type: "bar",
      field: "duration",
      aggregation_function: "avg",
      time_period: "day",
      filters: since("today-7d"),
    });
    expect(bar.summary).toMatch(
      /Coverage: \d+ of the \d+ calls .* have a value for duration; \d+ .*have none/,
    );
    const stat = await ask({ chart_type: "stat", filters: since("today-7d") });
    expect(stat.summary).toMatch(/success_rate is a share of the calls with a success value/);
  });

  it("count of is_reviewed per day sums to the stat's total_calls (the call-volume field the description names)", async () => {
    expect(TOOL_DESCRIPTION).toMatch(/Call volume: count of is_reviewed/);
    const window = and(since("today-7d"), until("today-1d"));
    const [bar, stat] = await Promise.all([
      ask({
        chart_type: "bar",
        field: "is_reviewed",
        aggregation_function: "count",
        time_period: "day",
        filters: window,
      }),
      ask({ chart_type: "stat", filters: window }),
    ]);
    const sum = (bar.data as { value: number }[]).reduce((s, d) => s + d.value, 0);
    expect(sum).toBe(stat.stats.total_calls);
    expect(bar.summary).toMatch(
      /Coverage: all \d+ calls that match the filters have a value for is_reviewed/,
    );
  });
});

describe("discovery", () => {
  it("an eq filter on a text field that matches nothing lists the values that exist", async () => {
    const a = await ask({
      chart_type: "pie",
      field: "call_ended_reason",
      filters: and(since("today-7d"), { field: "metadata.region", op: "eq", value: "EU" }),
    });
    expect(a.data).toEqual([]);
    expect(a.summary).toMatch(
      /metadata\.region = "EU" matched nothing\. Values of metadata\.region that exist in the window.*"eu" \(\d+\)/,
    );
  });

  it("a metric answer names the metric and its type", async () => {
    const a = await ask({
      chart_type: "bar",
      field: "metric_evaluations.value",
      metric: 101,
      aggregation_function: "avg",
      time_period: "day",
      filters: since("today-7d"),
    });
    expect(a.summary).toMatch(/Metric 101 is "Customer Satisfaction" \(numeric values\)/);
  });

  it("agent names stand beside agent ids, in groups and for filtered agents", async () => {
    const a = await ask({
      chart_type: "bar",
      field: "success",
      aggregation_function: "avg",
      time_period: "day",
      group_by: BY_AGENT,
      filters: and(since("today-7d"), { field: "agent.id", op: "in", value: [2, 4] }),
    });
    expect(a.summary).toContain('Note: Agents: 2 = "Billing Assistant", 4 = "Tech Support Agent".');
    expect(a.summary).toMatch(/\| \d \| 4 \(Tech Support Agent\) \| /);
    expect(a.summary).toContain("| bucket start (UTC) | 2 (Billing Assistant) | 4 (Tech Support Agent) |");
    expect(a.stats.groups).toContainEqual(
      expect.objectContaining({ group: "4", name: "Tech Support Agent" }),
    );
  });

  it("a pie's other slice names the labels it folds", async () => {
    const a = await ask({ chart_type: "pie", field: "topic", filters: since("today-7d") });
    const other = a.stats.other as { labels: number; folded: { label: string; count: number }[] };
    expect(other.labels).toBeGreaterThan(0);
    expect(a.summary).toContain(
      `"other" folds ${other.labels} labels: "${other.folded[0]!.label}" (${other.folded[0]!.count})`,
    );
  });
});

describe("profiles from the data already fetched", () => {
  it("an hourly bar over more than a day adds the hour-of-day profile", async () => {
    const a = await ask({
      chart_type: "bar",
      field: "is_reviewed",
      aggregation_function: "count",
      time_period: "hour",
      filters: since("today-3d"),
    });
    expect(a.summary).toMatch(/By hour of day \(UTC, complete hours only\)/);
    expect(a.summary).toMatch(/Highest hour: \d\d:00 UTC/);
    expect((a.stats.hours as unknown[]).length).toBe(24);
  });

  it("a daily bar over 7 days or more adds weekdays against weekends", async () => {
    const a = await ask({
      chart_type: "bar",
      field: "is_reviewed",
      aggregation_function: "count",
      time_period: "day",
      filters: since("today-14d"),
    });
    expect(a.summary).toMatch(/Weekdays against weekends/);
    const [weekdays, weekends] = a.stats.weekdays_vs_weekends as { value: number }[];
    // The demo's weekdays are busier.
    expect(weekdays!.value).toBeGreaterThan(weekends!.value);
  });

  it("a line lists the 10 highest and 10 lowest points with id, time and group", async () => {
    const a = await ask({
      chart_type: "line",
      field: "duration",
      group_by: BY_AGENT,
      filters: since("now-1d"),
    });
    expect(a.summary).toMatch(/Highest 10 points:\n\| call id \| time \| duration \(s\) \| group \|/);
    expect(a.summary).toMatch(/Lowest 10 points:/);
    expect(a.stats.highest).toHaveLength(10);
    expect((a.stats.lowest as { group: string }[])[0]?.group).toMatch(/^[1-5]$/);
  });
});

it("the 30-day refusal says what the person can do about older calls", async () => {
  const text = await refusal({ chart_type: "stat", filters: since("now-45d") });
  expect(text).toMatch(/^invalid_arguments: /);
  expect(text).toMatch(/export the call logs from Cekura/);
  expect(text).toMatch(/--data FILE/);
  expect(text).toContain('README section "Demo data and local files"');
});

describe("live mode: at most one extra request, and its failure costs only its line", () => {
  it("a chart sends one stat beside it; when the stat fails the coverage line is left out", async () => {
    let failStat = false;
    const server = await startLoopbackServer((_req, res, info) => {
      const body = JSON.parse(info.body) as { chart_type: string };
      if (body.chart_type === "stat") {
        if (failStat)
          return void res.writeHead(400, { "content-type": "application/json" }).end('{"detail":"no"}');
        return void res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            chart_type: "stat",
            data: { total_calls: 10, success_rate: 0.5, avg_duration: 1, p95_latency: null },
          }),
        );
      }
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          chart_type: "pie",
          field_name: "success",
          data: [
            { label: "true", value: 6, percentage: 75 },
            { label: "false", value: 2, percentage: 25 },
          ],
        }),
      );
    });
    const client = createUpstreamClient({
      baseUrl: server.origin,
      apiKey: "k",
      deadlineMs: 5_000,
      maxRetries: 0,
    });
    const live = {
      ...deps,
      backend: { get: async () => ok({ client, source: { kind: "live" as const } }), close: async () => {} },
    };
    try {
      const args = { chart_type: "pie", field: "success", filters: since("now-1d") };
      const first = await handlePreviewWidgetData(live, args);
      expect(server.requests).toHaveLength(2);
      expect(first.content[0]?.text).toContain(
        "Coverage: 8 of the 10 calls that match the filters have a value for success; 2 (20%) have none",
      );
      failStat = true;
      const second = await handlePreviewWidgetData(live, args);
      expect(second.isError).toBeFalsy();
      expect(server.requests).toHaveLength(4);
      expect(second.content[0]?.text).not.toContain("Coverage:");
      expect(second.content[0]?.text).toContain("| true | 6 | 75% |");
      // A stat is its own coverage: no extra request.
      await handlePreviewWidgetData(live, { chart_type: "stat", filters: since("now-1d") });
      expect(server.requests).toHaveLength(5);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("the values a discovery request brings back pass the same key redaction as the answer", async () => {
    const KEY = "ck_live_discovery_canary_4f9a8b7c6d5e";
    const server = await startLoopbackServer((_req, res, info) => {
      const body = JSON.parse(info.body) as { chart_type: string; filters?: unknown };
      const json = (v: unknown) =>
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(v));
      if (body.chart_type === "stat") return void json({ chart_type: "stat", data: { total_calls: 0 } });
      // The chart asked for topic eq "x": nothing; the discovery pie (no topic condition): the key as a value.
      if (JSON.stringify(body.filters).includes('"topic"')) return void json({ chart_type: "pie", data: [] });
      json({ chart_type: "pie", data: [{ label: `topic-${KEY}`, value: 3, percentage: 100 }] });
    });
    const client = createUpstreamClient({
      baseUrl: server.origin,
      apiKey: KEY,
      deadlineMs: 5_000,
      maxRetries: 0,
    });
    const live = {
      ...deps,
      backend: {
        get: async () =>
          ok({ client, source: { kind: "live" as const }, redact: createRedactor(secretForms(KEY)) }),
        close: async () => {},
      },
    };
    try {
      const r = await handlePreviewWidgetData(live, {
        chart_type: "pie",
        field: "call_ended_reason",
        filters: and(since("now-1d"), { field: "topic", op: "eq", value: "x" }),
      });
      // The chart, its coverage stat, and one discovery pie on the empty answer.
      expect(server.requests).toHaveLength(3);
      const text = JSON.stringify(r);
      expect(text).toContain("Values of topic that exist in the window");
      expect(text).not.toContain(KEY);
      expect(text).toContain("[REDACTED]");
    } finally {
      await client.close();
      await server.close();
    }
  });
});
