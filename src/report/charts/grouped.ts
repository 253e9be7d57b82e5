/** A grouped bar chart (`group_by`: one bucket per time and group): per-group figures beside the items. */
import type { GroupedBarBucket } from "../../widget/response.js";
import { cell, cut, fmtNum, renderTable, valueCell } from "../format.js";
import { combineBuckets, type Overall } from "../stats.js";
import { boundId, r, STATS_LABEL_MAX, type SummaryContext, type SummaryPart } from "./common.js";
import { generic } from "./generic.js";

/** Groups shown in the table and in `stats`. */
const MAX_GROUPS = 15;
/** Share of the body the per-group table may take: the items table beside it needs the rest. */
const GROUP_TABLE_SHARE = 0.35;

interface GroupFigure {
  group: unknown;
  buckets: number;
  overall: Overall;
}

function groupedFigures(
  buckets: readonly GroupedBarBucket[],
  aggregation: string | undefined,
): GroupFigure[] {
  const groups = new Map<string, { group: unknown; buckets: GroupedBarBucket[] }>();
  for (const b of buckets) {
    const key = typeof b.group === "string" ? `s:${b.group}` : `j:${JSON.stringify(b.group)}`;
    let g = groups.get(key);
    if (!g) {
      g = { group: b.group, buckets: [] };
      groups.set(key, g);
    }
    g.buckets.push(b);
  }
  return [...groups.values()].map((g) => ({
    group: g.group,
    buckets: g.buckets.length,
    overall: combineBuckets(g.buckets, aggregation),
  }));
}

function groupedMarkdown(perGroup: readonly GroupFigure[], ctx: SummaryContext): string {
  const groupTable = renderTable({
    headers: ["group", "buckets", `overall ${cell(ctx.aggregation ?? "value", 20)}`, "samples"],
    rowCount: perGroup.length,
    row: (i) => {
      const g = perGroup[i] as GroupFigure;
      return [
        valueCell(g.group, 40),
        String(g.buckets),
        g.overall.value === null ? "n/a" : fmtNum(g.overall.value),
        g.overall.samples === null ? "" : fmtNum(g.overall.samples),
      ];
    },
    maxChars: Math.floor(ctx.maxChars * GROUP_TABLE_SHARE),
    maxRows: MAX_GROUPS,
    elide: "tail",
  });
  const reason = perGroup[0]?.overall.reason;
  return `Per group (${perGroup.length} group${perGroup.length === 1 ? "" : "s"}; ${perGroup[0]?.overall.method ?? ""}):\n${groupTable}${reason ? `\nNo overall figure: ${reason}.` : ""}`;
}

function groupedStats(perGroup: readonly GroupFigure[], ctx: SummaryContext): Record<string, unknown> {
  return {
    chart: "bar",
    aggregation: ctx.aggregation ?? null,
    time_period: ctx.period ?? null,
    groups_total: perGroup.length,
    groups: perGroup.slice(0, MAX_GROUPS).map((g) => ({
      group: typeof g.group === "string" ? cut(g.group, STATS_LABEL_MAX) : boundId(g.group),
      buckets: g.buckets,
      overall: r(g.overall.value),
      samples: g.overall.samples,
    })),
  };
}

export function groupedBarSummary(
  items: readonly unknown[],
  buckets: readonly GroupedBarBucket[],
  ctx: SummaryContext,
): SummaryPart {
  const perGroup = groupedFigures(buckets, ctx.aggregation);
  const groupPart = groupedMarkdown(perGroup, ctx);
  const base = generic(
    items,
    { ...ctx, maxChars: ctx.maxChars - groupPart.length - 2 },
    "the buckets carry a `group` key",
  );
  return {
    markdown: cut(`${base.markdown}\n\n${groupPart}`, ctx.maxChars),
    stats: { ...base.stats, ...groupedStats(perGroup, ctx) },
  };
}
