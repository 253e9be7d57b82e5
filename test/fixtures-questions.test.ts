/**
 * The question fixtures: every right call passes validation under the live API's rules (the
 * 30-day window included), and every wrong call is refused with a message that names the fix.
 */
import { describe, expect, it } from "vitest";
import { CHART_TYPES, COMBINATIONS, METRIC_VALUE_COMBINATIONS } from "../src/widget/catalogue.js";
import { describeIssues, type ValidateOptions, validateWidgetQuery } from "../src/widget/validate.js";
import { RIGHT_CALLS, WRONG_CALLS } from "./fixtures/questions.js";

const live = (): ValidateOptions => ({ now: Date.now(), defaultStart: "now-7d", maxWindowDays: 30 });

describe("right calls", () => {
  it.each(RIGHT_CALLS.map((c) => [c.question, c] as const))("%s", (_q, c) => {
    const result = validateWidgetQuery(c.arguments, live());
    expect(result.ok, result.ok ? "" : describeIssues(result.issues)).toBe(true);
    // Each sets its own window, and the query is sent as given (no leniency needed).
    expect(result.ok && result.window.defaulted).toBe(false);
    expect(result.ok && result.query).toEqual(c.arguments);
  });

  it("are many and diverse", () => {
    expect(RIGHT_CALLS.length).toBeGreaterThanOrEqual(30);
    const all = RIGHT_CALLS.map((c) => c.arguments);
    const json = JSON.stringify(all);
    expect(new Set(all.map((a) => a.chart_type))).toEqual(new Set(CHART_TYPES));
    for (const period of ["hour", "day", "week", "month"])
      expect(json).toContain(`"time_period":"${period}"`);
    for (const agg of COMBINATIONS.numeric.aggregations)
      expect(json).toContain(`"aggregation_function":"${agg}"`);
    const pies = new Set(all.filter((a) => a.chart_type === "pie").map((a) => a.field));
    for (const f of [
      "success",
      "is_reviewed",
      "call_ended_reason",
      "dropoff_point",
      "topic",
      "metadata.region",
      "metadata.call_type",
    ]) {
      expect(pies, `a pie of ${f}`).toContain(f);
    }
    for (const metric of [101, 102, 103, 104]) expect(json).toContain(`"metric":${metric}`);
    // The enum metric only ever as a pie.
    expect(METRIC_VALUE_COMBINATIONS.enum.charts).toEqual(["pie"]);
    expect(all.filter((a) => a.metric === 104).every((a) => a.chart_type === "pie")).toBe(true);
    for (const needle of [
      '"operator":"same_row"',
      '"operator":"or"',
      '"op":"in"',
      '"op":"isnull"',
      '"field":"agent.id","op":"eq"',
      '"group_by":{"type":"field","field":"agent.id"}',
    ]) {
      expect(json).toContain(needle);
    }
    expect(all.some((a) => a.chart_type === "line" && a.field === "duration")).toBe(true);
  });
});

describe("wrong calls", () => {
  it.each(WRONG_CALLS.map((c) => [c.question, c] as const))("%s", (_q, c) => {
    const result = validateWidgetQuery(c.arguments, live());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(describeIssues(result.issues)).toMatch(c.error);
  });

  it("are many", () => {
    expect(WRONG_CALLS.length).toBeGreaterThanOrEqual(30);
  });
});
