/**
 * The summary of one response: a markdown body (tables and sentences) within a character budget,
 * and the same figures as a JSON object. Figures are always computed over ALL the data, whatever
 * the tables or the raw data show. Each chart lives in charts/: it computes its figures once and
 * renders both the markdown and the stats from them.
 */
import {
  type LinePoint,
  readAll,
  readBarBucket,
  readGroupedBarBucket,
  readPieSlice,
  readStatData,
  STAT_KEYS,
} from "../widget/response.js";
import { barSummary } from "./charts/bar.js";
import type { SummaryContext, SummaryPart } from "./charts/common.js";
import { generic } from "./charts/generic.js";
import { groupedBarSummary } from "./charts/grouped.js";
import { lineSummary, scanLine } from "./charts/line.js";
import { pieSummary } from "./charts/pie.js";
import { statSummary } from "./charts/stat.js";
import { describeEmpty } from "./describe.js";
import { cut, oneLine } from "./format.js";

export type { SummaryContext, SummaryPart } from "./charts/common.js";

export function summarise(data: unknown, ctx: SummaryContext): SummaryPart {
  const { chart } = ctx;
  if (Array.isArray(data) && data.length === 0 && chart !== "stat") return empty(ctx);
  switch (chart) {
    case "line": {
      if (!Array.isArray(data)) return generic(data, ctx, "a line chart's data should be a list");
      const scan = scanLine(data);
      return scan
        ? lineSummary(data as LinePoint[], scan, ctx)
        : generic(data, ctx, "the points are not {id, timestamp, value}");
    }
    case "bar": {
      if (!Array.isArray(data)) return generic(data, ctx, "a bar chart's data should be a list");
      const buckets = readAll(data, readBarBucket);
      if (buckets) return barSummary(buckets, ctx);
      const grouped = readAll(data, readGroupedBarBucket);
      if (grouped) return groupedBarSummary(grouped, ctx);
      return generic(data, ctx, "the buckets are not {time_interval, value, sample_count}");
    }
    case "pie": {
      if (!Array.isArray(data)) return generic(data, ctx, "a pie chart's data should be a list");
      const slices = readAll(data, readPieSlice);
      return slices
        ? pieSummary(slices, ctx)
        : generic(data, ctx, "the slices are not {label, value, percentage}");
    }
    case "stat": {
      const stat = readStatData(data);
      return stat
        ? statSummary(stat, ctx)
        : generic(data, ctx, `stat data should be an object with ${STAT_KEYS.join(", ")}`);
    }
    default:
      return generic(data, ctx, `the chart type "${oneLine(chart, 40)}" is not one this summary knows`);
  }
}

function empty(ctx: SummaryContext): SummaryPart {
  return {
    markdown: cut(describeEmpty(ctx.query, ctx.window), ctx.maxChars),
    stats: { chart: ctx.chart, empty: true, items: 0 },
  };
}
