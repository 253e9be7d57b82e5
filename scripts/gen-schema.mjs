// `npm run schema`: writes the tool's published input schema, src/widget/input-schema.json, from
// its zod source, src/widget/schema.ts. The server publishes the JSON file (bundled as data), so
// zod and zod-to-json-schema never load in the server. test/widget/input-schema.test.ts
// regenerates the text through generateSchemaText() and fails on any difference.
import { writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SCHEMA_SOURCE = join(ROOT, "src", "widget", "schema.ts");
export const SCHEMA_FILE = join(ROOT, "src", "widget", "input-schema.json");

/** The JSON text src/widget/schema.ts's buildInputJsonSchema() gives (bundled in memory, zod and all). */
export async function generateSchemaText() {
  const result = await build({
    entryPoints: [SCHEMA_SOURCE],
    absWorkingDir: ROOT,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20.18",
    write: false,
    logLevel: "warning",
  });
  const code = result.outputFiles[0].text;
  const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  return `${JSON.stringify(mod.buildInputJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await writeFile(SCHEMA_FILE, await generateSchemaText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
