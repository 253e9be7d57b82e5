// Bundles src/main.ts into dist/ (ESM, Node 20) with a source map. Code split: what the first
// tools/list does not need (undici, the embedded backend, the CLI) loads from its own chunk on
// first use. prompts/*.md are bundled as text.
import { chmod, rm } from "node:fs/promises";
import { build } from "esbuild";

await rm("dist", { recursive: true, force: true });
await build({
  entryPoints: { main: "src/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.18",
  sourcemap: true,
  legalComments: "none",
  loader: { ".md": "text" },
  chunkNames: "chunks/[name]-[hash]",
  banner: {
    // Some dependencies are CommonJS and call require(); give the ESM bundle one.
    js: "#!/usr/bin/env node\nimport { createRequire as __cdmCreateRequire } from 'node:module';\nconst require = __cdmCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
await chmod("dist/main.js", 0o755);
