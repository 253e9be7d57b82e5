/** What every chart's summary shares: its context, its result, and the small helpers of both renderings. */
import { findPlotField } from "../../widget/catalogue.js";
import type { TimeWindow, WidgetQuery } from "../../widget/types.js";
import type { BucketClock } from "../buckets.js";
import { cell, cut, renderTable, roundNum, valueCell } from "../format.js";

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
  /** The moment of the call (epoch ms): buckets ending after it are still filling. */
  now: number;
  /** A name to show beside a group (an agent's beside its id), where the data carries one. */
  nameOf?: (group: unknown) => string | undefined;
}

/** A group as a table cell, with its name beside it when known: `4 (Tech Support Agent)`. */
export function groupLabel(group: unknown, nameOf: SummaryContext["nameOf"]): string {
  const name = nameOf?.(group);
  return name ? `${valueCell(group, 40)} (${cell(name, 40)})` : valueCell(group, 40);
}

export interface SummaryPart {
  markdown: string;
  stats: Record<string, unknown>;
  /** Calls the chart counted (those with a value for the field); undefined where that is not known. */
  covered?: number;
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

/** The bucket clock of a chart: its window, now, and the bucket length (a bucket group_by's interval wins). */
export function clockOf(ctx: SummaryContext): BucketClock {
  const g = ctx.query.group_by;
  return {
    window: ctx.window,
    now: ctx.now,
    period: ctx.period,
    ...(g?.type === "bucket" ? { intervalMs: g.interval } : {}),
  };
}

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
