/**
 * End to end: the SDK client spawns the built server (the package's bin) over stdio. Upstream is
 * the embedded Cekura-compatible backend, started here on 127.0.0.1 with a canary key, so we can
 * see exactly what the server sent.
 */
import { spawnSync } from "node:child_process";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoCalls } from "../../src/embedded/dataset.js";
import { type EmbeddedListener, startEmbeddedListener } from "../../src/embedded/listener.js";
import { createCallStore } from "../../src/embedded/store.js";
import {
  BIN,
  CANARY_KEY,
  childEnv,
  nonJsonRpcLines,
  runRaw,
  type SpawnedServer,
  spawnServer,
  TOOL_NAMES,
  textOf,
} from "./helpers.js";

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let backend: EmbeddedListener;
const seen: Seen[] = [];
let server: SpawnedServer;

beforeAll(async () => {
  backend = await startEmbeddedListener({
    store: createCallStore(generateDemoCalls({ count: 3000, seed: 7 })),
    apiKey: CANARY_KEY,
    mode: "demo",
    onRequest: (r) => seen.push(r),
  });
  server = await spawnServer({ env: { CEKURA_API_KEY: CANARY_KEY, CEKURA_BASE_URL: backend.url } });
});

afterAll(async () => {
  await server?.close();
  await backend?.close();
});

const SUCCESS_PER_DAY = {
  chart_type: "bar",
  field: "success",
  aggregation_function: "avg",
  time_period: "day",
  filters: { field: "timestamp", op: "gte", value: "now-7d" },
};

describe("the built server over stdio", () => {
  it("lists the preview tool first, with explicit annotations and a portable schema", async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES);
    const tool = tools[0]!;
    expect(tool.title).toBeTruthy();
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(tool.inputSchema.type).toBe("object");
    expect(tool.inputSchema).toMatchObject({ additionalProperties: false, required: ["chart_type"] });
    expect(Object.keys(tool.inputSchema.properties ?? {})).toContain("filters");
    expect(tool.outputSchema).toBeUndefined();
  });

  it("forwards a valid call as the normalised body, with the key header, and answers with a table", async () => {
    seen.length = 0;
    const r = (await server.client.callTool({
      name: "preview_widget_data",
      arguments: { ...SUCCESS_PER_DAY, chart_type: "Bar" },
    })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    // The chart's request and, beside it, a stat with the same filters (the coverage line).
    expect(seen).toHaveLength(2);
    const bodies = seen.map((s) => JSON.parse(s.body) as Record<string, unknown>);
    const req = seen[bodies.findIndex((b) => b.chart_type === "bar")]!;
    expect(bodies.find((b) => b.chart_type === "stat")).toEqual({
      chart_type: "stat",
      filters: SUCCESS_PER_DAY.filters,
    });
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/dashboards/widgets/preview_data/");
    expect(req.headers["x-cekura-api-key"]).toBe(CANARY_KEY);
    expect(req.headers["content-type"]).toMatch(/application\/json/);
    expect(JSON.parse(req.body)).toEqual(SUCCESS_PER_DAY);

    const summary = textOf({ content: [r.content[0]!] } as CallToolResult);
    expect(summary).toMatch(/success/);
    expect(summary).toMatch(/\| bucket start \(UTC\) \|/);
    expect(summary).toMatch(/overall/i);
    expect(summary).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);
    const raw = JSON.parse((r.content[1] as { text: string }).text.split("\n")[0]!) as { data: unknown[] };
    expect(Array.isArray(raw.data)).toBe(true);
    const sc = r.structuredContent as Record<string, unknown>;
    expect(Object.keys(sc)).toEqual(
      expect.arrayContaining(["summary", "window", "stats", "data", "truncated"]),
    );
    expect(sc.summary).toBe((r.content[0] as { text: string }).text);
  });

  it("adds the default window and says so when the call has no start", async () => {
    seen.length = 0;
    const r = (await server.client.callTool({
      name: "preview_widget_data",
      arguments: { chart_type: "pie", field: "call_ended_reason" },
    })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    const body = JSON.parse(seen[0]!.body) as { filters: unknown };
    expect(body.filters).toEqual({ field: "timestamp", op: "gte", value: "now-7d" });
    expect(textOf(r)).toMatch(/now-7d/);
  });

  it("refuses an invalid call before sending anything, naming the argument and the fix", async () => {
    seen.length = 0;
    const r = (await server.client.callTool({
      name: "preview_widget_data",
      arguments: { chart_type: "bar", field: "success", aggregation_function: "sum" },
    })) as CallToolResult;
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toMatch(/^invalid_arguments/);
    expect(text).toMatch(/time_period/);
    expect(text).toMatch(/aggregation_function/);
    expect(text).toMatch(/Example/);
    expect(seen).toHaveLength(0);
  });

  it("rejects unknown argument names with the valid ones", async () => {
    seen.length = 0;
    const r = (await server.client.callTool({
      name: "preview_widget_data",
      arguments: { chart_type: "pie", field: "topic", fitlers: { field: "success", op: "eq", value: true } },
    })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/Unknown argument "fitlers".*Did you mean "filters"/s);
    expect(seen).toHaveLength(0);
  });

  it("never shows the key in stderr", () => {
    expect(server.stderr()).not.toContain(CANARY_KEY);
  });
});

describe("without a key", () => {
  it("starts, lists its tools, and answers a call with how to set the key", async () => {
    const s = await spawnServer({ env: { CEKURA_BASE_URL: backend.url } });
    try {
      const { tools } = await s.client.listTools();
      expect(tools).toHaveLength(5);
      const r = (await s.client.callTool({
        name: "preview_widget_data",
        arguments: SUCCESS_PER_DAY,
      })) as CallToolResult;
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/^config: .*CEKURA_API_KEY/s);
      expect(textOf(r)).toMatch(/--demo/);
      expect(textOf(r)).toMatch(/--data FILE/);
    } finally {
      await s.close();
    }
  });
});

describe("stdout purity and secrets over a raw stdio session", () => {
  it("writes only JSON-RPC on stdout and the canary key nowhere", async () => {
    const lines = [
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      }),
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
      JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      JSON.stringify({
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "preview_widget_data", arguments: SUCCESS_PER_DAY },
      }),
      JSON.stringify({
        jsonrpc: "2.0",
        id: 4,
        method: "tools/call",
        params: { name: "preview_widget_data", arguments: { chart_type: "stat", field: "duration" } },
      }),
    ];
    const run = await runRaw({
      env: { CEKURA_API_KEY: CANARY_KEY, CEKURA_BASE_URL: backend.url, CEKURA_LOG_LEVEL: "debug" },
      lines,
      expectResponses: 4,
    });
    expect(run.code).toBe(0);
    expect(nonJsonRpcLines(run.stdout)).toEqual([]);
    expect(run.stdout).not.toContain(CANARY_KEY);
    expect(run.stderr).not.toContain(CANARY_KEY);
    const responses = run.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id?: number; result?: { isError?: boolean } });
    expect(responses.find((m) => m.id === 3)?.result?.isError).toBeFalsy();
    expect(responses.find((m) => m.id === 4)?.result?.isError).toBe(true);
  });
});

describe("start-up", () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [BIN, ...args], { env: childEnv(env), encoding: "utf8", timeout: 10_000 });

  it("--help and --version exit 0 on stdout", () => {
    const help = run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/CEKURA_API_KEY/);
    const version = run(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("an unknown flag exits 2 with a clear message", () => {
    const r = run(["--frobnicate"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Unknown flag/);
    expect(r.stdout).toBe("");
  });

  it("a base URL that is not https (nor loopback http) exits 2 with a clear message", () => {
    const r = run([], { CEKURA_BASE_URL: "http://api.example.com", CEKURA_API_KEY: CANARY_KEY });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/CEKURA_BASE_URL must be https/);
    expect(r.stderr).not.toContain(CANARY_KEY);
  });
});
