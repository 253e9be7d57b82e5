/**
 * The MCP prompts: every tool call a prompt prescribes is a valid call (extracted from the
 * rendered text and run through validateWidgetQuery), and arguments are checked.
 */
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { getMcpPrompt, listMcpPrompts } from "../../src/server/prompts.js";
import { type ValidateOptions, validateWidgetQuery } from "../../src/widget/validate.js";

const DAY = 86_400_000;
const NOW = Date.now();
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString().slice(0, 10);
const LIVE: ValidateOptions = { now: NOW, defaultStart: "now-7d", maxWindowDays: 30 };

const textOf = (name: string, args: Record<string, string> = {}) => {
  const r = getMcpPrompt(name, args, NOW);
  expect(r.messages).toHaveLength(1);
  expect(r.messages[0]!.role).toBe("user");
  return r.messages[0]!.content.text;
};

type Body = Record<string, unknown>;

/**
 * Every ```json block of a rendered prompt as preview calls. A create_dashboard call gives its
 * widgets, each with the dashboard's filters; a new dashboard's body gives its filters to the
 * widget bodies (an array) that follow it.
 */
function callsIn(text: string): Body[] {
  const blocks = [...text.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as unknown);
  let dashboardFilters: unknown;
  return blocks.flatMap((b): Body[] => {
    if (Array.isArray(b)) return (b as Body[]).map((w) => ({ ...w, dashboard_filters: dashboardFilters }));
    const o = b as Body;
    if (Array.isArray(o.widgets))
      return (o.widgets as Body[]).map((w) => ({ ...w, dashboard_filters: o.filters }));
    if (o.chart_type === undefined) {
      dashboardFilters = o.filters;
      return [];
    }
    return [o];
  });
}

function expectValidCalls(text: string, opts: ValidateOptions = LIVE): Record<string, unknown>[] {
  expect(text).not.toMatch(/\{[#^/]?[a-z_]+\}/); // no placeholder left
  const calls = callsIn(text);
  expect(calls.length).toBeGreaterThanOrEqual(3);
  for (const call of calls) {
    const result = validateWidgetQuery(call, opts);
    expect(result.ok, `${JSON.stringify(call)} → ${JSON.stringify(result)}`).toBe(true);
    // A prompt never leans on the server's default window.
    expect(result.ok && result.window.defaulted).toBe(false);
  }
  return calls;
}

const conditionsOf = (call: Record<string, unknown>): unknown[] => {
  const out: unknown[] = [];
  const walk = (f: unknown) => {
    if (f && typeof f === "object" && "conditions" in f)
      (f as { conditions: unknown[] }).conditions.forEach(walk);
    else if (f) out.push(f);
  };
  walk(call.filters);
  walk(call.dashboard_filters);
  return out;
};
const AGENT = (id: number) => ({ field: "agent.id", op: "eq", value: id });

function invalidParams(fn: () => unknown, message: RegExp) {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected an McpError matching ${message}`).toBeInstanceOf(McpError);
  expect((thrown as McpError).code).toBe(ErrorCode.InvalidParams);
  expect((thrown as McpError).message).toMatch(message);
}

describe("prompts/list", () => {
  it("lists the four prompts with described arguments", () => {
    const { prompts } = listMcpPrompts();
    expect(prompts.map((p) => p.name)).toEqual([
      "call-health-report",
      "draft-dashboard",
      "investigate-metric",
      "explain-drop",
    ]);
    const args = Object.fromEntries(
      prompts.map((p) => [p.name, p.arguments.map((a) => `${a.name}${a.required ? "!" : "?"}`)]),
    );
    expect(args).toEqual({
      "call-health-report": ["days!", "agent_id?"],
      "draft-dashboard": ["goal!", "agent_id?"],
      "investigate-metric": ["metric_id!", "days?"],
      "explain-drop": ["field!", "day!"],
    });
    for (const p of prompts) {
      expect(p.title.length).toBeGreaterThan(5);
      expect(p.description.length).toBeGreaterThan(30);
      for (const a of p.arguments) expect(a.description.length).toBeGreaterThan(10);
      expect(JSON.stringify(p)).not.toMatch(/\{[a-z_]+\}/);
    }
  });
});

describe("call-health-report", () => {
  it("prescribes valid calls over today-{days}d (whole days), for all agents and per agent", () => {
    const calls = expectValidCalls(textOf("call-health-report", { days: "12" }));
    expect(calls.length).toBeGreaterThanOrEqual(6);
    for (const c of calls) {
      expect(JSON.stringify(c)).toContain('"value":"today-12d"');
      expect(conditionsOf(c)).not.toContainEqual(expect.objectContaining({ field: "agent.id" }));
    }
    expect(calls.some((c) => JSON.stringify(c.group_by) === '{"type":"field","field":"agent.id"}')).toBe(
      true,
    );
    expect(calls.map((c) => c.time_period)).toContain("day");
  });

  it("adds the agent filter only when agent_id is given, and uses hours for short windows", () => {
    const text = textOf("call-health-report", { days: "2", agent_id: "4" });
    expect(text).toContain("for agent 4");
    const calls = expectValidCalls(text);
    for (const c of calls) expect(conditionsOf(c)).toContainEqual(AGENT(4));
    expect(calls.some((c) => c.group_by !== undefined)).toBe(false);
    expect(calls.filter((c) => c.chart_type === "bar").every((c) => c.time_period === "hour")).toBe(true);
    // An optional argument left empty (clients send "") is absent.
    expect(textOf("call-health-report", { days: "7", agent_id: "" })).toContain("across all agents");
  });

  it("tells the model how to phrase the answer", () => {
    const text = textOf("call-health-report", { days: "7" });
    expect(text).toMatch(/Lead with the finding/);
    expect(text).toMatch(/UTC/);
    expect(text).toMatch(/unit/);
    expect(text).toMatch(/Caveats/);
  });

  it("refuses a missing or bad days, and a bad agent_id", () => {
    invalidParams(() => getMcpPrompt("call-health-report", {}, NOW), /needs the argument days/);
    invalidParams(() => getMcpPrompt("call-health-report", { days: "" }, NOW), /needs the argument days/);
    for (const bad of ["0", "31", "7.5", "-3", "seven", "1e1"]) {
      invalidParams(
        () => getMcpPrompt("call-health-report", { days: bad }, NOW),
        /days must be a whole number of days from 1 to 30/,
      );
    }
    for (const bad of ["abc", "4.2", "-1", "0"]) {
      invalidParams(
        () => getMcpPrompt("call-health-report", { days: "7", agent_id: bad }, NOW),
        /agent_id must be a positive whole number/,
      );
    }
    invalidParams(
      () => getMcpPrompt("call-health-report", { days: "7", agent: "4" }, NOW),
      /no argument "agent"/,
    );
  });
});

describe("draft-dashboard", () => {
  it("looks at existing dashboards, previews valid widgets and saves them with create_dashboard", () => {
    const text = textOf("draft-dashboard", { goal: "spot failing calls early" });
    expect(text).toContain('"spot failing calls early"');
    expect(text).toMatch(/4 to 8 widgets/);
    expect(text.indexOf("list_dashboards")).toBeLessThan(text.indexOf("preview_widget_data"));
    expect(text).toContain("create_dashboard");
    expect(text).not.toContain("POST /dashboards/widgets/");
    const calls = expectValidCalls(text);
    expect(calls.length).toBeGreaterThanOrEqual(8);
    const saved = calls.filter((c) => c.name !== undefined);
    expect(saved.length).toBeGreaterThanOrEqual(1);
  });

  it("ends with the JSON bodies when writes are switched off", () => {
    const r = getMcpPrompt("draft-dashboard", { goal: "spot failing calls early" }, NOW, { writes: false });
    const text = r.messages[0]!.content.text;
    expect(text).toContain("POST /dashboards/widgets/");
    expect(text).toContain("POST /dashboards/dashboards/");
    expect(text).not.toContain("create_dashboard");
    const proposal = expectValidCalls(text).filter((c) => c.dashboard !== undefined);
    expect(proposal.length).toBeGreaterThanOrEqual(1);
    for (const body of proposal) expect(body.name).toEqual(expect.any(String));
  });

  it("previews the weekly per-agent widget over whole weeks, Monday to Sunday, on any weekday", () => {
    for (let day = 0; day < 7; day++) {
      const now = Date.parse("2026-11-23T12:00:00Z") + day * DAY; // Monday + day
      const text = getMcpPrompt("draft-dashboard", { goal: "weekly review" }, now).messages[0]!.content.text;
      const weekly = callsIn(text).find((c) => c.time_period === "week" && c.group_by !== undefined)!;
      const result = validateWidgetQuery(weekly, { ...LIVE, now });
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      const start = new Date(result.window.start!);
      const end = new Date(result.window.end!);
      expect(start.getUTCDay()).toBe(1);
      expect(start.toISOString()).toMatch(/T00:00:00/);
      expect(end.getUTCDay()).toBe(0);
      expect(end.toISOString()).toMatch(/T23:59:59/);
      expect(end.getTime()).toBeLessThan(now);
      expect(Math.round((end.getTime() + 1000 - start.getTime()) / (7 * DAY))).toBe(3);
    }
  });

  it("scopes every widget to the agent when agent_id is given", () => {
    const calls = expectValidCalls(textOf("draft-dashboard", { goal: "billing review", agent_id: "2" }));
    for (const c of calls) expect(conditionsOf(c)).toContainEqual(AGENT(2));
  });

  it("keeps a goal with braces or quotes as plain text", () => {
    const text = textOf("draft-dashboard", { goal: 'watch {days} and "$&" calls' });
    expect(text).toContain('watch {days} and "$&" calls');
    expectValidCalls(text.replace("{days}", "days"));
  });

  it("refuses a missing goal", () => {
    invalidParams(() => getMcpPrompt("draft-dashboard", { agent_id: "2" }, NOW), /needs the argument goal/);
    invalidParams(() => getMcpPrompt("draft-dashboard", { goal: "x".repeat(501) }, NOW), /at most 500/);
  });
});

describe("investigate-metric", () => {
  it("uses the metric id everywhere, 14 days by default, with same_row for low scores", () => {
    const text = textOf("investigate-metric", { metric_id: "103" });
    const calls = expectValidCalls(text);
    for (const c of calls) expect(JSON.stringify(c)).toContain('"value":"today-14d"');
    const plotted = calls.filter((c) => c.field === "metric_evaluations.value");
    expect(plotted.length).toBeGreaterThanOrEqual(3);
    for (const c of plotted) expect(c.metric).toBe(103);
    expect(plotted.map((c) => c.chart_type)).toEqual(expect.arrayContaining(["pie", "bar"]));
    expect(text).toContain(
      '{"operator":"same_row","conditions":[{"field":"metric_evaluations.metric.id","op":"eq","value":103}',
    );
    expect(JSON.stringify(calls)).toContain('"group_by":{"type":"field","field":"agent.id"}');
  });

  it("takes days", () => {
    const calls = expectValidCalls(textOf("investigate-metric", { metric_id: "101", days: "30" }));
    for (const c of calls) expect(JSON.stringify(c)).toContain('"value":"today-30d"');
  });

  it("refuses a missing or non-integer metric_id", () => {
    invalidParams(() => getMcpPrompt("investigate-metric", {}, NOW), /needs the argument metric_id/);
    invalidParams(
      () => getMcpPrompt("investigate-metric", { metric_id: "Customer Satisfaction" }, NOW),
      /metric_id must be a positive whole number/,
    );
    invalidParams(() => getMcpPrompt("investigate-metric", { metric_id: "101", days: "45" }, NOW), /1 to 30/);
  });
});

describe("explain-drop", () => {
  it("compares the day with the days before it, all calls valid under the 30-day rule", () => {
    const day = daysAgo(9);
    const text = textOf("explain-drop", { field: "success", day });
    expect(text).toContain(`${day}T00:00:00Z`);
    const calls = expectValidCalls(text);
    expect(calls.length).toBeGreaterThanOrEqual(8);
    expect(calls.filter((c) => c.field === "success").every((c) => c.aggregation_function === "avg")).toBe(
      true,
    );
    expect(JSON.stringify(calls)).toContain(`"value":"${daysAgo(16)}T00:00:00Z"`);
  });

  it("suits the calls to the field's data type", () => {
    const duration = expectValidCalls(textOf("explain-drop", { field: "duration", day: daysAgo(3) }));
    expect(duration.filter((c) => c.field === "duration").map((c) => c.aggregation_function)).toContain(
      "avg",
    );
    const topic = expectValidCalls(textOf("explain-drop", { field: "topic", day: daysAgo(3) }));
    expect(topic.filter((c) => c.field === "topic").map((c) => c.chart_type)).toEqual(
      expect.arrayContaining(["bar", "pie"]),
    );
    expect(
      topic
        .filter((c) => c.field === "topic" && c.chart_type === "bar")
        .every((c) => c.aggregation_function === "count"),
    ).toBe(true);
    expectValidCalls(textOf("explain-drop", { field: "metadata.region", day: daysAgo(1) }));
    expectValidCalls(textOf("explain-drop", { field: "is_reviewed", day: daysAgo(1) }));
  });

  it("keeps the baseline inside the API's window near the 30-day edge, and warns for older days", () => {
    expectValidCalls(textOf("explain-drop", { field: "success", day: daysAgo(29) }));
    const old = textOf("explain-drop", { field: "success", day: daysAgo(40) });
    expect(old).toMatch(/refuses windows that start more than 30 days ago/);
    expectValidCalls(old, { now: NOW, defaultStart: "now-7d" }); // fine on a local file
    expect(textOf("explain-drop", { field: "success", day: daysAgo(0) })).toMatch(/not over yet/);
  });

  it("refuses bad days and fields", () => {
    for (const bad of ["yesterday", "2026-13-01", "2026-02-30", "14/03/2026", "2026-3-4"]) {
      invalidParams(() => getMcpPrompt("explain-drop", { field: "success", day: bad }, NOW), /YYYY-MM-DD/);
    }
    invalidParams(
      () => getMcpPrompt("explain-drop", { field: "success", day: daysAgo(-2) }, NOW),
      /in the future/,
    );
    for (const bad of ["agent_id", "metric_evaluations.value", "succes", "metadata.a.b"]) {
      invalidParams(
        () => getMcpPrompt("explain-drop", { field: bad, day: daysAgo(2) }, NOW),
        /field must be one of .*success/,
      );
    }
    invalidParams(() => getMcpPrompt("explain-drop", { day: daysAgo(2) }, NOW), /needs the argument field/);
  });
});

it("refuses an unknown prompt, naming the prompts", () => {
  invalidParams(() => getMcpPrompt("health", {}, NOW), /Unknown prompt "health".*call-health-report/);
});
