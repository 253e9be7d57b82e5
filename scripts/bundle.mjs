// `npm run bundle`: the MCP Bundle (.mcpb) for one-click install in Claude Desktop, built from
// dist/main.js, dist/server.js, dist/undici.js and dist/view.js (run `npm run build` first; the npm
// script does) and mcpb/manifest.json.
//
//   node scripts/bundle.mjs [--out DIR]     (default DIR: bundle/, gitignored)
//
// The manifest's tools and prompts are asked from the built server itself (tools/list and
// prompts/list in demo mode), so they cannot drift from the code. The bundle holds the manifest,
// server/main.js, server/server.js, server/undici.js and server/view.js (the bin, the build, undici
// and the chart view: no node_modules) and a package.json that marks it ESM.
// `mcpb validate` checks the manifest and `mcpb pack` zips the folder.
import { spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist", "main.js");
/** The bin imports the bundle beside it. */
const DIST_SERVER = join(ROOT, "dist", "server.js");
const DIST_UNDICI = join(ROOT, "dist", "undici.js");
const DIST_VIEW = join(ROOT, "dist", "view.js");
export const MCPB_CLI = join(ROOT, "node_modules", "@anthropic-ai", "mcpb", "dist", "cli", "cli.js");
export const BUNDLE_NAME = "cekura-dashboards-mcp.mcpb";

/** The server's own tools/list and prompts/list, in demo mode (no key, no network). */
async function listsOf(bin) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, "--demo"],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    stderr: "ignore",
  });
  const client = new Client({ name: "bundle-builder", version: "1.0.0" });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    const { prompts } = await client.listPrompts();
    return { tools, prompts };
  } finally {
    await client.close();
  }
}

/** A manifest prompt needs a text a client can send as is: the description, with the arguments. */
function promptEntry(p) {
  const args = (p.arguments ?? []).map((a) => a.name);
  const given = args.map((a) => `${a}: \${arguments.${a}}`).join("; ");
  return {
    name: p.name,
    description: p.description,
    arguments: args,
    text: given ? `${p.description} (${given})` : p.description,
  };
}

/** manifest.json of the bundle: mcpb/manifest.json plus the server's tools and prompts. */
export async function bundleManifest(bin = DIST) {
  const template = JSON.parse(await readFile(join(ROOT, "mcpb", "manifest.json"), "utf8"));
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
  if (template.version !== pkg.version) {
    throw new Error(`mcpb/manifest.json version ${template.version} is not package.json's ${pkg.version}`);
  }
  const { tools, prompts } = await listsOf(bin);
  return {
    ...template,
    // The first paragraph of the tool's description: the manifest's is for people browsing.
    tools: tools.map((t) => ({ name: t.name, description: (t.description ?? "").split("\n\n")[0] })),
    prompts: prompts.map(promptEntry),
  };
}

function mcpb(args) {
  const r = spawnSync(process.execPath, [MCPB_CLI, ...args], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`mcpb ${args[0]} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Builds the bundle into `outDir`; resolves with its path. */
export async function buildBundle(outDir = join(ROOT, "bundle")) {
  const stage = await mkdtemp(join(tmpdir(), "cekura-mcpb-"));
  try {
    const manifest = await bundleManifest();
    await mkdir(join(stage, "server"));
    await writeFile(join(stage, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await copyFile(DIST, join(stage, "server", "main.js"));
    await copyFile(DIST_SERVER, join(stage, "server", "server.js"));
    await copyFile(DIST_UNDICI, join(stage, "server", "undici.js"));
    await copyFile(DIST_VIEW, join(stage, "server", "view.js"));
    // Node reads server/main.js as ESM only with "type": "module" above it (or by detection).
    const pkg = { name: manifest.name, version: manifest.version, private: true, type: "module" };
    await writeFile(join(stage, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
    mcpb(["validate", join(stage, "manifest.json")]);
    await mkdir(outDir, { recursive: true });
    const out = join(outDir, BUNDLE_NAME);
    mcpb(["pack", stage, out]);
    return out;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const i = process.argv.indexOf("--out");
  const out = await buildBundle(i > 0 ? resolve(process.argv[i + 1]) : undefined);
  process.stdout.write(`${out}\n`);
}
