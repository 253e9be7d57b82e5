/**
 * Sentences about what lies beside the data: a window that reaches past now, how many calls have
 * no value for the plotted field (coverage), which values exist when a text filter matched
 * nothing (discovery), and which metric an answer is about.
 */
import { isPlainObject } from "../shared/json.js";
import type { PreviewResponse } from "../widget/response.js";
import { type Filter, isGroup, type TimeWindow, type WidgetQuery } from "../widget/types.js";
import { showInstant } from "./describe.js";
import { cut, fmtNum, fmtPercent, oneLine } from "./format.js";

/** What the tool fetched beside the chart's own request, each optional: a failed extra request is left out. */
export interface AnswerExtras {
  /** Calls matching the same filters (a stat request sent in parallel), for the coverage line. */
  totalCalls?: number;
  /** Values that exist in the window for a text field whose eq/in filter matched nothing. */
  existing?: ExistingValues;
  /** Agent names by id (as text), where the data carries them. */
  agentNames?: ReadonlyMap<string, string>;
}

/** Group-by fields whose groups are agent ids. */
const AGENT_ID_FIELDS = new Set(["agent.id", "agent_id"]);

/** Labels groups with the agent's name beside its id when the query groups by agent id and names are known. */
export function groupNamer(
  query: WidgetQuery,
  names: ReadonlyMap<string, string> | undefined,
): ((group: unknown) => string | undefined) | undefined {
  const g = query.group_by;
  if (!names || names.size === 0 || g?.type !== "field" || !AGENT_ID_FIELDS.has(g.field)) return undefined;
  return (group) => names.get(String(group));
}

/** The agent ids an eq or in condition on agent.id names, anywhere in the query's filters. */
export function agentIdsIn(query: WidgetQuery): unknown[] {
  const ids: unknown[] = [];
  const walk = (f: Filter | undefined): void => {
    if (!f) return;
    if (isGroup(f)) {
      for (const c of f.conditions) walk(c);
      return;
    }
    if (f.field !== "agent.id") return;
    if (f.op === "eq") ids.push(f.value);
    else if (f.op === "in" && Array.isArray(f.value)) ids.push(...f.value);
  };
  walk(query.filters);
  walk(query.dashboard_filters);
  return ids;
}

/** "Agent 4 is "Tech Support Agent"." for the agent ids a query filters on, where names are known. */
export function agentFilterLine(
  ids: readonly unknown[],
  names: ReadonlyMap<string, string> | undefined,
): string | undefined {
  if (!names) return undefined;
  const known = [...new Set(ids.map(String))].flatMap((id) => {
    const name = names.get(id);
    return name ? [`${id} = ${JSON.stringify(cut(oneLine(name), 60))}`] : [];
  });
  if (known.length === 0) return undefined;
  return `Agents: ${known.slice(0, 10).join(", ")}${known.length > 10 ? ", ..." : ""}.`;
}

export interface ExistingValues {
  field: string;
  /** The condition that matched nothing, as text. */
  asked: string;
  /** Top values with their call counts, most calls first. */
  values: { label: string; count: number }[];
  /** How many distinct values exist in all. */
  distinct: number;
}

/** Values listed when a filter matched nothing. */
export const EXISTING_VALUES_SHOWN = 10;

/** Notes on a window whose end lies after the moment of the call. */
export function windowNotes(window: TimeWindow, now: number): string[] {
  const end = window.end === null ? Number.NaN : Date.parse(window.end);
  // An open end is resolved to now itself; only an end given past now deserves a note.
  if (Number.isNaN(end) || end <= now + 1_000) return [];
  const notes = [
    `The window ends at ${showInstant(window.end)}, after now (${showInstant(new Date(now).toISOString())}): no calls exist yet in its last part.`,
  ];
  const expr = window.endExpression ?? "";
  if (/^lte? today(?:$|-\d+[dwMy]$)/.test(expr)) {
    notes.push(
      `As an end, ${oneLine(expr, 40)} means 23:59:59 of that day, not its start: for yesterday ask gte today-1d with lte today-1d.`,
    );
  }
  return notes;
}

/** "4,772 of the 5,065 calls in the window have a success value; 293 have none and are left out." */
export function coverageLine(
  covered: number | undefined,
  totalCalls: number | undefined,
  field: string | undefined,
): string | undefined {
  if (covered === undefined || totalCalls === undefined || field === undefined) return undefined;
  const f = oneLine(field, 80);
  const missing = totalCalls - covered;
  if (missing < 0) return undefined; // the two answers disagree (data changing between them): say nothing
  if (missing === 0)
    return `Coverage: all ${fmtNum(totalCalls)} calls that match the filters have a value for ${f}.`;
  const share = totalCalls > 0 ? ` (${fmtPercent(missing / totalCalls)})` : "";
  return `Coverage: ${fmtNum(covered)} of the ${fmtNum(totalCalls)} calls that match the filters have a value for ${f}; ${fmtNum(missing)}${share} have none and are left out of this chart.`;
}

/** "Values of metadata.region in the window: eu (1234), us (1001), ..." */
export function existingValuesLine(e: ExistingValues): string {
  if (e.values.length === 0) {
    return `No call in the window has any value for ${oneLine(e.field, 80)}, so ${oneLine(e.asked, 120)} cannot match.`;
  }
  const list = e.values
    .map((v) => `${JSON.stringify(cut(oneLine(v.label), 60))} (${fmtNum(v.count)})`)
    .join(", ");
  const more = e.distinct > e.values.length ? ` (top ${e.values.length} of ${e.distinct})` : "";
  return `${oneLine(e.asked, 120)} matched nothing. Values of ${oneLine(e.field, 80)} that exist in the window${more}: ${list}. eq and in compare whole values, case included.`;
}

/** "Metric 101 is "Customer Satisfaction" (numeric values)", from the response's metadata. */
export function metricLine(query: WidgetQuery, response: PreviewResponse): string | undefined {
  if (query.metric === undefined) return undefined;
  const meta = isPlainObject(response.metadata) ? response.metadata : {};
  const name =
    typeof meta.display_name === "string" && meta.display_name !== "" ? meta.display_name : undefined;
  const type = typeof meta.data_type === "string" && meta.data_type !== "" ? meta.data_type : undefined;
  if (!name && !type) return undefined;
  return `Metric ${query.metric}${name ? ` is ${JSON.stringify(cut(oneLine(name), 80))}` : ""}${type ? ` (${oneLine(type, 20)} values${type === "boolean" ? ": avg is the share of true, 0..1" : ""})` : ""}.`;
}
