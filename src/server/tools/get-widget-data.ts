/**
 * `get_widget_data`: what 1 to 10 saved widgets plot, each summarised exactly as a preview
 * (report/answer.ts), the budget shared between them. Cekura's `filters` override REPLACES a
 * widget's own filters, so with a window or extra filters the override sent is the widget's
 * effective filters AND the window AND the extra filters (docs/cekura-api.md §6).
 */

import { cut } from "../../report/format.js";
import {
  buildAnswer,
  errorAnswer,
  listingAnswer,
  type ToolAnswer,
  type WidgetPart,
  widgetsAnswer,
} from "../../report/index.js";
import type { ToolError } from "../../shared/errors.js";
import { isPlainObject } from "../../shared/json.js";
import { getWidget, getWidgetData } from "../../upstream/dashboards.js";
import { CHART_TYPES, WIDGET_FIELDS } from "../../widget/catalogue.js";
import { type PreviewResponse, parsePreviewResponse } from "../../widget/response.js";
import type { TimeWindow, WidgetQuery } from "../../widget/types.js";
import { describeIssues, validateWidgetQuery } from "../../widget/validate.js";
import { VIEW_TOOL_META } from "../app-view.js";
import type { Backend } from "../backend.js";
import { DASHBOARD_TOOL_DESCRIPTIONS } from "../model-texts.js";
import {
  filterSchemas,
  intArg,
  invalid,
  readOnlyAnnotations,
  runTool,
  sourceLines,
  type ToolDeps,
  type ToolModule,
} from "./common.js";

export const MAX_WIDGETS = 10;
/** Room kept for the header and the joins between the widgets' parts. */
const HEADER_RESERVE = 1_500;
/** A widget's summary alone, when the budget cannot hold every widget's data. */
const MIN_PART_CHARS = 4_000;

type Dict = Record<string, unknown>;
/** What is read from a saved widget to ask for its data: its fields, but its filters (the override's). */
const QUERY_KEYS = WIDGET_FIELDS.filter((k) => k !== "filters");

const and = (...parts: unknown[]): unknown => {
  const present = parts.filter(isPlainObject);
  return present.length <= 1 ? present[0] : { operator: "and", conditions: present };
};

interface Fetched {
  id: number;
  name: string;
  query: WidgetQuery;
  window: TimeWindow;
  notes: string[];
  response: PreviewResponse;
}

/** The widget's definition, then its data with the override; a failure is a sentence for the answer. */
async function fetchOne(
  backend: Backend,
  id: number,
  extra: unknown,
  now: number,
  signal: AbortSignal | undefined,
): Promise<Fetched | { id: number; name: string; error: string; category: ToolError["category"] }> {
  const opts = signal ? { signal } : {};
  const fail = (e: ToolError, name = "") => ({
    id,
    name,
    error: `${e.category}: ${e.message}`,
    category: e.category,
  });
  const def = await getWidget(backend.client, id, opts);
  if (!def.ok) {
    if (def.error.category === "not_found") {
      return fail({
        category: "not_found",
        message: `there is no widget ${id} (or this key cannot see it); get_dashboard lists a dashboard's widget ids.`,
      });
    }
    return fail(def.error);
  }
  const w = def.value.body;
  if (!isPlainObject(w))
    return fail({ category: "bad_response", message: "the service's widget was not a JSON object." });
  const name = typeof w.name === "string" ? w.name : "";
  const own =
    isPlainObject(w.effective_filters) && Object.keys(w.effective_filters).length > 0
      ? w.effective_filters
      : w.filters;
  const override = extra === undefined ? undefined : and(own, extra);
  const base: Dict = {};
  for (const k of QUERY_KEYS) if (w[k] !== undefined && w[k] !== null && w[k] !== "") base[k] = w[k];
  const checked = validateWidgetQuery(
    { ...base, ...(isPlainObject(override ?? own) ? { filters: override ?? own } : {}) },
    { now, ...(backend.maxWindowDays !== undefined ? { maxWindowDays: backend.maxWindowDays } : {}) },
  );
  if (!checked.ok && override !== undefined)
    return fail({ category: "invalid_arguments", message: describeIssues(checked.issues) }, name);
  // A saved widget this server's checks would refuse is still the service's to compute.
  const chart = CHART_TYPES.find((c) => c === w.chart_type) ?? "line";
  const query: WidgetQuery = checked.ok
    ? checked.query
    : { ...(base as Partial<WidgetQuery>), chart_type: chart };
  const window: TimeWindow = checked.ok ? checked.window : { start: null, end: null, defaulted: false };
  const data = await getWidgetData(backend.client, id, override, opts);
  if (!data.ok) {
    // A saved widget without a window start (on it or its dashboard) needs one for this request.
    const noStart = data.error.category === "validation" && /timestamp/i.test(data.error.message);
    const hint =
      noStart && extra === undefined
        ? ' For a saved widget, pass window (e.g. "now-7d") to get_widget_data.'
        : "";
    return fail({ ...data.error, message: `${data.error.message}${hint}` }, name);
  }
  const response = parsePreviewResponse(data.value.body, query.chart_type);
  if (!response.ok) return fail(response.error, name);
  const notes =
    override === undefined
      ? []
      : [
          "Filters sent: the widget's own (its dashboard's included) AND the window AND the extra filters, because Cekura's override replaces a widget's filters; the dashboard's filters still apply, so a window can only narrow it.",
        ];
  return { id, name, query, window, notes, response: response.value };
}

export const getWidgetDataTool: ToolModule = {
  name: "get_widget_data",
  write: false,
  definition: () => ({
    name: "get_widget_data",
    title: "Get saved Cekura widget data",
    description: DASHBOARD_TOOL_DESCRIPTIONS.get_widget_data,
    inputSchema: {
      type: "object",
      properties: {
        widget_ids: {
          type: "array",
          items: { type: "integer" },
          minItems: 1,
          maxItems: MAX_WIDGETS,
          description: "Saved widget ids (get_dashboard)",
        },
        window: { type: "string", description: "Optional start, e.g. now-7d (at most 30 days back)" },
        filters: { ...(filterSchemas().shallow as Dict), description: "Optional extra filters, ANDed in" },
      },
      required: ["widget_ids"],
      additionalProperties: false,
    },
    annotations: readOnlyAnnotations("Get saved Cekura widget data"),
    _meta: VIEW_TOOL_META,
  }),
  call: (deps, args, ctx) =>
    runTool("get_widget_data", deps, args, ["widget_ids", "window", "filters"], (backend, a) =>
      answerWidgets(deps, backend, a, ctx.signal),
    ),
};

async function answerWidgets(deps: ToolDeps, backend: Backend, a: Dict, signal?: AbortSignal) {
  const rawIds =
    typeof a.widget_ids === "number" || typeof a.widget_ids === "string" ? [a.widget_ids] : a.widget_ids;
  if (!Array.isArray(rawIds) || rawIds.length === 0 || rawIds.length > MAX_WIDGETS) {
    return invalid(
      `widget_ids must be a list of 1 to ${MAX_WIDGETS} saved widget ids, e.g. [12, 13]; get_dashboard lists them.`,
    );
  }
  const ids: number[] = [];
  for (const [i, raw] of rawIds.entries()) {
    const r = intArg({ id: raw }, "id", 1, 2 ** 31 - 1);
    if (!r.ok || r.value === undefined)
      return invalid(`widget_ids[${i}] must be a widget id (a whole number from 1).`);
    if (!ids.includes(r.value)) ids.push(r.value);
  }
  const now = (deps.now ?? Date.now)();
  let windowCond: Dict | undefined;
  if (a.window !== undefined && a.window !== null && a.window !== "") {
    if (typeof a.window !== "string")
      return invalid('window must be a start time such as "now-7d" or "2026-11-20".');
    windowCond = { field: "timestamp", op: "gte", value: a.window.trim() };
  }
  if (a.filters !== undefined && a.filters !== null && !isPlainObject(a.filters)) {
    return invalid(
      'filters must be a condition {"field","op","value"} or a group {"operator","conditions"}.',
    );
  }
  const extra = and(windowCond, a.filters);
  if (extra !== undefined) {
    // The window and the extra filters on their own: the 30-day rule and the filter language.
    const checked = validateWidgetQuery(
      { chart_type: "stat", filters: extra },
      { now, ...(backend.maxWindowDays !== undefined ? { maxWindowDays: backend.maxWindowDays } : {}) },
    );
    if (!checked.ok) {
      // Paths name the arguments the model gave: the window is the first condition, its filters the next.
      const rename = (path: string) =>
        a.filters === undefined || a.filters === null
          ? path.replace(/^filters(\.value)?/, "window")
          : windowCond
            ? path
                .replace(/^filters\.conditions\[0\](\.value)?/, "window")
                .replace(/^filters\.conditions\[1\]/, "filters")
            : path;
      return invalid(describeIssues(checked.issues.map((i) => ({ ...i, path: rename(i.path) }))));
    }
  }

  const results = await Promise.all(ids.map((id) => fetchOne(backend, id, extra, now, signal)));
  const failed = results.filter((r) => "error" in r);
  if (failed.length === results.length) {
    const allMissing = failed.every((f) => f.category === "not_found");
    return errorAnswer({
      category: allMissing ? "not_found" : failed[0]!.category,
      message: failed.map((f) => `Widget ${f.id}: ${f.error}`).join("\n"),
    });
  }
  const missing = failed.filter((f) => f.category === "not_found").map((f) => f.id);
  const header = [
    ...sourceLines(backend),
    `**Saved widget data**: ${results.length - failed.length} of ${results.length} widgets answered${missing.length > 0 ? `; not found: ${missing.join(", ")}` : ""}${
      failed.length > missing.length
        ? `; failed: ${failed
            .filter((f) => f.category !== "not_found")
            .map((f) => f.id)
            .join(", ")}`
        : ""
    }.`,
  ].join("\n");

  const build = (share: number) =>
    widgetsAnswer(
      header,
      results.map((r): WidgetPart => {
        if ("error" in r) return { widget_id: r.id, name: r.name, error: r.error };
        const answer: ToolAnswer = buildAnswer({ ...r, source: backend.source, budgetChars: share });
        return { widget_id: r.id, name: r.name, answer };
      }),
      backend.source,
    );
  let share = Math.floor((deps.budgetChars - HEADER_RESERVE) / results.length);
  let answer = build(share);
  // The parts add up to about the sum of their budgets; shrink the shares in the rare case they do not.
  for (let i = 0; i < 4 && JSON.stringify(answer).length > deps.budgetChars; i++) {
    share = Math.floor(share * 0.8);
    answer = build(share);
  }
  if (JSON.stringify(answer).length <= deps.budgetChars) return answer;
  // A budget too small for every widget's data: each widget's summary, cut to its share, and no data.
  const sections = results.map((r) => ({
    head: `### Widget ${r.id}`,
    body:
      "error" in r
        ? r.error
        : buildAnswer({ ...r, source: backend.source, budgetChars: MIN_PART_CHARS }).content[0].text,
  }));
  return listingAnswer({
    summary: (max) => {
      const tail =
        "The widgets' data was left out to stay within the answer budget: ask for fewer widgets at a time.";
      const each = Math.floor((max - header.length - tail.length - 20) / sections.length);
      return [
        header,
        ...sections.map((x) => `${x.head}\n${cut(x.body, Math.max(0, each - x.head.length - 4))}`),
        tail,
      ].join("\n\n");
    },
    items: results.map((r) => ({ widget_id: r.id, name: r.name })),
    source: backend.source,
    budgetChars: deps.budgetChars,
  });
}
