import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { CallLog } from "../../src/embedded/calls.js";
import { generateDemoCalls } from "../../src/embedded/dataset.js";
import { type LoadedCalls, loadCallsFile, normaliseRow, parseCallsText } from "../../src/embedded/loader.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/calls");
const fixture = (name: string): string => join(FIXTURES, name);
const tmp = mkdtempSync(join(tmpdir(), "cekura-loader-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const tmpFile = (name: string, content: string | Buffer): string => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

async function load(path: string): Promise<LoadedCalls> {
  const r = await loadCallsFile(path);
  if (!r.ok) throw new Error(`expected a load, got ${r.error.category}: ${r.error.message}`);
  return r.value;
}

async function loadError(path: string) {
  const r = await loadCallsFile(path);
  if (r.ok) throw new Error(`expected an error, loaded ${r.value.calls.length} calls`);
  return r.error;
}

const byId = (calls: CallLog[], id: number): CallLog => {
  const c = calls.find((x) => x.id === id);
  if (!c) throw new Error(`no call ${id}`);
  return c;
};

/** A demo call as the call-logs list API would export it. */
function toListShape(c: CallLog): Record<string, unknown> {
  const mmss = (s: number) =>
    `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  return {
    id: c.id,
    call_id: `call_${c.id}`,
    timestamp: new Date(c.timestamp).toISOString(),
    duration: c.duration === null ? null : mmss(c.duration),
    success: c.success,
    is_reviewed: c.is_reviewed,
    call_ended_reason: c.call_ended_reason ?? "",
    dropoff_point: c.dropoff_point ?? "",
    topic: c.topic ?? "",
    customer_number: c.customer_number ?? "",
    agent: c.agent?.id ?? null,
    agent_name: c.agent?.agent_name ?? "",
    metadata: c.metadata,
    latency_ms: c.latency_ms,
    metrics: c.metric_evaluations.map((e) => ({
      id: e.metric.id,
      name: e.metric.name,
      type: e.metric.eval_type,
      score:
        e.metric.eval_type === "enum" || e.value === null
          ? null
          : e.value === true
            ? 5
            : e.value === false
              ? 0
              : e.value,
      enum: e.metric.eval_type === "enum" ? (e.value ?? "") : "",
      value: e.metric.eval_type === "enum" ? (e.value ?? "") : "",
    })),
  };
}

describe("loadCallsFile: file forms", () => {
  it("reads NDJSON: blank lines ignored, bad rows skipped with reasons naming their lines", async () => {
    const r = await load(fixture("widget.ndjson"));
    expect(r.format).toBe("ndjson");
    expect(r.calls.map((c) => c.id)).toEqual([7, 2, 1, 3, 8]); // ordered by timestamp (2 is 08:30Z)
    expect(r.skipped).toBe(5);
    expect(r.reasons).toHaveLength(5);
    expect(r.reasons[0]).toMatch(/^line 5: not valid JSON/);
    expect(r.reasons[1]).toBe("line 6: no id");
    expect(r.reasons[2]).toMatch(/^line 7: timestamp: expected an ISO 8601 .* got "yesterday"$/);
    expect(r.reasons[3]).toMatch(/^line 8: duration: expected .* got "not a duration"$/);
    expect(r.reasons[4]).toBe("line 9: duplicate id 1 (the first row with it is kept)");
  });

  it("normalises widget-shape rows: zones, epoch seconds, nulls, metadata", async () => {
    const { calls } = await load(fixture("widget.ndjson"));
    expect(byId(calls, 1)).toEqual({
      id: 1,
      timestamp: Date.parse("2025-06-01T09:00:00Z"),
      duration: 120.5,
      success: true,
      is_reviewed: false,
      call_ended_reason: "customer-ended-call",
      dropoff_point: null,
      topic: "book-appointment",
      customer_number: "+14155550101",
      agent: { id: 1, agent_name: "Appointment Bot" },
      metadata: { region: "us-west", call_type: "inbound" },
      metric_evaluations: [
        { metric: { id: 101, name: "Customer Satisfaction", eval_type: "continuous_qualitative" }, value: 5 },
        { metric: { id: 102, name: "Goal Achieved", eval_type: "binary" }, value: true },
      ],
      latency_ms: 820,
    });
    const two = byId(calls, 2);
    expect(two.timestamp).toBe(Date.parse("2025-06-01T08:30:00Z")); // +02:00
    expect(two).toMatchObject({
      duration: null,
      success: null,
      is_reviewed: true,
      agent: null,
      metadata: {},
    });
    const three = byId(calls, 3);
    expect(three.timestamp).toBe(1748772000 * 1000); // epoch seconds
    expect(three.is_reviewed).toBe(false); // absent
    expect(three.metadata).toEqual({ region: "eu", nested: '{"a":1}' }); // "bad key" is not addressable
    expect(three.metric_evaluations.map((e) => [e.metric.eval_type, e.value])).toEqual([
      ["enum", "escalated"],
      ["numeric", null],
    ]);
    expect(byId(calls, 8).timestamp).toBe(Date.parse("2025-06-01T14:00:00Z")); // CRLF line ending
  });

  it("reads a list-API row inside NDJSON: MM:SS, agent id beside agent_name, metrics", async () => {
    const seven = byId((await load(fixture("widget.ndjson"))).calls, 7);
    expect(seven).toMatchObject({
      timestamp: Date.parse("2025-06-01T08:00:00.250Z"),
      duration: 70,
      agent: { id: 2, agent_name: "Billing Assistant" },
      metric_evaluations: [{ metric: { id: 102, name: "Goal Achieved", eval_type: "binary" }, value: true }],
    });
  });

  it("reads a pretty-printed JSON array and names bad rows by index", async () => {
    const r = await load(fixture("widget-array.json"));
    expect(r.format).toBe("json-array");
    expect(r.calls.map((c) => c.id)).toEqual([11, 10]);
    expect(r.skipped).toBe(1);
    expect(r.reasons).toEqual(['index 2: id: expected an integer, got "twelve"']);
    expect(byId(r.calls, 11)).toMatchObject({
      dropoff_point: "payment",
      customer_number: null,
      latency_ms: null,
    });
  });

  it("reads one list page in the list API shape", async () => {
    const r = await load(fixture("list-page.json"));
    expect(r.format).toBe("list-pages");
    expect(r.skipped).toBe(0);
    expect(r.calls.map((c) => c.id)).toEqual([301, 302, 303]);
    const [c301, c302, c303] = r.calls as [CallLog, CallLog, CallLog];
    expect(c303).toMatchObject({
      duration: 3725, // 1:02:05
      success: false, // from status reviewed_failure
      is_reviewed: true,
      agent: { id: 4, agent_name: "Tech Support Agent" },
      metric_evaluations: [{ metric: { id: 104, eval_type: "enum" }, value: "abandoned" }],
    });
    expect(c302.duration).toBe(155);
    expect(c302.dropoff_point).toBeNull(); // "" means none
    expect(c302.metric_evaluations).toEqual([
      { metric: { id: 101, name: "Customer Satisfaction", eval_type: "continuous_qualitative" }, value: 4 },
      { metric: { id: 102, name: "Goal Achieved", eval_type: "binary" }, value: false },
      { metric: { id: 103, name: "Response Accuracy", eval_type: "numeric" }, value: 0.92 },
      { metric: { id: 104, name: "Call Outcome", eval_type: "enum" }, value: "resolved" },
    ]);
    expect(c301).toMatchObject({
      timestamp: Date.parse("2025-06-03T09:00:00Z"), // created_at
      duration: 40,
      agent: null,
      customer_number: null,
      metric_evaluations: [],
    });
  });

  it("reads an array of list pages and names bad rows by page and position", async () => {
    const r = await load(fixture("list-pages.json"));
    expect(r.format).toBe("list-pages");
    expect(r.calls.map((c) => c.id)).toEqual([401, 402]);
    expect(r.calls.map((c) => c.duration)).toEqual([30, 180]);
    expect(r.skipped).toBe(1);
    expect(r.reasons[0]).toMatch(/^pages\[1\]\.results\[0\]: duration: expected .*"xx:30"$/);
  });

  it("reads NDJSON of list pages", async () => {
    const r = await load(fixture("list-pages.ndjson"));
    expect(r.format).toBe("list-pages");
    expect(r.calls.map((c) => c.id)).toEqual([501, 502]);
    expect(r.reasons).toEqual(['line 2, results[0]: metrics[0].score: expected a number, got "oops"']);
  });
});

describe("loadCallsFile: errors", () => {
  it("refuses a file with no valid rows, showing the first reasons", async () => {
    const e = await loadError(fixture("no-valid-rows.ndjson"));
    expect(e.category).toBe("invalid_arguments");
    expect(e.message).toContain("no-valid-rows.ndjson");
    expect(e.message).toContain("no valid call rows: all 4 were rejected");
    expect(e.message).toContain("line 1: no id");
    expect(e.message).toContain("line 2: no timestamp");
    expect(e.message).toContain(
      'line 3: timestamp: expected an ISO 8601 date-time or epoch seconds/milliseconds, got "2025-13-01',
    );
    expect(e.message).toContain("line 4: not a call object (got a list)");
  });

  it("refuses a missing file, naming the path", async () => {
    const path = join(tmp, "does-not-exist.ndjson");
    const e = await loadError(path);
    expect(e.category).toBe("invalid_arguments");
    expect(e.message).toBe(`Cannot read the calls file "${path}": no such file.`);
    const r = await loadCallsFile(path, { category: "config" });
    expect(!r.ok && r.error.category).toBe("config");
  });

  it("refuses a directory", async () => {
    expect((await loadError(tmp)).message).toContain("it is a directory");
  });

  it("refuses an invalid JSON array, naming the path", async () => {
    const e = await loadError(fixture("invalid-array.json.txt"));
    expect(e.message).toMatch(/^The calls file ".*invalid-array\.json\.txt" is not a valid JSON array: /);
  });

  it("refuses text that is not JSON, an empty file, and a JSON object without results", async () => {
    expect((await loadError(tmpFile("plain.txt", "id,timestamp\n1,2025-06-01\n"))).message).toContain(
      'is not JSON: it starts with "i"',
    );
    expect((await loadError(tmpFile("empty.ndjson", " \n\n"))).message).toContain("is empty");
    expect((await loadError(tmpFile("object.json", '{\n  "calls": []\n}\n'))).message).toContain(
      "a single JSON object without a results list",
    );
    expect((await loadError(tmpFile("none.json", "[]"))).message).toContain("holds no call rows");
  });
});

describe("loadCallsFile: round trips", () => {
  const NOW = Date.parse("2026-03-15T12:00:00Z");
  const demo = generateDemoCalls({ now: NOW, count: 3000, seed: 5 });

  it("loads demo calls written as widget-shape NDJSON with ISO timestamps, unchanged", async () => {
    const text = demo
      .map((c) => JSON.stringify({ ...c, timestamp: new Date(c.timestamp).toISOString() }))
      .join("\n");
    const r = await load(tmpFile("demo.ndjson", `${text}\n`));
    expect(r.skipped).toBe(0);
    expect(r.calls).toEqual(demo);
  });

  it("loads the same calls exported in the list API shape (MM:SS, agent id, metrics), unchanged", async () => {
    const r = await load(
      tmpFile("demo-list.json", JSON.stringify({ count: demo.length, results: demo.map(toListShape) })),
    );
    expect(r.format).toBe("list-pages");
    expect(r.skipped).toBe(0);
    expect(r.calls).toEqual(demo);
  });

  it("streams NDJSON larger than one read chunk, with multi-byte text and a byte-order mark", async () => {
    const many = generateDemoCalls({ now: NOW, count: 15_000, seed: 6 }).map((c, i) => ({
      ...c,
      topic: i % 3 === 0 ? `réservation ✓ 予約 ${i % 7}` : c.topic,
    }));
    const text = `\uFEFF${many.map((c) => JSON.stringify(c)).join("\n")}`; // no final newline
    expect(Buffer.byteLength(text)).toBeGreaterThan(5 << 20);
    const r = await load(tmpFile("big.ndjson", text));
    expect(r.skipped).toBe(0);
    expect(r.calls).toEqual(many);
  });
});

describe("loadCallsFile: large files", () => {
  const NOW = Date.parse("2026-03-15T12:00:00Z");

  it("names bad lines by their numbers across read chunks and decoded pieces", async () => {
    const lines = generateDemoCalls({ now: NOW, count: 12_000, seed: 8 }).map((c) => JSON.stringify(c));
    for (const n of [2, 500, 10_000]) lines[n - 1] = `{"id": ${n}, "broken`;
    const text = lines.join("\n");
    expect(text.length).toBeGreaterThan(5 << 20); // more than one 4 MB read
    const r = await load(tmpFile("bad-lines.ndjson", text));
    expect(r.calls).toHaveLength(12_000 - 3);
    expect(r.reasons.map((x) => x.slice(0, x.indexOf(":")))).toEqual(["line 2", "line 500", "line 10000"]);
  });

  it("streams a line longer than the read buffer", async () => {
    const page = { count: 9000, results: generateDemoCalls({ now: NOW, count: 9000, seed: 9 }) };
    const pageLine = JSON.stringify(page);
    expect(pageLine.length).toBeGreaterThan(4 << 20);
    const row = { id: 99_999, timestamp: "2026-03-15T11:00:00Z" };
    const r = await load(tmpFile("long-line.ndjson", `${pageLine}\n${JSON.stringify(row)}\n{oops\n`));
    expect(r.calls).toHaveLength(9001);
    expect(byId(r.calls, 99_999).timestamp).toBe(Date.parse(row.timestamp));
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatch(/^line 3: not valid JSON/);
  });
});

describe("parseCallsText: shared objects and the fast path for plain rows", () => {
  /** A widget-shape row whose fields need no conversion (what exports mostly hold). */
  const plain = (id: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id,
    timestamp: "2025-06-01T09:00:00.250Z",
    duration: 61,
    success: true,
    is_reviewed: false,
    call_ended_reason: "customer-ended-call",
    dropoff_point: null,
    topic: "billing",
    customer_number: "+14155550101",
    agent: { id: 3, agent_name: "Order Status Agent" },
    metadata: { region: "eu", call_type: "inbound" },
    metric_evaluations: [
      { metric: { id: 101, name: "Customer Satisfaction", eval_type: "continuous_qualitative" }, value: 4 },
      { metric: { id: 102, name: "Goal Achieved", eval_type: "binary" }, value: false },
      { metric: { id: 104, name: "Call Outcome", eval_type: "enum" }, value: null },
    ],
    latency_ms: 640,
    ...extra,
  });
  const expected: CallLog = {
    id: 1,
    timestamp: Date.parse("2025-06-01T09:00:00.250Z"),
    duration: 61,
    success: true,
    is_reviewed: false,
    call_ended_reason: "customer-ended-call",
    dropoff_point: null,
    topic: "billing",
    customer_number: "+14155550101",
    agent: { id: 3, agent_name: "Order Status Agent" },
    metadata: { region: "eu", call_type: "inbound" },
    metric_evaluations: [
      { metric: { id: 101, name: "Customer Satisfaction", eval_type: "continuous_qualitative" }, value: 4 },
      { metric: { id: 102, name: "Goal Achieved", eval_type: "binary" }, value: false },
      { metric: { id: 104, name: "Call Outcome", eval_type: "enum" }, value: null },
    ],
    latency_ms: 640,
  };
  const calls = (rows: Record<string, unknown>[]): CallLog[] => {
    const r = parseCallsText(rows.map((x) => JSON.stringify(x)).join("\n"));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.reasons).toEqual([]);
    return r.value.calls;
  };

  it("reads a row with a field that needs converting exactly as the general path does", () => {
    const cases: [Record<string, unknown>, Partial<CallLog>][] = [
      [{}, {}],
      [{ timestamp: 1748768400 }, { timestamp: 1748768400_000 }],
      [{ timestamp: "1748768400" }, { timestamp: 1748768400_000 }],
      [{ duration: "01:01" }, {}],
      [{ duration: undefined }, { duration: null }],
      [{ success: undefined, status: "reviewed_failure" }, { success: false }],
      [{ is_reviewed: null, status: "reviewed_success" }, { is_reviewed: true }],
      [
        { call_ended_reason: "", customer_number: "" },
        { call_ended_reason: null, customer_number: null },
      ],
      [
        { topic: undefined, customer_number: 14155550101 },
        { topic: null, customer_number: "14155550101" },
      ],
      [{ agent: null, agent_id: 7, agent_name: "Seven" }, { agent: { id: 7, agent_name: "Seven" } }],
      [{ agent: { id: "3", agent_name: "Order Status Agent" } }, {}],
      [{ agent: null }, { agent: null }],
      [{ metadata: '{"region":"eu","call_type":"inbound"}' }, {}],
      [{ metadata: undefined }, { metadata: {} }],
      [
        { metadata: { region: "eu", call_type: "inbound", "bad key": 1, n: null } },
        { metadata: { region: "eu", call_type: "inbound", n: null } },
      ],
      [{ latency_ms: "640" }, {}],
      [{ latency_ms: undefined }, { latency_ms: null }],
      [
        {
          metric_evaluations: [
            { metric: { id: 101, name: "Customer Satisfaction", eval_type: "rating" }, value: "4" },
            { metric: { id: 102, name: "Goal Achieved", eval_type: "binary" }, value: "fail" },
            { metric: { id: 104, name: "Call Outcome", eval_type: "enum" }, value: "" },
          ],
        },
        {},
      ],
      [
        {
          metric_evaluations: undefined,
          metrics: [{ id: 102, name: "Goal Achieved", type: "binary", score: 5 }],
        },
        {
          metric_evaluations: [
            { metric: { id: 102, name: "Goal Achieved", eval_type: "binary" }, value: true },
          ],
        },
      ],
    ];
    const got = calls(cases.map(([patch], i) => plain(i + 1, patch)));
    cases.forEach(([patch, change], i) => {
      expect({ patch, call: byId(got, i + 1) }).toEqual({
        patch,
        call: { ...expected, ...change, id: i + 1 },
      });
    });
  });

  it("shares one frozen copy of equal evaluation lists and metadata, however long the list", () => {
    const six = (value: number) =>
      [1, 2, 3, 4, 5, 6].map((id) => ({ metric: { id, name: `M${id}`, eval_type: "numeric" }, value }));
    const [a, b, c, d] = calls([
      plain(1, { metric_evaluations: six(1) }),
      plain(2, { metric_evaluations: six(1) }),
      plain(3, { metric_evaluations: six(2), metadata: { region: "us-east", call_type: "inbound" } }),
      { ...toListShape({ ...expected, id: 4 }), metadata: { region: "eu", call_type: "inbound" } },
    ]) as [CallLog, CallLog, CallLog, CallLog];
    expect(a.metric_evaluations).toHaveLength(6);
    expect(b.metric_evaluations).toBe(a.metric_evaluations);
    expect(Object.isFrozen(a.metric_evaluations)).toBe(true);
    expect(c.metric_evaluations).not.toBe(a.metric_evaluations);
    expect(c.metric_evaluations.map((e) => e.value)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(b.metadata).toBe(a.metadata);
    expect(d.metadata).toBe(a.metadata); // the general path (list shape) shares them too
    expect(Object.isFrozen(a.metadata)).toBe(true);
    expect(c.metadata).toEqual({ region: "us-east", call_type: "inbound" });
    const again = calls([plain(5), { ...toListShape({ ...expected, id: 6 }) }]) as [CallLog, CallLog];
    expect(again[1].metric_evaluations).toBe(again[0].metric_evaluations);
  });
});

describe("parseCallsText and normaliseRow", () => {
  it("reads a single-line page, and pretty-printed objects as documents", () => {
    const page = { results: [{ id: 1, timestamp: "2025-06-01T00:00:00Z" }] };
    const one = parseCallsText(JSON.stringify(page));
    expect(one.ok && one.value.format).toBe("list-pages");
    const pretty = parseCallsText(JSON.stringify(page, null, 2));
    expect(pretty.ok && pretty.value.calls.map((c) => c.id)).toEqual([1]);
    const brokenFirst = parseCallsText('{"id": 1, "timest\n{"id": 2, "timestamp": 1748772000}\n');
    expect(brokenFirst.ok && brokenFirst.value).toMatchObject({
      format: "ndjson",
      skipped: 1,
      calls: [{ id: 2 }],
    });
    expect(brokenFirst.ok && brokenFirst.value.reasons[0]).toMatch(/^line 1: not valid JSON/);
    const bad = parseCallsText("{ not json", "The upload");
    expect(!bad.ok && bad.error.message).toMatch(/^The upload is not valid JSON \(nor NDJSON\)/);
  });

  it("converts values sensibly and reports the field at fault", () => {
    const row = (extra: Record<string, unknown>) =>
      normaliseRow({ id: 1, timestamp: 1748772000000, ...extra });
    const ok = (extra: Record<string, unknown>) => {
      const r = row(extra);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    expect(ok({}).timestamp).toBe(1748772000000); // epoch ms stays ms
    expect(ok({ timestamp: "2025-06-01T12:00:00" }).timestamp).toBe(Date.parse("2025-06-01T12:00:00Z")); // no zone: UTC
    expect(ok({ timestamp: undefined, started_at: "2025-06-01T10:00:00Z" }).timestamp).toBe(
      Date.parse("2025-06-01T10:00:00Z"),
    );
    expect(ok({ timestamp: null, created_at: 1748772000 }).timestamp).toBe(1748772000000);
    expect(row({ timestamp: undefined, started_at: "soon" })).toEqual({
      ok: false,
      error: 'started_at: expected an ISO 8601 date-time or epoch seconds/milliseconds, got "soon"',
    });
    expect(ok({ duration: "75:05" }).duration).toBe(4505);
    expect(ok({ duration: "12.5" }).duration).toBe(12.5);
    expect(ok({ agent: "7" }).agent).toEqual({ id: 7, agent_name: "" });
    expect(ok({ metadata: '{"region":"eu"}' }).metadata).toEqual({ region: "eu" });
    expect(ok({ metadata: JSON.parse('{"__proto__":{"x":1},"ok":true}') }).metadata).toEqual({ ok: true });
    // Unknown metric types are inferred from the value; without a value the evaluation says nothing.
    expect(
      ok({
        metrics: [
          { id: 9, name: "Mystery", type: "novel", score: null, enum: "", value: "" },
          { id: 8, name: "Flag", type: "novel", score: null, enum: "", value: "true" },
        ],
      }).metric_evaluations,
    ).toEqual([{ metric: { id: 8, name: "Flag", eval_type: "enum" }, value: "true" }]);
    expect(row({ agent: [1] })).toEqual({
      ok: false,
      error: "agent: expected {id, agent_name}, an agent id or null, got [1]",
    });
    expect(row({ success: "maybe" })).toEqual({
      ok: false,
      error: 'success: expected true, false or null, got "maybe"',
    });
    expect(row({ metric_evaluations: [{ metric: { id: "x" }, value: 1 }] })).toEqual({
      ok: false,
      error: 'metric_evaluations[0].metric.id: expected an integer, got "x"',
    });
    expect(row({ timestamp: "2024-02-30T00:00:00Z" }).ok).toBe(false);
    expect(normaliseRow("a string")).toEqual({ ok: false, error: 'not a call object (got "a string")' });
  });
});
