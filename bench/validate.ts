/**
 * Benchmark of validateWidgetQuery (not a test: nothing here asserts time): CPU per call for
 * three valid queries (one condition; an and-group with an in-list and a metadata key; filters
 * as a JSON string) and one with slips (unknown argument, typo, alias, case).
 *
 * Run (add --no-turbofan for the live server's V8 settings, src/shared/v8-flags.ts):
 *   npx esbuild bench/validate.ts --bundle --platform=node --format=esm \
 *     --outfile=.bench-tmp/validate.mjs && node .bench-tmp/validate.mjs [calls per query]
 */
import { validateWidgetQuery } from "../src/widget/validate.js";

const CALLS = Number(process.argv[2] ?? 50_000);
const OPTIONS = { now: Date.parse("2026-03-15T12:00:00Z"), defaultStart: "now-7d", maxWindowDays: 30 };
const QUERIES: Record<string, unknown> = {
  "one condition": {
    chart_type: "bar",
    field: "success",
    aggregation_function: "avg",
    time_period: "day",
    filters: { field: "timestamp", op: "gte", value: "now-7d" },
  },
  "and-group": {
    chart_type: "pie",
    field: "call_ended_reason",
    filters: {
      operator: "and",
      conditions: [
        { field: "timestamp", op: "gte", value: "now-14d" },
        { field: "agent.id", op: "in", value: [1, 2, 3] },
        { field: "metadata.region", op: "eq", value: "eu" },
      ],
    },
  },
  "JSON string": {
    chart_type: "line",
    field: "duration",
    filters: '{"field":"timestamp","op":"gte","value":"now-3d"}',
  },
  slips: { chart: "bar", field: "sucess", aggregation_function: "average", time_period: "Day" },
};

for (let i = 0; i < 20_000; i++) for (const q of Object.values(QUERIES)) validateWidgetQuery(q, OPTIONS);
for (const [name, q] of Object.entries(QUERIES)) {
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) validateWidgetQuery(q, OPTIONS);
  const used = process.cpuUsage(start);
  process.stdout.write(`${name}: ${((used.user + used.system) / CALLS).toFixed(2)} µs CPU a call\n`);
}
