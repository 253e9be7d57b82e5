/**
 * The built bundle carries the MCP App chart view (scripts/build-view.mjs via scripts/build.mjs)
 * and serves it, as test/view/protocol.test.ts checks in memory.
 */
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { UI_EXTENSION, VIEW_MIME, VIEW_TOOL_META, VIEW_URI, viewHtml } from "../../src/server/app-view.js";
import { spawnServer } from "./helpers.js";

const APPS: ClientCapabilities = { extensions: { [UI_EXTENSION]: { mimeTypes: [VIEW_MIME] } } };

describe("the built server (dist/main.js)", () => {
  it("carries the view and serves it to a client that announces apps", async () => {
    const server = await spawnServer({
      args: ["--demo"],
      env: { CEKURA_LOG_LEVEL: "warning" },
      capabilities: APPS,
    });
    try {
      expect(server.client.getServerCapabilities()?.extensions).toHaveProperty([UI_EXTENSION]);
      const { tools } = await server.client.listTools();
      expect(tools[0]!._meta).toEqual(VIEW_TOOL_META);
      const read = await server.client.readResource({ uri: VIEW_URI });
      const content = read.contents[0] as { mimeType: string; text: string };
      expect(content.mimeType).toBe(VIEW_MIME);
      expect(content.text).toBe(await viewHtml());
    } finally {
      await server.close();
    }
  });
});
