import { defineConfig } from "vitest/config";
import { buildViewHtml, VIEW_TEMPLATE } from "./scripts/build-view.mjs";

const BROWSER_TESTS = "test/view/*.browser.test.ts";

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
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // The browser tests run after the rest, not beside it: Chromium takes both cores, and the
    // suites that bound CPU time per call (test/hardening) must not share them with it.
    projects: [
      {
        extends: true,
        test: { name: "node", include: ["test/**/*.test.ts"], exclude: [BROWSER_TESTS], sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: "browser", include: [BROWSER_TESTS], sequence: { groupOrder: 1 } } },
    ],
  },
});
