/**
 * The V8 settings of the server process, by mode: main.ts sets them at start, and
 * `npm run bench` measures the answer's build time under the same ones.
 */
import type { Mode } from "../cli/config.js";

/**
 * V8 settings for a long-lived, mostly idle server that answers one small call at a time. These
 * are read by V8 when it acts (not only at isolate creation), so they take effect from here; the
 * ones that do not (--max-semi-space-size, --concurrent-recompilation, --v8-pool-size) are not set.
 * - --semi-space-growth-factor=1: the young generation keeps its initial size instead of doubling
 *   to 16-32 MiB under a burst of calls; a call leaves little behind, so scavenges stay cheap.
 * - --liftoff-only: undici's HTTP parser (llhttp, WebAssembly) is compiled once by the baseline
 *   compiler and never re-compiled by TurboFan on a worker thread, whose compile memory stayed
 *   resident (+10 MiB on some first calls). Parsing one small response is microseconds either way.
 * - --no-turbofan against the Cekura API (live mode): a call validates, forwards one small
 *   request and formats a small answer. TurboFan compiled the ~270 functions a call touches on
 *   V8's worker threads, and their malloc arenas kept ~6 MiB (glibc's trim threshold had grown to
 *   ~1.9 MB when the 0.94 MB buffer of the bundle's source was freed): +8 MiB of RSS after 1,000
 *   calls, never given back, for ~0.5 ms less CPU per call (1.3 vs 0.8 ms) and a 100,000-point
 *   line answer built in ~40 ms instead of ~8 ms. In demo and data modes the embedded engine runs
 *   in this process, generating or loading up to millions of rows and scanning them per query in
 *   tight loops: there TurboFan stays on (the demo's first call takes 0.19 s with it, 0.32 s
 *   without). `npm run bench` measures the live server with these settings.
 */
export function v8FlagsFor(mode: Mode): string[] {
  const flags = ["--semi-space-growth-factor=1", "--liftoff-only"];
  if (mode === "live") flags.push("--no-turbofan");
  return flags;
}
