/**
 * The package's bin (dist/main.js): turns on Node's compile cache, then loads the server bundle
 * (dist/server.js, built from src/main.ts). The cache must be on before the bundle is compiled,
 * hence this separate file. Node >= 22.1 keeps V8's code for the bundle in
 * os.tmpdir()/node-compile-cache and reuses it on the next start (measured in docs/performance.md).
 * It is best effort: Node 20 has no such function, and any trouble with the directory means a
 * normal compile, never a failed start.
 */
import { mkdirSync, statSync } from "node:fs";
import * as nodeModule from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const enableCompileCache = (nodeModule as { enableCompileCache?: (dir?: string) => unknown })
  .enableCompileCache;
if (enableCompileCache && !process.env.NODE_COMPILE_CACHE) {
  try {
    // One plain mkdir first: Node 22's own recursive one spins forever under a TMPDIR such as
    // /proc/1 (measured), so the cache is only enabled on a directory known to exist.
    const dir = join(tmpdir(), "node-compile-cache");
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(dir).isDirectory()) throw error;
    }
    enableCompileCache(dir);
  } catch {
    // No cache: a normal compile.
  }
}
await import(new URL("./server.js", import.meta.url).href);
