/**
 * dist/main.js does not run src/widget/schema.ts: scripts/build.mjs evaluates it at build time
 * and bundles its values (see the header of scripts/build.mjs). This checks that the module the
 * bundle gets is the same, value for value, as the real one.
 */
import { describe, expect, it } from "vitest";
import * as real from "../../src/widget/schema.js";

interface BuildScript {
  schemaModuleSource(): Promise<string>;
}

// A variable specifier: build.mjs is plain JS without types, and must not be type-checked here.
const buildScript = "../../scripts/build.mjs";

async function generated(): Promise<Record<string, unknown>> {
  const { schemaModuleSource } = (await import(/* @vite-ignore */ buildScript)) as BuildScript;
  const source = await schemaModuleSource();
  return (await import(
    /* @vite-ignore */ `data:text/javascript;base64,${Buffer.from(source).toString("base64")}`
  )) as Record<string, unknown>;
}

describe("the build-time schema module", () => {
  it("publishes the same JSON Schema as buildInputJsonSchema()", async () => {
    const mod = await generated();
    const build = mod.buildInputJsonSchema as () => unknown;
    expect(build()).toEqual(real.buildInputJsonSchema());
    // Same key order too: the published text is what the model reads.
    expect(JSON.stringify(build())).toBe(JSON.stringify(real.buildInputJsonSchema()));
    // A fresh object on each call, as the real one.
    expect(build()).not.toBe(build());
  });

  it("keeps every plain export of the real module, and nothing zod", async () => {
    const mod = await generated();
    expect(mod.ARGUMENT_NAMES).toEqual(real.ARGUMENT_NAMES);
    expect(mod.PUBLISHED_FILTER_DEPTH).toBe(real.PUBLISHED_FILTER_DEPTH);
    expect(mod.PUBLISHED_DASHBOARD_FILTER_DEPTH).toBe(real.PUBLISHED_DASHBOARD_FILTER_DEPTH);
    expect(mod).not.toHaveProperty("inputSchema");
    expect(mod).not.toHaveProperty("filterSchema");
  });
});
