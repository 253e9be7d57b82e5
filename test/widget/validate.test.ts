import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REQUEST_FIELDS } from "../../src/widget/catalogue.js";
import {
  describeIssues,
  type ValidateOptions,
  type ValidationIssue,
  validateWidgetQuery,
} from "../../src/widget/validate.js";
import { propertyRuns } from "../helpers/property.js";

// A fixed instant, not at midnight: 00:00 UTC today is 2026-03-15T00:00:00Z, so the 30-day limit
// is 2026-02-13T00:00:00Z.
const NOW = Date.parse("2026-03-15T12:34:56Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const ago = (ms: number) => iso(NOW - ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const OPTS: ValidateOptions = { now: NOW, defaultStart: "now-7d", maxWindowDays: 30 };
const validate = (args: unknown, opts: Partial<ValidateOptions> = {}) =>
  validateWidgetQuery(args, { ...OPTS, ...opts });

/** A start inside every window we use, so no default is added and the query must pass as given. */
const START = { field: "timestamp", op: "gte", value: "now-7d" } as const;
const withStart = (filter?: object) => (filter ? { operator: "and", conditions: [START, filter] } : START);

function ok(args: unknown, opts: Partial<ValidateOptions> = {}) {
  const r = validate(args, opts);
  if (!r.ok) throw new Error(`expected ok, got issues:\n${describeIssues(r.issues)}`);
  return r;
}

function issues(args: unknown, opts: Partial<ValidateOptions> = {}) {
  const r = validate(args, opts);
  if (r.ok) throw new Error(`expected issues, got ok: ${JSON.stringify(r.query)}`);
  return r;
}

/** The one issue at `path`; fails when there is none. */
function issueAt(args: unknown, path: string, opts: Partial<ValidateOptions> = {}): ValidationIssue {
  const r = issues(args, opts);
  const hit = r.issues.find((i) => i.path === path);
  if (!hit) throw new Error(`no issue at ${path}; issues:\n${describeIssues(r.issues)}`);
  return hit;
}

/**
 * The example an issue offers must itself be accepted: a whole query, a filter, or an object
 * holding `filters` or `group_by`.
 */
function expectExampleValid(issue: ValidationIssue) {
  const ex = issue.example as Record<string, unknown> | undefined;
  expect(ex, `issue at ${issue.path} has no example`).toBeTypeOf("object");
  let args: Record<string, unknown>;
  if (ex!.chart_type !== undefined) args = ex!;
  else if (ex!.filters !== undefined) args = { chart_type: "pie", field: "success", ...ex };
  else if (ex!.group_by !== undefined) args = { chart_type: "pie", field: "success", ...ex };
  else if (ex!.field !== undefined || ex!.operator !== undefined)
    args = { chart_type: "pie", field: "success", filters: ex };
  else throw new Error(`unrecognised example ${JSON.stringify(ex)}`);
  const r = validate(args);
  expect(r.ok ? [] : r.issues, `example of ${issue.path}: ${JSON.stringify(ex)}`).toEqual([]);
}

// ------------------------------------------------------------------------------------------------
// Plot fields, charts and aggregations. The expectations restate docs/cekura-api.md §1 on purpose:
// deriving them from the catalogue would make the test agree with any mistake in it.

const NUMERIC_AGGS = ["count", "sum", "avg", "min", "max", "p50", "p95", "p99"];
const RULES = {
  numeric: { charts: ["line", "bar"], aggs: NUMERIC_AGGS },
  boolean: { charts: ["pie", "bar"], aggs: ["count", "avg"] },
  string: { charts: ["pie", "bar"], aggs: ["count"] },
} as const;
const PLOT_FIELD_TYPES: [string, keyof typeof RULES][] = [
  ["duration", "numeric"],
  ["agent_id", "numeric"],
  ["success", "boolean"],
  ["is_reviewed", "boolean"],
  ["call_ended_reason", "string"],
  ["dropoff_point", "string"],
  ["topic", "string"],
  ["metadata.region", "string"],
];
const ALL_AGGS = NUMERIC_AGGS;

describe("charts, fields and aggregations by data type", () => {
  const cases: { field: string; type: string; chart: string; agg?: string; allowed: boolean }[] = [];
  for (const [field, type] of PLOT_FIELD_TYPES) {
    const rule = RULES[type];
    for (const chart of ["line", "pie"])
      cases.push({ field, type, chart, allowed: (rule.charts as readonly string[]).includes(chart) });
    for (const agg of ALL_AGGS)
      cases.push({ field, type, chart: "bar", agg, allowed: (rule.aggs as readonly string[]).includes(agg) });
  }

  it.each(cases)("$chart of $field ($type) with $agg: allowed=$allowed", ({ field, chart, agg, allowed }) => {
    const args: Record<string, unknown> = { chart_type: chart, field, filters: START };
    if (agg) Object.assign(args, { aggregation_function: agg, time_period: "day" });
    const r = validate(args);
    expect(r.ok).toBe(allowed);
    if (!r.ok) {
      expect(r.issues).toHaveLength(1);
      const issue = r.issues[0]!;
      expect(issue.path).toBe(agg ? "aggregation_function" : "chart_type");
      expect(issue.message).toContain(field);
      expectExampleValid(issue);
    }
  });

  it("metric values (metric_evaluations.value) plot as line, bar or pie, with every aggregation", () => {
    for (const chart of ["line", "pie"]) {
      ok({ chart_type: chart, field: "metric_evaluations.value", metric: 101, filters: START });
    }
    for (const agg of ALL_AGGS) {
      ok({
        chart_type: "bar",
        field: "metric_evaluations.value",
        metric: 101,
        aggregation_function: agg,
        time_period: "week",
      });
    }
  });

  it("names the plotted data type and the charts it allows", () => {
    const issue = issueAt({ chart_type: "line", field: "success" }, "chart_type");
    expect(issue.message).toMatch(/boolean/);
    expect(issue.message).toMatch(/pie, bar/);
    const agg = issueAt(
      { chart_type: "bar", field: "topic", aggregation_function: "avg", time_period: "day" },
      "aggregation_function",
    );
    expect(agg.message).toMatch(/avg does not apply to topic \(string\); use count/);
  });
});

describe("chart-type rules", () => {
  it("bar needs aggregation_function and time_period, each named with a valid example", () => {
    const r = issues({ chart_type: "bar", field: "duration" });
    expect(r.issues.map((i) => i.path).sort()).toEqual(["aggregation_function", "time_period"]);
    for (const i of r.issues) expectExampleValid(i);
    expect(
      issueAt({ chart_type: "bar", field: "success", time_period: "day" }, "aggregation_function").message,
    ).toMatch(/count, avg/);
    issueAt({ chart_type: "bar", field: "success", aggregation_function: "avg" }, "time_period");
  });

  it.each(["line", "pie", "stat"])("%s takes neither aggregation_function nor time_period", (chart) => {
    const field = chart === "line" ? "duration" : chart === "pie" ? "topic" : undefined;
    const args = { chart_type: chart, field, aggregation_function: "count", time_period: "day" };
    const r = issues(args);
    expect(r.issues.map((i) => i.path).sort()).toEqual(["aggregation_function", "time_period"]);
    for (const i of r.issues) {
      expect(i.message).toMatch(new RegExp(`${chart} charts take no`));
      expectExampleValid(i);
    }
    issueAt({ chart_type: chart, field, time_period: "day" }, "time_period");
  });

  it("stat takes no field, and needs none", () => {
    const issue = issueAt({ chart_type: "stat", field: "duration" }, "field");
    expect(issue.message).toMatch(/stat charts take no field/);
    expectExampleValid(issue);
    expect(ok({ chart_type: "stat" }).query.chart_type).toBe("stat");
  });

  it.each(["line", "pie", "bar"])("%s needs a field", (chart) => {
    expect(issueAt({ chart_type: chart }, "field").message).toMatch(/need a field/);
  });

  it("metric is required for metric_evaluations.value, and refused with any other field", () => {
    const missing = issueAt({ chart_type: "line", field: "metric_evaluations.value" }, "metric");
    expect(missing.message).toMatch(/needs metric/);
    expectExampleValid(missing);
    ok({ chart_type: "line", field: "metric_evaluations.value", metric: 101 });
    const stray = issueAt({ chart_type: "line", field: "duration", metric: 101 }, "metric");
    expect(stray.message).toMatch(/only with field metric_evaluations.value/);
    expectExampleValid(stray);
  });

  it("chart_type is required and must be a known chart", () => {
    expect(issueAt({ field: "duration" }, "chart_type").message).toMatch(/required/);
    expect(issueAt(undefined, "chart_type").message).toMatch(/required/);
    const wrong = issueAt({ chart_type: "area", field: "duration" }, "chart_type");
    expect(wrong.message).toMatch(/line, bar, pie, stat/);
    expectExampleValid(wrong);
  });

  it("refuses arguments that are not an object", () => {
    for (const args of [[], "chart_type=bar", 42, true]) {
      expect(issues(args).issues).toEqual([expect.objectContaining({ path: "(arguments)" })]);
    }
  });

  it("reports every independent problem at once, each naming its argument", () => {
    const r = issues({ chart_type: "bar", field: "topic", aggregation: "count", metric: "x" });
    expect(r.issues.map((i) => i.path).sort()).toEqual(
      ["aggregation", "aggregation_function", "metric", "time_period"].sort(),
    );
  });

  it("refuses a plotted data_type that contradicts the field", () => {
    issueAt({ chart_type: "pie", field: "success", data_type: "string" }, "data_type");
    ok({ chart_type: "pie", field: "success", data_type: "boolean" });
  });

  it("refuses unknown plot fields, with a hint for the agent", () => {
    expect(issueAt({ chart_type: "pie", field: "agent.id" }, "field").message).toMatch(/"agent_id"/);
    expect(issueAt({ chart_type: "line", field: "durations" }, "field").message).toMatch(
      /Did you mean "duration"\?/,
    );
  });
});

// ------------------------------------------------------------------------------------------------
// Filter fields and operators: the table of docs/cekura-api.md §2, restated.

const OPERATORS_BY_FIELD: Record<string, string[]> = {
  id: ["eq", "in", "gt", "gte", "lt", "lte"],
  success: ["eq", "neq", "isnull"],
  duration: ["eq", "gt", "gte", "lt", "lte"],
  customer_number: ["eq", "neq", "contains", "startswith", "in"],
  call_ended_reason: ["eq", "neq", "contains", "in"],
  dropoff_point: ["eq", "neq", "contains", "in", "isnull"],
  topic: ["eq", "neq", "contains", "in", "isnull"],
  timestamp: ["eq", "gt", "gte", "lt", "lte"],
  is_reviewed: ["eq"],
  "agent.id": ["eq", "neq", "in"],
  "agent.agent_name": ["eq", "neq", "contains", "in"],
  "metadata.region": ["eq", "neq", "contains", "startswith", "endswith", "in", "isnull"],
  "metric_evaluations.value": ["eq", "neq", "gt", "gte", "lt", "lte"],
  "metric_evaluations.metric.id": ["eq", "in"],
  "metric_evaluations.metric.name": ["eq", "neq", "contains", "in"],
};
const SAMPLE_VALUE: Record<string, unknown> = {
  id: 42,
  success: true,
  duration: 60,
  customer_number: "+15551234",
  call_ended_reason: "customer-ended-call",
  dropoff_point: "greeting",
  topic: "billing",
  timestamp: "now-1d",
  is_reviewed: true,
  "agent.id": 7,
  "agent.agent_name": "Ava",
  "metadata.region": "eu",
  "metric_evaluations.value": 0.8,
  "metric_evaluations.metric.id": 101,
  "metric_evaluations.metric.name": "accuracy",
};
const ALL_OPERATORS = [
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
];

function valueFor(field: string, op: string): unknown {
  if (op === "isnull") return true;
  if (op === "in") return [SAMPLE_VALUE[field]];
  if (["contains", "startswith", "endswith"].includes(op)) return "x";
  return SAMPLE_VALUE[field];
}

describe("operators allowed per filter field", () => {
  const cases = Object.entries(OPERATORS_BY_FIELD).flatMap(([field, allowed]) =>
    ALL_OPERATORS.map((op) => ({ field, op, allowed: allowed.includes(op) })),
  );

  it.each(cases)("$field $op: allowed=$allowed", ({ field, op, allowed }) => {
    const condition = { field, op, value: valueFor(field, op) };
    const r = validate({ chart_type: "pie", field: "success", filters: withStart(condition) });
    expect(r.ok).toBe(allowed);
    if (!r.ok) {
      expect(r.issues).toHaveLength(1);
      const issue = r.issues[0]!;
      expect(issue.path).toBe("filters.conditions[1].op");
      expect(issue.message).toContain(OPERATORS_BY_FIELD[field]!.join(", "));
      expect(issue.example).toMatchObject({ field, op: OPERATORS_BY_FIELD[field]![0] });
    }
  });

  it("refuses an unknown operator with a did-you-mean", () => {
    const issue = issueAt(
      { chart_type: "pie", field: "topic", filters: { field: "duration", op: "gtee", value: 5 } },
      "filters.op",
    );
    expect(issue.message).toMatch(/Did you mean "gte"\?/);
  });

  it("refuses unknown filter fields, pointing agent_id to agent.id", () => {
    const agent = issueAt(
      { chart_type: "pie", field: "topic", filters: { field: "agent_id", op: "eq", value: 7 } },
      "filters.field",
    );
    expect(agent.message).toMatch(/"agent.id"/);
    const typo = issueAt(
      { chart_type: "pie", field: "topic", filters: { field: "sucess", op: "eq", value: true } },
      "filters.field",
    );
    expect(typo.message).toMatch(/Did you mean "success"\?/);
  });
});

describe("values", () => {
  const filterIssue = (condition: object, path = "filters.value") =>
    issueAt({ chart_type: "pie", field: "topic", filters: condition }, path);

  it("in takes a list, not a scalar", () => {
    const issue = filterIssue({ field: "topic", op: "in", value: "billing" });
    expect(issue.message).toMatch(/in takes a list/);
    expectExampleValid(issue);
    filterIssue({ field: "topic", op: "in", value: [] });
  });

  it("isnull takes a boolean, not a string", () => {
    const issue = filterIssue({ field: "topic", op: "isnull", value: "true" });
    expect(issue.message).toMatch(/isnull takes true or false/);
    expectExampleValid(issue);
    for (const value of [true, false]) {
      const q = ok({
        chart_type: "pie",
        field: "topic",
        filters: withStart({ field: "topic", op: "isnull", value }),
      });
      expect(q.query.filters).toEqual(withStart({ field: "topic", op: "isnull", value }));
    }
  });

  it('does not guess "true" for a boolean field', () => {
    const issue = filterIssue({ field: "success", op: "eq", value: "true" });
    expect(issue.message).toMatch(/success takes true or false; got "true"/);
    expectExampleValid(issue);
    filterIssue({ field: "is_reviewed", op: "eq", value: 1 });
  });

  it("does not guess a number for a string field, even in an in list", () => {
    const issue = filterIssue({ field: "customer_number", op: "eq", value: 15551234 });
    expect(issue.message).toMatch(/customer_number takes a string/);
    filterIssue({ field: "topic", op: "in", value: ["billing", 7] }, "filters.value[1]");
  });

  it("keeps a numeric-looking string as a string for string and metric-value fields", () => {
    const filters = withStart({ field: "customer_number", op: "eq", value: "5551234" });
    expect(ok({ chart_type: "pie", field: "topic", filters }).query.filters).toEqual(filters);
    const metric = withStart({ field: "metric_evaluations.value", op: "eq", value: "4" });
    expect(ok({ chart_type: "pie", field: "topic", filters: metric }).query.filters).toEqual(metric);
  });

  it("refuses non-numbers for numeric fields and fractions for integer fields", () => {
    filterIssue({ field: "duration", op: "gt", value: "a minute" });
    filterIssue({ field: "agent.id", op: "eq", value: "7.5" });
    filterIssue({ field: "id", op: "in", value: [1, "two"] }, "filters.value[1]");
  });

  it("refuses a list as the whole filter, suggesting a group", () => {
    const issue = issueAt(
      { chart_type: "pie", field: "topic", filters: [{ field: "success", op: "eq", value: true }] },
      "filters",
    );
    expect(issue.message).toMatch(/is a list/);
    expect(issue.fix).toMatch(/"operator": "and"/);
    expectExampleValid(issue);
  });

  it("needs a value, and text operators need a non-empty string", () => {
    filterIssue({ field: "topic", op: "eq" });
    filterIssue({ field: "topic", op: "contains", value: "" });
    filterIssue({ field: "topic", op: "contains", value: 5 });
  });
});

describe("metadata keys are top-level only", () => {
  it("refuses metadata.a.b as a plot field", () => {
    const issue = issueAt({ chart_type: "pie", field: "metadata.a.b" }, "field");
    expect(issue.message).toMatch(/top-level only/);
    expectExampleValid(issue);
  });

  it("refuses metadata.a.b as a filter field", () => {
    const issue = issueAt(
      { chart_type: "pie", field: "topic", filters: { field: "metadata.a.b", op: "eq", value: "x" } },
      "filters.field",
    );
    expect(issue.message).toMatch(/top-level only/);
    expectExampleValid(issue);
  });

  it("refuses an empty key, and accepts one top-level key", () => {
    issueAt({ chart_type: "pie", field: "metadata." }, "field");
    issueAt(
      { chart_type: "pie", field: "topic", filters: { field: "metadata.", op: "eq", value: "x" } },
      "filters.field",
    );
    ok({
      chart_type: "pie",
      field: "metadata.plan_tier",
      filters: withStart({ field: "metadata.region-2", op: "eq", value: "eu" }),
    });
  });
});

describe("timestamp values", () => {
  const ts = (value: unknown, op = "gte") => ({
    chart_type: "pie",
    field: "topic",
    filters: { field: "timestamp", op, value },
  });

  it.each([
    "now",
    "today",
    "now-1s",
    "now-5m",
    "now-2h",
    "today-7d",
    "now-2w",
    "now-1M",
    "2026-03-01",
    "2026-03-01T10:00:00+02:00",
  ])("accepts %s", (value) => {
    ok(ts(value));
  });

  it.each([
    "yesterday",
    "now-7D",
    "NOW",
    "now-7",
    "now+1d",
    "2026-02-30",
    "2026-13-01",
    "03/01/2026",
    1767225600,
    null,
  ])("refuses %j with the grammar", (value) => {
    const issue = issueAt(ts(value), "filters.value");
    expect(issue.message).toMatch(/now-<N><unit>/);
    expectExampleValid(issue);
  });

  it("refuses a grammatical value beyond what a Date holds, instead of throwing", () => {
    expect(() => validate(ts("now-999999y"))).not.toThrow();
    issueAt(ts("now-999999y"), "filters.value");
    issueAt(ts("now-999999y", "lt"), "filters.value", { maxWindowDays: undefined });
  });
});

describe("same_row", () => {
  const rowGroup = (...conditions: object[]) => ({ operator: "same_row", conditions });
  const NAME = { field: "metric_evaluations.metric.name", op: "eq", value: "accuracy" };
  const ID = { field: "metric_evaluations.metric.id", op: "eq", value: 101 };
  const VALUE = { field: "metric_evaluations.value", op: "gte", value: 0.9 };

  it("accepts metric_evaluations fields, including inside nested groups", () => {
    const filters = withStart(rowGroup(NAME, { operator: "or", conditions: [VALUE, ID] }));
    expect(ok({ chart_type: "pie", field: "success", filters }).query.filters).toEqual(filters);
  });

  it("refuses other fields, naming the condition and suggesting an enclosing and group", () => {
    const issue = issueAt(
      {
        chart_type: "pie",
        field: "success",
        filters: withStart(rowGroup(NAME, { field: "success", op: "eq", value: true })),
      },
      "filters.conditions[1].conditions[1].field",
    );
    expect(issue.message).toMatch(/same_row groups take only metric_evaluations fields/);
    expect(issue.fix).toMatch(/enclosing and group/);
  });

  it("refuses other fields nested deeper inside a same_row group", () => {
    issueAt(
      {
        chart_type: "pie",
        field: "success",
        filters: rowGroup(VALUE, {
          operator: "and",
          conditions: [NAME, { field: "topic", op: "eq", value: "x" }],
        }),
      },
      "filters.conditions[1].conditions[1].field",
    );
  });
});

describe("unknown names", () => {
  const VALID_ARGS =
    "chart_type, field, filters, dashboard_filters, aggregation_function, time_period, metric, group_by, data_type, dashboard, name";

  it.each([
    ["aggregation", "aggregation_function"],
    ["agg", "aggregation_function"],
    ["period", "time_period"],
    ["interval", "time_period"],
    ["filter", "filters"],
    ["chart", "chart_type"],
    ["chart_typ", "chart_type"],
    ["fitlers", "filters"],
    ["metric_id", "metric"],
    ["Dashboard_Filters", "dashboard_filters"],
  ])("refuses %s, suggesting %s and listing the valid arguments", (name, target) => {
    const args = { chart_type: "pie", field: "success", [name]: "x" };
    const issue = issueAt(args, name);
    expect(issue.message).toContain(`Unknown argument "${name}".`);
    expect(issue.message).toContain(`Did you mean "${target}"?`);
    expect(issue.message).toContain(`Valid arguments: ${VALID_ARGS}.`);
  });

  it("explains that metadata is front-end layout data, not call metadata", () => {
    const issue = issueAt({ chart_type: "pie", field: "success", metadata: { region: "eu" } }, "metadata");
    expect(issue.message).toMatch(/front-end layout/);
    expect(issue.message).toMatch(/metadata\.<key>/);
  });

  it("refuses the saved widget's read-only fields", () => {
    for (const key of ["id", "effective_filters", "metric_name", "created_at", "updated_at"]) {
      issueAt({ chart_type: "pie", field: "success", [key]: 1 }, key);
    }
  });

  it("offers no suggestion when nothing is close, and none for an empty name", () => {
    expect(issueAt({ chart_type: "stat", colour: "red" }, "colour").message).not.toMatch(/Did you mean/);
    expect(issueAt({ chart_type: "stat", "": 1 }, "").message).not.toMatch(/Did you mean/);
  });

  it('refuses "operator" inside a condition, pointing to op', () => {
    for (const condition of [
      { field: "success", operator: "eq", value: true },
      { field: "success", op: "eq", operator: "eq", value: true },
    ]) {
      const issue = issueAt({ chart_type: "pie", field: "topic", filters: condition }, "filters.operator");
      expect(issue.message).toMatch(/A condition uses "op"/);
      expectExampleValid(issue);
    }
  });

  it("refuses other unknown keys in conditions and groups, at their path", () => {
    issueAt(
      {
        chart_type: "pie",
        field: "topic",
        filters: { field: "success", op: "eq", value: true, negate: true },
      },
      "filters.negate",
    );
    const group = issueAt(
      {
        chart_type: "pie",
        field: "topic",
        filters: { operator: "and", conditions: [START], field: "success" },
      },
      "filters.field",
    );
    expect(group.message).toMatch(/A group takes only operator and conditions/);
    issueAt(
      {
        chart_type: "pie",
        field: "topic",
        filters: { operator: "and", conditions: [{ operator: "or", conditions: [START], not: true }] },
      },
      "filters.conditions[0].not",
    );
    issueAt(
      {
        chart_type: "pie",
        field: "topic",
        dashboard_filters: { field: "success", op: "eq", value: true, x: 1 },
      },
      "dashboard_filters.x",
    );
  });

  it("refuses groups without an operator, with an unknown operator, or with no conditions", () => {
    const q = (filters: unknown) => ({ chart_type: "pie", field: "topic", filters });
    issueAt(q({ conditions: [START] }), "filters.operator");
    expect(issueAt(q({ operator: "xor", conditions: [START] }), "filters.operator").message).toMatch(
      /and, or, same_row/,
    );
    issueAt(q({ operator: "and", conditions: [] }), "filters.conditions");
    issueAt(q({ operator: "and" }), "filters.conditions");
  });

  it("does not correct typos in enum values, but suggests the closest", () => {
    expect(issueAt({ chart_type: "barchart", field: "success" }, "chart_type").message).toMatch(
      /Did you mean "bar"\?/,
    );
    issueAt({ chart_type: "pie", field: "Success" }, "field");
  });
});

// ------------------------------------------------------------------------------------------------

describe("tolerated slips", () => {
  const base = { chart_type: "pie", field: "success" };

  it("filters and dashboard_filters given as a JSON string are parsed, with a note", () => {
    const filters = withStart({ field: "topic", op: "eq", value: "billing" });
    const r = ok({
      ...base,
      filters: JSON.stringify(filters),
      dashboard_filters: ` ${JSON.stringify(START)} `,
    });
    expect(r.query.filters).toEqual(filters);
    expect(r.query.dashboard_filters).toEqual(START);
    expect(r.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^filters arrived as a JSON string/)]),
    );
    expect(r.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^dashboard_filters arrived as a JSON string/)]),
    );
  });

  it("group_by given as a JSON string is parsed", () => {
    const r = ok({
      chart_type: "bar",
      field: "success",
      aggregation_function: "avg",
      time_period: "day",
      filters: START,
      group_by: '{"type":"field","field":"agent.id"}',
    });
    expect(r.query.group_by).toEqual({ type: "field", field: "agent.id" });
  });

  it("a string that is not JSON is still an issue", () => {
    const issue = issueAt({ ...base, filters: "success = true" }, "filters");
    expect(issue.message).toMatch(/not valid JSON/);
    expectExampleValid(issue);
    issueAt({ ...base, group_by: "agent.id" }, "group_by");
  });

  it("numbers given as numeric strings become numbers where a number is expected", () => {
    const r = ok({
      chart_type: "line",
      field: "metric_evaluations.value",
      metric: "42",
      dashboard: " 7 ",
      filters: {
        operator: "and",
        conditions: [
          START,
          { field: "agent.id", op: "eq", value: "7" },
          { field: "duration", op: "gt", value: "12.5" },
          { field: "id", op: "in", value: ["1", 2, "3"] },
          { field: "metric_evaluations.metric.id", op: "in", value: ["101"] },
        ],
      },
    });
    expect(r.query.metric).toBe(42);
    expect(r.query.dashboard).toBe(7);
    expect(r.query.filters).toEqual({
      operator: "and",
      conditions: [
        START,
        { field: "agent.id", op: "eq", value: 7 },
        { field: "duration", op: "gt", value: 12.5 },
        { field: "id", op: "in", value: [1, 2, 3] },
        { field: "metric_evaluations.metric.id", op: "in", value: [101] },
      ],
    });
  });

  it("a non-numeric or fractional string for an integer argument is an issue", () => {
    issueAt({ chart_type: "line", field: "metric_evaluations.value", metric: "accuracy" }, "metric");
    issueAt({ chart_type: "line", field: "metric_evaluations.value", metric: "4.5" }, "metric");
    issueAt({ chart_type: "stat", dashboard: "seven" }, "dashboard");
  });

  it("enum values in the wrong case are lowered", () => {
    const r = ok({
      chart_type: "Bar",
      field: "success",
      aggregation_function: "AVG",
      time_period: "Day",
      data_type: "Boolean",
      group_by: { type: "Field", field: "agent.id" },
      filters: {
        operator: "AND",
        conditions: [
          { field: "timestamp", op: "GTE", value: "now-7d" },
          { field: "topic", op: "Eq", value: "Billing" },
        ],
      },
    });
    expect(r.query).toEqual({
      chart_type: "bar",
      field: "success",
      filters: { operator: "and", conditions: [START, { field: "topic", op: "eq", value: "Billing" }] },
      aggregation_function: "avg",
      time_period: "day",
      group_by: { type: "field", field: "agent.id" },
      data_type: "boolean",
    });
  });

  it("a single condition where a group's list is expected is wrapped", () => {
    const r = ok({ ...base, filters: { operator: "and", conditions: START } });
    expect(r.query.filters).toEqual({ operator: "and", conditions: [START] });
  });

  it("null or an empty string for an optional argument is taken as absent", () => {
    const r = ok({
      chart_type: "pie",
      field: "success",
      filters: null,
      dashboard_filters: "",
      aggregation_function: null,
      time_period: "",
      metric: null,
      group_by: "  ",
      data_type: "",
      dashboard: null,
      name: "",
    });
    expect(r.query).toEqual({
      chart_type: "pie",
      field: "success",
      filters: { field: "timestamp", op: "gte", value: "now-7d" },
    });
    expect(ok({ chart_type: "stat", field: "" }).query).not.toHaveProperty("field");
    expect(ok({ chart_type: "stat", field: null }).query).not.toHaveProperty("field");
  });

  it("null or an empty string for chart_type is still an issue", () => {
    issueAt({ chart_type: null, field: "success" }, "chart_type");
    issueAt({ chart_type: "", field: "success" }, "chart_type");
  });
});

// ------------------------------------------------------------------------------------------------

describe("the default time window", () => {
  const DEFAULT = { field: "timestamp", op: "gte", value: "now-7d" };
  const SUCCESS = { field: "success", op: "eq", value: true };
  const TOPIC = { field: "topic", op: "eq", value: "billing" };
  const q = (filters?: unknown, extra: object = {}) => ({
    chart_type: "pie",
    field: "topic",
    filters,
    ...extra,
  });

  it("adds timestamp gte <defaultStart> when filters are absent, and says so", () => {
    const r = ok(q());
    expect(r.query.filters).toEqual(DEFAULT);
    expect(r.notes).toEqual([
      expect.stringMatching(/No start time was given, so timestamp gte now-7d was added/),
    ]);
    expect(r.window).toEqual({
      start: ago(7 * DAY),
      end: iso(NOW),
      defaulted: true,
      startExpression: "gte now-7d",
    });
  });

  it("ANDs it with a single condition", () => {
    expect(ok(q(SUCCESS)).query.filters).toEqual({ operator: "and", conditions: [SUCCESS, DEFAULT] });
  });

  it("appends it to an and-group", () => {
    const group = { operator: "and", conditions: [SUCCESS, TOPIC] };
    expect(ok(q(group)).query.filters).toEqual({ operator: "and", conditions: [SUCCESS, TOPIC, DEFAULT] });
  });

  it("wraps an or-group instead of adding a branch to it", () => {
    const group = { operator: "or", conditions: [SUCCESS, TOPIC] };
    expect(ok(q(group)).query.filters).toEqual({ operator: "and", conditions: [group, DEFAULT] });
  });

  it("wraps a same_row group instead of putting timestamp inside it", () => {
    const group = {
      operator: "same_row",
      conditions: [{ field: "metric_evaluations.value", op: "gte", value: 4 }],
    };
    expect(ok(q(group)).query.filters).toEqual({ operator: "and", conditions: [group, DEFAULT] });
  });

  describe("at the nesting limit", () => {
    // `levels` levels (eight by default): groups alternating from the root around one condition.
    const deepest = (root: "and" | "or", levels = 8) => {
      let node: object = SUCCESS;
      for (let level = levels - 1; level >= 1; level--) {
        const operator = (level % 2 === 1) === (root === "and") ? "and" : "or";
        node = { operator, conditions: [node, TOPIC] };
      }
      return node;
    };

    it("accepts eight levels, and refuses nine at the innermost group", () => {
      ok(q(deepest("and")));
      const nine = { operator: "and", conditions: [deepest("or"), START] };
      const issue = issueAt(q(nine), `filters${".conditions[0]".repeat(8)}`);
      expect(issue.message).toMatch(/at most 8 levels deep \(a condition inside at most 7 groups\)/);
    });

    it("appends the default start to an and-root, which adds no level", () => {
      const r = ok(q(deepest("and")));
      expect((r.query.filters as { conditions: unknown[] }).conditions.at(-1)).toEqual(DEFAULT);
    });

    it("refuses an or-root the default start would push past the limit, and says how to fix it", () => {
      const r = issues(q(deepest("or")));
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]!.path).toBe("filters");
      expect(r.issues[0]!.message).toMatch(/default start \(timestamp gte now-7d\).*makes 9 levels/);
      expect(r.issues[0]!.fix).toMatch(/Flatten the groups/);
      expectExampleValid(r.issues[0]!);
    });

    it("passes the same or-root when it gives its own start, or one level shallower", () => {
      const own = { field: "timestamp", op: "gte", value: "now-2d" };
      const withOwn = { operator: "or", conditions: [deepest("and", 7), own] };
      expect(ok(q(withOwn)).window.defaulted).toBe(false);
      const r = ok(q(deepest("or", 7)));
      expect(r.window.defaulted).toBe(true);
      expect(r.query.filters).toEqual({ operator: "and", conditions: [deepest("or", 7), DEFAULT] });
    });
  });

  it("uses the configured default", () => {
    const r = ok(q(), { defaultStart: "today-1d" });
    expect(r.query.filters).toEqual({ field: "timestamp", op: "gte", value: "today-1d" });
    expect(r.window.start).toBe("2026-03-14T00:00:00Z");
  });

  it("is added when the only timestamp conditions are ends or equalities", () => {
    const end = { field: "timestamp", op: "lte", value: "now-1d" };
    const r = ok(q(end));
    expect(r.query.filters).toEqual({ operator: "and", conditions: [end, DEFAULT] });
    expect(r.window).toMatchObject({ start: ago(7 * DAY), end: ago(DAY), defaulted: true });
    const eq = { field: "timestamp", op: "eq", value: "now-1d" };
    expect(ok(q(eq)).window.defaulted).toBe(true);
  });

  it.each(["gt", "gte"])("is not added when filters hold a timestamp %s", (op) => {
    const start = { field: "timestamp", op, value: "now-2d" };
    const r = ok(q({ operator: "and", conditions: [SUCCESS, start] }));
    expect(r.query.filters).toEqual({ operator: "and", conditions: [SUCCESS, start] });
    expect(r.notes).toEqual([]);
    expect(r.window).toMatchObject({ start: ago(2 * DAY), end: iso(NOW), defaulted: false });
  });

  it("is not added when dashboard_filters hold the start", () => {
    const r = ok(q(SUCCESS, { dashboard_filters: { field: "timestamp", op: "gt", value: "now-3d" } }));
    expect(r.query.filters).toEqual(SUCCESS);
    expect(r.window).toMatchObject({ start: ago(3 * DAY), defaulted: false });
  });

  it("is not added without defaultStart; the window then has no start", () => {
    const r = ok(q(SUCCESS), { defaultStart: undefined });
    expect(r.query.filters).toEqual(SUCCESS);
    expect(r.window).toEqual({ start: null, end: iso(NOW), defaulted: false });
  });

  it("requireStart makes a missing start an issue instead", () => {
    const r = issues(q(SUCCESS), { requireStart: true });
    expect(r.missingStart).toBe(true);
    expect(r.issues[0]!.path).toBe("filters");
    expect(r.issues[0]!.message).toMatch(/gt or gte/);
    expectExampleValid(r.issues[0]!);
    expect(ok(q(START), { requireStart: true }).window.defaulted).toBe(false);
  });
});

describe("the 30-day limit", () => {
  const q = (value: string, op = "gte", key = "filters") => ({
    chart_type: "pie",
    field: "topic",
    [key]: { field: "timestamp", op, value },
  });

  it.each(["today-30d", "now-30d", "now-720h", "2026-02-13T00:00:00Z", "2026-02-13"])(
    "allows %s (not before 00:00 UTC 30 days ago)",
    (value) => {
      ok(q(value));
    },
  );

  it.each(["now-31d", "today-31d", "now-5w", "now-2M", "2026-02-12T23:59:59Z", "2026-01-01"])(
    "refuses %s as too far in the past",
    (value) => {
      const r = issues(q(value));
      expect(r.tooFarInPast).toBe(true);
      expect(r.issues).toHaveLength(1);
      expect(r.issues[0]!.path).toBe("filters.value");
      expect(r.issues[0]!.message).toMatch(/more than 30 days ago/);
      expect(r.issues[0]!.fix).toMatch(/now-30d/);
      expectExampleValid(r.issues[0]!);
    },
  );

  it("applies to gt as well, to dashboard_filters, and to nested conditions, naming the path", () => {
    expect(issues(q("now-40d", "gt")).tooFarInPast).toBe(true);
    expect(issueAt(q("now-40d", "gte", "dashboard_filters"), "dashboard_filters.value")).toBeDefined();
    const nested = {
      chart_type: "pie",
      field: "topic",
      filters: {
        operator: "or",
        conditions: [
          START,
          { operator: "and", conditions: [{ field: "timestamp", op: "gte", value: "now-60d" }] },
        ],
      },
    };
    expect(issueAt(nested, "filters.conditions[1].conditions[0].value")).toBeDefined();
  });

  it("applies to the configured default start too", () => {
    const r = issues({ chart_type: "pie", field: "topic" }, { defaultStart: "now-60d" });
    expect(r.tooFarInPast).toBe(true);
    expect(r.issues[0]!.path).toBe("filters");
  });

  it("does not apply to ends, and not at all without maxWindowDays", () => {
    ok(q("now-60d"), { maxWindowDays: undefined });
    const r = ok(
      {
        chart_type: "pie",
        field: "topic",
        filters: {
          operator: "and",
          conditions: [
            { field: "timestamp", op: "gte", value: "now-90d" },
            { field: "timestamp", op: "lte", value: "now-60d" },
          ],
        },
      },
      { maxWindowDays: undefined },
    );
    expect(r.window).toMatchObject({ start: ago(90 * DAY), end: ago(60 * DAY) });
  });
});

describe("the window's hull", () => {
  const ts = (op: string, value: string) => ({ field: "timestamp", op, value });
  const q = (filters: unknown, dashboard_filters?: unknown) => ({
    chart_type: "pie",
    field: "topic",
    filters,
    dashboard_filters,
  });

  it("and-groups intersect", () => {
    const r = ok(
      q({
        operator: "and",
        conditions: [ts("gte", "now-7d"), ts("gt", "now-3d"), ts("lte", "now-1d"), ts("lt", "now-2d")],
      }),
    );
    expect(r.window).toMatchObject({ start: ago(3 * DAY), end: ago(2 * DAY), defaulted: false });
  });

  it("filters and dashboard_filters intersect", () => {
    const r = ok(
      q(ts("gte", "now-7d"), { operator: "and", conditions: [ts("gte", "now-3d"), ts("lte", "now-1h")] }),
    );
    expect(r.window).toMatchObject({ start: ago(3 * DAY), end: ago(HOUR) });
  });

  it("or-groups take the hull", () => {
    const r = ok(
      q({
        operator: "or",
        conditions: [
          { operator: "and", conditions: [ts("gte", "now-3d"), ts("lte", "now-2d")] },
          { operator: "and", conditions: [ts("gte", "now-7d"), ts("lte", "now-5d")] },
        ],
      }),
    );
    expect(r.window).toMatchObject({ start: ago(7 * DAY), end: ago(2 * DAY), defaulted: false });
  });

  it("an or-branch without a start (or end) leaves the window open on that side", () => {
    const r = ok(
      q({
        operator: "or",
        conditions: [
          { operator: "and", conditions: [ts("gte", "now-3d"), ts("lte", "now-2d")] },
          { field: "success", op: "eq", value: true },
        ],
      }),
    );
    expect(r.window).toEqual({ start: null, end: iso(NOW), defaulted: false });
  });

  it("an eq condition bounds both sides", () => {
    const r = ok(q({ operator: "and", conditions: [ts("gte", "now-7d"), ts("eq", "2026-03-10T00:00:00Z")] }));
    expect(r.window).toMatchObject({ start: "2026-03-10T00:00:00Z", end: "2026-03-10T00:00:00Z" });
  });

  it("reports absolute UTC instants, whatever the zone the values were given in", () => {
    const r = ok(
      q({ operator: "and", conditions: [ts("gte", "2026-03-10T10:00:00+02:00"), ts("lte", "today")] }),
    );
    expect(r.window).toMatchObject({
      start: "2026-03-10T08:00:00Z",
      end: "2026-03-15T23:59:59Z",
      startExpression: "gte 2026-03-10T10:00:00+02:00",
      endExpression: "lte today",
    });
  });

  it("an empty window (start after end) is an issue", () => {
    const issue = issueAt(
      q({ operator: "and", conditions: [ts("gte", "now-1d"), ts("lte", "now-3d")] }),
      "filters",
    );
    expect(issue.message).toMatch(/The time window is empty/);
    expect(issue.message).toContain(ago(DAY));
    expect(issue.message).toContain(ago(3 * DAY));
    // The two halves may come from filters and dashboard_filters.
    issueAt(q(ts("gte", "now-1d"), ts("lt", "now-2d")), "filters");
  });

  it("a start in the future with an open end is an empty window, not a window ending before it starts", () => {
    const issue = issueAt(q(ts("gte", "2026-03-16")), "filters");
    expect(issue.message).toMatch(/The time window is empty/);
    ok(q(ts("gte", "now")));
  });
});

// ------------------------------------------------------------------------------------------------

const API_FIELDS = [
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
];

function walk(value: unknown, visit: (v: unknown, path: string) => void, path = "$") {
  visit(value, path);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) walk(v, visit, `${path}[${i}]`);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walk(v, visit, `${path}.${k}`);
  }
}

function expectNormalised(query: object) {
  const keys = Object.keys(query);
  for (const k of keys) expect(API_FIELDS).toContain(k);
  // In REQUEST_FIELDS order.
  expect(keys).toEqual(REQUEST_FIELDS.filter((k) => keys.includes(k)));
  walk(query, (v, path) => {
    expect(v, path).not.toBeNull();
    expect(v, path).not.toBeUndefined();
    expect(v, path).not.toBe("");
  });
}

describe("normalised output", () => {
  const FULL = {
    chart_type: "bar",
    field: "metric_evaluations.value",
    filters: {
      operator: "and",
      conditions: [
        { field: "timestamp", op: "gte", value: "today-7d" },
        { field: "timestamp", op: "lte", value: "now" },
        {
          operator: "or",
          conditions: [
            { field: "metadata.region", op: "in", value: ["eu", "us"] },
            { field: "dropoff_point", op: "isnull", value: true },
          ],
        },
        {
          operator: "same_row",
          conditions: [
            { field: "metric_evaluations.metric.id", op: "eq", value: 101 },
            { field: "metric_evaluations.value", op: "gte", value: 4 },
          ],
        },
      ],
    },
    dashboard_filters: { field: "agent.id", op: "in", value: [7, 8] },
    aggregation_function: "p95",
    time_period: "hour",
    metric: 101,
    group_by: { type: "bucket", interval: 3_600_000 },
    data_type: "dynamic",
    dashboard: 3,
    name: "Accuracy p95 per hour",
  };

  const VALID: unknown[] = [
    FULL,
    { chart_type: "stat", filters: START },
    { chart_type: "line", field: "duration", filters: START, group_by: { type: "field", field: "agent.id" } },
    { chart_type: "pie", field: "metadata.plan", dashboard_filters: START, name: "Plans" },
    {
      chart_type: "bar",
      field: "success",
      aggregation_function: "avg",
      time_period: "month",
      filters: START,
    },
  ];

  it.each(VALID.map((v) => [v]))("passes %j unchanged", (args) => {
    const r = ok(args);
    expect(r.query).toEqual(args);
    expect(r.notes).toEqual([]);
    expectNormalised(r.query);
  });

  it("orders keys as the API lists them, whatever order they came in", () => {
    const r = ok({
      name: "x",
      time_period: "day",
      aggregation_function: "count",
      field: "topic",
      chart_type: "bar",
    });
    expect(Object.keys(r.query)).toEqual([
      "chart_type",
      "field",
      "filters",
      "aggregation_function",
      "time_period",
      "name",
    ]);
    expect(JSON.stringify(r.query)).toBe(
      '{"chart_type":"bar","field":"topic","filters":{"field":"timestamp","op":"gte","value":"now-7d"},"aggregation_function":"count","time_period":"day","name":"x"}',
    );
  });

  it("orders the keys of conditions and groups too", () => {
    const r = ok({
      chart_type: "pie",
      field: "topic",
      filters: { conditions: [{ value: "now-1d", op: "gte", field: "timestamp" }], operator: "and" },
    });
    expect(JSON.stringify(r.query.filters)).toBe(
      '{"operator":"and","conditions":[{"field":"timestamp","op":"gte","value":"now-1d"}]}',
    );
  });

  it("trims the field name", () => {
    expect(ok({ chart_type: "pie", field: " topic " }).query.field).toBe("topic");
  });

  it("holds for any mix of valid pieces and tolerated slips: normalised, and a fixed point", () => {
    const casing = (s: string) => fc.constantFrom(s, s.toUpperCase(), s[0]!.toUpperCase() + s.slice(1));
    const numeric = (n: number) => fc.constantFrom<number | string>(n, String(n));
    const absent = fc.constantFrom(undefined, null, "");
    const condition = fc.oneof(
      fc.record({ field: fc.constant("success"), op: casing("eq"), value: fc.boolean() }),
      fc.record({ field: fc.constant("duration"), op: casing("gt"), value: numeric(30) }),
      fc.record({
        field: fc.constant("agent.id"),
        op: fc.constant("in"),
        value: fc.array(numeric(7), { minLength: 1, maxLength: 3 }),
      }),
      fc.record({ field: fc.constant("topic"), op: fc.constant("isnull"), value: fc.boolean() }),
      fc.record({
        field: fc.constant("timestamp"),
        op: fc.constantFrom("gte", "gt", "lte", "lt", "eq"),
        value: fc.constantFrom("now-1d", "today-2d", "now-6h", "now", "today"),
      }),
    );
    const filter = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small", withCrossShrink: true }, condition, tie("group")),
      group: fc.record({
        operator: fc.oneof(casing("and"), casing("or")),
        conditions: fc.oneof(fc.array(tie("node"), { minLength: 1, maxLength: 3 }), tie("node")),
      }),
    })).node;
    const args = fc.record(
      {
        chart_type: fc.constantFrom("line", "Line", "PIE", "pie", "stat"),
        filters: fc.oneof(
          filter,
          filter.map((f) => JSON.stringify(f)),
          absent,
        ),
        dashboard_filters: fc.oneof(filter, absent),
        name: fc.oneof(fc.string({ maxLength: 20 }), absent),
        dashboard: fc.oneof(numeric(3), absent),
      },
      { requiredKeys: ["chart_type"] },
    );
    fc.assert(
      fc.property(args, (raw) => {
        const chart = raw.chart_type.toLowerCase();
        const input = {
          ...raw,
          ...(chart === "line" ? { field: "duration" } : chart === "pie" ? { field: "success" } : {}),
        };
        const r = validate(input);
        if (!r.ok) {
          // The only refusals these pieces can earn: an empty window, or groups nested so deep that the
          // default start's and-group would pass the nesting limit.
          expect(r.issues.map((i) => i.message)).toEqual([
            expect.stringMatching(/time window is empty|the default start .* makes 9 levels/),
          ]);
          return;
        }
        expectNormalised(r.query);
        const again = validate(r.query);
        expect(again.ok && again.query).toEqual(r.query);
        expect(again.ok && again.notes).toEqual([]);
      }),
      propertyRuns(1_000, 20_261_127),
    );
  });
});

describe("group_by", () => {
  it("accepts a field or a bucket, and refuses bad shapes at their path", () => {
    ok({
      chart_type: "bar",
      field: "topic",
      aggregation_function: "count",
      time_period: "day",
      group_by: { type: "field", field: "agent.id" },
    });
    ok({
      chart_type: "bar",
      field: "success",
      aggregation_function: "avg",
      time_period: "day",
      group_by: { type: "field", field: "metadata.region" },
    });
    ok({ chart_type: "line", field: "duration", group_by: { type: "bucket", interval: "3600000" } });
    issueAt(
      { chart_type: "line", field: "duration", group_by: { type: "field", field: "nope" } },
      "group_by.field",
    );
    issueAt(
      { chart_type: "line", field: "duration", group_by: { type: "bucket", interval: 10 } },
      "group_by.interval",
    );
    issueAt(
      { chart_type: "line", field: "duration", group_by: { type: "field", field: "agent.id", by: 1 } },
      "group_by.by",
    );
    issueAt({ chart_type: "stat", group_by: { type: "field", field: "agent.id" } }, "group_by");
    // The catalogue's GROUP_BY_CHARTS and GROUP_BY_FIELDS (one rule with the embedded engine).
    expect(
      issueAt(
        { chart_type: "pie", field: "topic", group_by: { type: "field", field: "agent.id" } },
        "group_by",
      ).message,
    ).toMatch(/applies to line, bar charts, not pie/);
    issueAt(
      {
        chart_type: "bar",
        field: "duration",
        aggregation_function: "avg",
        time_period: "day",
        group_by: { type: "field", field: "duration" },
      },
      "group_by.field",
    );
  });
});

describe("describeIssues", () => {
  it("names each argument, the problem, the fix and an example, and says nothing was sent", () => {
    const r = issues({ chart_type: "bar", field: "topic", filters: [START] });
    const text = describeIssues(r.issues);
    expect(text).toMatch(/^The call has 3 problems; nothing was sent\./);
    expect(text).toContain("- aggregation_function: bar charts need aggregation_function: count.");
    expect(text).toContain("- time_period: bar charts need time_period: hour, day, week, month.");
    expect(text).toContain(
      "- filters: filters is a list; a filter is one condition or one group. Wrap the list in a group",
    );
    expect(text).toContain('Example: {"operator":"and","conditions":[');
    expect(text).toMatch(/Fix the arguments named above and call again\.$/);
    expect(describeIssues(r.issues.slice(0, 1))).toMatch(/^The call has a problem; nothing was sent\./);
  });
});

describe("messages stay cheap and small whatever the value", () => {
  it("shows a huge or deeply nested value by its shape, never by serialising it", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = { a: deep };
    const issue = issueAt(
      { chart_type: "pie", field: "topic", filters: { field: "topic", op: "eq", value: deep } },
      "filters.value",
    );
    expect(issue.message).toContain("an object {a}");
    const big = issueAt(
      {
        chart_type: "pie",
        field: "topic",
        filters: { field: "topic", op: "eq", value: "x".repeat(1_000_000) },
      },
      "filters.value",
    );
    expect(big.message.length).toBeLessThan(300);
  });

  it("refuses an empty string for a string field, pointing at isnull", () => {
    const issue = issueAt(
      { chart_type: "pie", field: "topic", filters: { field: "topic", op: "eq", value: "" } },
      "filters.value",
    );
    expect(issue.fix).toMatch(/isnull/);
  });
});
