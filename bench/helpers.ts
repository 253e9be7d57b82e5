/**
 * In-process parts of `npm run bench` (bench/run.mjs bundles this file with esbuild into
 * .bench-tmp/ and imports it): the embedded backend the spawned server talks to, and the
 * 100,000-point line answer. Nothing here measures time; run.mjs does.
 */
import { randomBytes } from "node:crypto";
import { generateDemoCalls } from "../src/embedded/dataset.js";
import { computeWidget } from "../src/embedded/engine.js";
import { startEmbeddedListener } from "../src/embedded/listener.js";
import { createCallStore } from "../src/embedded/store.js";
import { answerSize, buildAnswer, DEFAULT_BUDGET_CHARS, type ToolAnswer } from "../src/report/index.js";
import { type PreviewResponse, parsePreviewResponse } from "../src/widget/response.js";
import type { TimeWindow, WidgetQuery } from "../src/widget/types.js";
import { validateWidgetQuery } from "../src/widget/validate.js";

export interface BenchBackend {
  url: string;
  apiKey: string;
  /** Bodies of the requests the backend received, in order (kept only while `record` is on). */
  bodies: string[];
  record: boolean;
  close(): Promise<void>;
}

/** The embedded Cekura-compatible backend with the demo calls (20,000), on 127.0.0.1. */
export async function startBenchBackend(): Promise<BenchBackend> {
  const apiKey = randomBytes(24).toString("base64url");
  const store = createCallStore(generateDemoCalls());
  const state: BenchBackend = {
    url: "",
    apiKey,
    bodies: [],
    record: false,
    close: async () => {},
  };
  const backend = await startEmbeddedListener({
    store,
    apiKey,
    mode: "demo",
    onRequest: (r) => {
      if (state.record) state.bodies.push(r.body);
    },
  });
  state.url = backend.url;
  state.close = () => backend.close();
  return state;
}

export interface LineCase {
  query: WidgetQuery;
  window: TimeWindow;
  response: PreviewResponse;
  /** JSON.stringify of the response body: what a server that returns the raw JSON answers. */
  rawChars: number;
  points: number;
}

/**
 * A line chart of exactly `points` points, computed by the embedded engine over demo calls (one
 * point per call that has a duration; a few more calls are generated and the list is cut to
 * `points`), then read as the tool reads a response.
 */
export function lineCase(points: number): LineCase {
  return widgetCase(
    { chart_type: "line", field: "duration", filters: { field: "timestamp", op: "gte", value: "now-30d" } },
    Math.ceil(points * 1.05),
    points,
  );
}

/**
 * Any widget query over `count` demo calls (29 days, all inside now-30d), answered by the embedded
 * engine; a list of data is cut to `maxItems`.
 */
export function widgetCase(args: Record<string, unknown>, count: number, maxItems = Infinity): LineCase {
  const now = Date.parse("2026-03-15T12:00:00Z");
  const store = createCallStore(generateDemoCalls({ count, now, days: 29, seed: 11 }));
  const checked = validateWidgetQuery(args, { now, defaultStart: "now-7d" });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const computed = computeWidget(store, checked.query, now);
  if (!computed.ok) throw new Error(JSON.stringify(computed.error));
  const body: Record<string, unknown> = { ...computed.value };
  if (Array.isArray(body.data) && body.data.length > maxItems) body.data = body.data.slice(0, maxItems);
  // Through JSON, as it arrives over HTTP.
  const text = JSON.stringify(body);
  const parsed = parsePreviewResponse(JSON.parse(text), checked.query.chart_type);
  if (!parsed.ok) throw new Error(parsed.error.message);
  const data = parsed.value.data;
  return {
    query: checked.query,
    window: checked.window,
    response: parsed.value,
    rawChars: text.length,
    points: Array.isArray(data) ? data.length : 0,
  };
}

export function answerFor(c: LineCase, budgetChars = DEFAULT_BUDGET_CHARS): ToolAnswer {
  return buildAnswer({
    query: c.query,
    window: c.window,
    response: c.response,
    source: { kind: "live" },
    notes: [],
    budgetChars,
  });
}

export { V8_FLAGS } from "../src/shared/v8-flags.js";
export { answerSize, DEFAULT_BUDGET_CHARS };

/**
 * The answer to a `points`-point line chart built once cold, then `runs` more times: its size,
 * the raw JSON's, and the build times (ms). run.mjs calls this in a child process that runs with
 * the server's V8 settings (V8_FLAGS), so the times are the server's.
 */
export function measureLineAnswer(points: number, runs: number) {
  const c = lineCase(points);
  let t0 = performance.now();
  let answer = answerFor(c);
  const cold = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    t0 = performance.now();
    answer = answerFor(c);
    times.push(performance.now() - t0);
  }
  return {
    points: c.points,
    rawChars: c.rawChars,
    size: answerSize(answer),
    budget: DEFAULT_BUDGET_CHARS,
    cold,
    times,
  };
}
