// Bundles src/main.ts into ONE file, dist/main.js (ESM, Node 20), with its source map. Modules
// reached only through dynamic import() (undici, the embedded backend, the CLI) are wrapped by
// esbuild in lazy initialisers, so start-up does not evaluate them. prompts/*.md are bundled as text.
import { chmod, rm } from "node:fs/promises";
import { build } from "esbuild";

await rm("dist", { recursive: true, force: true });
await build({
  entryPoints: { main: "src/main.ts" },
  outdir: "dist",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20.18",
  sourcemap: true,
  legalComments: "none",
  loader: { ".md": "text" },
  banner: {
    // Some dependencies are CommonJS and call require(); give the ESM bundle one.
    js: "#!/usr/bin/env node\nimport { createRequire as __cdmCreateRequire } from 'node:module';\nconst require = __cdmCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
await chmod("dist/main.js", 0o755);
