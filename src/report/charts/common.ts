/** What every chart's summary shares: its context, its result, and the small helpers of both renderings. */
import { findPlotField } from "../../widget/catalogue.js";
import type { TimeWindow, WidgetQuery } from "../../widget/types.js";
import { cut, renderTable, roundNum, valueCell } from "../format.js";

export interface SummaryContext {
  /** The chart type the data is read as: the response's own when it says, else the query's. */
  chart: string;
  field: string | undefined;
  aggregation: string | undefined;
  period: string | undefined;
  query: WidgetQuery;
  window: TimeWindow;
  /** Characters the markdown body may take. */
  maxChars: number;
}

export interface SummaryPart {
  markdown: string;
  stats: Record<string, unknown>;
}

/** Labels in `stats` are cut to this many characters: JSON has no table to keep narrow, but still a budget. */
export const STATS_LABEL_MAX = 100;

/** Rounded for the stats object, so JSON carries no float noise either. */
export const r = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : roundNum(x);

export const unitOf = (field: string | undefined): string | undefined =>
  field ? findPlotField(field)?.entry.unit : undefined;

/** An id as given when it is short (a number, null, a short string); anything else as a short text. */
export const boundId = (id: unknown): unknown =>
  typeof id === "string" ? cut(id, 60) : typeof id === "number" || id === null ? id : valueCell(id, 60);

/** A two-column table of named figures. */
export function figureTable(rows: string[][], maxChars: number, header = "value"): string {
  return renderTable({
    headers: ["figure", header],
    rowCount: rows.length,
    row: (i) => rows[i] ?? [],
    maxChars,
    elide: "tail",
  });
}
