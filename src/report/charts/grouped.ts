/**
 * A grouped bar chart (`group_by`: one item per bucket and group) as an analyst pivots it: every
 * group ranked by one figure over the whole window, then a table with a row per bucket and a
 * column per group (the largest groups; the rest folded into one "other" column that says how
 * many groups it holds).
 */
import type { BarBucket, GroupedBarBucket } from "../../widget/response.js";
import { extremes, partialBuckets, partialMark, partialSentence, weekStartNote } from "../buckets.js";
import { cell, cut, fmtNum, renderTable } from "../format.js";
import { combineBuckets, type Overall } from "../stats.js";
import { coveredBy } from "./bar.js";
import {
  boundId,
  clockOf,
  groupLabel,
  r,
  STATS_LABEL_MAX,
  type SummaryContext,
  type SummaryPart,
} from "./common.js";

/** Groups shown as their own pivot columns; more would not fit a readable row. */
const PIVOT_COLUMNS = 8;
/** Share of the body the ranking may take: it answers "which group" and must list every group it can. */
const RANKING_SHARE = 0.45;
/** Groups listed in `stats`: the markdown ranking lists as many as fit. */
const STATS_MAX_GROUPS = 30;

interface GroupFigure {
  group: unknown;
  label: string;
  buckets: GroupedBarBucket[];
  /** The window-wide figure: weighted mean, total, extreme, or a one-bucket group's percentile. */
  overall: Overall;
  samples: number;
}

interface PivotFigures {
  aggregation: string | undefined;
  /** Every group, ranked: highest figure first, groups without one last. */
  ranking: GroupFigure[];
  /** The groups with their own column (the most samples), in ranking order. */
  columns: GroupFigure[];
  /** The groups folded into "other". */
  other: GroupFigure[];
  /** Bucket starts in order, and which are partial. */
  times: string[];
  partial: boolean[];
  /** Per bucket start, per group key: the group's bucket. */
  cells: Map<string, Map<string, GroupedBarBucket>>;
  weekNote: string | undefined;
  method: string;
  reason: string | undefined;
}

const keyOf = (g: unknown): string => (typeof g === "string" ? `s:${g}` : `j:${JSON.stringify(g)}`);

function pivotFigures(buckets: readonly GroupedBarBucket[], ctx: SummaryContext): PivotFigures {
  const agg = ctx.aggregation;
  const groups = new Map<string, GroupFigure>();
  const cells = new Map<string, Map<string, GroupedBarBucket>>();
  for (const b of buckets) {
    const key = keyOf(b.group);
    let g = groups.get(key);
    if (!g) {
      g = {
        group: b.group,
        label: groupLabel(b.group, ctx.nameOf),
        buckets: [],
        overall: undefined as never,
        samples: 0,
      };
      groups.set(key, g);
    }
    g.buckets.push(b);
    g.samples += b.sample_count ?? 0;
    let row = cells.get(b.time_interval);
    if (!row) {
      row = new Map();
      cells.set(b.time_interval, row);
    }
    row.set(key, b);
  }
  for (const g of groups.values()) g.overall = combineBuckets(g.buckets, agg);
  const ranking = [...groups.values()].sort(
    (a, b) =>
      (b.overall.value ?? Number.NEGATIVE_INFINITY) - (a.overall.value ?? Number.NEGATIVE_INFINITY) ||
      b.samples - a.samples ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  const largest = new Set([...ranking].sort((a, b) => b.samples - a.samples).slice(0, PIVOT_COLUMNS));
  const times = [...cells.keys()].sort();
  const first = ranking.find((g) => g.overall.method !== "the only bucket") ?? ranking[0];
  return {
    aggregation: agg,
    ranking,
    columns: ranking.filter((g) => largest.has(g)),
    other: ranking.filter((g) => !largest.has(g)),
    times,
    partial: partialBuckets(times, clockOf(ctx)),
    cells,
    weekNote: ctx.period === "week" ? weekStartNote(times) : undefined,
    method: first?.overall.method ?? "",
    reason: ranking.find((g) => g.overall.reason)?.overall.reason,
  };
}

function rankingMarkdown(f: PivotFigures, maxChars: number): string {
  const agg = cell(f.aggregation ?? "value", 20);
  const table = renderTable({
    headers: ["rank", "group", `${agg} over the window`, "samples", "buckets"],
    rowCount: f.ranking.length,
    row: (i) => {
      const g = f.ranking[i] as GroupFigure;
      return [String(i + 1), g.label, fmtNum(g.overall.value), fmtNum(g.samples), String(g.buckets.length)];
    },
    maxChars,
    elide: "tail",
  });
  const ext = extremes(f.ranking.map((g) => g.overall.value));
  const hi = ext && f.ranking[ext.hi];
  const lo = ext && f.ranking[ext.lo];
  const sentence =
    hi && lo && hi !== lo
      ? `\nHighest: ${hi.label} at ${fmtNum(hi.overall.value)} (${fmtNum(hi.samples)} samples); lowest: ${lo.label} at ${fmtNum(lo.overall.value)} (${fmtNum(lo.samples)} samples).`
      : "";
  const why = f.reason ? `\nGroups without a figure (n/a): ${f.reason}.` : "";
  return `All ${f.ranking.length} group${f.ranking.length === 1 ? "" : "s"} ranked by ${agg} over the whole window (${f.method}):\n${table}${sentence}${why}`;
}

/** The combined figure of several groups' buckets at one time (sum, weighted mean, extreme). */
const combined = (bs: readonly BarBucket[], agg: string | undefined): Overall => combineBuckets(bs, agg);

function pivotMarkdown(f: PivotFigures, maxChars: number): string {
  const otherHeader = f.other.length > 0 ? [`other (${f.other.length} groups)`] : [];
  const otherKeys = f.other.map((g) => keyOf(g.group));
  const rowCells = (i: number): string[] => {
    const t = f.times[i] as string;
    const row = f.cells.get(t) ?? new Map<string, GroupedBarBucket>();
    const cells = f.columns.map((g) => {
      const b = row.get(keyOf(g.group));
      return b ? fmtNum(b.value) : "";
    });
    if (f.other.length > 0) {
      const bs = otherKeys.flatMap((k) => {
        const b = row.get(k);
        return b ? [b] : [];
      });
      cells.push(bs.length === 0 ? "" : fmtNum(combined(bs, f.aggregation).value));
    }
    return [partialMark(cell(t, 40), f.partial[i]), ...cells];
  };
  const otherOverall = combined(
    f.other.flatMap((g) => g.buckets),
    f.aggregation,
  );
  const table = renderTable({
    headers: ["bucket start (UTC)", ...f.columns.map((g) => g.label), ...otherHeader],
    rowCount: f.times.length,
    row: rowCells,
    footer: [
      [
        "**overall**",
        ...f.columns.map((g) => fmtNum(g.overall.value)),
        ...(f.other.length > 0 ? [fmtNum(otherOverall.value)] : []),
      ],
      [
        "samples",
        ...f.columns.map((g) => fmtNum(g.samples)),
        ...(f.other.length > 0 ? [fmtNum(f.other.reduce((n, g) => n + g.samples, 0))] : []),
      ],
    ],
    maxChars,
    elide: "middle",
  });
  const head =
    f.other.length > 0
      ? `Per bucket (rows) and group (columns: the ${f.columns.length} groups with the most samples; "other" combines the remaining ${f.other.length}):`
      : "Per bucket (rows) and group (columns):";
  return `${head}\n${table}`;
}

function pivotSentences(f: PivotFigures): string {
  const partials = f.partial.filter(Boolean).length;
  const out: string[] = [];
  if (partials > 0) out.push(partialSentence(partials, f.times.length));
  if (f.weekNote) out.push(f.weekNote);
  return out.join("\n");
}

function pivotStats(f: PivotFigures, ctx: SummaryContext): Record<string, unknown> {
  const groupOut = (g: GroupFigure) => ({
    group: typeof g.group === "string" ? cut(g.group, STATS_LABEL_MAX) : boundId(g.group),
    ...(ctx.nameOf?.(g.group) ? { name: cut(ctx.nameOf(g.group) as string, STATS_LABEL_MAX) } : {}),
    value: r(g.overall.value),
    samples: g.samples,
    buckets: g.buckets.length,
  });
  return {
    chart: "bar",
    grouped: true,
    field: ctx.field ?? null,
    aggregation: ctx.aggregation ?? null,
    time_period: ctx.period ?? null,
    ranked_by: f.method,
    buckets: f.times.length,
    groups_total: f.ranking.length,
    groups: f.ranking.slice(0, STATS_MAX_GROUPS).map(groupOut),
    ...(f.ranking.length > STATS_MAX_GROUPS ? { groups_cut: f.ranking.length - STATS_MAX_GROUPS } : {}),
    columns: f.columns.map((g) => groupOut(g).group),
    other_groups: f.other.length,
    ...(f.partial.some(Boolean)
      ? { partial_buckets: f.times.filter((_, i) => f.partial[i]).slice(0, 10) }
      : {}),
  };
}

export function groupedBarSummary(buckets: readonly GroupedBarBucket[], ctx: SummaryContext): SummaryPart {
  const f = pivotFigures(buckets, ctx);
  const ranking = rankingMarkdown(f, Math.floor(ctx.maxChars * RANKING_SHARE));
  const tail = pivotSentences(f);
  const pivot = pivotMarkdown(f, ctx.maxChars - ranking.length - tail.length - 6);
  const covered = ctx.query.group_by?.type === "bucket" ? undefined : coveredBy(buckets, ctx.aggregation);
  return {
    markdown: cut([ranking, pivot, tail].filter((p) => p !== "").join("\n\n"), ctx.maxChars),
    stats: pivotStats(f, ctx),
    ...(covered !== undefined ? { covered } : {}),
  };
}
