import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { v8FlagsFor } from "../../src/shared/v8-flags.js";

describe("the server's V8 settings", () => {
  it("turn TurboFan off only against the Cekura API; the embedded engine keeps it", () => {
    expect(v8FlagsFor("live")).toContain("--no-turbofan");
    expect(v8FlagsFor("demo")).not.toContain("--no-turbofan");
    expect(v8FlagsFor("data")).not.toContain("--no-turbofan");
  });

  it("are all flags this Node's V8 knows (setFlagsFromString ignores a misspelt one silently)", () => {
    const known = execFileSync(process.execPath, ["--v8-options"], { encoding: "utf8" });
    const flags = new Set([...v8FlagsFor("live"), ...v8FlagsFor("data")]);
    for (const flag of flags) {
      const name = flag.replace(/^--(no-)?/, "").replace(/=.*$/, "");
      expect(known, flag).toMatch(new RegExp(`^\\s+--${name} `, "m"));
    }
  });
});
