/**
 * Demo and data modes call the embedded engine in process: the server binds no port. Checked on
 * the built server after a real tools/call, from the kernel's own tables (Linux /proc): a TCP
 * socket in LISTEN state whose inode is one of the process's file descriptors.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createCallStore } from "../../src/embedded/engine.js";
import { startEmbeddedListener } from "../../src/embedded/listener.js";
import { type SpawnedServer, spawnServer, textOf } from "./helpers.js";

const LISTEN = "0A";

/** Local ports of the TCP sockets `pid` holds in LISTEN state. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // the descriptor closed while we read the directory
    }
  }
  const ports: number[] = [];
  for (const table of ["tcp", "tcp6"]) {
    const lines = readFileSync(`/proc/${pid}/net/${table}`, "utf8").trim().split("\n").slice(1);
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === LISTEN && inodes.has(cols[9]!))
        ports.push(Number.parseInt(cols[1]!.split(":")[1]!, 16));
    }
  }
  return ports;
}

const linux = process.platform === "linux";
let server: SpawnedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.runIf(linux)("the embedded backend binds no port", () => {
  it("the check sees a listening socket when there is one (this test process, with the loopback listener)", async () => {
    const backend = await startEmbeddedListener({ store: createCallStore([]), mode: "data" });
    try {
      const port = Number(new URL(backend.url).port);
      expect(listeningPorts(process.pid)).toContain(port);
    } finally {
      await backend.close();
    }
  });

  it("demo mode answers a tools/call with no LISTEN socket in the server process", async () => {
    server = await spawnServer({ args: ["--demo"], env: {} });
    const r = await server.client.callTool({
      name: "preview_widget_data",
      arguments: { chart_type: "stat" },
    });
    expect(r.isError ?? false).toBe(false);
    expect(textOf(r as never)).toMatch(/DEMO data/);
    expect(server.pid).toBeDefined();
    expect(listeningPorts(server.pid!)).toEqual([]);
  });
});
