// `npm run bench` (after `npm run build`): the performance goals of the server, measured side by
// side with their references in ONE run and printed as a table. Nothing else checks timing:
// tests never assert time.
//
//   node bench/run.mjs [--engine] [--engine-count=N] [--quick] [--node=PATH]
//
//   --engine        also run bench/embedded-engine.ts (1,000,000 calls) and bench/embedded-load.ts
//                   (1,000,000-row NDJSON file); they take a minute or more.
//   --engine-count  the call count for both (default 1,000,000).
//   --quick         fewer runs, for trying changes out (the goals still print).
//   --node=PATH     the node binary that runs the server, `node -e 0` and the answer's child
//                   (default: the one running this script; BENCH_NODE=PATH does the same), e.g.
//                   /tmp/node22/node_modules/node/bin/node after `npm install --prefix /tmp/node22 node@22`.
//
// BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=.bench-tmp" passes node flags to every
// spawned server (for finding where time goes; the numbers then include the profiler).
// BENCH_BIN=path/to/main.js measures another build of the server (A/B of build options).
//
// The machine is shared and noisy: every comparison alternates its two sides, reports medians,
// and warms up first. Network: 127.0.0.1 only (the embedded backend, started here). Every loop is
// bounded in count and every wait in time.
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { Agent, request } from "undici";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TMP = join(ROOT, ".bench-tmp");
const BIN = resolve(process.env.BENCH_BIN ?? join(ROOT, "dist", "main.js"));
const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const ENGINE = argv.includes("--engine");
const NODE = resolve(
  argv.find((a) => a.startsWith("--node="))?.slice(7) ?? process.env.BENCH_NODE ?? process.execPath,
);
const ENGINE_COUNT = Number(argv.find((a) => a.startsWith("--engine-count="))?.split("=")[1] ?? 1_000_000);

const N = {
  startRuns: QUICK ? 8 : 20,
  startWarm: QUICK ? 1 : 3,
  callWarm: 50,
  batch: 1_000,
  /** Calls before the RSS and CPU goals are read: RSS after all of them, growth over the last half. */
  calls: 10_000,
  pairs: QUICK ? 100 : 300,
  answerRuns: QUICK ? 5 : 15,
  /** Rounds of N.batch calls in the leak check; its slope is read over the second half. */
  leakRounds: 10,
};
const MIB = 1024 * 1024;
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
const REQUEST_TIMEOUT_MS = 15_000;
const BENCH_DEADLINE = Date.now() + 15 * 60_000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const checkDeadline = () => {
  if (Date.now() > BENCH_DEADLINE) throw new Error("benchmark deadline (15 min) passed");
};

// ------------------------------------------------------------------------------- child process

/** Env for the server: nothing inherited but PATH and HOME (no stray CEKURA_* from the shell). */
const serverEnv = (extra) => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...extra });

/** A spawned server spoken to with raw JSON-RPC lines (no SDK client: it would be measured too). */
class RawServer {
  constructor(env, nodeArgs = [], bin = BIN) {
    this.child = spawn(NODE, [...SERVER_NODE_ARGS, ...nodeArgs, bin], {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.pending = new Map();
    this.nextId = 1;
    this.stderr = "";
    this.exited = new Promise((r) => this.child.once("exit", (code, signal) => r({ code, signal })));
    let buffer = "";
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk) => {
      buffer += chunk;
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.onLine(line, performance.now());
        nl = buffer.indexOf("\n");
      }
    });
    this.child.stderr.setEncoding("utf8");
    this.heapProbes = [];
    this.child.stderr.on("data", (c) => {
      this.stderr = (this.stderr + c).slice(-4000);
      for (const m of c.matchAll(/^BENCH_HEAP (\d+) (\d+)$/gm)) this.heapProbes.push(Number(m[1]));
    });
    this.child.once("exit", () => {
      for (const p of this.pending.values()) p.reject(new Error(`server exited; stderr: ${this.stderr}`));
      this.pending.clear();
    });
  }

  onLine(line, at) {
    if (line.trim() === "") return;
    const msg = JSON.parse(line);
    if (msg.id === undefined || msg.method !== undefined) return; // notifications, server requests
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error) p.reject(new Error(`${p.method}: ${JSON.stringify(msg.error)}`));
    else p.resolve({ result: msg.result, chars: line.length, at });
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no answer in ${REQUEST_TIMEOUT_MS} ms; stderr: ${this.stderr}`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer, method });
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  }

  notify(method, params) {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method, ...(params ? { params } : {}) })}\n`);
  }

  /** initialize → notifications/initialized → tools/list; resolves with the tools/list answer. */
  async handshake() {
    await this.request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "bench", version: "1.0.0" },
    });
    this.notify("notifications/initialized");
    return this.request("tools/list", {});
  }

  rssBytes() {
    const status = readFileSync(`/proc/${this.child.pid}/status`, "utf8");
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return kb * 1024;
  }

  /** Anonymous memory of the server: RSS without file pages (the node binary's code, shared libraries). */
  anonBytes() {
    const rollup = readFileSync(`/proc/${this.child.pid}/smaps_rollup`, "utf8");
    return Number(/^Anonymous:\s+(\d+)\s+kB/m.exec(rollup)?.[1]) * 1024;
  }

  /** CPU time of the server process (all its threads), in ns: the sum of each thread's schedstat. */
  cpuNs() {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${this.child.pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${this.child.pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // the thread ended between the listing and the read
      }
    }
    return ns;
  }

  /** Live heap after full GCs (the server must run with --expose-gc -r bench/gc-probe.cjs). */
  async liveHeapBytes() {
    const before = this.heapProbes.length;
    this.child.kill("SIGUSR2");
    for (let i = 0; i < 100 && this.heapProbes.length === before; i++) await sleep(20);
    if (this.heapProbes.length === before) throw new Error("no heap probe answer in 2 s");
    return this.heapProbes[this.heapProbes.length - 1];
  }

  /** Closes stdin (the server shuts down on it); SIGKILL after 3 s. */
  async stop() {
    this.child.stdin.end();
    const killer = setTimeout(() => this.child.kill("SIGKILL"), 3000);
    await this.exited;
    clearTimeout(killer);
  }
}

function nodeE0() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(NODE, ["-e", "0"], { stdio: ["pipe", "pipe", "pipe"] });
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("error", reject);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve(performance.now() - t0);
    });
  });
}

async function serverToToolsList(env, bin = BIN) {
  const t0 = performance.now();
  const s = new RawServer(env, [], bin);
  try {
    const list = await s.handshake();
    return { ms: list.at - t0, chars: list.chars, tools: list.result.tools };
  } finally {
    await s.stop();
  }
}

// ------------------------------------------------------------------------------------ measures

const rows = [];
const row = (measure, ours, reference, ratio, goal, pass) =>
  rows.push({ measure, ours, reference, ratio, goal, pass: pass === null ? "-" : pass ? "yes" : "NO" });
const fmt = (x, digits = 1) => x.toFixed(digits);

async function startUp(env, floorBin) {
  for (let i = 0; i < N.startWarm; i++) {
    await nodeE0();
    await serverToToolsList(env);
    await serverToToolsList(env, floorBin);
  }
  const ours = [];
  const base = [];
  const floor = [];
  let last;
  for (let i = 0; i < N.startRuns; i++) {
    checkDeadline();
    // Rotate which side goes first, so a slow moment of the machine hits all alike.
    const sides = [
      async () => base.push(await nodeE0()),
      async () => {
        last = await serverToToolsList(env);
        ours.push(last.ms);
      },
      async () => floor.push((await serverToToolsList(env, floorBin)).ms),
    ];
    for (let k = 0; k < sides.length; k++) await sides[(i + k) % sides.length]();
  }
  const o = median(ours);
  const b = median(base);
  const f = median(floor);
  row(
    `start-up: spawn → tools/list answer (median of ${N.startRuns})`,
    `${fmt(o)} ms`,
    `node -e 0: ${fmt(b)} ms`,
    fmt(o / b, 2),
    "≤ 1.80",
    o / b <= 1.8,
  );
  row(
    "  … the floor: the SDK's Server alone (bench/floor-server.ts), same build",
    `${fmt(f)} ms`,
    `node -e 0: ${fmt(b)} ms`,
    fmt(f / b, 2),
    "(info)",
    null,
  );
  const schemaChars = JSON.stringify(last.tools[0].inputSchema).length;
  return { listChars: last.chars, schemaChars };
}

function rawPost(agent, url, apiKey, body) {
  return request(url, {
    method: "POST",
    dispatcher: agent,
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      "user-agent": "cekura-bench",
      "x-cekura-api-key": apiKey,
    },
    body,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  }).then(async (res) => {
    const json = await res.body.json();
    if (res.statusCode !== 200) throw new Error(`raw POST: HTTP ${res.statusCode} ${JSON.stringify(json)}`);
    return json;
  });
}

const CALL_ARGS = { chart_type: "bar", field: "duration", aggregation_function: "avg", time_period: "day" };

async function roundTrips(helpers) {
  const backend = await helpers.startBenchBackend();
  const agent = new Agent({ connections: 16 });
  const server = new RawServer(serverEnv({ CEKURA_API_KEY: backend.apiKey, CEKURA_BASE_URL: backend.url }));
  try {
    await server.handshake();
    await sleep(300);
    const rssStart = server.rssBytes();

    const call = async () => {
      const t0 = performance.now();
      const r = await server.request("tools/call", { name: "preview_widget_data", arguments: CALL_ARGS });
      if (r.result.isError) throw new Error(`tools/call failed: ${r.result.content[0].text}`);
      return r.at - t0;
    };

    // The body the server sends upstream, to POST the very same one directly.
    backend.record = true;
    await call();
    backend.record = false;
    const body = backend.bodies[0];
    const url = `${backend.url}/dashboards/widgets/preview_data/`;
    const raw = async () => {
      const t0 = performance.now();
      await rawPost(agent, url, backend.apiKey, body);
      return performance.now() - t0;
    };

    // A batch of N.batch sequential calls; with `cpu`, each call's CPU time in the server too.
    const cpu = [];
    const batch = async (withCpu = false) => {
      const t0 = performance.now();
      for (let i = 0; i < N.batch; i++) {
        if (i % 100 === 0) checkDeadline();
        const c0 = withCpu ? server.cpuNs() : 0;
        await call();
        if (withCpu) cpu.push((server.cpuNs() - c0) / 1e6);
      }
      return { ms: performance.now() - t0, rate: (N.batch / (performance.now() - t0)) * 1000 };
    };
    // The first 1,000 calls after start: the code on the call path is loaded (undici, the client)
    // and compiled by the JIT as it goes. Then up to N.calls in all, RSS read at half and at the
    // end (V8 lets garbage pile up in its old generation for thousands of calls before a full GC,
    // so growth is read over thousands). The last batch also reads the server's CPU per call.
    const batches = N.calls / N.batch;
    const rate1 = (await batch()).rate;
    const sustained = [];
    let rssHalf = 0;
    for (let b = 2; b <= batches; b++) {
      sustained.push(await batch(b === batches));
      if (b === batches / 2) {
        await sleep(300);
        rssHalf = server.rssBytes();
      }
    }
    const rate2 = (((batches - 1) * N.batch) / sustained.reduce((t, b) => t + b.ms, 0)) * 1000;
    await sleep(300);
    const rssEnd = server.rssBytes();
    const anonEnd = server.anonBytes();

    for (let i = 0; i < N.callWarm; i++) await raw();

    const ours = [];
    const base = [];
    for (let i = 0; i < N.pairs; i++) {
      if (i % 50 === 0) checkDeadline();
      if (i % 2 === 0) {
        ours.push(await call());
        base.push(await raw());
      } else {
        base.push(await raw());
        ours.push(await call());
      }
    }
    const o = median(ours);
    const b = median(base);
    const limit = 1.5 * b + 2;
    row(
      `tools/call over stdio vs the same POST (median of ${N.pairs})`,
      `${fmt(o, 2)} ms`,
      `raw undici POST: ${fmt(b, 2)} ms`,
      fmt(o / b, 2),
      `≤ 1.5×ref + 2 ms = ${fmt(limit, 2)} ms`,
      o <= limit,
    );
    row(
      `first ${N.batch} sequential tools/call after start (cold JIT)`,
      `${fmt(rate1, 0)} calls/s`,
      "-",
      "-",
      "(info)",
      null,
    );
    row(
      `next ${batches - 1} × ${N.batch} sequential tools/call (sustained; each batch's rate →)`,
      `${fmt(rate2, 0)} calls/s`,
      sustained.map((b) => fmt(b.rate, 0)).join(", "),
      "-",
      "≥ 500 calls/s",
      rate2 >= 500,
    );
    const cpuMs = median(cpu);
    row(
      `server CPU per tools/call, all threads (median of the last ${N.batch}; max ${fmt(Math.max(...cpu), 2)} ms)`,
      `${fmt(cpuMs, 3)} ms`,
      "-",
      "-",
      "≤ 0.80 ms",
      cpuMs <= 0.8,
    );
    row("RSS after start + tools/list", `${fmt(rssStart / MIB)} MiB`, "-", "-", "(info)", null);
    row(
      `RSS after start + ${N.calls + 1} calls`,
      `${fmt(rssEnd / MIB)} MiB`,
      "-",
      "-",
      "≤ 80 MiB",
      rssEnd <= 80 * MIB,
    );
    row(
      "  … of which anonymous memory (not the node binary's file pages)",
      `${fmt(anonEnd / MIB)} MiB`,
      "-",
      "-",
      "(info)",
      null,
    );
    const grow = rssEnd - rssHalf;
    row(
      `RSS growth over the last ${N.calls / 2} calls`,
      `${grow >= 0 ? "+" : ""}${fmt(grow / MIB)} MiB`,
      "-",
      "-",
      "≤ +2 MiB",
      grow <= 2 * MIB,
    );
  } finally {
    await server.stop();
    await agent.close();
    await backend.close();
  }
}

/** A leak shows as live heap (after full GCs) that keeps growing with the calls; RSS cannot tell. */
/**
 * The floor's memory: bench/floor-server.ts through the same N.calls sequential tools/calls, RSS
 * read at half and at the end as for the server. What the chosen dependencies, built and tuned
 * like ours, keep resident doing the same I/O; the server's goals are read beside it.
 */
async function floorMemory(helpers, floorBin) {
  const backend = await helpers.startBenchBackend();
  const server = new RawServer(
    serverEnv({ CEKURA_API_KEY: backend.apiKey, CEKURA_BASE_URL: backend.url }),
    [],
    floorBin,
  );
  try {
    await server.handshake();
    let rssHalf = 0;
    for (let i = 1; i <= N.calls + 1; i++) {
      if (i % 100 === 0) checkDeadline();
      const r = await server.request("tools/call", { name: "preview_widget_data", arguments: CALL_ARGS });
      if (r.result.isError) throw new Error(`floor tools/call failed: ${r.result.content[0].text}`);
      if (i === N.calls / 2 + 1) {
        await sleep(300);
        rssHalf = server.rssBytes();
      }
    }
    await sleep(300);
    const rssEnd = server.rssBytes();
    const grow = rssEnd - rssHalf;
    row(
      `  … the floor (bench/floor-server.ts) after ${N.calls + 1} calls; growth over the last ${N.calls / 2}`,
      `${fmt(rssEnd / MIB)} MiB; ${grow >= 0 ? "+" : ""}${fmt(grow / MIB)} MiB`,
      `anonymous: ${fmt(server.anonBytes() / MIB)} MiB`,
      "-",
      "(info)",
      null,
    );
  } finally {
    await server.stop();
    await backend.close();
  }
}

/** Builds bench/floor-server.ts like dist/ (scripts/build.mjs), into .bench-tmp/floor/main.js. */
async function buildFloor() {
  const { bundleOptions, binOptions, buildUndici } = await import(
    pathToFileURL(join(ROOT, "scripts", "build.mjs")).href
  );
  const outdir = join(TMP, "floor");
  await build(bundleOptions({ entryPoints: { server: "bench/floor-server.ts" }, outdir, sourcemap: false }));
  await buildUndici(outdir);
  await build(binOptions({ outdir }));
  return join(outdir, "main.js");
}

async function leakCheck(helpers) {
  const backend = await helpers.startBenchBackend();
  const probe = join(ROOT, "bench", "gc-probe.cjs");
  const server = new RawServer(serverEnv({ CEKURA_API_KEY: backend.apiKey, CEKURA_BASE_URL: backend.url }), [
    "--expose-gc",
    "-r",
    probe,
  ]);
  try {
    await server.handshake();
    const live = [];
    for (let round = 0; round < N.leakRounds; round++) {
      for (let i = 0; i < N.batch; i++) {
        if (i % 100 === 0) checkDeadline();
        const r = await server.request("tools/call", { name: "preview_widget_data", arguments: CALL_ARGS });
        if (r.result.isError) throw new Error(`tools/call failed: ${r.result.content[0].text}`);
      }
      live.push(await server.liveHeapBytes());
    }
    // Least-squares slope over the second half of the rounds: the first thousands of calls load
    // code and warm the JIT up (on Node 22 the live heap rises ~1.5 MiB over the first 4,000 calls,
    // compiled code and feedback, then stays flat to 20,000: measured), a leak keeps rising.
    const from = Math.floor(live.length / 2);
    const ys = live.slice(from);
    const xs = ys.map((_, i) => i * N.batch);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const slope =
      xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    row(
      `live heap after full GC, every ${N.batch} calls (${N.leakRounds * N.batch})`,
      `${live.map((x) => fmt(x / MIB)).join(" ")} MiB`,
      "-",
      "-",
      "(info)",
      null,
    );
    row(
      `  … its slope from call ${(Math.floor(N.leakRounds / 2) + 1) * N.batch} to ${N.leakRounds * N.batch} (leak check)`,
      Number.isNaN(slope) ? "NaN bytes/call" : `${fmt(Math.round(slope) || 0, 0)} bytes/call`,
      "-",
      "-",
      "≤ 200 bytes/call",
      slope <= 200,
    );
  } finally {
    await server.stop();
    await backend.close();
  }
}

/**
 * The 100,000-point line answer, built in a child process on the chosen node with the server's V8
 * settings (set the way main.ts sets them), so its time is the server's, not this process's.
 */
async function answers(helpersFile) {
  const code = [
    'import { setFlagsFromString } from "node:v8";',
    `const h = await import(${JSON.stringify(pathToFileURL(helpersFile).href)});`,
    "for (const f of h.V8_FLAGS) setFlagsFromString(f);",
    `process.stdout.write(JSON.stringify(h.measureLineAnswer(100_000, ${N.answerRuns})));`,
  ].join("\n");
  const out = await captureChild(["--input-type=module", "-e", code], 5 * 60_000);
  const r = JSON.parse(out);
  row(
    `line of ${r.points.toLocaleString("en")} points: answer characters`,
    String(r.size),
    `raw JSON: ${r.rawChars}`,
    fmt(r.size / r.rawChars, 4),
    `≤ ${r.budget} (budget)`,
    r.size <= r.budget,
  );
  const m = median(r.times);
  row(
    `  … buildAnswer time, server's V8 settings (median of ${N.answerRuns})`,
    `${fmt(m)} ms`,
    "-",
    "-",
    "≤ 100 ms",
    m <= 100,
  );
  row("  … buildAnswer time, first run (cold JIT)", `${fmt(r.cold)} ms`, "-", "-", "(info)", null);
}

// ---------------------------------------------------------------------------------------- main

function printTable() {
  const headers = ["measure", "ours", "reference", "ratio", "goal", "pass"];
  const cells = rows.map((r) => headers.map((h) => String(r[h])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(" | ")} |`;
  const out = [line(headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)];
  process.stdout.write(`${out.join("\n")}\n`);
}

async function bundle(entry, name) {
  const outfile = join(TMP, name);
  await build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20.18",
    loader: { ".md": "text" },
    banner: {
      js: "import { createRequire as __benchCreateRequire } from 'node:module';\nconst require = __benchCreateRequire(import.meta.url);",
    },
    logLevel: "warning",
  });
  return outfile;
}

/** Runs `node args` and resolves with its stdout (stderr passes through). */
function captureChild(args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (c) => {
      out += c;
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(killer);
      code === 0 ? resolve(out) : reject(new Error(`node ${args[0]} … exited with ${code}`));
    });
  });
}

function runChild(args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, args, { stdio: ["ignore", "inherit", "inherit"] });
    const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(killer);
      code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited with ${code}`));
    });
  });
}

async function main() {
  await mkdir(TMP, { recursive: true });
  const helpersFile = await bundle("bench/helpers.ts", "helpers.mjs");
  const helpers = await import(pathToFileURL(helpersFile).href);
  process.stdout.write(
    `cekura-dashboards-mcp bench: node ${execFileSync(NODE, ["-p", "process.version"], { encoding: "utf8" }).trim()} (${NODE}), ${availableParallelism()} cores, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}${QUICK ? ", --quick" : ""}\n\n`,
  );

  const env = serverEnv({ CEKURA_API_KEY: "dummy", CEKURA_BASE_URL: "http://127.0.0.1:9" });
  const floorBin = await buildFloor();
  const { listChars, schemaChars } = await startUp(env, floorBin);
  await roundTrips(helpers);
  await floorMemory(helpers, floorBin);
  await leakCheck(helpers);
  await answers(helpersFile);
  row(
    "tools/list answer (JSON-RPC line), characters",
    String(listChars),
    "-",
    "-",
    "< 14000",
    listChars < 14000,
  );
  row("  … of which preview_widget_data's input schema", String(schemaChars), "-", "-", "(info)", null);
  printTable();
  process.stdout.write("\n");
  await runChild([join(ROOT, "bench", "hostile-input.mjs")], 10 * 60_000);

  if (ENGINE) {
    process.stdout.write(`\nbench/embedded-engine.ts (${ENGINE_COUNT} calls):\n`);
    const engine = await bundle("bench/embedded-engine.ts", "embedded-engine.mjs");
    await runChild(["--max-old-space-size=6144", engine, String(ENGINE_COUNT)], 10 * 60_000);
    process.stdout.write(`\nbench/embedded-load.ts (${ENGINE_COUNT} rows):\n`);
    const load = await bundle("bench/embedded-load.ts", "embedded-load.mjs");
    await runChild([load, String(ENGINE_COUNT)], 10 * 60_000);
  }
  if (rows.some((r) => r.pass === "NO")) process.exitCode = 1;
}

await main();
