/**
 * Turns the arguments a model sent into a widget query the API will accept, or into issues that
 * name the argument, what is wrong and how to fix it. Pure: no I/O, no clock (the caller passes
 * `now`). The same function serves the MCP tool and the embedded backend's request validation.
 *
 * It runs in phases, each in src/widget/validate/: lenient normalisation (lenient.ts), chart and
 * field (chart.ts), bar arguments (bar.ts), group_by (group-by.ts), filters (filters.ts), then,
 * when nothing was refused, the time window (window.ts) and the body (body.ts).
 */
import { isPlainObject } from "../shared/json.js";
import type { TimeWindow, WidgetQuery } from "./types.js";
import { checkBarArguments } from "./validate/bar.js";
import { assembleBody } from "./validate/body.js";
import { QUERY_EXAMPLE, readChartAndField } from "./validate/chart.js";
import { readFilters, type TimestampCondition } from "./validate/filters.js";
import { readGroupBy } from "./validate/group-by.js";
import { Collector, show, type ValidationIssue } from "./validate/issues.js";
import { presentArguments } from "./validate/lenient.js";
import { resolveWindow } from "./validate/window.js";

export type { ValidationIssue } from "./validate/issues.js";

export interface ValidateOptions {
  /** Epoch ms used to resolve relative datetimes; one instant per call. */
  now: number;
  /** When set and no gt/gte timestamp condition exists: add `timestamp gte <defaultStart>`. */
  defaultStart?: string;
  /** When set: a window start older than this many days (counted from 00:00 UTC today) is an issue. */
  maxWindowDays?: number;
  /** When true: no gt/gte timestamp condition is an issue (the upstream rule). */
  requireStart?: boolean;
}

export type ValidateResult =
  | { ok: true; query: WidgetQuery; window: TimeWindow; notes: string[] }
  | { ok: false; issues: ValidationIssue[]; tooFarInPast?: boolean; missingStart?: boolean };

export function validateWidgetQuery(args: unknown, opts: ValidateOptions): ValidateResult {
  const given = args ?? {};
  if (!isPlainObject(given)) {
    const message = `The arguments must be an object; got ${show(given)}.`;
    return { ok: false, issues: [{ path: "(arguments)", message, example: QUERY_EXAMPLE }] };
  }
  const c = new Collector();
  const a = presentArguments(given, c);
  const chartArgs = readChartAndField(a, c);
  checkBarArguments(a, chartArgs, c);
  const groupBy = readGroupBy(a, chartArgs.chart, c);
  const timestamps: TimestampCondition[] = [];
  const filters = readFilters(a, { c, now: opts.now, timestamps });
  if (c.issues.length > 0) return { ok: false, issues: c.issues };

  const window = resolveWindow(filters, timestamps, opts, c.notes);
  if (!window.ok) return { ok: false, ...window.error };
  // Named fields, not `{ ...filters, filters: ... }`: that spread takes V8's slow path (bench/validate.ts).
  const { dashboardFilters } = filters;
  const query = assembleBody(chartArgs, { filters: window.value.filters, dashboardFilters, groupBy });
  return { ok: true, query, window: window.value.window, notes: c.notes };
}

/** One model-facing message from the issues: each names the argument, the problem and the fix. */
export function describeIssues(issues: ValidationIssue[]): string {
  const lines = issues.map((i) => {
    let line = `- ${i.path}: ${i.message}`;
    if (i.fix) line += ` ${i.fix}`;
    if (i.example !== undefined) line += ` Example: ${JSON.stringify(i.example)}`;
    return line;
  });
  const head =
    issues.length === 1
      ? "The call has a problem; nothing was sent."
      : `The call has ${issues.length} problems; nothing was sent.`;
  return `${head}\n${lines.join("\n")}\nFix the arguments named above and call again.`;
}
