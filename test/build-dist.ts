/**
 * Global setup of the "dist" test tier: builds dist/ before any test that runs it, so a targeted
 * run (`npx vitest run test/e2e`) never tests an old build either.
 */
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function setup(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const r = spawnSync(process.execPath, ["scripts/build.mjs"], {
    cwd: root,
    stdio: "inherit",
    timeout: 120_000,
  });
  if (r.status !== 0)
    throw new Error(`scripts/build.mjs failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ""})`);
}
