/**
 * dist/ without undici.js and view.js (an install that lost files): the server starts, a live call
 * answers a config error that names the missing file and says to reinstall, nothing is sent
 * upstream, and reading the chart view fails with a message that does the same.
 */
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOL_NAMES } from "../e2e/helpers.js";
import { startFaultServer } from "../helpers/fault-server.js";
import { cleanEnv, LIVE_PREVIEW, listsOf, ROOT } from "./helpers.js";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cekura-incomplete-"));
  for (const f of ["main.js", "server.js"]) await copyFile(join(ROOT, "dist", f), join(dir, f));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("an install without dist/undici.js and dist/view.js", () => {
  it("answers a live call with a config error that names the file (a result, not a crash)", async () => {
    const upstream = await startFaultServer();
    try {
      const env = cleanEnv({ CEKURA_API_KEY: "sk-incomplete-canary-31", CEKURA_BASE_URL: upstream.origin });
      const { tools, preview, view } = await listsOf(process.execPath, [join(dir, "main.js")], env, {
        preview: LIVE_PREVIEW,
        readView: true,
      });
      expect(view).toMatchObject({ error: expect.stringMatching(/view\.js.*Reinstall/s) });
      expect(tools).toEqual([...TOOL_NAMES]);
      expect(preview?.isError).toBe(true);
      const text = preview?.content[0]?.text ?? "";
      expect(text).toMatch(/undici\.js/);
      expect(text).toMatch(/Reinstall/);
      expect(text).not.toMatch(/proxy/i);
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await upstream.close();
    }
  });
});
