/**
 * Everything the HTTP client can send: every endpoint function of src/upstream/dashboards.ts run
 * against a recording server on 127.0.0.1. Only GET and POST leave the client; the only write
 * bodies are a new dashboard and `{create}`; writes are sent once even when a retry would be
 * allowed for a read; and no source file of the client names another method.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createUpstreamClient, type UpstreamClient } from "../../src/upstream/client.js";
import * as endpoints from "../../src/upstream/dashboards.js";
import { type LoopbackServer, startLoopbackServer } from "../helpers/loopback-server.js";

let server: LoopbackServer | undefined;
let client: UpstreamClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function setUp(status = 200): Promise<{ server: LoopbackServer; client: UpstreamClient }> {
  server = await startLoopbackServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/json" }).end('{"id":5,"created":[]}');
  });
  client = createUpstreamClient({
    baseUrl: server.origin,
    apiKey: "k",
    deadlineMs: 5_000,
    backoffBaseMs: 1,
    backoffCapMs: 2,
  });
  return { server, client };
}

describe("what the client can send", () => {
  it("every endpoint: GET or POST, and two write bodies with exactly their keys", async () => {
    const { server, client } = await setUp();
    const sent: string[] = [];
    await endpoints.listDashboards(client, { page: 2, page_size: 50, project_id: 7 });
    await endpoints.getDashboard(client, 3);
    await endpoints.getWidget(client, 4);
    await endpoints.getWidgetData(client, 4, undefined);
    await endpoints.getWidgetData(client, 4, { field: "timestamp", op: "gte", value: "now-7d" });
    // Extra keys given to a write never reach the wire.
    await endpoints.createDashboard(client, {
      name: "n",
      filters: { field: "success", op: "eq", value: true },
      id: 9,
      widgets: [],
    } as never);
    await endpoints.addWidgets(client, 5, [
      { name: "w", chart_type: "stat", id: 1, dashboard: 2, effective_filters: {}, delete: [1] },
    ]);
    await client.postPreviewData({ chart_type: "stat" });
    for (const r of server.requests) {
      const keys = r.body === "" ? "" : Object.keys(JSON.parse(r.body) as object).join(",");
      sent.push(`${r.method} ${r.url} ${keys}`);
    }
    expect(sent).toEqual([
      "GET /dashboards/dashboards/?page=2&page_size=50&project_id=7 ",
      "GET /dashboards/dashboards/3/ ",
      "GET /dashboards/widgets/4/ ",
      "GET /dashboards/widgets/4/data/ ",
      `GET /dashboards/widgets/4/data/?filters=${encodeURIComponent('{"field":"timestamp","op":"gte","value":"now-7d"}')} `,
      "POST /dashboards/dashboards/ name,filters",
      "POST /dashboards/dashboards/5/bulk_widgets/ create",
      "POST /dashboards/widgets/preview_data/ chart_type",
    ]);
    const bulk = JSON.parse(server.requests[6]!.body) as { create: Record<string, unknown>[] };
    expect(bulk.create).toEqual([{ name: "w", chart_type: "stat" }]);
    for (const r of server.requests.filter((x) => x.method === "GET")) {
      expect(r.headers["content-type"]).toBeUndefined();
    }
  });

  it("keeps the base URL's path prefix on every endpoint", async () => {
    const { server } = await setUp();
    const prefixed = createUpstreamClient({ baseUrl: `${server.origin}/proxy/cekura/`, deadlineMs: 5_000 });
    try {
      await endpoints.getDashboard(prefixed, 3);
      await endpoints.listDashboards(prefixed, { page: 1, page_size: 20 });
      await prefixed.postPreviewData({ chart_type: "stat" });
    } finally {
      await prefixed.close();
    }
    expect(server.requests.map((r) => r.url)).toEqual([
      "/proxy/cekura/dashboards/dashboards/3/",
      "/proxy/cekura/dashboards/dashboards/?page=1&page_size=20",
      "/proxy/cekura/dashboards/widgets/preview_data/",
    ]);
  });

  it("a write is sent once, even on a 503 that a read would retry", async () => {
    const { server, client } = await setUp(503);
    const write = await endpoints.createDashboard(client, { name: "n" });
    expect(write.ok).toBe(false);
    expect(server.requests).toHaveLength(1);
    const bulk = await endpoints.addWidgets(client, 5, [{ chart_type: "stat" }]);
    expect(bulk.ok).toBe(false);
    expect(server.requests).toHaveLength(2);
    const read = await endpoints.getDashboard(client, 5);
    expect(read.ok).toBe(false);
    expect(server.requests.length).toBeGreaterThan(3); // the read was retried
  });

  it("no file of the client names PUT, PATCH or DELETE", () => {
    const dir = join(import.meta.dirname, "../../src/upstream");
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
      expect(text, file).not.toMatch(/["'`](PUT|PATCH|DELETE)["'`]/);
    }
  });
});
