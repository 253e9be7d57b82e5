// CPU per hostile tool argument (the figure test/hardening/hostile-input.test.ts used to assert):
// runs that test's 10,000+ generated arguments, in process, and prints the median, p99 and max
// of process.cpuUsage() per answer. The whole process is counted, so a GC or a compiler thread
// lands on a random input: the max is noisy, the median is the figure to compare.
//
//   node bench/hostile-input.mjs        (also part of `npm run bench`)
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TEST = "test/hardening/hostile-input.test.ts";
const TIMEOUT_MS = 5 * 60_000;

const dir = await mkdtemp(join(tmpdir(), "cekura-hostile-"));
const report = join(dir, "cpu.json");
try {
  const code = await new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", TEST, "-t", "10,000\\+ generated"],
      {
        cwd: ROOT,
        env: { ...process.env, HOSTILE_CPU_REPORT: report },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    const killer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.once("error", reject);
    child.once("exit", (c) => {
      clearTimeout(killer);
      resolvePromise(c);
    });
  });
  if (code !== 0) throw new Error(`vitest ${TEST} exited with ${code}`);
  const { cpu, slowest } = JSON.parse(await readFile(report, "utf8"));
  const sorted = [...cpu].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const ms = (x) => `${x.toFixed(2)} ms`;
  process.stdout.write(
    [
      `CPU per hostile tool argument (${sorted.length} answers, process.cpuUsage, node ${process.version}):`,
      `  median ${ms(at(0.5))}   p99 ${ms(at(0.99))}   max ${ms(sorted.at(-1))}`,
      `  slowest: ${slowest.args.slice(0, 200)}`,
      "",
    ].join("\n"),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
