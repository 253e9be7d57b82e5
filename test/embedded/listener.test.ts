import { Agent, type IncomingHttpHeaders, request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { CallLog } from "../../src/embedded/calls.js";
import { createCallStore } from "../../src/embedded/engine.js";
import {
  type EmbeddedListener,
  type EmbeddedListenerOptions,
  MAX_BODY_BYTES,
  MISSING_START_DETAIL,
  type ObservedRequest,
  PREVIEW_DATA_PATH,
  startEmbeddedListener,
  TOO_FAR_IN_PAST_DETAIL,
} from "../../src/embedded/listener.js";

const NOW = Date.parse("2026-03-15T12:00:00Z");
const DAY = 86_400_000;
const KEY = "embedded-test-key-0123456789";

function call(id: number, timestamp: number, fields: Partial<CallLog> = {}): CallLog {
  return {
    id,
    timestamp,
    duration: 60,
    success: true,
    is_reviewed: false,
    call_ended_reason: "customer_ended_call",
    dropoff_point: null,
    topic: "billing",
    customer_number: null,
    agent: { id: 1, agent_name: "Ava" },
    metadata: {},
    metric_evaluations: [],
    ...fields,
  };
}

const CALLS = [
  call(1, NOW - 40 * DAY, { duration: 10, success: false }), // outside the demo window
  call(2, NOW - 2 * DAY, { duration: 20 }),
  call(3, NOW - DAY, { duration: 40, success: false }),
  call(4, NOW - DAY + 1000, {
    duration: 60,
    metric_evaluations: [{ metric: { id: 7, name: "sentiment", eval_type: "enum" }, value: "positive" }],
  }),
];
const store = createCallStore(CALLS);

let backend: EmbeddedListener | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

async function start(opts: Partial<EmbeddedListenerOptions> = {}): Promise<EmbeddedListener> {
  backend = await startEmbeddedListener({ store, apiKey: KEY, mode: "demo", now: () => NOW, ...opts });
  return backend;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
  reusedSocket: boolean;
}

function send(
  base: string,
  opts: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    agent?: Agent;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${opts.path ?? PREVIEW_DATA_PATH}`,
      {
        method: opts.method ?? "POST",
        headers: { "content-type": "application/json", "x-cekura-api-key": KEY, ...opts.headers },
        agent: opts.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json,
            reusedSocket: req.reusedSocket,
          });
        });
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

const post = (base: string, body: unknown, headers?: Record<string, string>) =>
  send(base, { body: JSON.stringify(body), ...(headers ? { headers } : {}) });

const LAST_7_DAYS = { field: "timestamp", op: "gte", value: "now-7d" };
const BAR = {
  chart_type: "bar",
  field: "duration",
  aggregation_function: "avg",
  time_period: "day",
  filters: LAST_7_DAYS,
};

describe("the embedded listener over HTTP on 127.0.0.1", () => {
  it("listens on 127.0.0.1 at an ephemeral port and answers a valid query with the full body", async () => {
    const b = await start();
    expect(b.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await post(b.url, BAR);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toMatch(/application\/json/);
    expect(r.json).toEqual({
      widget_id: null,
      field_name: "duration",
      chart_type: "bar",
      data: [
        { time_interval: "2026-03-13T00:00:00Z", value: 20, sample_count: 1 },
        { time_interval: "2026-03-14T00:00:00Z", value: 50, sample_count: 2 },
      ],
      aggregation_function: "avg",
      time_period: "day",
      group_by: null,
      can_group_by: true,
      metadata: { display_name: "Duration (s)", data_type: "numeric", filter_value: null },
    });
  });

  it("checks the key: 401 without it, 403 with a wrong one", async () => {
    const b = await start();
    const none = await send(b.url, { body: JSON.stringify(BAR), headers: { "x-cekura-api-key": "" } });
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ detail: "Authentication credentials were not provided." });
    const wrong = await post(b.url, BAR, { "x-cekura-api-key": `${KEY}x` });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toEqual({ detail: "Invalid API key." });
    const short = await post(b.url, BAR, { "x-cekura-api-key": "k" });
    expect(short.status).toBe(403);
  });

  it("needs no key when none is configured", async () => {
    const b = await start({ apiKey: undefined });
    const r = await send(b.url, { body: JSON.stringify(BAR), headers: { "x-cekura-api-key": "" } });
    expect(r.status).toBe(200);
  });

  it("404 for other paths and for the path without its trailing slash; 405 for other methods", async () => {
    const b = await start();
    for (const path of ["/dashboards/widgets/preview_data", "/", "/dashboards/widgets/bulk_data/"]) {
      const r = await send(b.url, { path, body: JSON.stringify(BAR) });
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ detail: "Not found." });
    }
    const q = await send(b.url, { path: `${PREVIEW_DATA_PATH}?x=1`, body: JSON.stringify(BAR) });
    expect(q.status).toBe(200);
    const get = await send(b.url, { method: "GET" });
    expect(get.status).toBe(405);
    expect(get.json).toEqual({ detail: 'Method "GET" not allowed.' });
    expect(get.headers.allow).toBe("POST");
  });

  it("415 for a body that is not JSON by media type; 400 for invalid JSON or a non-object", async () => {
    const b = await start();
    const form = await send(b.url, { body: "chart_type=bar", headers: { "content-type": "text/plain" } });
    expect(form.status).toBe(415);
    expect(form.json).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
    const bad = await send(b.url, { body: "{chart_type: bar" });
    expect(bad.status).toBe(400);
    expect((bad.json as { detail: string }).detail).toMatch(/^JSON parse error - /);
    const list = await send(b.url, { body: "[1, 2]" });
    expect(list.status).toBe(400);
    expect(list.json).toEqual({ non_field_errors: ["Invalid data. Expected a dictionary, but got list."] });
  });

  it("413 for a body over 1 MiB", async () => {
    const b = await start();
    const big = JSON.stringify({ ...BAR, name: "x".repeat(MAX_BODY_BYTES) });
    const r = await send(b.url, { body: big });
    expect(r.status).toBe(413);
    expect((r.json as { detail: string }).detail).toMatch(/too large/);
    // chunked, without a content-length: the cap holds while reading
    const chunked = await send(b.url, { body: big, headers: { "transfer-encoding": "chunked" } });
    expect(chunked.status).toBe(413);
    // the server lives on
    expect((await post(b.url, BAR)).status).toBe(200);
  });

  it("answers validation issues as DRF field errors", async () => {
    const b = await start();
    const chart = await post(b.url, { ...BAR, chart_type: "area" });
    expect(chart.status).toBe(400);
    expect(Object.keys(chart.json as object)).toEqual(["chart_type"]);
    expect((chart.json as Record<string, string[]>).chart_type![0]).toMatch(/area/);

    const op = await post(b.url, {
      ...BAR,
      filters: { operator: "and", conditions: [LAST_7_DAYS, { field: "success", op: "gt", value: true }] },
    });
    expect(op.status).toBe(400);
    const msgs = (op.json as Record<string, string[]>).filters!;
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(/^filters\.conditions\[1\]\.op: /);

    const several = await post(b.url, { chart_type: "bar", field: "duration", filters: LAST_7_DAYS });
    expect(Object.keys(several.json as object).sort()).toEqual(["aggregation_function", "time_period"]);
  });

  it("refuses what the catalogue does not allow, naming the argument, before the engine runs", async () => {
    const b = await start();
    const keys = async (body: Record<string, unknown>) => {
      const r = await post(b.url, { filters: LAST_7_DAYS, ...body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      return Object.keys(r.json as object);
    };
    expect(await keys({ ...BAR, field: "topic", aggregation_function: "avg" })).toEqual([
      "aggregation_function",
    ]);
    expect(await keys({ chart_type: "line", field: "topic" })).toEqual(["chart_type"]);
    expect(await keys({ chart_type: "pie", field: "colour" })).toEqual(["field"]);
    expect(await keys({ chart_type: "pie" })).toEqual(["field"]);
    const byAgent = { type: "field", field: "agent.id" };
    expect(await keys({ chart_type: "pie", field: "topic", group_by: byAgent })).toEqual(["group_by"]);
    expect(await keys({ chart_type: "stat", group_by: byAgent })).toEqual(["group_by"]);
    expect(await keys({ ...BAR, group_by: { type: "field", field: "colour" } })).toEqual(["group_by"]);
    expect(await keys({ ...BAR, group_by: { type: "bucket", interval: 10 } })).toEqual(["group_by"]);
    expect(await keys({ ...BAR, filters: { field: "colour", op: "eq", value: "red" } })).toEqual(["filters"]);
    expect(await keys({ ...BAR, filters: { field: "topic", op: "isnull", value: "maybe" } })).toEqual([
      "filters",
    ]);
    expect(await keys({ ...BAR, dashboard_filters: { field: "id", op: "in", value: 3 } })).toEqual([
      "dashboard_filters",
    ]);
  });

  it("answers semantic errors only the data reveals (an enum metric as a bar chart)", async () => {
    const b = await start();
    const r = await post(b.url, {
      chart_type: "bar",
      field: "metric_evaluations.value",
      metric: 7,
      aggregation_function: "count",
      time_period: "day",
      filters: LAST_7_DAYS,
    });
    expect(r.status).toBe(400);
    expect(Object.keys(r.json as object)).toEqual(["metric"]);
  });

  it("accepts and ignores the widget's layout metadata", async () => {
    const b = await start();
    const r = await post(b.url, { ...BAR, metadata: { x: 0, y: 0, w: 4, h: 2 } });
    expect(r.status).toBe(200);
  });
});

describe("demo and data modes", () => {
  const STAT = { chart_type: "stat" };

  it("demo: a gt/gte timestamp condition is required", async () => {
    const b = await start({ mode: "demo" });
    const r = await post(b.url, STAT);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ detail: MISSING_START_DETAIL });
    const onlyEnd = await post(b.url, { ...STAT, filters: { field: "timestamp", op: "lte", value: "now" } });
    expect(onlyEnd.json).toEqual({ detail: MISSING_START_DETAIL });
    const inDashboard = await post(b.url, { ...STAT, dashboard_filters: LAST_7_DAYS });
    expect(inDashboard.status).toBe(200);
  });

  it("demo: the window may start at most 30 days back", async () => {
    const b = await start({ mode: "demo" });
    const old = await post(b.url, { ...STAT, filters: { field: "timestamp", op: "gte", value: "now-40d" } });
    expect(old.status).toBe(400);
    expect(old.json).toEqual({ detail: TOO_FAR_IN_PAST_DETAIL });
    expect(TOO_FAR_IN_PAST_DETAIL).toBe(
      "Timestamp filter value is too far in the past. Maximum allowed range is 30 days.",
    );
    const ok = await post(b.url, { ...STAT, filters: { field: "timestamp", op: "gte", value: "now-30d" } });
    expect(ok.status).toBe(200);
    expect((ok.json as { data: { total_calls: number } }).data.total_calls).toBe(3);
  });

  it("data: no timestamp filter means all rows, and old windows are fine", async () => {
    const b = await start({ mode: "data" });
    const all = await post(b.url, STAT);
    expect(all.status).toBe(200);
    expect((all.json as { data: unknown }).data).toEqual({
      total_calls: 4,
      success_rate: 0.5,
      avg_duration: 32.5,
      p95_latency: null,
    });
    const old = await post(b.url, { ...STAT, filters: { field: "timestamp", op: "gte", value: "now-90d" } });
    expect(old.status).toBe(200);
    const line = await post(b.url, { chart_type: "line", field: "duration" });
    expect((line.json as { data: unknown[] }).data).toHaveLength(4);
  });
});

describe("robustness", () => {
  it("answers 500 on an unexpected exception and lives on", async () => {
    let calls = 0;
    const errors: unknown[] = [];
    const b = await start({
      now: () => {
        calls++;
        if (calls === 1) throw new Error("boom");
        return NOW;
      },
      onError: (e) => errors.push(e),
    });
    const r = await post(b.url, BAR);
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ detail: "Internal error" });
    expect(errors).toHaveLength(1);
    expect((await post(b.url, BAR)).status).toBe(200);
  });

  it("keeps connections alive across requests, error answers included", async () => {
    const b = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await send(b.url, { body: JSON.stringify(BAR), agent });
      const notFound = await send(b.url, { path: "/nope/", body: JSON.stringify(BAR), agent });
      const third = await send(b.url, { body: JSON.stringify(BAR), agent });
      expect([first.status, notFound.status, third.status]).toEqual([200, 404, 200]);
      expect(notFound.reusedSocket).toBe(true);
      expect(third.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it("close() ends idle keep-alive connections and stops listening", async () => {
    const b = await start();
    const agent = new Agent({ keepAlive: true });
    try {
      expect((await send(b.url, { body: JSON.stringify(BAR), agent })).status).toBe(200);
      await b.close(); // would hang until the keep-alive timeout without closing idle sockets
      await b.close(); // idempotent
      await expect(send(b.url, { body: JSON.stringify(BAR) })).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      agent.destroy();
    }
  });

  it("tells onRequest about each request with its body", async () => {
    const seen: ObservedRequest[] = [];
    const b = await start({ onRequest: (r) => seen.push(r) });
    await post(b.url, BAR);
    await send(b.url, { path: "/elsewhere/" });
    expect(seen.map((r) => [r.method, r.url])).toEqual([
      ["POST", PREVIEW_DATA_PATH],
      ["POST", "/elsewhere/"],
    ]);
    expect(JSON.parse(seen[0]!.body)).toEqual(BAR);
    expect(seen[0]!.headers["x-cekura-api-key"]).toBe(KEY);
  });
});
