/**
 * End-to-end helpers: spawn the BUILT server (the package's bin) over stdio with the SDK client,
 * and capture everything it writes so tests can check that stdout carried only JSON-RPC and that
 * no secret leaked anywhere.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult, ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = JSON.parse(readFileSync(resolve(ROOT, "package.json"), "utf8")) as {
  bin: Record<string, string>;
};
export const BIN = resolve(ROOT, Object.values(pkg.bin)[0]!);

/** The tools the server lists, in order (create_dashboard last: --disable-write drops it). */
export const TOOL_NAMES = [
  "preview_widget_data",
  "list_dashboards",
  "get_dashboard",
  "get_widget_data",
  "create_dashboard",
];

/** A key that must never appear in any output. */
export const CANARY_KEY = "sk-canary-7f3a9c1e5b2d4086aa11";

export interface SpawnedServer {
  client: Client;
  /** Everything the process wrote on stderr so far. */
  stderr: () => string;
  close: () => Promise<void>;
  pid: number | undefined;
}

/** Env for the child: a clean one (no inherited CEKURA_*), plus what the test says. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  return { ...env, ...extra };
}

export async function spawnServer(opts: {
  args?: string[];
  env: Record<string, string>;
  /** What the client announces, e.g. the MCP Apps extension. */
  capabilities?: ClientCapabilities;
}): Promise<SpawnedServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, ...(opts.args ?? [])],
    env: childEnv(opts.env),
    stderr: "pipe",
  });
  let err = "";
  transport.stderr?.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  const client = new Client(
    { name: "e2e-test", version: "1.0.0" },
    opts.capabilities ? { capabilities: opts.capabilities } : undefined,
  );
  await client.connect(transport);
  return {
    client,
    stderr: () => err,
    pid: transport.pid ?? undefined,
    close: async () => {
      await client.close();
    },
  };
}

export const textOf = (r: CallToolResult): string =>
  (r.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");

export interface RawRun {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs the built server with raw stdin lines (no SDK), closes stdin, and collects everything:
 * for checking stdout purity byte by byte and exit behaviour.
 */
export function runRaw(opts: {
  args?: string[];
  env: Record<string, string>;
  lines?: string[];
  /** Close stdin after the last response arrives (or this many ms). */
  settleMs?: number;
  expectResponses?: number;
}): Promise<RawRun> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...(opts.args ?? [])], {
      env: childEnv(opts.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let closedStdin = false;
    const closeStdin = () => {
      if (!closedStdin) {
        closedStdin = true;
        child.stdin.end();
      }
    };
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
      const responses = stdout.split("\n").filter((l) => l.includes('"id"')).length;
      if (opts.expectResponses !== undefined && responses >= opts.expectResponses) closeStdin();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.on("close", (code, signal) => resolvePromise({ stdout, stderr, code, signal }));
    for (const line of opts.lines ?? []) child.stdin.write(`${line}\n`);
    if (opts.expectResponses === undefined) setTimeout(closeStdin, opts.settleMs ?? 300);
    else setTimeout(closeStdin, opts.settleMs ?? 10_000);
  });
}

/** Every non-empty stdout line must be a JSON-RPC 2.0 message. */
export function nonJsonRpcLines(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .filter((l) => {
      try {
        const m = JSON.parse(l) as { jsonrpc?: string };
        return m.jsonrpc !== "2.0";
      } catch {
        return true;
      }
    });
}
