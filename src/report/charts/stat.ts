/** A stat chart (headline numbers): its figures, computed once, rendered as markdown and as stats. */
import type { StatData } from "../../widget/response.js";
import { describeEmpty } from "../describe.js";
import { cell, cut, fmtNum, fmtPercent, fmtWithUnit, renderTable, valueCell } from "../format.js";
import { r, type SummaryContext, type SummaryPart, unitOf } from "./common.js";
import { GENERIC_MAX_ROWS } from "./generic.js";

/** The four documented figures always have a row; keys beyond them get at most this many more. */
const MAX_ROWS = 4 + GENERIC_MAX_ROWS;
/** What the success rate is a share of (docs/embedded-backend.md: upstream does not say; the embedded backend's rule). */
const SUCCESS_SHARE =
  "success_rate is a share of the calls with a success value (true or false): calls not evaluated for success count in total_calls but not in the rate. A pie of success with the same filters gives both counts.";
/** Extra keys named in `stats`. */
const STATS_MAX_KEYS = 30;

interface StatFigures {
  stat: StatData;
  durationUnit: string | undefined;
  extraKeys: string[];
  empty: boolean;
}

function statFigures(stat: StatData): StatFigures {
  return {
    stat,
    durationUnit: unitOf("duration"),
    extraKeys: Object.keys(stat.extra),
    empty: stat.total_calls === 0,
  };
}

function statMarkdown(f: StatFigures, ctx: SummaryContext): string {
  // ASSUMPTION (docs/cekura-api.md §3, our rule; undocumented upstream): success_rate is a
  // fraction 0..1 and p95_latency is in milliseconds. The percentage is shown only when in 0..1.
  const { stat } = f;
  const missing = "not in the response";
  const show = (v: number | null | undefined, fmt: (x: number) => string, nullText = "n/a"): string =>
    v === undefined ? missing : v === null ? nullText : fmt(v);
  const rows: string[][] = [
    ["total_calls", show(stat.total_calls, fmtNum)],
    [
      "success_rate",
      show(stat.success_rate, (x) => (x >= 0 && x <= 1 ? `${fmtNum(x)} (${fmtPercent(x)})` : fmtNum(x))),
    ],
    ["avg_duration", show(stat.avg_duration, (x) => fmtWithUnit(x, f.durationUnit))],
    ["p95_latency", show(stat.p95_latency, (x) => `${fmtNum(x)} ms`, "n/a (no latency data)")],
  ];
  for (const k of f.extraKeys) rows.push([cell(k, 40), valueCell(stat.extra[k])]);
  const intro = f.empty ? `${describeEmpty(ctx.query, ctx.window)}\n\n` : "";
  const outro = stat.success_rate === undefined || stat.success_rate === null ? "" : `\n\n${SUCCESS_SHARE}`;
  const table = renderTable({
    headers: ["figure", "value"],
    rowCount: rows.length,
    row: (i) => rows[i] ?? [],
    maxChars: ctx.maxChars - intro.length - outro.length,
    maxRows: MAX_ROWS,
    elide: "tail",
  });
  return cut(intro + table + outro, ctx.maxChars);
}

function statStats(f: StatFigures): Record<string, unknown> {
  const { stat } = f;
  return {
    chart: "stat",
    ...(f.empty ? { empty: true } : {}),
    total_calls: r(stat.total_calls),
    success_rate: r(stat.success_rate),
    avg_duration: r(stat.avg_duration),
    p95_latency: r(stat.p95_latency),
    units: { avg_duration: f.durationUnit ?? null, p95_latency: "ms" },
    ...(f.extraKeys.length > 0
      ? { extra_keys: f.extraKeys.slice(0, STATS_MAX_KEYS).map((k) => cut(k, 60)) }
      : {}),
  };
}

export function statSummary(stat: StatData, ctx: SummaryContext): SummaryPart {
  const f = statFigures(stat);
  return { markdown: statMarkdown(f, ctx), stats: statStats(f) };
}
