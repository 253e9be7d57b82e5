/**
 * Benchmark of the calls-file loader (not a test: nothing here asserts time).
 *
 * Writes an NDJSON file of 1,000,000 demo calls (widget shape, ISO timestamps) into the system's
 * temporary directory, loads it with loadCallsFile, prints rows per second, and deletes the file.
 * For scale it also times the floor in the same run: reading the file and JSON.parse of every
 * line, keeping nothing. Two files: the demo calls as generated (about 650 bytes a row: four
 * metric evaluations), and lean rows without evaluations (about 360 bytes a row).
 * The goal: well under 10 s for a million rows of 300-400 bytes.
 *
 * Run:
 *   npx esbuild bench/embedded-load.ts --bundle --platform=node --format=esm \
 *     --outfile=.bench-tmp/embedded-load.mjs && node .bench-tmp/embedded-load.mjs [count]
 */
import { closeSync, openSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { CallLog } from "../src/embedded/calls.js";
import { demoCalls } from "../src/embedded/dataset.js";
import { loadCallsFile } from "../src/embedded/loader.js";

const count = Number(process.argv[2] ?? 1_000_000);
const now = Date.UTC(2025, 5, 15, 12, 0, 0);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function writeNdjson(file: string, shape: (c: CallLog) => CallLog): void {
  const fd = openSync(file, "w");
  try {
    let batch: string[] = [];
    let batchBytes = 0;
    for (const call of demoCalls({ count, now, seed: 7 })) {
      const line = JSON.stringify({ ...shape(call), timestamp: new Date(call.timestamp).toISOString() });
      batch.push(line);
      batchBytes += line.length;
      if (batchBytes > 1 << 22) {
        writeSync(fd, `${batch.join("\n")}\n`);
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length > 0) writeSync(fd, `${batch.join("\n")}\n`);
  } finally {
    closeSync(fd);
  }
}

/** Read and JSON.parse every line, keeping nothing: what any loader must at least spend. */
function floor(file: string): number {
  const fd = openSync(file, "r");
  const buf = Buffer.allocUnsafe(4 << 20);
  let carry = "";
  let parsed = 0;
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      const lines = (carry + buf.toString("latin1", 0, n)).split("\n");
      carry = lines.pop() ?? "";
      for (const line of lines) if (line.length > 0 && JSON.parse(line) !== null) parsed++;
    }
  } finally {
    closeSync(fd);
  }
  return parsed;
}

async function run(label: string, shape: (c: CallLog) => CallLog): Promise<string[]> {
  const file = join(tmpdir(), `cekura-embedded-load-${process.pid}.ndjson`);
  try {
    let t = performance.now();
    writeNdjson(file, shape);
    const writeMs = performance.now() - t;
    const size = statSync(file).size;

    t = performance.now();
    const parsed = floor(file);
    const floorMs = performance.now() - t;

    const heapBefore = process.memoryUsage().heapUsed;
    t = performance.now();
    const cpuBefore = process.cpuUsage();
    const loaded = await loadCallsFile(file);
    const loadMs = performance.now() - t;
    const cpu = process.cpuUsage(cpuBefore);
    if (!loaded.ok) throw new Error(loaded.error.message);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    const rows = loaded.value.calls.length;
    if (rows !== parsed || loaded.value.skipped !== 0) throw new Error(`loaded ${rows} of ${parsed} rows`);
    return [
      `${label}: ${count} rows, file ${mb(size)} (${Math.round(size / count)} bytes/row), generated and written in ${seconds(writeMs)}`,
      `  load ${seconds(loadMs)} = ${Math.round(rows / (loadMs / 1000)).toLocaleString("en-US")} rows/s, ${mb(size / (loadMs / 1000))}/s; heap growth ${mb(heapGrowth)}`,
      `  (process CPU during the load ${seconds((cpu.user + cpu.system) / 1000)}, GC threads included: wall far above it means a busy machine)`,
      `  floor (read + JSON.parse only) ${seconds(floorMs)}; load / floor = ${(loadMs / floorMs).toFixed(2)}`,
    ];
  } finally {
    rmSync(file, { force: true });
  }
}

const out = [
  ...(await run("demo rows", (c) => c)),
  ...(await run("lean rows", (c) => ({ ...c, metric_evaluations: [] }))),
];
process.stdout.write(`${out.join("\n")}\n`);
