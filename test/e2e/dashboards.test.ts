/**
 * The dashboard workflow end to end, the SDK client spawning the built server over stdio: list,
 * get, preview, create, list again, read the new widgets' data, and the seeded dashboards left
 * as they were. Once in demo mode, once live against a recording fake upstream on 127.0.0.1
 * (the embedded backend with its dashboards), where nothing but GET and POST may be sent.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboardService } from "../../src/embedded/dashboards.js";
import { generateDemoCalls } from "../../src/embedded/dataset.js";
import {
  type EmbeddedListener,
  type ObservedRequest,
  startEmbeddedListener,
} from "../../src/embedded/listener.js";
import { answerPreview } from "../../src/embedded/preview.js";
import { createCallStore } from "../../src/embedded/store.js";
import { BIN, CANARY_KEY, childEnv, type SpawnedServer, spawnServer, TOOL_NAMES, textOf } from "./helpers.js";

type Json = Record<string, unknown>;
const TOOLS = TOOL_NAMES;

async function call(s: SpawnedServer, name: string, args: Json): Promise<{ text: string; data: Json }> {
  const r = (await s.client.callTool({ name, arguments: args })) as CallToolResult;
  const text = textOf(r);
  expect(r.isError, `${name}: ${text}`).toBeFalsy();
  expect(text).not.toContain(CANARY_KEY);
  // The model sees the same summary and data in either channel.
  const data = r.structuredContent as Json;
  expect(r.content[0]).toMatchObject({ type: "text", text: data.summary });
  return { text, data };
}

const NEW_DASHBOARD = {
  name: "Failing calls",
  project: 1,
  filters: { field: "timestamp", op: "gte", value: "today-7d" },
  widgets: [
    {
      name: "Success rate per day",
      chart_type: "bar",
      field: "success",
      aggregation_function: "avg",
      time_period: "day",
    },
    {
      name: "Where failed calls drop off",
      chart_type: "pie",
      field: "dropoff_point",
      filters: { field: "success", op: "eq", value: false },
    },
  ],
};

/** The whole workflow; returns the new widgets' ids. */
async function workflow(s: SpawnedServer): Promise<number[]> {
  const before = await call(s, "list_dashboards", {});
  expect(before.data.count).toBe(2);
  const seeded = await Promise.all([1, 2].map((id) => call(s, "get_dashboard", { dashboard_id: id })));
  expect(seeded[0]!.text).toContain("Call health");
  expect((seeded[0]!.data.items as Json[]).length).toBe(4);
  expect(seeded[0]!.text).toMatch(/timestamp >= "today-7d"/);

  const preview = await call(s, "preview_widget_data", {
    ...NEW_DASHBOARD.widgets[1]!,
    dashboard_filters: NEW_DASHBOARD.filters,
  });
  expect(preview.text).toContain("dropoff_point");

  const created = await call(s, "create_dashboard", NEW_DASHBOARD);
  const dashboard = created.data.dashboard as Json;
  expect(dashboard.id).toBe(3);
  const ids = (created.data.items as Json[]).map((w) => w.id as number);
  expect(ids).toHaveLength(2);
  expect(created.text).toContain(`Saved dashboard 3`);

  const after = await call(s, "list_dashboards", { project_id: 1 });
  expect(after.data.count).toBe(3);
  expect((after.data.items as Json[]).map((d) => d.name)).toContain("Failing calls");

  const saved = await call(s, "get_widget_data", { widget_ids: ids });
  const widgets = saved.data.widgets as Json[];
  expect(widgets.map((w) => w.widget_id)).toEqual(ids);
  for (const w of widgets) expect(w).toHaveProperty("data");
  // The saved pie is the previewed pie: same engine, same filters.
  expect(widgets[1]!.data).toEqual(preview.data.data);

  const narrowed = await call(s, "get_widget_data", { widget_ids: [ids[0]!, 999], window: "now-2d" });
  expect(narrowed.text).toMatch(/not found: 999/);

  const again = await Promise.all([1, 2].map((id) => call(s, "get_dashboard", { dashboard_id: id })));
  expect(again.map((d) => d.data.items)).toEqual(seeded.map((d) => d.data.items));
  expect(again.map((d) => d.data.dashboard)).toEqual(seeded.map((d) => d.data.dashboard));
  return ids;
}

describe("dashboards in demo mode", () => {
  let s: SpawnedServer;
  beforeAll(async () => {
    s = await spawnServer({ args: ["--demo"], env: {} });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("lists five tools, every annotation set, tools/list under 14,000 characters", async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOLS);
    expect(JSON.stringify({ tools }).length).toBeLessThan(14_000);
  });

  it("runs list, get, preview, create, list, get_widget_data and leaves the seed alone", async () => {
    await workflow(s);
    const r = (await s.client.callTool({
      name: "get_dashboard",
      arguments: { dashboard_id: 3 },
    })) as CallToolResult;
    expect(textOf(r)).toMatch(/lost when it exits/);
  });
});

describe("dashboards live, against a recording fake upstream", () => {
  let s: SpawnedServer;
  let upstream: EmbeddedListener;
  const seen: ObservedRequest[] = [];
  beforeAll(async () => {
    const store = createCallStore(generateDemoCalls({ count: 3000, seed: 7 }));
    upstream = await startEmbeddedListener({
      store,
      apiKey: CANARY_KEY,
      mode: "demo",
      dashboards: createDashboardService({
        preview: (body, now) => answerPreview(store, body, now, true),
        seed: "demo",
        now: Date.now(),
      }),
      onRequest: (r) => seen.push({ ...r }),
    });
    s = await spawnServer({ env: { CEKURA_API_KEY: CANARY_KEY, CEKURA_BASE_URL: upstream.url } });
  });
  afterAll(async () => {
    await s?.close();
    await upstream?.close();
  });

  it("sends GETs and POSTs only; the writes are one create and one bulk_widgets with only `create`", async () => {
    const ids = await workflow(s);
    expect(ids).toHaveLength(2);
    expect(new Set(seen.map((r) => r.method))).toEqual(new Set(["GET", "POST"]));
    const posts = seen.filter((r) => r.method === "POST");
    const keys = (r: ObservedRequest) => Object.keys(JSON.parse(r.body) as Json).sort();
    const writes = posts.filter((r) => !r.url.startsWith("/dashboards/widgets/preview_data/"));
    expect(writes.map((r) => r.url)).toEqual([
      "/dashboards/dashboards/",
      "/dashboards/dashboards/3/bulk_widgets/",
    ]);
    expect(keys(writes[0]!)).toEqual(["filters", "name", "project"]);
    expect(keys(writes[1]!)).toEqual(["create"]);
    // Each widget was previewed with the dashboard's filters before anything was saved.
    const firstWrite = seen.indexOf(writes[0]!);
    const previews = seen
      .slice(0, firstWrite)
      .filter((r) => r.url.startsWith("/dashboards/widgets/preview_data/"));
    expect(previews.slice(-2).map((r) => (JSON.parse(r.body) as Json).dashboard_filters)).toEqual([
      NEW_DASHBOARD.filters,
      NEW_DASHBOARD.filters,
    ]);
    for (const r of seen) expect(r.headers["x-cekura-api-key"]).toBe(CANARY_KEY);
  });
});

describe("confirmation over stdio", () => {
  it("asks a client that supports elicitation before saving, and saves nothing when it declines", async () => {
    for (const action of ["decline", "accept"] as const) {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [BIN, "--demo"],
        env: childEnv({}),
        stderr: "pipe",
      });
      const client = new Client(
        { name: "e2e-elicit", version: "1.0.0" },
        { capabilities: { elicitation: {} } },
      );
      const asked: string[] = [];
      client.setRequestHandler(ElicitRequestSchema, async (req) => {
        asked.push(req.params.message);
        return action === "accept" ? { action, content: { save: true } } : { action };
      });
      await client.connect(transport);
      try {
        const r = (await client.callTool({
          name: "create_dashboard",
          arguments: NEW_DASHBOARD,
        })) as CallToolResult;
        expect(asked).toHaveLength(1);
        expect(asked[0]).toContain("Failing calls");
        expect(Boolean(r.isError)).toBe(action === "decline");
        const list = (await client.callTool({ name: "list_dashboards", arguments: {} })) as CallToolResult;
        expect((list.structuredContent as Json).count).toBe(action === "accept" ? 3 : 2);
      } finally {
        await client.close();
      }
    }
  });
});

describe("writes switched off", () => {
  it("--disable-write and CEKURA_DISABLE_WRITE=1 leave create_dashboard out", async () => {
    const runs: { args: string[]; env: Record<string, string> }[] = [
      { args: ["--demo", "--disable-write"], env: {} },
      { args: ["--demo"], env: { CEKURA_DISABLE_WRITE: "1" } },
    ];
    for (const opts of runs) {
      const s = await spawnServer(opts);
      try {
        const { tools } = await s.client.listTools();
        expect(tools.map((t) => t.name)).toEqual(TOOLS.filter((t) => t !== "create_dashboard"));
        const r = (await s.client.callTool({
          name: "create_dashboard",
          arguments: NEW_DASHBOARD,
        })) as CallToolResult;
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/Writes are switched off/);
        const prompt = await s.client.getPrompt({ name: "draft-dashboard", arguments: { goal: "x" } });
        expect(JSON.stringify(prompt)).toContain("POST /dashboards/widgets/");
      } finally {
        await s.close();
      }
    }
  });
});
