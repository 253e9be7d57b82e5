/**
 * fast-check settings for the suite's properties. Each property runs from a fixed seed, so every
 * `npm test` (and CI) runs the same cases: a failure is a real bug, reproducible as printed.
 *
 * To explore beyond those cases, set FC_SEED=random (or a seed fast-check printed) and FC_RUNS to
 * run more cases than the property's own count (never fewer):
 *
 *   FC_SEED=random FC_RUNS=100000 npx vitest run test/widget test/report test/hardening/hostile-input.test.ts
 */
export function propertyRuns(numRuns: number, seed: number): { numRuns: number; seed?: number } {
  const runs = Number(process.env.FC_RUNS);
  const wanted = process.env.FC_SEED;
  const out: { numRuns: number; seed?: number } = {
    numRuns: Number.isSafeInteger(runs) && runs > numRuns ? runs : numRuns,
  };
  if (wanted === undefined || wanted === "") out.seed = seed;
  else if (wanted !== "random") {
    const n = Number(wanted);
    if (!Number.isSafeInteger(n)) throw new Error(`FC_SEED must be an integer or "random"; got ${wanted}`);
    out.seed = n;
  }
  return out;
}
