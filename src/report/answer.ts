/**
 * The tool answer of `preview_widget_data`.
 *
 * Clients show the model EITHER `content` (Claude Desktop) OR `JSON.stringify(structuredContent)`
 * (Claude Code, VS Code), so both carry the summary and the data. The whole result — content[0],
 * content[1] and the JSON of structuredContent — stays within `budgetChars`: the summary is
 * bounded, and the raw data is cut to whole leading items so that both of its copies fit.
 */
import type { ToolError } from "../shared/errors.js";
import { isPlainObject } from "../shared/json.js";
import { DEFAULT_BUDGET_CHARS } from "../shared/limits.js";
import { CHART_TYPES } from "../widget/catalogue.js";
import type { PreviewResponse } from "../widget/response.js";
import type { TimeWindow, WidgetQuery } from "../widget/types.js";
import { boundValue, countEntries, fitObjectPrefix, fitPrefix, twoCopiesSize } from "./budget.js";
import {
  type AnswerExtras,
  agentFilterLine,
  agentIdsIn,
  coverageLine,
  existingValuesLine,
  groupNamer,
  metricLine,
  windowNotes,
} from "./context.js";
import { type DataSource, describeQuery, describeSource } from "./describe.js";
import { cut, oneLine } from "./format.js";
import { summarise } from "./summary.js";

export type { DataSource } from "./describe.js";

export interface AnswerInput {
  query: WidgetQuery;
  window: TimeWindow;
  response: PreviewResponse;
  source: DataSource;
  /** Shown in the answer, e.g. "No start time was given, so timestamp gte now-7d was added." */
  notes: string[];
  /** Total budget of the whole result (content[0] + content[1] + JSON of structuredContent). */
  budgetChars?: number;
  /** The moment of the call (epoch ms); Date.now() when not given. */
  now?: number;
  /** What was fetched beside the chart (coverage, existing values); absent parts are left out. */
  extras?: AnswerExtras;
}

export type Truncation = {
  shown: number;
  total: number;
  omitted: number;
  hint: string;
};

// Type aliases rather than interfaces: they are assignable to the SDK's index-signature result types.
export type ToolAnswer = {
  content: [{ type: "text"; text: string }, { type: "text"; text: string }];
  structuredContent: {
    summary: string;
    window: TimeWindow;
    stats: Record<string, unknown>;
    data: unknown;
    truncated: null | Truncation;
    source: string;
  };
};

export type ErrorAnswer = {
  isError: true;
  content: [{ type: "text"; text: string }];
};

export function errorAnswer(error: ToolError): ErrorAnswer {
  const retry =
    error.retryAfterSeconds && error.retryAfterSeconds > 0
      ? `\nRetry after about ${Math.ceil(error.retryAfterSeconds)} seconds.`
      : "";
  return { isError: true, content: [{ type: "text", text: `${error.category}: ${error.message}${retry}` }] };
}

/** Share of the budget the summary may take at first; smaller shares are tried if the rest does not fit. */
const SUMMARY_SHARES = [0.3, 0.15, 0.07] as const;
const NOTE_MAX = 500;
/** All notes together; the rest are counted, not shown, so the tables keep their room. */
const NOTES_MAX = 1_500;
/** The coverage line's room, kept free before the body is laid out. */
const COVERAGE_MAX = 300;
/** Top-level response fields other than `data` are kept whole up to this size each. */
const FIELD_MAX = 500;
const MAX_FIELDS = 20;
/** Data with at most this many items or keys may be tried whole before it is measured item by item. */
const FEW_ENTRIES = 64;

/**
 * At most FEW_ENTRIES entries, each a primitive or an object or list of primitives, with less text
 * in all than the budget: its JSON is small, so assembling it whole costs less than measuring it.
 * Checked without serialising anything.
 */
function isSmallAndFlat(data: unknown, budget: number): boolean {
  const entries = Array.isArray(data) ? data : isPlainObject(data) ? Object.values(data) : [data];
  if (entries.length > FEW_ENTRIES) return false;
  let chars = 0;
  const primitive = (v: unknown): boolean => {
    if (typeof v === "string") chars += v.length;
    return v === null || typeof v !== "object";
  };
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (primitive(e)) continue;
    const inner = Array.isArray(e) ? e : isPlainObject(e) ? Object.values(e) : undefined;
    if (inner === undefined || inner.length > FEW_ENTRIES) return false;
    for (let j = 0; j < inner.length; j++) if (!primitive(inner[j])) return false;
  }
  return chars < budget;
}

function hintFor(chart: string): string {
  const narrow = "To get fewer items, narrow the query";
  switch (chart) {
    case "line":
      return `${narrow}: a shorter window, more filters, or a bar chart with a time_period (hour, day) instead of a line.`;
    case "bar":
      return `${narrow}: a shorter window, more filters, or a longer time_period (day, week, month).`;
    case "pie":
      return `${narrow}: a shorter window or more filters; the summary already has the top labels and the total.`;
    default:
      return `${narrow}: a shorter window or more filters.`;
  }
}

const unitsOf = (data: unknown): string => (isPlainObject(data) ? "keys" : "items");

function truncationLine(t: Truncation, units: string): string {
  return `Raw data cut: the first ${t.shown} of ${t.total} ${units} are included (${t.omitted} left out); the figures above cover all ${t.total}.`;
}

/**
 * `base` with one more key, built key by key on a fresh object. `{ ...base, key }` did the same but
 * made a new hidden class on every call (V8 does not reuse the transition when base's hidden class
 * is a prototype's), which Node 20 keeps as old-generation garbage (docs/performance.md).
 */
function withEntry(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(base)) out[k] = base[k];
  out[key] = value;
  return out;
}

/** The response without `data`, each other field bounded; `data` keeps its place in the key order. */
function responseFrame(response: PreviewResponse): [string, unknown][] {
  const entries: [string, unknown][] = [];
  let fields = 0;
  for (const [k, v] of Object.entries(response)) {
    if (k === "data") {
      entries.push([k, undefined]);
      continue;
    }
    if (++fields > MAX_FIELDS) continue;
    entries.push([cut(k, 60), boundValue(v, FIELD_MAX)]);
  }
  if (fields > MAX_FIELDS) entries.push(["omitted_fields", fields - MAX_FIELDS]);
  if (!entries.some(([k]) => k === "data")) entries.push(["data", undefined]);
  return entries;
}

interface Parts {
  summary: string;
  stats: Record<string, unknown>;
  frame: [string, unknown][];
  window: TimeWindow;
  source: string;
  units: string;
}

function assemble(p: Parts, data: unknown, truncated: Truncation | null): ToolAnswer {
  const summary = truncated ? `${p.summary}\n\n${truncationLine(truncated, p.units)}` : p.summary;
  // Object.fromEntries defines each key as an own property, so a "__proto__" key from the service
  // stays a plain key; and it makes an ordinary object, which JSON.stringify walks on its fast path
  // (a prototype-less dictionary was a tenth of the answer's build time).
  const raw = Object.fromEntries(p.frame.map(([k, v]) => [k, k === "data" ? data : v]));
  const json = JSON.stringify(raw);
  const text = truncated ? `${truncationLine(truncated, p.units)} ${truncated.hint}\n${json}` : json;
  return {
    content: [
      { type: "text", text: summary },
      { type: "text", text },
    ],
    structuredContent: { summary, window: p.window, stats: p.stats, data, truncated, source: p.source },
  };
}

/** The size the budget counts: the whole result as it travels, serialised (escapes included). */
export function answerSize(a: ToolAnswer): number {
  return JSON.stringify(a).length;
}

/** An empty stand-in for data, of the same kind, to measure everything but the data. */
function emptyLike(data: unknown): unknown {
  if (Array.isArray(data)) return [];
  if (isPlainObject(data)) return {};
  return null;
}

/** Cuts `data` so that its two copies add at most `both` characters to the answer on the wire. */
function cutData(data: unknown, both: number): { data: unknown; shown: number } {
  if (Array.isArray(data)) {
    const k = fitPrefix(data, both);
    return { data: k === data.length ? data : data.slice(0, k), shown: k };
  }
  if (isPlainObject(data)) {
    const kept = fitObjectPrefix(data, both);
    const shown = Object.keys(kept).length;
    return { data: shown === countEntries(data) ? data : kept, shown };
  }
  // A scalar: it fits or is replaced by null (4 characters, as measured by emptyLike).
  return twoCopiesSize(JSON.stringify(data) ?? "null") - 8 <= both
    ? { data, shown: 1 }
    : { data: null, shown: 0 };
}

export function buildAnswer(input: AnswerInput): ToolAnswer {
  const budget = input.budgetChars ?? DEFAULT_BUDGET_CHARS;
  const { query, response, window } = input;
  const responseChart = typeof response.chart_type === "string" ? response.chart_type : "";
  // The data follows the chart type the service says it computed; the query's when it says nothing.
  const chart = responseChart !== "" ? responseChart : query.chart_type;
  const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
  const field = query.field ?? str(response.field_name);
  const aggregation = query.aggregation_function ?? str(response.aggregation_function);
  const period = query.time_period ?? str(response.time_period);

  const now = input.now ?? Date.now();
  const given = [...input.notes, ...windowNotes(window, now)];
  const metric = metricLine(query, response);
  if (metric) given.push(metric);
  if (input.extras?.existing) given.push(existingValuesLine(input.extras.existing));
  const agents = agentFilterLine(agentIdsIn(query), input.extras?.agentNames);
  if (agents) given.push(agents);
  const nameOf = groupNamer(query, input.extras?.agentNames);
  const notes: string[] = [];
  let notesChars = 0;
  for (const n of given) {
    const line = `Note: ${oneLine(n, NOTE_MAX)}`;
    if (notesChars + line.length > NOTES_MAX) {
      notes.push(`(${given.length - notes.length} more notes left out)`);
      break;
    }
    notes.push(line);
    notesChars += line.length + 1;
  }
  const known = (CHART_TYPES as readonly string[]).includes(chart);
  if (known && chart !== query.chart_type) {
    notes.push(
      `Note: the service answered with a ${chart} chart although a ${query.chart_type} chart was asked.`,
    );
  }
  const sourceText = describeSource(input.source);
  const prefix = [
    describeQuery(query, window, { field, aggregation, period }),
    ...(input.source.kind === "live" ? [] : [`**Source: ${sourceText}.**`]),
    ...notes,
  ].join("\n");

  const data = response.data;
  const total = countEntries(data);
  const units = unitsOf(data);
  const hint = hintFor(chart);
  const frame = responseFrame(response);
  const worstCut: Truncation = { shown: total, total, omitted: total, hint };

  const coverageRoom = input.extras?.totalCalls === undefined ? 0 : COVERAGE_MAX + 1;
  let smallest: Parts | undefined;
  const smallAndFlat = isSmallAndFlat(data, budget);
  for (const share of SUMMARY_SHARES) {
    const summaryMax = Math.floor(budget * share);
    const body = summarise(data, {
      chart,
      field,
      aggregation,
      period,
      query,
      window,
      maxChars: Math.max(200, summaryMax - prefix.length - coverageRoom - 2),
      now,
      ...(nameOf ? { nameOf } : {}),
    });
    const coverage = coverageLine(body.covered, input.extras?.totalCalls, field);
    const stats =
      coverage && input.extras?.totalCalls !== undefined && body.covered !== undefined
        ? withEntry(body.stats, "coverage", { calls: input.extras.totalCalls, with_value: body.covered })
        : body.stats;
    const parts: Parts = {
      summary: cut(
        `${prefix}${coverage ? `\n${cut(coverage, COVERAGE_MAX)}` : ""}\n\n${body.markdown}`,
        Math.max(summaryMax, 400),
      ),
      stats,
      frame,
      window,
      source: sourceText,
      units,
    };
    smallest = parts;
    // Most answers fit whole. When the data alone is within the budget (measured only as far as
    // the budget reaches, so a huge list costs no more than a small one), try the whole answer
    // first: one assembly instead of two. It is returned only if it fits, so the budget holds.
    // Small flat data (the usual bar, pie and stat answers) is assembled whole at once, without
    // measuring its entries one by one first (that took a tenth of their build time).
    if (smallAndFlat || cutData(data, budget).shown === total) {
      const whole = assemble(parts, data, null);
      if (answerSize(whole) <= budget) return whole;
    }
    // Everything but the data, with the longest truncation notes it could need.
    const fixed = answerSize(assemble(parts, emptyLike(data), worstCut));
    const both = budget - fixed;
    if (both < 0) continue;
    const { data: kept, shown } = cutData(data, both);
    if (shown === total && kept === data) return assemble(parts, data, null);
    return assemble(parts, kept, { shown, total, omitted: total - shown, hint });
  }
  return squeeze(
    smallest as Parts,
    emptyLike(data),
    { shown: 0, total, omitted: total, hint },
    budget,
    chart,
  );
}

/** The summary travels twice (content[0] and structuredContent), plus its escapes: ~2.2 characters each. */
const SUMMARY_COPIES_COST = 2.2;
/** Each retry of the squeeze keeps this share of the room: a few steps reach any budget. */
const SQUEEZE_STEP = 0.8;

/**
 * For budgets too small for even the shortest summary: no data, the stats reduced, and the
 * summary cut to the room that is left.
 */
function squeeze(
  parts: Parts,
  data: unknown,
  truncated: Truncation,
  budget: number,
  chart: string,
): ToolAnswer {
  const reduced: Parts = { ...parts, stats: { chart, reduced: true } };
  const bare = answerSize(assemble({ ...reduced, summary: "" }, data, truncated));
  let room = Math.floor((budget - bare) / SUMMARY_COPIES_COST);
  for (;;) {
    const attempt = assemble({ ...reduced, summary: cut(parts.summary, Math.max(0, room)) }, data, truncated);
    if (answerSize(attempt) <= budget || room <= 0) return attempt;
    room = Math.floor(room * SQUEEZE_STEP) - 1;
  }
}
