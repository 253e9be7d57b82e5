import { defineConfig } from "vitest/config";
import { buildViewHtml, VIEW_TEMPLATE } from "./scripts/build-view.mjs";
import { BROWSER_GLOBS, DIST_GLOBS } from "./test/tiers.js";

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
    {
      // Same as viewHtmlPlugin in scripts/build.mjs: src/view/chart.html imports as the built view.
      name: "view-html",
      enforce: "pre" as const,
      async load(id: string) {
        if (id.split("?")[0] === VIEW_TEMPLATE) return { code: `export default ${JSON.stringify(await buildViewHtml())};`, map: null };
        return undefined;
      },
    },
  ],
  test: {
    // Catastrophe bounds: the slowest tests take ~10 s on a busy 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two tiers (test/tiers.ts): `npm run test:fast` runs "fast" only; `npm test` runs all. The
    // browser tests (dist tier too) run after the rest, not beside it: Chromium takes both cores,
    // and the suites that bound CPU time per call (test/hardening) must not share them with it.
    projects: [
      {
        extends: true,
        test: { name: "fast", include: ["test/**/*.test.ts"], exclude: DIST_GLOBS, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: "dist",
          include: DIST_GLOBS,
          exclude: BROWSER_GLOBS,
          globalSetup: ["test/build-dist.ts"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: BROWSER_GLOBS,
          globalSetup: ["test/build-dist.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
