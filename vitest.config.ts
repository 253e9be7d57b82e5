import { defineConfig } from "vitest/config";
import { DIST_GLOBS } from "./test/tiers.js";

export default defineConfig({
  plugins: [
    {
      // Same as esbuild's text loader in scripts/build.mjs: prompts/*.md import as strings.
      name: "markdown-as-text",
      transform(code: string, id: string) {
        if (id.endsWith(".md")) return { code: `export default ${JSON.stringify(code)};`, map: null };
        return undefined;
      },
    },
  ],
  test: {
    // Catastrophe bounds: the slowest tests take ~10 s on a busy 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two tiers (test/tiers.ts): `npm run test:fast` runs "fast" only; `npm test` runs both.
    projects: [
      { extends: true, test: { name: "fast", include: ["test/**/*.test.ts"], exclude: DIST_GLOBS } },
      {
        extends: true,
        test: { name: "dist", include: DIST_GLOBS, globalSetup: ["test/build-dist.ts"] },
      },
    ],
  },
});
