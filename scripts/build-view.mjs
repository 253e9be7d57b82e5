// Builds the MCP App chart view: src/view/main.ts bundled for the browser (Chart.js with only the
// parts it registers, the official App class) and inlined with its CSS into src/view/chart.html,
// giving ONE self-contained HTML text: no external script, style, font or request, nothing that
// needs eval, so it runs under the MCP Apps default CSP. scripts/build.mjs writes it beside the
// server bundle as dist/view.js (writeViewModule), which the server imports on the first read of
// the view; vitest.config.ts uses buildViewHtml.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const VIEW_TEMPLATE = join(ROOT, "src", "view", "chart.html");
/** The view is read once per conversation and never shown to the model; this bounds what it costs. */
export const VIEW_MAX_BYTES = 600 * 1024;
const PLACEHOLDER = "<!--VIEW_SCRIPT-->";

/**
 * zod (inside the App class) exports all of its ~40 message locales as one namespace, which the
 * bundle cannot tree-shake: 149 KB of a 480 KB view. The view never switches zod's locale, and
 * zod configures English itself (from locales/en.js, untouched), so the namespace gets English only.
 */
const zodEnglishOnly = {
  name: "zod-english-only",
  setup(b) {
    let used = false;
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => {
      used = true;
      return { contents: 'export { default as en } from "./en.js";', loader: "js" };
    });
    b.onEnd((result) => {
      if (result.errors.length === 0 && !used) {
        throw new Error("zod-english-only: zod's locales/index.js was not bundled; re-check the plugin");
      }
    });
  },
};

/** A TypeScript entry bundled for the browser as one IIFE (a classic inline script), in memory. */
export async function bundleForBrowser(entry, options = {}) {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    tsconfig: join(ROOT, "src", "view", "tsconfig.json"),
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "warning",
    ...options,
  });
  return result.outputFiles[0].text;
}

/** The view's script, minified; ASCII only (esbuild escapes the rest), so V8 holds it one byte per character. */
async function viewScript() {
  const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
  return bundleForBrowser(join(ROOT, "src", "view", "main.ts"), {
    minify: true,
    legalComments: "none",
    define: { VIEW_VERSION: JSON.stringify(pkg.version) },
    plugins: [zodEnglishOnly],
  });
}

/** The view's whole HTML; throws if it could break out of its script tag or outgrows its bound. */
export async function buildViewHtml() {
  const [template, script] = await Promise.all([readFile(VIEW_TEMPLATE, "utf8"), viewScript()]);
  if (/<\/script/i.test(script) || script.includes("<!--")) {
    throw new Error("build-view: the bundled script holds </script or <!--, which would end its inline tag");
  }
  if (template.split(PLACEHOLDER).length !== 2)
    throw new Error(`build-view: ${VIEW_TEMPLATE} needs one ${PLACEHOLDER}`);
  const html = template.replace(PLACEHOLDER, () => `<script>${script}</script>`);
  const bytes = Buffer.byteLength(html);
  if (bytes > VIEW_MAX_BYTES) {
    throw new Error(`build-view: the view weighs ${bytes} bytes, over its bound of ${VIEW_MAX_BYTES}`);
  }
  return html;
}

/** The file beside the server bundle that holds the view (writeViewModule writes it). */
export const VIEW_FILE = "view.js";

/** Writes `outdir`/view.js: the view's HTML as the default export of an ES module. */
export async function writeViewModule(outdir) {
  const html = await buildViewHtml();
  await writeFile(join(outdir, VIEW_FILE), `export default ${JSON.stringify(html)};\n`);
}
