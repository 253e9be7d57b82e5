/** Helpers of the package tests: run a command to its end, and ask a started server for its lists. */
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { VIEW_URI } from "../../src/server/app-view.js";

/** The arguments of the one preview the package tests make in live mode (undici loads for it). */
export const LIVE_PREVIEW = {
  chart_type: "bar",
  field: "duration",
  aggregation_function: "avg",
  time_period: "day",
};

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const MCPB_CLI = resolve(ROOT, "node_modules/@anthropic-ai/mcpb/dist/cli/cli.js");

/**
 * The environment of a child: PATH (this Node's folder first, so `#!/usr/bin/env node` and npm run
 * on the Node under test) and HOME, nothing from an outer npm run (npm_config_*, npm_lifecycle_*).
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`,
    HOME: process.env.HOME ?? "",
    ...extra,
  };
}

/** Runs a command to its end; throws with its output when it fails. */
export function run(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
) {
  const r = spawnSync(command, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? cleanEnv(),
    encoding: "utf8",
    timeout: 120_000,
  });
  if (r.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")}: exit ${r.status}${r.error ? ` (${r.error.message})` : ""}\n${r.stdout}${r.stderr}`,
    );
  }
  return r.stdout;
}

/**
 * Starts a server over stdio with the SDK client and returns the names in tools/list and
 * prompts/list; with `preview`, also the answer of one preview_widget_data call with those arguments;
 * with `readView`, the chart view's HTML (or the error of reading it).
 */
export async function listsOf(
  command: string,
  args: string[],
  env: Record<string, string>,
  opts: { preview?: Record<string, unknown>; readView?: boolean } = {},
) {
  const transport = new StdioClientTransport({ command, args, env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
  });
  const client = new Client({ name: "package-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    const tools = (await client.listTools()).tools.map((t) => t.name);
    const prompts = (await client.listPrompts()).prompts.map((p) => p.name);
    const preview = opts.preview
      ? ((await client.callTool({ name: "preview_widget_data", arguments: opts.preview })) as {
          isError?: boolean;
          content: { type: string; text?: string }[];
        })
      : undefined;
    const view = opts.readView
      ? await client.readResource({ uri: VIEW_URI }).then(
          (r) => ({ text: String((r.contents[0] as { text?: unknown } | undefined)?.text ?? "") }),
          (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
        )
      : undefined;
    return { tools, prompts, preview, view, stderr: () => stderr };
  } finally {
    await client.close();
  }
}
