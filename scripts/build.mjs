// Bundles src/main.ts into dist/server.js (ESM, Node 20) with its source map, undici into
// dist/undici.js (imported by the first upstream request), the chart view into dist/view.js
// (imported by its first read), and src/bin.ts into dist/main.js, the
// package's bin: it turns on Node's compile cache (Node >= 22.1) before it imports dist/server.js,
// so V8's code for the bundle is reused on the next start. No runtime dependency is installed.
//
// Start-up cost is the point of most of this file (bench/run.mjs measures it):
// - Modules reached only through dynamic import() (the embedded backend, the CLI) are wrapped by
//   esbuild in lazy initialisers, so start-up does not evaluate them. undici, the largest
//   dependency, is not in the bundle at all: dist/undici.js, loaded by the first upstream request.
// - esbuild hoists every `import ... from "node:x"` to the top of an ESM bundle, so node:http,
//   node:crypto, ... would load at start even when only a lazy module uses them. They are
//   rewritten to lazy require() shims (the banner gives the bundle a `require`).
// - The SDK's Server builds an ajv instance in its constructor (used only to check elicitation
//   results: create_dashboard's confirmation, rare); ajv is loaded on the first use instead.
// - The SDK's Protocol tests every incoming message with isJSONRPCResultResponse and
//   isJSONRPCErrorResponse (zod safeParse) before isJSONRPCRequest: for each request two failed
//   parses, each building a ZodError with a stack trace. That was a fifth of the CPU of a
//   tools/call and most of what the heap promoted (RSS grew by tens of MiB per 1,000 calls).
//   Both guards first check that the key their schema requires is there ("result", "error"),
//   which gives the same answer (the schemas require those keys) without the failed parse.
//   The build fails if the SDK's text is not exactly as expected, so an SDK update is re-checked.
// - The tool's JSON Schema is a committed JSON file (`npm run schema` writes it from the zod source),
//   bundled as data: src/widget/schema.ts (the zod source) is not in the bundle.
// - Whitespace and syntax are minified (identifiers are kept, so class and function names in
//   logs and errors stay readable): V8 pre-parses the whole file at start, so bytes cost time.
// prompts/*.md are bundled as text. The chart view is dist/view.js, imported when a client first
// reads it (scripts/build-view.mjs).
import { chmod, readFile, rm } from "node:fs/promises";
import { builtinModules } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { VIEW_FILE, writeViewModule } from "./build-view.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** `import x from "node:http"` → a CommonJS shim, so the builtin loads when its importer runs. */
const lazyBuiltins = {
  name: "lazy-node-builtins",
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) =>
      args.kind === "import-statement" && BUILTINS.has(args.path)
        ? { path: args.path, namespace: "lazy-builtin" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-builtin" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};

const SDK_GUARDS = [
  [
    "export const isJSONRPCResultResponse = (value) => JSONRPCResultResponseSchema.safeParse(value).success;",
    'export const isJSONRPCResultResponse = (value) => typeof value === "object" && value !== null && "result" in value && JSONRPCResultResponseSchema.safeParse(value).success;',
  ],
  [
    "export const isJSONRPCErrorResponse = (value) => JSONRPCErrorResponseSchema.safeParse(value).success;",
    'export const isJSONRPCErrorResponse = (value) => typeof value === "object" && value !== null && "error" in value && JSONRPCErrorResponseSchema.safeParse(value).success;',
  ],
];

/** The SDK's JSON-RPC response guards, without a failed zod parse for every request. */
const sdkGuards = {
  name: "sdk-response-guards",
  setup(b) {
    b.onLoad(
      { filter: /[\\/]@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]esm[\\/]types\.js$/ },
      async (args) => {
        let code = await readFile(args.path, "utf8");
        for (const [from, to] of SDK_GUARDS) {
          if (code.split(from).length !== 2) {
            throw new Error(
              `${args.path}: expected exactly one "${from.slice(0, 60)}…"; re-check the SDK patch`,
            );
          }
          code = code.replace(from, to);
        }
        return { contents: code, loader: "js" };
      },
    );
  },
};

/** The SDK's AjvJsonSchemaValidator, loaded (with ajv) on first use rather than at start. */
const lazyAjv = {
  name: "lazy-ajv",
  setup(b) {
    b.onResolve({ filter: /[\\/]ajv-provider\.js$/ }, (args) =>
      args.kind === "import-statement" && args.importer.includes("@modelcontextprotocol")
        ? { path: join(args.resolveDir, args.path), namespace: "lazy-ajv" }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-ajv" }, (args) => ({
      contents: `
export class AjvJsonSchemaValidator {
  constructor(ajv) {
    this._ajvGiven = ajv;
    this._real = undefined;
  }
  getValidator(schema) {
    if (!this._real) {
      const { AjvJsonSchemaValidator: Real } = require(${JSON.stringify(args.path)});
      this._real = new Real(this._ajvGiven);
    }
    return this._real.getValidator(schema);
  }
}
`,
      loader: "js",
      resolveDir: dirname(args.path),
    }));
  },
};

/** The file beside the server bundle that holds undici (buildUndici writes it). */
export const UNDICI_FILE = "undici.js";
/** What the server takes from undici (src/upstream/transport.ts); dist/undici.js exports these. */
const UNDICI_EXPORTS = ["EnvHttpProxyAgent"];

/**
 * esbuild plugin: `import(<what>)` becomes `import("./<file>")`, a file of its own beside the bundle,
 * read only when that import runs. Any other import of it (a value import, a require) would put it
 * back in the bundle's start-up, so it fails the build.
 */
function apart(name, filter, file, advice) {
  return {
    name,
    setup(b) {
      b.onResolve({ filter }, (args) =>
        args.kind === "dynamic-import"
          ? { path: `./${file}`, external: true }
          : { errors: [{ text: `${args.importer}: ${advice}` }] },
      );
    },
  };
}

/**
 * undici apart, in dist/undici.js: its 0.73 MB (all of undici: the public entry loads fetch,
 * WebSocket, caches and mocks too) are read and compiled on the first upstream request instead of
 * at every start (Node 20: 227 -> 199 ms to the tools/list answer, docs/performance.md).
 */
const undiciApart = apart(
  "undici-apart",
  /^undici$/,
  UNDICI_FILE,
  'import undici with import() (a value import would load it at start-up); types with "import type"',
);

/** The chart view apart, in dist/view.js: its ~370 KB are read when a client first reads the view. */
const viewApart = apart(
  "view-apart",
  /[\\/]view[\\/]chart\.html$/,
  VIEW_FILE,
  "import the chart view with import()",
);

/** Gives an ESM bundle the `require` its CommonJS dependencies call. */
const REQUIRE_BANNER =
  "import { createRequire as __cdmCreateRequire } from 'node:module';\nconst require = __cdmCreateRequire(import.meta.url);";

/** Writes `outdir`/undici.js: undici bundled as an ES module exporting UNDICI_EXPORTS. */
export async function buildUndici(outdir) {
  await build({
    stdin: {
      contents: `export { ${UNDICI_EXPORTS.join(", ")} } from "undici";`,
      resolveDir: ROOT,
      sourcefile: "undici-entry.js",
    },
    absWorkingDir: ROOT,
    outfile: join(outdir, UNDICI_FILE),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20.18",
    legalComments: "none",
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [lazyBuiltins],
    banner: { js: REQUIRE_BANNER },
    logLevel: "warning",
  });
}

/** The esbuild options of dist/server.js; `overrides` for the benchmark's variants. */
export function bundleOptions(overrides = {}) {
  return {
    entryPoints: { server: "src/main.ts" },
    absWorkingDir: ROOT,
    outdir: "dist",
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20.18",
    sourcemap: true,
    legalComments: "none",
    minifyWhitespace: true,
    minifySyntax: true,
    loader: { ".md": "text" },
    plugins: [undiciApart, lazyBuiltins, lazyAjv, sdkGuards, viewApart],
    banner: { js: REQUIRE_BANNER },
    logLevel: "warning",
    ...overrides,
  };
}

/** The esbuild options of dist/main.js, the bin. It is not bundled: a few built-ins and, at run
 * time, ./server.js (so it imports whatever server.js sits beside it; the bench's floor uses that). */
export function binOptions(overrides = {}) {
  return {
    entryPoints: { main: "src/bin.ts" },
    absWorkingDir: ROOT,
    outdir: "dist",
    format: "esm",
    platform: "node",
    target: "node20.18",
    banner: { js: "#!/usr/bin/env node" },
    logLevel: "warning",
    ...overrides,
  };
}

export async function buildDist() {
  await rm(join(ROOT, "dist"), { recursive: true, force: true });
  await build(bundleOptions());
  await buildUndici(join(ROOT, "dist"));
  await writeViewModule(join(ROOT, "dist"));
  await build(binOptions());
  await chmod(join(ROOT, "dist", "main.js"), 0o755);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await buildDist();
}
