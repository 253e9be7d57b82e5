/**
 * The MCP Bundle (.mcpb) for Claude Desktop: `scripts/bundle.mjs` builds it, `mcpb validate` accepts
 * the manifest inside, and the unpacked bundle's entry point, started the way the manifest says
 * (its ${__dirname} and ${user_config.*} filled in as Claude Desktop does), answers tools/list with
 * exactly the tools and prompts the manifest lists.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOL_NAMES } from "../e2e/helpers.js";
import { startFaultServer } from "../helpers/fault-server.js";
import { cleanEnv, LIVE_PREVIEW, listsOf, MCPB_CLI, ROOT, run } from "./helpers.js";

interface Manifest {
  version: string;
  server: {
    entry_point: string;
    mcp_config: { command: string; args: string[]; env: Record<string, string> };
  };
  user_config: Record<string, { type: string; sensitive?: boolean; required?: boolean; default?: unknown }>;
  tools: { name: string }[];
  prompts: { name: string; text: string }[];
}

let dir: string;
let unpacked: string;
let manifest: Manifest;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cekura-mcpb-test-"));
  // dist/ was just built by the dist tier's setup.
  const file = run(process.execPath, ["scripts/bundle.mjs", "--out", dir]).trim();
  unpacked = join(dir, "unpacked");
  run(process.execPath, [MCPB_CLI, "unpack", file, unpacked]);
  manifest = JSON.parse(await readFile(join(unpacked, "manifest.json"), "utf8")) as Manifest;
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** "${name}": a manifest placeholder. */
const ph = (name: string) => `\${${name}}`;

/** mcp_config with the substitutions Claude Desktop makes. */
function launch(values: Record<string, string>) {
  const fill = (s: string) =>
    s
      .replaceAll(ph("__dirname"), unpacked)
      .replace(/\$\{user_config\.(\w+)\}/g, (_m, k: string) => values[k] ?? "");
  const { command, args, env } = manifest.server.mcp_config;
  return {
    command: command === "node" ? process.execPath : command,
    args: args.map(fill),
    env: cleanEnv(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fill(v)]))),
  };
}

describe("the MCP Bundle", () => {
  it("holds a manifest that mcpb validate accepts, with the package's version", async () => {
    expect(run(process.execPath, [MCPB_CLI, "validate", join(unpacked, "manifest.json")])).toMatch(/passes/);
    const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    expect(manifest.version).toBe(pkg.version);
  });

  it("asks for the key once as a sensitive setting, passed as CEKURA_API_KEY, and has a demo switch", () => {
    expect(manifest.user_config.api_key).toMatchObject({ type: "string", sensitive: true });
    expect(manifest.server.mcp_config.env.CEKURA_API_KEY).toBe(ph("user_config.api_key"));
    expect(manifest.user_config.demo).toMatchObject({ type: "boolean", default: false });
    expect(manifest.server.mcp_config.env.CEKURA_DEMO).toBe(ph("user_config.demo"));
    expect(manifest.server.mcp_config.args.join(" ")).toContain(manifest.server.entry_point);
  });

  it("has a read-only switch: with it on, the server offers no tool that saves", async () => {
    expect(manifest.user_config.read_only).toMatchObject({ type: "boolean", default: false });
    expect(manifest.server.mcp_config.env.CEKURA_DISABLE_WRITE).toBe(ph("user_config.read_only"));
    const { command, args, env } = launch({ api_key: "", demo: "true", read_only: "true" });
    const { tools } = await listsOf(command, args, env);
    expect(tools).toEqual(TOOL_NAMES.filter((t) => t !== "create_dashboard"));
  });

  it("starts from the unpacked bundle alone, lists exactly the manifest's tools and prompts, and serves the chart view", async () => {
    const { command, args, env } = launch({ api_key: "", demo: "true" });
    const { tools, prompts, view } = await listsOf(command, args, env, { readView: true });
    expect(view).toMatchObject({ text: expect.stringMatching(/^<!doctype html>/i) });
    expect(tools).toEqual(manifest.tools.map((t) => t.name));
    expect(prompts).toEqual(manifest.prompts.map((p) => p.name));
    for (const p of manifest.prompts) expect(p.text.length).toBeGreaterThan(20);
  });

  it("with demo off and a key, starts in live mode and answers a preview from a local upstream (the key reaches it, never the output)", async () => {
    const key = "sk-bundle-canary-5a1e";
    const upstream = await startFaultServer();
    try {
      const { command, args, env } = launch({ api_key: key, demo: "false" });
      // The bundle's undici.js (loaded by the first request) must be there for this to answer.
      const { tools, preview, stderr } = await listsOf(
        command,
        args,
        { ...env, CEKURA_BASE_URL: upstream.origin },
        { preview: LIVE_PREVIEW },
      );
      expect(tools).toEqual([...TOOL_NAMES]);
      expect(stderr()).toMatch(/live mode/);
      expect(preview?.isError).toBeFalsy();
      expect(preview?.content[0]?.text).toMatch(/duration/);
      expect(upstream.requests[0]?.record.headers["x-cekura-api-key"]).toBe(key);
      expect(JSON.stringify(preview)).not.toContain(key);
      expect(stderr()).not.toContain(key);
    } finally {
      await upstream.close();
    }
  });
});
