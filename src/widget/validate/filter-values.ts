/** The value of one filter condition, checked against its field's value type and its operator. */
import {
  type FilterField,
  IN_LIST_MAX_VALUES,
  type Operator,
  TEXT_OPERATORS,
  TEXT_VALUE_MAX_LENGTH,
} from "../catalogue.js";
import { DATETIME_GRAMMAR_HINT, resolveDatetime } from "../time.js";
import type { JsonValue } from "../types.js";
import { type Collector, show } from "./issues.js";
import { numberFrom } from "./lenient.js";

export interface ValueContext {
  c: Collector;
  /** Resolves relative datetimes, so values a Date cannot hold (now-999999y) are refused. */
  now: number;
}

/** The condition a value belongs to: its field (as written and as specified) and its operator. */
export interface ValueSlot {
  field: string;
  spec: FilterField;
  op: Operator;
}

/** The condition's value as sent, or undefined (with an issue). */
export function checkValue(
  raw: unknown,
  path: string,
  slot: ValueSlot,
  ctx: ValueContext,
): JsonValue | undefined {
  const { c } = ctx;
  const { field, op } = slot;
  if (op === "isnull") {
    if (typeof raw === "boolean") return raw;
    c.add(path, `isnull takes true or false; got ${show(raw)}.`, undefined, {
      field,
      op: "isnull",
      value: true,
    });
    return undefined;
  }
  if (op !== "in") return scalar(raw, path, slot, ctx);
  if (!Array.isArray(raw)) {
    c.add(path, `in takes a list; got ${show(raw)}.`, `Wrap the value in a list, or use eq for one value.`, {
      field,
      op: "in",
      value: [raw ?? "a", "b"],
    });
    return undefined;
  }
  if (raw.length === 0 || raw.length > IN_LIST_MAX_VALUES) {
    c.add(path, `in takes a list of 1 to ${IN_LIST_MAX_VALUES} values; got ${raw.length}.`);
    return undefined;
  }
  const out: JsonValue[] = [];
  for (let i = 0; i < raw.length; i++) {
    const v = scalar(raw[i], `${path}[${i}]`, slot, ctx);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

const isText = (raw: unknown): raw is string =>
  typeof raw === "string" && raw.length <= TEXT_VALUE_MAX_LENGTH;

function scalar(raw: unknown, path: string, slot: ValueSlot, ctx: ValueContext): JsonValue | undefined {
  const { c } = ctx;
  const { field, spec, op } = slot;
  if (TEXT_OPERATORS.includes(op)) {
    if (isText(raw) && raw.length > 0) return raw;
    c.add(path, `${op} takes a non-empty string; got ${show(raw)}.`, undefined, { field, op, value: "text" });
    return undefined;
  }
  switch (spec.valueType) {
    case "integer": {
      const v = numberFrom(raw);
      if (typeof v === "number" && Number.isSafeInteger(v)) return v;
      c.add(path, `${field} takes an integer; got ${show(raw)}.`, undefined, { field, op, value: 42 });
      return undefined;
    }
    case "number": {
      const v = numberFrom(raw);
      if (typeof v === "number" && Number.isFinite(v)) return v;
      c.add(path, `${field} takes a number; got ${show(raw)}.`, undefined, { field, op, value: 60 });
      return undefined;
    }
    case "boolean":
      if (typeof raw === "boolean") return raw;
      c.add(path, `${field} takes true or false; got ${show(raw)}.`, undefined, { field, op, value: true });
      return undefined;
    case "string":
      if (raw === "") {
        c.add(
          path,
          `${field} compared with an empty string matches nothing useful.`,
          "To find calls without a value use isnull.",
          { field, op: "isnull", value: true },
        );
        return undefined;
      }
      if (isText(raw)) return raw;
      c.add(path, `${field} takes a string; got ${show(raw)}.`, undefined, { field, op, value: "text" });
      return undefined;
    case "datetime":
      if (typeof raw === "string" && resolveDatetime(raw, ctx.now) !== undefined) return raw;
      c.add(path, `${show(raw)} is not a datetime the API reads: ${DATETIME_GRAMMAR_HINT}.`, undefined, {
        field,
        op,
        value: "now-7d",
      });
      return undefined;
    case "dynamic":
      if (typeof raw === "boolean" || isText(raw)) return raw;
      if (typeof raw === "number" && Number.isFinite(raw)) return raw;
      c.add(path, `${field} takes a number, boolean or string; got ${show(raw)}.`, undefined, {
        field,
        op,
        value: 0.8,
      });
      return undefined;
  }
}
