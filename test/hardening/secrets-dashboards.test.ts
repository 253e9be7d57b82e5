/**
 * The canary key never comes back from the dashboard tools either: an upstream that echoes the
 * key header into dashboard and widget names, filters, widget data and error bodies, answered
 * through list_dashboards, get_dashboard, get_widget_data and create_dashboard.
 */
import type { IncomingMessage } from "node:http";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDACTED } from "../../src/shared/redact.js";
import { CANARY_KEY, type SpawnedServer, spawnServer } from "../e2e/helpers.js";
import { type LoopbackServer, startLoopbackServer } from "../helpers/loopback-server.js";

const KEY = CANARY_KEY;
const FORMS = [KEY, encodeURIComponent(KEY), KEY.toUpperCase()];
const keyOf = (req: IncomingMessage) => String(req.headers["x-cekura-api-key"] ?? "");

let up: LoopbackServer;
let s: SpawnedServer;

beforeAll(async () => {
  up = await startLoopbackServer((req, res) => {
    const k = keyOf(req);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const path = (req.url ?? "").split("?")[0];
    const filters = { field: "metadata.token", op: "eq", value: k };
    const widget = {
      id: 5,
      name: `w ${k}`,
      chart_type: "pie",
      field: "topic",
      filters,
      effective_filters: filters,
    };
    if (path === "/dashboards/dashboards/" && req.method === "GET") {
      return json(200, {
        count: 1,
        next: `https://${k}.example.com/`,
        results: [{ id: 1, name: k, filters, widget_count: "1" }],
      });
    }
    if (path === "/dashboards/dashboards/1/")
      return json(200, { id: 1, name: k, filters, widgets: [widget] });
    if (path === "/dashboards/widgets/5/") return json(200, widget);
    if (path === "/dashboards/widgets/5/data/") {
      return json(200, { chart_type: "pie", field_name: k, data: [{ label: k, value: 1, percentage: 100 }] });
    }
    if (path === "/dashboards/widgets/preview_data/") {
      return json(200, {
        chart_type: "stat",
        data: { total_calls: 1, success_rate: 1, avg_duration: 1, p95_latency: null },
      });
    }
    return json(400, { detail: `refused, you sent ${k}` });
  });
  s = await spawnServer({ env: { CEKURA_API_KEY: KEY, CEKURA_BASE_URL: up.origin } });
});

afterAll(async () => {
  await s?.close();
  await up?.close();
});

describe("dashboard tools never echo the key", () => {
  it.each([
    ["list_dashboards", {}],
    ["get_dashboard", { dashboard_id: 1 }],
    ["get_widget_data", { widget_ids: [5] }],
    ["get_widget_data", { widget_ids: [5], window: "now-3d" }],
    [
      "create_dashboard",
      {
        name: "n",
        filters: { field: "timestamp", op: "gte", value: "now-7d" },
        widgets: [{ name: "a", chart_type: "stat" }],
      },
    ],
    ["get_dashboard", { dashboard_id: 9 }],
  ])("%s %j", async (name, args) => {
    const r = (await s.client.callTool({ name, arguments: args })) as CallToolResult;
    const all = JSON.stringify(r);
    for (const form of FORMS) expect(all).not.toContain(form);
    expect(all).toContain(REDACTED); // the answer did carry the echo, scrubbed
    expect(up.requests.at(-1)!.headers["x-cekura-api-key"]).toBe(KEY); // the echo held the key
  });

  it("nor does stderr", () => {
    expect(s.stderr()).not.toContain(KEY);
  });
});
