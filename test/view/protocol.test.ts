/**
 * The MCP Apps surface as a client sees it: the tool names the view in `_meta`, the view is
 * listed and readable with the MCP Apps MIME type, the server declares the extension, the HTML
 * asks for nothing outside itself, and the text answer is the same byte for byte whether the
 * client supports apps or not.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/config.js";
import { UI_EXTENSION, VIEW_MIME, VIEW_URI, viewHtml } from "../../src/server/app-view.js";
import { createBackendProvider } from "../../src/server/backend.js";
import { createLogger } from "../../src/server/logging.js";
import { createServer } from "../../src/server/server.js";

const APPS: ClientCapabilities = { extensions: { [UI_EXTENSION]: { mimeTypes: [VIEW_MIME] } } };
const NOW = Date.parse("2026-11-30T12:00:00Z");
const QUESTIONS = [
  { chart_type: "bar", field: "success", aggregation_function: "avg", time_period: "day" },
  {
    chart_type: "pie",
    field: "call_ended_reason",
    filters: { field: "timestamp", op: "gte", value: "now-30d" },
  },
  { chart_type: "line", field: "duration", filters: { field: "timestamp", op: "gte", value: "now-2d" } },
  { chart_type: "stat" },
  { chart_type: "bar", field: "success", aggregation_function: "sum", time_period: "day" }, // refused
];

/** Every way the HTML could make the browser fetch something: markup, CSS, and script APIs. */
const FETCHING = [
  /<script[^>]+\bsrc\s*=/i,
  /<link\b/i,
  /<(img|iframe|embed|object|audio|video|source)\b[^>]*\b(src|data)\s*=/i,
  /@import\b/i,
  /url\(\s*['"]?(https?:)?\/\//i,
  /\bfetch\s*\(/,
  /new\s+XMLHttpRequest\b/,
  /new\s+(WebSocket|EventSource)\s*\(/,
  /\bsendBeacon\s*\(/,
  /\bimportScripts\s*\(/,
];
/**
 * Absolute URLs that appear in the bundled libraries as plain text, none of them loaded: JSON
 * Schema dialect names (zod), an example in a schema description (ext-apps), and zod's IPv6
 * check, which parses `http://[${value}]` with new URL() (a template, no host).
 */
const NAMES_NOT_FETCHED = new Set([
  "https://json-schema.org/draft/2020-12/schema",
  "http://json-schema.org/draft-07/schema#",
  "https://*.example.com",
]);
const isTemplate = (u: string) => u.includes("${");

const parsed = parseCommandLine(["--demo", "--log-level", "error"], {});
if (!parsed.ok || parsed.value.kind !== "serve") throw new Error("the demo command line did not parse");
const config = parsed.value.config;
const logger = createLogger({ level: "error", redact: (t) => t, write: () => {} });
const backend = createBackendProvider(config, logger);
const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const c of closers) await c();
  await backend.close();
});

/** A client (announcing `capabilities`) on its own server; all servers share one demo backend and clock. */
async function connect(capabilities?: ClientCapabilities): Promise<Client> {
  const { server, close } = createServer({
    backend,
    logger,
    defaultWindow: config.defaultWindow,
    budgetChars: config.budgetChars,
    now: () => NOW,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client(
    { name: "apps-test", version: "1.0.0" },
    capabilities ? { capabilities } : undefined,
  );
  await server.connect(serverSide);
  await client.connect(clientSide);
  closers.push(async () => {
    await client.close();
    await close();
  });
  return client;
}

describe("the MCP Apps surface", () => {
  it("declares the extension and names the view in the tool's _meta, both keys", async () => {
    const client = await connect(APPS);
    expect(client.getServerCapabilities()?.extensions).toEqual({ [UI_EXTENSION]: {} });
    const { tools } = await client.listTools();
    for (const name of ["preview_widget_data", "get_widget_data"]) {
      const tool = tools.find((t) => t.name === name)!;
      expect(tool._meta, name).toEqual({ ui: { resourceUri: VIEW_URI }, "ui/resourceUri": VIEW_URI });
    }
    // Tools whose answers are not charts name no view.
    for (const t of tools.filter((x) => !["preview_widget_data", "get_widget_data"].includes(x.name))) {
      expect(t._meta, t.name).toBeUndefined();
    }
    expect(VIEW_URI).toMatch(/^ui:\/\//);
  });

  it("lists the view and reads it as one HTML document with the MCP Apps MIME type", async () => {
    const client = await connect(APPS);
    const { resources } = await client.listResources();
    expect(resources).toContainEqual(expect.objectContaining({ uri: VIEW_URI, mimeType: VIEW_MIME }));
    const read = await client.readResource({ uri: VIEW_URI });
    expect(read.contents).toHaveLength(1);
    const content = read.contents[0] as { uri: string; mimeType: string; text: string };
    expect(content.uri).toBe(VIEW_URI);
    expect(content.mimeType).toBe("text/html;profile=mcp-app");
    expect(content.text).toMatch(/^<!doctype html>/i);
    expect(content.text).toBe(await viewHtml());
  });

  it("holds no external URL and nothing that fetches; its one script is inline", async () => {
    const html = await viewHtml();
    for (const pattern of FETCHING) expect(html, String(pattern)).not.toMatch(pattern);
    const urls = html.match(/\b(https?|wss?|ftp):\/\/[^\s"'`)\\]+/gi) ?? [];
    expect(urls.filter((u) => !NAMES_NOT_FETCHED.has(u) && !isTemplate(u))).toEqual([]);
    expect(html.match(/<script\b/gi)).toHaveLength(1);
    // No eval: the default CSP forbids it (the App class sets zod to jitless for the same reason).
    expect(html).not.toMatch(/\beval\s*\(/);
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(600 * 1024);
  });

  it("answers byte for byte the same to a client with apps and one without", async () => {
    const withApps = await connect(APPS);
    const without = await connect();
    for (const args of QUESTIONS) {
      const a = await withApps.callTool({ name: "preview_widget_data", arguments: args });
      const b = await without.callTool({ name: "preview_widget_data", arguments: args });
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      expect(JSON.stringify(a)).not.toContain("ui://");
    }
  });
});
