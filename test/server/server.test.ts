/**
 * The server in memory (InMemoryTransport + the SDK client): prompts, resources, tools and log
 * notifications as a client sees them, with fakes for the backend.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import {
  type CallToolResult,
  ErrorCode,
  LoggingMessageNotificationSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { VIEW_URI } from "../../src/server/app-view.js";
import type { Backend, BackendProvider } from "../../src/server/backend.js";
import { createLogger } from "../../src/server/logging.js";
import { FIELDS_URI, FILTERS_URI } from "../../src/server/resources.js";
import { createServer } from "../../src/server/server.js";
import { createRedactor } from "../../src/shared/redact.js";
import type { UpstreamClient } from "../../src/upstream/client.js";
import { TOOL_NAMES } from "../e2e/helpers.js";

const CANARY = "sk-canary-inmemory-5d1e7b3f9a2c";

/** A backend whose every call fails with an error whose message holds the key. */
function failingBackend(): BackendProvider {
  const client: UpstreamClient = {
    postPreviewData: async () => {
      throw new Error(`socket hang up while sending X-CEKURA-API-KEY ${CANARY}`);
    },
    request: async () => {
      throw new Error(`socket hang up while sending X-CEKURA-API-KEY ${CANARY}`);
    },
    close: async () => {},
  };
  const backend: Backend = { client, source: { kind: "live" }, maxWindowDays: 30 };
  return { get: async () => ({ ok: true, value: backend }), close: async () => {} };
}

interface Harness {
  client: Client;
  stderr: string[];
  notifications: unknown[];
  close: () => Promise<void>;
}

let open: Harness | undefined;

async function connect(): Promise<Harness> {
  const stderr: string[] = [];
  const logger = createLogger({
    level: "debug",
    redact: createRedactor([CANARY]),
    write: (l) => stderr.push(l),
  });
  const { server, close } = createServer({
    backend: failingBackend(),
    logger,
    defaultWindow: "now-7d",
    budgetChars: 24_000,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "inmemory-test", version: "1.0.0" });
  const notifications: unknown[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    notifications.push(n.params);
  });
  await server.connect(serverSide);
  await client.connect(clientSide);
  open = {
    client,
    stderr,
    notifications,
    close: async () => {
      await client.close();
      await close();
    },
  };
  return open;
}

afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function rejection(p: Promise<unknown>): Promise<McpError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(McpError);
  return e as McpError;
}

const SUCCESS_PER_DAY = {
  chart_type: "bar",
  field: "success",
  aggregation_function: "avg",
  time_period: "day",
  filters: { field: "timestamp", op: "gte", value: "now-7d" },
};

describe("the server in memory", () => {
  it("declares tools, prompts, resources and logging, and lists its tools", async () => {
    const { client } = await connect();
    expect(client.getServerCapabilities()).toMatchObject({
      tools: {},
      prompts: {},
      resources: {},
      logging: {},
    });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(TOOL_NAMES);
    expect(client.getInstructions()).toContain("cekura://reference/fields");
  });

  it("lists the prompts and fills one with its arguments", async () => {
    const { client } = await connect();
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual([
      "call-health-report",
      "draft-dashboard",
      "investigate-metric",
      "explain-drop",
    ]);
    expect(prompts[0]!.arguments).toContainEqual(expect.objectContaining({ name: "days", required: true }));

    const r = await client.getPrompt({ name: "call-health-report", arguments: { days: "5", agent_id: "3" } });
    expect(r.description).toMatch(/health report/);
    const message = r.messages[0]!;
    expect(message.role).toBe("user");
    expect(message.content.type).toBe("text");
    const text = (message.content as { text: string }).text;
    expect(text).toContain('"value":"today-5d"');
    expect(text).toContain('{"field":"agent.id","op":"eq","value":3}');
  });

  it("answers a missing required prompt argument with InvalidParams", async () => {
    const { client } = await connect();
    const e = await rejection(client.getPrompt({ name: "investigate-metric", arguments: {} }));
    expect(e.code).toBe(ErrorCode.InvalidParams);
    expect(e.message).toMatch(/needs the argument metric_id/);
    const bad = await rejection(client.getPrompt({ name: "call-health-report", arguments: { days: "90" } }));
    expect(bad.code).toBe(ErrorCode.InvalidParams);
    expect(bad.message).toMatch(/1 to 30/);
    const unknown = await rejection(client.getPrompt({ name: "nope" }));
    expect(unknown.code).toBe(ErrorCode.InvalidParams);
  });

  it("lists and reads both reference resources (and lists the chart view: test/view/protocol.test.ts)", async () => {
    const { client } = await connect();
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual([FIELDS_URI, FILTERS_URI, VIEW_URI]);
    for (const r of resources.slice(0, 2))
      expect(r).toMatchObject({ mimeType: "text/markdown", name: expect.any(String) });
    expect((await client.listResourceTemplates()).resourceTemplates).toEqual([]);

    const fields = await client.readResource({ uri: FIELDS_URI });
    expect(fields.contents[0]).toMatchObject({ uri: FIELDS_URI, mimeType: "text/markdown" });
    expect((fields.contents[0] as { text: string }).text).toContain("| `metadata.<key>` |");
    const filters = await client.readResource({ uri: FILTERS_URI });
    expect((filters.contents[0] as { text: string }).text).toMatch(/same_row/);
    expect((filters.contents[0] as { text: string }).text).toContain("`timestamp gte now-7d`");
  });

  it("answers an unknown resource with InvalidParams naming the known URIs", async () => {
    const { client } = await connect();
    const e = await rejection(client.readResource({ uri: "cekura://reference/everything" }));
    expect(e.code).toBe(ErrorCode.InvalidParams);
    expect(e.message).toContain(FIELDS_URI);
    expect(e.message).toContain(FILTERS_URI);
  });
});

describe("log notifications", () => {
  it("start after logging/setLevel and never carry the configured key", async () => {
    const { client, notifications, stderr } = await connect();

    // Before setLevel: the failure is logged to stderr only.
    const before = (await client.callTool({
      name: "preview_widget_data",
      arguments: SUCCESS_PER_DAY,
    })) as CallToolResult;
    expect(before.isError).toBe(true);
    expect(stderr.join("")).toContain("[REDACTED]");
    expect(notifications).toEqual([]);

    await client.setLoggingLevel("debug");
    const after = (await client.callTool({
      name: "preview_widget_data",
      arguments: SUCCESS_PER_DAY,
    })) as CallToolResult;
    expect(after.isError).toBe(true);
    expect(JSON.stringify(after)).not.toContain(CANARY);

    await vi.waitFor(() => expect(notifications.length).toBeGreaterThan(0));
    const seen = JSON.stringify(notifications);
    expect(notifications[0]).toMatchObject({ level: "error", logger: "cekura-dashboards-mcp" });
    // The error message did reach the notification, with the key cut out of it.
    expect(seen).toContain("socket hang up");
    expect(seen).toContain("[REDACTED]");
    expect(seen).not.toContain(CANARY);
    expect(stderr.join("")).not.toContain(CANARY);
  });

  it("respect the level the client sets", async () => {
    const { client, notifications } = await connect();
    await client.setLoggingLevel("critical");
    await client.callTool({ name: "preview_widget_data", arguments: SUCCESS_PER_DAY });
    // A debug-level refusal and an error-level failure are both below critical.
    await client.callTool({ name: "preview_widget_data", arguments: { chart_type: "area" } });
    await client.listTools(); // a round trip after the calls: anything sent has arrived
    expect(notifications).toEqual([]);
  });
});
