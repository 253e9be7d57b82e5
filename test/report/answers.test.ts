/** The parts of an analyst's answer, one by one: partial buckets, window notes, coverage, pivots and folds within budget. */
import { describe, expect, it } from "vitest";
import { partialBuckets, weekStartNote } from "../../src/report/buckets.js";
import { coverageLine, windowNotes } from "../../src/report/context.js";
import { answerSize, buildAnswer, type ToolAnswer } from "../../src/report/index.js";
import { combineBuckets } from "../../src/report/stats.js";
import type { PreviewResponse } from "../../src/widget/response.js";
import type { TimeWindow, WidgetQuery } from "../../src/widget/types.js";

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse("2026-11-16T00:00:00Z"); // a Monday
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

function answer(
  query: WidgetQuery,
  data: unknown,
  window: TimeWindow,
  now: number,
  budgetChars?: number,
): ToolAnswer {
  const response: PreviewResponse = { chart_type: query.chart_type, data };
  return buildAnswer({
    query,
    window,
    response,
    source: { kind: "live" },
    notes: [],
    now,
    ...(budgetChars ? { budgetChars } : {}),
  });
}

describe("partial buckets", () => {
  const window: TimeWindow = { start: iso(T0 + 6 * H), end: iso(T0 + 3 * D + 12 * H), defaulted: false };
  it("marks a bucket that starts before the window, or ends after its end or after now", () => {
    const starts = [0, 1, 2, 3].map((d) => iso(T0 + d * D));
    expect(partialBuckets(starts, { window, now: T0 + 10 * D, period: "day" })).toEqual([
      true,
      false,
      false,
      true,
    ]);
    // Now inside day 2: day 2 is still filling.
    expect(partialBuckets(starts, { window, now: T0 + 2 * D + H, period: "day" })).toEqual([
      true,
      false,
      true,
      true,
    ]);
  });

  it("takes an end given to the second (lte 23:59:59) as the end of that day", () => {
    const whole: TimeWindow = { start: iso(T0), end: iso(T0 + D - 1000), defaulted: false };
    expect(partialBuckets([iso(T0)], { window: whole, now: T0 + 5 * D, period: "day" })).toEqual([false]);
  });

  it("knows calendar months and bucket group_by intervals; unknown lengths are never partial", () => {
    const nov = Date.parse("2026-11-01T00:00:00Z");
    const w: TimeWindow = { start: iso(nov), end: iso(Date.parse("2026-11-30T23:59:59Z")), defaulted: false };
    expect(partialBuckets([iso(nov)], { window: w, now: nov + 40 * D, period: "month" })).toEqual([false]);
    expect(
      partialBuckets([iso(nov)], { window: w, now: nov + 40 * D, period: undefined, intervalMs: 40 * D }),
    ).toEqual([true]);
    expect(partialBuckets([iso(nov)], { window: w, now: nov, period: undefined })).toEqual([false]);
  });

  it("names the weekday week buckets start on, from the buckets", () => {
    expect(weekStartNote([iso(T0), iso(T0 + 7 * D)])).toMatch(/start on Monday 00:00 UTC/);
    expect(weekStartNote([iso(T0 + D), iso(T0 + 8 * D)])).toMatch(/start on Tuesday/);
    expect(weekStartNote([iso(T0), iso(T0 + D)])).toBeUndefined();
  });
});

describe("one bucket is the whole window", () => {
  it("its value is the overall figure, percentiles included", () => {
    const b = { time_interval: iso(T0), value: 42, sample_count: 7 };
    expect(combineBuckets([b], "p95")).toMatchObject({ value: 42, samples: 7, method: "the only bucket" });
    expect(combineBuckets([b, { ...b, time_interval: iso(T0 + D) }], "p95").value).toBeNull();
  });
});

describe("window notes", () => {
  const now = T0 + 10 * H;
  it("say when the end lies after now, and how to ask for yesterday after lt/lte today", () => {
    const w: TimeWindow = {
      start: iso(T0 - D),
      end: iso(T0 + D - 1000),
      defaulted: false,
      endExpression: "lt today",
    };
    const notes = windowNotes(w, now);
    expect(notes[0]).toMatch(/ends at 2026-11-16T23:59:59Z, after now \(2026-11-16T10:00:00Z\)/);
    expect(notes[1]).toMatch(/gte today-1d with lte today-1d/);
  });
  it("say nothing for an open end or an end in the past", () => {
    expect(windowNotes({ start: iso(T0), end: iso(now), defaulted: false }, now)).toEqual([]);
    expect(
      windowNotes(
        { start: iso(T0), end: iso(now - H), defaulted: false, endExpression: "lte today-1d" },
        now,
      ),
    ).toEqual([]);
  });
});

describe("coverage", () => {
  it("counts the calls without a value, and stays silent when the two answers disagree", () => {
    expect(coverageLine(90, 100, "success")).toMatch(/90 of the 100 calls .* 10 \(10%\) have none/);
    expect(coverageLine(100, 100, "success")).toMatch(/all 100 calls/);
    expect(coverageLine(101, 100, "success")).toBeUndefined();
    expect(coverageLine(undefined, 100, "success")).toBeUndefined();
  });
});

describe("within the budget", () => {
  const window: TimeWindow = { start: iso(T0), end: iso(T0 + 28 * D), defaulted: false };
  const now = T0 + 40 * D;

  it("a pivot of 200 groups over 28 days: ranking first, 8 columns and other, the cut counted", () => {
    const data = [];
    for (let d = 0; d < 28; d++)
      for (let g = 0; g < 200; g++)
        data.push({
          time_interval: iso(T0 + d * D),
          value: (g * 37 + d) % 100,
          sample_count: 1 + (g % 7),
          group: `topic-${g}`,
        });
    const query: WidgetQuery = {
      chart_type: "bar",
      field: "duration",
      aggregation_function: "sum",
      time_period: "day",
      group_by: { type: "field", field: "topic" },
    };
    for (const budget of [4_000, 8_000, 24_000]) {
      const a = answer(query, data, window, now, budget);
      expect(answerSize(a)).toBeLessThanOrEqual(budget);
    }
    const a = answer(query, data, window, now);
    const s = a.content[0].text;
    expect(s).toMatch(/All 200 groups ranked by sum/);
    expect(s).toMatch(/\| \.\.\. \d+ more rows \(see the data\) \|/);
    expect(s).toContain("other (192 groups)");
    expect(a.structuredContent.stats).toMatchObject({
      groups_total: 200,
      other_groups: 192,
      groups_cut: 170,
    });
  });

  it("a pie's other names the labels it folds as far as the budget allows", () => {
    const data = Array.from({ length: 500 }, (_, i) => ({
      label: `reason-${i}`,
      value: 1000 - i,
      percentage: 0.2,
    }));
    const a = answer({ chart_type: "pie", field: "topic" }, data, window, now);
    const s = a.content[0].text;
    expect(s).toMatch(/"other" folds 490 labels: "reason-10" \(990\), "reason-11" \(989\)/);
    expect(s).toMatch(/and \d+ more \(see the data\)\./);
    expect(answerSize(a)).toBeLessThanOrEqual(24_000);
  });
});
