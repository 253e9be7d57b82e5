/**
 * What users copy from the README works: every ```json block parses, the client snippets have the
 * shape each client expects, the documented requests are valid calls, and every setting the
 * config reads is documented. Also the registry metadata (server.json, package.json) agree.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MCP_PROMPT_NAMES } from "../src/server/prompts.js";
import { REFERENCE_RESOURCES } from "../src/server/resources.js";
import { validateWidgetQuery } from "../src/widget/validate.js";

const ROOT = resolve(import.meta.dirname, "..");
const read = (p: string) => readFileSync(resolve(ROOT, p), "utf8");
const README = read("README.md");
/** The tool's page: the worked examples moved there from the README. */
const TOOL_PAGE = read("docs/tool.md");
/** A README a person reads in one sitting; longer reference material goes to docs/. */
const README_MAX_CHARS = 15_000;
const PKG = JSON.parse(read("package.json")) as {
  name: string;
  version: string;
  mcpName?: string;
  files: string[];
};
const SERVER = JSON.parse(read("server.json")) as {
  $schema: string;
  name: string;
  description: string;
  version: string;
  packages: {
    registryType: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables: { name: string; description: string; isRequired: boolean; isSecret: boolean }[];
  }[];
};

/** CEKURA_* variables the config reads, from its source. */
const ENV_VARS = [
  ...new Set([...read("src/cli/config.ts").matchAll(/env\.(CEKURA_[A-Z_]+)/g)].map((m) => m[1]!)),
];

/** The ```json blocks of a markdown text. */
const jsonBlocks = (text: string) => [...text.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1]!);

/** The text of the section under a `### heading`, up to the next heading. */
function section(heading: string): string {
  const start = README.indexOf(`\n### ${heading}\n`);
  expect(start, `README has a "### ${heading}" section`).toBeGreaterThanOrEqual(0);
  const rest = README.slice(start + heading.length + 6);
  const end = rest.search(/\n#{2,3} /);
  return end < 0 ? rest : rest.slice(0, end);
}

type ServerEntry = { command: string; args: string[]; env?: Record<string, string>; type?: string };

function expectLaunch(entry: ServerEntry) {
  expect(typeof entry.command).toBe("string");
  expect(Array.isArray(entry.args)).toBe(true);
  for (const a of entry.args) expect(typeof a).toBe("string");
}

describe("README", () => {
  it(`stays under ${README_MAX_CHARS} characters`, () => {
    expect(README.length).toBeLessThanOrEqual(README_MAX_CHARS);
  });

  it("every ```json block is valid JSON (README and docs/tool.md)", () => {
    expect(jsonBlocks(README).length).toBeGreaterThanOrEqual(4);
    const blocks = [...jsonBlocks(README), ...jsonBlocks(TOOL_PAGE)];
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    for (const b of blocks) expect(() => JSON.parse(b), b.slice(0, 80)).not.toThrow();
  });

  it("the Claude Desktop and Cursor snippets launch dist/main.js with the key in env", () => {
    for (const heading of ["Claude Desktop", "Cursor"]) {
      const [block] = jsonBlocks(section(heading));
      const config = JSON.parse(block!) as { mcpServers: Record<string, ServerEntry> };
      const entry = config.mcpServers.cekura!;
      expectLaunch(entry);
      expect(entry.command).toBe("node");
      expect(entry.args[0]).toMatch(/\/dist\/main\.js$/);
      expect(Object.keys(entry.env ?? {})).toEqual(["CEKURA_API_KEY"]);
    }
  });

  it("the VS Code snippet uses servers with type stdio and a password input for the key", () => {
    const [block] = jsonBlocks(section("VS Code"));
    const config = JSON.parse(block!) as {
      inputs: { type: string; id: string; password?: boolean }[];
      servers: Record<string, ServerEntry>;
      mcpServers?: unknown;
    };
    expect(config.mcpServers).toBeUndefined();
    const entry = config.servers.cekura!;
    expect(entry.type).toBe("stdio");
    expectLaunch(entry);
    const input = config.inputs[0]!;
    expect(input).toMatchObject({ type: "promptString", password: true });
    expect(entry.env?.CEKURA_API_KEY).toBe(`\${input:${input.id}}`);
  });

  it("the Windows snippet uses node.exe with escaped backslashes, or cmd /c for npx", () => {
    const [block] = jsonBlocks(section("Windows"));
    const config = JSON.parse(block!) as { mcpServers: Record<string, ServerEntry> };
    const entries = Object.values(config.mcpServers);
    for (const e of entries) expectLaunch(e);
    expect(
      entries.some((e) => e.command.endsWith("node.exe") && e.args[0]!.includes("\\dist\\main.js")),
    ).toBe(true);
    expect(entries.some((e) => e.command === "cmd" && e.args[0] === "/c")).toBe(true);
  });

  it("the Claude Desktop section leads with the bundle that npm run bundle builds", () => {
    const text = section("Claude Desktop");
    const lead = text.slice(0, text.indexOf("```"));
    expect(lead).toContain("`npm run bundle` builds `bundle/cekura-dashboards-mcp.mcpb`");
    expect(read("scripts/bundle.mjs")).toContain('BUNDLE_NAME = "cekura-dashboards-mcp.mcpb"');
    expect((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts.bundle).toMatch(
      /scripts\/bundle\.mjs/,
    );
  });

  it("the Claude Code command passes the key with -e and the server after --", () => {
    expect(README).toMatch(/claude mcp add cekura -e CEKURA_API_KEY=\S+ -- node \S+\/dist\/main\.js/);
  });

  it("the worked examples' requests are valid calls", () => {
    const requests = [...jsonBlocks(README), ...jsonBlocks(TOOL_PAGE)]
      .map((b) => JSON.parse(b) as Record<string, unknown>)
      .filter((b) => typeof b.chart_type === "string");
    expect(requests.length).toBeGreaterThanOrEqual(2);
    for (const r of requests) {
      expect(validateWidgetQuery(r, { now: Date.now(), defaultStart: "now-7d", maxWindowDays: 30 }).ok).toBe(
        true,
      );
    }
  });

  it("documents every setting, prompt and resource, the demo, the tests and the Inspector check", () => {
    expect(ENV_VARS.length).toBeGreaterThanOrEqual(8);
    for (const v of ENV_VARS) expect(README, v).toContain(`\`${v}`);
    for (const flag of [
      "--demo",
      "--data FILE",
      "--base-url",
      "--timeout-ms",
      "--default-window",
      "--max-result-chars",
      "--log-level",
      "--disable-write",
    ]) {
      expect(README).toContain(flag);
    }
    for (const p of MCP_PROMPT_NAMES) expect(README).toContain(`\`${p}\``);
    for (const r of REFERENCE_RESOURCES) expect(README).toContain(r.uri);
    expect(README).toMatch(/npm install[\s\S]*npm run demo/);
    expect(README).toContain("npm test");
    expect(README).toContain(".ci/run");
    expect(README).toContain(
      "npx @modelcontextprotocol/inspector@1.0.3 --cli node dist/main.js --demo --method tools/list",
    );
    expect(README).toMatch(/## Performance\n\n`npm run bench`/);
  });

  it("keeps performance to a pointer: at most three lines and a link to docs/performance.md", () => {
    const start = README.indexOf("\n## Performance\n");
    expect(start).toBeGreaterThanOrEqual(0);
    const rest = README.slice(start + "\n## Performance\n".length);
    const body = rest.slice(0, rest.search(/\n## /)).trim();
    expect(body.split("\n").length).toBeLessThanOrEqual(3);
    expect(body).toContain("(docs/performance.md)");
    expect(read("docs/performance.md")).toContain("npm run bench");
    // The measured tables live there, one per Node version.
    const perf = read("docs/performance.md");
    expect(perf).toMatch(/^Node 20\.[\s\S]*\| start-up: spawn → tools\/list answer/m);
    expect(perf).toMatch(/^Node 22\.[\s\S]*\| start-up: spawn → tools\/list answer/m);
  });
});

describe("registry metadata", () => {
  it("server.json matches package.json and the registry's shape", () => {
    expect(SERVER.$schema).toBe(
      "https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json",
    );
    expect(SERVER.name).toMatch(/^io\.github\.[A-Za-z0-9-]+\/cekura-dashboards-mcp$/);
    expect(PKG.mcpName).toBe(SERVER.name);
    expect(SERVER.description.length).toBeLessThanOrEqual(100);
    expect(SERVER.version).toBe(PKG.version);
    expect(SERVER.packages).toHaveLength(1);
    const pkg = SERVER.packages[0]!;
    expect(pkg).toMatchObject({
      registryType: "npm",
      identifier: PKG.name,
      version: PKG.version,
      transport: { type: "stdio" },
    });
  });

  it("server.json names every CEKURA_* variable the config reads, the key as a secret", () => {
    const declared = SERVER.packages[0]!.environmentVariables;
    expect(declared.map((e) => e.name).sort()).toEqual([...ENV_VARS].sort());
    for (const e of declared) {
      expect(e.description.length).toBeGreaterThan(10);
      expect(e.isRequired).toBe(false);
      expect(e.isSecret).toBe(e.name === "CEKURA_API_KEY");
    }
  });

  it("the package ships only what runs", () => {
    expect(PKG.files).toContain("dist/");
    for (const f of PKG.files)
      expect(["dist/", "prompts/", "README.md", "server.json", "LICENSE"]).toContain(f);
  });
});
