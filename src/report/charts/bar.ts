/** A bar chart (one figure per time bucket): its figures, computed once, rendered as markdown and as stats. */
import type { BarBucket } from "../../widget/response.js";
import {
  hourOfDayProfile,
  type Profile,
  partialBuckets,
  partialMark,
  partialSentence,
  weekdayProfile,
  weekStartNote,
} from "../buckets.js";
import { cell, cut, fmtNum, fmtWithUnit, renderTable } from "../format.js";
import { combineBuckets, type Overall, peakAndTrough } from "../stats.js";
import { clockOf, r, type SummaryContext, type SummaryPart, unitOf } from "./common.js";

/** Share of the body a profile (hour of day, weekdays against weekends) may take: the bucket table comes first. */
const PROFILE_SHARE = 0.4;

interface BarFigures {
  field: string | undefined;
  aggregation: string | undefined;
  period: string | undefined;
  /** Counts have no unit; every other aggregation keeps the field's. */
  unit: string | undefined;
  buckets: readonly BarBucket[];
  partial: boolean[];
  overall: Overall;
  /** Peak and trough among complete buckets; none when there is only one bucket. */
  peak: BarBucket | undefined;
  trough: BarBucket | undefined;
  weekNote: string | undefined;
  profile: Profile | undefined;
}

function barFigures(buckets: readonly BarBucket[], ctx: SummaryContext): BarFigures {
  const agg = ctx.aggregation;
  const partial = partialBuckets(
    buckets.map((b) => b.time_interval),
    clockOf(ctx),
  );
  const { peak, trough } = buckets.length > 1 ? peakAndTrough(buckets, partial) : { peak: -1, trough: -1 };
  const profileRoom = Math.floor(ctx.maxChars * PROFILE_SHARE);
  const profile =
    ctx.period === "hour" && ctx.query.group_by === undefined
      ? hourOfDayProfile(buckets, partial, agg, profileRoom)
      : ctx.period === "day" && ctx.query.group_by === undefined
        ? weekdayProfile(buckets, partial, agg, profileRoom)
        : undefined;
  return {
    field: ctx.field,
    aggregation: agg,
    period: ctx.period,
    unit: agg === "count" ? undefined : unitOf(ctx.field),
    buckets,
    partial,
    overall: combineBuckets(buckets, agg),
    peak: buckets[peak],
    trough: buckets[trough],
    weekNote: ctx.period === "week" ? weekStartNote(buckets.map((b) => b.time_interval)) : undefined,
    profile,
  };
}

const samplesText = (b: BarBucket): string =>
  b.sample_count === undefined ? "" : ` (${fmtNum(b.sample_count)} sample${b.sample_count === 1 ? "" : "s"})`;

function barSentences(f: BarFigures): string[] {
  const { unit, overall, peak, trough, buckets, partial } = f;
  const sentences: string[] = [];
  if (overall.value === null && overall.reason) sentences.push(`No overall figure: ${overall.reason}.`);
  const partials = partial.filter(Boolean).length;
  if (partials > 0) sentences.push(partialSentence(partials, buckets.length));
  if (f.weekNote) sentences.push(f.weekNote);
  if (buckets.length === 1) {
    sentences.push("One bucket: its value is the figure for the whole window.");
  } else if (peak && trough) {
    sentences.push(
      `Peak: ${cell(peak.time_interval, 40)} at ${fmtWithUnit(peak.value, unit)}${samplesText(peak)}. ` +
        `Trough: ${cell(trough.time_interval, 40)} at ${fmtWithUnit(trough.value, unit)}${samplesText(trough)}${partials > 0 ? " (complete buckets only)" : ""}.`,
    );
  } else if (buckets.some((b) => b.value !== null)) {
    sentences.push("Every bucket is partial, so none is named peak or trough.");
  } else {
    sentences.push("No bucket has a value.");
  }
  return sentences;
}

function barMarkdown(f: BarFigures, maxChars: number): string {
  const { unit, overall, buckets, partial } = f;
  const tail = barSentences(f).join("\n");
  const profile = f.profile ? `\n\n${f.profile.markdown}` : "";
  const valueHeader = `${cell(f.aggregation ?? "value", 20)} of ${cell(f.field ?? "value", 60)}${unit ? ` (${unit})` : ""}`;
  const table = renderTable({
    headers: ["bucket start (UTC)", valueHeader, "samples"],
    rowCount: buckets.length,
    row: (i) => {
      const b = buckets[i] as BarBucket;
      return [
        partialMark(cell(b.time_interval, 40), partial[i]),
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
    maxChars: maxChars - tail.length - profile.length - 2,
    elide: "middle",
  });
  return cut(`${table}\n\n${tail}${profile}`, maxChars);
}

function bucketFigure(b: BarBucket | undefined): Record<string, unknown> | null {
  return b
    ? { time_interval: cut(b.time_interval, 60), value: r(b.value), sample_count: b.sample_count ?? null }
    : null;
}

function barStats(f: BarFigures): Record<string, unknown> {
  const { overall } = f;
  const partials = f.buckets.flatMap((b, i) => (f.partial[i] ? [cut(b.time_interval, 60)] : []));
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
    ...(partials.length > 0 ? { partial_buckets: partials.slice(0, 10) } : {}),
    ...(f.profile ? f.profile.stats : {}),
  };
}

/** Calls with a value in all the buckets: their sample counts (a count's values when no bucket says); undefined when unknown. */
export function coveredBy(
  buckets: readonly BarBucket[],
  aggregation: string | undefined,
): number | undefined {
  let n = 0;
  for (const b of buckets) {
    if (b.sample_count !== undefined) n += b.sample_count;
    else if (aggregation === "count" && b.value !== null) n += b.value;
    else return undefined;
  }
  return n;
}

export function barSummary(buckets: readonly BarBucket[], ctx: SummaryContext): SummaryPart {
  const f = barFigures(buckets, ctx);
  const covered = ctx.query.group_by?.type === "bucket" ? undefined : coveredBy(buckets, ctx.aggregation);
  return {
    markdown: barMarkdown(f, ctx.maxChars),
    stats: barStats(f),
    ...(covered !== undefined ? { covered } : {}),
  };
}
