import { describe, expect, it } from "vitest";
import type { CallLog, MetricEvaluation } from "../../src/embedded/calls.js";
import { createCallStore } from "../../src/embedded/engine.js";
import { compileFilters } from "../../src/embedded/filter-eval.js";
import type { CallStore } from "../../src/embedded/store.js";
import type { Filter } from "../../src/widget/types.js";
import { callLog } from "../helpers/call-log.js";

const NOW = Date.parse("2026-03-15T12:00:00Z"); // a Sunday

/** A plain successful one-minute call unless `fields` says otherwise. */
const call = (id: number, at: string, fields: Partial<CallLog> = {}): CallLog =>
  callLog(id, at, { duration: 60, success: true, call_ended_reason: "customer_ended_call", ...fields });

const ACCURACY = { id: 101, name: "accuracy", eval_type: "numeric" } as const;
const SENTIMENT = { id: 102, name: "sentiment", eval_type: "enum" } as const;
const POLITENESS = { id: 103, name: "politeness", eval_type: "numeric" } as const;
const RESOLVED = { id: 104, name: "resolved", eval_type: "binary" } as const;
const ev = (metric: MetricEvaluation["metric"], value: MetricEvaluation["value"]): MetricEvaluation => ({
  metric,
  value,
});

// Five calls on one day, one hour apart (so id order = time order).
const CALLS: CallLog[] = [
  call(1, "2026-03-10T01:00:00Z", {
    duration: 30,
    success: true,
    topic: "Billing",
    customer_number: "+14155550101",
    agent: { id: 1, agent_name: "Ava" },
    metadata: { region: "eu", plan: "pro" },
    metric_evaluations: [ev(ACCURACY, 0.95), ev(SENTIMENT, "positive")],
  }),
  call(2, "2026-03-10T02:00:00Z", {
    duration: 120,
    success: false,
    topic: "billing questions",
    call_ended_reason: "agent_ended_call",
    customer_number: "+442071234567",
    agent: { id: 2, agent_name: "Ben" },
    metadata: { region: "US" },
    // accuracy is low, but ANOTHER row has a value >= 0.9: matches under and, not under same_row
    metric_evaluations: [ev(ACCURACY, 0.5), ev(POLITENESS, 0.92)],
  }),
  call(3, "2026-03-10T03:00:00Z", {
    duration: null,
    success: null,
    dropoff_point: "greeting",
    call_ended_reason: "silence_timeout",
  }),
  call(4, "2026-03-10T04:00:00Z", {
    duration: 200,
    success: true,
    topic: "Refund",
    customer_number: "+14155550199",
    agent: { id: 1, agent_name: "Ava" },
    metadata: { region: "eu-west", plan: null },
    metric_evaluations: [ev(RESOLVED, true)],
  }),
  call(5, "2026-03-10T05:00:00Z", {
    duration: 45.5,
    success: false,
    is_reviewed: true,
    topic: "Tech Support",
    dropoff_point: "payment",
    agent: { id: 3, agent_name: "Cleo" },
    metadata: { region: "apac", tier: 2 },
    metric_evaluations: [ev(ACCURACY, null)],
  }),
];

const store = createCallStore(CALLS);

function idsOf(s: CallStore, filter: Filter | undefined, dashboard?: Filter): number[] {
  const cf = compileFilters(s, [filter, dashboard], NOW);
  const out: number[] = [];
  for (let i = cf.lo; i < cf.hi; i++) if (cf.pred === null || cf.pred(i)) out.push(s.rows[i]!.id);
  return out;
}

const ids = (filter: Filter, dashboard?: Filter) => idsOf(store, filter, dashboard);
const c = (field: string, op: string, value: unknown): Filter => ({ field, op, value }) as Filter;
const and = (...conditions: Filter[]): Filter => ({ operator: "and", conditions });
const or = (...conditions: Filter[]): Filter => ({ operator: "or", conditions });
const sameRow = (...conditions: Filter[]): Filter => ({ operator: "same_row", conditions });

describe("comparison operators", () => {
  it("eq is exact and case-sensitive on strings", () => {
    expect(ids(c("topic", "eq", "Billing"))).toEqual([1]);
    expect(ids(c("topic", "eq", "billing"))).toEqual([]);
    expect(ids(c("success", "eq", true))).toEqual([1, 4]);
    expect(ids(c("duration", "eq", 45.5))).toEqual([5]);
    expect(ids(c("id", "eq", 3))).toEqual([3]);
    expect(ids(c("is_reviewed", "eq", true))).toEqual([5]);
  });

  it("neq leaves out nulls, like SQL", () => {
    expect(ids(c("topic", "neq", "Billing"))).toEqual([2, 4, 5]);
    expect(ids(c("success", "neq", true))).toEqual([2, 5]);
    expect(ids(c("agent.id", "neq", 1))).toEqual([2, 5]);
  });

  it("gt, gte, lt and lte compare numbers and skip nulls", () => {
    expect(ids(c("duration", "gt", 45.5))).toEqual([2, 4]);
    expect(ids(c("duration", "gte", 45.5))).toEqual([2, 4, 5]);
    expect(ids(c("duration", "lt", 45.5))).toEqual([1]);
    expect(ids(c("duration", "lte", 45.5))).toEqual([1, 5]);
    expect(ids(c("id", "gt", 3))).toEqual([4, 5]);
  });
});

describe("text operators (case-insensitive)", () => {
  it("contains ignores case", () => {
    expect(ids(c("topic", "contains", "BILL"))).toEqual([1, 2]);
    expect(ids(c("call_ended_reason", "contains", "Ended"))).toEqual([1, 2, 4, 5]);
  });
  it("startswith and endswith ignore case", () => {
    expect(ids(c("customer_number", "startswith", "+1415"))).toEqual([1, 4]);
    expect(ids(c("topic", "endswith", "SUPPORT"))).toEqual([5]);
    expect(ids(c("topic", "startswith", "REF"))).toEqual([4]);
  });
});

describe("in and isnull", () => {
  it("in matches any listed value", () => {
    expect(ids(c("call_ended_reason", "in", ["agent_ended_call", "silence_timeout"]))).toEqual([2, 3]);
    expect(ids(c("id", "in", [1, 4, 99]))).toEqual([1, 4]);
    expect(ids(c("agent.agent_name", "in", ["Ava", "Cleo"]))).toEqual([1, 4, 5]);
  });
  it("isnull true and false", () => {
    expect(ids(c("topic", "isnull", true))).toEqual([3]);
    expect(ids(c("topic", "isnull", false))).toEqual([1, 2, 4, 5]);
    expect(ids(c("dropoff_point", "isnull", false))).toEqual([3, 5]);
    expect(ids(c("success", "isnull", true))).toEqual([3]);
  });
});

describe("metadata and agent fields", () => {
  it("metadata.<key> compares strings; a missing key is null", () => {
    expect(ids(c("metadata.region", "eq", "eu"))).toEqual([1]);
    expect(ids(c("metadata.region", "startswith", "EU"))).toEqual([1, 4]);
    expect(ids(c("metadata.region", "endswith", "s"))).toEqual([2]);
    expect(ids(c("metadata.region", "isnull", true))).toEqual([3]);
    expect(ids(c("metadata.region", "neq", "eu"))).toEqual([2, 4, 5]);
    expect(ids(c("metadata.region", "in", ["US", "apac"]))).toEqual([2, 5]);
    // plan: null on call 4, missing on 2, 3, 5
    expect(ids(c("metadata.plan", "isnull", true))).toEqual([2, 3, 4, 5]);
    expect(ids(c("metadata.plan", "isnull", false))).toEqual([1]);
    // a number is compared as its text
    expect(ids(c("metadata.tier", "eq", "2"))).toEqual([5]);
    expect(ids(c("metadata.nowhere", "isnull", true))).toEqual([1, 2, 3, 4, 5]);
    expect(ids(c("metadata.nowhere", "eq", "x"))).toEqual([]);
  });
  it("agent.id and agent.agent_name; a call without agent is null", () => {
    expect(ids(c("agent.id", "eq", 1))).toEqual([1, 4]);
    expect(ids(c("agent.id", "in", [2, 3]))).toEqual([2, 5]);
    expect(ids(c("agent.agent_name", "contains", "E"))).toEqual([2, 5]);
    expect(ids(c("agent.agent_name", "eq", "Ava"))).toEqual([1, 4]);
  });
});

describe("metric evaluations: any row under and, one row under same_row", () => {
  it("single conditions hold when any evaluation satisfies them", () => {
    expect(ids(c("metric_evaluations.metric.name", "eq", "accuracy"))).toEqual([1, 2, 5]);
    expect(ids(c("metric_evaluations.metric.id", "in", [103, 104]))).toEqual([2, 4]);
    expect(ids(c("metric_evaluations.value", "gte", 0.9))).toEqual([1, 2]);
    expect(ids(c("metric_evaluations.value", "eq", true))).toEqual([4]);
    expect(ids(c("metric_evaluations.value", "eq", "positive"))).toEqual([1]);
    // the value coerced to each evaluation's type: a numeric string, "true", 1
    expect(ids(c("metric_evaluations.value", "gte", "0.9"))).toEqual([1, 2]);
    expect(ids(c("metric_evaluations.value", "eq", " TRUE "))).toEqual([4]);
    expect(ids(c("metric_evaluations.value", "eq", 1))).toEqual([4]);
  });

  it("a call without evaluations matches no metric condition", () => {
    expect(ids(c("metric_evaluations.metric.id", "in", [101, 102, 103, 104]))).toEqual([1, 2, 4, 5]);
    expect(ids(c("metric_evaluations.metric.name", "neq", "accuracy"))).toEqual([1, 2, 4]);
  });

  it("and matches across rows; same_row needs one row", () => {
    const name = c("metric_evaluations.metric.name", "eq", "accuracy");
    const high = c("metric_evaluations.value", "gte", 0.9);
    expect(ids(and(name, high))).toEqual([1, 2]);
    expect(ids(sameRow(name, high))).toEqual([1]);
  });

  it("groups nested inside same_row are evaluated per row", () => {
    const acc = c("metric_evaluations.metric.id", "eq", 101);
    expect(
      ids(
        sameRow(acc, or(c("metric_evaluations.value", "gt", 0.99), c("metric_evaluations.value", "lt", 0.6))),
      ),
    ).toEqual([2]);
    expect(
      ids(
        sameRow(
          c("metric_evaluations.metric.name", "eq", "politeness"),
          and(c("metric_evaluations.value", "gt", 0.9)),
        ),
      ),
    ).toEqual([2]);
  });

  it("same_row combines with call-level conditions in an enclosing and", () => {
    const f = and(
      c("agent.id", "eq", 1),
      sameRow(
        c("metric_evaluations.metric.name", "eq", "accuracy"),
        c("metric_evaluations.value", "gte", 0.9),
      ),
    );
    expect(ids(f)).toEqual([1]);
  });
});

describe("nested groups", () => {
  it("or of ands", () => {
    const f = or(
      and(c("topic", "contains", "bill"), c("success", "eq", true)),
      and(c("agent.id", "eq", 3), c("duration", "lt", 50)),
    );
    expect(ids(f)).toEqual([1, 5]);
  });
  it("and of ors", () => {
    const f = and(
      or(c("agent.id", "eq", 1), c("agent.id", "eq", 2)),
      or(c("duration", "gt", 150), c("success", "eq", false)),
    );
    expect(ids(f)).toEqual([2, 4]);
  });
});

describe("timestamps: relative values at their edges", () => {
  // now = 2026-03-15T12:00:00Z
  const T = createCallStore([
    call(10, "2026-03-15T00:00:00Z"),
    call(11, "2026-03-14T23:59:59Z"),
    call(12, "2026-03-08T12:00:00Z"), // exactly now-7d
    call(13, "2026-03-08T11:59:59Z"),
    call(14, "2026-03-15T23:59:59Z"),
    call(15, "2026-03-16T00:00:00Z"),
  ]);
  const tids = (f: Filter, d?: Filter) => idsOf(T, f, d);
  const ts = (op: string, value: unknown) => c("timestamp", op, value);

  it("today starts at 00:00:00 for gt/gte/eq", () => {
    expect(tids(ts("gte", "today"))).toEqual([10, 14, 15]);
    expect(tids(ts("gt", "today"))).toEqual([14, 15]);
    expect(tids(ts("eq", "today"))).toEqual([10]);
  });
  it("today ends at 23:59:59 for lt/lte", () => {
    expect(tids(ts("lte", "today"))).toEqual([13, 12, 11, 10, 14]);
    expect(tids(ts("lt", "today"))).toEqual([13, 12, 11, 10]);
  });
  it("now-7d is exact to the second", () => {
    expect(tids(ts("gte", "now-7d"))).toEqual([12, 11, 10, 14, 15]);
    expect(tids(ts("gt", "now-7d"))).toEqual([11, 10, 14, 15]);
    expect(tids(ts("lt", "now-7d"))).toEqual([13]);
  });
  it("today-1d keeps the start/end rule", () => {
    expect(tids(ts("gte", "today-1d"))).toEqual([11, 10, 14, 15]);
    expect(tids(ts("lte", "today-1d"))).toEqual([13, 12, 11]);
  });
  it("ISO values", () => {
    expect(tids(ts("gte", "2026-03-15T00:00:00Z"))).toEqual([10, 14, 15]);
    expect(tids(ts("lt", "2026-03-08T12:00:00Z"))).toEqual([13]);
  });
  it("timestamp conditions inside or groups", () => {
    expect(tids(or(ts("gte", "today"), c("id", "eq", 13)))).toEqual([13, 10, 14, 15]);
  });
  it("filters and dashboard_filters are ANDed", () => {
    expect(tids(ts("gte", "now-7d"), ts("lte", "today-1d"))).toEqual([12, 11]);
    expect(tids(and(ts("gte", "now-7d"), ts("lt", "now")), c("id", "neq", 11))).toEqual([12, 10]);
  });
  it("a start after the end is empty", () => {
    expect(tids(and(ts("gte", "today"), ts("lt", "now-7d")))).toEqual([]);
  });
});

describe("the store", () => {
  it("sorts by timestamp then id, whatever the input order", () => {
    const s = createCallStore([
      call(9, "2026-03-10T01:00:00Z"),
      call(3, "2026-03-10T01:00:00Z"),
      call(1, "2026-03-11T00:00:00Z"),
      call(7, "2026-03-09T00:00:00Z"),
    ]);
    expect(s.rows.map((r) => r.id)).toEqual([7, 3, 9, 1]);
  });
  it("an empty store answers every filter with nothing", () => {
    expect(idsOf(createCallStore([]), c("timestamp", "gte", "now-7d"))).toEqual([]);
  });
});
