/**
 * Global setup of the "dist" test tier: makes sure dist/ is built from the sources as they are now,
 * so no run, targeted ones included (`npx vitest run test/e2e`), tests an old build. It builds
 * unless dist/main.js, server.js, undici.js and view.js are the very files it built last from
 * inputs with the same content (a hash of src/, prompts/, the build script and the package files), recorded in
 * node_modules/.cache/.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const INPUTS = [
  "src",
  "prompts",
  "scripts/build.mjs",
  "scripts/build-view.mjs",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
];
const RECORD = join(ROOT, "node_modules", ".cache", "cekura-dist-build.json");
const BIN = join(ROOT, "dist", "main.js");
/** The bundle the bin imports, and the files the bundle imports on first use (undici, the view). */
const SERVER = join(ROOT, "dist", "server.js");
const UNDICI = join(ROOT, "dist", "undici.js");
const VIEW = join(ROOT, "dist", "view.js");

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function inputsHash(): string {
  const hash = createHash("sha256");
  for (const f of INPUTS.flatMap(files).sort()) hash.update(`${f}\0`).update(readFileSync(join(ROOT, f)));
  return hash.digest("hex");
}

const fileHash = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
/** The built files' hash: the bin, the bundle it imports, undici and the view. */
const BUILT = [BIN, SERVER, UNDICI, VIEW];
const builtHash = () => (BUILT.every((f) => existsSync(f)) ? BUILT.map(fileHash).join(":") : "");

export function setup(): void {
  const inputs = inputsHash();
  try {
    const last = JSON.parse(readFileSync(RECORD, "utf8")) as { inputs: string; bin: string };
    if (last.inputs === inputs && last.bin !== "" && last.bin === builtHash()) return;
  } catch {
    // no record yet: build
  }
  const r = spawnSync(process.execPath, ["scripts/build.mjs"], {
    cwd: ROOT,
    stdio: "inherit",
    timeout: 120_000,
  });
  if (r.status !== 0) {
    throw new Error(`scripts/build.mjs failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ""})`);
  }
  mkdirSync(dirname(RECORD), { recursive: true });
  writeFileSync(RECORD, JSON.stringify({ inputs, bin: builtHash() }));
}
