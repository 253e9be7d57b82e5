/**
 * Promises 4 and 5: cancellation (notifications/cancelled, sent by the SDK Client when the
 * AbortSignal given to callTool aborts) and 100 concurrent calls, against the built server and
 * a fault server on 127.0.0.1. Times are taken in this process: the moment just before the
 * cancel is sent, and the moment the fault server sees the upstream socket close.
 */
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultServer, faults, startFaultServer } from "../helpers/fault-server.js";
import {
  CANARY_KEY,
  call,
  killAll,
  logEntries,
  outputProblems,
  pie,
  type Spawned,
  sleep,
  spawnServer,
} from "./harness.js";

/**
 * Catastrophe bound for a cancel to reach the upstream socket (expected: a few ms; the 100 ms
 * promise is a speed figure, not a test's). Far below the 10 s deadline, which would close it too.
 */
const CANCEL_BOUND_MS = 5_000;

let up: FaultServer;
let s: Spawned;

beforeAll(async () => {
  up = await startFaultServer();
  s = await spawnServer({
    label: "cancel",
    logLevel: "info",
    env: { CEKURA_API_KEY: CANARY_KEY, CEKURA_BASE_URL: up.origin, CEKURA_TIMEOUT_MS: "10000" },
  });
});

afterAll(async () => {
  const exit = await s?.stop();
  killAll();
  await up?.close();
  expect(exit?.code).toBe(0);
  expect(outputProblems()).toEqual([]);
});

/** Starts a call that will be cancelled; resolves to the error the client saw. */
function cancellable(name: string) {
  const ac = new AbortController();
  const outcome = call(s.client, pie(name), { signal: ac.signal }).then(
    (r) => new Error(`resolved instead of cancelled: ${r.text.slice(0, 200)}`),
    (e: unknown) => e,
  );
  return { ac, outcome };
}

async function goodCall(name: string) {
  const good = await call(s.client, pie(name));
  expect(good.result.isError, good.text).toBeFalsy();
  expect(good.text).toContain(name);
}

/** The first log notification `msg` with `category` received after performance.now() `since`. */
async function waitForLog(msg: string, category: string, since: number, timeoutMs = 5000) {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const fresh = new Set(s.logs.filter((l) => l.at >= since).map((l) => l.data));
    const hit = logEntries(s, msg).find((e) => e.category === category && fresh.has(e));
    if (hit) return { entry: hit, at: s.logs.find((l) => l.data === hit)!.at };
    if (performance.now() > until) throw new Error(`no "${msg}" log with category ${category}`);
    await sleep(5);
  }
}

describe("cancellation aborts the upstream request long before its deadline (seen at the loopback server)", () => {
  const inFlight: [string, string, () => ReturnType<typeof faults.hang>, number][] = [
    ["while waiting for the response headers", "cancel-headers", () => faults.hang(), 100],
    ["while the body trickles in", "cancel-body", () => faults.trickle(50), 300],
  ];
  it.each(inFlight)("%s", async (_how, name, fault, settleMs) => {
    up.route(name, fault());
    const { ac, outcome } = cancellable(name);
    const req = await up.waitFor(name);
    await sleep(settleMs);
    expect(req.closedAt).toBeUndefined();
    const t0 = performance.now();
    ac.abort();
    const closedAt = await up.socketClosed(req);
    expect(closedAt - t0).toBeLessThan(CANCEL_BOUND_MS);
    expect(String(await outcome)).toMatch(/abort/i);
    await goodCall(`after-${name}`);
  });

  it("during a backoff wait: the wait ends at once and no further request arrives", async () => {
    const RETRY_AFTER_S = 4;
    const BOUND_MS = (RETRY_AFTER_S * 1000) / 2; // expected: a few ms
    up.route("cancel-backoff", [
      faults.json(503, { detail: "busy" }, { "retry-after": String(RETRY_AFTER_S) }),
      faults.ok(),
    ]);
    const { ac, outcome } = cancellable("cancel-backoff");
    const first = await up.waitFor("cancel-backoff");
    while (first.answeredAt === undefined) await sleep(5);
    await sleep(200); // the 503 has been read: the server is now waiting out Retry-After
    const t0 = performance.now();
    ac.abort();
    expect(String(await outcome)).toMatch(/abort/i);

    // The server logs the call's end with its own elapsed time. The call started no later than
    // the first request arrived here, so arrival + elapsed bounds from above when the wait ended.
    const { entry, at } = await waitForLog("Upstream call failed", "cancelled", t0);
    const endedBy = performance.timeOrigin + first.arrivedAt + Number(entry.ms);
    const cancelledAt = performance.timeOrigin + t0;
    expect(endedBy - cancelledAt).toBeLessThan(BOUND_MS);
    expect(at - t0).toBeLessThan(BOUND_MS); // seen here long before the wait would end

    await goodCall("after-cancel-backoff");
    // Past the moment the retry would have gone out: still one request.
    const retryDue = first.answeredAt + RETRY_AFTER_S * 1000 + 300;
    await sleep(Math.max(0, retryDue - performance.now()));
    expect(up.named("cancel-backoff")).toHaveLength(1);
  });
});

describe("concurrency", () => {
  it("100 calls in flight against a slow upstream all answer correctly, over at most 16 connections", async () => {
    const slow = await startFaultServer();
    const c = await spawnServer({
      label: "concurrency",
      env: { CEKURA_API_KEY: CANARY_KEY, CEKURA_BASE_URL: slow.origin, CEKURA_TIMEOUT_MS: "20000" },
    });
    try {
      const N = 100;
      const names = Array.from({ length: N }, (_, i) => `conc-${String(i).padStart(3, "0")}`);
      for (const name of names) slow.route(name, faults.ok(500));
      const answers = await Promise.all(
        names.map((name, i) =>
          call(
            c.client,
            pie(name, {
              filters: {
                operator: "and",
                conditions: [
                  { field: "timestamp", op: "gte", value: "now-7d" },
                  { field: "topic", op: "eq", value: `topic-${i}` },
                ],
              },
            }),
          ),
        ),
      );
      answers.forEach((a, i) => {
        expect(a.result.isError, a.text).toBeFalsy();
        const data = (a.result.structuredContent as { data: { label: string }[] }).data;
        expect(data[0]!.label).toBe(names[i]);
        expect(a.text).toContain(names[i]);
        for (const other of [names[(i + 1) % N]!, names[(i + N - 1) % N]!])
          expect(a.text).not.toContain(other);
      });
      // Each request reached upstream once, with its own filter, beside one coverage stat each.
      expect(slow.requests.filter((r) => r.name !== undefined)).toHaveLength(N);
      expect(slow.requests.filter((r) => r.query.chart_type === "stat")).toHaveLength(N);
      for (const [i, name] of names.entries()) {
        const [req] = slow.named(name);
        expect(JSON.stringify(req!.query.filters)).toContain(`topic-${i}`);
      }
      expect(slow.connectionCount).toBeLessThanOrEqual(16);
      // On the wire: 100 distinct JSON-RPC response ids, each answer under its own id.
      const responses = c
        .stdout()
        .split("\n")
        .filter(Boolean)
        .map(
          (l) =>
            JSON.parse(l) as {
              id?: number;
              result?: { structuredContent?: { data?: { label?: string }[] } };
            },
        )
        .filter((m) => m.result?.structuredContent?.data?.[0]?.label?.startsWith("conc-"));
      expect(new Set(responses.map((m) => m.id)).size).toBe(N);
      expect(new Set(responses.map((m) => m.result!.structuredContent!.data![0]!.label)).size).toBe(N);
    } finally {
      expect((await c.stop()).code).toBe(0);
      await slow.close();
    }
  });
});
