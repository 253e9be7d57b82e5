/**
 * The time window: the default start where none was given, the upstream's limit on how far back
 * a window starts, and the window the filters admit (refused when empty).
 */

import { err, ok, type Result } from "../../shared/errors.js";
import { MAX_FILTER_DEPTH } from "../catalogue.js";
import { DAY_MS, resolveDatetime, roleOf, startOfUtcDay, toIso } from "../time.js";
import type { Condition, Filter, TimeWindow } from "../types.js";
import { isGroup } from "../types.js";
import { FILTER_EXAMPLE, NESTING_LIMIT, type TimestampCondition } from "./filters.js";
import type { ValidationIssue } from "./issues.js";

export interface WindowOptions {
  now: number;
  defaultStart?: string;
  maxWindowDays?: number;
  requireStart?: boolean;
}

/** Why no window: the issue, and the flags the embedded backend answers with its own message. */
export interface WindowRefusal {
  issues: ValidationIssue[];
  tooFarInPast?: boolean;
  missingStart?: boolean;
}

export type WindowOutcome = Result<{ filters: Filter | undefined; window: TimeWindow }, WindowRefusal>;

const refuse = (refusal: WindowRefusal): WindowOutcome => err(refusal);

/**
 * Resolves the window of checked filters; `filters` comes back with the default start added when
 * one was. `timestamps` are the timestamp conditions the filters hold; notes go to `notes`.
 */
export function resolveWindow(
  given: { filters: Filter | undefined; dashboardFilters: Filter | undefined },
  timestamps: TimestampCondition[],
  opts: WindowOptions,
  notes: string[],
): WindowOutcome {
  let { filters } = given;
  const { dashboardFilters } = given;
  let defaulted = false;
  if (!timestamps.some((t) => roleOf(t.op) === "start")) {
    if (opts.requireStart) {
      return refuse({
        missingStart: true,
        issues: [
          {
            path: "filters",
            message: "A timestamp condition with gt or gte is required (the window's start).",
            example: { filters: FILTER_EXAMPLE },
          },
        ],
      });
    }
    if (opts.defaultStart) {
      const withStart = andWith(filters, { field: "timestamp", op: "gte", value: opts.defaultStart });
      // Wrapping an or/same_row root adds a level: what is sent must pass the same limit again.
      const depth = levels(withStart);
      if (depth > MAX_FILTER_DEPTH) {
        return refuse({
          issues: [
            {
              path: "filters",
              message: `${NESTING_LIMIT} These give no start time, so the default start (timestamp gte ${opts.defaultStart}) goes in an and-group around them, which makes ${depth} levels.`,
              fix: "Flatten the groups so one more level fits: and/or are associative, and a group of one condition can be that condition.",
              example: FILTER_EXAMPLE,
            },
          ],
        });
      }
      filters = withStart;
      // The configured default is a start like any other: it must respect maxWindowDays too.
      timestamps.push({ op: "gte", value: opts.defaultStart, path: "filters" });
      defaulted = true;
      notes.push(
        `No start time was given, so timestamp gte ${opts.defaultStart} was added. Add a timestamp gte condition to choose another window.`,
      );
    }
  }
  const tooOld = tooFarInPast(timestamps, opts);
  if (tooOld) return refuse(tooOld);
  const b1 = bounds(filters, opts.now);
  const b2 = bounds(dashboardFilters, opts.now);
  const start = b1.start === null ? b2.start : b2.start === null ? b1.start : Math.max(b1.start, b2.start);
  const end = b1.end === null ? b2.end : b2.end === null ? b1.end : Math.min(b1.end, b2.end);
  // An open end means "until now": calls cannot start in the future, so a start after now is as
  // empty as a start after the end.
  const effectiveEnd = end === null ? opts.now : end;
  if (start !== null && start > effectiveEnd) {
    return refuse({
      issues: [
        {
          path: "filters",
          message: `The time window is empty: it starts at ${toIso(start)} and ends at ${toIso(effectiveEnd)}${end === null ? " (now)" : ""}.`,
          fix: "Make the gte/gt value earlier than the lte/lt value.",
          example: FILTER_EXAMPLE,
        },
      ],
    });
  }
  const window: TimeWindow = {
    start: start === null ? null : toIso(start),
    end: toIso(effectiveEnd),
    defaulted,
  };
  const startExpression = expressionOf(filters, "start") ?? expressionOf(dashboardFilters, "start");
  const endExpression = expressionOf(filters, "end") ?? expressionOf(dashboardFilters, "end");
  if (startExpression) window.startExpression = startExpression;
  if (endExpression) window.endExpression = endExpression;
  return ok({ filters, window });
}

/** A start older than maxWindowDays (counted from 00:00 UTC today), as a refusal. */
function tooFarInPast(timestamps: TimestampCondition[], opts: WindowOptions): WindowRefusal | undefined {
  if (opts.maxWindowDays === undefined) return undefined;
  const days = opts.maxWindowDays;
  const limit = startOfUtcDay(opts.now) - days * DAY_MS;
  for (const t of timestamps) {
    if (roleOf(t.op) !== "start") continue;
    const at = resolveDatetime(t.value, opts.now, "start");
    if (at !== undefined && at < limit) {
      return {
        tooFarInPast: true,
        issues: [
          {
            path: t.path,
            message: `The window starts at ${toIso(at)}, more than ${days} days ago; the Cekura API allows at most ${days} days back.`,
            fix: `Start at now-${days}d or later (or analyse an export offline with --data FILE, which has no such limit).`,
            example: { field: "timestamp", op: t.op, value: `now-${days}d` },
          },
        ],
      };
    }
  }
  return undefined;
}

/** The interval a filter tree admits: `and` intersects, `or` unions (hull). Null = unbounded. */
function bounds(f: Filter | undefined, now: number): { start: number | null; end: number | null } {
  if (!f) return { start: null, end: null };
  if (!isGroup(f)) {
    if (f.field !== "timestamp" || typeof f.value !== "string") return { start: null, end: null };
    const role = roleOf(f.op);
    const t = resolveDatetime(f.value, now, role ?? "start");
    if (t === undefined) return { start: null, end: null };
    if (role === "start") return { start: t, end: null };
    if (role === "end") return { start: null, end: t };
    if (f.op === "eq") return { start: t, end: t };
    return { start: null, end: null };
  }
  const parts = f.conditions.map((x) => bounds(x, now));
  if (f.operator === "or") {
    const starts = parts.map((p) => p.start);
    const ends = parts.map((p) => p.end);
    return {
      start: starts.some((s) => s === null) ? null : Math.min(...(starts as number[])),
      end: ends.some((e) => e === null) ? null : Math.max(...(ends as number[])),
    };
  }
  let start: number | null = null;
  let end: number | null = null;
  for (const p of parts) {
    if (p.start !== null) start = start === null ? p.start : Math.max(start, p.start);
    if (p.end !== null) end = end === null ? p.end : Math.min(end, p.end);
  }
  return { start, end };
}

function expressionOf(f: Filter | undefined, role: "start" | "end"): string | undefined {
  if (!f) return undefined;
  if (!isGroup(f))
    return f.field === "timestamp" && roleOf(f.op) === role ? `${f.op} ${String(f.value)}` : undefined;
  if (f.operator === "or") return undefined;
  for (const child of f.conditions) {
    const e = expressionOf(child, role);
    if (e) return e;
  }
  return undefined;
}

/** Levels from the root to the deepest condition, as the filter check counts them: a lone condition is 1. */
function levels(f: Filter): number {
  if (!isGroup(f)) return 1;
  let deepest = 0;
  for (const child of f.conditions) deepest = Math.max(deepest, levels(child));
  return deepest + 1;
}

function andWith(f: Filter | undefined, extra: Condition): Filter {
  if (!f) return extra;
  if (isGroup(f) && f.operator === "and") return { operator: "and", conditions: [...f.conditions, extra] };
  return { operator: "and", conditions: [f, extra] };
}
