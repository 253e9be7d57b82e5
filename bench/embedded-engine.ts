/**
 * Benchmark of the embedded backend's engine (not a test: nothing here asserts time).
 *
 * The goal: one bar query (avg of duration per day; filters: timestamp gte now-30d AND success
 * eq true) over 1,000,000 calls in under 1 s on a 2-core machine. Prints rows per second, the
 * cold run (columns built on first use), warm runs, and the ratio to a plain loop over the row
 * objects measured in the same run.
 *
 * Run:
 *   npx esbuild bench/embedded-engine.ts --bundle --platform=node --format=esm \
 *     --outfile=.bench-tmp/embedded-engine.mjs && node --max-old-space-size=6144 .bench-tmp/embedded-engine.mjs [count]
 */
import { performance } from "node:perf_hooks";
import type { CallLog } from "../src/embedded/calls.js";
import { generateDemoCalls } from "../src/embedded/dataset.js";
import { type BarItemOut, computeWidget, createCallStore } from "../src/embedded/engine.js";
import { resolveDatetime, toIso } from "../src/widget/time.js";
import type { WidgetQuery } from "../src/widget/types.js";

const COUNT = Number(process.argv[2] ?? 1_000_000);
const WARM_RUNS = 7;
const NOW = Date.parse("2026-03-15T12:00:00Z");
const DAY = 86_400_000;

const QUERY: WidgetQuery = {
  chart_type: "bar",
  field: "duration",
  aggregation_function: "avg",
  time_period: "day",
  filters: {
    operator: "and",
    conditions: [
      { field: "timestamp", op: "gte", value: "now-30d" },
      { field: "success", op: "eq", value: true },
    ],
  },
};

const ms = (t: number) => `${t.toFixed(1)} ms`;
const rate = (rows: number, t: number) => `${(((rows / t) * 1000) / 1e6).toFixed(1)} M rows/s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The same question answered by a plain loop over the row objects: the baseline. */
function plainLoop(calls: readonly CallLog[]): BarItemOut[] {
  const start = resolveDatetime("now-30d", NOW, "start")!;
  const buckets = new Map<number, { sum: number; n: number }>();
  for (const c of calls) {
    if (c.timestamp < start || c.success !== true || c.duration === null) continue;
    const day = Math.floor(c.timestamp / DAY) * DAY;
    const b = buckets.get(day);
    if (b) {
      b.sum += c.duration;
      b.n++;
    } else buckets.set(day, { sum: c.duration, n: 1 });
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([day, b]) => ({ time_interval: toIso(day), value: b.sum / b.n, sample_count: b.n }));
}

function main(): void {
  let t = performance.now();
  const calls = generateDemoCalls({ count: COUNT, now: NOW, days: 45, seed: 7 });
  const genMs = performance.now() - t;

  t = performance.now();
  const store = createCallStore(calls);
  const storeMs = performance.now() - t;

  const runOnce = () => {
    const t0 = performance.now();
    const r = computeWidget(store, QUERY, NOW);
    const dt = performance.now() - t0;
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return { dt, data: r.value.data as BarItemOut[] };
  };
  const cold = runOnce();
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) warm.push(runOnce().dt);

  const base: number[] = [];
  let baseData: BarItemOut[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const t0 = performance.now();
    baseData = plainLoop(store.rows);
    base.push(performance.now() - t0);
  }
  const same =
    baseData.length === cold.data.length &&
    baseData.every(
      (b, i) =>
        b.time_interval === cold.data[i]!.time_interval &&
        b.sample_count === cold.data[i]!.sample_count &&
        Math.abs(b.value - cold.data[i]!.value) < 1e-9,
    );

  const w = median(warm);
  const b = median(base);
  const lines = [
    `local engine benchmark: ${COUNT.toLocaleString("en")} calls (demo generator, 45 days), node ${process.version}`,
    `query: bar avg(duration) per day, timestamp gte now-30d AND success eq true → ${cold.data.length} buckets, ${cold.data.reduce((n, x) => n + x.sample_count, 0).toLocaleString("en")} calls aggregated`,
    `generate ${ms(genMs)}; createCallStore ${ms(storeMs)}`,
    `cold query (builds columns): ${ms(cold.dt)}  ${rate(COUNT, cold.dt)}`,
    `warm query, median of ${WARM_RUNS}: ${ms(w)}  ${rate(COUNT, w)}`,
    `plain loop over row objects, median of ${WARM_RUNS}: ${ms(b)}  ${rate(COUNT, b)}`,
    `ratio plain loop / engine (warm): ${(b / w).toFixed(2)}x; results identical: ${same}`,
    `goal (< 1000 ms for the cold query): ${cold.dt < 1000 ? "met" : "NOT met"}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main();
