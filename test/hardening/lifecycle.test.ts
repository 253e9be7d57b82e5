/**
 * Promise 6 (process lifecycle) and the JSON-RPC half of promise 7 (a malformed stream never
 * kills the process), against the built server and a fault server on 127.0.0.1.
 */
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultServer, faults, startFaultServer } from "../helpers/fault-server.js";
import {
  CANARY_KEY,
  call,
  killAll,
  outputProblems,
  pie,
  sleep,
  spawnedCount,
  spawnRaw,
  spawnServer,
} from "./harness.js";

let up: FaultServer;

beforeAll(async () => {
  up = await startFaultServer();
});

afterAll(async () => {
  killAll();
  await up?.close();
  expect(spawnedCount()).toBeGreaterThanOrEqual(7);
  expect(outputProblems()).toEqual([]);
});

const env = () => ({ CEKURA_API_KEY: CANARY_KEY, CEKURA_BASE_URL: up.origin, CEKURA_TIMEOUT_MS: "20000" });

/**
 * Catastrophe bound of a shutdown (expected: tens of ms). Whether it was clean is told by the log:
 * the server forces its exit after 1.5 s and says so.
 */
const EXIT_BOUND_MS = 15_000;
const FORCED = /Shutdown forced/;

/** No Node crash output: no "at file:line" frames, no uncaught-error banner. */
function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at .+[:(]/m);
  expect(stderr).not.toMatch(/Unhandled 'error' event|Uncaught|node:internal|\^\s*$/m);
  for (const line of stderr.split("\n").filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
}

describe("shutdown with a call in flight: a clean exit 0 (not forced), the upstream request aborted", () => {
  const ways: [string, (child: import("node:child_process").ChildProcess) => void][] = [
    ["stdin closes", (child) => child.stdin?.end()],
    ["SIGTERM", (child) => child.kill("SIGTERM")],
    ["SIGINT", (child) => child.kill("SIGINT")],
  ];
  for (const [how, stop] of ways) {
    it(how, async () => {
      const name = `inflight-${how}`;
      up.route(name, faults.hang());
      const s = await spawnServer({ label: how, env: env() });
      const pending = call(s.client, pie(name)).then(
        () => "answered",
        () => "rejected",
      );
      const req = await up.waitFor(name);
      await sleep(50);
      const t0 = performance.now();
      stop(s.child);
      const exit = await s.exited;
      await up.socketClosed(req, EXIT_BOUND_MS);
      expect(exit.code).toBe(0);
      expect(exit.signal).toBeNull();
      expect(exit.at - t0).toBeLessThan(EXIT_BOUND_MS);
      expect(s.stderr()).not.toMatch(FORCED);
      await pending;
      expectNoStackTrace(s.stderr());
    });
  }
});

describe("a vanished client (EPIPE on stdout)", () => {
  it("exits cleanly when a response meets a closed stdout", async () => {
    const s = await spawnServer({ label: "epipe", env: { ...env(), CEKURA_LOG_LEVEL: "debug" } });
    await s.client.listTools();
    s.child.stdout.destroy();
    const t0 = performance.now();
    s.writeLine(JSON.stringify({ jsonrpc: "2.0", id: 900, method: "tools/list" }));
    const exit = await s.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - t0).toBeLessThan(EXIT_BOUND_MS);
    expect(s.stderr()).toMatch(/Shutting down: stdout/);
    expect(s.stderr()).not.toMatch(FORCED);
    expectNoStackTrace(s.stderr());
  });

  it("exits cleanly when a late upstream answer meets a closed stdout, aborting the other calls", async () => {
    up.route("epipe-late", faults.ok(300));
    up.route("epipe-hang", faults.hang());
    const s = await spawnServer({ label: "epipe-late", env: env() });
    const a = call(s.client, pie("epipe-late")).catch(() => undefined);
    const b = call(s.client, pie("epipe-hang")).catch(() => undefined);
    const hung = await up.waitFor("epipe-hang");
    await up.waitFor("epipe-late");
    s.child.stdout.destroy();
    const t0 = performance.now();
    const exit = await s.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - t0).toBeLessThan(EXIT_BOUND_MS);
    expect(s.stderr()).not.toMatch(FORCED);
    await up.socketClosed(hung, EXIT_BOUND_MS);
    await Promise.all([a, b]);
    expectNoStackTrace(s.stderr());
  });
});

describe("an unexpected exception in one call", () => {
  it("answers that call internal: and the process serves the next call", async () => {
    // A real input that reaches the catch-all: upstream data nested 100,000 deep parses fine
    // (JSON.parse is iterative) but overflows the stack when the report walks it.
    const depth = 100_000;
    up.route(
      "deep",
      faults.text(200, `{"data":[${"[".repeat(depth)}${"]".repeat(depth)}]}`, "application/json"),
    );
    const s = await spawnServer({ label: "internal", env: env(), logLevel: "debug" });
    try {
      const bad = await call(s.client, pie("deep"));
      expect(bad.result.isError).toBe(true);
      expect(bad.text).toMatch(/^internal: .*still running/s);
      expect(bad.text).not.toMatch(/RangeError|at .+:\d+/);
      const good = await call(s.client, pie("after-deep"));
      expect(good.result.isError, good.text).toBeFalsy();
      expect(s.child.exitCode).toBeNull();
      expect(s.stderr()).toMatch(/Unexpected error in preview_widget_data/);
    } finally {
      expect((await s.stop()).code).toBe(0);
    }
  });
});

describe("a malformed JSON-RPC stream never kills the process", () => {
  it("after garbage, a 5 MB line, wrong types, batches and nulls, initialize + tools/list still answer", async () => {
    const big = "x".repeat(5 * 1024 * 1024);
    const init = (id: unknown) =>
      JSON.stringify({
        jsonrpc: "2.0",
        id,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      });
    const deep = `${"[".repeat(50_000)}${"]".repeat(50_000)}`;
    const lines = [
      "garbage",
      "{",
      "}",
      "[]",
      "null",
      "42",
      '"a string"',
      "{}",
      "\u0000\u0001\u0002",
      '{"jsonrpc":"2.0","id":1,"method":"tools/list"', // truncated
      big,
      JSON.stringify({ jsonrpc: "2.0", id: "big", method: "no/such/method", params: { s: big } }),
      JSON.stringify({ jsonrpc: "2.0", id: {}, method: "tools/list" }),
      JSON.stringify({ jsonrpc: "2.0", id: [1], method: "tools/list" }),
      JSON.stringify({ jsonrpc: "2.0", id: null, method: "tools/list" }),
      JSON.stringify({ jsonrpc: "2.0", id: true, method: "tools/list" }),
      JSON.stringify({ jsonrpc: "2.0", id: 1.5, method: "tools/list" }),
      JSON.stringify({ jsonrpc: "2.0", id: 7, method: 5 }),
      JSON.stringify({ jsonrpc: "2.0", id: 8, method: null }),
      JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list", params: "str" }),
      JSON.stringify({ jsonrpc: "2.0", id: 10, method: "tools/list", params: [1, 2] }),
      JSON.stringify({ jsonrpc: "2.0", id: 11, method: "tools/call", params: null }),
      JSON.stringify({ jsonrpc: "2.0", id: 12, method: "tools/call", params: { name: 5 } }),
      JSON.stringify({
        jsonrpc: "2.0",
        id: 13,
        method: "tools/call",
        params: { name: "preview_widget_data", arguments: "x" },
      }),
      JSON.stringify({
        jsonrpc: "2.0",
        id: 14,
        method: "tools/call",
        params: { name: "preview_widget_data", arguments: [1] },
      }),
      `{"jsonrpc":"2.0","id":15,"method":"tools/call","params":{"name":"preview_widget_data","arguments":{"chart_type":${deep}}}}`,
      JSON.stringify({ jsonrpc: "1.0", id: 16, method: "tools/list" }),
      JSON.stringify({ id: 17, method: "tools/list" }),
      JSON.stringify([
        { jsonrpc: "2.0", id: 18, method: "tools/list" },
        { jsonrpc: "2.0", id: 19, method: "ping" },
      ]),
      JSON.stringify([null, 1, "x"]),
      JSON.stringify({ jsonrpc: "2.0", id: 20, result: {} }),
      JSON.stringify({ jsonrpc: "2.0", id: 21, error: { code: 1, message: "x" } }),
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: { a: 1 } } }),
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/cancelled", params: null }),
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/unknown" }),
      '{"jsonrpc":"2.0","id":22,"method":"tools/list","params":{"s":"\\ud800 lone \\udfff"}}',
      JSON.stringify({
        jsonrpc: "2.0",
        id: 23,
        method: "__proto__",
        params: { __proto__: { polluted: true } },
      }),
      '{"jsonrpc":"2.0","id":24,"method":"tools/call","params":{"name":"preview_widget_data","arguments":{"__proto__":{"chart_type":"pie"},"constructor":{"prototype":{"x":1}}}}}',
      JSON.stringify({ jsonrpc: "2.0", id: Number.MAX_SAFE_INTEGER, method: "ping" }),
      "\r",
      "   ",
    ];
    const run = spawnRaw({ label: "malformed", env: env() });
    const stdin = run.child.stdin;
    for (const line of lines) {
      stdin.write(`${line}\n`);
      await sleep(2);
    }
    // Invalid UTF-8 bytes, then the real session.
    stdin.write(Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0a]));
    stdin.write(`${init("final-init")}\n`);
    stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: "final-list", method: "tools/list" })}\n`);
    // Requests with a valid envelope get an answer (a result or a JSON-RPC error); the rest are
    // dropped by the transport with a line on stderr.
    const mustAnswer: unknown[] = [
      "big",
      12,
      13,
      14,
      15,
      22,
      23,
      24,
      Number.MAX_SAFE_INTEGER,
      "final-init",
      "final-list",
    ];
    type Message = {
      id?: unknown;
      error?: { code: number };
      result?: {
        tools?: { name: string }[];
        serverInfo?: unknown;
        isError?: boolean;
        content?: { text: string }[];
      };
    };
    const messages = (): Message[] =>
      run
        .stdout()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Message);
    const until = performance.now() + 90_000; // a catastrophe bound: ~10 s on a busy machine
    const missing = () => mustAnswer.filter((id) => !messages().some((m) => m.id === id));
    while (missing().length > 0 && performance.now() < until && run.child.exitCode === null) await sleep(20);
    expect(run.child.exitCode).toBeNull();
    expect(missing()).toEqual([]);
    const byId = (id: unknown) => messages().find((m) => m.id === id);
    expect(byId("final-init")?.result?.serverInfo).toBeTruthy();
    expect(byId("final-list")?.result?.tools?.map((t) => t.name)[0]).toEqual("preview_widget_data");
    expect(byId(22)?.result?.tools).toHaveLength(5);
    // Arguments that are not an object: the SDK refuses them as a JSON-RPC error.
    for (const id of [12, 13, 14]) expect(byId(id)?.error?.code, `id ${id}`).toBeTypeOf("number");
    // A chart_type nested 50,000 deep: refused as an argument error (it used to be "internal").
    expect(byId(15)?.result?.isError).toBe(true);
    expect(byId(15)?.result?.content?.[0]?.text).toMatch(/^invalid_arguments: .*nested more than/s);
    stdin.end();
    const exit = await run.exited;
    expect(exit.code).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);
});
