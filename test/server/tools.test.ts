/**
 * The tools as a client sees them (in memory): every tool carries all four annotations, a
 * portable name, a portable schema and (dashboard tools) a description of at most 800
 * characters; writes can be switched off; create_dashboard asks the person where the client
 * can, and a write whose answer is lost is reported as "may exist", never retried, never undone.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { createDashboardService } from "../../src/embedded/dashboards.js";
import { generateDemoCalls } from "../../src/embedded/dataset.js";
import { startEmbeddedListener } from "../../src/embedded/listener.js";
import { answerPreview } from "../../src/embedded/preview.js";
import { createCallStore } from "../../src/embedded/store.js";
import type { BackendProvider } from "../../src/server/backend.js";
import { createLogger } from "../../src/server/logging.js";
import { createServer } from "../../src/server/server.js";
import { TOOL_MODULES } from "../../src/server/tools/index.js";
import { createUpstreamClient } from "../../src/upstream/client.js";
import { type LoopbackServer, startLoopbackServer } from "../helpers/loopback-server.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function connect(
  baseUrl: string,
  opts: {
    disableWrite?: boolean;
    elicit?: "accept" | "decline";
    deadlineMs?: number;
    budgetChars?: number;
  } = {},
): Promise<{ client: Client; asked: string[] }> {
  const upstream = createUpstreamClient({ baseUrl, deadlineMs: opts.deadlineMs ?? 5_000 });
  const backend: BackendProvider = {
    get: async () => ({ ok: true, value: { client: upstream, source: { kind: "live" }, maxWindowDays: 30 } }),
    close: () => upstream.close(),
  };
  const { server, close } = createServer({
    backend,
    logger: createLogger({ level: "error", redact: (t) => t, write: () => {} }),
    defaultWindow: "now-7d",
    budgetChars: opts.budgetChars ?? 24_000,
    ...(opts.disableWrite ? { disableWrite: true } : {}),
  });
  const asked: string[] = [];
  const client = new Client(
    { name: "t", version: "1" },
    opts.elicit ? { capabilities: { elicitation: {} } } : {},
  );
  if (opts.elicit) {
    const action = opts.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (req) => {
      asked.push(req.params.message);
      return action === "accept" ? { action, content: { save: true } } : { action };
    });
  }
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  await client.connect(a);
  closers.push(async () => {
    await client.close();
    await close();
  });
  return { client, asked };
}

/** A recording fake upstream: the embedded backend with the demo dashboards. */
async function embedded() {
  const store = createCallStore(generateDemoCalls({ count: 2000, seed: 3 }));
  const seen: { method: string; url: string }[] = [];
  const backend = await startEmbeddedListener({
    store,
    mode: "demo",
    dashboards: createDashboardService({
      preview: (b, now) => answerPreview(store, b, now, true),
      seed: "demo",
      now: Date.now(),
    }),
    onRequest: (r) => seen.push({ method: r.method, url: r.url }),
  });
  closers.push(() => backend.close());
  return { url: backend.url, seen };
}

const WINDOW = { field: "timestamp", op: "gte", value: "today-7d" };
const NEW = { name: "Mine", filters: WINDOW, widgets: [{ name: "Headline", chart_type: "stat" }] };
const call = async (client: Client, name: string, args: unknown) =>
  (await client.callTool({ name, arguments: args as Record<string, unknown> })) as CallToolResult;
const text = (r: CallToolResult) => (r.content as { text: string }[]).map((c) => c.text).join("\n");

describe("tool definitions", () => {
  it("every tool sets all four annotations, a portable name and a portable schema", async () => {
    const { url } = await embedded();
    const { client } = await connect(url);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(TOOL_MODULES.length);
    for (const t of tools) {
      for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const) {
        expect(typeof t.annotations?.[hint], `${t.name}.${hint}`).toBe("boolean");
      }
      expect(t.name).toMatch(/^[a-z_]{1,40}$/);
      expect(t.inputSchema).toMatchObject({ type: "object", additionalProperties: false });
      const json = JSON.stringify(t.inputSchema);
      expect(json).not.toMatch(/"(\$ref|\$defs|anyOf|oneOf|allOf)"/);
      expect(json).not.toMatch(/"type":\[/);
      for (const [name, p] of Object.entries(t.inputSchema.properties ?? {})) {
        expect(typeof (p as { type?: unknown }).type, `${t.name}.${name}`).toBe("string");
        expect((p as { description?: string }).description, `${t.name}.${name}`).toBeTruthy();
      }
      if (t.name !== "preview_widget_data") expect(t.description!.length, t.name).toBeLessThanOrEqual(800);
    }
    const create = tools.find((t) => t.name === "create_dashboard")!;
    expect(create.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    for (const t of tools.filter((x) => x.name !== "create_dashboard"))
      expect(t.annotations?.readOnlyHint).toBe(true);
  });

  it("a tool module without its four annotations fails this check", () => {
    for (const m of TOOL_MODULES) {
      const a = m.definition().annotations as unknown as Record<string, unknown>;
      expect(
        Object.keys(a)
          .filter((k) => k.endsWith("Hint"))
          .sort(),
      ).toEqual(["destructiveHint", "idempotentHint", "openWorldHint", "readOnlyHint"]);
      expect(m.write).toBe(a.readOnlyHint === false);
    }
  });

  it("with writes disabled create_dashboard is neither listed nor callable", async () => {
    const { url, seen } = await embedded();
    const { client } = await connect(url, { disableWrite: true });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).not.toContain("create_dashboard");
    const r = await call(client, "create_dashboard", NEW);
    expect(r.isError).toBe(true);
    expect(seen).toEqual([]);
  });
});

describe("list_dashboards and get_dashboard", () => {
  it("stay within the budget: a long list is cut to whole items and says so", async () => {
    const { url } = await embedded();
    for (let i = 0; i < 60; i++) {
      await fetch(`${url}/dashboards/dashboards/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          name: `dashboard number ${i} with a long name to fill the table`,
          filters: WINDOW,
        }),
      });
    }
    const { client } = await connect(url, { budgetChars: 4_000 });
    const r = await call(client, "list_dashboards", { page_size: 100 });
    expect(r.isError, text(r)).toBeFalsy();
    expect(JSON.stringify(r).length).toBeLessThanOrEqual(4_000);
    const data = r.structuredContent as { count: number; truncated: { shown: number; total: number } | null };
    expect(data.count).toBe(62);
    expect(data.truncated?.total).toBe(62);
    expect(text(r)).toMatch(/Data cut: the first \d+ of 62/);
    const second = await call(client, "list_dashboards", { page_size: 50, page: 2 });
    expect(text(second)).toMatch(/page 2 of 2, 62 in all/);
    const past = await call(client, "list_dashboards", { page_size: 50, page: 3 });
    expect(past.isError).toBe(true);
    expect(text(past)).toMatch(/no page 3/);
  });
});

describe("get_widget_data", () => {
  it("shares the budget between widgets: ten line charts stay within it, each summarised", async () => {
    const { url } = await embedded();
    for (const budgetChars of [4_000, 12_000, 40_000]) {
      const { client } = await connect(url, { budgetChars });
      const widgets = Array.from({ length: 10 }, (_, i) => ({
        name: `calls ${i}`,
        chart_type: "line",
        field: "duration",
      }));
      const made = await call(client, "create_dashboard", { ...NEW, widgets });
      expect(made.isError, text(made)).toBeFalsy();
      const ids = (made.structuredContent as { items: { id: number }[] }).items.map((w) => w.id);
      const r = await call(client, "get_widget_data", { widget_ids: ids });
      expect(r.isError, text(r)).toBeFalsy();
      expect(JSON.stringify(r).length, `budget ${budgetChars}`).toBeLessThanOrEqual(budgetChars);
      for (const id of ids) expect(text(r)).toContain(`Widget ${id}`);
    }
  });
});

describe("get_widget_data on a saved widget without a window start", () => {
  it("says to pass window, and a window makes it answer", async () => {
    const { url } = await embedded();
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await post("/dashboards/dashboards/", { name: "no window" });
    const made = (await (
      await post("/dashboards/dashboards/3/bulk_widgets/", { create: [{ chart_type: "stat" }] })
    ).json()) as {
      created: { id: number }[];
    };
    const id = made.created[0]!.id;
    const { client } = await connect(url);
    const r = await call(client, "get_widget_data", { widget_ids: [id] });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/pass window/);
    const ok = await call(client, "get_widget_data", { widget_ids: [id], window: "now-7d" });
    expect(ok.isError, text(ok)).toBeFalsy();
  });
});

describe("create_dashboard", () => {
  it("saves nothing when the person declines, and saves once when they accept", async () => {
    const { url, seen } = await embedded();
    const declined = await connect(url, { elicit: "decline" });
    const r = await call(declined.client, "create_dashboard", NEW);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/nothing was saved/);
    expect(declined.asked[0]).toContain('"Mine"');
    expect(seen.filter((s) => s.method === "POST" && !s.url.includes("preview_data"))).toEqual([]);

    const accepted = await connect(url, { elicit: "accept" });
    const ok = await call(accepted.client, "create_dashboard", NEW);
    expect(ok.isError, text(ok)).toBeFalsy();
    expect(text(ok)).toMatch(/Saved dashboard 3/);
  });

  it("refuses before sending anything when a widget is invalid or has no window", async () => {
    const { url, seen } = await embedded();
    const { client } = await connect(url);
    const bad = await call(client, "create_dashboard", {
      ...NEW,
      widgets: [{ name: "x", chart_type: "area" }],
    });
    expect(text(bad)).toMatch(/widgets\[0\]\.chart_type/);
    const noWindow = await call(client, "create_dashboard", {
      name: "n",
      widgets: [{ name: "x", chart_type: "stat" }],
    });
    expect(text(noWindow)).toMatch(/window start/);
    expect(seen).toEqual([]);
  });

  /** A fake upstream: previews succeed; the dashboard and widget writes do what the test says. */
  async function scripted(onCreate: "hang" | "ok", onWidgets: "fail" | "ok"): Promise<LoopbackServer> {
    const server = await startLoopbackServer((req, res) => {
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      };
      if (req.url === "/dashboards/widgets/preview_data/") {
        return json(200, {
          chart_type: "stat",
          data: { total_calls: 3, success_rate: 1, avg_duration: 2, p95_latency: null },
        });
      }
      if (req.url === "/dashboards/dashboards/")
        return onCreate === "hang" ? undefined : json(201, { id: 42 });
      return onWidgets === "fail"
        ? json(503, { detail: "busy" })
        : json(200, { created: [{ id: 7, name: "Headline" }] });
    });
    closers.push(() => server.close());
    return server;
  }

  it("a create whose answer never comes is not retried, and the answer says it may exist", async () => {
    const server = await scripted("hang", "ok");
    const { client } = await connect(server.origin, { deadlineMs: 1_000 });
    const r = await call(client, "create_dashboard", NEW);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/MAY have been saved/);
    expect(text(r)).toMatch(/list_dashboards/);
    expect(server.requests.filter((q) => q.url === "/dashboards/dashboards/")).toHaveLength(1);
  });

  it("widgets that fail after the dashboard was made: the id is given, nothing is deleted or retried", async () => {
    const server = await scripted("ok", "fail");
    const { client } = await connect(server.origin);
    const r = await call(client, "create_dashboard", NEW);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/Dashboard 42 "Mine" was created/);
    expect(server.requests.map((q) => q.method)).toEqual(["POST", "POST", "POST"]); // preview, create, widgets once
  });
});
