import { defineConfig } from "vitest/config";

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
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
