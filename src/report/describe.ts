/** Sentences about the question: what was asked, over which window, from which source. */
import type { Operator } from "../widget/catalogue.js";
import { roleOf } from "../widget/time.js";
import { type Condition, type Filter, isGroup, type TimeWindow, type WidgetQuery } from "../widget/types.js";
import { cut, oneLine } from "./format.js";

export type DataSource = { kind: "live" } | { kind: "demo" } | { kind: "file"; label: string };

/** The source in plain words; also `structuredContent.source`. */
export function describeSource(source: DataSource): string {
  switch (source.kind) {
    case "live":
      return "live Cekura API";
    case "demo":
      return "built-in DEMO data, not your Cekura account";
    case "file":
      return `local file ${oneLine(source.label, 200)}, not your live Cekura data`;
  }
}

/**
 * `2026-11-19T00:00:00Z to 2026-11-26T20:41:00Z`, with "open" for a missing end. The texts of an
 * answer are ASCII where we write them: one character outside Latin-1 makes V8 hold the whole
 * answer (and its JSON) as UTF-16, which doubles its memory and slows every copy of it.
 */
export function describeWindow(window: TimeWindow): string {
  return `${showInstant(window.start)} to ${showInstant(window.end)}`;
}

/** An instant to the second (readable, and exact enough); "open" for none. */
export function showInstant(iso: string | null): string {
  if (iso === null) return "open";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return oneLine(iso, 60);
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

const OP_TEXT: Record<Operator, string> = {
  eq: "=",
  neq: "!=",
  gt: ">",
  gte: ">=",
  lt: "<",
  lte: "<=",
  contains: "contains",
  startswith: "starts with",
  endswith: "ends with",
  in: "in",
  isnull: "is null",
};

function valueText(v: unknown): string {
  if (Array.isArray(v)) {
    const shown = v.slice(0, 5).map(valueText);
    return `[${shown.join(", ")}${v.length > 5 ? `, ... ${v.length - 5} more` : ""}]`;
  }
  if (typeof v === "string") return JSON.stringify(cut(v, 40));
  return cut(JSON.stringify(v) ?? String(v), 40);
}

/** Timestamp bounds are shown as the window, not as filters. */
const isWindowBound = (f: Filter): boolean =>
  !isGroup(f) && f.field === "timestamp" && roleOf(f.op) !== undefined;

function filterText(f: Filter, nested: boolean, withWindow = false): string | undefined {
  if (!isGroup(f)) {
    if (!withWindow && isWindowBound(f)) return undefined;
    if (f.op === "isnull") return `${f.field} ${f.value === false ? "is not null" : "is null"}`;
    return `${f.field} ${OP_TEXT[f.op] ?? f.op} ${valueText(f.value)}`;
  }
  const parts = f.conditions
    .map((c) => filterText(c, true, withWindow))
    .filter((s): s is string => s !== undefined);
  if (parts.length === 0) return undefined;
  if (f.operator === "same_row") return `same_row(${parts.join(" AND ")})`;
  const joined = parts.join(f.operator === "or" ? " OR " : " AND ");
  return nested && parts.length > 1 ? `(${joined})` : joined;
}

/** Filters in short, timestamp bounds left out (they are the window); undefined when none remain. */
export function describeFilter(f: Filter | undefined, max = 300): string | undefined {
  if (!f) return undefined;
  const text = filterText(f, false);
  return text === undefined ? undefined : oneLine(text, max);
}

function whatText(
  query: WidgetQuery,
  field: string | undefined,
  aggregation: string | undefined,
  period: string | undefined,
): string {
  const f = field ? oneLine(field, 80) : "(no field)";
  switch (query.chart_type) {
    case "line":
      return `line of ${f}, one point per call`;
    case "bar":
      return `bar of ${f}, ${aggregation ?? "(no aggregation)"} per ${period ?? "(no time period)"}`;
    case "pie":
      return `pie of ${f}, calls per value`;
    case "stat":
      return "stat: headline numbers";
    default:
      return `${oneLine(String(query.chart_type), 40)} of ${f}`;
  }
}

/** A filter read from the service (any shape) as a Filter, as far as it is one; unknown parts dropped. */
function asFilter(v: unknown, depth = 0): Filter | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v) || depth > 10) return undefined;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.conditions)) {
    const conditions = o.conditions.map((c) => asFilter(c, depth + 1)).filter((c) => c !== undefined);
    const operator = o.operator === "or" || o.operator === "same_row" ? o.operator : "and";
    return { operator, conditions };
  }
  if (typeof o.field !== "string" || typeof o.op !== "string") return undefined;
  return { field: o.field, op: o.op as Condition["op"], value: (o.value ?? null) as Condition["value"] };
}

/** A saved dashboard's or widget's filters in words, time bounds included; "none" when empty. */
export function describeSavedFilter(v: unknown, max = 300): string {
  const f = asFilter(v);
  const text = f === undefined ? undefined : filterText(f, false, true);
  return text === undefined ? "none" : oneLine(text, max);
}

/** The one line saying what was asked. */
export function describeQuery(
  query: WidgetQuery,
  window: TimeWindow,
  resolved: { field: string | undefined; aggregation: string | undefined; period: string | undefined },
): string {
  const parts = [whatText(query, resolved.field, resolved.aggregation, resolved.period)];
  if (query.metric !== undefined) parts.push(`metric ${query.metric}`);
  if (query.group_by) {
    parts.push(
      query.group_by.type === "field"
        ? `grouped by ${oneLine(query.group_by.field, 80)}`
        : `grouped in buckets of ${query.group_by.interval} ms`,
    );
  }
  const filters = describeFilter(query.filters);
  if (filters) parts.push(`filters: ${filters}`);
  const dashFilters = describeFilter(query.dashboard_filters);
  if (dashFilters) parts.push(`dashboard filters: ${dashFilters}`);
  if (query.dashboard !== undefined) parts.push(`dashboard ${query.dashboard}`);
  parts.push(`window ${describeWindow(window)} (UTC)${window.defaulted ? ", start defaulted" : ""}`);
  return `**Asked:** ${parts.join("; ")}`;
}

function collectConditions(f: Filter | undefined, out: { field: string; text: string }[]): void {
  if (!f) return;
  if (isGroup(f)) {
    for (const c of f.conditions) collectConditions(c, out);
    return;
  }
  if (isWindowBound(f)) return;
  out.push({ field: f.field, text: filterText(f, true) ?? f.field });
}

/** "Nothing matched" with the window and the likely causes, pointing at the parts of this query. */
export function describeEmpty(query: WidgetQuery, window: TimeWindow): string {
  const conditions: { field: string; text: string }[] = [];
  collectConditions(query.filters, conditions);
  collectConditions(query.dashboard_filters, conditions);
  const pick = (test: (field: string) => boolean): string[] =>
    conditions.filter((c) => test(c.field)).map((c) => oneLine(c.text, 80));
  const list = (items: string[]): string =>
    items.length > 3 ? `${items.slice(0, 3).join("; ")}; ...` : items.join("; ");

  const metricIds = pick((f) => f === "metric_evaluations.metric.id");
  if (query.metric !== undefined) metricIds.unshift(`metric ${query.metric}`);
  const metadata = pick((f) => f.startsWith("metadata."));
  if (query.field?.startsWith("metadata.")) metadata.unshift(`field ${oneLine(query.field, 80)}`);
  const agents = pick((f) => f === "agent.id" || f === "agent.agent_name");
  const others = conditions.map((c) => oneLine(c.text, 80));

  // Only the causes this query can have: a cause that names nothing in the query is noise.
  const causes = [
    `the window: were there calls between ${describeWindow(window)}? widen it or move it`,
    ...(others.length > 0 ? [`the filters (${list(others)}): a value or spelling that matches no call`] : []),
    ...(metricIds.length > 0 ? [`a metric id with no evaluations in the window (${list(metricIds)})`] : []),
    ...(metadata.length > 0
      ? [`a metadata key that does not exist or is spelled differently (${list(metadata)})`]
      : []),
    ...(agents.length > 0 ? [`the agent (${list(agents)}): an agent with no calls in the window`] : []),
  ];
  return `**Nothing matched** in the window ${describeWindow(window)} (UTC). Likely causes: ${causes
    .map((c, i) => `(${i + 1}) ${c}`)
    .join("; ")}.`;
}
