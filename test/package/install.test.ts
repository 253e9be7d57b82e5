/**
 * The published package installs alone: `npm pack`, then `npm install` of the tarball into an
 * empty folder with an empty cache and --offline (so nothing can come from a registry), then the
 * installed bin answers tools/list in demo mode. dist/ holds everything (the bin, the bundle and
 * undici beside it): no runtime dependency.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOL_NAMES } from "../e2e/helpers.js";
import { startFaultServer } from "../helpers/fault-server.js";
import { cleanEnv, LIVE_PREVIEW, listsOf, ROOT, run } from "./helpers.js";

const PKG = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
};

let dir: string;
let app: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cekura-pack-"));
  app = join(dir, "app");
  await mkdir(app);
  // dist/ was just built by the dist tier's setup; --ignore-scripts keeps `prepare` from rebuilding it.
  const packed = JSON.parse(
    run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir]),
  ) as { filename: string; files: { path: string }[] }[];
  const env = cleanEnv({ npm_config_cache: join(dir, "cache") });
  run(
    "npm",
    [
      "install",
      "--offline",
      "--no-audit",
      "--no-fund",
      "--no-update-notifier",
      join(dir, packed[0]!.filename),
    ],
    { cwd: app, env },
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("declares no runtime dependency", () => {
    expect(PKG.dependencies ?? {}).toEqual({});
  });

  it("installs from its tarball alone: at most 3 packages, none of the bundled ones", async () => {
    const lock = JSON.parse(await readFile(join(app, "node_modules", ".package-lock.json"), "utf8")) as {
      packages: Record<string, unknown>;
    };
    const installed = Object.keys(lock.packages).filter((p) => p.startsWith("node_modules/"));
    expect(installed).toContain(`node_modules/${PKG.name}`);
    expect(installed.length).toBeLessThanOrEqual(3);
    for (const bundled of [
      "@modelcontextprotocol/sdk",
      "undici",
      "zod",
      "zod-to-json-schema",
      "express",
      "hono",
    ])
      expect(installed).not.toContain(`node_modules/${bundled}`);
  });

  it("its bin answers tools/list and prompts/list in demo mode over stdio, and serves the chart view", async () => {
    const bin = join(app, "node_modules", ".bin", Object.keys(PKG.bin)[0]!);
    const { tools, prompts, view, stderr } = await listsOf(bin, ["--demo"], cleanEnv(), { readView: true });
    expect(view).toMatchObject({ text: expect.stringMatching(/^<!doctype html>/i) });
    expect(tools).toEqual([...TOOL_NAMES]);
    expect(prompts.length).toBeGreaterThanOrEqual(4);
    expect(stderr()).not.toMatch(/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/);
  });

  it("its bin answers a preview in live mode from a local upstream (undici ships in dist/)", async () => {
    const upstream = await startFaultServer();
    try {
      const bin = join(app, "node_modules", ".bin", Object.keys(PKG.bin)[0]!);
      const env = cleanEnv({ CEKURA_API_KEY: "sk-install-canary-77", CEKURA_BASE_URL: upstream.origin });
      const { preview, stderr } = await listsOf(bin, [], env, { preview: LIVE_PREVIEW });
      expect(preview?.isError).toBeFalsy();
      expect(preview?.content[0]?.text).toMatch(/duration/);
      expect(upstream.requests).toHaveLength(2); // the preview and its coverage stat
      expect(stderr()).not.toMatch(/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/);
    } finally {
      await upstream.close();
    }
  });
});
