/**
 * Compiles the filter language (docs/cekura-api.md §2) into one predicate closure over row indexes of a
 * CallStore, once per query: no per-row tree walk, no string switches per row. String conditions
 * are evaluated once per distinct value (dictionary codes), timestamp bounds of the top-level AND
 * become a binary-searched row range.
 *
 * The engine evaluates every operator on every field; which operators a field ALLOWS is the
 * validator's business (src/widget/validate.ts), not this module's.
 */
import { METADATA_KEY, type Operator } from "../widget/catalogue.js";
import { resolveDatetime, roleOf, toIso } from "../widget/time.js";
import { type Filter, isGroup, type JsonValue } from "../widget/types.js";
import type { CallColumnName, CallStore, Column, EvalValue, NumColumn, StrColumn } from "./store.js";

/** A test on a row index (a call, or a metric-evaluation row inside same_row). */
export type Pred = (i: number) => boolean;

/** A filter the data cannot satisfy as written (bad value for the field, bad regex, unknown field). */
export class FilterError extends Error {
  constructor(
    message: string,
    /** "filters" or "dashboard_filters". */
    public source = "filters",
  ) {
    super(message);
  }
}

/** The compiled filter: rows lo..hi-1 (a timestamp range) that also pass `pred` (null = all pass). */
export interface CompiledFilter {
  lo: number;
  hi: number;
  pred: Pred | null;
}

const ALWAYS: Pred = () => true;
const NEVER: Pred = () => false;

// ---------------------------------------------------------------------------------------------
// Combinators

function allOf(preds: Pred[]): Pred {
  const ps = preds.filter((p) => p !== ALWAYS);
  if (ps.includes(NEVER)) return NEVER;
  const [a, b, c] = ps;
  switch (ps.length) {
    case 0:
      return ALWAYS;
    case 1:
      return a!;
    case 2:
      return (i) => a!(i) && b!(i);
    case 3:
      return (i) => a!(i) && b!(i) && c!(i);
    default:
      return (i) => {
        for (let j = 0; j < ps.length; j++) if (!ps[j]!(i)) return false;
        return true;
      };
  }
}

function anyOf(preds: Pred[]): Pred {
  const ps = preds.filter((p) => p !== NEVER);
  if (ps.includes(ALWAYS)) return ALWAYS;
  const [a, b, c] = ps;
  switch (ps.length) {
    case 0:
      return NEVER;
    case 1:
      return a!;
    case 2:
      return (i) => a!(i) || b!(i);
    case 3:
      return (i) => a!(i) || b!(i) || c!(i);
    default:
      return (i) => {
        for (let j = 0; j < ps.length; j++) if (ps[j]!(i)) return true;
        return false;
      };
  }
}

// ---------------------------------------------------------------------------------------------
// Value coercion (the condition's value to the field's type)

const describe = (v: JsonValue): string => JSON.stringify(v);

function toNumber(v: JsonValue): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function toBoolean(v: JsonValue): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
  }
  return undefined;
}

function toText(v: JsonValue): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

interface Ctx {
  store: CallStore;
  now: number;
  field: string;
  op: Operator;
}

function need<T>(v: T | undefined, ctx: Ctx, raw: JsonValue, what: string): T {
  if (v === undefined) {
    throw new FilterError(`${ctx.field} ${ctx.op}: ${describe(raw)} is not ${what}.`);
  }
  return v;
}

function listOf(ctx: Ctx, raw: JsonValue): JsonValue[] {
  if (!Array.isArray(raw))
    throw new FilterError(`${ctx.field} in: the value must be a list, got ${describe(raw)}.`);
  // ASSUMPTION: null elements of an `in` list match nothing (as SQL's IN ignores NULL).
  return raw.filter((v) => v !== null);
}

function isnullValue(ctx: Ctx, raw: JsonValue): boolean {
  return need(toBoolean(raw), ctx, raw, "true or false");
}

function textPattern(ctx: Ctx, raw: JsonValue): string {
  return need(toText(raw), ctx, raw, "a text pattern");
}

function compileRegex(ctx: Ctx, raw: JsonValue): RegExp {
  const source = textPattern(ctx, raw);
  try {
    // ASSUMPTION: regex is a JavaScript regular expression, case-sensitive, matched anywhere in the value.
    return new RegExp(source);
  } catch (e) {
    throw new FilterError(
      `${ctx.field} regex: ${describe(raw)} is not a valid regular expression (${(e as Error).message}).`,
    );
  }
}

/** A test on the text form of a value for contains/startswith/endswith (case-insensitive) and regex. */
function textTest(ctx: Ctx, raw: JsonValue): (s: string) => boolean {
  switch (ctx.op) {
    case "contains": {
      const p = textPattern(ctx, raw).toLowerCase();
      return (s) => s.toLowerCase().includes(p);
    }
    case "startswith": {
      const p = textPattern(ctx, raw).toLowerCase();
      return (s) => s.toLowerCase().startsWith(p);
    }
    case "endswith": {
      const p = textPattern(ctx, raw).toLowerCase();
      return (s) => s.toLowerCase().endsWith(p);
    }
    case "regex": {
      const re = compileRegex(ctx, raw);
      return (s) => re.test(s);
    }
    default:
      throw new Error(`not a text operator: ${ctx.op}`);
  }
}

const isTextOp = (op: Operator): boolean =>
  op === "contains" || op === "startswith" || op === "endswith" || op === "regex";

/**
 * ASSUMPTION (Django's rule for exact=None): `eq null` is `isnull true` and `neq null` is
 * `isnull false`. Returns the isnull flag, or undefined when the condition is not of that form.
 */
function nullEquality(op: Operator, raw: JsonValue): boolean | undefined {
  if (raw !== null) return undefined;
  if (op === "eq") return true;
  if (op === "neq") return false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Conditions per column kind. ASSUMPTION (SQL): a comparison with a null field value is false,
// neq included; only isnull matches nulls.

/** Numbers (and timestamps): `coerce` turns the condition value into the column's unit. */
function numberCondition(
  values: Float64Array,
  ctx: Ctx,
  raw: JsonValue,
  coerce: (v: JsonValue) => number | undefined,
  what: string,
  asText: (x: number) => string,
): Pred {
  const { op } = ctx;
  const nullFlag = op === "isnull" ? isnullValue(ctx, raw) : nullEquality(op, raw);
  if (nullFlag !== undefined) {
    return nullFlag ? (i) => Number.isNaN(values[i]!) : (i) => !Number.isNaN(values[i]!);
  }
  if (isTextOp(op)) {
    const test = textTest(ctx, raw);
    return (i) => {
      const x = values[i]!;
      return !Number.isNaN(x) && test(asText(x));
    };
  }
  if (op === "in") {
    const set = new Set(listOf(ctx, raw).map((v) => need(coerce(v), ctx, v, what)));
    return (i) => set.has(values[i]!);
  }
  const v = need(coerce(raw), ctx, raw, what);
  switch (op) {
    case "eq":
      return (i) => values[i] === v;
    case "neq":
      return (i) => {
        const x = values[i]!;
        return !Number.isNaN(x) && x !== v;
      };
    case "gt":
      return (i) => values[i]! > v;
    case "gte":
      return (i) => values[i]! >= v;
    case "lt":
      return (i) => values[i]! < v;
    case "lte":
      return (i) => values[i]! <= v;
    default:
      throw new FilterError(`${ctx.field}: the operator ${op} cannot be evaluated.`);
  }
}

/** Booleans, stored as -1/0/1. ASSUMPTION: gt/gte/lt/lte order false before true. */
function booleanCondition(values: Int8Array, ctx: Ctx, raw: JsonValue): Pred {
  const { op } = ctx;
  const nullFlag = op === "isnull" ? isnullValue(ctx, raw) : nullEquality(op, raw);
  if (nullFlag !== undefined) return nullFlag ? (i) => values[i]! < 0 : (i) => values[i]! >= 0;
  if (isTextOp(op)) {
    const test = textTest(ctx, raw);
    const f = test("false");
    const t = test("true");
    return (i) => {
      const x = values[i]!;
      return x === 1 ? t : x === 0 ? f : false;
    };
  }
  const toBit = (v: JsonValue): number => (need(toBoolean(v), ctx, v, "true or false") ? 1 : 0);
  if (op === "in") {
    const bits = listOf(ctx, raw).map(toBit);
    const f = bits.includes(0);
    const t = bits.includes(1);
    return (i) => {
      const x = values[i]!;
      return x === 1 ? t : x === 0 ? f : false;
    };
  }
  const b = toBit(raw);
  switch (op) {
    case "eq":
      return (i) => values[i] === b;
    case "neq": {
      const other = 1 - b;
      return (i) => values[i] === other;
    }
    case "gt":
      return (i) => values[i]! > b;
    case "gte":
      return (i) => values[i]! >= b && values[i]! >= 0;
    case "lt":
      return (i) => values[i]! < b && values[i]! >= 0;
    case "lte":
      return (i) => values[i]! <= b && values[i]! >= 0;
    default:
      throw new FilterError(`${ctx.field}: the operator ${op} cannot be evaluated.`);
  }
}

/**
 * Dictionary strings: the test runs once per distinct value. ASSUMPTION: eq, neq and in are
 * case-sensitive exact matches (as Django's exact); gt/gte/lt/lte compare by UTF-16 code units.
 */
function stringCondition(col: StrColumn, ctx: Ctx, raw: JsonValue): Pred {
  const { op } = ctx;
  const codes = col.codes;
  const nullFlag = op === "isnull" ? isnullValue(ctx, raw) : nullEquality(op, raw);
  if (nullFlag !== undefined) return nullFlag ? (i) => codes[i]! < 0 : (i) => codes[i]! >= 0;
  let test: (s: string) => boolean;
  if (isTextOp(op)) {
    test = textTest(ctx, raw);
  } else if (op === "in") {
    const set = new Set(listOf(ctx, raw).map((v) => need(toText(v), ctx, v, "a string")));
    test = (s) => set.has(s);
  } else {
    const v = need(toText(raw), ctx, raw, "a string");
    switch (op) {
      case "eq":
        test = (s) => s === v;
        break;
      case "neq":
        test = (s) => s !== v;
        break;
      case "gt":
        test = (s) => s > v;
        break;
      case "gte":
        test = (s) => s >= v;
        break;
      case "lt":
        test = (s) => s < v;
        break;
      case "lte":
        test = (s) => s <= v;
        break;
      default:
        throw new FilterError(`${ctx.field}: the operator ${op} cannot be evaluated.`);
    }
  }
  const dict = col.dict;
  const match = new Uint8Array(dict.length);
  let hits = 0;
  for (let c = 0; c < dict.length; c++) {
    if (test(dict[c]!)) {
      match[c] = 1;
      hits++;
    }
  }
  if (hits === 0) return NEVER;
  if (hits === 1) {
    const only = match.indexOf(1);
    return (i) => codes[i] === only;
  }
  return (i) => {
    const c = codes[i]!;
    return c >= 0 && match[c] === 1;
  };
}

function columnCondition(col: Column, ctx: Ctx, raw: JsonValue): Pred {
  switch (col.kind) {
    case "num":
      return numberCondition(col.values, ctx, raw, toNumber, "a number", String);
    case "bool":
      return booleanCondition(col.values, ctx, raw);
    case "str":
      return stringCondition(col, ctx, raw);
  }
}

/** Text form of a timestamp for text operators: the ISO form the API prints. */
const timestampText = (t: number): string => toIso(Math.floor(t / 1000) * 1000);

function timestampCondition(ctx: Ctx, raw: JsonValue): Pred {
  // `eq` has no window role: it uses the start (so `today` is 00:00:00).
  const role = roleOf(ctx.op) ?? "start";
  const coerce = (v: JsonValue): number | undefined =>
    typeof v === "string" ? resolveDatetime(v.trim(), ctx.now, role) : undefined;
  const col: NumColumn = { kind: "num", values: ctx.store.timestamps };
  return numberCondition(
    col.values,
    ctx,
    raw,
    coerce,
    "a datetime (now, today, now-7d, today-1M or ISO 8601)",
    timestampText,
  );
}

/**
 * metric_evaluations.value is dynamic: ASSUMPTION: the condition value is coerced to each
 * evaluation's own type (a number or numeric string for numbers; true/false or "true"/"false"
 * for booleans; the text of the value for strings); when it cannot be, the row does not match
 * (neq included).
 */
function dynamicCondition(values: readonly EvalValue[], ctx: Ctx, raw: JsonValue): Pred {
  const { op } = ctx;
  const nullFlag = op === "isnull" ? isnullValue(ctx, raw) : nullEquality(op, raw);
  if (nullFlag !== undefined) return nullFlag ? (k) => values[k] === null : (k) => values[k] !== null;
  if (isTextOp(op)) {
    const test = textTest(ctx, raw);
    return (k) => {
      const v = values[k];
      return v !== null && v !== undefined && test(String(v));
    };
  }
  const targets = op === "in" ? listOf(ctx, raw) : [raw];
  if (targets.some((t) => toText(t) === undefined)) {
    throw new FilterError(`${ctx.field} ${op}: ${describe(raw)} is not a number, boolean or string.`);
  }
  const nums = targets.map(toNumber);
  const bools = targets.map((t) => (typeof t === "number" && (t === 0 || t === 1) ? t === 1 : toBoolean(t)));
  const texts = targets.map((t) => toText(t)!);
  const cmp = (v: EvalValue | undefined, j: number): number | undefined => {
    if (typeof v === "number") {
      const n = nums[j];
      return n === undefined ? undefined : v < n ? -1 : v > n ? 1 : 0;
    }
    if (typeof v === "boolean") {
      const b = bools[j];
      return b === undefined ? undefined : Number(v) - Number(b);
    }
    if (typeof v === "string") {
      const s = texts[j]!;
      return v < s ? -1 : v > s ? 1 : 0;
    }
    return undefined;
  };
  const holds = (c: number): boolean => {
    switch (op) {
      case "eq":
      case "in":
        return c === 0;
      case "neq":
        return c !== 0;
      case "gt":
        return c > 0;
      case "gte":
        return c >= 0;
      case "lt":
        return c < 0;
      case "lte":
        return c <= 0;
      default:
        throw new FilterError(`${ctx.field}: the operator ${op} cannot be evaluated.`);
    }
  };
  holds(0); // throws now, not per row, for an operator we cannot evaluate
  return (k) => {
    const v = values[k];
    for (let j = 0; j < targets.length; j++) {
      const c = cmp(v, j);
      if (c !== undefined && holds(c)) return true;
    }
    return false;
  };
}

// ---------------------------------------------------------------------------------------------
// Fields

const CALL_FIELDS: Record<string, CallColumnName> = {
  id: "id",
  success: "success",
  duration: "duration",
  customer_number: "customer_number",
  call_ended_reason: "call_ended_reason",
  dropoff_point: "dropoff_point",
  topic: "topic",
  is_reviewed: "is_reviewed",
  "agent.id": "agent.id",
  "agent.agent_name": "agent.agent_name",
};

const METRIC_ROW_FIELDS = new Set([
  "metric_evaluations.value",
  "metric_evaluations.metric.id",
  "metric_evaluations.metric.name",
]);

const isMetricRowField = (field: string): boolean => METRIC_ROW_FIELDS.has(field);

function containsMetricCondition(f: Filter): boolean {
  return isGroup(f) ? f.conditions.some(containsMetricCondition) : isMetricRowField(f.field);
}

function readCondition(f: unknown): { field: string; op: Operator; value: JsonValue } {
  const c = f as { field?: unknown; op?: unknown; value?: unknown };
  if (typeof c?.field !== "string" || typeof c.op !== "string") {
    throw new FilterError("each condition needs a field and an op.");
  }
  return { field: c.field, op: c.op as Operator, value: (c.value ?? null) as JsonValue };
}

/** A call-level condition as a row predicate. */
function callCondition(store: CallStore, now: number, field: string, op: Operator, value: JsonValue): Pred {
  const ctx: Ctx = { store, now, field, op };
  if (field === "timestamp") return timestampCondition(ctx, value);
  const name = CALL_FIELDS[field];
  if (name) return columnCondition(store.column(name), ctx, value);
  if (field.startsWith("metadata.")) {
    const key = field.slice("metadata.".length);
    if (!METADATA_KEY.test(key)) {
      throw new FilterError(`${field}: metadata filters take one top-level key of letters, digits, _ and -.`);
    }
    return stringCondition(store.metadataColumn(key), ctx, value);
  }
  throw new FilterError(`unknown filter field ${describe(field)}.`);
}

/** A metric_evaluations.* condition as a predicate on evaluation rows. */
function evalCondition(store: CallStore, now: number, field: string, op: Operator, value: JsonValue): Pred {
  const ctx: Ctx = { store, now, field, op };
  const table = store.evals();
  if (field === "metric_evaluations.value") return dynamicCondition(table.values, ctx, value);
  if (field === "metric_evaluations.metric.id") return columnCondition(table.metricId, ctx, value);
  return columnCondition(table.metricName, ctx, value);
}

/**
 * "Some evaluation row of the call passes `p`". ASSUMPTION: a call without evaluations matches no
 * metric_evaluations.* condition (isnull true included).
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
    const children = Array.isArray(f.conditions) ? f.conditions : [];
    // ASSUMPTION: an empty group of any operator imposes no condition.
    if (children.length === 0) return ALWAYS;
    switch (f.operator) {
      case "or":
        return anyOf(children.map((c) => compileNode(store, now, c, mode)));
      case "and":
        return allOf(children.map((c) => compileNode(store, now, c, mode)));
      case "same_row": {
        if (mode === "eval") return allOf(children.map((c) => compileNode(store, now, c, "eval")));
        // ASSUMPTION: a same_row group without any metric_evaluations.* condition is a plain and.
        if (!containsMetricCondition(f))
          return allOf(children.map((c) => compileNode(store, now, c, "call")));
        return anyEvaluation(store, allOf(children.map((c) => compileNode(store, now, c, "eval"))));
      }
      default:
        throw new FilterError(
          `unknown group operator ${describe(f.operator as JsonValue)}; use and, or or same_row.`,
        );
    }
  }
  const { field, op, value } = readCondition(f);
  if (isMetricRowField(field)) {
    const p = evalCondition(store, now, field, op, value);
    return mode === "eval" ? p : anyEvaluation(store, p);
  }
  const p = callCondition(store, now, field, op, value);
  if (mode === "call" || p === ALWAYS || p === NEVER) return p;
  // ASSUMPTION: inside same_row a call-level condition holds on each evaluation row of a call that passes it.
  const call = store.evals().call;
  return (k) => p(call[k]!);
}

/** The conjuncts of a filter: the children of (nested) top-level and groups, flattened. */
function conjuncts(f: Filter, out: Filter[]): void {
  if (isGroup(f) && f.operator === "and" && Array.isArray(f.conditions)) {
    for (const c of f.conditions) conjuncts(c, out);
  } else {
    out.push(f);
  }
}

/**
 * Compiles `filters AND dashboard_filters`. Timestamp bounds among the top-level conjuncts narrow
 * the row range by binary search; everything else becomes the predicate. Throws FilterError.
 */
export function compileFilters(
  store: CallStore,
  sources: { source: string; filter: Filter | undefined }[],
  now: number,
): CompiledFilter {
  let lo = 0;
  let hi = store.size;
  const preds: Pred[] = [];
  for (const { source, filter } of sources) {
    if (filter === undefined || filter === null) continue;
    try {
      const parts: Filter[] = [];
      conjuncts(filter, parts);
      for (const part of parts) {
        if (!isGroup(part)) {
          const { field, op, value } = readCondition(part);
          if (
            field === "timestamp" &&
            typeof value === "string" &&
            ["gt", "gte", "lt", "lte", "eq"].includes(op)
          ) {
            const t = resolveDatetime(value.trim(), now, roleOf(op) ?? "start");
            if (t !== undefined) {
              if (op === "gt") lo = Math.max(lo, store.upperBound(t));
              else if (op === "gte") lo = Math.max(lo, store.lowerBound(t));
              else if (op === "lt") hi = Math.min(hi, store.lowerBound(t));
              else if (op === "lte") hi = Math.min(hi, store.upperBound(t));
              else {
                lo = Math.max(lo, store.lowerBound(t));
                hi = Math.min(hi, store.upperBound(t));
              }
              continue;
            }
          }
        }
        preds.push(compileNode(store, now, part, "call"));
      }
    } catch (e) {
      if (e instanceof FilterError) e.source = source;
      throw e;
    }
  }
  const pred = allOf(preds);
  if (pred === NEVER || hi < lo) return { lo: 0, hi: 0, pred: null };
  return { lo, hi, pred: pred === ALWAYS ? null : pred };
}
