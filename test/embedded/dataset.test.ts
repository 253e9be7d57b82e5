import { beforeAll, describe, expect, it } from "vitest";
import type { CallLog } from "../../src/embedded/calls.js";
import {
  DEMO_AGENTS,
  DEMO_BAD_DAY_DAYS_AGO,
  DEMO_CALL_OUTCOMES,
  DEMO_METRIC_IDS,
  DEMO_METRICS,
  DEMO_REGIONS,
  DEMO_WORST_AGENT_ID,
  demoBadDay,
  demoCalls,
  generateDemoCalls,
} from "../../src/embedded/dataset.js";
import { METRIC_EVAL_TYPES } from "../../src/widget/catalogue.js";
import { DAY_MS, startOfUtcDay } from "../../src/widget/time.js";

const NOW = Date.parse("2026-03-15T14:27:31.123Z");
let calls: CallLog[];

beforeAll(() => {
  calls = generateDemoCalls({ now: NOW });
});

const successRate = (rows: CallLog[]): number => {
  const known = rows.filter((c) => c.success !== null);
  return known.filter((c) => c.success).length / known.length;
};
const share = (rows: CallLog[], pred: (c: CallLog) => boolean): number =>
  rows.filter(pred).length / rows.length;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const p95 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(0.95 * (s.length - 1))] as number;
};
const latencies = (rows: CallLog[]): number[] =>
  rows.map((c) => c.latency_ms).filter((l): l is number => typeof l === "number");

describe("generateDemoCalls: determinism and shape", () => {
  it("gives identical calls for the same seed, now and count, and different ones for another seed", () => {
    const a = generateDemoCalls({ now: NOW, count: 3000, seed: 9 });
    const b = generateDemoCalls({ now: NOW, count: 3000, seed: 9 });
    const c = generateDemoCalls({ now: NOW, count: 3000, seed: 10 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it("streams the same calls through demoCalls", () => {
    const streamed = [...demoCalls({ now: NOW, count: 500, seed: 3 })];
    expect(streamed).toEqual(generateDemoCalls({ now: NOW, count: 500, seed: 3 }));
  });

  it("defaults to 20,000 calls strictly inside (now - 30 days, now], ids 1..n rising with time", () => {
    expect(calls).toHaveLength(20_000);
    const start = NOW - 30 * DAY_MS;
    const problems = calls.filter(
      (c, i) =>
        c.id !== i + 1 ||
        !(c.timestamp > start && c.timestamp <= NOW) ||
        !Number.isInteger(c.timestamp) ||
        (i > 0 && c.timestamp < calls[i - 1]!.timestamp),
    );
    expect(problems).toEqual([]);
    // The window is used end to end, not just its middle.
    expect(calls[0]!.timestamp - start).toBeLessThan(DAY_MS);
    expect(NOW - calls.at(-1)!.timestamp).toBeLessThan(DAY_MS);
  });

  it("honours count, days and an empty request", () => {
    const week = generateDemoCalls({ now: NOW, count: 700, days: 7 });
    expect(week).toHaveLength(700);
    expect(week.every((c) => c.timestamp > NOW - 7 * DAY_MS && c.timestamp <= NOW)).toBe(true);
    expect(generateDemoCalls({ now: NOW, count: 0 })).toEqual([]);
  });

  it("has every field with realistic values, nulls included", () => {
    const kinds = (pick: (c: CallLog) => unknown) =>
      new Set(calls.map((c) => (pick(c) === null ? "null" : typeof pick(c))));
    expect(kinds((c) => c.duration)).toEqual(new Set(["number", "null"]));
    expect(kinds((c) => c.success)).toEqual(new Set(["boolean", "null"]));
    expect(kinds((c) => c.topic)).toEqual(new Set(["string", "null"]));
    expect(kinds((c) => c.customer_number)).toEqual(new Set(["string", "null"]));
    expect(kinds((c) => c.dropoff_point)).toEqual(new Set(["string", "null"]));
    expect(kinds((c) => c.latency_ms)).toEqual(new Set(["number", "null"]));
    expect(kinds((c) => c.is_reviewed)).toEqual(new Set(["boolean"]));

    const reasons = new Set(calls.map((c) => c.call_ended_reason));
    for (const r of [
      "customer-ended-call",
      "assistant-ended-call",
      "transferred",
      "silence-timed-out",
      "voicemail",
      "error",
    ]) {
      expect(reasons).toContain(r);
    }
    expect(reasons).toContain("exceeded-max-duration");
    expect(share(calls, (c) => c.is_reviewed)).toBeLessThan(0.15);
    expect(share(calls, (c) => c.is_reviewed)).toBeGreaterThan(0);
    // A completed call has no drop-off point.
    expect(calls.filter((c) => c.success === true).every((c) => c.dropoff_point === null)).toBe(true);

    const e164 = /^\+[1-9]\d{9,13}$/;
    expect(calls.filter((c) => c.customer_number !== null && !e164.test(c.customer_number))).toEqual([]);
    expect(calls.filter((c) => c.duration !== null && (c.duration < 3 || c.duration > 900))).toEqual([]);
    expect(calls.filter((c) => typeof c.latency_ms === "number" && c.latency_ms < 100)).toEqual([]);
    const durations = calls.map((c) => c.duration).filter((d): d is number => d !== null);
    // Right-skewed, as call lengths are: the mean is above the median.
    const sorted = [...durations].sort((a, b) => a - b);
    expect(mean(durations)).toBeGreaterThan(sorted[Math.floor(sorted.length / 2)]!);
    // Some callers call again.
    const numbers = calls.map((c) => c.customer_number).filter((n) => n !== null);
    expect(new Set(numbers).size).toBeLessThan(numbers.length);
  });

  it("has metadata region and call_type, sometimes missing a key", () => {
    const regions = new Set(calls.map((c) => c.metadata.region));
    expect(regions).toEqual(new Set([...DEMO_REGIONS, undefined]));
    expect(new Set(calls.map((c) => c.metadata.call_type))).toEqual(
      new Set(["inbound", "outbound", undefined]),
    );
    const missingRegion = share(calls, (c) => !("region" in c.metadata));
    expect(missingRegion).toBeGreaterThan(0);
    expect(missingRegion).toBeLessThan(0.05);
  });

  it("has metric evaluations of all four eval types, with fixed ids and names, some null, not on every call", () => {
    expect(DEMO_METRICS.map((m) => m.eval_type).sort()).toEqual([...METRIC_EVAL_TYPES].sort());
    const byId = new Map<number, { name: string; type: string; values: unknown[] }>();
    const names = new Set<string>();
    for (const c of calls) {
      for (const e of c.metric_evaluations) {
        const entry = byId.get(e.metric.id) ?? { name: e.metric.name, type: e.metric.eval_type, values: [] };
        names.add(`${e.metric.id} ${e.metric.name} ${e.metric.eval_type}`);
        entry.values.push(e.value);
        byId.set(e.metric.id, entry);
      }
    }
    expect(names).toEqual(new Set(DEMO_METRICS.map((m) => `${m.id} ${m.name} ${m.eval_type}`)));
    for (const m of DEMO_METRICS) {
      const seen = byId.get(m.id);
      expect(seen?.name).toBe(m.name);
      expect(seen?.type).toBe(m.eval_type);
      expect(seen?.values).toContain(null);
      expect(seen!.values.length).toBeLessThan(calls.length);
    }
    const values = (id: number) => byId.get(id)!.values.filter((v) => v !== null);
    expect(new Set(values(DEMO_METRIC_IDS.customerSatisfaction))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(new Set(values(DEMO_METRIC_IDS.goalAchieved))).toEqual(new Set([true, false]));
    expect(
      values(DEMO_METRIC_IDS.responseAccuracy).every((v) => typeof v === "number" && v >= 0 && v <= 1),
    ).toBe(true);
    expect(new Set(values(DEMO_METRIC_IDS.callOutcome))).toEqual(new Set(DEMO_CALL_OUTCOMES));
    expect(calls.some((c) => c.metric_evaluations.length === 0)).toBe(true);
  });
});

describe("generateDemoCalls: the story", () => {
  it("has a bad day: success collapses, errors spike, latency more than doubles", () => {
    const bad = demoBadDay(NOW);
    expect(bad.start).toBe(startOfUtcDay(NOW) - DEMO_BAD_DAY_DAYS_AGO * DAY_MS);
    const days = new Map<number, CallLog[]>();
    for (const c of calls) {
      const d = startOfUtcDay(c.timestamp);
      const rows = days.get(d) ?? [];
      rows.push(c);
      days.set(d, rows);
    }
    const badCalls = days.get(bad.start)!;
    expect(badCalls.length).toBeGreaterThan(100);
    const otherFullDays = [...days].filter(
      ([d]) => d !== bad.start && d > NOW - 29 * DAY_MS && d + DAY_MS <= NOW,
    );
    expect(otherFullDays.length).toBeGreaterThan(20);

    const badRate = successRate(badCalls);
    expect(badRate).toBeLessThan(0.55);
    for (const [, rows] of otherFullDays) expect(successRate(rows)).toBeGreaterThan(badRate + 0.2);

    const errorShare = (rows: CallLog[]) => share(rows, (c) => c.call_ended_reason === "error");
    const normalErrors = mean(otherFullDays.map(([, rows]) => errorShare(rows)));
    expect(errorShare(badCalls)).toBeGreaterThan(5 * normalErrors);

    const normalP95 = mean(otherFullDays.map(([, rows]) => p95(latencies(rows))));
    expect(p95(latencies(badCalls))).toBeGreaterThan(2 * normalP95);
  });

  it("has one clearly worst agent: lower success, longer calls, more transfers and hang-ups", () => {
    expect(DEMO_AGENTS.map((a) => a.id)).toContain(DEMO_WORST_AGENT_ID);
    const stats = DEMO_AGENTS.map((a) => {
      const rows = calls.filter((c) => c.agent?.id === a.id);
      expect(rows.filter((c) => c.agent?.agent_name !== a.agent_name)).toEqual([]);
      return {
        id: a.id,
        n: rows.length,
        success: successRate(rows),
        duration: mean(rows.map((c) => c.duration).filter((d): d is number => d !== null)),
        transfers: share(rows, (c) => c.call_ended_reason === "transferred"),
        hangups: share(rows, (c) => c.call_ended_reason === "customer-ended-call" && c.success === false),
      };
    });
    const worst = stats.find((s) => s.id === DEMO_WORST_AGENT_ID)!;
    const others = stats.filter((s) => s.id !== DEMO_WORST_AGENT_ID);
    expect(worst.n).toBeGreaterThan(1000);
    for (const o of others) {
      expect(worst.success).toBeLessThan(o.success - 0.15);
      expect(worst.duration).toBeGreaterThan(1.5 * o.duration);
      expect(worst.transfers).toBeGreaterThan(2 * o.transfers);
      expect(worst.hangups).toBeGreaterThan(1.5 * o.hangups);
    }
  });

  it("follows business hours and is busier on weekdays", () => {
    const byHour = new Array<number>(24).fill(0);
    const byWeekday = new Array<number>(7).fill(0);
    for (const c of calls) {
      const d = new Date(c.timestamp);
      byHour[d.getUTCHours()]!++;
      byWeekday[d.getUTCDay()]!++;
    }
    expect(Math.max(...byHour)).toBeGreaterThan(2.5 * Math.min(...byHour));
    // US business hours (UTC 14:00-22:00) beat the small hours of the US night (UTC 06:00-09:00).
    expect(byHour[16]!).toBeGreaterThan(2 * byHour[7]!);
    const weekday = mean(byWeekday.slice(1, 6));
    const weekend = mean([byWeekday[0]!, byWeekday[6]!]);
    expect(weekday).toBeGreaterThan(1.8 * weekend);
  });
});
