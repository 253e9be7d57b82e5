/**
 * The requests an answer may add beside the chart's own, each optional: a failed one is left out
 * of the answer, never turned into an error.
 * - Coverage: a stat with the same filters, sent in parallel with the chart (same signal, same
 *   deadline), so the answer can say how many calls have no value for the plotted field.
 * - Discovery: when the chart is empty and an eq/in filter on a text field may be why, a pie of
 *   that field without that condition lists the values that do exist (only on empty answers).
 */
import type { ExistingValues } from "../../report/context.js";
import { EXISTING_VALUES_SHOWN } from "../../report/context.js";
import { describeFilter } from "../../report/describe.js";
import type { Result, ToolError } from "../../shared/errors.js";
import { isPlainObject } from "../../shared/json.js";
import { findPlotField } from "../../widget/catalogue.js";
import { readAll, readPieSlice } from "../../widget/response.js";
import { type Condition, type Filter, isGroup, type WidgetQuery } from "../../widget/types.js";

export type Send = (query: WidgetQuery) => Promise<Result<{ body: unknown; attempts: number }, ToolError>>;

/** The stat query with the chart's filters; undefined for a stat (it is its own coverage). */
export function coverageQuery(query: WidgetQuery): WidgetQuery | undefined {
  if (query.chart_type === "stat") return undefined;
  // A bucketed line's points are aggregates, not calls: there is nothing to compare.
  if (query.group_by?.type === "bucket") return undefined;
  return {
    chart_type: "stat",
    ...(query.filters ? { filters: query.filters } : {}),
    ...(query.dashboard_filters ? { dashboard_filters: query.dashboard_filters } : {}),
    ...(query.dashboard !== undefined ? { dashboard: query.dashboard } : {}),
  };
}

/** The stat's total_calls, or undefined when the request failed or said something else. */
export async function totalCalls(
  pending: Promise<Result<{ body: unknown }, ToolError>>,
): Promise<number | undefined> {
  try {
    const reply = await pending;
    if (!reply.ok || !isPlainObject(reply.value.body)) return undefined;
    const data = reply.value.body.data;
    const total = isPlainObject(data) ? data.total_calls : undefined;
    return typeof total === "number" && Number.isFinite(total) && total >= 0 ? total : undefined;
  } catch {
    return undefined;
  }
}

/** Plot fields of text values a pie can list. */
const isTextField = (field: string): boolean => findPlotField(field)?.entry.dataType === "string";

const isTextCondition = (c: Condition): boolean =>
  isTextField(c.field) &&
  ((c.op === "eq" && typeof c.value === "string") ||
    (c.op === "in" && Array.isArray(c.value) && c.value.some((v) => typeof v === "string")));

/** The first eq/in condition on a text field reached through and-groups only (under or, removing one widens the rest). */
function findTextCondition(f: Filter | undefined): Condition | undefined {
  if (!f) return undefined;
  if (!isGroup(f)) return isTextCondition(f) ? f : undefined;
  if (f.operator !== "and") return undefined;
  for (const c of f.conditions) {
    const hit = findTextCondition(c);
    if (hit) return hit;
  }
  return undefined;
}

/** `f` without the condition `drop` (by identity); an and-group left empty goes too. */
function without(f: Filter | undefined, drop: Condition): Filter | undefined {
  if (!f || f === drop) return undefined;
  if (!isGroup(f)) return f;
  const conditions = f.conditions.flatMap((c) => {
    const kept = without(c, drop);
    return kept ? [kept] : [];
  });
  return conditions.length === 0 ? undefined : { ...f, conditions };
}

/** The pie that lists a text field's values with every other filter kept; undefined when no filter is of that kind. */
export function discoveryQuery(query: WidgetQuery): { query: WidgetQuery; condition: Condition } | undefined {
  const condition = findTextCondition(query.filters) ?? findTextCondition(query.dashboard_filters);
  if (!condition) return undefined;
  const filters = without(query.filters, condition);
  const dashboardFilters = without(query.dashboard_filters, condition);
  return {
    condition,
    query: {
      chart_type: "pie",
      field: condition.field,
      ...(filters ? { filters } : {}),
      ...(dashboardFilters ? { dashboard_filters: dashboardFilters } : {}),
      ...(query.dashboard !== undefined ? { dashboard: query.dashboard } : {}),
    },
  };
}

/** The values that exist for the condition's field; undefined when the request failed. */
export async function existingValues(
  send: Send,
  found: { query: WidgetQuery; condition: Condition },
): Promise<ExistingValues | undefined> {
  try {
    const reply = await send(found.query);
    if (!reply.ok || !isPlainObject(reply.value.body)) return undefined;
    const data = reply.value.body.data;
    const slices = Array.isArray(data) ? readAll(data, readPieSlice) : undefined;
    if (!slices) return undefined;
    const sorted = [...slices].sort((a, b) => b.value - a.value);
    return {
      field: found.condition.field,
      asked: describeFilter(found.condition) ?? found.condition.field,
      values: sorted.slice(0, EXISTING_VALUES_SHOWN).map((s) => ({ label: s.label, count: s.value })),
      distinct: sorted.length,
    };
  } catch {
    return undefined;
  }
}

/** Whether a chart's data holds nothing (no points, buckets or slices). */
export const isEmptyData = (data: unknown): boolean => Array.isArray(data) && data.length === 0;
