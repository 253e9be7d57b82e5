/**
 * What the dashboard tools show of a saved dashboard and its widgets: plain rows, no layout
 * `metadata`, every value read defensively (the service's answer is untrusted).
 */
import { describeSavedFilter, errorAnswer } from "../../report/index.js";
import { isPlainObject } from "../../shared/json.js";

export const MAX_ID = 2 ** 31 - 1;

export const text = (v: unknown): string =>
  typeof v === "string" ? v : v === null || v === undefined ? "" : String(v);
export const idOf = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) ? v : undefined;
export const dateOf = (v: unknown): string =>
  typeof v === "string" ? v.replace(/\.\d+/, "").slice(0, 20) : "";

/** A dashboard as the answer shows it: no widgets, no layout. */
export function dashboardRow(d: Record<string, unknown>) {
  const count = Number(d.widget_count ?? (Array.isArray(d.widgets) ? d.widgets.length : Number.NaN));
  return {
    id: idOf(d.id) ?? null,
    name: text(d.name),
    project: idOf(d.project) ?? null,
    widget_count: Number.isFinite(count) ? count : null,
    filters: describeSavedFilter(d.filters),
    updated_at: dateOf(d.updated_at),
  };
}

export const notAList = (what: string) =>
  errorAnswer({
    category: "bad_response",
    message: `The Cekura API answered, but not with ${what} this server can read. Check CEKURA_BASE_URL, or retry later.`,
  });

/** A saved widget's definition as the answer shows it: no layout `metadata`. */
export function widgetRow(w: Record<string, unknown>) {
  const g = w.group_by;
  const groupBy = isPlainObject(g)
    ? g.type === "field"
      ? `field ${text(g.field)}`
      : g.type === "bucket"
        ? `bucket ${text(g.interval)} ms`
        : ""
    : "";
  return {
    id: idOf(w.id) ?? null,
    name: text(w.name),
    chart_type: text(w.chart_type),
    field: text(w.field),
    aggregation_function: text(w.aggregation_function),
    time_period: text(w.time_period),
    metric: idOf(w.metric) ?? null,
    metric_name: text(w.metric_name),
    group_by: groupBy,
    filters: describeSavedFilter(w.filters),
  };
}
