/**
 * Promise 7, in process: property-based hostile arguments against the tool handler
 * (handlePreviewWidgetData) with a backend whose client records every body it is asked to send.
 *
 * - 10,000+ generated arguments: wrong types, 1 MB strings, nesting 1,000 deep, 100k-item arrays,
 *   `__proto__`/constructor keys, lone surrogates, RTL, emoji, NaN/Infinity/-0. None throws or
 *   hangs, none is answered `internal`, and every body that would go upstream validates again unchanged and holds no null, no "" where
 *   the API wants a value, and no key outside the API's field list.
 * - Valid queries generated from the catalogue pass unchanged (but for the default start).
 *
 * Failures are collected with short descriptions (a 1 MB counterexample must not flood the log).
 */
import { writeFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BackendProvider } from "../../src/server/backend.js";
import { createLogger } from "../../src/server/logging.js";
import { handlePreviewWidgetData, type ToolResult } from "../../src/server/tools/preview-widget-data.js";
import { ok } from "../../src/shared/errors.js";
import { createRedactor } from "../../src/shared/redact.js";
import type { UpstreamClient } from "../../src/upstream/client.js";
import {
  AGGREGATIONS,
  CHART_TYPES,
  DATA_TYPES,
  FILTER_FIELDS,
  GROUP_OPERATORS,
  OPERATORS,
  PLOT_FIELDS,
  REQUEST_FIELDS,
  TIME_PERIODS,
} from "../../src/widget/catalogue.js";
import { ARGUMENT_NAMES } from "../../src/widget/published-schema.js";
import { validateWidgetQuery } from "../../src/widget/validate.js";
import { answerFor } from "../helpers/fault-server.js";
import { propertyRuns } from "../helpers/property.js";
import { validQueryArbitrary } from "../helpers/valid-query.js";

const NOW = Date.parse("2026-06-15T12:34:56Z");
const DEFAULT_START = "now-7d";
/** Set by bench/hostile-input.mjs: where the per-input CPU figures go (tests assert no timing). */
const CPU_REPORT = process.env.HOSTILE_CPU_REPORT;
const KEY = "sk-hostile-canary-0123456789";

// ------------------------------------------------------------------ the handler under test

interface Harness {
  sent: string[];
  run: (args: unknown) => Promise<{ result: ToolResult; cpuMs: number; sent: string[] }>;
}

function harness(): Harness {
  const sent: string[] = [];
  const client: UpstreamClient = {
    async postPreviewData(body) {
      // Exactly what would go on the wire.
      const json = JSON.stringify(body);
      sent.push(json);
      return ok({
        status: 200,
        body: answerFor(JSON.parse(json) as Record<string, unknown>),
        attempts: 1,
        elapsedMs: 0,
      });
    },
    request: async () => {
      throw new Error("only previews are sent here");
    },
    close: async () => {},
  };
  const backend: BackendProvider = {
    get: async () =>
      ok({ client, source: { kind: "live" as const }, maxWindowDays: 30, redact: createRedactor([KEY]) }),
    close: async () => {},
  };
  const deps = {
    backend,
    logger: createLogger({ level: "emergency", redact: (t: string) => t, write: () => {} }),
    defaultWindow: DEFAULT_START,
    budgetChars: 24_000,
    now: () => NOW,
  };
  return {
    sent,
    async run(args) {
      const before = sent.length;
      const cpu = process.cpuUsage();
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        handlePreviewWidgetData(deps, args),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("hang: no answer within 10 s")), 10_000);
        }),
      ]).finally(() => clearTimeout(timer));
      const used = process.cpuUsage(cpu);
      return { result, cpuMs: (used.user + used.system) / 1000, sent: sent.slice(before) };
    },
  };
}

// ------------------------------------------------------------------ invariants of a sent body

const FILTER_CONDITION_KEYS = new Set(["field", "op", "value"]);
const FILTER_GROUP_KEYS = new Set(["operator", "conditions"]);
const GROUP_BY_KEYS = new Set(["type", "field", "interval"]);

/** Problems of a body that was about to be sent; [] when it is clean. */
function bodyProblems(json: string): string[] {
  const problems: string[] = [];
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return ["body is not JSON"];
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return ["body is not an object"];
  for (const [k, v] of Object.entries(body)) {
    if (!(REQUEST_FIELDS as readonly string[]).includes(k))
      problems.push(`unknown top-level key ${JSON.stringify(k).slice(0, 40)}`);
    if (v === null || v === "") problems.push(`top-level ${k} is ${JSON.stringify(v)}`);
  }
  const walkFilter = (f: unknown, path: string, depth: number): void => {
    if (depth > 8) problems.push(`${path}: nested deeper than 8`);
    if (f === null || typeof f !== "object" || Array.isArray(f)) {
      problems.push(`${path}: not an object`);
      return;
    }
    const keys = Object.keys(f);
    const isGroup = keys.includes("conditions");
    for (const k of keys) {
      if (!(isGroup ? FILTER_GROUP_KEYS : FILTER_CONDITION_KEYS).has(k))
        problems.push(`${path}: key ${JSON.stringify(k).slice(0, 40)}`);
    }
    const rec = f as Record<string, unknown>;
    if (isGroup) {
      if (!Array.isArray(rec.conditions) || rec.conditions.length === 0)
        problems.push(`${path}: empty conditions`);
      else
        for (const [i, c] of rec.conditions.entries()) walkFilter(c, `${path}.conditions[${i}]`, depth + 1);
      if (typeof rec.operator !== "string" || rec.operator === "")
        problems.push(`${path}: operator ${String(rec.operator)}`);
    } else {
      for (const k of ["field", "op"] as const) {
        if (typeof rec[k] !== "string" || rec[k] === "")
          problems.push(`${path}.${k} is ${JSON.stringify(rec[k])}`);
      }
      const noNull = (v: unknown): boolean => v !== null && (!Array.isArray(v) || v.every(noNull));
      if (!noNull(rec.value)) problems.push(`${path}.value holds null`);
    }
  };
  for (const k of ["filters", "dashboard_filters"] as const) if (k in body) walkFilter(body[k], k, 1);
  if ("group_by" in body) {
    const g = body.group_by as Record<string, unknown>;
    for (const k of Object.keys(g ?? {})) if (!GROUP_BY_KEYS.has(k)) problems.push(`group_by key ${k}`);
  }
  // Sent bodies are fixed points of the validator: validating again changes nothing.
  const again = validateWidgetQuery(body, { now: NOW, defaultStart: DEFAULT_START, maxWindowDays: 30 });
  if (!again.ok)
    problems.push(
      `revalidation refused it: ${again.issues
        .map((i) => i.message)
        .join(" | ")
        .slice(0, 300)}`,
    );
  else if (JSON.stringify(again.query) !== json) problems.push("revalidation changed it");
  return problems;
}

// ------------------------------------------------------------------ hostile values

const MB = 1024 * 1024;
const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const nest = (depth: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = wrap(v);
  return v;
};
const withOwnKey = (
  key: string,
  value: unknown,
  rest: Record<string, unknown> = {},
): Record<string, unknown> => {
  const o: Record<string, unknown> = { ...rest };
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  return o;
};

const HUGE: Record<string, unknown> = {
  "1 MB ascii": fill("a", MB),
  "1 MB unicode": fill("\u202Eé👩‍👩‍👧\ud800\u200bx\udfff", MB),
  "1 MB numeric-looking": `1${"0".repeat(MB)}`,
  "1 MB relative datetime": `now-${"9".repeat(MB)}d`,
  "1 MB JSON filter string": JSON.stringify({
    operator: "and",
    conditions: Array.from({ length: 20_000 }, (_, i) => ({ field: "topic", op: "eq", value: `t${i}` })),
  }),
  "JSON string nested 1000 deep": `${'{"operator":"and","conditions":['.repeat(1000)}{"field":"success","op":"eq","value":true}${"]}".repeat(1000)}`,
  "filter nested 1000 deep": nest(1000, { field: "success", op: "eq", value: true }, (c) => ({
    operator: "and",
    conditions: [c],
  })),
  "array nested 1000 deep": nest(1000, 1, (c) => [c]),
  "object nested 1000 deep": nest(1000, "x", (c) => ({ a: c })),
  "condition value nested 1000 deep": { field: "topic", op: "eq", value: nest(1000, "x", (c) => [c]) },
  "100k numbers": Array.from({ length: 100_000 }, (_, i) => i),
  "100k strings": Array.from({ length: 100_000 }, (_, i) => `s${i}`),
  "100k conditions": {
    operator: "and",
    conditions: Array.from({ length: 100_000 }, () => ({ field: "topic", op: "eq", value: "a" })),
  },
  "in with 100k values": {
    field: "topic",
    op: "in",
    value: Array.from({ length: 100_000 }, (_, i) => `t${i}`),
  },
  "or of 100k timestamps": {
    operator: "or",
    conditions: Array.from({ length: 100_000 }, () => ({ field: "timestamp", op: "gte", value: "now-1d" })),
  },
  // 10k keys, not 100k: merely listing the keys of a 100k-key object costs ~40 ms of CPU here
  // (V8 sorts a dictionary-mode object's keys), before any code can look at them; see the
  // dedicated test below.
  "10k-key object": Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
  "1 MB metadata key": { field: `metadata.${fill("k", MB)}`, op: "eq", value: "x" },
  "__proto__ condition": withOwnKey("__proto__", { field: "success", op: "eq", value: true }),
  "__proto__ polluter": JSON.parse(
    '{"__proto__":{"polluted":true,"chart_type":"pie"},"constructor":{"prototype":{"polluted":true}}}',
  ),
};
const HUGE_NAMES = Object.keys(HUGE);

const ODD_STRINGS = [
  "",
  " ",
  "\u0000",
  "\ud800",
  "\udfff",
  "\u202Ebar",
  "👩‍👩‍👧",
  "ﬀ",
  "PIE",
  " bar ",
  "Bar",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e309",
  "0x10",
  "now",
  "now-7d",
  "today-31d",
  "now-9999999y",
  "2026-02-30T00:00:00Z",
  "metadata.",
  "metadata.a.b",
  "metric_evaluations.value",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "{}",
  "[]",
  '{"field":"success","op":"eq","value":true}',
  '{"type":"bucket","interval":1000}',
];
const ODD_NUMBERS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1e308,
  2 ** 53,
  -1,
  1.5,
  999,
  1000,
];

const scalar = fc.oneof(
  fc.constantFrom<unknown>(...ODD_STRINGS, ...ODD_NUMBERS, null, undefined, true, false),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.double(),
  fc.integer(),
  fc.constantFrom<unknown>(
    ...CHART_TYPES,
    ...AGGREGATIONS,
    ...TIME_PERIODS,
    ...DATA_TYPES,
    ...OPERATORS,
    ...GROUP_OPERATORS,
  ),
);
const huge = fc.constantFrom(...HUGE_NAMES).map((n) => HUGE[n]);

const filterField = fc.oneof(
  fc.constantFrom(...FILTER_FIELDS.map((f) => (f.prefix ? `${f.name}region` : f.name))),
  fc.constantFrom("metadata.a.b", "metadata.", "agent_id", "Topic", "timestamp ", "__proto__"),
  fc.string({ maxLength: 12 }),
);
const opArb = fc.oneof(fc.constantFrom<unknown>(...OPERATORS, "EQ", "Gte", "=", "between", "", null), scalar);

const { hostileFilter } = fc.letrec<{ hostileFilter: unknown; condition: unknown; group: unknown }>(
  (tie) => ({
    hostileFilter: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      tie("condition"),
      tie("group"),
      scalar,
      huge,
    ),
    condition: fc
      .record(
        {
          field: fc.oneof(filterField, scalar),
          op: opArb,
          value: fc.oneof(scalar, fc.array(scalar, { maxLength: 5 }), huge, fc.constant([])),
          operator: opArb,
          extra: scalar,
        },
        { requiredKeys: [] },
      )
      .map((c) => {
        // "operator" and "extra" only now and then: a condition with them is refused.
        const { operator, extra, ...rest } = c as Record<string, unknown>;
        return Math.abs(String(extra).length % 7) === 0 ? { ...rest, operator } : rest;
      }),
    group: fc.record(
      {
        operator: fc.oneof(fc.constantFrom<unknown>(...GROUP_OPERATORS, "AND", "xor"), scalar),
        conditions: fc.oneof(fc.array(tie("hostileFilter"), { maxLength: 4 }), tie("hostileFilter")),
      },
      { requiredKeys: [] },
    ),
  }),
);

const argValue = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 3, arbitrary: hostileFilter },
  { weight: 1, arbitrary: hostileFilter.map((f) => (f === undefined ? "" : (JSON.stringify(f) ?? ""))) },
  { weight: 1, arbitrary: huge },
  {
    weight: 1,
    arbitrary: fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: true, withBoxedValues: true }),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        type: fc.oneof(fc.constantFrom<unknown>("field", "bucket", "FIELD"), scalar),
        field: scalar,
        interval: scalar,
      },
      { requiredKeys: [] },
    ),
  },
);

const argKey = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...ARGUMENT_NAMES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "__proto__",
      "constructor",
      "prototype",
      "chart",
      "metadata",
      "fitlers",
      "",
      "\ud800",
      "\u202E",
      "👩‍👩‍👧",
      "CHART_TYPE",
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);

/** An object built the way JSON.parse builds one: own keys, "__proto__" included. */
const argsObject = fc.array(fc.tuple(argKey, argValue), { maxLength: 8 }).map((entries) => {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
});

/** Plausible arguments with one or two hostile values planted in them. */
const plausible = fc
  .record({
    chart_type: fc.constantFrom<unknown>(...CHART_TYPES, "Bar", " pie"),
    field: fc.constantFrom<unknown>(...PLOT_FIELDS.map((f) => (f.prefix ? `${f.name}region` : f.name))),
    aggregation_function: fc.constantFrom<unknown>(...AGGREGATIONS),
    time_period: fc.constantFrom<unknown>(...TIME_PERIODS),
    metric: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constant("42")),
    filters: hostileFilter,
    plant: fc.array(fc.tuple(fc.constantFrom(...ARGUMENT_NAMES), fc.oneof(huge, scalar)), { maxLength: 2 }),
  })
  .map(({ plant, ...rest }) => {
    const o: Record<string, unknown> = { ...rest };
    if (o.chart_type !== "bar") {
      delete o.aggregation_function;
      delete o.time_period;
    }
    if (o.field !== "metric_evaluations.value") delete o.metric;
    if (o.chart_type === "stat") delete o.field;
    for (const [k, v] of plant) o[k] = v;
    return o;
  });

// ------------------------------------------------------------------ valid queries from the catalogue

const validQuery = validQueryArbitrary(NOW);

/** What the validator must return for a valid query: the query, plus the default start if it had none. */
function expectedFor(q: Record<string, unknown>): Record<string, unknown> {
  const hasStart = (f: unknown): boolean => {
    if (f === null || typeof f !== "object") return false;
    const r = f as Record<string, unknown>;
    if (Array.isArray(r.conditions)) return r.conditions.some(hasStart);
    return r.field === "timestamp" && (r.op === "gte" || r.op === "gt");
  };
  if (hasStart(q.filters) || hasStart(q.dashboard_filters)) return q;
  const extra = { field: "timestamp", op: "gte", value: DEFAULT_START };
  const f = q.filters as Record<string, unknown> | undefined;
  let filters: unknown = extra;
  if (f && f.operator === "and" && Array.isArray(f.conditions))
    filters = { operator: "and", conditions: [...f.conditions, extra] };
  else if (f) filters = { operator: "and", conditions: [f, extra] };
  return { ...q, filters };
}

// ------------------------------------------------------------------ near-valid: valid queries, slightly damaged

/** Replaces one leaf value of a filter tree (chosen by `pick`) with `v`. */
function replaceLeaf(f: unknown, pick: number, v: unknown): unknown {
  let n = 0;
  const walk = (node: unknown): unknown => {
    if (node === null || typeof node !== "object") return node;
    const r = node as Record<string, unknown>;
    if (Array.isArray(r.conditions)) return { ...r, conditions: r.conditions.map(walk) };
    return n++ === pick ? { ...r, value: v } : r;
  };
  return walk(f);
}

const nearValid = fc
  .tuple(
    validQuery,
    fc.constantFrom(
      "as is",
      "null optional",
      "empty optional",
      "upper enums",
      "filters as JSON",
      "numeric strings",
      "hostile leaf",
      "unknown key",
      "planted",
    ),
    fc.nat(20),
    fc.oneof(scalar, huge),
  )
  .map(([q, how, pick, v]) => {
    const o: Record<string, unknown> = { ...q };
    switch (how) {
      case "null optional":
        o[["name", "dashboard", "data_type", "dashboard_filters", "group_by"][pick % 5]!] = null;
        break;
      case "empty optional":
        o[["name", "field", "time_period", "aggregation_function", "filters"][pick % 5]!] =
          pick % 2 ? "" : "   ";
        break;
      case "upper enums":
        for (const k of ["chart_type", "aggregation_function", "time_period", "data_type"]) {
          if (typeof o[k] === "string") o[k] = ` ${(o[k] as string).toUpperCase()} `;
        }
        break;
      case "filters as JSON":
        if (o.filters !== undefined) o.filters = JSON.stringify(o.filters);
        if (o.group_by !== undefined) o.group_by = JSON.stringify(o.group_by);
        break;
      case "numeric strings":
        if (typeof o.metric === "number") o.metric = ` ${o.metric} `;
        if (typeof o.dashboard === "number") o.dashboard = String(o.dashboard);
        break;
      case "hostile leaf":
        o.filters = replaceLeaf(o.filters, pick % 4, v);
        break;
      case "unknown key":
        Object.defineProperty(o, ["__proto__", "constructor", "metadata", "fitlers", "chart"][pick % 5]!, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        break;
      case "planted":
        o[ARGUMENT_NAMES[pick % ARGUMENT_NAMES.length]!] = v;
        break;
    }
    return o;
  });

const hostileArgs = fc.oneof(
  { weight: 4, arbitrary: argsObject },
  { weight: 3, arbitrary: plausible },
  { weight: 4, arbitrary: nearValid },
  { weight: 1, arbitrary: fc.oneof(scalar, huge, fc.array(scalar)) },
);

// ------------------------------------------------------------------ the properties

const describeArgs = (args: unknown): string => {
  let s: string;
  try {
    s =
      JSON.stringify(args, (_k, v) =>
        typeof v === "string" && v.length > 60
          ? `${v.slice(0, 60)}…(${v.length})`
          : Array.isArray(v) && v.length > 20
            ? `[array of ${v.length}]`
            : v,
      ) ?? String(args);
  } catch {
    s = `(${typeof args}, not JSON-printable)`;
  }
  return s.slice(0, 400);
};

describe("hostile tool arguments, in process", () => {
  it("10,000+ generated arguments: no throw, no hang, no internal, no invalid body sent", async () => {
    const h = harness();
    const problems: string[] = [];
    const cpu: number[] = [];
    let slowest = { ms: -1, args: "" };
    let runs = 0;
    let sentCount = 0;
    const check = async (args: unknown): Promise<void> => {
      runs++;
      let outcome: Awaited<ReturnType<Harness["run"]>>;
      try {
        outcome = await h.run(args);
      } catch (e) {
        problems.push(`threw or hung (${String(e).slice(0, 100)}): ${describeArgs(args)}`);
        return;
      }
      cpu.push(outcome.cpuMs);
      if (CPU_REPORT && outcome.cpuMs > slowest.ms) slowest = { ms: outcome.cpuMs, args: describeArgs(args) };
      const { result } = outcome;
      const first = result.content[0]?.text ?? "";
      if (result.isError) {
        if (/^internal: /.test(first)) problems.push(`internal: ${describeArgs(args)}`);
        if (outcome.sent.length > 0 && /^invalid_arguments: /.test(first))
          problems.push(`refused but sent: ${describeArgs(args)}`);
      } else if (outcome.sent.length < 1 || outcome.sent.length > 3) {
        // The chart's body, at most one coverage stat, and on an empty answer one discovery pie.
        problems.push(`answered with ${outcome.sent.length} bodies sent: ${describeArgs(args)}`);
      }
      for (const body of outcome.sent) {
        sentCount++;
        for (const p of bodyProblems(body))
          problems.push(`${p}: ${describeArgs(args)} → ${body.slice(0, 200)}`);
      }
    };

    // Every hand-made huge value, in every argument slot, once.
    for (const name of HUGE_NAMES) {
      await check(HUGE[name]);
      for (const key of ARGUMENT_NAMES) await check({ chart_type: "pie", field: "topic", [key]: HUGE[name] });
    }
    await fc.assert(
      fc.asyncProperty(hostileArgs, async (args) => {
        await check(args);
        return true;
      }),
      { ...propertyRuns(10_000, 20_261_126), endOnFailure: true },
    );

    expect(problems.slice(0, 20)).toEqual([]);
    expect(runs).toBeGreaterThanOrEqual(10_000);
    // The generator reaches the upstream path too, not only refusals.
    expect(sentCount).toBeGreaterThan(1_000);
    if (CPU_REPORT) writeFileSync(CPU_REPORT, JSON.stringify({ cpu, slowest }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);

  it("fails fast on what is far too large to be a query: refused before validation, nothing sent, never internal", async () => {
    const h = harness();
    const deep = JSON.parse(`${"[".repeat(50_000)}${"]".repeat(50_000)}`) as unknown;
    const cases: [string, unknown, RegExp][] = [
      [
        "100k-key object",
        Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])),
        /more than 1000 keys/,
      ],
      ["chart_type nested 50,000 deep", { chart_type: deep }, /nested more than 32 levels/],
      [
        "1 MB name",
        { chart_type: "pie", field: "topic", name: HUGE["1 MB ascii"] },
        /more than 250000 characters/,
      ],
      [
        "100k-item list",
        { chart_type: "pie", field: "topic", filters: HUGE["100k strings"] },
        /more than 20000 values/,
      ],
    ];
    for (const [label, args, why] of cases) {
      const { result, sent } = await h.run(args);
      const first = result.content[0]?.text ?? "";
      expect(first, label).toMatch(/^invalid_arguments: The arguments are far larger than any widget query/);
      expect(first, label).toMatch(why);
      expect(sent, label).toEqual([]);
    }
  });

  it("the size guard lets the largest plausible query through", async () => {
    const h = harness();
    const conditions = [
      { field: "timestamp", op: "gte", value: "now-29d" },
      ...Array.from({ length: 199 }, (_, i) => ({
        field: "customer_number",
        op: "in",
        value: Array.from({ length: 50 }, (_, j) => `+1555${String(i * 50 + j).padStart(7, "0")}`),
      })),
    ];
    const args = { chart_type: "pie", field: "topic", filters: { operator: "and", conditions } };
    const { result, sent } = await h.run(args);
    expect(result.isError, result.content[0]?.text.slice(0, 300)).toBeFalsy();
    expect(JSON.parse(sent[0]!)).toEqual(args);
  });

  it("valid queries built from the catalogue pass unchanged (but for the default start) and are sent as is", async () => {
    const h = harness();
    await fc.assert(
      fc.asyncProperty(validQuery, async (q) => {
        const expected = expectedFor(q);
        const checked = validateWidgetQuery(q, { now: NOW, defaultStart: DEFAULT_START, maxWindowDays: 30 });
        if (!checked.ok)
          throw new Error(`refused: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join(" | ")}`);
        expect(checked.query).toEqual(expected);
        const { result, sent } = await h.run(q);
        expect(result.isError, result.content[0]?.text).toBeFalsy();
        expect(JSON.parse(sent[0]!)).toEqual(expected);
        expect(bodyProblems(sent[0]!)).toEqual([]);
        // Beside the chart, at most one request: a stat with the same filters (coverage).
        expect(sent.length).toBeLessThanOrEqual(2);
        if (sent.length === 2) {
          const stat = JSON.parse(sent[1]!) as Record<string, unknown>;
          expect(stat.chart_type).toBe("stat");
          expect(stat.filters).toEqual(expected.filters);
          expect(bodyProblems(sent[1]!)).toEqual([]);
        }
      }),
      propertyRuns(1_000, 42),
    );
  }, 60_000);
});
