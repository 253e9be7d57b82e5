// Preloaded (node --expose-gc -r bench/gc-probe.cjs) into the server that bench/run.mjs uses for
// its leak check only, never into the one whose time or RSS it reports. On SIGUSR2: two full
// garbage collections, then the live heap on stderr, where the bench reads it.
process.on("SIGUSR2", () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  process.stderr.write(`BENCH_HEAP ${m.heapUsed} ${m.rss}\n`);
});
