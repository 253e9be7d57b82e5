import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { V8_FLAGS } from "../../src/shared/v8-flags.js";

describe("the server's V8 settings", () => {
  it("leave V8's optimising compiler on", () => {
    expect(V8_FLAGS.some((f) => /turbofan|jitless|no-opt/.test(f))).toBe(false);
  });

  it("are all flags this Node's V8 knows (setFlagsFromString ignores a misspelt one silently)", () => {
    const known = execFileSync(process.execPath, ["--v8-options"], { encoding: "utf8" });
    expect(V8_FLAGS.length).toBeGreaterThan(0);
    for (const flag of V8_FLAGS) {
      const name = flag.replace(/^--(no-)?/, "").replace(/=.*$/, "");
      expect(known, flag).toMatch(new RegExp(`^\\s+--${name} `, "m"));
    }
  });
});
