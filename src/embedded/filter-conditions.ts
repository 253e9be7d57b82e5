/**
 * One filter condition as a predicate on row indexes, per column kind, and the combinators that
 * join them. Conditions arrive validated (src/widget/validate.ts): each field takes only the
 * operators and value types the catalogue gives it, so nothing here checks or coerces a value's
 * type; an operator a column kind never receives is a bug, thrown as such.
 */
import type { Operator } from "../widget/catalogue.js";
import { resolveDatetime, roleOf } from "../widget/time.js";
import type { JsonValue } from "../widget/types.js";
import type { Column, EvalValue, StrColumn } from "./store.js";

/** A test on a row index (a call, or a metric-evaluation row inside same_row). */
export type Pred = (i: number) => boolean;

export const ALWAYS: Pred = () => true;
export const NEVER: Pred = () => false;

export function allOf(preds: Pred[]): Pred {
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

export function anyOf(preds: Pred[]): Pred {
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

/** The condition being compiled, for the message of an operator its column never receives. */
export interface ConditionAt {
  field: string;
  op: Operator;
}

const notEvaluated = (at: ConditionAt, kind: string): Error =>
  new Error(`${at.field}: ${at.op} on ${kind} values is not evaluated (the validator refuses it).`);

// ASSUMPTION (SQL): a comparison with a null field value is false, neq included; only isnull
// matches nulls. Values are NaN, -1 or code -1 for null in the columns.

/** Numbers (and timestamps): eq, neq, gt, gte, lt, lte, in. */
function numberCondition(values: Float64Array, at: ConditionAt, value: JsonValue): Pred {
  if (at.op === "in") {
    const set = new Set(value as number[]);
    return (i) => set.has(values[i]!);
  }
  const v = value as number;
  switch (at.op) {
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
      throw notEvaluated(at, "number");
  }
}

/** Booleans, stored as -1/0/1: eq, neq, isnull. */
function booleanCondition(values: Int8Array, at: ConditionAt, value: JsonValue): Pred {
  if (at.op === "isnull") return value === true ? (i) => values[i]! < 0 : (i) => values[i]! >= 0;
  const b = value === true ? 1 : 0;
  if (at.op === "eq") return (i) => values[i] === b;
  if (at.op === "neq") return (i) => values[i] === 1 - b;
  throw notEvaluated(at, "boolean");
}

/**
 * Dictionary strings: the test runs once per distinct value. ASSUMPTION: eq, neq and in are
 * case-sensitive exact matches (as Django's exact); contains, startswith and endswith ignore case.
 */
export function stringCondition(col: StrColumn, at: ConditionAt, value: JsonValue): Pred {
  const codes = col.codes;
  if (at.op === "isnull") return value === true ? (i) => codes[i]! < 0 : (i) => codes[i]! >= 0;
  let test: (s: string) => boolean;
  const text = value as string;
  const lower = at.op === "in" ? "" : text.toLowerCase();
  switch (at.op) {
    case "eq":
      test = (s) => s === text;
      break;
    case "neq":
      test = (s) => s !== text;
      break;
    case "in": {
      const set = new Set(value as string[]);
      test = (s) => set.has(s);
      break;
    }
    case "contains":
      test = (s) => s.toLowerCase().includes(lower);
      break;
    case "startswith":
      test = (s) => s.toLowerCase().startsWith(lower);
      break;
    case "endswith":
      test = (s) => s.toLowerCase().endsWith(lower);
      break;
    default:
      throw notEvaluated(at, "string");
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

export function columnCondition(col: Column, at: ConditionAt, value: JsonValue): Pred {
  switch (col.kind) {
    case "num":
      return numberCondition(col.values, at, value);
    case "bool":
      return booleanCondition(col.values, at, value);
    case "str":
      return stringCondition(col, at, value);
  }
}

/** A timestamp condition; `eq` has no window role and uses the start (so `today` is 00:00:00). */
export function timestampCondition(
  timestamps: Float64Array,
  at: ConditionAt,
  value: JsonValue,
  now: number,
): Pred {
  const t = resolveDatetime((value as string).trim(), now, roleOf(at.op) ?? "start");
  return numberCondition(timestamps, at, t ?? Number.NaN);
}

/**
 * metric_evaluations.value is dynamic: ASSUMPTION: the condition value is coerced to each
 * evaluation's own type (a number or numeric string for numbers; true/false, "true"/"false" or
 * 0/1 for booleans, false before true; the text of the value for strings, by code units); when it
 * cannot be, the row does not match (neq included).
 */
export function dynamicCondition(values: readonly EvalValue[], at: ConditionAt, value: JsonValue): Pred {
  const raw = value as number | boolean | string;
  const n =
    typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
  const word = typeof raw === "string" ? raw.trim().toLowerCase() : "";
  const b =
    typeof raw === "boolean"
      ? raw
      : raw === 1 || word === "true"
        ? true
        : raw === 0 || word === "false"
          ? false
          : undefined;
  const s = String(raw);
  const compare = (v: EvalValue | undefined): number | undefined => {
    if (typeof v === "number") return Number.isFinite(n) ? (v < n ? -1 : v > n ? 1 : 0) : undefined;
    if (typeof v === "boolean") return b === undefined ? undefined : Number(v) - Number(b);
    if (typeof v === "string") return v < s ? -1 : v > s ? 1 : 0;
    return undefined;
  };
  const holds = comparison(at);
  return (k) => {
    const c = compare(values[k]);
    return c !== undefined && holds(c);
  };
}

/** What a comparison's sign must be for `op` to hold. */
function comparison(at: ConditionAt): (c: number) => boolean {
  switch (at.op) {
    case "eq":
      return (c) => c === 0;
    case "neq":
      return (c) => c !== 0;
    case "gt":
      return (c) => c > 0;
    case "gte":
      return (c) => c >= 0;
    case "lt":
      return (c) => c < 0;
    case "lte":
      return (c) => c <= 0;
    default:
      throw notEvaluated(at, "metric");
  }
}
