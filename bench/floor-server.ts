/**
 * The floor that `npm run bench` measures beside the server: the MCP SDK's Server over stdio and
 * undici (the product's chosen dependencies), built like dist/ (scripts/build.mjs: the same SDK
 * patch, lazy built-ins, compile cache via src/bin.ts) and run with the same V8 settings, doing the
 * same I/O per tools/call as a preview (two POSTs in parallel, src/upstream/transport.ts) and
 * answering a short text. No validation, no report, no other tool: what any server on these
 * dependencies costs before it does our work. Live mode only; CEKURA_BASE_URL and
 * CEKURA_API_KEY as for the server.
 */
import { setFlagsFromString } from "node:v8";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Dispatcher } from "undici";
import { V8_FLAGS } from "../src/shared/v8-flags.js";
import { Stop } from "../src/upstream/stop.js";

for (const flag of V8_FLAGS) setFlagsFromString(flag);

const BODY = JSON.stringify({
  chart_type: "bar",
  field: "duration",
  aggregation_function: "avg",
  time_period: "day",
  dashboard_filters: {},
});
const base = new URL(process.env.CEKURA_BASE_URL ?? "http://127.0.0.1:9");
const path = `${base.pathname.replace(/\/+$/, "")}/dashboards/widgets/preview_data/`;
let dispatcher: Dispatcher | undefined;

async function post(): Promise<unknown> {
  // Loaded on first use, as the server loads undici.
  const { createDispatcher, exchange } = await import("../src/upstream/transport.js");
  if (!dispatcher) {
    const made = await createDispatcher(16, { httpsProxy: "", noProxy: "" });
    if (!made.ok) throw new Error(`floor: no dispatcher (${made.error})`);
    dispatcher = made.value;
  }
  const reply = await exchange(
    dispatcher,
    {
      origin: base.origin,
      path,
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "x-cekura-api-key": process.env.CEKURA_API_KEY ?? "",
      },
      body: BODY,
    },
    new Stop(),
    () => 10 * 1024 * 1024,
  );
  if (!reply.ok) throw new Error("floor: upstream request failed");
  return JSON.parse(reply.value.buf.toString("utf8"));
}

const server = new Server({ name: "floor", version: "1.0.0" }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: "preview_widget_data", description: "The floor's one tool.", inputSchema: { type: "object" } },
  ],
}));
server.setRequestHandler(CallToolRequestSchema, async () => {
  const [data] = await Promise.all([post(), post()]);
  return { content: [{ type: "text", text: JSON.stringify(data).slice(0, 2000) }] };
});
await server.connect(new StdioServerTransport());
