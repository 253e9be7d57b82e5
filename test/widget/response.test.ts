import { describe, expect, it } from "vitest";
import {
  parsePreviewResponse,
  readBarBucket,
  readGroupedBarBucket,
  readLinePoint,
  readPieSlice,
  readStatData,
} from "../../src/widget/response.js";

function refused(body: unknown, chart: Parameters<typeof parsePreviewResponse>[1]) {
  const r = parsePreviewResponse(body, chart);
  if (r.ok) throw new Error("expected a refusal");
  return r.error;
}

describe("parsePreviewResponse", () => {
  it("accepts the documented shapes and keeps every key", () => {
    const body = { widget_id: null, chart_type: "bar", data: [{ x: 1 }], extra: { y: 2 } };
    const r = parsePreviewResponse(body, "bar");
    expect(r.ok && r.value).toEqual(body);
    expect(parsePreviewResponse({ data: {} }, "stat").ok).toBe(true);
    expect(parsePreviewResponse({ data: [] }, "line").ok).toBe(true);
    expect(parsePreviewResponse({ data: [] }, "pie").ok).toBe(true);
  });

  it("does not check item shapes", () => {
    expect(parsePreviewResponse({ data: [1, "two", null, { odd: true }] }, "line").ok).toBe(true);
  });

  it.each([
    [[{ data: [] }], "a list (1 item)"],
    ["just text", "a string"],
    [null, "null"],
    [42, "a number"],
  ])("refuses a body that is not an object: %j", (body, described) => {
    const e = refused(body, "line");
    expect(e.category).toBe("bad_response");
    expect(e.message).toContain("expected a JSON object with a `data` field");
    expect(e.message).toContain(`got ${described}`);
    expect(e.message).toMatch(/Retrying .* will not help/);
    expect(e.message).toMatch(/report/);
  });

  it("refuses a body without data and names the keys it has", () => {
    const e = refused({ detail: "ok", results: [] }, "bar");
    expect(e.category).toBe("bad_response");
    expect(e.message).toContain("`data` is missing");
    expect(e.message).toContain("detail, results");
  });

  it("refuses stat data that is a list", () => {
    const e = refused({ data: [{ total_calls: 1 }] }, "stat");
    expect(e.category).toBe("bad_response");
    expect(e.message).toContain("for a stat chart `data` should be an object {total_calls");
    expect(e.message).toContain("got a list (1 item)");
  });

  it("refuses bar, line and pie data that is an object", () => {
    expect(refused({ data: { total_calls: 1 } }, "bar").message).toContain(
      "for a bar chart `data` should be a list of buckets {time_interval, value, sample_count}, got an object",
    );
    expect(refused({ data: {} }, "line").message).toContain("got an object");
    expect(refused({ data: null }, "pie").message).toContain("got null");
  });
});

describe("item readers", () => {
  it("reads a line point and refuses unknown keys or wrong types", () => {
    const p = { id: 1, timestamp: "2026-11-19T00:00:00Z", value: 3.5 };
    expect(readLinePoint(p)).toEqual(p);
    expect(readLinePoint({ ...p, value: null })?.value).toBeNull();
    expect(readLinePoint({ ...p, group: 1 })).toBeUndefined();
    expect(readLinePoint({ ...p, value: "3.5" })).toBeUndefined();
    expect(readLinePoint([p])).toBeUndefined();
  });

  it("reads bar buckets; grouped ones only with the grouped reader", () => {
    const b = { time_interval: "2026-11-19T00:00:00Z", value: 2, sample_count: 2 };
    expect(readBarBucket(b)).toEqual(b);
    expect(readBarBucket({ time_interval: b.time_interval, value: 2 })?.sample_count).toBeUndefined();
    expect(readBarBucket({ ...b, group: "a" })).toBeUndefined();
    expect(readGroupedBarBucket({ ...b, group: "a" })).toEqual({ ...b, group: "a" });
    expect(readGroupedBarBucket(b)).toBeUndefined();
  });

  it("reads pie slices with labels of any scalar type", () => {
    expect(readPieSlice({ label: true, value: 3, percentage: 50 })).toEqual({
      label: "true",
      value: 3,
      percentage: 50,
    });
    expect(readPieSlice({ label: null, value: 1 })?.label).toBe("null");
    expect(readPieSlice({ label: { a: 1 }, value: 1 })).toBeUndefined();
    expect(readPieSlice({ label: "x", value: null })).toBeUndefined();
  });

  it("reads stat data and keeps unknown keys apart", () => {
    const s = readStatData({
      total_calls: 3,
      success_rate: 0.5,
      avg_duration: null,
      p95_latency: null,
      foo: "bar",
    });
    expect(s?.total_calls).toBe(3);
    expect(s?.avg_duration).toBeNull();
    expect(s?.extra).toEqual({ foo: "bar" });
    expect(readStatData({ foo: 1 })).toBeUndefined();
    expect(readStatData([])).toBeUndefined();
  });
});
