/**
 * Compiles the filter language (docs/cekura-api.md §2) into one predicate closure over row indexes of a
 * CallStore, once per query: no per-row tree walk, no string switches per row. String conditions
 * are evaluated once per distinct value (dictionary codes), timestamp bounds of the top-level AND
 * become a binary-searched row range.
 *
 * Filters arrive validated (src/widget/validate.ts): known fields, allowed operators, values of
 * the field's type, non-empty groups. The columns behind the fields are the catalogue's.
 */
import { FILTER_FIELDS, findFilterField } from "../widget/catalogue.js";
import { resolveDatetime, roleOf } from "../widget/time.js";
import { type Condition, type Filter, isGroup } from "../widget/types.js";
import {
  ALWAYS,
  allOf,
  anyOf,
  columnCondition,
  dynamicCondition,
  NEVER,
  type Pred,
  stringCondition,
  timestampCondition,
} from "./filter-conditions.js";
import { type CallStore, callColumnOf } from "./store.js";

export type { Pred } from "./filter-conditions.js";

/** The compiled filter: rows lo..hi-1 (a timestamp range) that also pass `pred` (null = all pass). */
export interface CompiledFilter {
  lo: number;
  hi: number;
  pred: Pred | null;
}

/** Fields whose conditions test metric-evaluation rows (the catalogue's metricRow fields). */
const METRIC_ROW_FIELDS: ReadonlySet<string> = new Set(
  FILTER_FIELDS.filter((f) => f.metricRow).map((f) => f.name),
);

const isMetricRowField = (field: string): boolean => METRIC_ROW_FIELDS.has(field);

function containsMetricCondition(f: Filter): boolean {
  return isGroup(f) ? f.conditions.some(containsMetricCondition) : isMetricRowField(f.field);
}

/** A call-level condition as a row predicate. */
function callCondition(store: CallStore, now: number, c: Condition): Pred {
  if (c.field === "timestamp") return timestampCondition(store.timestamps, c, c.value, now);
  const found = findFilterField(c.field);
  if (found?.key !== undefined) return stringCondition(store.metadataColumn(found.key), c, c.value);
  const column = found && callColumnOf(found.entry);
  if (!column) throw new Error(`${c.field}: no call column (the validator refuses unknown fields).`);
  return columnCondition(store.column(column), c, c.value);
}

/** A metric_evaluations.* condition as a predicate on evaluation rows. */
function evalCondition(store: CallStore, c: Condition): Pred {
  const table = store.evals();
  if (c.field === "metric_evaluations.value") return dynamicCondition(table.values, c, c.value);
  if (c.field === "metric_evaluations.metric.id") return columnCondition(table.metricId, c, c.value);
  return columnCondition(table.metricName, c, c.value);
}

/**
 * "Some evaluation row of the call passes `p`". ASSUMPTION: a call without evaluations matches no
 * metric_evaluations.* condition.
 */
function anyEvaluation(store: CallStore, p: Pred): Pred {
  if (p === NEVER) return NEVER;
  const offsets = store.evals().offsets;
  return (i) => {
    const end = offsets[i + 1]!;
    for (let k = offsets[i]!; k < end; k++) if (p(k)) return true;
    return false;
  };
}

type Mode = "call" | "eval";

function compileNode(store: CallStore, now: number, f: Filter, mode: Mode): Pred {
  if (isGroup(f)) {
    const children = f.conditions;
    if (f.operator === "or") return anyOf(children.map((c) => compileNode(store, now, c, mode)));
    if (f.operator === "and" || mode === "eval")
      return allOf(children.map((c) => compileNode(store, now, c, mode)));
    // same_row. ASSUMPTION: a same_row group without any metric_evaluations.* condition is a plain and.
    if (!containsMetricCondition(f)) return allOf(children.map((c) => compileNode(store, now, c, "call")));
    return anyEvaluation(store, allOf(children.map((c) => compileNode(store, now, c, "eval"))));
  }
  if (isMetricRowField(f.field)) {
    const p = evalCondition(store, f);
    return mode === "eval" ? p : anyEvaluation(store, p);
  }
  const p = callCondition(store, now, f);
  if (mode === "call" || p === ALWAYS || p === NEVER) return p;
  // ASSUMPTION: inside same_row a call-level condition holds on each evaluation row of a call that passes it.
  const call = store.evals().call;
  return (k) => p(call[k]!);
}

/** The conjuncts of a filter: the children of (nested) top-level and groups, flattened. */
function conjuncts(f: Filter, out: Filter[]): void {
  if (isGroup(f) && f.operator === "and") {
    for (const c of f.conditions) conjuncts(c, out);
  } else {
    out.push(f);
  }
}

/** Narrows [lo, hi) by a top-level timestamp condition; false when it is not one. */
function narrowed(store: CallStore, c: Condition, now: number, range: { lo: number; hi: number }): boolean {
  if (c.field !== "timestamp" || typeof c.value !== "string") return false;
  const t = resolveDatetime(c.value.trim(), now, roleOf(c.op) ?? "start");
  if (t === undefined) return false;
  if (c.op === "gt") range.lo = Math.max(range.lo, store.upperBound(t));
  else if (c.op === "gte") range.lo = Math.max(range.lo, store.lowerBound(t));
  else if (c.op === "lt") range.hi = Math.min(range.hi, store.lowerBound(t));
  else if (c.op === "lte") range.hi = Math.min(range.hi, store.upperBound(t));
  else if (c.op === "eq") {
    range.lo = Math.max(range.lo, store.lowerBound(t));
    range.hi = Math.min(range.hi, store.upperBound(t));
  } else return false;
  return true;
}

/**
 * Compiles `filters AND dashboard_filters`. Timestamp bounds among the top-level conjuncts narrow
 * the row range by binary search; everything else becomes the predicate.
 */
export function compileFilters(
  store: CallStore,
  filters: (Filter | undefined)[],
  now: number,
): CompiledFilter {
  const range = { lo: 0, hi: store.size };
  const preds: Pred[] = [];
  for (const filter of filters) {
    if (filter === undefined) continue;
    const parts: Filter[] = [];
    conjuncts(filter, parts);
    for (const part of parts) {
      if (!isGroup(part) && narrowed(store, part, now, range)) continue;
      preds.push(compileNode(store, now, part, "call"));
    }
  }
  const pred = allOf(preds);
  if (pred === NEVER || range.hi < range.lo) return { lo: 0, hi: 0, pred: null };
  return { lo: range.lo, hi: range.hi, pred: pred === ALWAYS ? null : pred };
}
