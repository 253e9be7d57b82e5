/**
 * The V8 settings of the server process: main.ts sets them at start, and `npm run bench`
 * measures the answer's build time under the same ones. They are read by V8 when it acts (not
 * only at isolate creation), so they take effect from there. Measurements: docs/performance.md.
 * - --semi-space-growth-factor=1: the young generation keeps its initial size instead of doubling
 *   to 16-32 MiB under a burst of calls; a call leaves little behind, so scavenges stay cheap.
 * - --liftoff-only: undici's HTTP parser (llhttp, WebAssembly) is compiled once by the baseline
 *   compiler and never re-compiled by TurboFan on a worker thread, whose compile memory stayed
 *   resident (+10 MiB on some first calls). Parsing one small response is microseconds either way.
 */
export const V8_FLAGS: readonly string[] = ["--semi-space-growth-factor=1", "--liftoff-only"];
