/** A pie chart (calls per value): its figures, computed once, rendered as markdown and as stats. */
import type { PieSlice } from "../../widget/response.js";
import { cell, cut, fmtNum, fmtPercent, oneLine, renderTable } from "../format.js";
import { r, STATS_LABEL_MAX, type SummaryContext, type SummaryPart } from "./common.js";

/** Slices shown one by one; the rest are folded into "other". */
const TOP_SLICES = 10;
/** Share of the body the list of labels folded into "other" may take: the table comes first. */
const FOLDED_SHARE = 0.3;
/** Folded labels named in `stats`. */
const STATS_FOLDED_MAX = 20;

interface PieFigures {
  field: string | undefined;
  labels: number;
  total: number;
  top: PieSlice[];
  rest: PieSlice[];
  restCount: number;
}

function pieFigures(slices: readonly PieSlice[], ctx: SummaryContext): PieFigures {
  const sorted = [...slices].sort(
    (a, b) => b.value - a.value || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  const rest = sorted.slice(TOP_SLICES);
  return {
    field: ctx.field,
    labels: slices.length,
    total: sorted.reduce((s, x) => s + x.value, 0),
    top: sorted.slice(0, TOP_SLICES),
    rest,
    restCount: rest.reduce((s, x) => s + x.value, 0),
  };
}

const share = (f: PieFigures, count: number): number | null => (f.total > 0 ? count / f.total : null);

/** "other folds: a (12), b (9), ... and 3 more", within `maxChars`. */
function foldedText(f: PieFigures, maxChars: number): string {
  if (f.rest.length === 0) return "";
  const head = `"other" folds ${f.rest.length} labels: `;
  const items: string[] = [];
  let used = head.length + 20;
  for (const s of f.rest) {
    const item = `${JSON.stringify(cut(oneLine(s.label), 60))} (${fmtNum(s.value)})`;
    if (used + item.length + 2 > maxChars) break;
    items.push(item);
    used += item.length + 2;
  }
  const left = f.rest.length - items.length;
  if (items.length === 0) return "";
  return `${head}${items.join(", ")}${left > 0 ? `, and ${left} more (see the data)` : ""}.`;
}

function pieMarkdown(f: PieFigures, maxChars: number): string {
  const folded = foldedText(f, Math.floor(maxChars * FOLDED_SHARE));
  const shareText = (count: number): string => {
    const s = share(f, count);
    return s === null ? "n/a" : fmtPercent(s);
  };
  const footer: string[][] = [];
  if (f.rest.length > 0)
    footer.push([`other (${f.rest.length} labels)`, fmtNum(f.restCount), shareText(f.restCount)]);
  footer.push(["**total**", fmtNum(f.total), f.total > 0 ? "100%" : "n/a"]);
  const table = renderTable({
    headers: [`value of ${cell(f.field ?? "field", 60)}`, "calls", "share"],
    rowCount: f.top.length,
    row: (i) => {
      const s = f.top[i] as PieSlice;
      return [cell(s.label), fmtNum(s.value), shareText(s.value)];
    },
    footer,
    maxChars: maxChars - folded.length - 2,
    elide: "tail",
  });
  return cut(folded ? `${table}\n\n${folded}` : table, maxChars);
}

function pieStats(f: PieFigures): Record<string, unknown> {
  const pct = (count: number): number | null => {
    const s = share(f, count);
    return s === null ? null : Math.round(s * 1000) / 10;
  };
  return {
    chart: "pie",
    field: f.field ?? null,
    labels: f.labels,
    total: r(f.total),
    top: f.top.map((s) => ({
      label: cut(s.label, STATS_LABEL_MAX),
      count: r(s.value),
      share_percent: pct(s.value),
    })),
    other:
      f.rest.length > 0
        ? {
            labels: f.rest.length,
            count: r(f.restCount),
            share_percent: pct(f.restCount),
            folded: f.rest
              .slice(0, STATS_FOLDED_MAX)
              .map((s) => ({ label: cut(s.label, STATS_LABEL_MAX), count: r(s.value) })),
          }
        : null,
  };
}

export function pieSummary(slices: readonly PieSlice[], ctx: SummaryContext): SummaryPart {
  const f = pieFigures(slices, ctx);
  return { markdown: pieMarkdown(f, ctx.maxChars), stats: pieStats(f), covered: f.total };
}
