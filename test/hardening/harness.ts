/**
 * Hardening harness: spawns the BUILT server (dist/main.js, the package bin) with a transport of
 * our own over the child's stdio, so that the SDK Client drives it while the test keeps the raw
 * process: every byte of stdout and stderr (for the purity and secret checks), stdin (to close
 * it), the pid (for signals) and the exit.
 *
 * Every process spawned here is registered; `checkOutputs()` (called in each file's afterAll)
 * asserts that every stdout line of every one of them was JSON-RPC 2.0 and that the canary key
 * appeared on no stream.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import {
  type CallToolResult,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  LoggingMessageNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { BIN, CANARY_KEY, childEnv, ROOT } from "../e2e/helpers.js";

export { BIN, CANARY_KEY, ROOT };

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the process exited. */
  at: number;
}

export interface Spawned {
  child: ChildProcessWithoutNullStreams;
  client: Client;
  stdout: () => string;
  stderr: () => string;
  /** Log notifications received (after setLoggingLevel). */
  logs: { level: string; data: unknown; at: number }[];
  /** Parse failures of stdout lines seen by the transport. */
  transportErrors: unknown[];
  exited: Promise<Exit>;
  /** Writes one raw line to the child's stdin. */
  writeLine: (line: string) => void;
  /** Closes the client (ends stdin) and waits for the exit; kills after `ms`. */
  stop: (ms?: number) => Promise<Exit>;
}

interface Captured {
  label: string;
  stdout: () => string;
  stderr: () => string;
}

const registry: Captured[] = [];
const running = new Set<ChildProcessWithoutNullStreams>();

export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first (npm test does).`);
}

/** Spawns the built server with a clean env plus `env`, raw (no client connected yet). */
export function spawnRaw(opts: { env: Record<string, string>; args?: string[]; label?: string }): {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
} {
  assertBuilt();
  const child = spawn(process.execPath, [BIN, ...(opts.args ?? [])], {
    env: childEnv(opts.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.add(child);
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (c: string) => {
    out += c;
  });
  child.stderr.on("data", (c: string) => {
    err += c;
  });
  // A destroyed pipe or a dead child must never become an unhandled 'error'.
  child.stdin.on("error", () => {});
  child.stdout.on("error", () => {});
  child.stderr.on("error", () => {});
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal, at: performance.now() });
    });
  });
  const captured = { label: opts.label ?? "server", stdout: () => out, stderr: () => err };
  registry.push(captured);
  return { child, stdout: captured.stdout, stderr: captured.stderr, exited };
}

/** A client transport over a child we spawned ourselves. */
class ChildTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private buffer = "";
  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly errors: unknown[],
  ) {}

  async start(): Promise<void> {
    this.child.stdout.on("data", (chunk: string) => {
      this.buffer += chunk;
      for (let i = this.buffer.indexOf("\n"); i >= 0; i = this.buffer.indexOf("\n")) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        if (line.trim() === "") continue;
        let message: JSONRPCMessage;
        try {
          message = JSONRPCMessageSchema.parse(JSON.parse(line));
        } catch (e) {
          this.errors.push(e);
          this.onerror?.(e instanceof Error ? e : new Error(String(e)));
          continue;
        }
        this.onmessage?.(message);
      }
    });
    this.child.once("exit", () => this.onclose?.());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.child.stdin.writable) throw new Error("child stdin is closed");
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  async close(): Promise<void> {
    if (this.child.stdin.writable) this.child.stdin.end();
  }
}

export async function spawnServer(opts: {
  env: Record<string, string>;
  args?: string[];
  label?: string;
  /** logging/setLevel after connecting, and collect the notifications. */
  logLevel?: "debug" | "info";
}): Promise<Spawned> {
  const raw = spawnRaw(opts);
  const transportErrors: unknown[] = [];
  const transport = new ChildTransport(raw.child, transportErrors);
  const client = new Client({ name: "hardening", version: "1.0.0" });
  client.onerror = () => {};
  const logs: Spawned["logs"] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    logs.push({ level: n.params.level, data: n.params.data, at: performance.now() });
  });
  await client.connect(transport);
  if (opts.logLevel) await client.setLoggingLevel(opts.logLevel);
  const stop = async (ms = 5000): Promise<Exit> => {
    await client.close().catch(() => {});
    if (raw.child.stdin.writable) raw.child.stdin.end();
    const timer = setTimeout(() => raw.child.kill("SIGKILL"), ms);
    try {
      return await raw.exited;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    child: raw.child,
    client,
    stdout: raw.stdout,
    stderr: raw.stderr,
    logs,
    transportErrors,
    exited: raw.exited,
    writeLine: (line) => {
      if (raw.child.stdin.writable) raw.child.stdin.write(`${line}\n`);
    },
    stop,
  };
}

/** Kills (by pid) whatever this file spawned and is still running. */
export function killAll(): void {
  for (const child of running) child.kill("SIGKILL");
}

export const textOf = (r: CallToolResult): string =>
  (r.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");

export interface Timed {
  result: CallToolResult;
  text: string;
  ms: number;
}

/** One tool call, timed at the client. */
export async function call(
  client: Client,
  args: Record<string, unknown>,
  opts: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<Timed> {
  const t0 = performance.now();
  const result = (await client.callTool({ name: "preview_widget_data", arguments: args }, undefined, {
    timeout: opts.timeoutMs ?? 60_000,
    ...(opts.signal ? { signal: opts.signal } : {}),
  })) as CallToolResult;
  return { result, text: textOf(result), ms: performance.now() - t0 };
}

/** A valid pie query whose `name` routes it on the fault server. */
export const pie = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  chart_type: "pie",
  field: "call_ended_reason",
  filters: { field: "timestamp", op: "gte", value: "now-7d" },
  name,
  ...extra,
});

/** Lines of `stdout` that are not JSON-RPC 2.0 messages. */
export function nonJsonRpcLines(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .filter((l) => {
      try {
        const m = JSONRPCMessageSchema.safeParse(JSON.parse(l));
        return !m.success || (m.data as { jsonrpc?: string }).jsonrpc !== "2.0";
      } catch {
        return true;
      }
    });
}

/** For afterAll: stdout purity and no canary anywhere, over every process this file spawned. */
export function outputProblems(): string[] {
  const problems: string[] = [];
  for (const c of registry) {
    const bad = nonJsonRpcLines(c.stdout());
    if (bad.length > 0)
      problems.push(`${c.label}: ${bad.length} non-JSON-RPC stdout lines, first: ${bad[0]!.slice(0, 200)}`);
    if (c.stdout().includes(CANARY_KEY)) problems.push(`${c.label}: canary key on stdout`);
    if (c.stderr().includes(CANARY_KEY)) problems.push(`${c.label}: canary key on stderr`);
  }
  return problems;
}

/** How many processes this file spawned (so a file can assert its purity check covered them). */
export const spawnedCount = (): number => registry.length;

/** The fields of the log notifications whose msg matches. */
export function logEntries(s: Spawned, msg: string): Record<string, unknown>[] {
  return s.logs
    .map((l) => l.data as Record<string, unknown>)
    .filter((d) => d !== null && typeof d === "object" && d.msg === msg);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
