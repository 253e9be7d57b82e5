/** A bar chart (one figure per time bucket): its figures, computed once, rendered as markdown and as stats. */
import type { BarBucket } from "../../widget/response.js";
import { cell, cut, fmtNum, fmtWithUnit, renderTable } from "../format.js";
import { combineBuckets, type Overall, peakAndTrough } from "../stats.js";
import { r, type SummaryContext, type SummaryPart, unitOf } from "./common.js";

interface BarFigures {
  field: string | undefined;
  aggregation: string | undefined;
  period: string | undefined;
  /** Counts have no unit; every other aggregation keeps the field's. */
  unit: string | undefined;
  buckets: readonly BarBucket[];
  overall: Overall;
  peak: BarBucket | undefined;
  trough: BarBucket | undefined;
}

function barFigures(buckets: readonly BarBucket[], ctx: SummaryContext): BarFigures {
  const agg = ctx.aggregation;
  const { peak, trough } = peakAndTrough(buckets);
  return {
    field: ctx.field,
    aggregation: agg,
    period: ctx.period,
    unit: agg === "count" ? undefined : unitOf(ctx.field),
    buckets,
    overall: combineBuckets(buckets, agg),
    peak: buckets[peak],
    trough: buckets[trough],
  };
}

const samplesText = (b: BarBucket): string =>
  b.sample_count === undefined ? "" : ` (${fmtNum(b.sample_count)} sample${b.sample_count === 1 ? "" : "s"})`;

function barMarkdown(f: BarFigures, maxChars: number): string {
  const { unit, overall, peak, trough, buckets } = f;
  const sentences: string[] = [];
  if (overall.value === null && overall.reason) sentences.push(`No overall figure: ${overall.reason}.`);
  if (peak && trough) {
    sentences.push(
      `Peak: ${cell(peak.time_interval, 40)} at ${fmtWithUnit(peak.value, unit)}${samplesText(peak)}. ` +
        `Trough: ${cell(trough.time_interval, 40)} at ${fmtWithUnit(trough.value, unit)}${samplesText(trough)}.`,
    );
  } else {
    sentences.push("No bucket has a value.");
  }
  const tail = sentences.join("\n");
  const valueHeader = `${cell(f.aggregation ?? "value", 20)} of ${cell(f.field ?? "value", 60)}${unit ? ` (${unit})` : ""}`;
  const table = renderTable({
    headers: ["bucket start (UTC)", valueHeader, "samples"],
    rowCount: buckets.length,
    row: (i) => {
      const b = buckets[i] as BarBucket;
      return [
        cell(b.time_interval, 40),
        fmtNum(b.value),
        b.sample_count === undefined ? "" : fmtNum(b.sample_count),
      ];
    },
    footer: [
      [
        `**overall** (${overall.method})`,
        overall.value === null ? "n/a" : fmtNum(overall.value),
        overall.samples === null ? "" : fmtNum(overall.samples),
      ],
    ],
    maxChars: maxChars - tail.length - 2,
    elide: "middle",
  });
  return cut(`${table}\n\n${tail}`, maxChars);
}

function bucketFigure(b: BarBucket | undefined): Record<string, unknown> | null {
  return b
    ? { time_interval: cut(b.time_interval, 60), value: r(b.value), sample_count: b.sample_count ?? null }
    : null;
}

function barStats(f: BarFigures): Record<string, unknown> {
  const { overall } = f;
  return {
    chart: "bar",
    field: f.field ?? null,
    unit: f.unit ?? null,
    aggregation: f.aggregation ?? null,
    time_period: f.period ?? null,
    buckets: f.buckets.length,
    overall: { value: r(overall.value), samples: overall.samples, method: overall.method },
    ...(overall.reason ? { overall_note: overall.reason } : {}),
    peak: bucketFigure(f.peak),
    trough: bucketFigure(f.trough),
  };
}

export function barSummary(buckets: readonly BarBucket[], ctx: SummaryContext): SummaryPart {
  const f = barFigures(buckets, ctx);
  return { markdown: barMarkdown(f, ctx.maxChars), stats: barStats(f) };
}
