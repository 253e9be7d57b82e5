/** Every test file that starts the built server belongs to the "dist" tier, which builds first. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DIST_TESTS } from "./tiers.js";

const ROOT = resolve(import.meta.dirname, "..");

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? testFiles(join(dir, e.name))
      : e.name.endsWith(".test.ts")
        ? [relative(ROOT, join(dir, e.name))]
        : [],
  );
}

/** What a test that runs the built server uses: the spawn helpers or the bin's path. */
const RUNS_DIST = /\b(spawnServer|spawnRaw|runRaw|BIN)\b/;

describe("test tiers", () => {
  const files = testFiles(join(ROOT, "test"));
  const inDist = (f: string) => DIST_TESTS.some((p) => (p.endsWith("/") ? f.startsWith(p) : f === p));

  it("every test file that runs the built server is in the dist tier", () => {
    const misplaced = files.filter(
      (f) => f !== "test/tiers.test.ts" && !inDist(f) && RUNS_DIST.test(readFileSync(join(ROOT, f), "utf8")),
    );
    expect(misplaced).toEqual([]);
  });

  it("every entry of the dist tier exists", () => {
    for (const p of DIST_TESTS)
      expect(
        files.some((f) => (p.endsWith("/") ? f.startsWith(p) : f === p)),
        p,
      ).toBe(true);
  });
});
